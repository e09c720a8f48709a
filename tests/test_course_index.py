"""The course index links every module notebook and every assignment."""

import re
from pathlib import Path

import nbformat
from conftest import REPO

INDEX = REPO / "notebooks" / "index.ipynb"


def index_links():
    text = "\n".join(c.source for c in nbformat.read(INDEX, as_version=4).cells)
    return set(re.findall(r"\]\(([^)\s]+)\)", text))


def test_index_links_every_module_notebook():
    links = index_links()
    for path in sorted((REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb")):
        assert path.name in links, f"the course index does not link {path.name}"


def test_index_links_every_release_assignment():
    links = index_links()
    for path in sorted((REPO / "release").glob("m[0-9][0-9]/*.ipynb")):
        assert f"../release/{path.parent.name}/{path.name}" in links, f"index misses {path}"


def test_index_links_resolve():
    for link in index_links():
        if "://" not in link:
            assert (INDEX.parent / link).exists(), link


def test_index_and_readme_are_generated_from_course_yml():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "tools/course_pages.py", "--check"], cwd=REPO, check=False,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_course_yml_lists_every_module_and_its_files():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    listed = {m["notebook"] for m in course["modules"]}
    for path in sorted((REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb")):
        assert f"notebooks/{path.name}" in listed, f"course.yml does not list {path.name}"
    for m in course["modules"]:
        assert (REPO / m["notebook"]).exists() and (REPO / m["assignment"]).exists(), m["id"]
        assert course["repository"].startswith("https://github.com/")


def test_readme_has_a_binder_launch_link_per_module():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    readme = (REPO / "README.md").read_text()
    for m in course["modules"]:
        assert f"?urlpath=lab/tree/{m['notebook']})" in readme


def test_index_and_course_yml_carry_every_notebook_beyond_the_modules():
    """Every notebooks/x-*.ipynb is an extra in course.yml, linked from the index and README."""
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    extras = {x["notebook"]: x for x in course.get("extras", [])}
    found = sorted((REPO / "notebooks").glob("x-*.ipynb"))
    assert found, "no notebooks/x-*.ipynb: the interview, teamwork and open-slot notebooks"
    links = index_links()
    readme = (REPO / "README.md").read_text()
    for path in found:
        key = f"notebooks/{path.name}"
        assert key in extras, f"course.yml has no extra for {path.name}"
        assert path.name in links, f"the course index does not link {path.name}"
        assert f"?urlpath=lab/tree/{key})" in readme, f"README has no launch link for {path.name}"
        assert "assignment" not in extras[key], f"{path.name}: an extra has no assignment"
    # exactly one open slot, the schedule's session whose topic the group chooses (seed 4.2/4.3)
    assert [x["id"] for x in extras.values() if x.get("open_slot")] == ["x-open-slot"]


# ---- the Dutch edition (issue 17): notebooks/nl/index.ipynb and README's Dutch column --------

INDEX_NL = REPO / "notebooks" / "nl" / "index.ipynb"


def index_nl_rows() -> dict[str, str]:
    """{module id: its table row} of the Dutch index."""
    text = "\n".join(c.source for c in nbformat.read(INDEX_NL, as_version=4).cells)
    return {m[1]: m[0] for m in re.finditer(r"^\| (m\d\d) \|.*$", text, re.MULTILINE)}


def test_dutch_index_links_dutch_files_where_they_exist_and_english_ones_marked_otherwise():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    rows = index_nl_rows()
    assert sorted(rows) == sorted(m["id"] for m in course["modules"])
    for m in course["modules"]:
        row = rows[m["id"]]
        assert m["title_nl"] in row and m["summary_nl"] in row, m["id"]
        links = re.findall(r"\]\(([^)\s]+)\)", row)
        assert all((INDEX_NL.parent / link).resolve().exists() for link in links), (m["id"], links)
        if m.get("notebook_nl"):
            assert f"]({Path(m['notebook_nl']).name})" in row
        else:
            assert f"](../{Path(m['notebook']).name}) (Engels)" in row
        if m.get("assignment_nl"):
            assert f"](../../{m['assignment_nl']})" in row and "opdracht" in row
        else:
            assert f"](../../{m['assignment']}) (Engels)" in row


def test_every_dutch_file_is_in_course_yml_and_every_listed_one_exists():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    listed = {m.get("notebook_nl") for m in course["modules"]}
    for path in sorted((REPO / "notebooks" / "nl").glob("m[0-9][0-9]-*.ipynb")):
        assert f"notebooks/nl/{path.name}" in listed, \
            f"course.yml has no notebook_nl for {path.name}: python tools/course_pages.py --sync-nl"
    assigned = {m.get("assignment_nl") for m in course["modules"]}
    for path in sorted((REPO / "release").glob("m[0-9][0-9]-nl/*.ipynb")):
        assert path.relative_to(REPO).as_posix() in assigned, \
            f"course.yml has no assignment_nl for {path}: python tools/course_pages.py --sync-nl"
    for m in course["modules"]:
        for key in ("notebook_nl", "assignment_nl"):
            assert not m.get(key) or (REPO / m[key]).exists(), (m["id"], key)
        assert m["title_nl"].strip() and m["summary_nl"].strip(), m["id"]
        assert m["title_nl"] != m["title"], f"{m['id']}: title_nl is the English title"


def test_readme_has_a_dutch_column_and_the_english_index_links_the_dutch_one():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    readme = (REPO / "README.md").read_text()
    assert "| assignment | Nederlands |" in readme
    for m in course["modules"]:
        row = next(line for line in readme.splitlines() if line.startswith(f"| {m['id']} |"))
        if m.get("notebook_nl"):
            assert f"[notebook]({m['notebook_nl']})" in row
        if m.get("assignment_nl"):
            assert f"[{m['id']}-nl]({m['assignment_nl']})" in row
        if not (m.get("notebook_nl") or m.get("assignment_nl")):
            assert row.rstrip().endswith("| not yet |")
    assert "nl/index.ipynb" in index_links()


# ---- the Dutch twins of the notebooks beyond the modules (issue 17) --------------------------

def index_nl_extra_rows() -> list[str]:
    """The rows of the Dutch index's table of the notebooks beyond the modules."""
    text = "\n".join(c.source for c in nbformat.read(INDEX_NL, as_version=4).cells)
    section = text.split("## Naast de modules", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| [")]


def test_every_extra_has_a_dutch_twin_with_dutch_texts():
    """Each extra names its Dutch notebook (notebooks/nl/x-*.ipynb, which exists) and Dutch
    title, summary and place in the schedule; every notebooks/nl/x-*.ipynb is one of them."""
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    extras = course["extras"]
    twins = {x["notebook_nl"] for x in extras}
    found = {f"notebooks/nl/{p.name}" for p in (REPO / "notebooks" / "nl").glob("x-*.ipynb")}
    assert found == twins, (found, twins)
    assert len(twins) == len(extras) == 3
    for x in extras:
        assert (REPO / x["notebook_nl"]).exists(), x["id"]
        assert Path(x["notebook_nl"]).name.startswith("x-"), x["id"]
        for key in ("title", "summary", "when"):
            assert x[f"{key}_nl"].strip() and x[f"{key}_nl"] != x[key], (x["id"], key)


def test_dutch_index_lists_the_dutch_extras_and_readme_links_them():
    import yaml

    course = yaml.safe_load((REPO / "course.yml").read_text())
    rows = index_nl_extra_rows()
    assert len(rows) == len(course["extras"]) == 3
    readme = (REPO / "README.md").read_text()
    for x, row in zip(course["extras"], rows):
        # the Dutch notebook, its Dutch texts and the hours the Belgian way; no English link
        assert row.startswith(f"| [{x['title_nl']}]({Path(x['notebook_nl']).name}) |"), row
        assert x["summary_nl"] in row and x["when_nl"] in row, x["id"]
        assert f"| ongeveer {str(x['hours']).replace('.', ',')} u |" in row, row
        assert "(Engels)" not in row and f"](../{Path(x['notebook']).name})" not in row, row
        links = re.findall(r"\]\(([^)\s]+)\)", row)
        assert all((INDEX_NL.parent / link).resolve().exists() for link in links), links
        readme_row = next(line for line in readme.splitlines() if line.startswith(f"| {x['id']} |"))
        assert readme_row.endswith(f"| [notebook]({x['notebook_nl']}) |"), readme_row
    assert "x-teamwerk.ipynb" in rows[1] and "ongeveer 1,5 u" in rows[1]


def test_dutch_index_falls_back_to_the_english_extra_marked_engels():
    """An extra without a Dutch twin yet: the Dutch index links the English notebook, marked
    "(Engels)", with the English texts; README's Dutch column says "not yet"."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_pages", REPO / "tools" / "course_pages.py")
    pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages)
    c = {"repository": "https://github.com/o/r", "ref": "HEAD", "modules": [], "extras": [
        {"id": "x-new", "title": "A new extra", "notebook": "notebooks/x-new.ipynb",
         "hours": 2.5, "when": "week 4", "summary": "Something new.", "open_slot": True}]}
    section = pages.extras_section_nl(c)
    assert ("| [A new extra (open sessie)](../x-new.ipynb) (Engels) | Something new. | "
            "ongeveer 2,5 u | week 4 |") in section
    assert pages.readme_table(c).splitlines()[-1].endswith("| open slot, no assignment | not yet |")
    assert pages.extras_section_nl({"extras": []}) == ""
