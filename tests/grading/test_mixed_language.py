"""Grading a mixed class (issue 17): some students hand in the English m00, some the Dutch
m00-nl, one hands in both, all in ONE Moodle download of m00, graded with the lecturer's command
(`make grade ASSIGNMENT=m00 PLATFORM=moodle COURSE=...` runs `python -m welfaregrading grade
m00 --platform moodle --course ...`).

Uses source/m00-nl when it exists; otherwise it builds a Dutch twin in the test's course folder
(source/m00 copied, the notebook renamed, `welfarelab.set_language("nl")` added after the
setup cell's import), which the test says in its output.

Routing is by content: the Dutch notebook of one student is uploaded under the English file
name, and an English one under a Dutch-looking name. Expected scores come from
tools/expected_scores.py (the source's own tests run with nbclient), not from the grader.
"""

import csv
import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading.collect
import welfaregrading.course
from welfaregrading import samples

sys.path.insert(0, str(REPO / "tools"))
import expected_scores as oracle

pytestmark = pytest.mark.slow
EN, NL = "m00", "m00-nl"
WHEN = dt.datetime(2025, 3, 30, 20, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def _dutch_twin(course):
    """source/m00-nl in ``course`` from source/m00: the notebook renamed and the set_language
    line added after the first welfarelab import of the first code cell (contract of issue 17)."""
    src = course / "source" / EN / "m00-warm-up.ipynb"
    nb = nbformat.read(src, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "welfarelab" in c.source)
    lines = cell.source.splitlines()
    at = next(i for i, line in enumerate(lines) if "welfarelab" in line and "import" in line)
    extra = [] if lines[at].startswith("import welfarelab") else ["import welfarelab"]
    cell.source = "\n".join(lines[:at + 1] + extra + ['welfarelab.set_language("nl")']
                            + lines[at + 1:])
    (course / "source" / NL).mkdir(parents=True)
    nbformat.write(nb, course / "source" / NL / "m00-opwarming-tweeling.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mixed")
    real_nl = (REPO / "source" / NL).is_dir() and any((REPO / "source" / NL).glob("*.ipynb"))
    course = welfaregrading.course.scratch_course(
        tmp / "course", [EN, NL] if real_nl else [EN], config_lines=["c.Execute.timeout = 30"])
    if not real_nl:
        print("\nsource/m00-nl does not exist: grading a Dutch twin built from source/m00")
        _dutch_twin(course)
    release = {aid: welfaregrading.course.generate(course, aid) for aid in (EN, NL)}
    names = {aid: min(p.name for p in release[aid].glob("*.ipynb")) for aid in (EN, NL)}

    def kinds(aid):
        made = {s.student.split("-")[1]: s.notebook
                for s in samples.sample_submissions(release[aid], course / "source" / aid)}
        return made["full"], made["wrong"]

    en_full, en_wrong = kinds(EN)
    nl_full, nl_wrong = kinds(NL)
    data = {k: nbformat.writes(v).encode() for k, v in
            {"en_full": en_full, "en_wrong": en_wrong, "nl_full": nl_full,
             "nl_wrong": nl_wrong}.items()}
    # Moodle participant ids; each student's own file names (never trusted for the language)
    entries = [
        {"student": "201", "name": "Anna English", "file": "opwarming-anna.ipynb",
         "data": data["en_full"], "when": WHEN},
        {"student": "202", "name": "Bram Nederlands", "file": names[EN],  # Dutch under EN name
         "data": data["nl_full"], "when": WHEN},
        {"student": "203", "name": "Chloé Deels", "file": "mijn opdracht.ipynb",
         "data": data["nl_wrong"], "when": WHEN},
        # both: first the English (partly wrong), then the Dutch (full): Moodle lists a
        # student's files in upload order, so the Dutch one is the later
        {"student": "204", "name": "Dries Beide", "file": names[EN], "data": data["en_wrong"],
         "files": {names[NL]: data["nl_full"]}, "when": WHEN},
    ]
    welfaregrading.collect.sample_zip(course / "downloaded" / EN / "archive" / "m00.zip", EN,
                                      "moodle", entries)
    done = subprocess.run([sys.executable, "-m", "welfaregrading", "grade", EN, "--course",
                           str(course), "--platform", "moodle", "--workers", "1", "--quiet"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    expect = {key: oracle.expected_score(course / "source" / (NL if key.startswith("nl") else EN),
                                         value) for key, value in data.items()}
    return {"course": course, "done": done, "expect": expect, "names": names}


def _grades(course):
    wd = course / "build" / "grading" / EN
    with open(wd / f"grades-{EN}.csv", newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def test_the_grade_command_grades_both_editions(graded):
    done = graded["done"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Collected 4 students from the moodle download" in done.stdout
    course = graded["course"]
    names = graded["names"]
    # routed by content: the Dutch notebooks (whatever their file name) to m00-nl
    assert (course / "submitted" / "201" / EN / names[EN]).is_file()
    assert not (course / "submitted" / "201" / NL).exists()
    for sid in ("202", "203"):
        assert (course / "submitted" / sid / NL / names[NL]).is_file(), sid
        assert not (course / "submitted" / sid / EN).exists(), sid
    assert (course / "submitted" / "204" / EN / names[EN]).is_file()
    assert (course / "submitted" / "204" / NL / names[NL]).is_file()


def test_one_grades_file_with_real_scores_and_the_language(graded):
    course, expect = graded["course"], graded["expect"]
    rows = _grades(course)
    wd = course / "build" / "grading" / EN
    assert not (wd.parent / NL / f"grades-{NL}.csv").exists()  # ONE grades file per module
    assert sorted(rows) == ["201", "202", "203", "204"]
    want = {"201": ("en_full", "en", EN), "202": ("nl_full", "nl", NL),
            "203": ("nl_wrong", "nl", NL), "204": ("nl_full", "nl", NL)}
    for sid, (key, language, aid) in want.items():
        row = rows[sid]
        assert float(row["score"]) == pytest.approx(expect[key].score), (sid, row)
        assert row["language"] == language and row["assignment"] == aid, row
        assert float(row["max_score"]) == pytest.approx(expect[key].max_score)
    assert expect["nl_wrong"].score < expect["nl_full"].score  # the partly wrong one lost points
    # both handed in: both graded, the later (Dutch) counts, and the reason says so with both
    both = rows["204"]["reason"]
    assert "both editions" in both and "m00-nl" in both and "later" in both
    assert f"{expect['en_wrong'].score:g}/" in both and f"{expect['nl_full'].score:g}/" in both
    assert "both editions" not in rows["201"]["reason"] + rows["202"]["reason"]
    # the platform's import file: one row per student with the same scores
    with open(wd / f"moodle-grading-worksheet-{EN}.csv", newline="", encoding="utf-8") as fh:
        sheet = {r["Identifier"].removeprefix("Participant "): r for r in csv.DictReader(fh)}
    for sid in want:
        assert float(sheet[sid]["Grade"]) == pytest.approx(float(rows[sid]["score"])), sid


def test_feedback_is_in_the_language_handed_in(graded):
    course, names = graded["course"], graded["names"]
    en_title = next(c.source for c in nbformat.read(course / "source" / EN / names[EN], 4).cells
                    if c.cell_type == "markdown").splitlines()[0]
    nl_source = min((course / "source" / NL).glob("*.ipynb"))
    nl_title = next(c.source for c in nbformat.read(nl_source, 4).cells
                    if c.cell_type == "markdown").splitlines()[0]
    stem = {aid: names[aid].removesuffix(".ipynb") for aid in (EN, NL)}
    pages = {sid: course / "feedback" / sid / aid / f"{stem[aid]}.html"
             for sid, aid in [("201", EN), ("202", NL), ("203", NL), ("204", NL)]}
    for page in pages.values():
        assert page.is_file(), page
    assert (course / "feedback" / "204" / EN / f"{stem[EN]}.html").is_file()  # both graded
    import html

    if nl_title != en_title:  # the real Dutch edition: its own words in the feedback
        text = html.unescape(pages["202"].read_text(encoding="utf-8"))
        assert nl_title.lstrip("# ").strip() in text
        assert en_title.lstrip("# ").strip() not in text
    english = html.unescape(pages["201"].read_text(encoding="utf-8"))
    assert en_title.lstrip("# ").strip() in english
    # the Dutch feedback shows the Dutch edition's setup line (the notebook graded is Dutch)
    assert "set_language" in html.unescape(pages["203"].read_text(encoding="utf-8"))


# ---- the routing rule on its own (fast): content decides, comments and strings do not --------

def _nb(tmp_path, setup: str, ids=("m00-values",), tag=None, name="x.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(setup)]
    for gid in ids:
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.metadata["nbgrader"] = {"grade_id": gid, "grade": True, "points": 2,
                                     "solution": False, "locked": True, "schema_version": 3}
        nb.cells.append(cell)
    if tag:
        nb.metadata["welfarelab"] = {"language": tag}
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("setup,ids,tag,want", [
    ('import welfarelab\nwelfarelab.set_language("nl")', ("m00-values",), None, "nl"),
    ("import welfarelab\nwelfarelab.set_language('nl')  # Nederlands", ("m00-values",), None, "nl"),
    ('import welfarelab\n# welfarelab.set_language("nl")', ("m00-values",), None, "en"),
    ('print("welfarelab.set_language(\'nl\')")', ("m00-values",), None, "en"),
    ("import welfarelab", ("m00-values",), "nl", "nl"),
    ("import welfarelab", ("m00-values",), None, "en"),
    ('import welfarelab\nwelfarelab.set_language("nl")', ("m05-other",), None, None),
])
def test_notebook_language_reads_the_content(tmp_path, setup, ids, tag, want):
    from welfaregrading.editions import notebook_language

    path = _nb(tmp_path, setup, ids, tag, name="m00-warm-up.ipynb")
    assert notebook_language(path, {"m00-values", "m00-list"}) == want


def test_notebook_language_refuses_what_it_cannot_read_safely(tmp_path):
    from welfaregrading.editions import notebook_language

    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    deep = tmp_path / "deep.ipynb"
    deep.write_text("[" * 5000 + "]" * 5000)
    link = tmp_path / "link.ipynb"
    link.symlink_to(_nb(tmp_path, 'import welfarelab\nwelfarelab.set_language("nl")'))
    for path in (broken, deep, link):
        assert notebook_language(path, {"m00-values"}) is None, path


def test_the_dutch_release_has_dutch_stubs_and_the_language_tag(graded):
    """`release m00-nl` (generate in the course): nbgrader's answer stubs in Dutch (set per
    release run, welfaregrading/editions.py STUBS) and metadata.welfarelab.language."""
    from welfaregrading.editions import STUBS

    course, names = graded["course"], graded["names"]
    nl = nbformat.read(course / "release" / NL / names[NL], 4)
    en = nbformat.read(course / "release" / EN / names[EN], 4)
    assert nl.metadata["welfarelab"] == {"language": "nl", "assignment": NL}
    assert "welfarelab" not in en.metadata  # the English release is left as it was
    nl_text = "\n".join(c.source for c in nl.cells)
    en_text = "\n".join(c.source for c in en.cells)
    assert STUBS["nl"]["code_stub"]["python"] in nl_text and STUBS["nl"]["text_stub"] in nl_text
    assert "YOUR ANSWER HERE" not in nl_text and "JOUW ANTWOORD HIER" not in en_text


def test_the_module_summary_has_one_line_per_student_as_the_grades_file(graded):
    """build/grading/m00/summary.txt (printed at the end of the grade command): each student's
    language and the score that counts; 204 (both) with both scores, which counts and why."""
    course, expect = graded["course"], graded["expect"]
    text = (course / "build" / "grading" / EN / "summary.txt").read_text(encoding="utf-8")
    assert text.splitlines()[0] in graded["done"].stdout.rsplit("== autograde", 1)[-1]
    lines = {line.split()[0]: line for line in text.split("\n\n")[0].splitlines()[2:]}
    assert sorted(lines) == ["201", "202", "203", "204"]
    rows = _grades(course)
    for sid, line in lines.items():
        words = line.split()
        assert rows[sid]["language"] in words, line
        score = f"{float(rows[sid]['score']):g}/{float(rows[sid]['max_score']):g}"
        assert score in words, (line, rows[sid])
    pts = {k: f"{v.score:g}/{v.max_score:g}" for k, v in expect.items()}
    assert lines["204"].endswith(f"both: {EN} {pts['en_wrong']}, {NL} {pts['nl_full']}; "
                                 f"{NL} counts"), lines["204"]
    why = text.split("\n204:\n", 1)[1]
    assert f"  * handed in both editions ({EN} {pts['en_wrong']}, {NL} {pts['nl_full']}): " \
           f"the later one, {NL}, counts (" in why
    assert "both:" not in lines["201"] + lines["202"] + lines["203"]
