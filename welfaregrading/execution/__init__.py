"""Running students' code while grading: the kernel manager and its one launch hook, with the
kernel's private working folder (:mod:`.kernel`), the resource-limits launcher
(:mod:`.launcher`), the bubblewrap sandbox (:mod:`.sandbox`), the trusted checker process that
runs hidden tests on the answers' values sent as data (:mod:`.checker`), and the check before a
grading run that a kernel starts and imports ``welfarelab`` (:mod:`.preflight`)."""
