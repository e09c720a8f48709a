"""RepairSubmission: a copied or split grade cell becomes an ordinary cell."""

from nbgrader.preprocessors import NbGraderPreprocessor


class RepairSubmission(NbGraderPreprocessor):
    """Runs right after nbgrader's ``DeduplicateIds``. That step empties the nbgrader
    metadata of a repeated grade cell (``{}``), and with ``add_missing_cells`` on,
    ``OverwriteCells`` then fails on the empty dict (KeyError 'grade_id', nbgrader 0.9.6):
    a student who copied or split a grade cell would get no grade. An empty nbgrader
    metadata dict is removed, so the copy is an ordinary cell and grading goes on."""

    def preprocess_cell(self, cell, resources, cell_index):
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources
