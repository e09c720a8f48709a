"""Every student a row: the class list from the platform's own gradebook export, joined with the
download, the collect report and nbgrader's gradebook.

The lecturer may put the platform's gradebook export of the course in
``downloaded/<id>/gradebook/`` (the newest file there is read):

=============  ================================================================================
platform       file, and where its layout comes from
=============  ================================================================================
canvas         Gradebook → Export → "Export Entire Gradebook" (CSV): ``Student, ID, SIS User ID,
               SIS Login ID[, Integration ID][, Root Account], Section``, custom columns, then one
               column per assignment ``<title> (<assignment id>)`` and the totals; a second row
               ``Points Possible`` and sometimes a ``Muted``/``Manual Posting`` row. The columns are
               read as Canvas's own importer reads them (canvas-lms
               app/models/gradebook_importer.rb: ``row_has_student_headers?``,
               ``update_column_count``, ``check_for_non_student_row``); comma or semicolon
               separated, UTF-8 with or without a byte-order mark.
moodle         Assignment → "Download grading worksheet" (mod/assign/gradingtable.php when
               downloading): ``Identifier`` (``Participant <id>``, the id of the submission
               download's folder names), ``Full name`` (left out under anonymous submissions),
               identity fields, ``Status``, ``Grade``, ``Maximum Grade``, ``Grade can be changed``,
               ``Last modified (submission)``, ``Last modified (grade)``, ``Feedback comments``
               (strings from mod/assign/lang/en/assign.php; the upload matches on Identifier,
               mod/assign/feedback/offline/importgradeslib.php).
blackboard     Grade Centre → Work Offline → Download: ``Last Name, First Name, Username, Student ID,
               Last Access, Availability`` and one column per item ``<name> [Total Pts: <n> ...]
               |<column id>``, tab-delimited UTF-16 ``.xls`` or comma-separated ``.csv``
               (Blackboard Learn help, "Uploading or Downloading Grade Center Items for Working
               Offline", library.blackboard.com; example file: github.com/nbeaver/
               offline-grades-upload 01.tsv).
=============  ================================================================================

The student's id is the one the platform also writes in its submission download (Canvas user id,
Moodle participant number, Blackboard username), so roster and download meet on it. Ids are
checked with :func:`welfaregrading.collect.check_student_id`; a row with an unusable id is left
out and listed in :attr:`RosterFile.problems`.

:func:`class_rows` is the one list the grades CSV, the platform exports and the summary share.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from welfaregrading import fs

#: Folder (under downloaded/<id>/) where the lecturer puts the platform's gradebook export.
ROSTER_FOLDER = "gradebook"
#: File kinds read as a gradebook export (Blackboard's ".xls" is tab-delimited text).
ROSTER_SUFFIXES = (".csv", ".xls", ".txt", ".tsv")
#: A gradebook export is small; anything bigger is not one.
MAX_ROSTER_BYTES = 20 * 1024 * 1024
PLATFORMS = ("canvas", "moodle", "blackboard")

#: Statuses a class row can have: the grading run's four (welfaregrading/runfiles.py STATUSES)
#: and three for students whose work was never graded.
NOT_GRADED_YET = "not graded yet"
NOTHING_TO_GRADE = "nothing to grade"
NO_SUBMISSION = "no submission"
#: Statuses whose score stays empty in every export: nothing could be graded, grading failed,
#: or the run flagged the submission for review (a grader looks first).
NO_SCORE = ("failed", "flagged for review", NOT_GRADED_YET, NOTHING_TO_GRADE, NO_SUBMISSION)

# Canvas: the student-information headers its importer knows (gradebook_importer.rb
# GRADEBOOK_IMPORTER_RESERVED_NAMES) and the rows that hold no student (check_for_non_student_row).
CANVAS_INFO = ("Student", "LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID", "Section",
               "Integration ID", "Root Account")
CANVAS_NON_STUDENT = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)
# Moodle: get_string('hiddenuser', 'assign') = 'Participant ' before the participant number
# (gradingtable.php col_recordid); the importer strips that prefix and reads the number.
MOODLE_IDENTIFIER = re.compile(r"^\D*?(\d+)\s*$")


class RosterError(ValueError, RuntimeError):
    """The gradebook export cannot be read (unknown layout, wrong platform, damaged file).
    A ValueError (bad input) that is also a RuntimeError, so the command line's "a step that
    cannot go on" handler prints it without a traceback (exit code 1)."""


@dataclass(frozen=True)
class RosterStudent:
    """One student of the platform's gradebook export.

    ``student_id`` is the id the platform writes in its submission download; ``platform_fields``
    is the student's whole row, by column header, as the platform wrote it.
    """

    student_id: str
    first_name: str
    last_name: str
    platform_fields: dict = field(default_factory=dict)


