"""Collect submissions from a learning platform's bulk download, with nbgrader's zip_collect.

The lecturer downloads all submissions of an assignment from Canvas, Moodle or Blackboard as
one zip and puts it in ``downloaded/<id>/archive/``. ``nbgrader zip_collect <id>`` extracts it
to ``downloaded/<id>/extracted/`` (with :class:`PlatformExtractor`) and asks a *collector
plugin* for each file: whose is it, which notebook, when was it handed in.
:class:`PlatformCollector` is that plugin, for the platform chosen by ONE setting in
``nbgrader_config.py``::

    c.PlatformCollector.platform = "canvas"     # or "moodle", "blackboard"

**Who a file belongs to is decided by the platform's own structure only.** The platform
writes the top level of its zip: one flat name per uploaded file (Canvas, Blackboard, Moodle
without folders) or one folder per student (Moodle). The pattern is matched against that
top-level name alone; everything under a top-level folder belongs to that folder's student,
whatever its own name says. A zip inside a student's upload is opened (once, never a zip inside
it) into its own folder, with the same checks as the platform's zip, and every file in it is a
file of that upload: its names never make it another student's. Other archive kinds stay closed.

The platform's zip is checked before anything is extracted: number of entries, total
uncompressed size and compression ratio, read from its central directory
(``c.PlatformCollector.max_entries``, ``max_archive_bytes``, ``max_ratio``). Entries with an
absolute path, ``..``, a backslash, a control character, a symbolic link, or a name that
occurs twice are not extracted. Student ids that could act as a path (``..``, ``a/b``) or
as a spreadsheet formula (``=1+2``) are refused with their files.

Then the collector:

- keeps only the **latest attempt** of each student, whole (every file of it), so an earlier
  attempt is never mixed in: Blackboard's attempt time, then (several downloads in
  ``archive/``) Canvas's attachment ids and the date the platform stamped on the zip's entries,
  so the newer download wins whatever the zips are called;
- of two copies of one notebook in that attempt keeps the **newer**: a name that fits the
  released notebook before a fuzzy one, then Canvas's attachment id, Moodle's copy number
  (``m06-sroi (1).ipynb``), the entry's date, its place in the zip; each kept file says why;
- maps a **renamed notebook** (``m06-sroi (1).ipynb``, Canvas's ``m06-sroi-1.ipynb``, or any
  single notebook when the assignment has one) to the released name, and says so;
- turns the platform's clock time into UTC with ``c.PlatformCollector.timezone`` (default
  Europe/Brussels), so lateness is right across summer time;
- gives **every student seen** in the download an entry of ``downloaded/<id>/collect-report.json``
  (name, first and last name where the platform states them, ``platform_id``, ``files`` with
  ``from``/``to``/``why``, ``submitted_utc``, ``late``, ``gradable`` and, when nothing is
  gradable, the ``reason``), and lists **every file it does not collect**, with the reason
  (earlier attempts, older downloads, receipts, files that match no pattern, other file types,
  refused entries and ids): nothing is dropped silently;
- stops (nbgrader's ``fail``, exit status 1) when the download looks more like another
  platform's (naming it), or had files but nobody could be collected.

Top-level names per platform and layout (``LAYOUT_PATTERNS`` cites the source of each)::

    canvas      <sortable name>_[LATE_]<user id>_<attachment id>_<file name>
                [LATE_]anon_<anonymous id>_<attachment id>_<file name>   (anonymous grading)
    moodle      <full name>_<participant id>_assignsubmission_file/<path>  (4.1 and later)
                <full name>_<participant id>_assignsubmission_file_/<path> (3.1 to 4.0)
                <full name>_<participant id>_assignsubmission_file_<file name> (no folders)
                Participant_<id>_... under blind marking
    blackboard  <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>
                (plus <assignment>_<username>_attempt_<time>.txt, the submission receipt, in
                English or in Dutch as Toledo writes it; all attempts or the last one)

Names: Moodle's full name and Blackboard's receipt ("Name:"/"Naam:") are split at the first
space into first and last name; Canvas's file names hold the sortable name lowercased without
its comma, which cannot be split: the roster (the platform's gradebook export) gives names.
Not covered: Moodle team submissions (the folder carries the group's id, not a student's).

The matching ``nbgrader export`` plugin is :class:`welfaregrading.export.GradesCsvExportPlugin`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import subprocess
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Dict, Enum, Int, Unicode

from welfaregrading.editions import notebook_language, route_collected, split_id

#: Top-level name patterns per platform and layout, matched against the FIRST part of each
#: entry's path inside the platform's zip (a flat file name, or Moodle's per-student folder),
#: never against the names inside a student's upload. Each is ``(layout, regex, folder)``:
#: ``folder`` True when the first part must be a folder (something below it), False when it
#: must be a file, None either. Groups: student_id (required), file_id (the student's file
#: name; empty for Moodle's folder and Blackboard's receipt), timestamp, name, late,
#: attachment (Canvas's attachment id, which grows with every upload), kind.
#:
#: - canvas: Canvas LMS, lib/content_zipper.rb (github.com/instructure/canvas-lms):
#:   ``get_filename`` joins ``[sortable name, "LATE", user id]`` with ``_`` and removes every
#:   non-word character (``sanitize_file_name``); under anonymous grading the name is left out
#:   and the id is ``anon_<anonymous id>``; ``add_upload_submission`` appends
#:   ``_<attachment id>_<display name>``, ``add_text_or_url`` ``_text.html`` / ``_link.html``.
#:   ``sanitize_user_name`` joins ``_<digits>_`` in the name, so the first ``_<id>_<id>_`` is
#:   the platform's.
#: - moodle: Moodle mod/assign (github.com/moodle/moodle): locallib.php ``download_submissions``
#:   (3.1-4.0: folder ``<prefix>_assignsubmission_file_`` + the file's path) and
#:   classes/downloader.php (4.1 and later, ``load_submissionplugin_filelist``: folder
#:   ``<prefix>_assignsubmission_file`` without the trailing ``_``); with "download submissions
#:   in folders" off, flat ``<prefix>_assignsubmission_file_<file name>``. The prefix is the
#:   full name with ``_`` made a space (blind marking: "Participant") + ``_<participant id>``.
#:   Online text: ``..._assignsubmission_onlinetext[_]/onlinetext.html``.
#: - blackboard: Blackboard Learn "Assignment File Download" (Grade Centre), as in nbgrader's
#:   FileNameCollectorPlugin.named_regexp example ``ps1_bitdiddle_attempt_2016-01-30-15-00-00_
#:   problem1.ipynb``, the BBGradebookOrganiser documentation (docs.vangef.net) and kwurst/
#:   bb-file-cleanup: flat files plus one ``.txt`` receipt per attempt; "all attempts" or
#:   "last attempt". The shortest assignment prefix is taken, so the platform's own
#:   ``_attempt_`` comes before any in the student's file name.
_MOODLE = r"^(?P<name>[^_/]*)_(?P<student_id>\d+)_assignsubmission_(?P<kind>file|onlinetext)"
LAYOUT_PATTERNS = {
    "canvas": [
        ("canvas, anonymous grading",
         (r"^(?:(?P<late>LATE)_)?(?P<student_id>anon_[A-Za-z0-9]+)_(?P<attachment>\d+)"
         r"_(?P<file_id>[^/]+)$"), None),
        ("canvas, anonymous grading",
         r"^(?:(?P<late>LATE)_)?(?P<student_id>anon_[A-Za-z0-9]+)_(?P<kind>text|link)\.html$",
         False),
        ("canvas", (r"^(?:(?P<name>[^/]*?)_)?(?:(?P<late>LATE)_)?(?P<student_id>\d+)"
                   r"_(?P<attachment>\d+)_(?P<file_id>[^/]+)$"), None),
        ("canvas", (r"^(?:(?P<name>[^/]*?)_)?(?:(?P<late>LATE)_)?(?P<student_id>\d+)"
                   r"_(?P<kind>text|link)\.html$"), False),
    ],
    "moodle": [
        ("moodle 4.1+, a folder per student", _MOODLE + r"$", True),
        ("moodle 3.1-4.0, a folder per student", _MOODLE + r"_$", True),
        ("moodle, flat files (download in folders off)", _MOODLE + r"_(?P<file_id>[^/]+)$", None),
    ],
    "blackboard": [
        ("blackboard, assignment file download",
         (r"^(?P<assignment>[^/]*?)_(?P<student_id>[^_/]+)_attempt_"
         r"(?P<timestamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file_id>[^/]+)|\.txt)$"),
         None),
    ],
}
#: One pattern per platform (the most common layout), kept for code that reads PATTERNS.
PATTERNS = {platform: layouts[-1][1] if platform == "moodle" else layouts[0][1]
            for platform, layouts in LAYOUT_PATTERNS.items()}
#: Moodle's string for a participant under blind marking (lang/en/assign.php 'participant').
MOODLE_BLIND_NAME = "Participant"
TIMESTAMP_FORMATS = {"blackboard": "%Y-%m-%d-%H-%M-%S"}
REPORT = "collect-report.json"
#: Archive kinds a student may upload; never opened, only listed.
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst")
#: Entries smaller than this are not checked for their compression ratio on their own
#: (a small text file may compress very well); the whole archive always is.
RATIO_FLOOR = 1024 * 1024
#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection",
#: owasp.org/www-community/attacks/CSV_Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SETTINGS = "c.PlatformCollector"


def _zip_date(info: zipfile.ZipInfo) -> str:
    """A zip entry's date_time (local time, as the platform's zip writer stamped it) as
    'YYYY-MM-DD HH:MM:SS', so dates sort as text."""
    year, month, day, hour, minute, second = info.date_time
    return f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"


class ArchiveRefused(Exception):
    """The platform's zip cannot be read safely (over a limit, damaged, or not a zip)."""


