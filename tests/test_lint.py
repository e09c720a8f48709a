"""Check 7 of DESIGN.md: notebook lint over every committed notebook."""

import re
import subprocess
from collections import Counter
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from conftest import REPO, repo_notebooks

NOTEBOOKS = repo_notebooks()
IDS = [str(p.relative_to(REPO)) for p in NOTEBOOKS]
LEAK_MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                "BEGIN MARK SCHEME", "END MARK SCHEME"]


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def tracked_files():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    return out.stdout.splitlines() if out.returncode == 0 else []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_valid_and_uses_the_one_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert " " not in str(path.relative_to(REPO)), "no spaces in paths"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_grade_cells_have_unique_descriptive_ids_and_points(path):
    nb = nbformat.read(path, as_version=4)
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c).get("grade_id")]
    duplicated = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicated, f"duplicated grade_id: {duplicated}"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        gid = meta.get("grade_id", "")
        assert re.fullmatch(r"m\d\d-[a-z0-9-]+", gid), f"grade_id {gid!r} is not descriptive"
        assert gid.startswith(path.parent.name + "-") or path.parent.name not in ("", "notebooks")
        if meta.get("grade"):
            assert (meta.get("points") or 0) > 0, f"grade cell {gid} has no points"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parts[-3] == "source"],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_source_notebooks_store_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "release" in p.relative_to(REPO).parts],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_release_holds_no_solution_or_hidden_test_text(path):
    text = path.read_text(encoding="utf-8")
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker} in {path}"
    # Solution code must not reach the release's code cells (a markdown example may show a line).
    release_code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                             if c.cell_type == "code")
    source = REPO / "source" / path.parent.name / path.name
    for cell in nbformat.read(source, as_version=4).cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN SOLUTION" in line:
                    inside = True
                elif "END SOLUTION" in line:
                    inside = False
                elif inside and len(line.strip()) > 15:
                    assert line.strip() not in release_code, f"solution line leaked: {line.strip()!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_linked_files_and_images_exist(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", cell.source) + \
                re.findall(r"<img[^>]+src=\"([^\"]+)\"", cell.source):
            url = urlparse(target)
            if url.scheme or target.startswith("#") or target.startswith("attachment:"):
                continue
            linked = (path.parent / unquote(url.path)).resolve()
            assert linked.exists(), f"{path.name} links to a missing file: {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_images_have_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for alt in re.findall(r"!\[([^\]]*)\]\(", cell.source):
                assert alt.strip(), f"an image in {path.name} has no alt text"
            for tag in re.findall(r"<img[^>]*>", cell.source):
                assert re.search(r'alt="[^"]+"', tag), f"an <img> in {path.name} has no alt text"


def test_no_checkpoints_or_grading_state_tracked():
    bad = [f for f in tracked_files() if re.search(
        r"(^|/)(\.ipynb_checkpoints/|gradebook\.db|submitted/|autograded/|feedback/|nbgrader\.log)", f)]
    assert not bad, f"must not be committed: {bad}"


def test_every_release_assignment_has_a_source():
    for folder in (REPO / "release").iterdir():
        assert (REPO / "source" / folder.name).is_dir(), f"release/{folder.name} has no source"