@dataclass
class RosterFile:
    """A gradebook export as read: its platform, header, students, the rows that describe the
    columns (Canvas's ``Points Possible``), and the rows left out with why."""

    path: Path
    platform: str
    header: list[str]
    students: list[RosterStudent]
    info_rows: list[list[str]] = field(default_factory=list)
    delimiter: str = ","
    problems: list[str] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        """The index of the column headed ``name`` (exactly), or None."""
        return self.header.index(name) if name in self.header else None


def _decode(data: bytes, name: str) -> str:
    """Text of a gradebook export: UTF-16 (Blackboard's .xls, with a byte-order mark or plainly
    full of NULs), UTF-8 with or without a byte-order mark, else Windows-1252 (an export saved
    again by a spreadsheet)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:200]:
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise RosterError(f"{name}: not text in UTF-8, UTF-16 or Windows-1252 ({err})") from err


def _delimiter(text: str) -> str:
    """Comma, semicolon (Canvas's "use semicolons" setting) or tab (Blackboard's .xls): the one
    that splits the header line into the most columns."""
    first = text.splitlines()[0] if text else ""
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def detect_platform(header: list[str]) -> str | None:
    """Which platform wrote a gradebook export with this header row, or None."""
    if len(header) > 3 and "Student" in header[0] and "ID" in header[1]:
        return "canvas"  # gradebook_importer.rb row_has_student_headers?
    if len(header) > 4 and "LastName" in header[0] and "FirstName" in header[1]:
        return "canvas"
    if "Username" in header and ("Last Name" in header or "First Name" in header):
        return "blackboard"
    if header and (header[0] == "Identifier" or "Last modified (grade)" in header):
        return "moodle"
    return None


def _split_name(name: str) -> tuple[str, str]:
    """First and last name from one display name ("Zoë Dupré" → "Zoë", "Dupré")."""
    first, _, last = name.strip().partition(" ")
    return (first, last) if last else ("", first)


def read_roster_file(path: Path, platform: str | None = None) -> RosterFile:
    """Read one gradebook export (see the module docstring for the three layouts).

    ``platform`` (canvas, moodle, blackboard) is checked against the file's own header.
    Raises :class:`RosterError` (a ValueError) naming the file when it is too big, not text,
    has no header of a known platform, or is another platform's than ``platform``.
    """
    path = Path(path)
    if platform is not None and platform not in PLATFORMS:
        raise RosterError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
    try:
        data = fs.read_limited(path, MAX_ROSTER_BYTES)
    except fs.UnsafeTree as err:
        raise RosterError(f"gradebook export {path.name}: {err}") from err
    text = _decode(data, path.name)
    delimiter = _delimiter(text)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise RosterError(f"gradebook export {path.name} is empty")
    header = [cell.strip() for cell in rows[0]]
    found = detect_platform(header)
    if found is None:
        raise RosterError(
            f"gradebook export {path.name}: its header ({', '.join(header[:6])}...) is not a "
            "Canvas gradebook export, a Moodle grading worksheet or a Blackboard Grade Centre "
            "download. Download it again with the platform's language set to English (the "
            "course reads the platforms' English column names)")
    if platform is not None and found != platform:
        raise RosterError(f"gradebook export {path.name} looks like a {found} file, not "
                          f"{platform}: put the {platform} gradebook export there, or grade "
                          f"with PLATFORM={found}")
    roster = RosterFile(path, found, header, [], delimiter=delimiter)
    reader = {"canvas": _canvas_student, "moodle": _moodle_student,
              "blackboard": _blackboard_student}[found]
    seen = set()
    from welfaregrading.collect import check_student_id

    for number, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
        if found == "canvas" and (row[0].strip().endswith("Points Possible")
                                  or all(CANVAS_NON_STUDENT.match(c or "") for c in row)):
            roster.info_rows.append(row)
            continue
        student = reader(header, row, cells)
        if student is None:
            roster.problems.append(f"row {number}: no student id")
            continue
        problem = check_student_id(student.student_id)
        if problem:
            roster.problems.append(f"row {number}: {problem}; left out")
            continue
        if student.student_id in seen:
            roster.problems.append(f"row {number}: student {student.student_id} appears twice; "
                                   "the first row is used")
            continue
        seen.add(student.student_id)
        roster.students.append(student)
    return roster


def _canvas_student(header, row, cells) -> RosterStudent | None:
    last_first = header[0].startswith("LastName")
    sid = (row[2] if last_first else row[1]).strip() if len(row) > 2 else ""
    if not sid:
        return None
    if last_first:
        last, first = row[0].strip(), row[1].strip()
    else:  # "Student" is Canvas's sortable name, "Last, First"
        last, _, first = row[0].strip().partition(",")
        last, first = last.strip(), first.strip()
    return RosterStudent(sid, first, last, cells)


def _moodle_student(header, row, cells) -> RosterStudent | None:
    match = MOODLE_IDENTIFIER.match(row[0]) if row else None
    if not match:
        return None
    first, last = _split_name(cells.get("Full name", ""))
    return RosterStudent(match.group(1), first, last, cells)


def _blackboard_student(header, row, cells) -> RosterStudent | None:
    sid = cells.get("Username", "").strip()
    if not sid:
        return None
    return RosterStudent(sid, cells.get("First Name", "").strip(),
                         cells.get("Last Name", "").strip(), cells)


def roster_path(course: Path, assignment: str) -> Path | None:
    """The gradebook export to read: the newest file in ``downloaded/<id>/gradebook/`` with a
    suffix of :data:`ROSTER_SUFFIXES` (links are not followed), or None."""
    folder = Path(course) / "downloaded" / assignment / ROSTER_FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return None
    files = [p for p in folder.iterdir() if p.suffix.lower() in ROSTER_SUFFIXES
             and p.is_file() and not p.is_symlink()]
    return max(files, key=lambda p: (p.stat().st_mtime, p.name)) if files else None


def load_roster_file(course: Path, assignment: str, platform: str | None = None
                     ) -> RosterFile | None:
    """:func:`read_roster_file` of :func:`roster_path`, or None when there is no export."""
    path = roster_path(course, assignment)
    return read_roster_file(path, platform) if path else None


def load_roster(course: Path, assignment: str, platform: str | None = None) -> list[RosterStudent]:
    """The students of the platform's gradebook export in ``downloaded/<id>/gradebook/`` (an
    empty list when there is none). Raises :class:`RosterError` when the file cannot be read or
    is another platform's than ``platform``."""
    roster = load_roster_file(course, assignment, platform)
    return roster.students if roster else []


