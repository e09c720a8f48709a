"""Readers of the learning platforms' *import* formats, written from the platforms' own
documentation and source code, not from this project's exporter.

The end-to-end test (tests/grading/test_platform_roundtrip.py) reads every file that
``make grade`` writes for a platform back with these functions. Each reader follows what the
platform's importer does with the file and raises :class:`ImportRejected` wherever the platform
would refuse the file, refuse a row, or **silently skip** a value (a grade that never arrives
is as bad as a refused file). They return plain dicts so a test can compare grades.

Sources, per format (read 2026-12; each function names its own):

- Canvas gradebook import: instructure/canvas-lms ``app/models/gradebook_importer.rb``
  (``row_has_student_headers?``, ``update_column_count``, ``parse_assignments``,
  ``check_for_non_student_row``, ``identify_delimiter``, ``process_student``) and
  ``Assignment.title_and_id`` (``"Title (123)"``); Canvas guide "How do I import grades in the
  Gradebook?" (community.canvaslms.com) and the OSU guide "Import a CSV file to Carmen grades"
  (teaching.resources.osu.edu), which list the required columns.
- Canvas bulk feedback ("Re-upload submissions" zip): canvas-lms ``app/models/assignment.rb``
  ``infer_comment_context_from_filename``: the first two all-digit ``_``-separated parts of the
  file name are the user id and the id of one of that submission's attachments.
- Moodle offline grading worksheet upload: moodle/moodle
  ``mod/assign/feedback/offline/importgradeslib.php`` (columns found by their header text
  ``get_string('recordid','assign')`` = "Identifier", ``get_string('grade')`` = "Grade",
  ``get_string('lastmodifiedgrade','assign')`` = "Last modified (grade)"; the participant id is
  what follows ``get_string('hiddenuser','assign')`` = "Participant ") and
  ``mod/assign/feedback/offline/locallib.php`` ``process_import_grades`` (empty, negative or
  above-maximum grades are skipped without an error), ``mod/assign/lang/en/assign.php``.
- Moodle feedback files zip: moodle/moodle ``mod/assign/feedback/file/importziplib.php``
  ``is_valid_filename_for_import`` (each path part split on ``_`` into at most 5 pieces:
  ``fullname_participantid_plugintype_pluginname[_rest]``; files starting with ``.`` or ``~``
  are ignored; a file no part of which matches is ignored).
- Blackboard Learn Grade Center upload: Blackboard Help "Uploading or Downloading Grade Center
  Items for Working Offline" (library.blackboard.com/ref/3ea64795-6ecc-4abd-b595-0a9a8dfdec94/
  Content/_instructor_grade_center/grade_center_upload_download.htm): the student is matched by
  Username, a column by its Column ID; a header without an id creates a new *text* column with
  0 points; comma-delimited files (.csv) quote every value, tab-delimited files (.xls/.txt) need
  no quotes; the download names a column ``Title [Total Pts: 10 Score] |123456``. "The Grade
  Center Upload will fail if the user name for each row of data is not present" (Blackboard
  Learning System Instructor Manual, "Upload Grade Center", library.blackboard.com).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path, PurePosixPath


class ImportRejected(ValueError):
    """The platform would refuse this file, or silently drop a value in it."""


def _text(path: Path, encodings=("utf-8-sig",)) -> str:
    data = Path(path).read_bytes()
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(f"{Path(path).name}: not in {' or '.join(encodings)}")


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ImportRejected(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ImportRejected(f"{where}: {text!r} is not a finite number")
    return value


# ---------------------------------------------------------------------------------------------
# Canvas
# ---------------------------------------------------------------------------------------------

#: Student-information columns Canvas recognises (gradebook_importer.rb,
#: GRADEBOOK_IMPORTER_RESERVED_NAMES) and its calculated, read-only columns
#: (NON_ASSIGNMENT_COLUMN_HEADERS; "Unposted ..." variants match the same words).
CANVAS_STUDENT_COLUMNS = ("Student", "LastName", "FirstName", "ID", "SIS User ID",
                          "SIS Login ID", "Section", "Integration ID", "Root Account")
CANVAS_READ_ONLY = ("Current Score", "Current Points", "Current Grade", "Final Score",
                    "Final Points", "Final Grade", "Override Score", "Override Grade",
                    "Override Status")
#: Assignment.title_and_id: a column "Title (123)" is the existing assignment 123.
CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.DOTALL)


def _canvas_delimiter(lines: list[str]) -> str:
    """gradebook_importer.rb ``identify_delimiter``: ';' only when it splits the first three
    lines into the same, larger number of fields than ','."""
    counts = {}
    for sep in (";", ","):
        sizes = {len(next(csv.reader([line], delimiter=sep), [])) for line in lines}
        counts[sep] = sizes.pop() if len(sizes) == 1 else 0
    return ";" if counts[";"] > counts[","] else ","


def read_canvas_gradebook(path: Path) -> dict:
    """Read a CSV as Canvas's gradebook import does.

    Returns ``{"assignments": {id: title}, "points_possible": {id: text},
    "students": {user_id: {"name", "section", "sis_login_id", "grades": {id: text}}},
    "other_columns": [header, ...]}``. Grades are the cell text ('' = no change, a number,
    or "EX"); ``canvas_score`` turns one into a float.

    Raises :class:`ImportRejected` when Canvas would stop with "Invalid header row" (first
    column not "Student", second not "ID", no "Section" as the last student column), when a
    column would create a new assignment instead of filling an existing one (no ``(id)``),
    when a row names no numeric Canvas user id (Canvas would then guess by name, or create an
    unknown student), when a user id occurs twice, or when a grade is neither empty, "-",
    "EX" nor a number (also with a decimal comma, which Canvas converts).
    """
    text = _text(path)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ImportRejected(f"{Path(path).name}: empty file")
    sep = _canvas_delimiter(lines[:3])
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=sep, strict=True)
                if row and not re.fullmatch(r"[;, ]*", sep.join(row))]
    except csv.Error as err:
        raise ImportRejected(f"{Path(path).name}: malformed CSV ({err})") from None
    header = rows[0]
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        raise ImportRejected(f"Invalid header row: {header[:3]} (Canvas needs 'Student', 'ID')")
    n_info = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        n_info += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        n_info += 2
        if len(header) > 4 and re.search(r"Integration\s+ID", header[4]):
            n_info += 1
        if len(header) > n_info - 1 and re.search(r"Root\s+Account", header[n_info - 1]):
            n_info += 1
    if "Section" not in header[n_info - 1]:
        raise ImportRejected(f"Invalid header row: column {n_info} is {header[n_info - 1]!r}, "
                             "Canvas needs 'Section' after the student columns")
    assignments, other, index = {}, [], {}
    for i, name in enumerate(header[n_info:], start=n_info):
        if re.search("|".join(CANVAS_READ_ONLY), name):
            other.append(name)
            continue
        match = CANVAS_TITLE_AND_ID.match(name)
        if not match:
            raise ImportRejected(f"column {name!r} has no '(assignment id)': Canvas would create "
                                 "a new assignment instead of filling the existing one")
        aid = match.group(2)
        if aid in assignments:
            raise ImportRejected(f"assignment id {aid} has two columns")
        assignments[aid], index[aid] = match.group(1), i
    points, students = {}, {}
    for row in rows[1:]:
        if row[0] and "Points Possible" in row[0]:
            points = {aid: row[i] for aid, i in index.items() if i < len(row)}
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", c, re.IGNORECASE) for c in row):
            continue
        uid = row[1].strip() if len(row) > 1 else ""
        if not uid.isdigit():
            raise ImportRejected(f"row {row[:2]}: ID {uid!r} is not a Canvas user id; Canvas "
                                 "would match the student by name or not at all")
        if uid in students:
            raise ImportRejected(f"user id {uid} appears twice")
        grades = {}
        for aid, i in index.items():
            cell = row[i].strip() if i < len(row) else ""
            canvas_score(cell, f"user {uid}, assignment {aid}")
            grades[aid] = cell
        students[uid] = {"name": row[0], "section": row[n_info - 1],
                         "sis_login_id": row[header.index("SIS Login ID")]
                         if "SIS Login ID" in header else "", "grades": grades}
    return {"assignments": assignments, "points_possible": points, "students": students,
            "other_columns": other}


def canvas_score(cell: str, where: str = "grade") -> float | None:
    """A Canvas gradebook cell as a score: None for '' or '-' (no score), raises for "EX"
    (excused is not a score) and for anything but a number. A decimal comma is read as
    Canvas's ``decimal_comma_to_period`` converter does."""
    cell = cell.strip()
    if cell in ("", "-"):
        return None
    if cell.upper() == "EX":
        raise ImportRejected(f"{where}: 'EX' excuses the student; no score")
    if re.fullmatch(r"-?[0-9.,]+%?", cell):
        parts = re.split(r"[,.]", cell.rstrip("%"))
        cell = parts[0] if len(parts) == 1 else "".join(parts[:-1]) + "." + parts[-1]
    return _number(cell, where)


