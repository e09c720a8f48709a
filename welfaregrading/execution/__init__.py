"""Running students' code while grading: the kernel manager and its one launch hook
(:mod:`.kernel`), the resource-limits launcher (:mod:`.launcher`) and the bubblewrap sandbox
(:mod:`.sandbox`)."""