# -- the class list ----------------------------------------------------------------------------

@dataclass
class Facts:
    """What nbgrader's gradebook says about one submission (see :func:`gradebook_facts`)."""

    score: float
    needs_manual_grade: bool = False
    late_seconds: float = 0.0
    timestamp: str | None = None
    first_name: str = ""
    last_name: str = ""


def gradebook_facts(assignment_obj) -> tuple[dict[str, Facts], float | None]:
    """Per student id the :class:`Facts` of an nbgrader ``Assignment`` (from
    :class:`nbgrader.api.Gradebook`): score minus the late penalty (never below 0), whether a
    written answer waits for marking, seconds late, time handed in; and the assignment's maximum
    score. Attributes are read with defaults, so a stand-in object works in tests."""
    facts = {}
    for sub in assignment_obj.submissions:
        student = sub.student
        stamp = getattr(sub, "timestamp", None)
        facts[str(student.id)] = Facts(
            score=max(0.0, (sub.score or 0.0) - (getattr(sub, "late_submission_penalty", 0) or 0)),
            needs_manual_grade=bool(getattr(sub, "needs_manual_grade", False)),
            late_seconds=float(getattr(sub, "total_seconds_late", 0) or 0),
            timestamp=stamp.isoformat() if hasattr(stamp, "isoformat") else None,
            first_name=getattr(student, "first_name", None) or "",
            last_name=getattr(student, "last_name", None) or "")
    return facts, getattr(assignment_obj, "max_score", None)


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _collected(info: dict) -> tuple[bool | None, str]:
    """(gradable, reason) of one student of the collect report; gradable None when the report
    does not say (an older report: then a notebook in ``files`` means gradable)."""
    gradable = info.get("gradable")
    reason = info.get("reason") or ""
    if gradable is None and "files" in info:
        gradable = bool(info.get("files"))
        if not gradable:
            reason = reason or next((n for n in info.get("notes", []) if "no notebook" in n),
                                    "no notebook of the assignment in the latest attempt")
    return gradable, reason


def _late(info: dict) -> bool | None:
    """The platform's own late mark from the collect report (``late``; older reports only say it
    in a note), or None when the platform says nothing."""
    if isinstance(info.get("late"), bool):
        return info["late"]
    if any("marks this submission as late" in n for n in info.get("notes", [])):
        return True
    return None


