"""Bulk downloads laid out exactly as Canvas, Moodle and Blackboard (and KU Leuven's Toledo)
write them, for made-up students: the one generator of fixture downloads for the tests, the
lecturer guide and the benchmark (``welfaregrading.collect.sample_zip`` wraps it).

Nothing here is stored student data: names, ids and notebooks come from the caller.

Use::

    from platform_downloads import build_download
    build_download("moodle", "folders", course / "downloaded/m06/archive/m06.zip",
                   [{"student": "77", "name": "李 小龙", "when": aware_datetime,
                     "files": {"m06-sroi.ipynb": b"..."}}], assignment="m06")

Layouts per platform (``LAYOUTS``), each as the platform's own code or documentation names it:

canvas (lib/content_zipper.rb, github.com/instructure/canvas-lms: ``get_filename``,
``get_user_name``, ``sanitize_user_name``, ``add_upload_submission``, ``add_text_or_url``)
    ``named``      ``<sortable name>_[LATE_]<user id>_<attachment id>_<file name>``; the sortable
                   name ("Dupré, Zoë") lowercased with every non-word character removed
                   ("duprézoë"), ``_<digits>_`` inside it joined up
    ``anonymous``  anonymous grading: ``[LATE_]anon_<anonymous id>_<attachment id>_<file name>``
    Online text entries are ``<prefix>_text.html``. Attachment ids grow with every upload (a
    database id), so a later upload has a higher id; entries are stamped with the time of the
    download (rubyzip's default entry time is "now").

moodle (mod/assign/locallib.php ``download_submissions`` up to 4.0, mod/assign/classes/
downloader.php from 4.1, github.com/moodle/moodle)
    ``folders``           4.1+: ``<full name>_<participant id>_assignsubmission_file/<path>``
    ``folders-3x``        3.1-4.0: ``<full name>_<participant id>_assignsubmission_file_/<path>``
    ``flat``              "Download submissions in folders" off:
                          ``<full name>_<participant id>_assignsubmission_file_<file name>``
    ``blind-folders``, ``blind-folders-3x``, ``blind-flat``: blind marking, the full name is
                          replaced by "Participant"
    ``_`` in a full name becomes a space. Online text goes to ``..._assignsubmission_onlinetext/
    onlinetext.html`` (flat: ``..._assignsubmission_onlinetext_onlinetext.html``). Files of one
    student are listed in upload order (``get_area_files(..., 'timemodified')``); a file uploaded
    again under a name already there becomes ``name (1).ext`` (file_storage::get_unused_filename).
    4.1+ streams the zip with zipstream, whose entries get the time of the download.

blackboard ("Assignment File Download" of Blackboard Learn's Grade Centre; the names as in
nbgrader's FileNameCollectorPlugin example and the receipts as parsed by CodeGrade's
Blackboard importer and jeroendoggen/blackboard-analysis-tools)
    ``all-attempts``  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>`` plus
                      the receipt ``<assignment>_<username>_attempt_<time>.txt`` per attempt
    ``last-attempt``  the same, only each student's last attempt ("Last attempt" download option)
    ``toledo``        all attempts, receipts in Dutch as KU Leuven's Toledo writes them
                      ("Naam:", "Opdracht:", "Datum ingediend:", "Oorspronkelijke bestandsnaam:")
    Entries carry the attempt's time.

Each student dict: ``student`` (the platform's id: Canvas user id or the anonymous id, Moodle
participant id, Blackboard username), ``name`` ("First Last"), ``when`` (an aware datetime, the
attempt's time), ``files`` (``{name: bytes}`` in upload order; ``name`` may hold ``/`` for a
subfolder of a Moodle upload), optional ``late`` (Canvas), ``onlinetext`` (str, Moodle and
Canvas), ``empty_folder`` (Moodle: a folder entry with nothing in it). A student may appear
more than once (Blackboard attempts, or two uploads of the same name in Moodle: give the
second its ``name (1).ext`` yourself, as Moodle does).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

LAYOUTS = {
    "canvas": ("named", "anonymous"),
    "moodle": ("folders", "folders-3x", "flat", "blind-folders", "blind-folders-3x", "blind-flat"),
    "blackboard": ("all-attempts", "last-attempt", "toledo"),
}

#: Receipt wording per language: English (Blackboard Learn) and Dutch (Toledo, KU Leuven).
RECEIPT_WORDS = {
    "en": {"name": "Name", "assignment": "Assignment", "date": "Date Submitted",
           "grade": "Current Grade", "grade_value": "Needs Grading",
           "field": "Submission Field",
           "no_text": "There is no student submission text data for this assignment.",
           "comments": "Comments", "no_comments": "There are no student comments for this "
           "assignment.", "files": "Files", "original": "Original filename",
           "filename": "Filename", "no_files": "No files were attached to this submission.",
           "clock": "o'clock"},
    "nl": {"name": "Naam", "assignment": "Opdracht", "date": "Datum ingediend",
           "grade": "Huidig cijfer", "grade_value": "Moet beoordeeld worden",
           "field": "Indieningsveld",
           "no_text": "Er zijn geen tekstgegevens voor deze opdracht ingediend.",
           "comments": "Opmerkingen", "no_comments": "Er zijn geen opmerkingen van studenten "
           "voor deze opdracht.", "files": "Bestanden",
           "original": "Oorspronkelijke bestandsnaam", "filename": "Bestandsnaam",
           "no_files": "Er zijn geen bestanden aan deze inzending toegevoegd.", "clock": "uur"},
}
DUTCH_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december"]


def canvas_sortable(name: str) -> str:
    """Canvas's file-name form of a student's name: 'Zoë Dupré' → sortable name 'Dupré, Zoë'
    → 'duprézoë' (``sanitize_user_name`` lowercases and joins ``_<digits>_``, then
    ``sanitize_file_name`` removes every non-word character, Unicode letters kept)."""
    first, _, last = name.partition(" ")
    sortable = f"{last}, {first}" if last else first
    sortable = re.sub(r"_(\d+)_", r"\1", sortable).lower()
    return re.sub(r"[^\w]", "", sortable)


def moodle_prefix(name: str, participant: str, blind: bool) -> str:
    """Moodle's per-student prefix: full name (or "Participant") with ``_`` made a space, then
    ``_<participant id>`` (``get_student_prefix`` / ``download_submissions``)."""
    full = "Participant" if blind else name
    return f"{full.replace('_', ' ')}_{participant}"


def _dutch_date(local: dt.datetime) -> str:
    return (f"{DUTCH_DAYS[local.weekday()]} {local.day} {DUTCH_MONTHS[local.month - 1]} "
            f"{local.year} {local:%H:%M:%S} uur {local.tzname()}")


def blackboard_receipt(student: dict, assignment: str, stored: list[tuple[str, str]],
                       local: dt.datetime, language: str = "en") -> str:
    """The text of Blackboard's per-attempt receipt (``..._attempt_<time>.txt``): name and
    username, assignment, date submitted, grade, then each file's original and stored name.
    ``language`` "en" (Blackboard Learn) or "nl" (Toledo)."""
    if language not in RECEIPT_WORDS:
        raise ValueError(f"language must be one of {sorted(RECEIPT_WORDS)}, not {language!r}")
    w = RECEIPT_WORDS[language]
    when = (_dutch_date(local) if language == "nl" else
            f"{local:%A, %d %B %Y %H:%M:%S} {w['clock']} {local.tzname()}")
    lines = [f"{w['name']}: {student['name']} ({student['student']})",
             f"{w['assignment']}: {assignment}", f"{w['date']}: {when}",
             f"{w['grade']}: {w['grade_value']}", "", f"{w['field']}:", w["no_text"], "",
             f"{w['comments']}:", w["no_comments"], "", f"{w['files']}:"]
    if stored:
        for original, name in stored:
            lines += [f"\t{w['original']}: {original}", f"\t{w['filename']}: {name}", ""]
    else:
        lines.append(w["no_files"])
    return "\n".join(lines) + "\n"


def build_download(platform: str, layout: str, dest: Path, students: list[dict],
                   assignment: str, timezone: str = "Europe/Brussels",
                   download_time: dt.datetime | None = None, extra: dict | None = None,
                   first_attachment_id: int = 7001) -> Path:
    """Write a zip named and laid out like ``platform``'s bulk download of ``assignment``.

    ``platform`` and ``layout`` as in :data:`LAYOUTS`; ``students`` as in the module
    docstring; ``download_time`` (aware, default one hour after the latest attempt) stamps
    the entries of Canvas and Moodle downloads as their zip writers do; ``extra`` adds stray
    files ``{path: bytes}`` at the end. Canvas attachment ids count up from
    ``first_attachment_id`` in the order given (give a later download higher ids).
    Raises ``ValueError`` naming the field for an unknown platform, layout or time zone, or a
    student without ``student``, ``name`` or an aware ``when``. Returns ``dest``.
    """
    if platform not in LAYOUTS:
        raise ValueError(f"platform must be one of {sorted(LAYOUTS)}, not {platform!r}")
    if layout not in LAYOUTS[platform]:
        raise ValueError(f"layout for {platform} must be one of {list(LAYOUTS[platform])}, "
                         f"not {layout!r}")
    zone = ZoneInfo(timezone)
    for k, s in enumerate(students):
        for key in ("student", "name", "when"):
            if key not in s:
                raise ValueError(f"students[{k}] has no {key!r}")
        if s["when"].tzinfo is None:
            raise ValueError(f"students[{k}]['when'] must be an aware datetime (with a time zone)")
    if download_time is None:
        latest = max((s["when"] for s in students), default=dt.datetime(2025, 1, 1, tzinfo=zone))
        download_time = latest + dt.timedelta(hours=1)
    stamp_download = download_time.astimezone(zone).timetuple()[:6]
    if platform == "blackboard" and layout == "last-attempt":
        last = {}
        for s in students:
            if s["student"] not in last or s["when"] >= last[s["student"]]["when"]:
                last[s["student"]] = s
        students = [s for s in students if last[s["student"]] is s]

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    attachment = first_attachment_id
    written = set()

    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        def put(path: str, data: bytes, when: tuple) -> None:
            info = zipfile.ZipInfo(path, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            if path.endswith("/"):
                info.external_attr = 0o40755 << 16 | 0x10
                info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, data)

        for s in students:
            local = s["when"].astimezone(zone)
            files = dict(s.get("files", {}))
            if platform == "canvas":
                late = "LATE_" if s.get("late") else ""
                if layout == "anonymous":  # the id as Canvas writes it: anon_<anonymous id>
                    anon = s["student"] if s["student"].startswith("anon_") else \
                        f"anon_{s['student']}"
                    prefix = f"{late}{anon}"
                else:
                    prefix = f"{canvas_sortable(s['name'])}_{late}{s['student']}"
                for name, data in files.items():
                    clean = re.sub(r'[\x00/\\:*?"<>|]+', "_", name)  # sanitize_attachment_filename
                    put(f"{prefix}_{attachment}_{clean}", data, stamp_download)
                    attachment += 1
                if s.get("onlinetext") is not None:
                    put(f"{prefix}_text.html", s["onlinetext"].encode("utf-8"), stamp_download)
            elif platform == "moodle":
                blind = layout.startswith("blind")
                prefix = moodle_prefix(s["name"], s["student"], blind)
                folders = "flat" not in layout
                suffix = "_" if layout.endswith("3x") else ""
                stamp = local.timetuple()[:6] if layout.endswith("3x") else stamp_download
                for name, data in files.items():
                    if folders:
                        path = f"{prefix}_assignsubmission_file{suffix}/{name}"
                    else:
                        path = f"{prefix}_assignsubmission_file_{name.rsplit('/', 1)[-1]}"
                    put(path, data, stamp)
                if s.get("empty_folder") and folders:
                    put(f"{prefix}_assignsubmission_file{suffix}/", b"", stamp)
                if s.get("onlinetext") is not None:
                    text = s["onlinetext"].encode("utf-8")
                    put(f"{prefix}_assignsubmission_onlinetext{suffix}/onlinetext.html"
                        if folders else f"{prefix}_assignsubmission_onlinetext_onlinetext.html",
                        text, stamp)
            else:
                stamp_text = local.strftime("%Y-%m-%d-%H-%M-%S")
                base = f"{assignment}_{s['student']}_attempt_{stamp_text}"
                stored = []
                for name, data in files.items():
                    path = f"{base}_{name}"
                    stored.append((name, path))
                    put(path, data, local.timetuple()[:6])
                language = "nl" if layout == "toledo" else "en"
                receipt = blackboard_receipt(s, assignment, stored, local, language)
                if base + ".txt" not in written:
                    put(base + ".txt", receipt.encode("utf-8"), local.timetuple()[:6])
                    written.add(base + ".txt")
        for path, data in (extra or {}).items():
            put(path, data, stamp_download)
    return dest


def sample_entries_to_students(entries: list[dict]) -> list[dict]:
    """The older ``sample_zip`` entry form (``file``, ``data``, ``files``) as students for
    :func:`build_download`."""
    students = []
    for e in entries:
        s = {k: v for k, v in e.items() if k not in ("file", "data", "files")}
        s["files"] = {e["file"]: e["data"], **e.get("files", {})}
        students.append(s)
    return students