def read_canvas_feedback_zip(path: Path) -> dict[str, list[str]]:
    """Read a zip as Canvas's "Re-upload submissions" does: user id → the files it attaches.

    canvas-lms app/models/assignment.rb ``infer_comment_context_from_filename``: the base name
    is split on ``_`` and its first two all-digit parts are the user id and an attachment id
    of that user's submission; names starting with ``._`` and a last part starting with "link"
    are ignored. Raises :class:`ImportRejected` for a file Canvas would ignore (fewer than two
    numeric parts) and for unsafe entries (absolute, ``..``).
    """
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            _safe_entry(info.filename)
            base = PurePosixPath(info.filename).name
            parts = base.split("_")
            numbers = [p for p in parts if p.isdigit()][:2]
            if base.startswith("._") or parts[-1].startswith("link") or len(numbers) < 2:
                raise ImportRejected(f"{info.filename}: Canvas would ignore it (needs "
                                     "<name>_<user id>_<attachment id>_<file>)")
            out.setdefault(numbers[0], []).append(info.filename)
    return out


# ---------------------------------------------------------------------------------------------
# Moodle
# ---------------------------------------------------------------------------------------------

MOODLE_ID, MOODLE_GRADE, MOODLE_MODIFIED = "Identifier", "Grade", "Last modified (grade)"
MOODLE_PARTICIPANT = "Participant "
MOODLE_FEEDBACK = "Feedback comments"


