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

# ---- Running students' code (welfaregrading/execution/kernel.py) -------------------------------------------
# Per cell: at most 60 seconds during validate and autograde; a cell that runs longer is
# interrupted (its tests score 0) and grading goes on with the next cell. If the code ignores
# the interrupt, the kernel is stopped after iopub_timeout more seconds and the cells after it
# are not run (they score 0).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.iopub_timeout = 10
# Per notebook: at most 10 minutes in all while autograding; cells after that are not run.
c.GuardedExecute.notebook_timeout = 600
# Hidden tests run in a trusted checker process on the answers' values, sent from the kernel as
# data (welfaregrading/execution/checker.py), never in the student's kernel; canary cells flag
# a kernel that hides errors or changes prints. The kernel works in a private temporary folder
# with copies of the submission's own files, never beside the sanitized notebook. Output is
# capped while it streams in (-1: 10 x c.LimitOutputSize.max_chars per cell).
# Switch the first two off ONLY to measure their overhead.
c.GuardedExecute.isolate_tests = True
c.GuardedExecute.max_cell_output_chars = -1
c.GradingKernelManager.private_workdir = True
# Memory: a grading kernel may use 2 GB of address space (RLIMIT_AS); beyond that the student's
# code gets a MemoryError. CPU time: 0 means the notebook budget (+30 s); beyond it the kernel is
# stopped. The limits are set by the kernel launcher (welfaregrading/execution/launcher.py, hooked in
# by GradingKernelManager), inside the sandbox below.
c.GradingKernelManager.memory_limit_mb = 2048
c.GradingKernelManager.cpu_limit_seconds = 0
# The sandbox (welfaregrading/execution/sandbox.py, bubblewrap): while autograding, students' code sees only
# its own submission folder (writable), the Python environment and data/ (read-only) and a
# private /tmp; not source/, gradebook.db, other students' work, your home or the network, and
# its processes end with the kernel. "auto": sandboxed where bubblewrap runs, else graded
# without it and a loud warning (log and summary); "required": refuse to grade without it;
# "off": never (also warned). Students' Validate is never sandboxed.
c.GradingSandbox.mode = "auto"

# Autograde is nbgrader's own pipeline with a few steps swapped or added (welfaregrading/):
# - GuardedExecute for Execute: a kernel that dies or hangs cannot make the tests after it pass
#   (they score 0; the ones before keep their points);
# - LimitOutputSize for LimitOutput: also caps characters and image size, so a huge output
#   cannot bloat the feedback;
# - RepairSubmission after DeduplicateIds: a copied or split grade cell no longer crashes
#   OverwriteCells (nbgrader 0.9.6 with add_missing_cells);
# - AddMarkScheme: the source's model answer under each manually graded answer, for formgrader
#   (ForStudents removes it again from the feedback).
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds,
                                      "welfaregrading.preprocessors.repair_submission.RepairSubmission", OverwriteKernelspec,
                                      OverwriteCells, CheckCellMetadata]
# AddMarkScheme comes after the students' code has run (the kernel never sees a mark scheme),
# and after ClearMetadataPreprocessor, which would otherwise drop its metadata key.
c.Autograde.autograde_preprocessors = ["welfaregrading.preprocessors.guarded_execute.GuardedExecute", IgnorePattern,
                                       ClearMetadataPreprocessor,
                                       "welfaregrading.preprocessors.add_mark_scheme.AddMarkScheme",
                                       "welfaregrading.preprocessors.limit_output_size.LimitOutputSize", SaveAutoGrades,
                                       AssignLatePenalties, CheckCellMetadata]
# (not enabled by nbgrader; if it ever is, it keeps nbgrader's cell metadata, the graders' notes
# and GuardedExecute's grading flags)
c.ClearMetadataPreprocessor.preserve_cell_metadata_mask = {"nbgrader", "welfarelab_grader_note",
                                                           "editable", "deletable"}
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = {("language_info", "name"), "kernelspec",
                                                         "welfaregrading"}
c.LimitOutput.max_lines = 200
c.LimitOutputSize.max_chars = 20_000

# ---- Collecting from a learning platform (welfaregrading/collect.py) ------------------------------
# THE setting: which platform's bulk-download file names `make collect` reads:
# "canvas", "moodle" or "blackboard" (make ... PLATFORM=moodle overrides it for one run).
c.PlatformCollector.platform = "canvas"
# The clock of the times in the platform's file names (Blackboard), for lateness in UTC.
c.PlatformCollector.timezone = "Europe/Brussels"
c.ZipCollectApp.collector_plugin = "welfaregrading.collect.PlatformCollector"
# Only the platform's zip is opened, never an archive inside a student's upload; whose a file
# is comes from the platform's top-level names alone. The zip is checked before extraction:
# at most max_entries entries, max_archive_bytes unpacked, and max_ratio unpacked/packed (for
# the zip and each entry of 1 MB or more); entries with unsafe paths are listed, not extracted.
c.ZipCollectApp.extractor_plugin = "welfaregrading.collect.PlatformExtractor"
c.PlatformCollector.max_entries = 20_000
c.PlatformCollector.max_archive_bytes = 2 * 1024 ** 3  # 2 GB
c.PlatformCollector.max_ratio = 100