def _normal(stem: str) -> str:
    """A notebook name without copy marks: 'Copy of M06-SROI (2)' and 'm06-sroi-1' → 'm06sroi'."""
    text = stem.lower()
    text = re.sub(r"^(copy of|kopie van|copie de)\s+", "", text)
    text = re.sub(r"(\s*\(\d+\)|[-_ ]\d{1,2}|[-_ ](copy|kopie|copie))+$", "", text)
    return re.sub(r"[^0-9a-z]+", "", text)


def match_notebook(name: str, released: list[str]) -> tuple[str | None, int]:
    """The released notebook a submitted file stands for, and how sure (100 exact, 95 same name
    apart from copy marks, else a similarity 0-100). ``None`` when nothing fits."""
    from rapidfuzz import fuzz

    if name in released:
        return name, 100
    stem = PurePosixPath(name).stem
    for target in released:
        if _normal(stem) == _normal(PurePosixPath(target).stem):
            return target, 95
    if not released:
        return None, 0
    scored = sorted((fuzz.ratio(_normal(stem), _normal(PurePosixPath(t).stem)), t)
                    for t in released)
    score, target = scored[-1]
    if len(released) == 1 or score >= 80:
        return target, int(score)
    return None, int(score)


def _size(n: int) -> str:
    """A byte count for people: 2147483648 → '2.0 GB'."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def _shown(name: str, limit: int = 120) -> str:
    """A name from an archive, safe to print: control characters escaped, length capped."""
    text = name.encode("unicode_escape").decode("ascii") if any(
        unicodedata.category(ch) in ("Cc", "Cf") for ch in name) else name
    return text if len(text) <= limit else text[:limit] + "..."


def check_student_id(student_id: str, max_length: int = 64) -> str | None:
    """Why ``student_id`` cannot be used, or ``None`` when it can.

    A student id becomes a folder name (``submitted/<id>/``) and a cell of the grades CSV, so
    it may not be empty or too long, hold a path part (``/``, ``\\``, ``.``, ``..``), a NUL or
    another control or invisible formatting character, start or end with a space, or start
    like a spreadsheet formula (``= + - @``, tab, carriage return).
    """
    if not student_id:
        return "empty student id"
    if len(student_id) > max_length:
        return (f"student id longer than {max_length} characters "
                f"({_SETTINGS}.max_id_length)")
    if student_id in (".", ".."):
        return f"student id {student_id!r} is a path part"
    if "/" in student_id or "\\" in student_id:
        return "student id holds a path separator (/ or \\)"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in student_id):
        return "student id holds a control or invisible character"
    if student_id.startswith(FORMULA_START):
        return ("student id starts with = + - @, a tab or a carriage return (a spreadsheet "
                "would read it as a formula)")
    if student_id != student_id.strip():
        return "student id starts or ends with a space"
    return None


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry of the platform's zip is not extracted, or ``None`` when it may be.

    Refused: a NUL or control character in the name, a backslash (a Windows path or a trick
    to climb out of the folder), an absolute path or drive letter, ``..``, empty or ``.``
    parts, a symbolic link or other special file (from ``external_attr``), an encrypted entry.
    """
    name = info.filename
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "control character in the name"
    if "\\" in name:
        return "backslash in the name (a Windows path, or a trick to write outside the folder)"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "'..' in the path (would write outside the folder)"
    if any(part in ("", ".") for part in parts):
        return "empty or '.' part in the path"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link (never followed)"
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "special file (device, pipe or socket)"
    if info.flag_bits & 0x1:
        return "encrypted entry"
    return None


