"""Nothing a student's code can reach reveals an expected value or a mark scheme, and tampering
inside the kernel gains nothing (welfaregrading/execution/checker.py, kernel.py,
preprocessors/guarded_execute.py).

- the kernel works in a private folder with copies of the submission's own files;
- hidden tests run in the checker process on the answers' values, sent as JSON data;
- canary cells flag a kernel that hides errors or changes prints;
- output is capped while it streams in;
- the mark scheme is added after the students' code ran.
"""

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import welfaregrading as wg
import welfaregrading.course
import welfaregrading.demo
import welfaregrading.report
import welfaregrading.samples
from welfaregrading.execution import checker
from welfaregrading.execution.kernel import copy_own_files

REPO = Path(__file__).resolve().parents[2]

# ---- unit level: values as data ------------------------------------------------------------------


def test_free_names_leave_out_builtins_setup_names_and_the_cells_own():
    source = ("import numbers\nassert isinstance(x, numbers.Real)\n_t = [v for v in ys]\n"
              "assert abs(sroi(outcomes).ratio - 1.9) < 1e-4, 'no'\nassert 'x' in globals()")
    assert checker.free_names(source, {"sroi", "Outcome"}) == ["outcomes", "x", "ys"]


def _round_trip(names_values: dict):
    """Encode in this process with the kernel's ENCODER, decode with the checker's decode."""
    mark = "MARK:"
    scope = {"__builtins__": __builtins__, "NS": names_values, "NAMES": list(names_values),
             "MARK": mark, "CAP": checker.MAX_VALUES_CHARS}
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(checker.ENCODER, scope)  # noqa: S102 - the snippet the kernel runs
    values = checker.read_values(out.getvalue(), mark)
    return {name: checker.decode(entry["ok"]) if "ok" in entry else entry
            for name, entry in values.items()}


def test_values_cross_as_data_with_their_types():
    import numpy as np
    import pandas as pd

    from welfarelab.impact import Outcome, sroi

    outcome = Outcome(name="A", stakeholder="young adults", quantity=40, financial_proxy=2500, deadweight=0.25,
                      attribution=0.2, drop_off=0.1, duration=3)
    frame = pd.DataFrame({"name": ["a", "b"], "n": [1, 2], "x": [0.1, float("nan")],
                          "c": pd.Categorical(["u", "v"])}, index=[10, 11])
    got = _round_trip({"i": 4500, "f": 1.99897, "b": True, "s": "c", "none": None,
                       "t": (1, 2.5), "l": [1, [2, "x"]], "d": {"a": 1, 2: "b"},
                       "np_i": np.int64(7), "np_f": np.float64(0.5), "arr": np.arange(6).reshape(2, 3),
                       "frame": frame, "series": frame["n"].rename("count"),
                       "outcome": outcome, "outcomes": [outcome], "result": sroi([outcome], 80000)})
    assert got["i"] == 4500 and type(got["i"]) is int
    assert got["f"] == 1.99897 and got["b"] is True and got["s"] == "c" and got["none"] is None
    assert got["t"] == (1, 2.5) and got["l"] == [1, [2, "x"]] and got["d"] == {"a": 1, 2: "b"}
    assert type(got["np_i"]) is np.int64 and got["np_i"] == 7
    assert type(got["np_f"]) is np.float64
    assert got["arr"].shape == (2, 3) and got["arr"].tolist() == [[0, 1, 2], [3, 4, 5]]
    pd.testing.assert_frame_equal(got["frame"], frame)
    pd.testing.assert_series_equal(got["series"], frame["n"].rename("count"))
    assert got["outcome"] == outcome and type(got["outcome"]) is Outcome
    expected = sroi([outcome], 80000)
    assert type(got["result"]) is type(expected)
    assert got["result"].ratio == expected.ratio
    assert got["result"].present_value == expected.present_value


