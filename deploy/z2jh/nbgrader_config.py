"""nbgrader settings in the students' image (copied to /etc/jupyter/nbgrader_config.py).

The course id is the course's own (nbgrader_config.py at the repository's root); the exchange
is the shared ReadWriteMany volume that values.yaml mounts at /srv/nbgrader/exchange in every
student pod and in the formgrader pod. nbgrader reads /etc/jupyter as a Jupyter config path
(nbgrader docs, configuration/jupyterhub_config.rst, "Example Use Case: One Class, Multiple
Graders": a global nbgrader_config.py with the course id and exchange root).
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "welfare-social-innovation"
c.Exchange.root = "/srv/nbgrader/exchange"
# Validate runs a notebook's visible checks with the lecturer's per-cell time limit (60 s,
# as in the student edition's tools/student/nbgrader_config.py).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