def check_archive(path: Path, max_entries: int, max_bytes: int,
                  max_ratio: int) -> tuple[list[zipfile.ZipInfo], dict[str, str]]:
    """Read a zip's central directory and check it before anything is extracted.

    Returns the entries and, per entry name, why it is refused on its own (a single entry that
    would unpack more than ``max_ratio`` times its packed size, from ``RATIO_FLOOR`` up).
    Raises :class:`ArchiveRefused` naming the limit and its setting when the whole archive has
    more than ``max_entries`` entries, would unpack to more than ``max_bytes``, or unpacks
    more than ``max_ratio`` times its packed size, or is not a readable zip.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ArchiveRefused(f"{path.name} is not a readable zip ({err}); download it again "
                             "from the platform") from err
    if len(infos) > max_entries:
        raise ArchiveRefused(
            f"{path.name} holds {len(infos)} entries, more than the limit of {max_entries} "
            f"({_SETTINGS}.max_entries in nbgrader_config.py; raise it if this download is "
            "genuine)")
    refused = {}
    for info in infos:
        if info.file_size >= RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            refused[info.filename] = (
                f"would unpack to {_size(info.file_size)} from {_size(info.compress_size)}, "
                f"{info.file_size // max(info.compress_size, 1)} times its size, more than the "
                f"limit of {max_ratio} ({_SETTINGS}.max_ratio): a zip bomb? not extracted")
    kept = [i for i in infos if i.filename not in refused]
    total = sum(i.file_size for i in kept)
    packed = sum(i.compress_size for i in kept)
    if total > max_bytes:
        raise ArchiveRefused(
            f"{path.name} would unpack to {_size(total)}, more than the limit of "
            f"{_size(max_bytes)} ({_SETTINGS}.max_archive_bytes = {max_bytes} in "
            "nbgrader_config.py; raise it if this download is genuine)")
    if total >= RATIO_FLOOR and total > max_ratio * max(packed, 1):
        raise ArchiveRefused(
            f"{path.name} would unpack to {_size(total)} from {_size(packed)}, "
            f"{total // max(packed, 1)} times its size, more than the limit of {max_ratio} "
            f"({_SETTINGS}.max_ratio in nbgrader_config.py): a zip bomb?")
    return infos, refused


class PlatformExtractor(ExtractorPlugin):
    """nbgrader zip_collect's extractor for a platform's bulk download.

    Unlike nbgrader's own ExtractorPlugin it opens only the zips the lecturer put in
    ``archive/``, never an archive inside a student's upload (that stays a file of the
    student's attempt). Each zip is checked before anything is written (see
    :func:`check_archive`; the limits are :class:`PlatformCollector`'s settings) and
    extracted to its own folder ``extracted/<zip name without .zip>/`` (``-2`` added if that
    name is taken), entry by entry, regular files only;
    each refused entry is kept in :attr:`refused` for the collector's report. Other files in
    ``archive/`` are copied as they are (their name is then their top-level name).
    Set with ``c.ZipCollectApp.extractor_plugin = "welfaregrading.collect.PlatformExtractor"``.
    """

    def _settings(self) -> PlatformCollector:
        app = self.parent
        collector = getattr(app, "collector_plugin_inst", None)
        if isinstance(collector, PlatformCollector):
            return collector
        return PlatformCollector(parent=app) if app is not None else PlatformCollector(
            config=self.config)

    def _refuse_all(self, archive_path: str, extracted_path: str, problems: list[dict],
                    why: str = "cannot be read safely") -> None:
        message = (f"NOTHING WAS EXTRACTED OR COLLECTED: the download in {archive_path} {why}:\n"
                   + "\n".join(f"  - {p['file']}: {p['reason']}" for p in problems))
        report_path = Path(archive_path).parent / REPORT
        report = {"platform": self._settings().platform, "extracted": extracted_path,
                  "error": message, "students": {}, "not_collected": problems}
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        if self.parent is not None and hasattr(self.parent, "fail"):
            self.parent.fail(message)
        raise ArchiveRefused(message)

    def extract(self, archive_path: str, extracted_path: str) -> None:
        """Check every zip in ``archive_path`` and, when all pass, extract them to
        ``extracted_path`` (the hook nbgrader's ZipCollectApp calls)."""
        self.roots: dict[str, str] = {}
        self.refused: list[dict] = []
        #: per extracted file: download (its zip's folder), date (the zip entry's date_time,
        #: written by the platform), index (its position in the zip), and for a file from an
        #: archive a student uploaded: zip (that archive's name) and outer (its entry path)
        self.meta: dict[str, dict] = {}
        #: per download folder: the newest entry date in it (when the platform wrote the zip)
        self.downloads: dict[str, str] = {}
        #: folder entries of the platform's zips (label, entry): a student's empty folder
        self.dirs: list[tuple[str, str]] = []
        #: per extracted upload archive that was not opened: why
        self.unopened: dict[str, str] = {}
        settings = self._settings()
        self._budget = settings.max_archive_bytes
        archive, extracted = Path(archive_path), Path(extracted_path)
        items = sorted(p for p in archive.rglob("*") if p.is_file() or p.is_symlink())
        if not items:
            self.log.warning("No files found in directory: %s", archive)
            return
        zips, loose, problems = [], [], []
        for path in items:
            rel = path.relative_to(archive).as_posix()
            if path.is_symlink():
                problems.append({"file": rel, "kind": "archive refused",
                                 "reason": "a symbolic link in archive/: put the file itself there"})
            elif path.name.lower().endswith(".zip"):
                try:
                    infos, too_big = check_archive(path, settings.max_entries,
                                                   settings.max_archive_bytes, settings.max_ratio)
                except ArchiveRefused as err:
                    problems.append({"file": rel, "kind": "archive refused", "reason": str(err)})
                else:
                    zips.append((path, rel, infos, too_big))
            elif path.name.lower().endswith(ARCHIVE_SUFFIXES):
                problems.append({"file": rel, "kind": "archive refused", "reason":
                                 "only .zip downloads are read (Canvas, Moodle and Blackboard "
                                 "give a .zip); download the zip from the platform again"})
            else:
                loose.append((path, rel))
        if problems:
            self._refuse_all(archive_path, extracted_path, problems)
        # each zip gets its own top-level folder, never one that holds a copied file or
        # another zip's entries; archives that students uploaded are opened into one more
        taken = {rel.split("/", 1)[0] for _, rel in loose}
        folders = []
        for path, rel, infos, too_big in zips:
            stem = rel[:-4].replace("/", "_").lstrip(".") or "download"
            folder, n = stem, 1
            while folder in taken:
                n += 1
                folder = f"{stem}-{n}"
            taken.add(folder)
            folders.append(folder)
        inner, n = "opened-uploads", 1
        while inner in taken:
            n += 1
            inner = f"opened-uploads-{n}"
        self._inner_root = extracted / inner
        self._inner_count = 0
        for (path, rel, infos, too_big), folder in zip(zips, folders):
            root = extracted / folder
            root.mkdir(parents=True, exist_ok=True)
            self.roots[str(root)] = folder
            dates = [_zip_date(i) for i in infos if not i.is_dir()]
            self.downloads[folder] = max(dates) if dates else ""
            self.log.info("Extracting %s to %s", path, root)
            self._extract_zip(path, infos, too_big, root, folder)
        for path, rel in loose:
            dest = extracted / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.log.info("Copying %s to %s", path, dest)
            shutil.copyfile(path, dest)
        if not any(p.is_file() for p in extracted.rglob("*")) and not self.dirs:
            self._refuse_all(archive_path, extracted_path, self.refused or [
                {"file": rel, "kind": "archive refused", "reason": "no files in it"}
                for _, rel, _, _ in zips], why="gave no file to collect")

    def _extract_zip(self, path: Path, infos: list[zipfile.ZipInfo], too_big: dict[str, str],
                     root: Path, label: str, upload: dict | None = None) -> None:
        """Extract the checked entries of one zip to ``root``, regular files only. ``upload``
        is set for an archive a student uploaded (opened once, never an archive inside it)."""
        counts: dict[str, int] = {}
        for info in infos:
            key = unicodedata.normalize("NFC", info.filename.rstrip("/"))
            counts[key] = counts.get(key, 0) + 1
        top = root.resolve()
        with zipfile.ZipFile(path) as zf:
            for index, info in enumerate(infos):
                shown = (f"{label}/{_shown(upload['outer'])}/{_shown(info.filename)}" if upload
                         else f"{label}/{_shown(info.filename)}")
                problem = entry_problem(info) or too_big.get(info.filename)
                if problem is None and counts[unicodedata.normalize(
                        "NFC", info.filename.rstrip("/"))] > 1:
                    problem = "the same name occurs more than once in the archive: none is trusted"
                if problem is None and info.is_dir():
                    if upload is None:
                        self.dirs.append((label, info.filename.rstrip("/")))
                    continue
                if problem:
                    item = {"file": shown, "kind": "refused entry", "reason": problem}
                    if upload:
                        item["upload_of"] = upload["path"]
                    self.refused.append(item)
                    continue
                target = root.joinpath(*info.filename.split("/"))
                if not target.resolve().is_relative_to(top):
                    self.refused.append({"file": shown, "kind": "refused entry",
                                         "reason": "would be written outside the folder"})
                    continue
                created = False
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, open(target, "xb") as dst:
                        created = True
                        left = info.file_size
                        while chunk := src.read(min(1 << 20, left + 1)):
                            left -= len(chunk)
                            if left < 0:
                                raise zipfile.BadZipFile("larger than its central directory says")
                            dst.write(chunk)
                except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError,
                        EOFError, ValueError, zlib.error) as err:
                    if created:
                        target.unlink(missing_ok=True)
                    self.refused.append({"file": shown, "kind": "refused entry",
                                         "reason": f"could not be extracted: {err}"})
                    continue
                if upload:
                    self.meta[str(target)] = {**upload["meta"], "zip": upload["name"],
                                              "outer": upload["outer"], "inner": info.filename}
                    if info.filename.lower().endswith(ARCHIVE_SUFFIXES):
                        self.unopened[str(target)] = ("an archive inside an uploaded archive "
                                                      "is not opened")
                    continue
                self.meta[str(target)] = {"download": label, "date": _zip_date(info),
                                          "index": index}
                if info.filename.lower().endswith(".zip"):
                    self._open_upload(target, label, info.filename, self.meta[str(target)])
                elif info.filename.lower().endswith(ARCHIVE_SUFFIXES):
                    suffix = PurePosixPath(info.filename).suffix
                    self.unopened[str(target)] = f"only .zip uploads are opened, not {suffix}"

    def _open_upload(self, path: Path, label: str, outer: str, meta: dict) -> None:
        """Open a zip a student uploaded, with the same checks and limits as the platform's
        zip, into its own folder under the opened-uploads folder. Its files are recorded as
        files of the upload (``outer``), so only the uploader's top-level name decides whose
        they are. A zip over a limit, or one that would use up what is left of
        ``max_archive_bytes`` for this run, is not opened (the reason is kept)."""
        settings = self._settings()
        try:
            infos, too_big = check_archive(path, settings.max_entries, self._budget,
                                           settings.max_ratio)
        except ArchiveRefused as err:
            self.unopened[str(path)] = str(err).replace(path.name, "the uploaded archive", 1)
            return
        self._budget -= sum(i.file_size for i in infos if i.filename not in too_big)
        self._inner_count += 1
        root = self._inner_root / str(self._inner_count)
        root.mkdir(parents=True, exist_ok=True)
        self.log.info("Opening %s, uploaded by a student, in %s", path, root)
        self._extract_zip(path, infos, too_big, root, label,
                          upload={"path": str(path), "outer": outer, "meta": meta,
                                  "name": PurePosixPath(outer).name})


class PlatformCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect's collector for Canvas, Moodle and Blackboard bulk downloads."""

    platform = Enum(sorted(PATTERNS), default_value="canvas",
                    help="The learning platform whose bulk-download file names are read."
                    ).tag(config=True)
    timezone = Unicode("Europe/Brussels",
                       help="Time zone of the times in the platform's file names.").tag(config=True)
    patterns = Dict({}, help="Extra or replacement top-level name patterns, by platform name "
                    "(matched against the first path part of each entry of the platform's zip)."
                    ).tag(config=True)
    max_entries = Int(20_000, help="At most this many entries in the platform's zip; a zip "
                      "with more is refused before anything is extracted.").tag(config=True)
    max_archive_bytes = Int(2 * 1024 ** 3, help="At most this many bytes unpacked from the "
                            "platform's zip (from its central directory); a zip that would "
                            "unpack to more is refused before anything is extracted."
                            ).tag(config=True)
    max_ratio = Int(100, help="At most this compression ratio (unpacked / packed size) for the "
                    "platform's zip as a whole and for each entry of 1 MB or more; a larger "
                    "entry is not extracted, a larger zip is refused.").tag(config=True)
    max_id_length = Int(64, help="Longest student id accepted.").tag(config=True)

    _plan: dict | None = None
    _standalone: dict | None = None
    #: The module's other language editions (welfaregrading/editions.py): {"grade_ids": the
    #: source's grade ids, "editions": {lang: (assignment id, its notebook names)}}.
    _editions: dict | None = None

    # -- nbgrader's hook -------------------------------------------------------------------------

    def collect(self, submitted_file: str):
        """Whose is ``submitted_file`` and which notebook (the hook ZipCollectApp calls for each
        extracted file); ``None`` when it is not collected (the report says why)."""
        if self._plan is None:
            self._plan = self._make_plan(Path(submitted_file))
        decision = self._plan.get(os.path.abspath(submitted_file))
        if decision is None:
            self.log.info("Not collected (see %s): %s", REPORT, submitted_file)
        return decision

    # -- names -----------------------------------------------------------------------------------

    def parse_entry(self, entry: str, folder: bool = False) -> dict | None:
        """The pattern's groups for one entry of the platform's zip, or None.

        ``entry`` is the path from the top of the zip, with '/' (``folder`` True for a folder
        entry). Only its first part (a flat file name, or Moodle's per-student folder) is
        matched: that part is written by the platform. Deeper parts were written by the student
        and only extend ``file_id``: they never decide whose the file is. The groups include
        ``layout``, the documented layout whose pattern matched (see ``LAYOUT_PATTERNS``).
        """
        first, *inner = entry.split("/")
        below = bool(inner) or folder
        if self.platform in self.patterns:
            layouts = [(f"{self.platform} (c.PlatformCollector.patterns)",
                        self.patterns[self.platform], None)]
        else:
            layouts = LAYOUT_PATTERNS[self.platform]
        for layout, regex, is_folder in layouts:
            if is_folder is not None and is_folder != below:
                continue
            match = re.match(regex, first)
            if match:
                break
        else:
            return None
        groups = match.groupdict()
        groups["layout"] = layout
        if self.platform == "moodle" and (groups.get("name") or "") == MOODLE_BLIND_NAME:
            groups["layout"] += ", blind marking"
            groups["blind"] = True
            groups["name"] = ""
        if inner:
            groups["file_id"] = "/".join(p for p in [groups.get("file_id") or "", *inner] if p)
        return groups

    def parse(self, relative: str) -> dict | None:
        """The pattern's groups for one path under the extracted directory, or None: its first
        part is the folder the platform's zip was extracted to (``downloaded/<id>/extracted/
        <zip name>/``), the rest the entry's path from the top of the zip
        (see :meth:`parse_entry`)."""
        parts = relative.split("/", 1)
        return self.parse_entry(parts[1]) if len(parts) == 2 else None

    def _timestamp(self, text: str | None) -> str | None:
        if not text:
            return None
        from zoneinfo import ZoneInfo

        fmt = TIMESTAMP_FORMATS.get(self.platform, "%Y-%m-%d-%H-%M-%S")
        local = dt.datetime.strptime(text, fmt).replace(tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(dt.UTC).isoformat(" ")

    # -- the plan: every extracted file at once ------------------------------------------------

    def _paths(self, any_file: Path) -> tuple[Path, Path, list[str]]:
        if self._standalone is not None:
            return self._standalone["extracted"], self._standalone["report"], \
                self._standalone["released"]
        app = self.parent
        if app is not None and hasattr(app, "_format_collect_path"):
            extracted = Path(app._format_collect_path(app.extracted_directory))
            report = Path(app._format_collect_path(app.archive_directory)).parent / REPORT
            aid = app.coursedir.assignment_id
            released = Path(app.coursedir.format_path(app.coursedir.release_directory, ".", aid))
            source = Path(app.coursedir.format_path(app.coursedir.source_directory, ".", aid))
            names = sorted(p.name for p in released.glob("*.ipynb")) or \
                sorted(p.name for p in source.glob("*.ipynb"))
            self._editions = _editions_of(Path(app.coursedir.root), aid)
            return extracted, report, names
        return any_file.parent, any_file.parent / REPORT, []

    def _assignment_id(self) -> str | None:
        """The assignment being collected (nbgrader's), or None outside nbgrader."""
        if self._standalone is not None:
            return self._standalone.get("assignment")
        coursedir = getattr(self.parent, "coursedir", None)
        return getattr(coursedir, "assignment_id", None) or None

    def _extractor(self) -> PlatformExtractor | None:
        if self._standalone is not None:
            return self._standalone["extractor"]
        app = self.parent
        if app is None or not hasattr(app, "extractor_plugin_inst"):
            return None
        extractor = app.extractor_plugin_inst
        if not isinstance(extractor, PlatformExtractor):
            app.fail("Refusing to collect: nbgrader's own extractor opens archives inside "
                     "students' uploads, where a file could pass for another student's. Set "
                     'c.ZipCollectApp.extractor_plugin = "welfaregrading.collect.PlatformExtractor"'
                     " in nbgrader_config.py (or run `make collect`).")
        return extractor

    def _entries(self, extracted: Path) -> list[tuple[Path, str, str]]:
        """(file, path under extracted/, path from the top of its platform zip) for each file.
        A file from an archive a student uploaded gets the archive's entry path followed by its
        path inside the archive, so the uploader's top-level name decides whose it is."""
        extractor = self._extractor()
        roots = sorted(((Path(r), label) for r, label in getattr(extractor, "roots", {}).items()),
                       key=lambda item: -len(item[1]))
        meta = getattr(extractor, "meta", {})
        found = []
        for path in sorted(p for p in extracted.rglob("*") if p.is_file() or p.is_symlink()):
            rel = path.relative_to(extracted).as_posix()
            info = meta.get(str(path), {})
            if "outer" in info:
                entry = f"{info['outer']}/{info['inner']}"
            elif extractor is None:  # no app: the first part is the zip's folder (as parse)
                entry = rel.split("/", 1)[1] if "/" in rel else rel
            else:
                entry = next((rel[len(label) + 1:] for _, label in roots
                              if rel.startswith(label + "/")), rel)
            found.append((path, rel, entry))
        return found

    def _platform_counts(self, entries: list[str]) -> dict[str, int]:
        """How many entries each platform's patterns read (own platform included)."""
        counts = {}
        for other in sorted(LAYOUT_PATTERNS):
            probe = self if other == self.platform else PlatformCollector(
                platform=other, patterns={k: v for k, v in self.patterns.items() if k == other})
            counts[other] = sum(1 for e in entries if probe.parse_entry(e) is not None)
        return counts

    def _suggest(self, entries: list[str]) -> str:
        """Which other platform's names the entries look like, as a hint."""
        counts = {k: v for k, v in self._platform_counts(entries).items() if k != self.platform}
        best = max(counts, key=counts.get) if counts else None
        if best and counts[best]:
            return (f"{counts[best]} of the files look like a {best} download: set "
                    f'{_SETTINGS}.platform = "{best}" in nbgrader_config.py (or PLATFORM={best} '
                    "for one run).")
        return ("Wrong platform? Check c.PlatformCollector.platform in nbgrader_config.py, and "
                "put the platform's own zip in archive/ (not unpacked and zipped again).")

    def _local(self, stamp: str | None) -> str:
        """A platform time 'YYYY-MM-DD-HH-MM-SS' as 'YYYY-MM-DD HH:MM' (its own time zone)."""
        if not stamp:
            return ""
        return f"{stamp[:10]} {stamp[11:13]}:{stamp[14:16]}"

    def _make_plan(self, any_file: Path) -> dict:
        extracted, report_path, released = self._paths(any_file)
        extractor = self._extractor()
        meta = getattr(extractor, "meta", {})
        unopened = getattr(extractor, "unopened", {})
        downloads = getattr(extractor, "downloads", {})
        skipped = [dict(i) for i in getattr(extractor, "refused", [])]
        parsed, layouts = [], {}
        entries = self._entries(extracted)
        # a folder entry counts only when nothing of the same top-level name holds a file
        # (some zip writers list every folder): then it is a student's empty folder
        tops = {(rel.split("/", 1)[0], e.split("/", 1)[0]) for _, rel, e in entries}
        dirs = [(label, entry) for label, entry in getattr(extractor, "dirs", [])
                if (label, entry.split("/", 1)[0]) not in tops]
        all_entries = [e for _, _, e in entries] + [e for _, e in dirs]
        counts = self._platform_counts(all_entries)
        others = {k: v for k, v in counts.items() if k != self.platform}
        best = max(others, key=others.get) if others else None
        wrong = best is not None and others[best] > counts[self.platform]
        owners = {}
        for path, rel, entry in entries + [(None, f"{label}/{entry}/", entry)
                                           for label, entry in dirs]:
            if path is not None and path.is_symlink():
                skipped.append({"file": rel, "kind": "refused entry",
                                "reason": "symbolic link (never followed)"})
                continue
            groups = self.parse_entry(entry, folder=path is None)
            if groups is None:
                skipped.append({"file": rel, "kind": "unmatched", "reason":
                                f"its top-level name matches no {self.platform} pattern (not "
                                "from the platform's bulk download?)"})
                continue
            sid = groups["student_id"]
            problem = check_student_id(sid, self.max_id_length)
            if problem:
                skipped.append({"file": rel, "kind": "rejected student id",
                                "student": _shown(sid), "reason": f"{problem}; not collected"})
                continue
            try:
                stamp = self._timestamp(groups.get("timestamp"))
            except ValueError as err:
                skipped.append({"file": rel, "kind": "unmatched",
                                "reason": f"unreadable time in the name: {err}"})
                continue
            info = meta.get(str(path), {}) if path is not None else {}
            label = info.get("download") or (rel.split("/", 1)[0] if "/" in rel else "")
            layouts[groups["layout"]] = layouts.get(groups["layout"], 0) + 1
            file_id = groups.get("file_id") or ""
            p = {"path": path, "rel": rel, "student": sid, "layout": groups["layout"],
                 "attempt": groups.get("timestamp") or "", "utc": stamp,
                 "file": PurePosixPath(file_id).name, "name": _clean_name(groups.get("name")),
                 "late": bool(groups.get("late")), "download": label,
                 "kind": groups.get("kind") or "file", "folder": path is None,
                 "attachment": int(groups["attachment"]) if groups.get("attachment") else -1,
                 "date": info.get("date", ""), "index": info.get("index", -1),
                 "zip": _upload_name(self, info), "blind": bool(groups.get("blind"))}
            if path is not None:
                owners[str(path)] = sid
            parsed.append(p)
        # entries refused inside an uploaded archive belong to its uploader
        for item in skipped:
            if "upload_of" in item:
                item["student"] = owners.get(item.pop("upload_of"), "")
        receipts = {}
        for p in parsed:
            if self.platform == "blackboard" and not p["file"] and p["path"] is not None:
                receipts[(p["student"], p["download"], p["attempt"])] = read_receipt(p["path"])
        plan, students = {}, {}
        for sid in sorted({p["student"] for p in parsed}):
            items = [p for p in parsed if p["student"] == sid]
            keys = {}
            for p in items:
                key = (p["download"], p["attempt"])
                old = keys.get(key, ("", -1, "", ""))
                keys[key] = (p["attempt"], max(old[1], p["attachment"]),
                             downloads.get(p["download"], ""), p["download"])
            ranked = sorted(keys, key=lambda k: keys[k])
            latest = ranked[-1]
            several_downloads = len({k[0] for k in keys}) > 1
            receipt = receipts.get((sid, *latest)) or {}
            name = receipt.get("name") or next((p["name"] for p in items if p["name"]), "")
            first, last = _split_name(name) if self.platform != "canvas" else ("", "")
            info = {"name": name, "first_name": first, "last_name": last, "platform_id": sid,
                    "attempt": latest[1] or None, "submitted_utc": None, "files": [],
                    "notes": [], "late": None, "gradable": False, "reason": "",
                    "earlier_attempts": sorted({k[1] for k in keys if k[1] != latest[1]}),
                    "download": latest[0] or None}
            for p in items:
                key = (p["download"], p["attempt"])
                if key == latest:
                    continue
                if key[1] != latest[1]:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "earlier attempt",
                                    "reason": f"earlier attempt ({p['attempt'] or 'undated'}); only "
                                    f"the latest ({latest[1]}) is graded, whole"})
                else:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "older download",
                                    "reason": f"from the older download '{p['download']}'; the "
                                    f"newer download '{latest[0]}' holds this student's latest "
                                    "submission, graded whole"})
            current = [p for p in items if (p["download"], p["attempt"]) == latest]
            if self.platform == "canvas":
                info["late"] = any(p["late"] for p in current)
                if info["late"]:
                    info["notes"].append("the platform marks this submission as late")
            if self.platform == "blackboard" and latest[1]:
                info["submitted_utc"] = self._timestamp(latest[1])
            if info["earlier_attempts"]:
                info["notes"].append(f"{len(info['earlier_attempts'])} earlier attempt(s) "
                                     f"ignored; graded the attempt of {latest[1]}")
            originals = receipt.get("files", {})
            notebooks, others_in = [], []
            for p in current:
                if p["folder"]:
                    others_in.append(("an empty folder", p))
                    continue
                if not p["file"] and self.platform == "blackboard":
                    skipped.append({"file": p["rel"], "student": sid, "kind": "receipt",
                                    "reason": "the platform's submission receipt"})
                    continue
                if not p["file"] and p["kind"] in ("text", "link"):
                    others_in.append((f"online {p['kind']}", p))
                    skipped.append({"file": p["rel"], "student": sid, "kind": "not a notebook",
                                    "reason": f"the platform's page for an online {p['kind']} "
                                    "entry; not graded"})
                    continue
                if not p["file"]:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "unmatched",
                                    "reason": "no file name after the platform's prefix"})
                    continue
                stored = PurePosixPath(p["rel"]).name
                if stored in originals and originals[stored] != p["file"]:
                    p["original"] = originals[stored]
                shown_name = p.get("original") or p["file"]
                lower = shown_name.lower()
                if lower.endswith(".ipynb"):
                    notebooks.append(p)
                elif str(p["path"]) in unopened or lower.endswith(ARCHIVE_SUFFIXES):
                    why = unopened.get(str(p["path"]))
                    if why is None and p["zip"] is None:
                        why = "opened: its notebooks belong to this student"
                        kind = "opened archive"
                    else:
                        why = f"not opened ({why or 'an archive inside an uploaded archive'})"
                        kind = "not a notebook"
                    others_in.append((shown_name, p))
                    skipped.append({"file": p["rel"], "student": sid, "kind": kind,
                                    "reason": f"archive inside the upload, {why}"})
                else:
                    suffix = PurePosixPath(shown_name).suffix or "no extension"
                    others_in.append((shown_name, p))
                    skipped.append({"file": p["rel"], "student": sid, "kind": "not a notebook",
                                    "reason": f"not a notebook ({suffix}); not graded"})
            candidates: dict[str, list] = {}
            routes = {}  # target name -> the edition's assignment id (another language)
            editions = (self._editions or {}).get("editions") or {}
            for p in notebooks:
                shown_name = p.get("original") or p["file"]
                target, score = match_notebook(shown_name, released)
                # A notebook of another edition (m06-nl) is told by its content, never by its
                # name: the release's language tag or the set_language("nl") line, with the
                # assignment's grade ids (welfaregrading/editions.py, notebook_language).
                lang = None if not editions or p["path"] is None else \
                    notebook_language(p["path"], self._editions["grade_ids"])
                if lang in editions:
                    eid, names = editions[lang]
                    target, score = match_notebook(shown_name, names)
                    if target is None and len(names) == 1:
                        target = names[0]
                    if target is not None:
                        # nbgrader copies it to submitted/<student>/<id>/<id>-nl/<name> (a
                        # name of its own even where both editions' notebooks share one);
                        # editions.route_collected moves it to submitted/<student>/<id>-nl/
                        target = f"{eid}/{target}"
                        routes[target] = eid
                if target is None:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "other notebook",
                                    "reason": f"notebook {shown_name!r} is not one of this "
                                    f"assignment's ({', '.join(released) or 'none released'})"})
                    others_in.append((shown_name, p))
                    continue
                candidates.setdefault(target, []).append((p, score))
            kept = {}
            for target, group in sorted(candidates.items()):
                group.sort(key=lambda ps: _newness(ps[0], ps[1]))
                p, score = group[-1]
                kept[target] = p
                why = self._why(p, group, latest, several_downloads, bool(info["earlier_attempts"]))
                for older, _ in group[:-1]:
                    skipped.append({"file": older["rel"], "student": sid, "kind": "copy",
                                    "reason": f"an older or less fitting copy of {target} in the "
                                    f"same attempt; kept {p.get('original') or p['file']!r} "
                                    f"({why})"})
                decision = {"student_id": sid, "file_id": target}
                if p["utc"]:
                    decision["timestamp"] = p["utc"]
                plan[os.path.abspath(p["path"])] = decision
                eid = routes.get(target)
                info["files"].append({"from": p["rel"], "to": target, "why": why,
                                      "assignment": eid or self._assignment_id(),
                                      "language": split_id(eid)[1] if eid else "en"})
                shown_name = p.get("original") or p["file"]
                if shown_name != PurePosixPath(target).name:
                    info["notes"].append(f"notebook {shown_name!r} was renamed to "
                                         f"{PurePosixPath(target).name}")
                if eid:
                    info["notes"].append(f"{shown_name!r} is the {split_id(eid)[1]} edition "
                                         f"(its content): graded as {eid}")
            langs = {f["language"]: kept[f["to"]] for f in info["files"]}
            if len(langs) > 1:
                # both editions handed in: the later counts in the grades file, by the
                # platform's own order of the files of one attempt (Canvas's attachment id,
                # Moodle's copy number, the zip entry's date, its place in the zip: _newness),
                # never a file's modification time
                later = max(langs, key=lambda k: _newness(langs[k], 100)[1:])
                info["later"] = later
                info["later_why"] = self._why(langs[later], [(q, 100) for q in langs.values()
                                                             if q is not langs[later]]
                                              + [(langs[later], 100)], latest,
                                              several_downloads, False)
                info["notes"].append(f"handed in both editions ({', '.join(sorted(langs))}): "
                                     f"both are graded, the later ({later}) counts")
            if info["files"]:
                info["gradable"] = True
            else:
                info["reason"] = _not_gradable(others_in, items, current)
            students[sid] = info
        layout = " + ".join(sorted(layouts, key=lambda k: -layouts[k])) or None
        if layout and self.platform == "blackboard":
            several = any(s["earlier_attempts"] for s in students.values())
            layout += ", all attempts" if several else ", one attempt per student"
            if any(r.get("language") == "nl" for r in receipts.values()):
                layout += ", Dutch receipts (Toledo)"
        report = {"platform": self.platform, "layout": layout, "timezone": self.timezone,
                  "extracted": str(extracted), "released": released,
                  "students": students, "not_collected": skipped}
        if self.platform == "canvas" and any(s["name"] for s in students.values()):
            report["names"] = ("Canvas writes each student's sortable name lowercased and "
                               "without its comma ('duprézoë'): it cannot be split into first "
                               "and last name, so first_name and last_name are empty (the "
                               "roster, Canvas's gradebook export, gives them)")
        if wrong:
            report["error"] = (
                f"WRONG PLATFORM: this looks like a {best} download, not {self.platform}: "
                f"{others[best]} of its {len(all_entries)} file(s) have {best}'s names, "
                f"{counts[self.platform]} have {self.platform}'s. Set "
                f'{_SETTINGS}.platform = "{best}" in nbgrader_config.py (or PLATFORM={best} for '
                "one run); nothing was collected.")
            plan = {}
        elif not plan and (entries or skipped or dirs):
            report["error"] = (
                f"NOTHING WAS COLLECTED: the download holds {len(entries)} file(s) "
                f"({len(skipped)} not collected, listed in {report_path}) and no student's "
                f"notebook could be read from them as a {self.platform} download. "
                + self._suggest(all_entries))
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        self.log.info("Collect plan written to %s", report_path)
        if "error" in report and self.parent is not None and hasattr(self.parent, "fail"):
            self.parent.fail(report["error"])
        return plan

    def _why(self, p: dict, group: list, latest: tuple, several_downloads: bool,
             earlier: bool) -> str:
        """Why this file was kept, in words: the attempt, the copy, the archive it came from."""
        parts = []
        if latest[1]:
            parts.append(f"{'newest' if earlier else 'the only'} attempt {self._local(latest[1])}")
        if several_downloads:
            parts.append(f"from the newer download '{latest[0]}'")
        if len(group) > 1:
            name = p.get("original") or p["file"]
            rivals = [q for q, _ in group[:-1]]
            if group[-1][1] >= 95 and any(s < 95 for _, s in group[:-1]) and all(
                    _newness(q, s)[0] == 0 for q, s in group[:-1]):
                parts.append(f"its name fits the assignment's notebook ('{name}')")
            elif self.platform == "canvas" and all(q["attachment"] < p["attachment"]
                                                   for q in rivals):
                parts.append(f"Canvas's newer upload '{name}' (higher attachment id)")
            elif all(_copy_number(q) < _copy_number(p) for q in rivals):
                parts.append(f"Moodle's newer copy '{name}'")
            elif all(q["date"] < p["date"] for q in rivals):
                parts.append(f"the newer file '{name}' (zip entry date {p['date']})")
            else:
                parts.append(f"'{name}' comes later in the platform's zip")
        if p.get("zip"):
            parts.append(f"from the zip '{p['zip']}' uploaded by this student")
        return "; ".join(parts) or "the student's submission in the download"


