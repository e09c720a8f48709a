"""The grading sandbox (welfaregrading/execution/sandbox.py): how it is configured, what a sandboxed kernel
can and cannot do, that Validate is not sandboxed, and the loud warning without it.

The hostile-submission corpus is in tests/grading/test_hostile_corpus.py.
"""

import ast
import json
import logging
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.course
import welfaregrading.execution.kernel
import welfaregrading.execution.sandbox
import welfaregrading.report
import welfaregrading.samples
from welfaregrading.execution.kernel import GradingKernelManager, launch_command

REPO = Path(__file__).resolve().parents[2]


def require_sandbox():
    """Skip where bubblewrap cannot run, except in CI (.ci/run sets WELFARELAB_REQUIRE_SANDBOX)."""
    why = wg.execution.sandbox.problem()
    if why:
        if os.environ.get("WELFARELAB_REQUIRE_SANDBOX"):
            pytest.fail(f"the grading sandbox must run here but cannot: {why}")
        pytest.skip(f"the grading sandbox cannot run here: {why}")


# ---- configuration ------------------------------------------------------------------------------

def test_course_config_names_the_sandbox_and_its_limits():
    config = wg.course.course_config(REPO)
    assert config.GradingSandbox.mode == "auto"
    assert config.GradingKernelManager.memory_limit_mb > 0
    assert "cpu_limit_seconds" in config.GradingKernelManager
    steps = [s if isinstance(s, str) else s.__name__ for s in config.Autograde.autograde_preprocessors]
    assert "welfaregrading.preprocessors.guarded_execute.GuardedExecute" in steps  # the one path to GradingKernelManager


def test_missing_bubblewrap_is_reported_and_auto_mode_warns_once(tmp_path, caplog):
    box = wg.execution.sandbox.GradingSandbox(bwrap="no-such-bwrap-here")
    assert "not installed" in box.unavailable()
    with caplog.at_level(logging.WARNING):
        assert box.prepare(tmp_path) is None
        assert box.prepare(tmp_path) is None
    warnings = [r for r in caplog.records if "NOT SANDBOXED" in r.getMessage()]
    assert len(warnings) == 1
    assert "bubblewrap" in warnings[0].getMessage()


def test_required_mode_refuses_to_grade_without_the_sandbox(tmp_path):
    box = wg.execution.sandbox.GradingSandbox(bwrap="no-such-bwrap-here", mode="required")
    with pytest.raises(RuntimeError, match="sandbox is required"):
        box.prepare(tmp_path)
    assert "sandbox is required" in wg.report.failure_reason(
        {"error": "RuntimeError: The grading sandbox is required (...) but cannot run"})


def test_off_mode_is_reported_as_unsandboxed():
    status = wg.execution.sandbox.status(Config({"GradingSandbox": {"mode": "off"}}))
    assert status["sandboxed"] is False
    assert "switched off" in status["reason"] and "NOT SANDBOXED" in status["warning"]


