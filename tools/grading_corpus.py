"""A corpus of damaged and hostile submissions, made from an assignment's notebooks.

    python tools/grading_corpus.py COURSE [--assignment m06]

writes ``COURSE/downloaded/<id>/archive/gradebook_<id>.zip`` (a Blackboard-style bulk download
with attempts, times and receipts) and ``COURSE/downloaded/<id>/expected.json`` (what grading
must make of each one). COURSE needs ``source/<id>/`` and ``release/<id>/`` (a scratch course
made by ``welfaregrading.course.scratch_course`` plus ``generate``). Every submission is derived
from the source and release notebooks at run time: no stored student work.

Each kind ends in a correct grade or a clear reason, and the batch goes on:
tests/grading/test_batch_corpus.py grades the whole corpus and checks every expectation.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import welfaregrading as wg
import welfaregrading.collect
import welfaregrading.samples

BRUSSELS = ZoneInfo("Europe/Brussels")
#: Due 30 March 2025, 23:59 in Brussels: summer time started that night, so it is 21:59 UTC.
DUE = "2025-03-30 23:59"
DUE_LOCAL = dt.datetime(2025, 3, 30, 23, 59, tzinfo=BRUSSELS)

ENDLESS = "while True:  # never ends\n    pass\n"
DEAF = ("import time\nwhile True:  # never ends and ignores the interrupt\n    try:\n"
        "        time.sleep(0.05)\n    except BaseException:\n        pass\n")
KILLER = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)  # ends the kernel\n"
HOG = "hog = bytearray(3 * 1024 ** 3)  # 3 GB: more than a grading kernel may use\n"
INPUT = 'rate = float(input("Which discount rate? "))\n'
HUGE = 'print("x" * 5_000_000)\nfor i in range(100_000):\n    print(i)\n'
WRITTEN = ("The ratio says nothing about who gains: a household deep in debt and one with a small "
           "arrear count the same. It leaves out dignity and trust in the OCMW, which the "
           "households named first. I would add quotes and the five impact dimensions.")
WRITTEN_UNICODE = ("Zoë schrijft: de ratio toont niet wie wint — één gezin of vele? Ελληνικά, "
                   "中文 en العربية ook: waardigheid en vertrouwen ontbreken. Dépendance, coöperatie.")


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _parts(nb):
    """(answer index, test index, points) per auto-graded test, each test paired with the code
    answer before it; and the index of each manually graded answer."""
    pairs, manual, answer = [], [], None
    for i, cell in enumerate(nb.cells):
        meta = _nbg(cell)
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            answer = i
        elif meta.get("grade") and meta.get("solution"):
            manual.append(i)
        elif meta.get("grade") and cell.cell_type == "code":
            pairs.append((answer, i, float(meta["points"])))
    return pairs, manual


def _prepend(cell, code: str) -> None:
    cell.source = code + cell.source


def _written(nb, text):
    for cell in nb.cells:
        if _nbg(cell).get("grade") and _nbg(cell).get("solution") and cell.cell_type == "markdown":
            cell.source = text
    return nb


def build(course: Path, assignment: str = "m06") -> dict:
    """Write the corpus zip and expected.json into ``course``; return the expectations."""
    course = Path(course)
    names = sorted(p.name for p in (course / "source" / assignment).glob("*.ipynb"))
    if len(names) != 1:
        raise ValueError("the corpus is made for one-notebook assignments")
    name = names[0]
    source = nbformat.read(course / "source" / assignment / name, as_version=4)
    release = nbformat.read(course / "release" / assignment / name, as_version=4)
    full = _written(wg.samples.answered(release, source), WRITTEN)
    pairs, _ = _parts(full)
    points = [p for _, _, p in pairs]
    top = sum(points)
    last_answer, last_test, last_points = pairs[-1]

    cases: list[dict] = []

    def add(student, nb=None, raw=None, expect=None, file=name, when=None, person=None,
            files=None, earlier=None):
        data = raw if raw is not None else nbformat.writes(nb).encode("utf-8")
        cases.append({"student": student, "name": person or f"Student {student}", "file": file,
                      "data": data, "when": when or DUE_LOCAL - dt.timedelta(hours=2),
                      "files": files or {}, "expect": expect, "earlier": earlier})

    manual = {"status": "needs manual grading"}
    add("c01-full", full, when=dt.datetime(2025, 3, 30, 23, 30, tzinfo=BRUSSELS),
        expect={**manual, "auto": top, "late_seconds": 0,
                "why": "the full solution, 29 minutes before the deadline in Brussels time "
                       "(late by 1.5 h if the platform's clock were read as UTC)"})
    add("c02-blank", copy.deepcopy(release),
        expect={"status": "graded", "auto": 0, "why": "the blank release, handed in unchanged"})

    nb = copy.deepcopy(full)
    del nb.cells[pairs[0][1]]
    add("c03-deleted", nb, expect={**manual, "auto": top, "note": "nbgrader put it back",
                                   "why": "a grade cell deleted"})

    nb = copy.deepcopy(full)
    nb.cells.insert(pairs[0][1] + 1, nbformat.from_dict(copy.deepcopy(dict(nb.cells[pairs[0][1]]))))
    nb.cells[pairs[0][1] + 1]["id"] = "copied-cell"
    add("c04-copied", nb, expect={**manual, "auto": top, "note": "appears more than once",
                                  "why": "a grade cell copied: its id appears twice"})

    nb = copy.deepcopy(full)
    cell = nb.cells[pairs[1][1]]
    lines = cell.source.splitlines(keepends=True)
    first = nbformat.from_dict(copy.deepcopy(dict(cell)))
    first.source, first["id"] = "".join(lines[:2]), "split-top"
    cell.source = "".join(lines[2:])
    nb.cells.insert(pairs[1][1], first)
    add("c05-split", nb, expect={**manual, "auto": top, "note": "appears more than once",
                                 "why": "a grade cell split in two: both halves carry its id"})

    nb = copy.deepcopy(full)
    cell = nb.cells[pairs[2][1]]
    nb.cells[pairs[2][1]] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata,
                                                          id=cell.get("id", "md-cell"))
    add("c06-markdown", nb, expect={**manual, "auto": top, "note": "cell type was changed",
                                    "why": "a test cell turned into markdown"})

    nb = copy.deepcopy(full)
    nb.cells[last_test].source = "pass  # my answer is right, trust me\n"
    nb.cells[last_answer].source = release.cells[last_answer].source
    add("c07-edited", nb, expect={**manual, "auto": top - last_points,
                                  "note": "locked cell was edited",
                                  "why": "a test cell emptied, with its answer left undone"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[last_answer], ENDLESS)
    add("c08-endless", nb, expect={**manual, "auto": top - last_points, "lost": "time limit",
                                   "why": "code that never ends (stopped at the cell limit)"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[pairs[2][0]], DEAF)
    add("c09-deaf", nb, expect={**manual, "auto": sum(points[:2]),
                                "note": "did not stop when it was interrupted",
                                "why": "code that never ends and ignores the interrupt: the "
                                       "tests after it score 0"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[last_answer], HOG)
    add("c10-memory", nb, expect={**manual, "auto": top - last_points, "lost": "MemoryError",
                                  "why": "code that asks for more memory than allowed"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[pairs[1][0]], KILLER)
    add("c11-killer", nb, expect={**manual, "auto": points[0], "note": "kernel stopped",
                                  "why": "code that kills the kernel: no test after it scores, "
                                         "even tests whose answers would pass"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[last_answer], INPUT)
    add("c12-input", nb, expect={**manual, "auto": top - last_points, "lost": "input()",
                                 "why": "an input() call"})

    nb = copy.deepcopy(full)
    _prepend(nb.cells[pairs[0][0]], HUGE)
    add("c13-huge", nb, expect={**manual, "auto": top, "note": "output was cut",
                                "max_bytes": 300_000, "why": "5 MB of output in one cell"})

    text = nbformat.writes(full).encode("utf-8")
    add("c14-truncated", raw=text[: len(text) // 2],
        expect={"status": "failed", "reason": "damaged or incomplete",
                "why": "a notebook file cut off half-way (invalid JSON)"})
    add("c15-empty", raw=b"", expect={"status": "failed", "reason": "empty",
                                      "why": "an empty file"})
    add("c16-binary", raw=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe" * 20,
        expect={"status": "failed", "reason": "not text",
                "why": "an image renamed to .ipynb"})

    add("c17-v3", raw=nbformat.writes(nbformat.convert(copy.deepcopy(full), 3), version=3)
        .encode("utf-8"),
        expect={**manual, "auto": top, "note": "old notebook format",
                "why": "saved in the old notebook format 3"})

    nb = copy.deepcopy(full)
    nb.metadata.pop("kernelspec", None)
    nb.metadata.pop("language_info", None)
    add("c18-nokernel", nb, expect={**manual, "auto": top, "note": "records no kernel",
                                    "why": "no kernelspec or language info"})

    add("c19-renamed", full, file=name.replace(".ipynb", " (1).ipynb"),
        expect={**manual, "auto": top, "note": "was renamed to",
                "why": "the notebook file renamed by the student's computer"})

    nb = _written(copy.deepcopy(full), WRITTEN_UNICODE)
    nb.cells[pairs[0][0]].source = "# Zoë's antwoord — 答案 — الإجابة\n" + nb.cells[pairs[0][0]].source
    add("c20-unicode", nb, person="Zoë Dupré-Łukasiewicz",
        expect={**manual, "auto": top, "text": "中文 en العربية",
                "last_name": "Dupré-Łukasiewicz",
                "why": "accents and non-Latin scripts in the name, answers and written text"})

    add("c21-late", full, when=dt.datetime(2025, 3, 31, 0, 29, tzinfo=BRUSSELS),
        expect={**manual, "auto": top, "late_seconds": 1800,
                "why": "30 minutes late in Brussels summer time (not 2 h 30 as in UTC)"})

    add("c22-twice", copy.deepcopy(release), when=DUE_LOCAL - dt.timedelta(hours=1),
        earlier={"when": DUE_LOCAL - dt.timedelta(days=1),
                 "data": nbformat.writes(full).encode("utf-8"),
                 "files": {"scratch.ipynb": nbformat.writes(full).encode("utf-8")}},
        expect={"status": "graded", "auto": 0, "note": "earlier attempt(s) ignored",
                "why": "two attempts: the full one first, then the blank one; the latest is "
                       "graded whole, nothing of the first is mixed in"})

    nb = copy.deepcopy(full)
    nb.cells[pairs[0][1]].metadata.nbgrader["points"] = 100
    add("c23-points", nb, expect={**manual, "auto": top, "note": "points were changed",
                                  "why": "a test cell's points raised from 2 to 100"})

    if assignment == "m06":  # a wrong value that passes the visible checks, not the hidden one
        nb = copy.deepcopy(full)
        nb.cells[last_answer].source = "switching_deadweight_a = 0.5\n"
        add("c24-hidden", nb, expect={**manual, "auto": top - last_points, "lost": "is not right",
                                      "secret": "0.69300",
                                      "why": "a wrong answer caught by a hidden test: the "
                                             "feedback shows its message, not its code"})

    entries = []
    for case in cases:
        if case["earlier"]:
            entries.append({"student": case["student"], "name": case["name"], "file": case["file"],
                            "data": case["earlier"]["data"], "when": case["earlier"]["when"],
                            "files": case["earlier"]["files"]})
        entries.append({k: case[k] for k in ("student", "name", "file", "data", "when", "files")})
    stray = {"README.txt": b"Downloaded from Blackboard\n",
             f"{assignment}-without-owner.ipynb": nbformat.writes(full).encode("utf-8")}
    archive = course / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    wg.collect.sample_zip(archive / f"gradebook_{assignment}.zip", assignment, "blackboard",
                       entries, extra=stray)
    expected = {"assignment": assignment, "platform": "blackboard", "due": DUE,
                "auto_max": top, "stray_files": sorted(stray),
                "students": {c["student"]: c["expect"] for c in cases}}
    (course / "downloaded" / assignment / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False), encoding="utf-8")
    return expected


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--assignment", default="m06")
    args = parser.parse_args(argv)
    expected = build(args.course, args.assignment)
    for sid, e in expected["students"].items():
        print(f"{sid:<15} {e['status']:<21} {e['why']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