def _editions_of(root: Path, assignment: str) -> dict | None:
    """The other language editions of ``assignment`` in the course at ``root``, for routing:
    ``{"grade_ids": ..., "editions": {lang: (id, notebook names)}}``; None when there are none
    or ``assignment`` is itself an edition (``m06-nl``)."""
    from welfaregrading import editions as ed

    try:
        base, lang = ed.split_id(assignment)
    except ValueError:
        return None
    if lang != ed.DEFAULT_LANGUAGE:
        return None
    found = {}
    for other, eid in ed.editions_of(base, root).items():
        if other == ed.DEFAULT_LANGUAGE:
            continue
        names = sorted(p.name for p in (root / "release" / eid).glob("*.ipynb")) or \
            sorted(p.name for p in (root / "source" / eid).glob("*.ipynb"))
        found[other] = (eid, names)
    if not found:
        return None
    ids = set()
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        ids |= ed.grade_ids(path)
    return {"grade_ids": ids, "editions": found}


def _upload_name(collector: PlatformCollector, info: dict) -> str | None:
    """The name the student gave the archive a file came from ('work.zip'), or None."""
    if "outer" not in info:
        return None
    groups = collector.parse_entry(info["outer"]) or {}
    return PurePosixPath(groups.get("file_id") or info["outer"]).name


