"""Looking at a submission before it is graded: which students handed in, a fingerprint of each
submission, the limits a submission folder must keep (:class:`SubmissionLimits`) and the reasons
a submission cannot be graded (a link, a named pipe or a hard link in it, too many files or
bytes, a notebook that is not JSON, nested too deeply, missing or renamed).

Nothing here follows a link or opens a named pipe: folders are looked at with ``os.lstat``
(:mod:`welfaregrading.fs`)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import nbformat
from traitlets import Integer
from traitlets.config import Configurable

from welfaregrading import fs
from welfaregrading.samples import nbgrader_meta


class SubmissionLimits(Configurable):
    """What a submission folder (``submitted/``, ``autograded/`` and the grader's own copies)
    may hold; set in nbgrader_config.py as ``c.SubmissionLimits.<name>``. A folder over a
    limit, or holding a link, a named pipe, a socket, a device or a hard link, is not graded
    (the student's result says why)."""

    max_files = Integer(50, help="Most files and folders in one submission folder "
                                 "(0: no limit).").tag(config=True)
    max_bytes = Integer(50_000_000, help="Most bytes in one submission folder, all files "
                                         "together (0: no limit).").tag(config=True)
    max_json_depth = Integer(100, help="Deepest nesting of lists and dicts in a notebook's "
                                       "JSON; deeper ones are refused before they are read "
                                       "(a nesting bomb would crash the reader).").tag(config=True)

    @classmethod
    def of(cls, config=None) -> SubmissionLimits:
        """The limits set in ``config`` (a traitlets Config, e.g. the course's)."""
        return cls(config=config) if config is not None else cls()

    def scan(self, folder: Path) -> str | None:
        """The reason ``folder`` breaks these limits or holds an unsafe file, or None."""
        return fs.scan_tree(folder, self.max_files, self.max_bytes)

    def copy(self, src: Path, dst: Path) -> Path:
        """Copy ``src`` to ``dst`` within these limits, never following a link
        (:func:`welfaregrading.fs.copy_tree`)."""
        return fs.copy_tree(src, dst, self.max_files, self.max_bytes)


def submitted_students(course: Path, assignment: str) -> list[str]:
    """The students with a folder ``submitted/<student>/<assignment>``, sorted (a link in
    their place counts too, so that it is refused with a reason, not silently skipped)."""
    base = Path(course) / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}")
                  if p.is_dir() or p.is_symlink())


def submission_hash(folder: Path, limits: SubmissionLimits | None = None) -> str:
    """A fingerprint of a submission folder (names and contents of its files), to see whether
    it changed since it was graded. Links are fingerprinted by their text, never followed;
    named pipes and devices by their kind, never opened; it stops at the folder limits."""
    limits = limits or SubmissionLimits()
    digest = hashlib.sha256()
    count = size = 0
    folder = Path(folder)
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = os.lstat(current)
            if not stat.S_ISDIR(st.st_mode):
                digest.update(b"not a folder\0" + str(st.st_mode).encode())
                continue
            names = sorted(os.listdir(current))
        except OSError as err:
            digest.update(f"unreadable {err.errno}".encode())
            continue
        for name in names:
            path = current / name
            rel = path.relative_to(folder).as_posix().encode()
            st = os.lstat(path)
            count += 1
            if limits.max_files and count > limits.max_files:
                return digest.hexdigest() + "-over-limit"
            if stat.S_ISDIR(st.st_mode):
                stack.append(path)
            elif stat.S_ISLNK(st.st_mode):
                digest.update(rel + b"\0link\0" + os.fsencode(os.readlink(path)))
            elif stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
                size += st.st_size
                if limits.max_bytes and size > limits.max_bytes:
                    return digest.hexdigest() + "-over-limit"
                digest.update(rel + b"\0")
                try:
                    digest.update(fs.read_limited(path, limits.max_bytes))
                except (fs.UnsafeTree, OSError) as err:
                    digest.update(str(err).encode())
            else:
                digest.update(rel + b"\0special\0" + str((st.st_mode, st.st_nlink)).encode())
    return digest.hexdigest()


def read_timestamp(folder: Path):
    """The submission time in ``folder/timestamp.txt`` as naive UTC (nbgrader's convention),
    or None if there is none. Read as nbgrader's ``CourseDirectory.get_existing_timestamp``
    does, but never through a link or a named pipe and at most 1 kB; raises ValueError (in
    words) if the file is unsafe or not a time."""
    from nbgrader.utils import parse_utc

    path = Path(folder) / "timestamp.txt"
    if not os.path.lexists(path):
        return None
    try:
        text = fs.read_limited(path, 1000).decode("utf-8", "replace").strip()
    except (fs.UnsafeTree, OSError) as err:
        raise ValueError(f"timestamp.txt cannot be read safely: {err}") from None
    if not text:
        return None
    try:
        return parse_utc(text)
    except (ValueError, OverflowError):
        raise ValueError(f"timestamp.txt does not hold a time ({text[:40]!r})") from None


_WARNED: set = set()


def unsafe_submissions(root: Path, limits: SubmissionLimits | None = None,
                       submitted: str = "submitted") -> dict[str, str]:
    """``{student: reason}`` for every ``<root>/<submitted>/<student>`` holding a folder that
    is not safe to grade (a link, a named pipe, a socket, a device, a hard link, over the
    limits; the student's folder or an assignment folder itself a link). Only ``os.lstat``."""
    limits = limits or SubmissionLimits()
    base = Path(root) / submitted
    found = {}
    try:
        students = sorted(os.listdir(base))
    except OSError:
        return found
    for sid in students:
        folder = base / sid
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            found[sid] = f"{submitted}/{sid} is not an ordinary folder (a link?)"
            continue
        try:
            assignments = sorted(os.listdir(folder))
        except OSError as err:
            found[sid] = f"{submitted}/{sid} cannot be read ({err.strerror})"
            continue
        for aid in assignments:
            problem = limits.scan(folder / aid)
            if problem:
                found[sid] = f"{submitted}/{sid}/{aid}: {problem}"
                break
    return found


