"""AddMarkScheme: the source's model answer under each manually graded answer, for formgrader."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader import utils as nbutils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from welfaregrading.preprocessors import GRADER_NOTE, MARK_SCHEME_TITLE
from welfaregrading.samples import solution_code

#: Mark schemes per source notebook (path, mtime), read once per process.
_CACHE: dict = {}


class AddMarkScheme(NbGraderPreprocessor):
    """Put the mark scheme under every manually graded answer, for formgrader.

    nbgrader shows graders the autograded notebook, where a written answer (a ``grade`` and
    ``solution`` cell) holds only what the student wrote; its model answer, the source
    cell's text, stays in ``source/``. This adds a read-only markdown cell with that text
    after the answer. It runs in ``c.Autograde.autograde_preprocessors`` after the students'
    code ran (GuardedExecute) and after ClearMetadataPreprocessor, so no mark scheme is ever in
    a notebook a student's kernel could read. The cell carries the ``welfarelab_grader_note`` metadata key, and
    :class:`ForStudents` (first in ``GenerateFeedback.preprocessors``) removes it, so it
    never reaches a student: the release has nbgrader's stub, the feedback has no note.
    """

    def preprocess(self, nb, resources):
        aid = resources["nbgrader"]["assignment"]
        nbid = resources["nbgrader"]["notebook"]
        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", aid)) / f"{nbid}.ipynb"
        if not path.exists():
            self.log.warning("No source notebook %s: no mark scheme shown", path)
            return nb, resources
        key = (str(path), path.stat().st_mtime_ns)
        if key not in _CACHE:  # read each source notebook once per process
            found = {}
            for cell in nbformat.read(path, as_version=4).cells:
                if nbutils.is_grade(cell) and nbutils.is_solution(cell):
                    text = solution_code(cell.source) if cell.cell_type == "code" \
                        else cell.source
                    found[cell.metadata.nbgrader["grade_id"]] = (cell.cell_type, text)
            _CACHE[key] = found
        schemes = dict(_CACHE[key])
        cells = []
        for cell in nb.cells:
            if cell.metadata.get(GRADER_NOTE, {}).get("mark_scheme"):
                continue  # a note from an earlier run: replaced below
            cells.append(cell)
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in schemes and nbutils.is_grade(cell) and nbutils.is_solution(cell):
                kind, text = schemes.pop(gid)
                body = f"```python\n{text}\n```" if kind == "code" else text
                note = new_markdown_cell(
                    f"**{MARK_SCHEME_TITLE.format(gid=gid)}**\n\n{body}",
                    metadata={GRADER_NOTE: {"mark_scheme": gid}, "editable": False,
                              "deletable": False})
                cells.append(note)
        nb.cells = cells
        return nb, resources
