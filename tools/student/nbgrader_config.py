"""nbgrader settings of the student edition: what Validate needs, nothing of the grading.

The course root is the folder this file lives in (no absolute path). Validate runs a notebook's
visible checks with the same per-cell time limit as the lecturer's grading (60 s).
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "welfare-social-innovation"
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
