"""The grading run's own files in ``<course>/build/grading/<id>/``: the log, the progress bar,
and small JSON state files written atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

WORK = Path("build") / "grading"
#: A submission graded, but with signs of tampering (``Grading flag: ...`` in its log): its
#: score is not used until a lecturer has looked (the grades CSV leaves it empty).
FLAGGED = "flagged for review"
#: Every status a submission can end a run with, as the summary counts them.
STATUSES = ("graded", "needs manual grading", FLAGGED, "failed")



#: Warnings that say nothing to a lecturer, as ``(message regex, category name)``:
#: nbgrader 0.9.6's Gradebook adds a submission's rows while SQLAlchemy autoflushes
#: (nbgrader/api.py, ``update_or_create_submission``), and SQLAlchemy 2 warns "Object of type
#: <SubmittedNotebook> not in session, add operation along 'Notebook.submissions' will not
#: proceed" several times per notebook; the rows are added all the same (nbgrader's own tests
#: see the same warning). Besides these, only nbformat's MissingIDFieldWarning is hidden (below).
KNOWN_WARNINGS = [(r"Object of type <\w+> not in session", "SAWarning")]


def quiet_known_warnings() -> None:
    """Hide :data:`KNOWN_WARNINGS` in this process (the command line, each grading worker), and
    in the Python programs it starts (``PYTHONWARNINGS``, e.g. ``nbgrader export``)."""
    import warnings

    for message, category in KNOWN_WARNINGS:
        try:
            from sqlalchemy import exc

            cls = getattr(exc, category)
        except (ImportError, AttributeError):
            cls = Warning
        warnings.filterwarnings("ignore", message=message, category=cls)
    # nbformat 5.x: "Cell is missing an id field" when nbgrader puts back a cell a student
    # deleted (the restored cell has no id; nbformat gives it one, nbformat/validator.py)
    try:
        from nbformat.warnings import MissingIDFieldWarning

        warnings.filterwarnings("ignore", category=MissingIDFieldWarning)
    except ImportError:
        pass
    # PYTHONWARNINGS takes a literal start of the message and only a built-in category (it is
    # read before site-packages can be imported): "Object of type <" with any category
    current = [w for w in os.environ.get("PYTHONWARNINGS", "").split(",") if w]
    for wanted in ("ignore:Object of type <", "ignore:Cell is missing an id field"):
        if wanted not in current:
            current.append(wanted)
    os.environ["PYTHONWARNINGS"] = ",".join(current)


#: nbgrader log lines that are harmless on every submission, each with why, as nbgrader logs
#: them at WARNING level: OverwriteCells (nbgrader/preprocessors/overwritecells.py,
#: ``report_change``) logs "Attribute 'checksum' for cell <id> has changed!" for each test cell
#: whose hidden tests it puts back, i.e. every test with hidden tests in every notebook (a
#: student's edit of a test cell is found by comparing with the release instead:
#: welfaregrading/report.py); Autograde (nbgrader/converters/base.py, ``init_destination``)
#: logs "Removing existing assignment: <folder>" whenever a submission is graded again.
HARMLESS_LOG_LINES = [
    (re.compile(r"\[WARNING\] Attribute 'checksum' for cell \S+ has changed!"),
     "'checksum has changed' (a test's hidden tests were put back)"),
    (re.compile(r"\[WARNING\] Removing existing assignment: "),
     "'Removing existing assignment' (it was graded again)"),
]


def without_noise(log_text: str) -> str:
    """``log_text`` (an nbgrader log) without the lines of :data:`HARMLESS_LOG_LINES`, with one
    line saying how many of each were left out and why."""
    kept, left_out = [], {}
    for line in (log_text or "").splitlines():
        why = next((why for pattern, why in HARMLESS_LOG_LINES if pattern.search(line)), None)
        if why is None:
            kept.append(line)
        else:
            left_out[why] = left_out.get(why, 0) + 1
    if left_out:
        kept.append("[INFO] (harmless nbgrader warnings left out: "
                    + "; ".join(f"{n} x {why}" for why, n in left_out.items()) + ")")
    return "\n".join(kept)


def work_dir(course: Path, assignment: str) -> Path:
    """``<course>/build/grading/<assignment>``: log, state, summary and grades CSV of a run."""
    path = Path(course) / WORK / assignment
    path.mkdir(parents=True, exist_ok=True)
    return path


class RunLog:
    """Writes every line to ``build/grading/<id>/grading.log`` (appended, timestamped) and,
    unless ``quiet``, to ``echo``."""

    def __init__(self, course: Path, assignment: str, echo=print):
        self.path = work_dir(course, assignment) / "grading.log"
        self.echo = echo

    def __call__(self, message: str = "", quiet: bool = False) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        with self.path.open("a", encoding="utf-8") as fh:
            for line in (message.splitlines() or [""]):
                fh.write(f"{stamp} {line}\n")
        if not quiet:
            self.echo(message)


class Progress:
    """A one-line progress bar on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, total: int, label: str, stream=None, enabled: bool = True):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.counts = dict.fromkeys(STATUSES, 0)
        self.start = time.perf_counter()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._shown = -1

    def update(self, status: str) -> None:
        """Count one more submission done with ``status`` and redraw the bar."""
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        line = (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
                f"  graded {self.counts['graded']}  to mark {self.counts['needs manual grading']}"
                + (f"  flagged {self.counts[FLAGGED]}" if self.counts[FLAGGED] else "")
                + f"  failed {self.counts['failed']}  ({elapsed:.0f} s, about {eta:.0f} s left)")
        if self._tty:
            self.stream.write("\r" + line + ("\n" if self.done == self.total else ""))
        elif self.done == self.total or self.done * 10 // self.total > self._shown:
            self._shown = self.done * 10 // self.total
            self.stream.write(line + "\n")
        self.stream.flush()



def load_json(path: Path) -> dict:
    """The JSON in ``path``, or ``{}`` if there is none or it is unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def save_json(path: Path, data) -> None:
    """Write JSON atomically (a run stopped half-way never leaves a broken file)."""

    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)