def _copy_number(p: dict) -> int:
    """Moodle's copy number: 'm06 (2).ipynb' → 2 (file_storage::get_unused_filename adds
    ' (1)', ' (2)' ... to a name already uploaded, so a higher number is newer), else 0."""
    match = re.search(r" \((\d+)\)$", PurePosixPath(p.get("original") or p["file"]).stem)
    return int(match.group(1)) if match else 0


def _newness(p: dict, score: int) -> tuple:
    """Sort key for copies of one notebook in one attempt, newest (and best named) last: a name
    that fits (exact or with copy marks) before a fuzzy one, then Canvas's attachment id,
    Moodle's copy number, the zip entry's date, its place in the platform's zip (Moodle lists a
    student's files in upload order), and for files of an uploaded archive their own order."""
    return (1 if score >= 95 else 0, p["attachment"], _copy_number(p), p["date"], p["index"],
            p["rel"])


def _not_gradable(others: list[tuple[str, dict]], items: list[dict], current: list[dict]) -> str:
    """Why a student's latest attempt gives nothing to grade, in plain words."""
    names = [n for n, _ in others]
    if not names:
        reason = "the latest attempt holds no file"
    elif names == ["an empty folder"]:
        reason = "the latest attempt is an empty folder"
    elif all(n.lower().endswith(".pdf") for n in names):
        reason = "the latest attempt holds only a PDF" if len(names) == 1 else \
            "the latest attempt holds only PDFs"
    elif any(n.lower().endswith(".ipynb") for n in names):
        reason = ("the latest attempt holds no notebook of this assignment (only "
                  + ", ".join(repr(n) for n in names) + ")")
    else:
        reason = "the latest attempt holds no notebook (only " + ", ".join(
            repr(n) for n in names) + ")"
    earlier = [p for p in items if p not in current and p["file"].lower().endswith(".ipynb")]
    if earlier:
        reason += "; an earlier attempt or older download had one, but only the latest counts"
    return reason


