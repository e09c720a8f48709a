"""ForStudents: the first step of the feedback (no graders' notes, failed tests as messages)."""

from nbgrader import utils as nbutils
from nbgrader.preprocessors import NbGraderPreprocessor

from welfaregrading.preprocessors import GRADER_NOTE


class ForStudents(NbGraderPreprocessor):
    """First step of the feedback: remove graders' notes (mark schemes) and show a failed
    test as its message only. A traceback would print the failing line of a hidden test,
    and with it the expected value; the message is written for students."""

    def preprocess_cell(self, cell, resources, cell_index):
        return cell, resources

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            note = cell.metadata.get(GRADER_NOTE, {})
            if note.get("mark_scheme"):
                continue
            if (cell.cell_type == "code" and nbutils.is_grade(cell)
                    and not nbutils.is_solution(cell)):
                for out in cell.get("outputs", []):
                    if out.output_type == "error":
                        msg = f"{out.ename}: {out.evalue}" if out.evalue else out.ename
                        out.traceback = [msg]
            kept.append(cell)
        nb.cells = kept
        return nb, resources