def merge_rows(course: Path, assignment: str, facts: dict[str, Facts], max_score: float | None,
               roster: list[RosterStudent] | None = None) -> list[dict]:
    """One row per student of the roster, the download (collect report), ``submitted/`` and the
    gradebook (``facts`` from :func:`gradebook_facts`). See :func:`class_rows` for the keys."""
    course = Path(course)
    report = _load(course / "downloaded" / assignment / "collect-report.json").get("students", {})
    report = report if isinstance(report, dict) else {}
    state = _load(course / "build" / "grading" / assignment / "state.json").get("students", {})
    state = state if isinstance(state, dict) else {}
    base = course / "submitted"
    submitted = {p.parent.name for p in base.glob(f"*/{assignment}")} if base.is_dir() else set()
    roster = roster or []
    by_roster = {s.student_id: s for s in roster}
    ids = list(by_roster) + sorted((set(report) | submitted | set(facts)) - set(by_roster))
    rows = []
    for sid in ids:
        info = report.get(sid) if isinstance(report.get(sid), dict) else {}
        entry = state.get(sid) if isinstance(state.get(sid), dict) else {}
        fact = facts.get(sid)
        person = by_roster.get(sid)
        first, last = (person.first_name, person.last_name) if person else ("", "")
        if not (first or last):
            first, last = info.get("first_name") or "", info.get("last_name") or ""
        if not (first or last) and info.get("name"):
            first, last = _split_name(str(info["name"]))
        if not (first or last) and fact:
            first, last = fact.first_name, fact.last_name
        gradable, collect_reason = _collected(info)
        folder = course / "autograded" / sid / assignment
        score, reason, status = None, "", None
        if fact is not None and entry.get("status") == "failed":
            status, reason = "failed", entry.get("reason") or "grading failed (see the summary)"
        elif fact is not None and entry.get("status") == "flagged for review":
            status = "flagged for review"
            reason = "; ".join(entry.get("flags") or []) or "signs of tampering while grading"
        elif fact is not None and folder.is_dir() and not folder.is_symlink():
            score = fact.score
            status = "needs manual grading" if fact.needs_manual_grade else "graded"
            if fact.needs_manual_grade:
                reason = "written answers still to be marked; they count 0 until then"
        elif fact is not None or sid in submitted:
            status = "failed" if entry.get("status") == "failed" else NOT_GRADED_YET
            reason = entry.get("reason") or "not graded yet: run the autograde step"
        elif info and gradable is False:
            status, reason = NOTHING_TO_GRADE, collect_reason or "nothing gradable in the download"
        elif info:
            status, reason = NOT_GRADED_YET, "collected but not graded yet: run the autograde step"
        else:
            status, reason = NO_SUBMISSION, "no submission in the platform's download"
        late = _late(info)
        late_seconds = fact.late_seconds if fact else 0.0
        if late_seconds > 0:
            late = True
        elif late is None and fact is not None and fact.timestamp:
            late = False
        rows.append({
            "student_id": sid, "platform_id": str(info.get("platform_id") or sid),
            "first_name": first, "last_name": last, "score": score, "max_score": max_score,
            "status": status, "reason": reason, "late": late, "late_seconds": late_seconds,
            "submitted_utc": info.get("submitted_utc") or (fact.timestamp if fact else None),
            "in_roster": person is not None,
            "platform_fields": dict(person.platform_fields) if person else {}})
    return rows


def class_rows(course: Path, assignment: str, platform: str | None = None) -> list[dict]:
    """Every student of ``assignment`` in ``course``, one dict each, in roster order and then by
    id: the students of the platform's gradebook export (:func:`load_roster`), of the download
    (``downloaded/<id>/collect-report.json``), of ``submitted/`` and of nbgrader's gradebook.

    Keys: ``student_id``, ``platform_id``, ``first_name``, ``last_name``, ``score`` (float
    points, the late penalty taken off, or None when there is no score to give), ``max_score``
    (the assignment's points in nbgrader), ``status`` (graded, needs manual grading, flagged for
    review, failed, not graded yet, nothing to grade, no submission), ``reason`` (plain words;
    empty when graded), ``late`` (True/False, None when nobody says), ``late_seconds``,
    ``submitted_utc`` (ISO text or None), ``in_roster`` and ``platform_fields`` (the roster's
    row). A score is given only for a submission nbgrader graded whose run did not fail or flag
    it; a "needs manual grading" score counts unmarked answers as 0.

    Raises :class:`RosterError` when the gradebook export cannot be read.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from welfaregrading import editions
    from welfaregrading.course import db_url, venv_on_path

    venv_on_path()  # nbgrader runs alembic by name on a new gradebook
    course = Path(course).resolve()
    roster = load_roster(course, assignment, platform)
    rows_by_id = {}
    # a module with a Dutch edition (source/<id>-nl): one row per student from both
    # (welfaregrading/editions.py, merge_rows), each row naming the edition and its language
    for aid in editions.edition_ids(course, assignment):
        facts, max_score = {}, None
        url = db_url(course)
        if not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).is_file():
            with Gradebook(url) as gb:
                try:
                    facts, max_score = gradebook_facts(gb.find_assignment(aid))
                except MissingEntry:
                    pass
        rows_by_id[aid] = merge_rows(course, aid, facts, max_score, roster)
    report = _load(course / "downloaded" / assignment / "collect-report.json")
    return editions.merge_rows(editions.split_id(assignment)[0] if len(rows_by_id) > 1
                               else assignment, rows_by_id, report)
