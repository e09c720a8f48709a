"""Grades back in the platform's own format: a file each platform's gradebook import takes as it
is, lateness beside it, and feedback pages in the form of the platform's bulk feedback upload.

Written to ``build/grading/<id>/`` by :func:`export_platform` (``python -m welfaregrading export
<id> --platform P``), from :func:`welfaregrading.roster.class_rows`, the same rows as the grades
CSV and the summary. When the lecturer put the platform's gradebook export in
``downloaded/<id>/gradebook/`` (:mod:`welfaregrading.roster`), its students, columns and column
id are used, so the import matches every student and writes into the existing column.

**Canvas** (``canvas-gradebook-<id>.csv``), read as canvas-lms app/models/gradebook_importer.rb
reads an upload: the header must start ``Student, ID`` and end its student columns with
``Section`` (``header?``); students are matched on ``ID``, then SIS User ID, SIS Login ID, then
the name (``process_student``); each further column is an assignment, ``<title> (<assignment
id>)`` matched on the id, any other title CREATES A NEW ASSIGNMENT (``parse_assignments``), and
only ``Current/Final/Override Score|Points|Grade|Status`` are skipped
(``NON_ASSIGNMENT_COLUMN_HEADERS``). So lateness cannot be a column there: it goes to
``canvas-lateness-<id>.csv`` (not for import). An empty grade is "no change"
(``no_score?``), so a student without a score keeps what Canvas has. A ``Points Possible`` row
(``check_for_non_student_row``/``process_pp``) sets the points of the column: it is copied from
the lecturer's export (no change) or, for a new column, nbgrader's maximum.
Bulk feedback: Canvas's "Re-upload submissions" zip attaches a file as a comment only when its
name holds the user id and the id of a file the student handed in, and shows it under the name of
that handed-in file (app/models/assignment.rb ``infer_comment_context_from_filename``,
``generate_comments_from_files``: ``display_name => attachment.display_name``): a feedback page
would reach the student named like their notebook (``m06-sroi.ipynb``). No Canvas feedback zip is
written; the pages are in ``feedback/<student>/<id>/``.

**Moodle** (``moodle-grading-worksheet-<id>.csv``): the offline grading worksheet, filled in.
The upload (mod/assign/feedback/offline/importgradeslib.php ``init``/``next``) needs the columns
``Identifier``, ``Grade`` and ``Last modified (grade)`` and finds every column by its header, so
other columns are ignored: lateness is a column here (``Late``, ``Grading note``). Identifier is
``Participant <participant id>`` (gradingtable.php ``col_recordid``); the importer strips the
prefix and looks the number up. An empty grade is skipped; a grade changed in Moodle after the
worksheet's ``Last modified (grade)`` is skipped unless the lecturer ticks "ignore modified"
(offline/locallib.php ``process_import_grades``), so that column is kept from the lecturer's
worksheet, or is the export time (ISO 8601, read by PHP's strtotime) without one. No ``Feedback
comments`` column is written unless the worksheet had one (kept as it was): an empty one would
erase a comment written in Moodle.
Bulk feedback (``feedback-moodle-<id>.zip``): "Upload multiple feedback files in a zip"
(mod/assign/feedback/file/importziplib.php ``is_valid_filename_for_import``) takes a path part
``<full name>_<participant id>_<plugin type>_<plugin name>[_]`` and keeps the rest as the file
name; here ``<full name>_<participant id>_assignfeedback_file/<page>.html`` (Moodle ≥ 4.1 folder
form, without ``_`` in the name).

**Blackboard** (``blackboard-grade-center-<id>.csv``): Grade Centre → Work Offline → Upload
(Blackboard Learn help, "Uploading or Downloading Grade Center Items for Working Offline",
library.blackboard.com): students matched on ``Username``, a column on its id after ``|``
(``M06 [Total Pts: 14 Score] |123456``); a column without an id, or any unknown header, CREATES
A NEW text column, so lateness goes to ``blackboard-lateness-<id>.csv``. Comma-delimited, every
value quoted (the help asks for a quote character in .csv files), UTF-8. A student without a
score is left out of the upload (what Blackboard does with an empty cell is not documented) and
listed in the lateness file with the reason. Learn Original has no bulk upload of feedback files:
no zip.

Settings (``nbgrader_config.py``): ``c.PlatformExport.columns = {"m06": "<header>"}`` names the
platform's column for an assignment (Canvas ``M06 SROI (123456)``, Blackboard ``M06 [Total Pts:
14 Score] |123456``) when the gradebook export is absent or has several columns that fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

from welfaregrading import fs
from welfaregrading.collect import FORMULA_START
from welfaregrading.roster import PLATFORMS, RosterFile, class_rows, load_roster_file
from welfaregrading.runfiles import RunLog, work_dir

#: Largest feedback page put in a bundle.
MAX_FEEDBACK_BYTES = 20 * 1024 * 1024
CANVAS_COLUMN = re.compile(r"^(?P<title>.*)\((?P<id>\d+)\)\s*$")  # Assignment.title_and_id
BLACKBOARD_COLUMN = re.compile(r"^(?P<title>.*?)\s*\|\s*(?P<id>\d+)\s*$")


class ExportError(ValueError, RuntimeError):
    """The platform export cannot be written as asked (unknown platform, no column fits); also
    a RuntimeError, so the command line stops with the message and exit code 1."""


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: a value starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    if text == "-":  # Moodle's "no date" and a lone dash are no formula; keep them as written
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def points(value: float | None) -> str:
    """Points as the imports read them: "7.5", "10", "" for no score (at most 2 decimals, as
    Canvas's exporter writes them)."""
    return "" if value is None else f"{round(float(value), 2):g}"


def late_text(row: dict) -> str:
    """"yes", "no" or "" (the platform said nothing)."""
    return {True: "yes", False: "no"}.get(row.get("late"), "")


def _settings(course: Path) -> dict:
    from welfaregrading.course import course_config

    try:
        section = course_config(course).get("PlatformExport", {})
    except Exception:  # noqa: BLE001 - no or unreadable config: no settings
        return {}
    return dict(section) if hasattr(section, "items") else {}


def default_platform(course: Path, assignment: str) -> str:
    """The platform of the last collect (``collect-report.json``), else
    ``c.PlatformCollector.platform`` in nbgrader_config.py, else canvas."""
    from welfaregrading.course import course_config
    from welfaregrading.runfiles import load_json

    report = load_json(Path(course) / "downloaded" / assignment / "collect-report.json")
    if report.get("platform") in PLATFORMS:
        return report["platform"]
    try:
        return str(course_config(course).PlatformCollector.get("platform", "canvas"))
    except Exception:  # noqa: BLE001
        return "canvas"


def pick_column(assignment: str, header: list[str], pattern: re.Pattern, configured: str | None,
                platform: str) -> str | None:
    """The platform's column for ``assignment``: ``configured`` if given (it must be in the
    header when there is one), else the one column whose title holds the assignment id
    (``m06`` in ``M06 SROI (123456)``), else None when there is no header. Raises
    :class:`ExportError` listing the columns when none or several fit."""
    columns = [h for h in header if pattern.match(h)]
    if configured:
        if header and configured not in header:
            raise ExportError(f"c.PlatformExport.columns[{assignment!r}] = {configured!r} is not a "
                              f"column of the {platform} gradebook export; its columns: "
                              + "; ".join(columns))
        return configured
    if not header:
        return None
    word = re.compile(rf"(?<![0-9a-z]){re.escape(assignment.lower())}(?![0-9a-z])")
    fits = [h for h in columns if word.search(pattern.match(h).group("title").lower())]
    if len(fits) == 1:
        return fits[0]
    raise ExportError(
        f"{'several' if fits else 'no'} column(s) of the {platform} gradebook export fit "
        f"assignment {assignment!r}{': ' + '; '.join(fits) if fits else ''}. Name it in "
        f"nbgrader_config.py: c.PlatformExport.columns = {{{assignment!r}: '<column>'}} "
        f"(columns: {'; '.join(columns) or 'none'})")


def _write_csv(path: Path, header: list[str], rows: list[list[str]], keep: set[int] = frozenset(),
               quote_all: bool = False) -> Path:
    """Write UTF-8 CSV; every cell but the columns in ``keep`` (what the platform's import reads:
    its ids, checked already, grades and the lecturer's own fields) goes through
    :func:`safe_cell`."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([c if i in keep else safe_cell(c) for i, c in enumerate(row)])
    return path


def _lateness_file(path: Path, rows: list[dict], id_header: str) -> Path:
    """A CSV of every student's status, lateness and reason, for the lecturer (not an import)."""
    header = [id_header, "Last name", "First name", "Score", "Max score", "Status", "Late",
              "Hours late", "Submitted (UTC)", "Reason"]
    body = [[r["platform_id"], r["last_name"], r["first_name"], points(r["score"]),
             points(r["max_score"]), r["status"], late_text(r),
             f"{r['late_seconds'] / 3600:.2f}" if r.get("late_seconds") else "",
             r.get("submitted_utc") or "", r["reason"]] for r in rows]
    return _write_csv(path, header, body)


# -- Canvas ------------------------------------------------------------------------------------

def canvas_export(course: Path, assignment: str, rows: list[dict], roster: RosterFile | None,
                  out: Path, configured: str | None = None) -> list[Path]:
    """``canvas-gradebook-<id>.csv`` and ``canvas-lateness-<id>.csv`` (see the module docstring
    for the format and its source). Students whose id is not a Canvas user id (anonymous
    grading's ``anon_...``) cannot be matched by the import and appear only in the lateness file."""
    header = roster.header if roster else []
    column = pick_column(assignment, header, CANVAS_COLUMN, configured, "canvas") or assignment
    if roster:
        # the student columns as Canvas counts them: up to and including "Section"
        info = header[: header.index("Section") + 1] if "Section" in header else header[:2]
    else:
        info = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    out_header = info + [column]
    pp = next((r for r in (roster.info_rows if roster else [])
               if r and r[0].strip().endswith("Points Possible")), None)
    if pp is not None and column in header:
        possible = pp[header.index(column)] if header.index(column) < len(pp) else ""
    else:
        possible = points(rows[0]["max_score"]) if rows else ""
    body = [["Points Possible"] + [""] * (len(info) - 1) + [possible]]
    for r in rows:
        if not r["platform_id"].isdigit() and not (r["in_roster"] and r["platform_fields"]):
            continue
        if r["in_roster"] and r["platform_fields"]:
            cells = [r["platform_fields"].get(h, "") for h in info]
        else:  # in the download, not in the gradebook export: Canvas matches on ID
            name = ", ".join(p for p in (r["last_name"], r["first_name"]) if p)
            known = {"Student": name or r["student_id"], "ID": r["platform_id"],
                     "LastName": r["last_name"], "FirstName": r["first_name"]}
            cells = [known.get(h, "") for h in info]
        body.append(cells + [points(r["score"])])
    # the columns Canvas matches students on stay as Canvas wrote them
    keys = {i for i, h in enumerate(info) if h in ("ID", "SIS User ID", "SIS Login ID",
                                                  "Integration ID", "Root Account")}
    paths = [_write_csv(out / f"canvas-gradebook-{assignment}.csv", out_header, body, keys),
             _lateness_file(out / f"canvas-lateness-{assignment}.csv", rows, "ID")]
    return paths


# -- Moodle ------------------------------------------------------------------------------------

MOODLE_HEADER = ["Identifier", "Full name", "Status", "Grade", "Maximum Grade",
                 "Grade can be changed", "Last modified (submission)", "Last modified (grade)"]


def moodle_export(course: Path, assignment: str, rows: list[dict], roster: RosterFile | None,
                  out: Path, now: dt.datetime | None = None) -> list[Path]:
    """``moodle-grading-worksheet-<id>.csv`` (the offline grading worksheet filled in, plus
    ``Late`` and ``Grading note`` columns the upload ignores) and ``feedback-moodle-<id>.zip``
    (see the module docstring). A student whose id is not a participant number is left out of
    both and named in the log."""
    now = now or dt.datetime.now(dt.UTC)
    header = list(roster.header) if roster else list(MOODLE_HEADER)
    for name in ("Identifier", "Grade", "Last modified (grade)"):
        if name not in header:
            raise ExportError(f"the Moodle grading worksheet {roster.path.name if roster else ''} "
                              f"has no {name!r} column (Moodle's upload needs Identifier, Grade "
                              "and Last modified (grade)); download it again in English")
    grade, ident = header.index("Grade"), header.index("Identifier")
    out_header = header + ["Late", "Grading note"]
    body = []
    for r in rows:
        if not r["platform_id"].isdigit():
            continue
        if r["in_roster"] and r["platform_fields"]:
            cells = [r["platform_fields"].get(h, "") for h in header]
        else:
            cells = [""] * len(header)
            cells[ident] = f"Participant {r['platform_id']}"
            values = {"Full name": " ".join(p for p in (r["first_name"], r["last_name"]) if p),
                      "Maximum Grade": points(r["max_score"]), "Grade can be changed": "Yes",
                      "Last modified (submission)": r.get("submitted_utc") or "",
                      "Last modified (grade)": now.isoformat(timespec="seconds")}
            for name, value in values.items():
                if name in header:
                    cells[header.index(name)] = value
        cells[grade] = points(r["score"])
        body.append(cells + [late_text(r), r["reason"]])
    # what the upload reads stays as Moodle wrote it: Identifier, Grade, Last modified (grade)
    # and the feedback columns after it (a comment starting with "=" is the lecturer's)
    keys = {ident, grade} | set(range(header.index("Last modified (grade)"), len(header)))
    paths = [_write_csv(out / f"moodle-grading-worksheet-{assignment}.csv", out_header, body,
                        keys)]
    bundle = moodle_feedback_zip(course, assignment, rows, out / f"feedback-moodle-{assignment}.zip")
    if bundle:
        paths.append(bundle)
    return paths


def moodle_folder_name(row: dict) -> str:
    """``<full name>_<participant id>_assignfeedback_file``: the name without ``_`` (the importer
    splits on it), path separators or control characters; "Participant" when there is none."""
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    name = re.sub(r"[_/\\\x00-\x1f\x7f]+", " ", name).strip().lstrip(".~") or "Participant"
    return f"{name}_{row['platform_id']}_assignfeedback_file"


def moodle_feedback_zip(course: Path, assignment: str, rows: list[dict], target: Path
                        ) -> Path | None:
    """Zip each student's feedback pages (``feedback/<student>/<id>/*.html``, ordinary files
    only, never a link) as ``<full name>_<participant id>_assignfeedback_file/<page>``; None
    when nobody has feedback."""
    entries = []
    for r in rows:
        # the edition the student's grade comes from (m06-nl: the Dutch feedback)
        folder = Path(course) / "feedback" / r["student_id"] / r.get("assignment", assignment)
        if not r["platform_id"].isdigit() or folder.is_symlink() or not folder.is_dir():
            continue
        for page in sorted(folder.iterdir()):
            if page.suffix.lower() != ".html" or page.is_symlink() or not page.is_file():
                continue
            try:
                data = fs.read_limited(page, MAX_FEEDBACK_BYTES)
            except fs.UnsafeTree:
                continue
            entries.append((f"{moodle_folder_name(r)}/{page.name}", data))
    if not entries:
        target.unlink(missing_ok=True)
        return None
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return target


# -- Blackboard --------------------------------------------------------------------------------

def blackboard_export(course: Path, assignment: str, rows: list[dict], roster: RosterFile | None,
                      out: Path, configured: str | None = None) -> list[Path]:
    """``blackboard-grade-center-<id>.csv`` (Last Name, First Name, Username and the column) and
    ``blackboard-lateness-<id>.csv`` (see the module docstring)."""
    header = roster.header if roster else []
    column = pick_column(assignment, header, BLACKBOARD_COLUMN, configured, "blackboard") \
        or assignment
    out_header = ["Last Name", "First Name", "Username", column]
    body = [[r["last_name"], r["first_name"], r["platform_id"], points(r["score"])]
            for r in rows if r["score"] is not None]
    return [_write_csv(out / f"blackboard-grade-center-{assignment}.csv", out_header, body, {2},
                       quote_all=True),
            _lateness_file(out / f"blackboard-lateness-{assignment}.csv", rows, "Username")]


# -- entry point -------------------------------------------------------------------------------

def export_platform(course: Path, assignment: str, platform: str | None = None,
                    echo=print) -> list[Path]:
    """Write the grades of ``assignment`` in ``platform``'s own import format (canvas, moodle,
    blackboard; default: the platform of the last collect, else nbgrader_config.py's) to
    ``build/grading/<id>/``, with lateness and the feedback bundle where the platform has one.
    Returns the files written. Raises :class:`ExportError` (a ValueError) for an unknown
    platform or when no platform column fits, :class:`welfaregrading.roster.RosterError` when
    the gradebook export in ``downloaded/<id>/gradebook/`` cannot be read or is another
    platform's."""
    course = Path(course).resolve()
    platform = platform or default_platform(course, assignment)
    if platform not in PLATFORMS:
        raise ExportError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
    roster = load_roster_file(course, assignment, platform)
    rows = class_rows(course, assignment, platform)
    out = work_dir(course, assignment)
    configured = (_settings(course).get("columns") or {}).get(assignment)
    if platform == "canvas":
        paths = canvas_export(course, assignment, rows, roster, out, configured)
    elif platform == "moodle":
        paths = moodle_export(course, assignment, rows, roster, out)
    else:
        paths = blackboard_export(course, assignment, rows, roster, out, configured)
    log = RunLog(course, assignment, echo)
    source = f"the gradebook export {roster.path.name}" if roster else \
        "the download (no gradebook export in downloaded/<id>/gradebook/)"
    log(f"{platform} export of {assignment} for {len(rows)} students, roster from {source}:")
    for path in paths:
        log(f"  {path}")
    for problem in (roster.problems if roster else []):
        log(f"  gradebook export: {problem}")
    pending = [r["student_id"] for r in rows if r.get("status") == "needs manual grading"]
    if pending:
        log(f"  PROVISIONAL: {len(pending)} student(s) still have written answers to mark "
            f"({', '.join(pending[:8])}{', ...' if len(pending) > 8 else ''}); their score in "
            "these files is the automatic part only. Mark them in formgrader and export again "
            "before you upload, or students see a provisional grade.")
    left_out = [r["student_id"] for r in rows
                if platform != "blackboard" and not r["platform_id"].isdigit()
                and not r["in_roster"]]
    if left_out:
        log(f"  not in the {platform} import (their id is not the platform's number, e.g. "
            f"anonymous grading): {', '.join(left_out[:10])}")
    if not roster and platform in ("canvas", "blackboard"):
        log(f"  no gradebook export: the import will create a new column {assignment!r}; put "
            f"the platform's export in downloaded/{assignment}/gradebook/ or set "
            "c.PlatformExport.columns to write into the existing one")
    return paths