def _clean_name(name: str | None, limit: int = 100) -> str:
    """A student's name from the platform, safe to store: no control or invisible characters,
    at most ``limit`` characters, spaces trimmed."""
    text = "".join(ch for ch in (name or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    return text.strip()[:limit]


def _split_name(name: str) -> tuple[str, str]:
    """'Zoë Dupré' → ('Zoë', 'Dupré'): the first word as first name, the rest as last name, as
    Moodle's default full-name format and Blackboard's receipts write them ("First Last"). A
    site may order names otherwise (Moodle's fullnamedisplay): the roster's names win."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


#: Receipt lines: "Name:"/"Naam:" with the username in brackets, and each file's original and
#: stored names ("Original filename:"/"Filename:"; Dutch as Toledo writes them). English as
#: CodeGrade's Blackboard importer parses it (github.com/CodeGra-de, psef blackboard txt
#: format); Dutch "Naam:", "Opdracht:", "Bestandsnaam:" as jeroendoggen/blackboard-analysis-tools
#: reads Antwerp's Blackboard (settings.py), "Oorspronkelijke bestandsnaam:" per the trial.
_RECEIPT_NAME = re.compile(r"^(?:Name|Naam):[ \t]*(?P<name>.+?)[ \t]*\((?P<user>[^()\n]*)\)[ \t]*$",
                           re.MULTILINE)
_RECEIPT_FILES = re.compile(r"^\t?(?:Original filename|Oorspronkelijke bestandsnaam):[ \t]*"
                            r"(?P<original>[^\n]+?)[ \t]*\n\t?(?:Filename|Bestandsnaam):[ \t]*"
                            r"(?P<stored>[^\n]+?)[ \t]*$", re.MULTILINE)


def read_receipt(path: Path, limit: int = 1 << 20) -> dict:
    """A Blackboard (or Toledo) submission receipt's facts: ``name`` (str), ``username`` (str),
    ``files`` ({stored name: original name}), ``language`` ("en", "nl" or ""). Reads at most
    ``limit`` bytes (a receipt is small; a student cannot make it large, but be sure); an
    unreadable receipt gives empty values."""
    try:
        with open(path, "rb") as fh:
            text = fh.read(limit).decode("utf-8", errors="replace").replace("\r\n", "\n")
    except OSError:
        return {"name": "", "username": "", "files": {}, "language": ""}
    match = _RECEIPT_NAME.search(text)
    language = "nl" if re.search(r"^Naam:", text, re.MULTILINE) else \
        "en" if re.search(r"^Name:", text, re.MULTILINE) else ""
    files = {m["stored"]: m["original"] for m in _RECEIPT_FILES.finditer(text)}
    return {"name": _clean_name(match["name"]) if match else "",
            "username": match["user"].strip() if match else "", "files": files,
            "language": language}


def _receipt_name(path: Path) -> str:
    """The student's name from a Blackboard receipt ('Name: Zoë Dupré (r0123456)')."""
    return read_receipt(path)["name"]


def plan_download(archive: Path, extracted: Path, released: list[str],
                  platform: str, **settings) -> tuple[dict, dict]:
    """Extract and plan a download without nbgrader: what ``nbgrader zip_collect`` with
    :class:`PlatformExtractor` and :class:`PlatformCollector` would copy, and the report.

    ``archive`` holds the platform's zip(s) (as ``downloaded/<id>/archive/``), ``extracted``
    an empty folder to extract to, ``released`` the assignment's notebook names, ``platform``
    one of ``LAYOUT_PATTERNS``; ``settings`` are other :class:`PlatformCollector` settings
    (``timezone``, ``max_entries``, ...). Returns ``(plan, report)``: the plan maps each
    extracted file to ``{"student_id", "file_id"[, "timestamp"]}``; the report is what
    ``collect-report.json`` holds (written next to ``archive``). Raises
    :class:`ArchiveRefused` when the download cannot be read safely.
    """
    collector = PlatformCollector(platform=platform, **settings)
    extractor = PlatformExtractor()
    extractor._settings = lambda: collector
    extractor.extract(str(archive), str(extracted))
    report_path = Path(archive).parent / REPORT
    collector._standalone = {"extracted": Path(extracted), "report": report_path,
                             "released": sorted(released), "extractor": extractor}
    plan = collector._make_plan(Path(extracted))
    return plan, json.loads(report_path.read_text(encoding="utf-8"))


def collect(course: Path, assignment: str, platform: str | None = None, echo=print) -> dict:
    """Run ``nbgrader zip_collect <assignment> --force`` with :class:`PlatformCollector` in
    ``course`` (``platform`` overrides nbgrader_config.py's). Copies the latest attempt of each
    student to ``submitted/<student>/<assignment>/``, records the students' names in the
    gradebook, prints what was collected and lists every file that was not. Returns the
    report (also in ``downloaded/<id>/collect-report.json``)."""
    from nbgrader.api import Gradebook

    from welfaregrading.course import db_url, venv_on_path
    from welfaregrading.runfiles import RunLog

    course = Path(course).resolve()
    archive = course / "downloaded" / assignment / "archive"
    if not archive.is_dir() or not any(p.is_file() for p in archive.rglob("*")):
        raise FileNotFoundError(f"Put the platform's bulk-download zip in {archive} first.")
    log = RunLog(course, assignment, echo)
    report_path = course / "downloaded" / assignment / REPORT
    # The last good collect's report is kept aside while this one runs: export, roster and
    # summary read the report, and a collect that stops (wrong platform, nothing readable)
    # must not leave an empty one behind, which silently changed a both-editions student's
    # grade and dropped students at the next export (found by a lecturer tryout).
    previous = report_path.with_name("collect-report-previous.json")
    if report_path.exists():
        report_path.replace(previous)
    venv_on_path()
    cmd = ["nbgrader", "zip_collect", assignment, "--force",
           "--collector=welfaregrading.collect.PlatformCollector",
           "--extractor=welfaregrading.collect.PlatformExtractor"]
    if platform:
        cmd.append(f"--PlatformCollector.platform={platform}")
    log(f"== collect {assignment}: {' '.join(cmd)}", quiet=True)
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    log(done.stdout + done.stderr, quiet=True)
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    if done.returncode != 0 or report is None or report.get("error"):
        kept = ""
        if previous.exists():
            # with no earlier report, this run's (with its error) stays where it was
            if report is not None:
                report_path.replace(report_path.with_name("collect-report-failed.json"))
            previous.replace(report_path)
            kept = (f" The report of the last collect that worked is kept ({report_path}); "
                    f"this run's is {report_path.with_name('collect-report-failed.json')}.")
    if report is not None and (done.returncode != 0 or report.get("error")):
        _show_skipped(report, log)
        message = (report.get("error") or "nbgrader zip_collect failed") + kept
        log(message)
        log(f"Report: {report_path.with_name('collect-report-failed.json') if kept else report_path}; "
            f"log: {log.path}")
        raise RuntimeError(message)
    if done.returncode != 0 or report is None:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"nbgrader zip_collect failed (log: {log.path}):{kept}\n{tail}")
    previous.unlink(missing_ok=True)
    students = report["students"]
    # a notebook of the module's other edition (m06-nl, told by its content in the plan) goes
    # to submitted/<student>/<id>-nl/; the report keeps where each went
    routed = route_collected(course, assignment, report)
    if any("+" in langs or langs != "en" for langs in routed.values()):
        report["languages"] = routed
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False),
                               encoding="utf-8")
        counts = {}
        for langs in routed.values():
            counts[langs] = counts.get(langs, 0) + 1
        log("Editions handed in: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
            + " (Dutch ones go to " + ", ".join(sorted({f["assignment"] for i in
                                                        students.values() for f in i["files"]
                                                        if f.get("assignment") != assignment}))
            + ")")
    with Gradebook(db_url(course)) as gb:
        for sid, info in students.items():
            # only names the platform states (Canvas's sortable name cannot be split: the
            # roster gives those); an empty pair leaves the gradebook's names as they are
            names = {k: info[k] for k in ("first_name", "last_name") if info.get(k)}
            gb.update_or_create_student(sid, **names)
    collected = [s for s, i in students.items() if i["files"]]
    log(f"Collected {len(collected)} students from the {report['platform']} download "
        f"({report.get('layout')}) into submitted/*/{assignment}/ (times read as "
        f"{report['timezone']}).")
    for sid, info in students.items():
        if not info.get("gradable", bool(info["files"])):
            log(f"  {sid}: NOT GRADABLE: {info.get('reason')}")
    for sid, info in students.items():
        for note in info["notes"]:
            log(f"  {sid}: {note}")
    _show_skipped(report, log)
    log(f"Report: {report_path}")
    return report


