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
