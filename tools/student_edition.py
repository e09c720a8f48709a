"""Build the student edition: what a course publishes to its students, without any answers.

    python tools/student_edition.py [OUT]     # default OUT: build/student-edition (+ .zip)

It holds the module notebooks, the release (student) notebooks, the package without the
lecturer's grading tools, the data, the environment files and a student README. It holds no
``source/``, no solutions, no hidden tests and no mark schemes, and its postBuild turns off
nbgrader's instructor tools (formgrader, create assignment, course list) while Validate stays.
tests/test_student_edition.py scans a fresh build for leaks.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDENT = Path(__file__).resolve().parent / "student"
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", "*.egg-info")
LECTURER_ONLY: list[str] = []  # the grading tools live in welfaregrading/, never copied


def build(out: Path) -> Path:
    """Write the edition into ``out`` (replaced if it exists) and a zip beside it; return out."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for folder in ["notebooks", "release", "data", "welfarelab"]:
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, out / folder, ignore=IGNORE)
    for name in LECTURER_ONLY:
        (out / "welfarelab" / name).unlink(missing_ok=True)
    for name in ["environment.yml", "pyproject.toml", "nbgrader_config.py"]:
        shutil.copy(REPO / name, out / name)
    (out / "tools").mkdir()
    shutil.copy(REPO / "tools" / "requirements_from_env.sh", out / "tools")
    shutil.copy(STUDENT / "instructor_tools_off.sh", out / "tools")
    for name in ["postBuild", "Makefile", "README.md"]:
        shutil.copy(STUDENT / name, out / name)
    (out / "postBuild").chmod(0o755)
    shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build" / "student-edition"
    print(f"wrote {build(target)} and {target}.zip")