# ---- The lecturer's grading run (welfaregrading/) ---------------------------------------
# Worker processes for autograding (0: one per core); due dates per assignment (a time without
# a zone is read in `timezone`); lateness is recorded in the gradebook and the summary.
c.CourseGrading.workers = 0
c.CourseGrading.timezone = "Europe/Brussels"
c.CourseGrading.due_dates = {}  # e.g. {"m06": "2025-03-30 23:59"}

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
# ForStudents comes first: it removes the graders' mark-scheme notes and shows a failed test as
# its message only (a traceback would print the failing hidden-test line, expected value and all).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = ["welfaregrading.preprocessors.for_students.ForStudents", GetGrades,
                                    ClearHiddenTests, ClearMarkScheme, CSSHTMLHeaderPreprocessor]

# ---- Grading never follows a student's files (welfaregrading/intake.py, fs.py, ----------------
# ---- preprocessors/check_folder.py; after the Autograde and feedback lists on purpose) ------
# A submission folder, as handed in and as the grading kernel leaves it, may hold only ordinary
# files and folders: one holding a symbolic link, a named pipe, a socket, a device or a hard
# link, more than max_files files and folders or more than max_bytes bytes is not graded (the
# summary says why); a notebook nested deeper than max_json_depth is refused before it is read.
c.SubmissionLimits.max_files = 50
c.SubmissionLimits.max_bytes = 50_000_000
c.SubmissionLimits.max_json_depth = 100
# CheckGradingFolder looks at the folders (os.lstat, nothing followed) inside nbgrader's own
# pipeline, before nbgrader writes, copies or chmods anything there, on every path (make
# autograde, plain `nbgrader autograde`, formgrader's buttons, feedback): last when sanitizing,
# right after the step that runs the student's code and last when autograding, last in feedback
# (every step runs before nbgrader writes the notebook).
_check_folder = "welfaregrading.preprocessors.check_folder.CheckGradingFolder"
if "sanitize_preprocessors" in c.Autograde:
    c.Autograde.sanitize_preprocessors = [*c.Autograde.sanitize_preprocessors, _check_folder]
if "autograde_preprocessors" in c.Autograde:
    _steps = list(c.Autograde.autograde_preprocessors)
    _after = next((i + 1 for i, step in enumerate(_steps)
                   if str(getattr(step, "__name__", step)).endswith("Execute")), 0)
    c.Autograde.autograde_preprocessors = _steps[:_after] + [_check_folder] + _steps[_after:] \
        + [_check_folder]
if "preprocessors" in c.GenerateFeedback:
    c.GenerateFeedback.preprocessors = [*c.GenerateFeedback.preprocessors, _check_folder]

# nbgrader copies a submission's other files (following links, reading a pipe) before any step
# runs: students whose submitted/ folder is not safe are left out of plain `nbgrader autograde`
# and formgrader's buttons (c.CourseDirectory.student_id_exclude), with a warning; `make
# autograde` refuses them with the reason in its summary.
# A configuration loaded before a submission arrived (formgrader's server) cannot know it: there
# the pre-convert hook refuses such a submission before nbgrader opens its notebooks.
try:
    from welfaregrading.intake import exclude_unsafe_submissions  # noqa: E402
    from welfaregrading.preprocessors.check_folder import use_config  # noqa: E402
except ImportError:  # the grading tools are not installed here: nothing to check with
    exclude_unsafe_submissions = None
if exclude_unsafe_submissions is not None:
    exclude_unsafe_submissions(c)
    use_config(c)
    c.Autograde.pre_convert_hook = \
        "welfaregrading.preprocessors.check_folder.refuse_unsafe_submission"
    c.GenerateFeedback.pre_convert_hook = \
        "welfaregrading.preprocessors.check_folder.refuse_unsafe_submission"

# ---- Students' HTML is never run (welfaregrading/formgrader.py) -----------------------------------
# A student's output or written answer can hold HTML, even a <script> or an <img onerror=...>.
# Formgrader's submission pages and the feedback pages are nbconvert HTML (HTMLExporter): these
# two settings clean it with nbconvert's own SanitizeHTML preprocessor (outputs: scripts,
# application/javascript, SVG and widget outputs removed) and a cleaner after each markdown
# cell is rendered; unsafe markup shows as text. `make formgrader` passes the same settings and
# adds a Content-Security-Policy on the submission pages and no terminals (see that module).
c.HTMLExporter.preprocessors = ["welfaregrading.formgrader.SanitizeStudentOutput"]
c.HTMLExporter.filters = {
    "strip_files_prefix": "welfaregrading.formgrader.strip_files_prefix_and_sanitize",
}
