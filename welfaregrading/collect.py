"""Collect submissions from a learning platform's bulk download, with nbgrader's zip_collect.

The lecturer downloads all submissions of an assignment from Canvas, Moodle or Blackboard as
one zip and puts it in ``downloaded/<id>/archive/``. ``nbgrader zip_collect <id>`` extracts it
to ``downloaded/<id>/extracted/`` and asks a *collector plugin* for each file: whose is it,
which notebook, when was it handed in. :class:`PlatformCollector` is that plugin, for the
platform chosen by ONE setting in ``nbgrader_config.py``::

    c.PlatformCollector.platform = "canvas"     # or "moodle", "blackboard"

It looks at all extracted files first, and then:

- keeps only the **latest attempt** of each student, whole (every file of it), so an earlier
  attempt is never mixed in (nbgrader alone would merge attempts file by file, and stop on two
  same-named files without timestamps);
- maps a **renamed notebook** (``m06-sroi (1).ipynb``, Canvas's ``m06-sroi-1.ipynb``, or any
  single notebook when the assignment has one) to the released name, and says so;
- turns the platform's clock time into UTC with ``c.PlatformCollector.timezone`` (default
  Europe/Brussels), so lateness is right across summer time;
- lists **every file it does not collect**, with the reason, in
  ``downloaded/<id>/collect-report.json`` (earlier attempts, receipts, files that match no
  pattern, other file types): nothing is dropped silently.

File names per platform (``name`` is the student's name, only used for the gradebook)::

    canvas      <name>_[LATE_]<user id>_<submission id>_<file name>
    moodle      <full name>_<participant id>_assignsubmission_file_[/]<file name>
    blackboard  <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>
                (plus <assignment>_<username>_attempt_<time>.txt, the submission receipt)

The matching ``nbgrader export`` plugin is :class:`welfaregrading.export.GradesCsvExportPlugin`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, Enum, Unicode

#: File-name patterns, matched against the last one, two, ... parts of each extracted path
#: ("a/b/c.ipynb": "c.ipynb", then "b/c.ipynb", ...). Groups: student_id (required), file_id
#: (the student's file name), timestamp, name, late.
PATTERNS = {
    "canvas": r"^(?P<name>[^/]+?)_(?:(?P<late>LATE)_)?(?P<student_id>\d+)_(?P<submission>\d+)"
              r"_(?P<file_id>[^/]+)$",
    "moodle": r"^(?P<name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_(?P<kind>file|onlinetext)"
              r"_/?(?P<file_id>[^/]*)$",
    "blackboard": r"^(?P<assignment>[^/]*?)_(?P<student_id>[^_/]+)_attempt_"
                  r"(?P<timestamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file_id>.+)|\.txt)$",
}
TIMESTAMP_FORMATS = {"blackboard": "%Y-%m-%d-%H-%M-%S"}
REPORT = "collect-report.json"


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


class PlatformCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect's collector for Canvas, Moodle and Blackboard bulk downloads."""

    platform = Enum(sorted(PATTERNS), default_value="canvas",
                    help="The learning platform whose bulk-download file names are read."
                    ).tag(config=True)
    timezone = Unicode("Europe/Brussels",
                       help="Time zone of the times in the platform's file names.").tag(config=True)
    patterns = Dict({}, help="Extra or replacement file-name patterns, by platform name."
                    ).tag(config=True)

    _plan: dict | None = None

    # -- nbgrader's hook -------------------------------------------------------------------------

    def collect(self, submitted_file: str):
        if self._plan is None:
            self._plan = self._make_plan(Path(submitted_file))
        decision = self._plan.get(os.path.abspath(submitted_file))
        if decision is None:
            self.log.info("Not collected (see %s): %s", REPORT, submitted_file)
        return decision

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

    def _timestamp(self, text: str | None) -> str | None:
        if not text:
            return None
        from zoneinfo import ZoneInfo

        fmt = TIMESTAMP_FORMATS.get(self.platform, "%Y-%m-%d-%H-%M-%S")
        local = dt.datetime.strptime(text, fmt).replace(tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(dt.UTC).isoformat(" ")

    def parse(self, relative: str) -> dict | None:
        """The pattern's groups for one extracted path (relative, with '/'), or None."""
        pattern = re.compile(self.patterns.get(self.platform, PATTERNS[self.platform]))
        parts = relative.split("/")
        for k in range(1, len(parts) + 1):
            match = pattern.match("/".join(parts[-k:]))
            if match:
                return match.groupdict()
        return None

    def _make_plan(self, any_file: Path) -> dict:
        extracted, report_path, released = self._paths(any_file)
        files = sorted(p for p in extracted.rglob("*") if p.is_file())
        skipped, parsed = [], []
        for path in files:
            rel = path.relative_to(extracted).as_posix()
            groups = self.parse(rel)
            if groups is None:
                skipped.append({"file": rel, "kind": "unmatched", "reason":
                                f"matches no {self.platform} file-name pattern (not from the "
                                "platform's bulk download?)"})
                continue
            try:
                stamp = self._timestamp(groups.get("timestamp"))
            except ValueError as err:
                skipped.append({"file": rel, "kind": "unmatched",
                                "reason": f"unreadable time in the name: {err}"})
                continue
            parsed.append({"path": path, "rel": rel, "student": groups["student_id"],
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
                elif not p["file"]:
                    skipped.append({"file": p["rel"], "student": sid, "kind": "receipt",
                                    "reason": "the platform's submission receipt"})
                    info["name"] = info["name"] or _receipt_name(p["path"])
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
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        self.log.info("Collect plan written to %s", report_path)
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
           "--collector=welfaregrading.collect.PlatformCollector"]
    if platform:
        cmd.append(f"--PlatformCollector.platform={platform}")
    log(f"== collect {assignment}: {' '.join(cmd)}", quiet=True)
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    log(done.stdout + done.stderr, quiet=True)
    if done.returncode != 0 or not report_path.exists():
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"nbgrader zip_collect failed (log: {log.path}):\n{tail}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
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
    skipped = report["not_collected"]
    receipts = [item for item in skipped if item.get("kind") == "receipt"]
    listed = [item for item in skipped if item.get("kind") != "receipt"]
    if receipts:
        log(f"{len(receipts)} submission receipt(s) of the platform were read, not collected.")
    if listed:
        log(f"{len(listed)} file(s) not collected:")
        for item in listed:
            log(f"  - {item['file']}: {item['reason']}")
    log(f"Report: {report_path}")
    return report


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