def _moodle_float(text: str, where: str) -> float:
    """Moodle's ``unformat_float``: spaces removed, the locale's decimal comma accepted."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    return _number(cleaned, where)


def read_moodle_worksheet(path: Path, max_grade: float | None = None) -> dict:
    """Read a CSV as Moodle's "Upload grading worksheet" does (comma-separated, UTF-8).

    Returns ``{"rows": {participant id (int): {"grade": float | None, "feedback": str,
    "modified": str, "fields": {header: cell}}}, "columns": [...]}``.

    Raises :class:`ImportRejected` where Moodle would refuse the file ("invalidgradeimport":
    a column "Identifier", "Grade" or "Last modified (grade)" missing) and where it would skip
    a value without a word: an identifier that is not "Participant <number>", a grade that is
    not a number, below 0 or above ``max_grade`` (the assignment's maximum), a participant
    twice. An empty grade is allowed (Moodle leaves the grade as it is).
    """
    text = _text(path)
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as err:
        raise ImportRejected(f"{Path(path).name}: malformed CSV ({err})") from None
    if not rows:
        raise ImportRejected(f"{Path(path).name}: empty file")
    header = rows[0]
    missing = [c for c in (MOODLE_ID, MOODLE_GRADE, MOODLE_MODIFIED) if c not in header]
    if missing:
        raise ImportRejected(f"Moodle refuses the worksheet (invalidgradeimport): no column "
                             f"{', '.join(repr(m) for m in missing)}")
    i_id, i_grade = header.index(MOODLE_ID), header.index(MOODLE_GRADE)
    i_mod = header.index(MOODLE_MODIFIED)
    i_fb = header.index(MOODLE_FEEDBACK) if MOODLE_FEEDBACK in header else None
    out = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ImportRejected(f"line {n}: {len(row)} fields, the header has {len(header)}")
        ident = row[i_id]
        number = ident[len(MOODLE_PARTICIPANT):] if ident.startswith(MOODLE_PARTICIPANT) else ""
        if not number.isdigit():
            raise ImportRejected(f"line {n}: identifier {ident!r} is not 'Participant <id>'; "
                                 "Moodle would skip the row")
        pid = int(number)
        if pid in out:
            raise ImportRejected(f"line {n}: {ident!r} appears twice")
        grade = None
        if row[i_grade].strip():
            grade = _moodle_float(row[i_grade], f"line {n} ({ident}), Grade")
            if grade < 0:
                raise ImportRejected(f"line {n} ({ident}): grade {grade} < 0, Moodle skips it")
            if max_grade is not None and grade > max_grade:
                raise ImportRejected(f"line {n} ({ident}): grade {grade} is above the maximum "
                                     f"{max_grade:g}; Moodle skips it")
        out[pid] = {"grade": grade, "modified": row[i_mod],
                    "feedback": row[i_fb] if i_fb is not None else "",
                    "fields": dict(zip(header, row, strict=True))}
    return {"rows": out, "columns": header}


#: Plugins a Moodle assignment zip names (mod/assign/submission/*, mod/assign/feedback/*).
MOODLE_PLUGINS = {("assignsubmission", "file"), ("assignsubmission", "onlinetext"),
                  ("assignfeedback", "file"), ("assignfeedback", "comments"),
                  ("assignfeedback", "editpdf"), ("assignfeedback", "offline")}


def read_moodle_feedback_zip(path: Path) -> dict[int, list[str]]:
    """Read a zip as Moodle's "Upload multiple feedback files in a zip" does: participant id →
    the file names it stores (the part after ``..._<plugintype>_<pluginname>_``).

    moodle/moodle mod/assign/feedback/file/importziplib.php ``is_valid_filename_for_import``.
    Raises :class:`ImportRejected` for a file Moodle would ignore (no path part of the form
    ``<full name>_<participant id>_<plugin type>_<plugin name>``, a hidden ``.``/``~`` file)
    and for unsafe entries.
    """
    out: dict[int, list[str]] = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            _safe_entry(info.filename)
            base = PurePosixPath(info.filename).name
            if base.startswith((".", "~")):
                raise ImportRejected(f"{info.filename}: a hidden file, Moodle ignores it")
            parts = info.filename.split("/")
            found = None
            while parts:
                piece = parts.pop(0).split("_", 4)
                if len(piece) < 4 or not piece[1].isdigit():
                    continue
                if (piece[2], piece[3]) not in MOODLE_PLUGINS:
                    continue
                rest = "/".join([piece[4] if len(piece) == 5 else ""] + parts).strip("/")
                found = (int(piece[1]), rest)
                break
            if found is None or not found[1]:
                raise ImportRejected(f"{info.filename}: Moodle would ignore it (needs "
                                     "<full name>_<participant id>_assignsubmission_file_/<file>)")
            out.setdefault(found[0], []).append(found[1])
    return out


# ---------------------------------------------------------------------------------------------
# Blackboard
# ---------------------------------------------------------------------------------------------

#: Columns of a Grade Center download that are not grade columns (Blackboard Help, "Work
#: Offline": user information and the feedback columns of a single-column download).
BLACKBOARD_USER_COLUMNS = ("Last Name", "First Name", "Username", "Student ID", "Last Access",
                           "Availability", "Child Course ID", "Grading Notes", "Notes Format",
                           "Feedback to Learner", "Feedback Format")
BLACKBOARD_COLUMN = re.compile(r"\A(?P<title>.*?)\s*(?:\[Total Pts: (?P<points>[0-9.]+) "
                               r"(?P<display>[^\]]*)\])?\s*\|(?P<id>\d+)\Z")


def read_blackboard_upload(path: Path) -> dict:
    """Read a Grade Center upload file as Blackboard Learn does.

    The delimiter follows the file: ``.csv`` comma-separated (every value in quotes), ``.xls``
    or ``.txt`` tab-separated (Blackboard's own ``.xls`` download is UTF-16 text). Returns
    ``{"columns": {column id: {"title", "points"}}, "new_columns": [header, ...],
    "rows": {username: {column id: cell, "_fields": {header: cell}}}}``.

    Raises :class:`ImportRejected` when there is no "Username" column or a row has none (the
    upload fails), a username occurs twice, a comma-separated value is not quoted (the
    documented format), a grade in an existing column is neither empty nor a number, or a
    score is above the column's "Total Pts". A header without ``|<id>`` is not an error: it
    becomes a new text column (listed in ``new_columns``).
    """
    path = Path(path)
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, sep = _text(path), ","
        for n, line in enumerate(text.splitlines(), start=1):
            if line and not (line.startswith('"') and line.endswith('"')):
                raise ImportRejected(f"line {n}: a comma-delimited Grade Center file quotes "
                                     "every value")
    elif suffix in (".xls", ".txt"):
        text = (raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
                else _text(path))
        sep = "\t"
    else:
        raise ImportRejected(f"{path.name}: Blackboard takes .csv, .txt or .xls")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep, strict=True))
    except csv.Error as err:
        raise ImportRejected(f"{path.name}: malformed file ({err})") from None
    header = rows[0] if rows else []
    if "Username" not in header:
        raise ImportRejected("no 'Username' column: Blackboard matches students by Username")
    i_user = header.index("Username")
    columns, new, index = {}, [], {}
    for i, name in enumerate(header):
        if name in BLACKBOARD_USER_COLUMNS:
            continue
        match = BLACKBOARD_COLUMN.match(name)
        if not match:
            new.append(name)
            continue
        cid = match.group("id")
        if cid in columns:
            raise ImportRejected(f"column id {cid} appears twice")
        columns[cid] = {"title": match.group("title"),
                        "points": float(match.group("points")) if match.group("points") else None}
        index[cid] = i
    out = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        user = row[i_user].strip() if i_user < len(row) else ""
        if not user:
            raise ImportRejected(f"line {n}: no Username; Blackboard's upload fails")
        if user in out:
            raise ImportRejected(f"line {n}: Username {user!r} appears twice")
        record = {"_fields": dict(zip(header, row, strict=False))}
        for cid, i in index.items():
            cell = row[i].strip() if i < len(row) else ""
            if cell:
                value = _number(cell, f"line {n} ({user}), column {cid}")
                top = columns[cid]["points"]
                if top is not None and value > top:
                    raise ImportRejected(f"line {n} ({user}): {value:g} is above the column's "
                                         f"Total Pts {top:g}")
            record[cid] = cell
        out[user] = record
    return {"columns": columns, "new_columns": new, "rows": out}


def _safe_entry(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ImportRejected(f"{name!r}: an unsafe zip entry")