def test_tampered_values_arrive_as_plain_data_and_foreign_objects_do_not_arrive():
    class Anything(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class Secretive:
        pass

    got = _round_trip({"a": Anything(1.0), "obj": Secretive(), "fn": print})
    assert type(got["a"]) is float and got["a"] != 60000
    assert "unsupported" in got["obj"] and "unsupported" in got["fn"]


@pytest.mark.parametrize("forged", [
    {"__t": "dc", "module": "os", "name": "system", "f": {}},
    {"__t": "dc", "module": "welfarelab.impact", "name": "_private", "f": {}},
    {"__t": "dc", "module": "welfarelab.data", "name": "load", "f": {"name": "x"}},
    {"__t": "pickle", "v": "gASV"},
    {"__t": "nd", "dtype": "O", "shape": [1], "v": [{"__t": "eval", "v": "1+1"}]},
])
def test_forged_tags_are_refused(forged):
    with pytest.raises(checker.Unsupported):
        checker.decode(forged)


def test_the_checker_runs_a_test_on_values_and_reports_errors_as_nbgrader_expects():
    box = checker.Checker()
    try:
        ok = box.check({"nb": "n1", "setup": ["from welfarelab.impact import Outcome"],
                        "bind": {"x": 60000.0}, "unbind": [], "source":
                        "assert abs(x - 60000) < 0.01\nprint('fine')\n0.5", "name": "t", "count": 3},
                       timeout=30)
        assert ok["outputs"] == [
            {"output_type": "stream", "name": "stdout", "text": "fine\n"},
            {"output_type": "execute_result", "execution_count": 3, "metadata": {},
             "data": {"text/plain": "0.5"}}]
        bad = box.check({"nb": "n1", "bind": {"x": 1.0}, "source":
                         "assert Outcome\nassert abs(x - 60000) < 0.01, 'x is not right'",
                         "name": "t2"}, timeout=30)
        [error] = bad["outputs"]
        assert error["ename"] == "AssertionError" and error["evalue"] == "x is not right"
        assert any("abs(x - 60000)" in line for line in error["traceback"])
        fresh = box.check({"nb": "n2", "source": "Outcome", "name": "t3"}, timeout=30)
        assert fresh["outputs"][0]["ename"] == "NameError"  # a fresh namespace per notebook
        with pytest.raises(checker.CheckerError, match="longer than"):
            box.check({"nb": "n3", "source": "while True: pass", "name": "loop"}, timeout=2)
        again = box.check({"nb": "n4", "source": "print(1 + 1)", "name": "t4"}, timeout=30)
        assert again["outputs"][0]["text"] == "2\n"  # restarted after the time-out
        with pytest.raises(checker.CheckerError):
            box.check({"nb": "n5", "setup": ["y = 5"], "source": "while True: pass"}, timeout=2)
        replayed = box.check({"nb": "n5", "setup": ["y = 5"], "source": "print(y)"}, timeout=30)
        assert replayed["outputs"][0]["text"] == "5\n"  # a new checker runs the setup again
    finally:
        box.stop()


def test_a_failed_visible_check_shows_its_plain_sentence_on_the_feedback_page_too():
    """welfarelab.checks.CheckFailed renders as its message alone in the kernel (IPython's
    _render_traceback_); in the checker, which runs the check cells at autograde, it must too."""
    box = checker.Checker()
    try:
        out = box.check({"nb": "n1", "bind": {"baskets_needed": 5}, "source":
                         "from welfarelab.checks import number\n"
                         "number('baskets_needed', baskets_needed, whole=True, low=1000, high=7499)",
                         "name": "t"}, timeout=30)
        [error] = out["outputs"]
        assert error["ename"] == "CheckFailed"
        text = "".join(error["traceback"])
        assert "baskets_needed" in text and "Traceback" not in text and "number(" not in text
        plain = box.check({"nb": "n1", "bind": {"x": 1.0}, "source": "assert x == 2, 'x is not right'",
                           "name": "t2"}, timeout=30)
        assert any("assert x == 2" in line for line in plain["outputs"][0]["traceback"])
    finally:
        box.stop()


def test_private_workdir_copies_only_the_submissions_own_regular_files(tmp_path):
    src = tmp_path / "autograded" / "s1" / "m06"
    (src / "sub").mkdir(parents=True)
    (src / "m06-sroi.ipynb").write_text("{\"hidden\": \"60000\"}")
    (src / "data.csv").write_text("a,b\n1,2\n")
    (src / "sub" / "notes.txt").write_text("mine")
    secret = tmp_path / "gradebook.db"
    secret.write_text("secret")
    (src / "link.txt").symlink_to(secret)
    (src / "linkdir").symlink_to(tmp_path)
    os.mkfifo(src / "pipe")
    target = tmp_path / "private"
    target.mkdir()
    copied = copy_own_files(src, target)
    assert sorted(copied) == ["data.csv", "sub/notes.txt"]
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == \
        ["data.csv", "sub", "sub/notes.txt"]
    assert not any(p.is_symlink() for p in target.rglob("*"))


def test_config_adds_the_mark_scheme_after_execution_and_isolates_tests():
    config = wg.course.course_config(REPO)
    names = [s if isinstance(s, str) else s.__name__ for s in config.Autograde.autograde_preprocessors]
    sanitize = [s if isinstance(s, str) else s.__name__ for s in config.Autograde.sanitize_preprocessors]
    assert not any("AddMarkScheme" in s for s in sanitize)
    mark = next(i for i, s in enumerate(names) if s.endswith("AddMarkScheme"))
    assert mark > names.index("welfaregrading.preprocessors.guarded_execute.GuardedExecute")
    assert mark > names.index("ClearMetadataPreprocessor")
    assert config.GuardedExecute.isolate_tests is True
    assert config.GradingKernelManager.private_workdir is True
    assert "welfaregrading" in config.ClearMetadataPreprocessor.preserve_nb_metadata_mask


# ---- output capped while it streams ---------------------------------------------------------------

@pytest.mark.slow
def test_output_is_capped_while_it_streams_and_errors_still_count(tmp_path):
    from traitlets.config import Config

    from welfaregrading.preprocessors.guarded_execute import GuardedExecute

    nb = new_notebook(cells=[
        new_code_cell("for i in range(200_000):\n    print('x' * 50)\nraise ValueError('after')"),
        new_code_cell("print('next cell')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    config = Config({"GuardedExecute": {"max_cell_output_chars": 100_000},
                     "GradingSandbox": {"mode": "off"}})
    ex = GuardedExecute(config=config, timeout=60)
    nb, _ = ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    kept = sum(len(o.get("text", "")) for o in nb.cells[0].outputs)
    assert 100_000 <= kept < 110_000  # the head is kept, instead of ~10 MB
    assert any("Output cut while running" in o.get("text", "") for o in nb.cells[0].outputs)
    assert [o.ename for o in nb.cells[0].outputs if o.output_type == "error"] == ["ValueError"]
    assert nb.cells[1].outputs[0].text == "next cell\n"
    assert nb.cells[0].metadata["welfarelab_grader_note"]["output_truncated"] is True
    assert "welfarelab_grader_note" not in nb.cells[1].metadata


# ---- a whole course, graded for real --------------------------------------------------------------

READ_EVERYTHING = r'''
import os, glob
_seen = []
for _p in glob.glob("**/*", recursive=True) + glob.glob(COURSE + "/**/*", recursive=True):
    try:
        _seen.append(_p + "\n" + open(_p, errors="replace").read())
    except Exception as _e:
        _seen.append(f"{_p}: {type(_e).__name__}")
print("CWD", os.getcwd(), sorted(os.listdir(".")))
print("\n".join(_seen))
'''

SWALLOW_ERRORS = r'''
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda self, etype, value, tb, tb_offset=None: None)
def _clear(result):
    result.error_in_exec = None
    result.error_before_exec = None
ip.events.register("post_run_cell", _clear)
'''

PATCH_ABS = r'''
import builtins
builtins.abs = lambda x: 0
class _Anything(float):
    def __eq__(self, other): return True
    def __lt__(self, other): return True
    def __gt__(self, other): return True
    def __sub__(self, other): return _Anything(0)
    __hash__ = float.__hash__
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """m06 graded for five students: full answers, full answers plus a cell reading every file,
    the blank release with an error-swallowing hook, full answers then tampered values with a
    patched abs, and an answer of a type that cannot be sent to the checker."""
    tmp = tmp_path_factory.mktemp("iso")
    course = wg.course.scratch_course(tmp / "course", ["m06"],
                                      config_lines=["c.Execute.timeout = 30"])
    release = wg.course.generate(course, "m06")
    path = min(release.glob("*.ipynb"))
    blank = nbformat.read(path, as_version=4)
    source = nbformat.read(course / "source" / "m06" / path.name, as_version=4)

    def full():
        return wg.samples.answered(nbformat.read(path, as_version=4), source)

    reader = full()
    reader.cells.insert(1, new_code_cell(f"COURSE = {str(course)!r}\n" + READ_EVERYTHING))
    reader.cells.append(new_code_cell(f"COURSE = {str(course)!r}\n" + READ_EVERYTHING))
    swallow = nbformat.read(path, as_version=4)
    swallow.cells.insert(1, new_code_cell(SWALLOW_ERRORS))
    tampered = full()
    for gid, line in [("m06-impact-year1", "impact_year1_a = _Anything(1.0)"),
                      ("m06-sroi-ratio", "sroi_ratio = _Anything(1.5)"),
                      ("m06-switching-value", "switching_deadweight_a = _Anything(0.5)")]:
        at = next(i for i, c in enumerate(tampered.cells)
                  if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
        tampered.cells.insert(at, new_code_cell(PATCH_ABS + line))
    idx = next(i for i, c in enumerate(tampered.cells)
               if "impact_year1_a" in c.source and c.metadata.get("nbgrader", {}).get("solution"))
    odd = full()
    odd.cells.insert(idx + 1, new_code_cell("import fractions\nimpact_year1_a = fractions.Fraction(60000)"))
    students = {"full": full(), "reader": reader, "swallow": swallow, "tampered": tampered,
                "odd": odd, "blank": blank}
    for student, nb in students.items():
        wg.samples.submit(course, "m06", student, nb, path.name)
    results = {s: wg.demo.autograde(course, "m06", s) for s in students}
    return course, path.name, results, source


def _autograded(course, student, name):
    return nbformat.read(course / "autograded" / student / "m06" / name, as_version=4)


def _all_output_text(nb):
    return "\n".join(json.dumps(o) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def _auto_scores(course, student):
    return {gid: (cell.score, cell.max_score)
            for gid, cell in wg.report.cell_scores(course, "m06", student).items() if cell.auto}


@pytest.mark.slow
def test_a_submission_that_reads_every_file_finds_no_expected_value(graded):
    course, name, results, source = graded
    assert results["reader"]["success"], results["reader"].get("log")
    nb = _autograded(course, "reader", name)
    text = _all_output_text(nb)
    assert "CWD /tmp/welfaregrading-work-" in text or "CWD " in text
    hidden = [line.strip() for c in source.cells for line in c.source.splitlines()
              if "abs(" in line and "HIDDEN" not in line and any(v in line for v in
                                                                   ("60000", "1.99897", "0.69300"))]
    assert hidden, "the source holds the expected values"
    for secret in [*hidden, "1.99897", "0.69300", "BEGIN HIDDEN TESTS", "Mark scheme",
                   "m06-sroi.ipynb\\n{"]:
        assert secret not in text, f"a student's cell saw {secret!r}"
    # the honest answers still score exactly, and nothing is flagged
    scores = _auto_scores(course, "reader")
    assert scores == _auto_scores(course, "full") and all(s == m for s, m in scores.values())
    assert nb.metadata["welfaregrading"]["flags"] == []
    # the mark scheme is there for formgrader (added after the code ran)
    assert any("Mark scheme" in c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.slow
def test_an_error_swallowing_hook_is_flagged_and_earns_nothing(graded):
    course, name, results, _ = graded
    assert results["swallow"]["success"], results["swallow"].get("log")
    assert all(score == 0 for score, _ in _auto_scores(course, "swallow").values())
    flags = _autograded(course, "swallow", name).metadata["welfaregrading"]["flags"]
    assert any("hid the error" in f for f in flags), flags
    log = results["swallow"].get("log", "")
    assert log.count("Grading flag: ") == len(flags)


@pytest.mark.slow
def test_a_patched_abs_and_an_always_equal_float_gain_nothing(graded):
    course, name, results, _ = graded
    assert results["tampered"]["success"], results["tampered"].get("log")
    scores = _auto_scores(course, "tampered")
    assert scores["m06-impact-year1"][0] == 0
    assert scores["m06-sroi-ratio"][0] == 0 and scores["m06-switching-value"][0] == 0
    nb = _autograded(course, "tampered", name)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "m06-sroi-ratio")
    assert [o.ename for o in test.outputs if o.output_type == "error"] == ["AssertionError"]


@pytest.mark.slow
def test_a_value_that_cannot_be_sent_is_not_run_anywhere_scores_0_and_is_flagged(graded):
    course, name, results, _ = graded
    nb = _autograded(course, "odd", name)
    flags = nb.metadata["welfaregrading"]["flags"]
    assert len(flags) == 1 and "test m06-impact-year1 was not run" in flags[0], flags
    assert "Fraction" in flags[0]
    assert results["odd"]["log"].count("Grading flag: ") == 1
    scores = _auto_scores(course, "odd")
    assert scores["m06-impact-year1"] == (0.0, 2.0)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "m06-impact-year1")
    assert [o.ename for o in test.outputs] == ["UncheckableAnswer"]


@pytest.mark.slow
def test_the_blank_release_scores_zero_and_the_solution_full(graded):
    course = graded[0]
    assert all(s == 0 for s, _ in _auto_scores(course, "blank").values())
    assert all(s == m for s, m in _auto_scores(course, "full").values())
