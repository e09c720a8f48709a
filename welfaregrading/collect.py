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
whatever its own name says. An archive inside a student's upload is never opened (nbgrader's
own extractor would unpack it into the common tree, where its file names could pass for
another student's): it stays a file of that student's attempt, listed as not collected.

The platform's zip is checked before anything is extracted: number of entries, total
uncompressed size and compression ratio, read from its central directory
(``c.PlatformCollector.max_entries``, ``max_archive_bytes``, ``max_ratio``). Entries with an
absolute path, ``..``, a backslash, a control character, a symbolic link, or a name that
occurs twice are not extracted. Student ids that could act as a path (``..``, ``a/b``) or
as a spreadsheet formula (``=1+2``) are refused with their files.

Then the collector:

- keeps only the **latest attempt** of each student, whole (every file of it), so an earlier
  attempt is never mixed in (nbgrader alone would merge attempts file by file, and stop on two
  same-named files without timestamps);
- maps a **renamed notebook** (``m06-sroi (1).ipynb``, Canvas's ``m06-sroi-1.ipynb``, or any
  single notebook when the assignment has one) to the released name, and says so;
- turns the platform's clock time into UTC with ``c.PlatformCollector.timezone`` (default
  Europe/Brussels), so lateness is right across summer time;
- lists **every file it does not collect**, with the reason, in
  ``downloaded/<id>/collect-report.json`` (earlier attempts, receipts, files that match no
  pattern, other file types, refused entries and ids): nothing is dropped silently;
- fails loudly (exit status 1) when the download had files but nobody could be collected.

