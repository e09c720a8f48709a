"""nbgrader preprocessors of this course, one class per module, each named directly in
``nbgrader_config.py`` (e.g. ``"welfaregrading.preprocessors.add_mark_scheme.AddMarkScheme"``).

Autograde (``c.Autograde.*_preprocessors``):

- :mod:`.repair_submission`: a copied or split grade cell no longer crashes ``OverwriteCells``;
- :mod:`.guarded_execute`: nbgrader's ``Execute`` in a private working folder, with the tests
  run in a trusted checker process on the answers' values, canary cells, guards against dead
  and hung kernels and output capped while it streams;
- :mod:`.check_folder`: stops a submission whose folders hold links, FIFOs, devices or hard
  links before nbgrader copies, writes or chmods anything there;
- :mod:`.limit_output_size`: caps characters and image size of every output;
- :mod:`.add_mark_scheme`: after execution, the source's model answer under each manually
  graded answer.

Feedback (``c.GenerateFeedback.preprocessors``): :mod:`.for_students` removes graders' notes and
shows a failed test as its message only; :mod:`.check_folder` again.

This module itself imports nothing heavy: it holds the names the others share.
"""

#: Cell metadata key of the notes that only graders see (removed from the feedback).
GRADER_NOTE = "welfarelab_grader_note"
#: Title of the mark-scheme note under a manually graded answer.
MARK_SCHEME_TITLE = "Mark scheme for `{gid}` (shown to graders only; not in the feedback)"
