"""Build the student edition: what a course publishes to its students, without any answers.

    python tools/student_edition.py [OUT] [--version V]
        default OUT: build/student-edition (and OUT.zip beside it); default V: today (UTC)

It holds what students need and nothing else: the module notebooks (not the lecturer guide),
the release (student) notebooks, the data, the student package ``welfarelab``, the runtime
``environment.yml`` (Binder reads it; ``start.py`` installs its pins), a ``pyproject.toml``
without the lecturer's package and extra, a students' ``nbgrader_config.py``, and from
``tools/student/``: README.md and its Dutch twin LEESMIJ.md, postBuild (Binder), start.py (Windows, macOS, Linux), a
Makefile that calls it, and ``tools/student_settings.py`` (instructor tools off, widget state
saved). No ``source/``, no ``welfaregrading/``, no solutions, hidden tests or mark schemes:
tests/test_student_edition.py scans a fresh build. ``edition-manifest.json`` records the
version and the SHA-256 of every file, so ``python start.py --update NEW.zip`` can tell a
student's changes from the course's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDENT = Path(__file__).resolve().parent / "student"
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", "*.egg-info")
FOLDERS = ["notebooks", "release", "data", "welfarelab"]
LECTURER_NOTEBOOKS = ["lecturer-guide.ipynb"]  # in notebooks/: grading, for lecturers only
LECTURER_PACKAGE = "welfaregrading"
FROM_REPO = ["environment.yml"]
FROM_STUDENT = ["README.md", "LEESMIJ.md", "postBuild", "start.py", "Makefile", "nbgrader_config.py"]
MANIFEST = "edition-manifest.json"


def student_pyproject(text: str) -> str:
    """The repository's pyproject.toml without the lecturer's package: every line naming
    ``welfaregrading`` and the ``grading`` extra are dropped (the convention stated in
    pyproject.toml). Raises ``ValueError`` if the result is not valid TOML or still installs
    the lecturer's package."""
    kept, in_extras = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_extras = stripped == "[project.optional-dependencies]"
        if LECTURER_PACKAGE in line or (in_extras and stripped.startswith("grading")):
            continue
        kept.append(line)
    result = "\n".join(kept) + "\n"
    try:
        data = tomllib.loads(result)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"pyproject.toml without its {LECTURER_PACKAGE} lines is not valid "
                         f"TOML: {err}") from err
    packages = data.get("tool", {}).get("setuptools", {}).get("packages", [])
    if any(str(p).startswith(LECTURER_PACKAGE) for p in packages) or \
            "grading" in data.get("project", {}).get("optional-dependencies", {}):
        raise ValueError("pyproject.toml of the student edition still names the grading tools")
    return result


def write_manifest(folder: Path, version: str) -> Path:
    """Write ``folder/edition-manifest.json``: the version and the SHA-256 of every file
    (POSIX relative paths, the manifest itself left out). Returns its path."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != MANIFEST:
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = folder / MANIFEST
    manifest.write_text(json.dumps({"version": version, "files": files}, indent=1) + "\n",
                        encoding="utf-8")
    return manifest


def zip_edition(folder: Path) -> Path:
    """``folder``.zip holding ``folder/`` as its one top folder; return the zip's path."""
    return Path(shutil.make_archive(str(folder), "zip", root_dir=folder.parent,
                                    base_dir=folder.name))


def build(out: Path, version: str | None = None) -> Path:
    """Write the edition into ``out`` (replaced if it exists) and ``out``.zip; return ``out``.

    ``version`` names this edition in its manifest (default: today's date, UTC); an update
    puts a new notebook beside a student's changed one under that name.
    """
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for folder in FOLDERS:
        shutil.copytree(REPO / folder, out / folder, ignore=IGNORE)
    for name in LECTURER_NOTEBOOKS:
        (out / "notebooks" / name).unlink(missing_ok=True)
    for name in FROM_REPO:
        shutil.copy(REPO / name, out / name)
    (out / "pyproject.toml").write_text(
        student_pyproject((REPO / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8")
    for name in FROM_STUDENT:
        shutil.copy(STUDENT / name, out / name)
    (out / "tools").mkdir()
    shutil.copy(STUDENT / "student_settings.py", out / "tools" / "student_settings.py")
    (out / "postBuild").chmod(0o755)
    write_manifest(out, version or datetime.now(UTC).strftime("%Y-%m-%d"))
    zip_edition(out)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Build the student edition (no answers).")
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "build" / "student-edition")
    parser.add_argument("--version", help="this edition's name in its manifest (default: today)")
    args = parser.parse_args()
    target = build(args.out, args.version)
    print(f"wrote {target} and {target}.zip")