Top-level names per platform (``name`` is the student's name, only used for the gradebook)::

    canvas      <name>_[LATE_]<user id>_<file id>_<file name>
    moodle      <full name>_<participant id>_assignsubmission_file[_]/<path>/<file name>
                (or flat: <full name>_<participant id>_assignsubmission_file_<file name>)
    blackboard  <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>
                (plus <assignment>_<username>_attempt_<time>.txt, the submission receipt)

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

#: Top-level name patterns, matched against the FIRST part of each entry's path inside the
#: platform's zip (a flat file name, or Moodle's per-student folder), never against the names
#: inside a student's upload. Groups: student_id (required), file_id (the student's file name;
#: empty for Moodle's folder and Blackboard's receipt), timestamp, name, late.
#:
#: - canvas: Canvas LMS, lib/content_zipper.rb (``get_filename``/``add_upload_submission``,
#:   github.com/instructure/canvas-lms): ``[sortable name, "LATE", user id].join("_")`` with
#:   non-word characters removed, then ``_<attachment id>_<display name>``; the name never
#:   holds ``_<digits>_`` (``sanitize_user_name``), so the first ``_<id>_<id>_`` is the
#:   platform's. Without the name under anonymous grading.
#: - moodle: Moodle, mod/assign/locallib.php ``download_submissions`` (github.com/moodle/moodle):
#:   prefix ``str_replace('_', ' ', fullname)`` + ``_<unique id for user>``, then
#:   ``_assignsubmission_file`` as one folder per student (default since Moodle 3.1; a trailing
#:   ``_`` before 4.x) or ``_assignsubmission_file_<file name>`` flat. The name holds no ``_``.
#: - blackboard: Blackboard Learn "Assignment File Download" (Grade Centre), as in nbgrader's
#:   FileNameCollectorPlugin.named_regexp example ``ps1_bitdiddle_attempt_2016-01-30-15-00-00_
#:   problem1.ipynb`` and the public BBGradebookOrganiser instructions
#:   (repos.vangef.net/vangef/BBGradebookOrganiser): flat files plus one ``.txt`` receipt per
#:   attempt. The shortest assignment prefix is taken, so the platform's own ``_attempt_``
#:   comes before any in the student's file name.
PATTERNS = {
    "canvas": r"^(?:(?P<name>[^/]*?)_)?(?:(?P<late>LATE|late)_)?(?P<student_id>\d+)"
              r"_(?P<submission>\d+)_(?P<file_id>[^/]+)$",
    "moodle": r"^(?P<name>[^_/]*)_(?P<student_id>\d+)_assignsubmission_(?P<kind>file|onlinetext)"
              r"(?:_(?P<file_id>[^/]*))?$",
    "blackboard": r"^(?P<assignment>[^/]*?)_(?P<student_id>[^_/]+)_attempt_"
                  r"(?P<timestamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file_id>[^/]+)|\.txt)$",
}
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
        settings = self._settings()
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
        # another zip's entries
        taken = {rel.split("/", 1)[0] for _, rel in loose}
        for path, rel, infos, too_big in zips:
            stem = rel[:-4].replace("/", "_").lstrip(".") or "download"
            folder, n = stem, 1
            while folder in taken:
                n += 1
                folder = f"{stem}-{n}"
            taken.add(folder)
            root = extracted / folder
            root.mkdir(parents=True, exist_ok=True)
            self.roots[str(root)] = folder
            self.log.info("Extracting %s to %s (archives inside it are not opened)", path, root)
            self._extract_zip(path, infos, too_big, root, folder)
        for path, rel in loose:
            dest = extracted / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.log.info("Copying %s to %s", path, dest)
            shutil.copyfile(path, dest)
        if not any(p.is_file() for p in extracted.rglob("*")):
            self._refuse_all(archive_path, extracted_path, self.refused or [
                {"file": rel, "kind": "archive refused", "reason": "no files in it"}
                for _, rel, _, _ in zips], why="gave no file to collect")

    def _extract_zip(self, path: Path, infos: list[zipfile.ZipInfo], too_big: dict[str, str],
                     root: Path, label: str) -> None:
        counts: dict[str, int] = {}
        for info in infos:
            key = unicodedata.normalize("NFC", info.filename.rstrip("/"))
            counts[key] = counts.get(key, 0) + 1
        top = root.resolve()
        with zipfile.ZipFile(path) as zf:
            for info in infos:
                shown = f"{label}/{_shown(info.filename)}"
                problem = entry_problem(info) or too_big.get(info.filename)
                if problem is None and counts[unicodedata.normalize(
                        "NFC", info.filename.rstrip("/"))] > 1:
                    problem = "the same name occurs more than once in the archive: none is trusted"
                if problem is None and info.is_dir():
                    continue
                if problem:
                    self.refused.append({"file": shown, "kind": "refused entry", "reason": problem})
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

    def parse_entry(self, entry: str) -> dict | None:
        """The pattern's groups for one entry of the platform's zip, or None.

        ``entry`` is the path from the top of the zip, with '/'. Only its first part (a flat
        file name, or Moodle's per-student folder) is matched: that part is written by the
        platform. Deeper parts were written by the student and only extend ``file_id``: they
        never decide whose the file is.
        """
        pattern = re.compile(self.patterns.get(self.platform, PATTERNS[self.platform]))
        first, *inner = entry.split("/")
        match = pattern.match(first)
        if not match:
            return None
        groups = match.groupdict()
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
        app = self.parent
        if app is not None and hasattr(app, "_format_collect_path"):
            extracted = Path(app._format_collect_path(app.extracted_directory))
            report = Path(app._format_collect_path(app.archive_directory)).parent / REPORT
            aid = app.coursedir.assignment_id
            released = Path(app.coursedir.format_path(app.coursedir.release_directory, ".", aid))
            source = Path(app.coursedir.format_path(app.coursedir.source_directory, ".", aid))
            names = sorted(p.name for p in released.glob("*.ipynb")) or \
                sorted(p.name for p in source.glob("*.ipynb"))
            return extracted, report, names
        return any_file.parent, any_file.parent / REPORT, []

    def _extractor(self) -> PlatformExtractor | None:
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
        """(file, path under extracted/, path from the top of its platform zip) for each file."""
        extractor = self._extractor()
        roots = sorted(((Path(r), label) for r, label in getattr(extractor, "roots", {}).items()),
                       key=lambda item: -len(item[1]))
        found = []
        for path in sorted(p for p in extracted.rglob("*") if p.is_file() or p.is_symlink()):
            rel = path.relative_to(extracted).as_posix()
            if extractor is None:  # no app: the first part is the zip's folder (as parse)
                entry = rel.split("/", 1)[1] if "/" in rel else rel
            else:
                entry = next((rel[len(label) + 1:] for _, label in roots
                              if rel.startswith(label + "/")), rel)
            found.append((path, rel, entry))
        return found

    def _suggest(self, entries: list[str]) -> str:
        """Which other platform's names the entries look like, as a hint."""
        counts = {}
        for other in sorted(PATTERNS):
            if other == self.platform:
                continue
            probe = PlatformCollector(platform=other, patterns=self.patterns)
            counts[other] = sum(1 for e in entries if probe.parse_entry(e) is not None)
        best = max(counts, key=counts.get) if counts else None
        if best and counts[best]:
            return (f"{counts[best]} of the files look like a {best} download: set "
                    f'{_SETTINGS}.platform = "{best}" in nbgrader_config.py (or PLATFORM={best} '
                    "for one run).")
        return ("Wrong platform? Check c.PlatformCollector.platform in nbgrader_config.py, and "
                "put the platform's own zip in archive/ (not unpacked and zipped again).")

    def _make_plan(self, any_file: Path) -> dict:
        extracted, report_path, released = self._paths(any_file)
        extractor = self._extractor()
        skipped = list(getattr(extractor, "refused", []))
        parsed = []
        entries = self._entries(extracted)
        for path, rel, entry in entries:
            if path.is_symlink():
                skipped.append({"file": rel, "kind": "refused entry",
                                "reason": "symbolic link (never followed)"})
                continue
            groups = self.parse_entry(entry)
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
            parsed.append({"path": path, "rel": rel, "student": sid,
                           "attempt": groups.get("timestamp") or "", "utc": stamp,
                           "file": PurePosixPath(groups.get("file_id") or "").name,
                           "name": (groups.get("name") or "").strip(),
                           "late": bool(groups.get("late"))})
        plan, students = {}, {}
        for sid in sorted({p["student"] for p in parsed}):
            items = [p for p in parsed if p["student"] == sid]
            latest = max(p["attempt"] for p in items)
            info = {"name": next((p["name"] for p in items if p["name"]), ""),
                    "attempt": latest or None, "submitted_utc": None, "files": [], "notes": [],
                    "earlier_attempts": sorted({p["attempt"] for p in items} - {latest})}
            for p in items:
                if p["attempt"] != latest:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "earlier attempt",
                                    "reason": f"earlier attempt ({p['attempt']}); only the latest "
                                    f"({latest}) is graded, whole"})
            current = [p for p in items if p["attempt"] == latest]
            if any(p["late"] for p in current):
                info["notes"].append("the platform marks this submission as late")
            if info["earlier_attempts"]:
                info["notes"].append(f"{len(info['earlier_attempts'])} earlier attempt(s) "
                                     f"ignored; graded the attempt of {latest}")
            notebooks = []
            for p in current:
                if p["file"].lower().endswith(".ipynb"):
                    notebooks.append(p)
                elif not p["file"] and self.platform == "blackboard":
                    skipped.append({"file": p["rel"], "student": sid, "kind": "receipt",
                                    "reason": "the platform's submission receipt"})
                    info["name"] = info["name"] or _receipt_name(p["path"])
                elif not p["file"]:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "unmatched",
                                    "reason": "no file name after the platform's prefix"})
                elif p["file"].lower().endswith(ARCHIVE_SUFFIXES):
                    suffix = PurePosixPath(p["file"]).suffix
                    skipped.append({"file": p["rel"], "student": sid, "kind": "not a notebook",
                                    "reason": f"archive inside the upload, not opened ({suffix}); "
                                    "not graded"})
                else:
                    suffix = PurePosixPath(p["file"]).suffix or "no extension"
                    skipped.append({"file": p["rel"], "student": sid, "kind": "not a notebook",
                                    "reason": f"not a notebook ({suffix}); not graded"})
            taken = {}
            for p in notebooks:
                target, score = match_notebook(p["file"], released)
                if target is None:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "other notebook",
                                    "reason": f"notebook {p['file']!r} is not one of this assignment's "
                                    f"({', '.join(released) or 'none released'})"})
                    continue
                if target not in taken or score > taken[target][1]:
                    if target in taken:
                        old = taken[target][0]
                        skipped.append({"file": old["rel"], "student": sid, "kind": "copy",
                                        "reason": f"another copy of {target} in the same attempt; "
                                        f"{p['file']} fits the name better"})
                    taken[target] = (p, score)
                else:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "copy",
                                    "reason": f"another copy of {target} in the same attempt"})
            for target, (p, score) in sorted(taken.items()):
                decision = {"student_id": sid, "file_id": target}
                if p["utc"]:
                    decision["timestamp"] = p["utc"]
                    info["submitted_utc"] = p["utc"]
                plan[os.path.abspath(p["path"])] = decision
                info["files"].append({"from": p["rel"], "to": target})
                if p["file"] != target:
                    info["notes"].append(f"notebook {p['file']!r} was renamed to {target}")
            if not taken:
                info["notes"].append("no notebook of the assignment in the latest attempt")
            students[sid] = info
        report = {"platform": self.platform, "timezone": self.timezone,
                  "extracted": str(extracted), "released": released,
                  "students": students, "not_collected": skipped}
        if not plan and (entries or skipped):
            report["error"] = (
                f"NOTHING WAS COLLECTED: the download holds {len(entries)} file(s) "
                f"({len(skipped)} not collected, listed in {report_path}) and no student's "
                f"notebook could be read from them as a {self.platform} download. "
                + self._suggest([e for _, _, e in entries]))
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        self.log.info("Collect plan written to %s", report_path)
        if "error" in report and self.parent is not None and hasattr(self.parent, "fail"):
            self.parent.fail(report["error"])
        return plan