def exclude_unsafe_submissions(c) -> list[str]:
    """For ``nbgrader_config.py``: add every student whose submitted folder is not safe
    (:func:`unsafe_submissions`) to ``c.CourseDirectory.student_id_exclude``, so that plain
    ``nbgrader autograde`` and formgrader's buttons leave them out. nbgrader copies a
    submission's files (following links) before any preprocessor runs; this is the one
    place to stop it. Warns once per student and process; returns the students left out."""
    import logging

    root = c.CourseDirectory.root if "root" in c.CourseDirectory else os.getcwd()
    submitted = c.CourseDirectory.submitted_directory \
        if "submitted_directory" in c.CourseDirectory else "submitted"
    found = unsafe_submissions(Path(root), SubmissionLimits(config=c), submitted)
    if not found:
        return []
    before = c.CourseDirectory.student_id_exclude \
        if "student_id_exclude" in c.CourseDirectory else ""
    ids = [x for x in str(before or "").split(",") if x]
    c.CourseDirectory.student_id_exclude = ",".join(ids + [s for s in found if s not in ids])
    for sid, reason in found.items():
        if (sid, reason) not in _WARNED:
            _WARNED.add((sid, reason))
            logging.getLogger("welfaregrading").warning(
                "Left out of grading (not safe to grade, never followed): %s", reason)
    return sorted(found)


def check_submission(folder: Path, expected: list[str], released: dict | None = None,
                     limits: SubmissionLimits | None = None) -> tuple[str | None, list[str]]:
    """Look at a submission before grading it: ``(reason it cannot be graded or None, notes)``.

    Refuses, with the reason in words, a folder that holds a symbolic link, a named pipe, a
    socket, a device or a hard link, or more files or bytes than ``limits`` allow (looked at
    with ``os.lstat``: nothing is followed or opened). Catches what would otherwise end in a
    bare traceback: a missing or renamed notebook, a file that is not JSON (truncated, empty,
    another file renamed to .ipynb), JSON nested too deeply to read. Notes say what was
    unusual but gradable (an old notebook format, no kernel recorded, a locked cell edited:
    compared with ``released``, the generated student notebooks, nbgrader restores it).
    """
    limits = limits or SubmissionLimits()
    notes = []
    problem = limits.scan(folder)
    if problem:
        return f"the submission folder is not safe to grade: {problem}", notes
    present = sorted(p.name for p in Path(folder).glob("*.ipynb"))
    missing = [name for name in expected if name not in present]
    if len(missing) == len(expected):
        held = ", ".join(present) if present else "no notebook at all"
        return (f"no notebook named {' or '.join(expected)} in the submission (it holds "
                f"{held}); rename the file and grade again"), notes
    notes += [f"{name} is missing from the submission: its tests score 0" for name in missing]
    for name in expected:
        if name in missing:
            continue
        try:
            raw = fs.read_limited(Path(folder) / name, limits.max_bytes)
        except (fs.UnsafeTree, OSError) as err:
            return f"{name} cannot be read safely: {err}", notes
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{name} is not a notebook (not text: another file renamed to .ipynb?)", notes
        depth = fs.json_depth(text)
        if limits.max_json_depth and depth > limits.max_json_depth:
            return (f"{name} is not a usable notebook: its data is nested {depth} levels deep "
                    f"(a notebook needs about 10; the limit is {limits.max_json_depth}, "
                    "c.SubmissionLimits.max_json_depth)"), notes
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            what = "empty" if not text.strip() else "damaged or incomplete (cut off?)"
            return (f"{name} is not a readable notebook: the file is {what} "
                    f"(JSON error at line {err.lineno}, column {err.colno})"), notes
        except RecursionError:
            return f"{name} is not a usable notebook: its data is nested too deeply", notes
        if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
            return f"{name} is JSON but not a notebook", notes
        major = data.get("nbformat")
        if isinstance(major, int) and major < 4:
            notes.append(f"{name} was saved in an old notebook format (version {major}); "
                         "it was upgraded for grading")
        if not (data.get("metadata") or {}).get("kernelspec"):
            notes.append(f"{name} records no kernel; it was graded with the course's kernel")
        try:
            nb = nbformat.reads(text, as_version=4)
        except RecursionError:
            return f"{name} is not a usable notebook: its data is nested too deeply", notes
        except Exception as err:  # noqa: BLE001 - any reader error is the student's file
            return f"{name} cannot be read as a notebook: {err}", notes
        if released and name in released:
            notes += _edited_locked_cells(nb, released[name])
    return None, notes


def _edited_locked_cells(nb, release_nb) -> list[str]:
    """Notes for locked cells whose text differs from the release (nbgrader restores them)."""
    original = {nbgrader_meta(c).get("grade_id"): c for c in release_nb.cells
                if nbgrader_meta(c).get("locked") and nbgrader_meta(c).get("grade_id")}
    last = {}
    for cell in nb.cells:  # nbgrader keeps the last cell of a repeated id
        gid = nbgrader_meta(cell).get("grade_id") if isinstance(nbgrader_meta(cell), dict) else None
        if gid in original:
            last[gid] = cell
    notes = []
    for gid, cell in last.items():
        before = original[gid]
        if cell.cell_type == before.cell_type and cell.source.strip() != before.source.strip():
            notes.append(f"{gid}: the locked cell was edited; nbgrader restored the original")
    return notes