def test_the_command_line_exposes_only_what_the_kernel_needs(tmp_path):
    require_sandbox()
    course = tmp_path / "course"
    work = course / "autograded" / "s1" / "m06"
    work.mkdir(parents=True)
    (course / "source").mkdir()
    plan = wg.execution.sandbox.GradingSandbox().prepare(work, course_root=course)
    try:
        argv = launch_command(["python", "-m", "ipykernel_launcher", "-f", "x.json"], 512, 60,
                              sandbox=plan)
        for flag in ("--unshare-all", "--die-with-parent", "--clearenv", "--cap-drop"):
            assert flag in argv
        assert "--share-net" not in argv
        assert argv[argv.index("--ignore-signal=INT") - 1].endswith("env")
        binds = [argv[i + 1] for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
        writable = [argv[i + 1] for i, a in enumerate(argv) if a == "--bind"]
        assert writable == [str(work.resolve()), str(plan.comm_dir)]
        for secret in (course, course / "source", course / "autograded", Path.home()):
            assert str(secret.resolve()) not in binds
        # the limits launcher runs inside the sandbox, then the kernel
        inner = argv[argv.index("--") + 1:]
        assert inner[1] == str(wg.execution.kernel.LAUNCHER)
        # of the grading package only the launcher's file is visible
        grading = str(wg.execution.kernel.LAUNCHER.parents[1])
        assert [b for b in binds if b.startswith(grading)] == [str(wg.execution.kernel.LAUNCHER)]
        assert inner[inner.index("--memory-mb") + 1] == "512"
    finally:
        plan.cleanup()
    assert not plan.comm_dir.exists()


# ---- a sandboxed kernel, for real ---------------------------------------------------------------

PROBE = r'''
import os, socket
seen = {}
for name, path in [("course", COURSE), ("source", COURSE + "/source/secret.txt"),
                   ("host_tmp", HOST_TMP)]:
    seen[name] = os.path.exists(path)
seen["home"] = sorted(os.listdir(HOME)) if os.path.isdir(HOME) else []
try:
    open(COURSE + "/dropped.txt", "w").write("x")
    seen["write_root"] = "written"
except OSError as err:
    seen["write_root"] = type(err).__name__
open("mine.txt", "w").write("scratch is writable")
open("/tmp/private.txt", "w").write("private tmp is writable")
try:
    socket.create_connection(("1.1.1.1", 80), timeout=3)
    seen["net"] = "connected"
except OSError as err:
    seen["net"] = type(err).__name__
seen["secret_env"] = "WELFARELAB_TEST_SECRET" in os.environ
seen["nbgrader_env"] = os.environ.get("NBGRADER_EXECUTION")
import welfarelab.data
seen["data"] = sorted(os.listdir(str(welfarelab.data.DATA)))
print(seen)
'''


@pytest.mark.slow
def test_a_sandboxed_kernel_sees_only_its_folder_and_can_be_interrupted(tmp_path, monkeypatch):
    require_sandbox()
    course = tmp_path / "course"
    work = course / "autograded" / "s1" / "m06"
    work.mkdir(parents=True)
    (course / "source").mkdir()
    (course / "source" / "secret.txt").write_text("the answers")
    host_tmp = tmp_path / "outside.txt"
    host_tmp.write_text("not for students")
    monkeypatch.setenv("WELFARELAB_TEST_SECRET", "lecturer token")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    from nbclient import NotebookClient

    home = Path.home().resolve()
    code = (f"COURSE = {str(course)!r}\nHOST_TMP = {str(host_tmp)!r}\nHOME = {str(home)!r}\n"
            + PROBE)
    nb = new_notebook(cells=[new_code_cell(code),
                             new_code_cell("import time\nwhile True:\n    time.sleep(0.05)"),
                             new_code_cell("print('still alive')")])
    config = Config({"CourseDirectory": {"root": str(course)}})
    started = time.monotonic()
    NotebookClient(nb, kernel_name="python3", timeout=4, allow_errors=True,
                   interrupt_on_timeout=True, kernel_manager_class=GradingKernelManager,
                   config=config, resources={"metadata": {"path": str(work)}}).execute()
    assert time.monotonic() - started < 40
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "Error" not in str([o.get("ename") for o in nb.cells[0].outputs]), nb.cells[0].outputs
    seen = ast.literal_eval(out.strip())
    # the kernel works in a private folder elsewhere: the course folder is not even there
    assert seen["course"] is False
    assert seen["source"] is False and seen["host_tmp"] is False
    # of the lecturer's home only the folders leading to the Python environment show
    needed = {p.relative_to(home).parts[0] for p in wg.execution.sandbox.python_paths()
              if p.is_relative_to(home) and p != home}
    assert set(seen["home"]) <= needed
    assert seen["write_root"] in ("PermissionError", "OSError", "FileNotFoundError")
    assert seen["net"] in ("OSError", "ConnectionRefusedError", "TimeoutError")
    assert seen["secret_env"] is False and seen["nbgrader_env"] == "autograde"
    assert seen["data"]
    # the kernel works in a private copy of its folder: what it writes is never seen outside
    assert not (work / "mine.txt").exists() and not (course / "dropped.txt").exists()
    assert not Path("/tmp/private.txt").exists() or Path("/tmp/private.txt").read_text() != \
        "private tmp is writable"
    # the time limit's interrupt reaches the kernel (not bubblewrap), and the kernel lives on
    assert [o.get("ename") for o in nb.cells[1].outputs if o.output_type == "error"] == \
        ["KeyboardInterrupt"]
    assert "still alive" in "".join(o.get("text", "") for o in nb.cells[2].outputs)


@pytest.mark.slow
def test_validate_is_not_sandboxed(tmp_path):
    """Students' Validate uses nbgrader's plain Execute, even with the course's configuration:
    their own files stay reachable (a notebook may read a file beside its folder)."""
    from nbgrader.validator import Validator

    (tmp_path / "beside.txt").write_text("a file next to the folder")
    folder = tmp_path / "work"
    folder.mkdir()
    nb = new_notebook(cells=[new_code_cell(
        "import os\nassert os.path.exists('../beside.txt'), 'sandboxed!'",
        metadata={"nbgrader": {"grade": True, "grade_id": "t", "locked": True, "points": 1,
                               "schema_version": 3, "solution": False, "task": False}})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "v.ipynb"
    nbformat.write(nb, path)
    config = wg.course.course_config(REPO)
    cwd = os.getcwd()
    try:
        os.chdir(folder)
        assert Validator(config=config).validate(str(path)) == {}
    finally:
        os.chdir(cwd)


@pytest.mark.slow
def test_grading_without_the_sandbox_works_and_says_so_loudly(tmp_path):
    lines = []
    course = wg.course.scratch_course(tmp_path / "course", ["m06"],
                                    config_lines=["c.GradingSandbox.mode = 'off'"])
    release = wg.course.generate(course, "m06")
    samples = wg.samples.sample_submissions(release, course / "source" / "m06")
    full = next(s for s in samples if s.student == "ada-full")
    wg.samples.submit(course, "m06", "ada-full", full.notebook, next(release.glob("*.ipynb")).name)
    result = wg.batch.autograde_all(course, "m06", workers=1, echo=lines.append, progress=False)
    assert result.students["ada-full"]["auto_score"] == result.students["ada-full"]["auto_max"]
    said = "\n".join(lines)
    assert said.count("GRADING IS NOT SANDBOXED") == 2  # once at the start, once in the summary
    summary = result.summary.read_text()
    assert summary.startswith("!! GRADING IS NOT SANDBOXED")
    assert "bubblewrap" in summary
    again = []
    wg.report.summarize(course, "m06", echo=again.append)  # `make summary` says it as well
    assert "NOT SANDBOXED" in again[0]


# ---- preflight: a run that cannot grade says so before it starts ---------------------------------

def _kernelspec(tmp_path, monkeypatch, name, argv):
    folder = tmp_path / "jupyter" / "kernels" / name
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": name, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


@pytest.mark.slow
def test_preflight_passes_with_the_course_configuration():
    from welfaregrading.execution.preflight import preflight

    assert preflight(wg.course.course_config(REPO)) is None


@pytest.mark.slow
def test_preflight_reports_a_kernel_that_cannot_import_welfarelab(tmp_path, monkeypatch):
    from welfaregrading.execution.preflight import preflight

    _kernelspec(tmp_path, monkeypatch, "nowelfare", [
        sys.executable, "-c", ("import sys; sys.modules['welfarelab'] = None; "
                               "from ipykernel import kernelapp; kernelapp.launch_new_instance()"),
        "-f",
        "{connection_file}"])
    said = preflight(wg.course.course_config(REPO), kernel_name="nowelfare")
    assert said is not None and said.startswith("A grading kernel cannot import the course package")
    assert "welfarelab" in said and "To fix:" in said and "pip install -e ." in said


@pytest.mark.slow
def test_preflight_reports_a_kernel_that_dies_with_its_own_error(tmp_path, monkeypatch):
    from welfaregrading.execution.preflight import preflight

    _kernelspec(tmp_path, monkeypatch, "broken", [
        sys.executable, "-c",
        "import sys; sys.stderr.write('No module named ipykernel_launcher\\n'); sys.exit(1)",
        "-f", "{connection_file}"])
    said = preflight(wg.course.course_config(REPO), kernel_name="broken", timeout=20)
    assert said is not None and "No module named ipykernel_launcher" in said, said
    assert "To fix:" in said


def test_required_sandbox_that_cannot_run_fails_the_preflight():
    from welfaregrading.execution.preflight import preflight

    config = wg.course.course_config(REPO)
    config.GradingSandbox.mode = "required"
    config.GradingSandbox.bwrap = "no-such-bwrap-here"
    said = preflight(config)
    assert said.startswith("A grading kernel cannot start: The grading sandbox is required")
    assert said.count("To fix:") == 1 and "apt-get install bubblewrap" in said


def test_the_sandbox_binds_what_the_kernels_own_python_imports(tmp_path):
    require_sandbox()
    env = wg.execution.sandbox.kernel_environment(sys.executable)
    assert Path(env["welfarelab"]).resolve() == (REPO / "welfarelab").resolve()
    paths = wg.execution.sandbox.kernel_paths(sys.executable)
    assert (REPO / "welfarelab").resolve() in paths  # the editable install's target
    assert Path(sys.base_prefix).resolve() in paths
    course = tmp_path / "course"
    work = tmp_path / "work"
    work.mkdir()
    (course / "source").mkdir(parents=True)
    plan = wg.execution.sandbox.GradingSandbox().prepare(work, course_root=course)
    try:
        plan.hidden.append(REPO.resolve())  # as if the repository were the course being graded
        plan.allow_program(sys.executable)
        argv = launch_command(["python", "-m", "ipykernel_launcher"], sandbox=plan)
        binds = [argv[i + 1] for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
        assert str((REPO / "welfarelab").resolve()) in binds
        assert str(REPO.resolve()) not in binds and str(course.resolve()) not in binds
        assert not any(b.endswith(("/source", "gradebook.db")) for b in binds)
    finally:
        plan.cleanup()
