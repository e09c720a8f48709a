"""Write the course index notebook and README's module table from course.yml.

    python tools/course_pages.py          # rewrite notebooks/index.ipynb and README.md
    python tools/course_pages.py --check  # exit 1 if either is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
START, END = "<!-- modules:start -->", "<!-- modules:end -->"


def course() -> dict:
    return yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))


def binder_url(c: dict, path: str) -> str:
    """A mybinder.org link that opens ``path`` in JupyterLab."""
    repo = c["repository"].rstrip("/").removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{repo}/{c['ref']}?urlpath=lab/tree/{path}"


INTRO = """# WELFARE lab: social innovation and social entrepreneurship in the welfare sector

Welcome. This course is for students of social work, applied psychology, orthopedagogy and HRM,
and for professionals in welfare organisations. It grew out of the Belgian needs analysis of the
WELFARE project (*Designing future WELFARE systems – social innovation in the welfare sector*),
which found that social professionals want to learn how to design services with the people who
use them, how to build a business model that does not depend on one subsidy, and how to show
the difference their work makes.

**You do not need to know how to program.** Every module has calculators you can use with the
mouse first; the code is there for when you are ready.

## How to use a notebook

- A notebook is a page made of *cells*. Grey cells hold code; the others hold text.
- Click a code cell and press **Shift + Enter** to run it. The result shows under the cell.
- Run the cells from top to bottom. If something looks odd, use
  *Kernel → Restart Kernel and Run All Cells*.
- **On Binder, download your work** (*File → Download*) before you leave: an idle Binder
  session is deleted, with everything in it.
"""

OUTRO = """Each module follows the same pattern: what you will learn, readings, a case from Belgium,
*Try it* with a calculator, exercises with a *check my answer* cell, questions to discuss,
and further reading.

## Assignments

Open the assignment of a module (the last column), answer in the cells that say
`YOUR ANSWER HERE`, and press **Validate** in the notebook's toolbar to check your work.
Some checks are hidden and only run when your lecturer grades it. Hand in the notebook file
the way your lecturer asks (usually by uploading it to your learning platform).

## Where the content comes from

The facts, figures and cases come from the Belgian national report of the WELFARE project
(needs analysis, 2022–2023), with the sources it cites. Figures marked **synthetic** are made
up for exercises and say so where they are used.
"""


EXTRAS_INTRO = """## Beyond the modules

Three notebooks go with the modules but have no assignment of their own: interviews with
social entrepreneurs (the focus group's request, seed 5.3), teamwork and peer feedback
(seed 4.2), and the **open slot**, a class session whose topic your group chooses (seed 4.2,
4.3).
"""


def extras_section(c: dict) -> str:
    """The index's table of the notebooks beyond the modules (``extras`` in course.yml)."""
    if not c.get("extras"):
        return ""
    rows = ["| notebook | what it is for | time | when |", "|---|---|---|---|"]
    for x in c["extras"]:
        label = f"{x['title']} (open slot)" if x.get("open_slot") else x["title"]
        rows.append(f"| [{label}]({Path(x['notebook']).name}) | {x['summary']} | "
                    f"about {x['hours']} h | {x['when']} |")
    return EXTRAS_INTRO + "\n" + "\n".join(rows) + "\n\n"


def index_notebook(c: dict):
    rows = ["| id | module (reading and practice) | what you learn | time | graded assignment |",
            "|---|---|---|---|---|"]
    for m in c["modules"]:
        nb = Path(m["notebook"]).name
        assignment = "../" + m["assignment"]
        rows.append(f"| {m['id']} | [{m['title']}]({nb}) | {m['summary']} | about {m['hours']} h "
                    f"| [{m['id']} assignment]({assignment}) |")
    text = (INTRO + "\n## The modules\n\n" + "\n".join(rows) + "\n\n"
            + "Each module's time includes its graded assignment.\n\n" + extras_section(c)
            + OUTRO)
    return new_notebook(cells=[new_markdown_cell(text.strip())], metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"}})


def readme_table(c: dict) -> str:
    rows = ["| id | module | time | open on Binder | assignment |", "|---|---|---|---|---|"]
    for m in c["modules"]:
        rows.append(f"| {m['id']} | [{m['title']}]({m['notebook']}) | about {m['hours']} h | "
                    f"[launch]({binder_url(c, m['notebook'])}) | [{m['id']}]({m['assignment']}) |")
    for x in c.get("extras", []):
        kind = "open slot, no assignment" if x.get("open_slot") else "no assignment"
        rows.append(f"| {x['id']} | [{x['title']}]({x['notebook']}) | about {x['hours']} h | "
                    f"[launch]({binder_url(c, x['notebook'])}) | {kind} |")
    return "\n".join(rows)


def render_index(c: dict) -> str:
    nb = index_notebook(c)
    nb.cells[0].id = "course-index"
    return nbformat.writes(nb) + "\n"


def render_readme(c: dict) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{readme_table(c)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    c = course()
    targets = {REPO / "notebooks" / "index.ipynb": render_index(c),
               REPO / "README.md": render_readme(c)}
    stale = [p for p, text in targets.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for p in stale:
            print(f"{p.relative_to(REPO)} is out of date: run python tools/course_pages.py")
        return 1 if stale else 0
    for p in stale:
        p.write_text(targets[p], encoding="utf-8")
        print(f"wrote {p.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
