"""The course folder and its scratch copies: assignments, configuration, releases.

A *course* is a folder with ``nbgrader_config.py`` beside ``source/<id>/`` (this repository by
default). Everything here drives nbgrader through its Python API
(:class:`nbgrader.apps.NbGraderAPI`); work that would leave a gradebook or logs happens in a
scratch copy, so ``source/`` and ``release/`` are only written by :func:`update_release`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from welfaregrading import fs

REPO = Path(__file__).resolve().parents[1]
CONFIG_FILE = "nbgrader_config.py"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"


# ---------------------------------------------------------------------------------------------
# The course and its scratch copies
# ---------------------------------------------------------------------------------------------

def assignment_ids(root: Path = REPO) -> list[str]:
    """The ids of the assignments in ``root/source`` (folders holding a notebook), sorted."""
    return sorted(p.name for p in (Path(root) / "source").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def scratch_course(dest: Path, assignments: list[str] | None = None, root: Path = REPO,
                   config_lines: list[str] | None = None) -> Path:
    """Copy what grading needs (config, ``source/<id>``, ``data/``) into ``dest`` and return it.

    ``config_lines`` are appended to the copied ``nbgrader_config.py`` (e.g. a shorter timeout).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    config = (Path(root) / CONFIG_FILE).read_text(encoding="utf-8")
    if config_lines:
        config += "\n# Added for this scratch course\n" + "\n".join(config_lines) + "\n"
    (dest / CONFIG_FILE).write_text(config, encoding="utf-8")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for aid in assignments or assignment_ids(root):
        fs.copy_own_folder(Path(root) / "source" / aid, dest / "source" / aid, ignore=ignore)
    if (Path(root) / "data").is_dir():
        fs.copy_own_folder(Path(root) / "data", dest / "data", ignore=ignore)
    return dest


def venv_on_path() -> None:
    """nbgrader runs ``alembic`` and kernels by name: make this Python's bin folder come first."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def api_for(course: Path, config=None):
    """An :class:`nbgrader.apps.NbGraderAPI` configured from ``course/nbgrader_config.py``
    (or from ``config``, a Config made by :func:`course_config`)."""
    venv_on_path()
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=config if config is not None else course_config(course))


def check_result(result: dict, what: str) -> dict:
    """``result`` (an NbGraderAPI result dict), or RuntimeError with nbgrader's error."""
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('error') or result.get('log')}")
    return result


def generate(course: Path, assignment: str) -> Path:
    """Run nbgrader's ``generate_assignment --force`` in ``course``; return the release folder.

    A language edition (``m06-nl``) gets its language's answer stubs
    (:func:`welfaregrading.editions.apply_stubs`) and its notebooks the language tag
    (:func:`welfaregrading.editions.tag_release`)."""
    from welfaregrading import editions

    config = course_config(course)
    editions.apply_stubs(config, assignment)
    check_result(api_for(course, config).generate_assignment(assignment, force=True, create=True),
           f"generate_assignment {assignment}")
    folder = Path(course) / "release" / assignment
    editions.tag_release(folder, assignment)
    return folder


def fresh_release(assignment: str, dest: Path, root: Path = REPO) -> Path:
    """Generate ``assignment`` from ``root``'s source in a scratch course under ``dest``."""
    course = scratch_course(Path(dest) / "course", [assignment], root)
    return generate(course, assignment)


def update_release(assignments: list[str] | None = None, root: Path = REPO) -> list[Path]:
    """Regenerate ``root/release/<id>`` for each assignment (all by default); return the folders.

    nbgrader runs in a temporary copy, so no gradebook or log is left in the repository.
    An id is a folder of ``source/``: a module (``m06``) or its Dutch edition (``m06-nl``,
    see :mod:`welfaregrading.editions`). Raises ValueError for an id without one.
    """
    from welfaregrading import editions

    known = assignment_ids(root)
    for aid in assignments or []:
        editions.split_id(aid)  # a language without an edition: ValueError naming it
        if aid not in known:
            raise ValueError(f"no assignment {aid!r}: source/{aid}/ holds no notebook "
                             f"(known: {', '.join(known)})")
    written = []
    for aid in assignments or known:
        with tempfile.TemporaryDirectory(prefix="welfarelab-release-") as tmp:
            fresh = fresh_release(aid, Path(tmp), root)
            target = Path(root) / "release" / aid
            fs.remove(target)
            fs.copy_own_folder(fresh, target)
            written.append(target)
    return written



def course_config(course: Path):
    """The traitlets Config of ``course/nbgrader_config.py`` with its root set to ``course``."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return config


def setting(config, name: str, default):
    """A ``c.CourseGrading.<name>`` value from nbgrader_config.py (see the file for the list)."""
    section = config.get("CourseGrading", {})
    return section.get(name, default) if hasattr(section, "get") else default


def db_url(course: Path) -> str:
    """The gradebook's database URL of ``course`` (nbgrader's ``CourseDirectory.db_url``)."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=course_config(course)).db_url



def release_zips(assignments: list[str] | None = None, root: Path = REPO,
                 out: Path | None = None) -> list[Path]:
    """Zip each committed ``release/<id>/`` as ``build/release-zips/<id>.zip`` (for upload to a
    learning platform). The zips are reproducible: same files, same bytes."""
    import zipfile

    out = Path(out) if out else Path(root) / "build" / "release-zips"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for aid in assignments or assignment_ids(root):
        folder = Path(root) / "release" / aid
        if not folder.is_dir():
            raise FileNotFoundError(f"release/{aid} does not exist: run `make release` first")
        problem = fs.scan_tree(folder, hard_links=True)
        if problem:
            raise fs.UnsafeTree(f"release/{aid}: {problem}; run `make release` again")
        target = out / f"{aid}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
                    continue
                info = zipfile.ZipInfo(f"{aid}/{path.relative_to(folder).as_posix()}",
                                       date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        written.append(target)
    return written
