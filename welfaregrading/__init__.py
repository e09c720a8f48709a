"""The lecturer's grading tools for the WELFARE course, apart from the students' ``welfarelab``.

One module per stage of the lecturer's workflow (README, "For lecturers"), each driving
nbgrader's own API; the student edition leaves this package out whole.

=========================  =====================================================================
module                     stage
=========================  =====================================================================
:mod:`.course`             the course folder, scratch copies, releases and release zips
:mod:`.collect`            a platform's bulk download to ``submitted/`` (nbgrader zip_collect)
:mod:`.intake`             who handed in, and what cannot be graded, before grading
:mod:`.fs`                 walking and copying students' folders without following links
:mod:`.batch`              autograde a whole class in worker processes
:mod:`.execution`          how students' code runs: kernel manager, limits launcher, sandbox
:mod:`.preprocessors`      nbgrader preprocessors, one class per module, named in the config
:mod:`.report`             scores, lost points, failure reasons, the run's summary
:mod:`.feedback`           feedback pages, checked for leaks
:mod:`.leaks`              an assignment's secrets found by content, in any encoding
:mod:`.formgrader`         ``make formgrader``: sanitised student HTML, a script policy, no terminals
:mod:`.export`             the generic grades CSV (every student a row, with status and reason)
:mod:`.roster`             the class roster from the platform's gradebook export; one row per student
:mod:`.platform_export`    grades in Canvas's, Moodle's or Blackboard's own import format, feedback zip
:mod:`.workflow`           collect + autograde + feedback + export in one call
:mod:`.samples`            sample submissions made from the source (demo, benchmark, tests)
:mod:`.demo`               ``make grade-demo``
:mod:`.runfiles`           the run's log, progress bar and state files
:mod:`.cli`                ``python -m welfaregrading ...``, what the make targets call
=========================  =====================================================================
"""