def _show_skipped(report: dict, log) -> None:
    """Print every file of the report that was not collected, with the reason."""
    skipped = report.get("not_collected", [])
    receipts = [item for item in skipped if item.get("kind") == "receipt"]
    listed = [item for item in skipped if item.get("kind") != "receipt"]
    if receipts:
        log(f"{len(receipts)} submission receipt(s) of the platform were read, not collected.")
    refused = [item for item in listed if item.get("kind") in
               ("archive refused", "refused entry", "rejected student id")]
    if refused:
        log(f"WARNING: {len(refused)} {'entry' if len(refused) == 1 else 'entries'} refused "
            "as unsafe or with an unusable student id (listed below).")
    if listed:
        log(f"{len(listed)} file(s) not collected:")
        for item in listed:
            who = f" [{item['student']}]" if item.get("student") else ""
            log(f"  - {item['file']}{who}: {item['reason']}")


# -- sample downloads, for the lecturer guide, the tests and the benchmark -----------------------

def _downloads_tool():
    """tools/platform_downloads.py of this repository (the one generator of sample downloads)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "platform_downloads.py"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: sample downloads are made by the course "
                                "repository's tools/platform_downloads.py")
    spec = importlib.util.spec_from_file_location("platform_downloads", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The layout sample_zip writes per platform (see tools/platform_downloads.py's LAYOUTS).
SAMPLE_LAYOUTS = {"canvas": "named", "moodle": "folders-3x", "blackboard": "all-attempts"}


def sample_zip(dest: Path, assignment: str, platform: str, entries: list[dict],
               timezone: str = "Europe/Brussels", extra: dict | None = None,
               layout: str | None = None) -> Path:
    """Write a zip named and laid out like ``platform``'s bulk download of ``assignment``
    (a wrapper of ``tools/platform_downloads.py``'s ``build_download``; ``layout`` defaults to
    ``SAMPLE_LAYOUTS[platform]``).

    Each entry: ``student`` (id), ``name``, ``file`` (the student's file name), ``data``
    (bytes), ``when`` (an aware datetime), optional ``late`` (Canvas's flag) and ``files``
    (more ``{name: bytes}`` in the same attempt). ``extra`` adds stray files ``{path: bytes}``.
    For tests and demos: these are made-up students, never real data. Raises ``ValueError``
    for an unknown platform or layout.
    """
    if platform not in SAMPLE_LAYOUTS:
        raise ValueError(f"platform must be one of {sorted(SAMPLE_LAYOUTS)}, not {platform!r}")
    tool = _downloads_tool()
    return tool.build_download(platform, layout or SAMPLE_LAYOUTS[platform], dest,
                               tool.sample_entries_to_students(entries), assignment,
                               timezone=timezone, extra=extra)
