"""Write the course indexes (English and Dutch) and README's module table from course.yml.

    python tools/course_pages.py            # rewrite notebooks/index.ipynb,
                                            # notebooks/nl/index.ipynb and README.md
    python tools/course_pages.py --check    # exit 1 if any is out of date
    python tools/course_pages.py --sync-nl  # add notebook_nl/assignment_nl to course.yml for
                                            # each Dutch file that exists, then rewrite

The Dutch index links a module's Dutch notebook and assignment where course.yml names one
(``notebook_nl``, ``assignment_nl``), and the English one, marked "(Engels)", otherwise; the
same for the notebooks beyond the modules (course.yml ``extras``: ``notebook_nl`` with
``title_nl``, ``summary_nl`` and ``when_nl``). An extra's Dutch file has a Dutch name
(x-teamwerk for x-teamwork), so ``--sync-nl`` does not guess it: name it in course.yml.
"""

from __future__ import annotations

import re
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
            + "Each module's time includes its graded assignment.\n\n"
            + "**Nederlands:** the course in Dutch starts at the "
            "[Nederlandstalig cursusoverzicht](nl/index.ipynb).\n\n" + extras_section(c)
            + OUTRO)
    return new_notebook(cells=[new_markdown_cell(text.strip())], metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"}})


def readme_table(c: dict) -> str:
    rows = ["| id | module | time | open on Binder | assignment | Nederlands |",
            "|---|---|---|---|---|---|"]
    for m in c["modules"]:
        dutch = [f"[notebook]({m['notebook_nl']})"] if m.get("notebook_nl") else []
        dutch += [f"[{m['id']}-nl]({m['assignment_nl']})"] if m.get("assignment_nl") else []
        rows.append(f"| {m['id']} | [{m['title']}]({m['notebook']}) | about {m['hours']} h | "
                    f"[launch]({binder_url(c, m['notebook'])}) | [{m['id']}]({m['assignment']}) | "
                    f"{', '.join(dutch) or 'not yet'} |")
    for x in c.get("extras", []):
        kind = "open slot, no assignment" if x.get("open_slot") else "no assignment"
        dutch = f"[notebook]({x['notebook_nl']})" if x.get("notebook_nl") else "not yet"
        rows.append(f"| {x['id']} | [{x['title']}]({x['notebook']}) | about {x['hours']} h | "
                    f"[launch]({binder_url(c, x['notebook'])}) | {kind} | {dutch} |")
    return "\n".join(rows)


def render_index(c: dict) -> str:
    nb = index_notebook(c)
    nb.cells[0].id = "course-index"
    return nbformat.writes(nb) + "\n"


INTRO_NL = """# WELFARE lab: sociale innovatie en sociaal ondernemen in de welzijnssector

Welkom. Deze cursus is er voor studenten sociaal werk, toegepaste psychologie, orthopedagogie
en HRM, en voor mensen die in een welzijnsorganisatie werken. Hij vertrekt van de Belgische
behoefteanalyse van het WELFARE-project (*Designing future WELFARE systems – social innovation
in the welfare sector*). Daaruit bleek dat sociale professionals willen leren hoe ze samen met
de gebruikers een dienst ontwerpen, hoe ze een businessmodel bouwen dat niet aan één subsidie
hangt, en hoe ze tonen wat hun werk verandert.

**Je hoeft niet te kunnen programmeren.** Elke module heeft rekentools die je eerst gewoon
met de muis gebruikt; de code staat er voor wanneer je er klaar voor bent.

## Zo gebruik je een notebook

- Een notebook is een pagina die uit *cellen* bestaat. Grijze cellen bevatten code, de andere
  tekst.
- Klik in een codecel en druk op **Shift + Enter** om ze uit te voeren. Het resultaat
  verschijnt onder de cel.
- Voer de cellen van boven naar onder uit. Ziet iets er vreemd uit, kies dan
  *Kernel → Herstart Kernel and Run All Cells…*.
- **Werk je op Binder, download dan je werk** (*Bestand → Download*) voor je stopt: een Binder-sessie
  die een tijd niet gebruikt wordt, verdwijnt met alles erin.
"""

OUTRO_NL = """Elke module heeft dezelfde opbouw: wat je leert, leesstof, een Belgische case, *Probeer
het* met een rekentool, oefeningen met een cel die je antwoord controleert, vragen om te
bespreken, en verder lezen. Een module die nog niet vertaald is, opent in het Engels
(gemarkeerd met "(Engels)").

## Opdrachten

Open de opdracht van een module (de laatste kolom), antwoord in de cellen met
`JOUW ANTWOORD HIER` en klik op **Validate** in de werkbalk van het notebook om je werk te
controleren. Sommige controles zijn verborgen: die lopen pas wanneer je docent de opdracht
verbetert. Dien het notebook in zoals je docent vraagt (meestal door het op te laden in je
leerplatform). Je mag de Nederlandse of de Engelse opdracht indienen: beide tellen op dezelfde
manier.

## Waar de inhoud vandaan komt

De feiten, cijfers en cases komen uit het Belgische nationale rapport van het WELFARE-project
(behoefteanalyse, 2022–2023) en de bronnen die het vermeldt. Cijfers die als **synthetisch**
gemarkeerd zijn, zijn verzonnen voor de oefeningen; dat staat erbij waar ze gebruikt worden.
"""


EXTRAS_INTRO_NL = """## Naast de modules

Drie notebooks horen bij de modules maar hebben geen eigen opdracht: interviews met sociale
ondernemers (een vraag van de focusgroep, seed 5.3), teamwerk en peerfeedback (seed 4.2), en de
**open sessie**, een les waarvan je groep het onderwerp kiest (seed 4.2, 4.3).
"""


def hours_nl(hours) -> str:
    """Hours as the Dutch index writes them: ``1,5`` for 1.5."""
    return str(hours).replace(".", ",")


def extras_section_nl(c: dict) -> str:
    """The Dutch index's table of the notebooks beyond the modules: each extra's Dutch notebook
    (``notebook_nl``) with ``title_nl``, ``summary_nl`` and ``when_nl``, or the English notebook
    marked "(Engels)" while it has no Dutch twin."""
    if not c.get("extras"):
        return ""
    rows = ["| notebook | waarvoor het dient | tijd | wanneer |", "|---|---|---|---|"]
    for x in c["extras"]:
        title = x.get("title_nl") or x["title"]
        if x.get("open_slot") and "open sessie" not in title.lower():
            title += " (open sessie)"
        if x.get("notebook_nl"):
            notebook = f"[{title}]({Path(x['notebook_nl']).name})"
        else:
            notebook = f"[{title}](../{Path(x['notebook']).name}) (Engels)"
        rows.append(f"| {notebook} | {x.get('summary_nl') or x['summary']} | "
                    f"ongeveer {hours_nl(x['hours'])} u | {x.get('when_nl') or x['when']} |")
    return EXTRAS_INTRO_NL + "\n" + "\n".join(rows) + "\n\n"


def index_notebook_nl(c: dict):
    """The Dutch course index (notebooks/nl/index.ipynb): Dutch notebooks and assignments where
    course.yml names them, the English ones marked "(Engels)" otherwise."""
    rows = ["| id | module (lezen en oefenen) | wat je leert | tijd | opdracht met punten |",
            "|---|---|---|---|---|"]
    for m in c["modules"]:
        title = m.get("title_nl") or m["title"]
        if m.get("notebook_nl"):
            notebook = f"[{title}]({Path(m['notebook_nl']).name})"
        else:
            notebook = f"[{title}](../{Path(m['notebook']).name}) (Engels)"
        if m.get("assignment_nl"):
            assignment = f"[opdracht {m['id']}](../../{m['assignment_nl']})"
        else:
            assignment = f"[opdracht {m['id']}](../../{m['assignment']}) (Engels)"
        hours = hours_nl(m["hours"])
        rows.append(f"| {m['id']} | {notebook} | {m.get('summary_nl') or m['summary']} | "
                    f"ongeveer {hours} u | {assignment} |")
    text = (INTRO_NL + "\n## De modules\n\n" + "\n".join(rows) + "\n\n"
            + "De tijd van een module omvat de opdracht met punten.\n\n" + extras_section_nl(c)
            + OUTRO_NL)
    return new_notebook(cells=[new_markdown_cell(text.strip())], metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"}, "welfarelab": {"language": "nl"}})


def render_index_nl(c: dict) -> str:
    nb = index_notebook_nl(c)
    nb.cells[0].id = "cursusoverzicht"
    return nbformat.writes(nb) + "\n"


def dutch_files(module_id: str) -> dict[str, str]:
    """``notebook_nl``/``assignment_nl`` of a module from the files that exist: the one
    ``notebooks/nl/<id>-*.ipynb`` and the one ``release/<id>-nl/*.ipynb``."""
    found = {}
    notebooks = sorted((REPO / "notebooks" / "nl").glob(f"{module_id}-*.ipynb"))
    released = sorted((REPO / "release" / f"{module_id}-nl").glob("*.ipynb"))
    if len(notebooks) == 1:
        found["notebook_nl"] = notebooks[0].relative_to(REPO).as_posix()
    if len(released) == 1:
        found["assignment_nl"] = released[0].relative_to(REPO).as_posix()
    return found


def sync_nl() -> list[str]:
    """Add a ``notebook_nl``/``assignment_nl`` line to course.yml (after the module's
    ``assignment:`` line, nothing else touched) for each Dutch file that exists and is not
    listed yet; return the lines added."""
    path = REPO / "course.yml"
    listed = {m["id"]: m for m in yaml.safe_load(path.read_text(encoding="utf-8"))["modules"]}
    lines, out, added, current = path.read_text(encoding="utf-8").splitlines(), [], [], None
    for line in lines:
        out.append(line)
        match = re.match(r"  - id: (m\d\d)\s*$", line)
        if match:
            current = match[1]
        elif current and re.match(r"    assignment: ", line):
            for key, value in dutch_files(current).items():
                if not listed[current].get(key):
                    out.append(f"    {key}: {value}")
                    added.append(f"{current} {key}: {value}")
            current = None
    if added:
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return added


def render_readme(c: dict) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{readme_table(c)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    if "--sync-nl" in argv:
        for line in sync_nl():
            print(f"course.yml: {line}")
    c = course()
    targets = {REPO / "notebooks" / "index.ipynb": render_index(c),
               REPO / "notebooks" / "nl" / "index.ipynb": render_index_nl(c),
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
