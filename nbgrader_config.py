"""nbgrader settings for the WELFARE course.

The course root is the folder this file lives in, so the same file works on a laptop, on
Binder and in a scratch copy made by the grading tools. No absolute paths belong here.
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "welfare-social-innovation"

# What a student sees in place of a removed solution.
c.ClearSolutions.code_stub = {
    "python": "# YOUR ANSWER HERE: replace this line with your code\n"
    "raise NotImplementedError('You have not answered this part yet')",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE (write in full sentences)"

# Students' code runs at most 60 seconds per cell during validate and autograde; a cell that
# runs longer is interrupted (it scores 0) and grading goes on with the next cell.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Files that never go into a release or a submission.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".DS_Store",
]

# Widgets and plots must not slow grading: the package checks NBGRADER_EXECUTION itself.

# A student who deletes a grade cell by accident still gets it graded: nbgrader puts the cell
# back from the gradebook's copy (with a note in the feedback) instead of silently skipping it.
c.OverwriteCells.add_missing_cells = True

# Feedback shows the student their result and the message of each failed check, but never the
# hidden tests (they hold the expected values) nor a mark scheme.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ClearMarkScheme,
                                    CSSHTMLHeaderPreprocessor]
