"""CheckGradingFolder: nbgrader never writes, copies or chmods through a file a student made.

nbgrader's converters write each notebook with nbconvert's ``FilesWriter`` (``open(path,
"w")``, which follows a symbolic link at the notebook's own name), then ``chmod`` every file of
the output folder (following links), and the next step copies the folder's other files
(``shutil.copy``, following links). A grading kernel works in a folder it can write, so it
could plant such links there. This step runs inside nbgrader's own pipeline, before the
writer: it looks at the notebook's input folder and the converter's output folder with
``os.lstat`` (:func:`welfaregrading.fs.scan_tree`) and, if either holds a link, a named pipe,
a socket, a device, a hard link or more files or bytes than ``c.SubmissionLimits`` allows,
stops this submission with the reason. nbgrader then removes the output folder
(``shutil.rmtree``, which does not follow links) and goes on with the next student; nothing
is written, copied or chmod-ed.

Where it goes (``nbgrader_config.py``, the section "Grading never follows a student's
files"): last in ``c.Autograde.sanitize_preprocessors``, right after the executing step
and last in ``c.Autograde.autograde_preprocessors``, and last in
``c.GenerateFeedback.preprocessors`` (every step runs before nbgrader's writer). Before any
of that, :func:`refuse_unsafe_submission` (``pre_convert_hook``) refuses a submitted folder that
is not safe before nbgrader copies or opens it.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

#: Start of the log line and error message when a folder is refused (report.py reads it).
REFUSED = "Grading folder refused"


class UnsafeGradingFolder(Exception):
    """A submission's folder holds a file the grader must not follow; the message says which."""


class CheckGradingFolder(NbGraderPreprocessor):
    """Stops the grading of one submission whose input or output folder holds a symbolic link,
    a named pipe, a socket, a device, a hard link or too many files or bytes
    (``c.SubmissionLimits``), before nbgrader writes, copies or chmods anything there."""

    def preprocess(self, nb, resources):
        """Return ``nb`` unchanged, or raise :class:`UnsafeGradingFolder` with the reason."""
        from welfaregrading.intake import SubmissionLimits

        limits = SubmissionLimits(config=self.config)
        for folder in self._folders(resources):
            problem = limits.scan(folder) if Path(folder).exists() or Path(folder).is_symlink() \
                else None
            if problem:
                message = f"{REFUSED}: {self._name(folder)}: {problem}"
                self.log.error(message)
                raise UnsafeGradingFolder(message)
        return nb, resources

    def _name(self, folder: str) -> str:
        """``folder`` relative to the course (``autograded/<student>/<id>``) when it is in it."""
        coursedir = getattr(getattr(self.parent, "parent", None), "coursedir", None)
        try:
            return Path(folder).relative_to(Path(coursedir.root)).as_posix()
        except (AttributeError, TypeError, ValueError):
            return str(folder)

    def _folders(self, resources) -> list[str]:
        """The notebook's input folder and, when the converter says it, its output folder."""
        folders = []
        path = (resources.get("metadata") or {}).get("path")
        if path:
            folders.append(str(path))
        info = resources.get("nbgrader") or {}
        converter = getattr(self.parent, "parent", None)
        dest = getattr(converter, "_format_dest", None)
        if dest is not None and info.get("assignment") and info.get("student"):
            try:
                out = dest(info["assignment"], info["student"])
            except Exception:  # noqa: BLE001 - only the input folder is checked then
                out = None
            if out and all(Path(out) != Path(p) for p in folders):
                folders.append(str(out))
        return folders


class SubmissionRefused(BaseException):
    """Raised by :func:`refuse_unsafe_submission` for one requested student: a BaseException,
    so that nbgrader's hook runner (which swallows every ``Exception``) lets it through and
    nbgrader copies nothing; the API's ``capture_log`` turns it into this student's failure."""


def refuse_unsafe_submission(assignment=None, student=None, notebooks=None, **_) -> None:
    """nbgrader's ``pre_convert_hook`` (``c.Autograde.pre_convert_hook``): before nbgrader
    copies or reads anything of a submission, look at its folder (``os.lstat`` only). If it is
    not safe (a link, a named pipe, a hard link, too many files or bytes):

    - for one requested student (formgrader's button, ``NbGraderAPI.autograde``, the batch):
      raise :class:`SubmissionRefused`, which stops nbgrader before it copies a file; the API
      reports the failure with the reason;
    - for ``nbgrader autograde <id>`` over all students: empty ``notebooks`` (nbgrader's own
      list, so no notebook is opened: a named pipe would hang the grader) and raise
      :class:`UnsafeGradingFolder`: nbgrader logs the reason ("Pre-convert hook failed ...")
      and fails this submission alone ("No notebooks found"), after copying its other files.

    This covers a configuration loaded before the submission arrived (formgrader's server),
    which ``student_id_exclude`` in nbgrader_config.py cannot know about."""
    from welfaregrading.intake import SubmissionLimits

    if not notebooks:
        return
    folder = Path(notebooks[0]).parent
    limits = SubmissionLimits() if _CONFIG is None else SubmissionLimits(config=_CONFIG)
    problem = limits.scan(folder)
    if problem:
        message = f"{REFUSED}: {'/'.join(folder.parts[-3:])}: {problem}"
        if student and student != "*" and "*" not in str(student):
            raise SubmissionRefused(message)
        notebooks.clear()
        raise UnsafeGradingFolder(message)


#: The course's traitlets Config for :func:`refuse_unsafe_submission` (set by nbgrader_config.py
#: through :func:`use_config`, so the hook applies the course's limits).
_CONFIG = None


def use_config(config) -> None:
    """Remember the course's Config (``c`` in nbgrader_config.py) for the hook's limits."""
    global _CONFIG
    _CONFIG = config
