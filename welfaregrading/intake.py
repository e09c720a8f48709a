"""Looking at a submission before it is graded: which students handed in, a fingerprint of each
submission, and the reasons a notebook cannot be graded (not JSON, missing, renamed)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from welfaregrading.samples import nbgrader_meta


def submitted_students(course: Path, assignment: str) -> list[str]:
    """The students with a folder ``submitted/<student>/<assignment>``, sorted."""
    base = Path(course) / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def submission_hash(folder: Path) -> str:

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_submission(folder: Path, expected: list[str],
                     released: dict | None = None) -> tuple[str | None, list[str]]:
    """Look at a submission before grading it: ``(reason it cannot be graded or None, notes)``.

    Catches what would otherwise end in a bare traceback: a missing or renamed notebook, a file
    that is not JSON (truncated, empty, another file renamed to .ipynb). Notes say what was
    unusual but gradable (an old notebook format, no kernel recorded, a locked cell edited:
    compared with ``released``, the generated student notebooks, nbgrader restores it).
    """

    notes = []
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
        raw = (Path(folder) / name).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{name} is not a notebook (not text: another file renamed to .ipynb?)", notes
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            what = "empty" if not text.strip() else "damaged or incomplete (cut off?)"
            return (f"{name} is not a readable notebook: the file is {what} "
                    f"(JSON error at line {err.lineno}, column {err.colno})"), notes
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
