"""Checks 3-6 of DESIGN.md for every assignment, through nbgrader's own Python API.

3. every source notebook validates (Validator(...).validate(path) == {});
4. every blank release notebook fails every test (Validator(invert=True));
5. release/ equals a fresh generate_assignment of source/;
6. round trip: the solution gets full marks on every auto-graded cell, the blank release 0.

Checks 3, 4 and 6 execute the notebooks (a kernel per notebook, the round trip an autograde and
feedback) and run on the run's assignments: every module in one language, English and Dutch
alternating and rotating per commit (tests/conftest.py, rotated_assignments; the Dutch twins'
code cells are the English ones, tests/test_edition_parity.py); WELFARELAB_FULL=1 runs all.
Check 5 only generates (no kernel) and runs on every assignment in both languages.
"""

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, assignment_ids, rotated_assignments
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

import welfaregrading as wg
import welfaregrading.course
import welfaregrading.demo
import welfaregrading.report
import welfaregrading.samples

ASSIGNMENTS = assignment_ids()
#: the assignments whose notebooks run here (tests/conftest.py: every module, one language each)
RUN = rotated_assignments(ASSIGNMENTS)
pytestmark = pytest.mark.slow


def course_config():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.Execute.timeout = 30
    return config


def notebooks(folder: str, aid: str):
    paths = sorted((REPO / folder / aid).glob("*.ipynb"))
    assert paths, f"{folder}/{aid} holds no notebook"
    return paths


def test_there_are_assignments():
    assert "m06" in ASSIGNMENTS
    # every module runs, in one of its languages at least
    assert {aid.removesuffix("-nl") for aid in RUN} == {aid.removesuffix("-nl") for aid in ASSIGNMENTS}


@pytest.mark.parametrize("aid", RUN)
def test_source_solutions_pass_every_test(aid, tmp_path):
    for path in notebooks("source", aid):
        # a copy, so the source folder is never written to
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        result = Validator(config=course_config()).validate(str(copy))
        assert result == {}, json.dumps(result, indent=1)[:3000]


@pytest.mark.parametrize("aid", RUN)
def test_blank_release_fails_every_test(aid, tmp_path):
    for path in notebooks("release", aid):
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        result = Validator(invert=True, config=course_config()).validate(str(copy))
        assert result == {}, f"tests that pass on the blank notebook: {result}"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_is_in_sync_with_source(aid, tmp_path):
    fresh = wg.course.fresh_release(aid, tmp_path)
    committed = REPO / "release" / aid
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert committed_files == fresh_files, "run `make release` and commit release/"
    for rel in fresh_files:
        assert (committed / rel).read_bytes() == (fresh / rel).read_bytes(), (
            f"release/{aid}/{rel} differs from a fresh generate_assignment: run `make release`")


@pytest.mark.parametrize("aid", RUN)
def test_round_trip_solution_full_marks_blank_zero(aid, tmp_path):
    course = wg.course.scratch_course(tmp_path / "course", [aid],
                                    config_lines=["c.Execute.timeout = 30"])
    release = wg.course.generate(course, aid)
    source_dir = course / "source" / aid
    for path in sorted(release.glob("*.ipynb")):
        release_nb = nbformat.read(path, as_version=4)
        source_nb = nbformat.read(source_dir / path.name, as_version=4)
        wg.samples.submit(course, aid, "solution", wg.samples.answered(release_nb, source_nb), path.name)
        wg.samples.submit(course, aid, "blank", release_nb, path.name)
    for student in ["solution", "blank"]:
        result = wg.demo.autograde(course, aid, student)
        assert result["success"], result.get("error") or result.get("log")

    solution = wg.report.cell_scores(course, aid, "solution")
    blank = wg.report.cell_scores(course, aid, "blank")
    auto = {gid for gid, cell in solution.items() if cell.auto}
    manual = set(solution) - auto
    assert auto, "the assignment has no auto-graded cell"
    assert len(auto) >= 4 and manual, "each assignment needs >= 4 auto-graded parts and a written one"
    for gid in auto:
        score, max_score = solution[gid].score, solution[gid].max_score
        assert score == max_score, f"solution lost points on {gid}: {score}/{max_score}"
        assert blank[gid][0] == 0, f"blank release scored on {gid}"
    reasons = wg.report.lost_points(course, aid, "solution")
    assert all("written answer, to be marked" in line for line in reasons), reasons
    assert len(reasons) == len(manual)

    # Feedback is written and shows neither hidden tests nor their expected values
    assert wg.demo.feedback(course, aid, "solution")["success"]
    pages = list((course / "feedback" / "solution" / aid).glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
        assert "MARK SCHEME" not in text
        for hidden in hidden_test_lines(source_dir):
            assert hidden not in text, f"hidden test text in feedback: {hidden!r}"


def hidden_test_lines(source_dir: Path) -> list[str]:
    """The lines between BEGIN and END HIDDEN TESTS in the source notebooks (long ones only)."""
    lines = []
    for path in source_dir.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) > 20:
                    lines.append(line.strip())
    return lines