def _receipt_name(path: Path) -> str:
    """The student's name from a Blackboard receipt ('Name: Zoë Dupré (r0123456)')."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    match = re.search(r"^Name:\s*(.+?)\s*\(", text, re.MULTILINE)
    return match.group(1) if match else ""


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
    if report_path.exists():
        report_path.unlink()
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
    if report is not None and (done.returncode != 0 or report.get("error")):
        _show_skipped(report, log)
        message = report.get("error") or "nbgrader zip_collect failed"
        log(message)
        log(f"Report: {report_path}; log: {log.path}")
        raise RuntimeError(message)
    if done.returncode != 0 or report is None:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"nbgrader zip_collect failed (log: {log.path}):\n{tail}")
    students = report["students"]
    with Gradebook(db_url(course)) as gb:
        for sid, info in students.items():
            first, _, last = (info.get("name") or "").partition(" ")
            names = {"first_name": first, "last_name": last} if last else \
                {"last_name": first} if first else {}
            gb.update_or_create_student(sid, **names)
    collected = [s for s, i in students.items() if i["files"]]
    log(f"Collected {len(collected)} students from the {report['platform']} download "
        f"into submitted/*/{assignment}/ (times read as {report['timezone']}).")
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

def _sortable(name: str) -> str:
    """Canvas's file-name form of a student's name: 'Zoë Dupré' → 'duprézoë'."""
    first, _, last = name.partition(" ")
    return re.sub(r"[\W_]+", "", (last + first).lower())


def sample_zip(dest: Path, assignment: str, platform: str, entries: list[dict],
               timezone: str = "Europe/Brussels", extra: dict | None = None) -> Path:
    """Write a zip named and laid out like ``platform``'s bulk download of ``assignment``.

    Each entry: ``student`` (id), ``name``, ``file`` (the student's file name), ``data``
    (bytes), ``when`` (an aware datetime), optional ``late`` (Canvas's flag) and ``files``
    (more ``{name: bytes}`` in the same attempt). ``extra`` adds stray files ``{path: bytes}``.
    For tests and demos: these are made-up students, never real data.
    """
    import zipfile
    from zoneinfo import ZoneInfo

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for number, e in enumerate(entries, start=1):
            local = e["when"].astimezone(ZoneInfo(timezone))
            stamp = local.strftime("%Y-%m-%d-%H-%M-%S")
            files = {e["file"]: e["data"], **e.get("files", {})}
            for k, (name, data) in enumerate(files.items()):
                if platform == "canvas":
                    late = "LATE_" if e.get("late") else ""
                    path = f"{_sortable(e['name'])}_{late}{e['student']}_{7000 + number * 10 + k}_{name}"
                elif platform == "moodle":
                    path = f"{e['name']}_{e['student']}_assignsubmission_file_/{name}"
                elif platform == "blackboard":
                    path = f"{assignment}_{e['student']}_attempt_{stamp}_{name}"
                else:
                    raise ValueError(f"platform must be one of {sorted(PATTERNS)}, not {platform!r}")
                info = zipfile.ZipInfo(path, date_time=local.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
            if platform == "blackboard":
                receipt = (f"Name: {e['name']} ({e['student']})\nAssignment: {assignment}\n"
                           f"Date Submitted: {local:%A, %d %B %Y %H:%M:%S} {local.tzname()}\n"
                           "Current Grade: Needs Grading\n\nFiles:\n"
                           + "".join(f"\tOriginal filename: {n}\n\tFilename: {assignment}_"
                                     f"{e['student']}_attempt_{stamp}_{n}\n" for n in files))
                info = zipfile.ZipInfo(f"{assignment}_{e['student']}_attempt_{stamp}.txt",
                                       date_time=local.timetuple()[:6])
                zf.writestr(info, receipt.encode("utf-8"))
        for path, data in (extra or {}).items():
            zf.writestr(path, data)
    return dest
