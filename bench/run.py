"""Benchmarks: `make bench` writes bench/results/bench.json and prints a table.

Each figure is a ratio against a floor measured in the same run on the same machine, so the
numbers compare across machines; absolute times are written too. Targets (issue 3):
- `import welfarelab` (and its calculators) against `import pandas` alone: <= 1.2x;
- one recalculation of each calculator widget with its chart refresh: < 50 ms; issue 15: per
  calculator, median and p95 over 50 changes of the kept chart (``_base.LiveChart``) against
  the old path (a new figure per change) in the same run, <= 0.25x; figures alive after 200
  changes each <= 1 per calculator (`python bench/run.py widgets`); and in Chromium, setting
  an input until the chart shows the new value, SROI, break-even and cash flow, median and
  p95 over 20 changes, old and new (`python bench/run.py browser`), p95 < 150 ms.
- a 10,000-scenario SROI sensitivity run: < 1 s (vectorised).
- autograding throughput (issue 5) for a class of 60 sample submissions of m06: seconds per
  submission with nbgrader serially and with 2 worker processes, each against the floor of
  executing the same 60 notebooks with nbclient in the same run (serial <= 1.5x the floor;
  2 workers >= 1.6x faster than serial), and the gradebook's consistency afterwards (every
  submission has a row, every auto-graded cell a score, both runs give the same grades).
  `python bench/run.py autograde` runs only this part (BENCH_SUBMISSIONS=60 sets the class;
  `python bench/run.py autograde 20` a class of 20).
  Beside its peer (issue 15): the same class autograded by stock nbgrader (its own Execute, no
  sandbox, no course configuration) in the same run, as a ratio (BENCH_STOCK_NBGRADER=0 skips).
- the grading sandbox (issue 8): autograding the same 60 submissions sandboxed (bubblewrap)
  against unsandboxed (``c.GradingSandbox.mode = "off"``), both with 2 worker processes, in
  the same run, alternating which goes first (BENCH_SANDBOX_ROUNDS rounds, default 2; the
  medians are compared): ratio <= 1.1x; and
  whether both give the same grades. `python bench/run.py sandbox` runs only this part.
- grading protections overhead (issue 11): autograding the same 60 submissions, sandboxed, with
  2 worker processes, with the protections on (``c.GuardedExecute.isolate_tests``: hidden tests
  in a separate checker process; ``c.GradingKernelManager.private_workdir``: the kernel works in
  a private folder) against both off, in the same run, alternating which goes first
  (BENCH_PROTECTION_ROUNDS rounds, default 2; medians compared): ratio <= 1.15x; and whether
  both give the same grades. Reported "not measured" where a switch does not exist.
  `python bench/run.py protections` runs only this part.
- environment sizes (issue 13): the student runtime venv (environment.yml and the package)
  against the bare stack (jupyterlab, nbgrader, ipywidgets, pandas, matplotlib,
  numpy-financial at the same pins): <= 1.05x; the developers' venv is reported too.
  `python bench/run.py sizes` runs only this part (three fresh venvs; not in the default run).
Nothing here is a pass/fail test; the targets are printed beside the figures.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
RESULTS = Path(__file__).resolve().parent / "results"


def wall(cmd: list[str], repeat: int = 7) -> float:
    """Median wall time in seconds of a fresh process running ``cmd``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(fn, repeat: int = 15) -> float:
    """Median seconds of ``fn()`` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_imports() -> list[dict]:
    py = sys.executable
    floor = wall([py, "-c", "import pandas"])
    bare = wall([py, "-c", "pass"])
    rows = [{"figure": "import pandas (floor)", "seconds": floor, "ratio": 1.0, "target": ""}]
    for stmt in ["import welfarelab",
                 "import welfarelab.impact, welfarelab.finance, welfarelab.design, welfarelab.canvas"]:
        s = wall([py, "-c", stmt])
        rows.append({"figure": stmt, "seconds": s, "ratio": s / floor, "target": "<= 1.2x"})
    rows.append({"figure": "python startup alone", "seconds": bare, "ratio": bare / floor,
                 "target": ""})
    return rows


def widget_cases():
    """(name, make widget, change one input) for every calculator widget that exists: the
    input a student moves most in each (a slider, or a value typed and Enter), cycling
    through a range of values as a student trying numbers would."""
    import importlib

    cases = []

    def add(module, cls, poke):
        try:
            mod = importlib.import_module(f"welfarelab.widgets.{module}")
            klass = getattr(mod, cls)
        except (ImportError, AttributeError):
            return
        cases.append((f"{module}.{cls}", klass, poke))

    def sroi_poke(w, i):
        w.rows[0]["deadweight"].value = 20 + (i % 20)

    def break_even_poke(w, i):
        w.price.value = str(5_000 + 100 * (i % 20))

    def revenue_mix_poke(w, i):
        w.rows[0]["amount"].value = str(100_000 + 5_000 * (i % 20))

    def cash_flow_poke(w, i):
        w.tranche_month.value = 1 + (i % 12)

    def loan_poke(w, i):
        w.principal.value = str(30_000 + 1_000 * (i % 20))

    add("sroi", "SROICalculator", sroi_poke)
    add("finance", "BreakEvenCalculator", break_even_poke)
    add("finance", "RevenueMixCalculator", revenue_mix_poke)
    add("finance", "CashFlowCalculator", cash_flow_poke)
    add("finance", "LoanCalculator", loan_poke)
    return cases


def old_chart_path(widget, poke, i) -> None:
    """The path before issue 15, kept measurable as the floor: the calculator recalculates
    without its chart, then a NEW figure is built by the same plotting function and shown
    with ``display`` in the Output (``_base.show_figure``: the inline formatter renders it
    to PNG with ``bbox_inches="tight"``), as every change did before."""
    from welfarelab.widgets import _base

    poke(widget, i)
    if widget.result is not None:
        _base.show_figure(widget.chart_out, widget._figure(widget.result))


def percentile(values, share: float) -> float:
    """The ``share`` (0-1) percentile of ``values``, nearest rank: the ceil(share * n)-th
    smallest (p95 of 20 is the 19th, of 50 the 48th). ``round(x + 0.5)`` is not a ceiling:
    Python rounds 19.5 to 20, which made the p95 of 20 the slowest."""
    import math

    ordered = sorted(values)
    rank = math.ceil(share * len(ordered) - 1e-9)
    return ordered[max(0, min(len(ordered) - 1, rank - 1))]


def _render_figures_as_in_jupyter():
    """Make display(fig) render a PNG, as JupyterLab's inline backend does, so the chart refresh
    is timed in full; the printed text goes nowhere."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})


def bench_widgets() -> list[dict]:
    import contextlib
    import io

    from welfarelab.impact import sroi
    from welfarelab.widgets.sroi import SROICalculator

    _render_figures_as_in_jupyter()
    with contextlib.redirect_stdout(io.StringIO()):
        return _bench_widgets(sroi, SROICalculator)


def _bench_widgets(sroi, SROICalculator) -> list[dict]:
    """Issue 15: per calculator, 50 changes through the old path (a new figure per change,
    :func:`old_chart_path`) and 50 through the kept chart (``_base.LiveChart``), alternating
    change by change so both see the same load; median and p95 of each, the new as a ratio
    of the old (target <= 0.25x and a median under 50 ms). Then 200 more changes of each
    calculator on the kept chart, and the figures still alive (target: no more than
    calculators)."""
    import gc

    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    probe = SROICalculator()
    outcomes, inv = probe.outcomes(), 120_000
    floor = timed(lambda: sroi(outcomes, inv), repeat=50)
    rows = [{"figure": "sroi() pure calculation (floor)", "seconds": floor, "ratio": 1.0,
             "target": ""}]
    changes = int(os.environ.get("BENCH_CHART_CHANGES", "50"))
    cases = widget_cases()
    for name, klass, poke in cases:
        old, new = klass(chart=False), klass()
        old_path = old_chart_path  # the floor, measured in the same run
        old_path(old, poke, 0)
        poke(new, 0)  # warm-up: the first drawing of each
        t_old, t_new = [], []
        for i in range(1, changes + 1):
            start = time.perf_counter()
            old_path(old, poke, i)
            t_old.append(time.perf_counter() - start)
            start = time.perf_counter()
            poke(new, i)
            t_new.append(time.perf_counter() - start)
        old_median, new_median = statistics.median(t_old), statistics.median(t_new)
        old_p95, new_p95 = percentile(t_old, 0.95), percentile(t_new, 0.95)
        redraws = new.chart_view.redraws
        rows += [
            {"figure": f"{name}: recalculation + new figure (old path, floor), median",
             "seconds": old_median, "ratio": 1.0, "target": ""},
            {"figure": f"{name}: recalculation + new figure (old path, floor), p95",
             "seconds": old_p95, "ratio": 1.0, "target": ""},
            {"figure": f"{name}: recalculation + kept chart updated, median "
                       f"({changes} changes; in place {redraws['in place']}, blit "
                       f"{redraws['blit']}, full {redraws['full']})",
             "seconds": new_median, "ratio": new_median / old_median,
             "target": "<= 0.25x and < 50 ms"},
            {"figure": f"{name}: recalculation + kept chart updated, p95",
             "seconds": new_p95, "ratio": new_p95 / old_p95, "target": ""},
        ]
    rows += _bench_headroom(cases)
    # memory: 200 changes of every calculator on the kept chart
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, Figure)}
    memory_changes = int(os.environ.get("BENCH_MEMORY_CHANGES", "200"))
    kept = [(klass(), poke) for _, klass, poke in cases]
    for i in range(memory_changes):
        for widget, poke in kept:
            poke(widget, i)
    gc.collect()
    alive = sum(1 for o in gc.get_objects() if isinstance(o, Figure) and id(o) not in before)
    rows.append({"figure": f"figures alive after {memory_changes} changes of each of "
                           f"{len(kept)} calculators (pyplot holds {len(plt.get_fignums())})",
                 "seconds": 0.0, "ratio": alive / len(kept), "target": "<= 1 per calculator"})
    return rows


def _bench_headroom(cases) -> list[dict]:
    """The break-even chart with and without ``LiveChart._add_headroom`` (the room a change
    that needs new limits leaves for the next ones) over the 20 price changes of the browser
    benchmark (tests/test_chart_latency_browser.py: 5,037 to 5,740 EUR), alternating change
    by change and which goes first, so both see the same load; median, p95 (nearest rank)
    and slowest change, and how many changes were drawn in full."""
    found = [klass for name, klass, _ in cases if name.endswith("BreakEvenCalculator")]
    if not found:
        return []
    kept, before = found[0](), found[0]()
    before.chart_view._add_headroom = lambda extent: None  # the kept chart as it was
    times = {"with headroom": [], "without headroom (before)": []}
    full = {label: view.chart_view.redraws["full"] for label, view in
            zip(times, (kept, before))}
    for i in range(1, 21):
        pair = list(zip(times, (kept, before)))
        for label, widget in pair if i % 2 else pair[::-1]:
            start = time.perf_counter()
            widget.price.value = str(5_000 + 37 * i)
            times[label].append(time.perf_counter() - start)
    rows = []
    for label, widget in zip(times, (kept, before)):
        t, redraws = times[label], widget.chart_view.redraws
        rows += [
            {"figure": f"break-even, the browser's 20 price changes, kept chart {label}: "
                       f"median (full redraws {redraws['full'] - full[label]} of 20)",
             "seconds": statistics.median(t), "ratio": statistics.median(t)
             / statistics.median(times["without headroom (before)"]), "target": ""},
            {"figure": f"break-even, the browser's 20 price changes, kept chart {label}: p95",
             "seconds": percentile(t, 0.95), "ratio": percentile(t, 0.95)
             / percentile(times["without headroom (before)"], 0.95), "target": ""},
            {"figure": f"break-even, the browser's 20 price changes, kept chart {label}: "
                       "slowest", "seconds": max(t),
             "ratio": max(t) / max(times["without headroom (before)"]), "target": ""},
        ]
    return rows


def bench_browser() -> list[dict]:
    """Issue 15 in Chromium: tests/test_chart_latency_browser.py (run by pytest with
    ``WELFARELAB_BENCH_BROWSER`` set to a file) opens m04/m05/m06 in JupyterLab and times,
    for the SROI, break-even and cash-flow calculators, setting an input until the chart on
    screen shows the new value, over ``BENCH_BROWSER_CHANGES`` (default 20) changes, with
    the kept chart and with the old path (a new figure per change) in the same run. Returns
    its rows; one row "not measured" when Chromium or the test could not run."""
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="bench-browser-")) / "rows.json"
    env = dict(os.environ, WELFARELAB_BENCH_BROWSER=str(out))
    test = RESULTS.parents[1] / "tests" / "test_chart_latency_browser.py"
    done = subprocess.run([sys.executable, "-m", "pytest", str(test), "-q", "-p",
                           "no:cacheprovider", "-x"], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0 or not out.exists():
        why = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        return [{"figure": f"browser chart latency: not measured ({why[0][:160]})",
                 "seconds": 0.0, "ratio": 0.0, "target": "p95 < 150 ms"}]
    return json.loads(out.read_text())


def bench_scenarios() -> list[dict]:
    import numpy as np

    from welfarelab import impact

    if not hasattr(impact, "sroi_scenarios"):
        return []
    outcomes = [impact.Outcome("found a job", "young refugees", 12, 14_000, 0.3, 0.1, 0.2, 0.2, 3),
                impact.Outcome("self-confidence", "young refugees", 30, 1_500, 0.1, 0, 0.3, 0.5, 2),
                impact.Outcome("vacancy filled", "employers", 12, 3_000, 0.25, 0.2, 0.2, 0.3, 2)]
    rng = np.random.default_rng(1)
    n = 10_000
    draws = {"deadweight": rng.uniform(0, 0.6, (n, 3)), "attribution": rng.uniform(0, 0.5, (n, 3))}
    floor = timed(lambda: impact.sroi(outcomes, 120_000), repeat=50)
    s = timed(lambda: impact.sroi_scenarios(outcomes, 120_000, draws), repeat=5)
    return [{"figure": f"{n:,} SROI scenarios, vectorised", "seconds": s, "ratio": s / floor,
             "target": "< 1 s"},
            {"figure": "one sroi() call (floor)", "seconds": floor, "ratio": 1.0, "target": ""}]


def _floor_execute(course: Path, assignment: str, students: list[str]) -> float:
    """Seconds to execute every submitted notebook once with plain nbclient (a fresh kernel
    each, cwd the submission's folder): the floor that autograding is compared against."""
    import nbformat
    from nbclient import NotebookClient

    start = time.perf_counter()
    for sid in students:
        folder = course / "submitted" / sid / assignment
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True,
                           resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def _gradebook_rows(course: Path, assignment: str) -> dict:
    """{student: {grade cell: auto score}} from the course's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    import welfaregrading as wg
    import welfaregrading.batch
    import welfaregrading.course
    import welfaregrading.execution.sandbox
    import welfaregrading.intake
    import welfaregrading.report
    import welfaregrading.samples

    rows = {}
    with Gradebook(wg.course.db_url(course)) as gb:
        for sid in wg.intake.submitted_students(course, assignment):
            try:
                sub = gb.find_submission(assignment, sid)
            except MissingEntry:
                continue
            rows[sid] = {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades}
    return rows


def _stock_autograde(course: Path, assignment: str, n: int) -> tuple[float, dict]:
    """Issue 15, "grading beside its peer": the same submissions autograded by stock nbgrader
    (the ``nbgrader`` command, no course configuration: its own Execute, no sandbox, no checker
    process) in a fresh course folder beside ``course``; returns (seconds per submission,
    ``{student: {grade cell: auto score}}`` from its gradebook). Only the course id, the root
    and the code and text stubs, copied from the course's configuration (so the release it
    generates is the one the students answered: a written answer left as it was released is
    then unchanged for both and scores 0), are set."""
    import shutil

    from nbgrader.api import Gradebook

    import welfaregrading.course

    ours = welfaregrading.course.course_config(course).ClearSolutions
    stock = course.parent / "stock-nbgrader"
    stock.mkdir()
    (stock / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(stock)!r}\n"
        "c.CourseDirectory.course_id = 'stock'\n"
        f"c.ClearSolutions.code_stub = {dict(ours.code_stub)!r}\n"
        f"c.ClearSolutions.text_stub = {str(ours.text_stub)!r}\n",
        encoding="utf-8")
    for folder in (f"source/{assignment}", "data", "submitted"):
        if (course / folder).is_dir():
            shutil.copytree(course / folder, stock / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    subprocess.run([nbgrader, "generate_assignment", assignment, "--force"], cwd=stock,
                   env=env, check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([nbgrader, "autograde", assignment, "--force"], cwd=stock, env=env,
                   check=True, capture_output=True)
    seconds = (time.perf_counter() - start) / n
    rows = {}
    with Gradebook(f"sqlite:///{stock / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            rows[sub.student_id] = {g.name: g.auto_score for nb in sub.notebooks
                                    for g in nb.grades}
    submitted = sum(1 for folder in (stock / "submitted").iterdir()
                    if (folder / assignment).is_dir())
    if submitted != n:
        raise RuntimeError(f"stock nbgrader: {submitted} submissions in its course, not {n}")
    return seconds, rows


def bench_autograde(n: int | None = None, assignment: str = "m06") -> list[dict]:
    import io
    import shutil
    import tempfile

    import welfaregrading as wg
    import welfaregrading.batch
    import welfaregrading.course
    import welfaregrading.intake
    import welfaregrading.report
    import welfaregrading.samples

    n = n or int(os.environ.get("BENCH_SUBMISSIONS", "60"))
    tmp = Path(tempfile.mkdtemp(prefix="welfarelab-bench-"))
    quiet = io.StringIO()
    try:
        course = wg.course.scratch_course(tmp / "course", [assignment])
        release = wg.course.generate(course, assignment)
        name = next(release.glob("*.ipynb")).name
        samples = wg.samples.class_submissions(release, course / "source" / assignment, n)
        for s in samples:
            wg.samples.submit(course, assignment, s.student, s.notebook, name)
        students = [s.student for s in samples]
        _floor_execute(course, assignment, students[:1])  # warm the caches
        floor = _floor_execute(course, assignment, students) / n

        def run(workers):
            start = time.perf_counter()
            result = wg.batch.autograde_all(course, assignment, workers=workers, force=True,
                                           echo=lambda *a: quiet.write(" ".join(map(str, a))),
                                           progress=False)
            return (time.perf_counter() - start) / n, result

        serial, first = run(1)
        serial_rows = _gradebook_rows(course, assignment)
        parallel, second = run(2)
        rows_after = _gradebook_rows(course, assignment)
        auto_cells = {gid for gid, c in wg.report.cell_scores(course, assignment, students[0]).items()
                      if c.auto}
        missing = [s for s in students if s not in rows_after]
        unscored = [s for s, grades in rows_after.items()
                    if any(grades.get(g) is None for g in auto_cells)]
        differ = [s for s in students if rows_after.get(s) != serial_rows.get(s)]
        failed = second.count("failed") + first.count("failed")
        consistent = not (missing or unscored or differ or failed)
        check = (f"{len(rows_after)}/{n} rows, {len(unscored)} unscored, {len(differ)} differ "
                 f"from the serial run, {failed} failed")
        peer = []
        if os.environ.get("BENCH_STOCK_NBGRADER", "1") != "0":
            stock, stock_rows = _stock_autograde(course, assignment, n)
            same = sum(stock_rows.get(s) == rows_after.get(s) for s in students)
            stock_scored = sum(1 for s in students if s in stock_rows
                               and all(stock_rows[s].get(g) is not None for g in auto_cells))
            peer = [
                {"figure": f"stock nbgrader graded {stock_scored}/{n} submissions (every "
                           "auto-graded cell scored)", "seconds": 0.0,
                 "ratio": stock_scored / n, "target": "1 = all"},
                {"figure": "stock nbgrader autograde (its own Execute, no sandbox), serially, "
                           "per submission", "seconds": stock, "ratio": stock / floor,
                 "target": ""},
                {"figure": "ours serially against stock nbgrader", "seconds": serial,
                 "ratio": serial / stock, "target": ""},
                {"figure": "ours with 2 workers against stock nbgrader", "seconds": parallel,
                 "ratio": parallel / stock, "target": ""},
                {"figure": f"stock nbgrader gives our grades to {same}/{n} submissions",
                 "seconds": 0.0, "ratio": same / n, "target": "reported",
                 # where they differ: {student: {grade cell: [ours, stock]}}
                 "differ": {s: {g: [rows_after.get(s, {}).get(g), stock_rows.get(s, {}).get(g)]
                                for g in sorted(set(rows_after.get(s, {}))
                                                | set(stock_rows.get(s, {})))
                                if rows_after.get(s, {}).get(g) != stock_rows.get(s, {}).get(g)}
                            for s in students if stock_rows.get(s) != rows_after.get(s)}},
            ]
        return peer + [
            {"figure": f"nbclient executes {n} notebooks (floor), per notebook", "seconds": floor,
             "ratio": 1.0, "target": ""},
            {"figure": "autograde serially, per submission", "seconds": serial,
             "ratio": serial / floor, "target": "<= 1.5x floor"},
            {"figure": "autograde with 2 workers, per submission", "seconds": parallel,
             "ratio": parallel / floor, "target": ""},
            {"figure": "2 workers: speed-up over serial", "seconds": parallel,
             "ratio": serial / parallel, "target": ">= 1.6x"},
            {"figure": f"gradebook consistent ({check})", "seconds": 0.0,
             "ratio": 1.0 if consistent else 0.0, "target": "1 = yes"},
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_sandbox(n: int | None = None, assignment: str = "m06") -> list[dict]:
    """Sandboxed against unsandboxed autograding of the same class, 2 workers each, alternating
    which goes first from round to round, after a warm-up of two submissions in each mode."""
    import io
    import shutil
    import tempfile

    import welfaregrading as wg
    import welfaregrading.batch
    import welfaregrading.course
    import welfaregrading.execution.sandbox
    import welfaregrading.intake
    import welfaregrading.report
    import welfaregrading.samples

    why = wg.execution.sandbox.problem()
    if why:
        return [{"figure": f"grading sandbox: not measured ({why})", "seconds": 0.0,
                 "ratio": 0.0, "target": "<= 1.1x"}]
    n = n or int(os.environ.get("BENCH_SUBMISSIONS", "60"))
    rounds = max(1, int(os.environ.get("BENCH_SANDBOX_ROUNDS", "2")))
    tmp = Path(tempfile.mkdtemp(prefix="welfarelab-bench-sandbox-"))
    quiet = io.StringIO()
    try:
        course = wg.course.scratch_course(tmp / "course", [assignment])
        config_file = course / "nbgrader_config.py"
        base_config = config_file.read_text(encoding="utf-8")
        release = wg.course.generate(course, assignment)
        name = next(release.glob("*.ipynb")).name
        samples = wg.samples.class_submissions(release, course / "source" / assignment, n)
        for s in samples:
            wg.samples.submit(course, assignment, s.student, s.notebook, name)
        students = [s.student for s in samples]

        def run(mode: str, who=None) -> tuple[float, dict]:
            config_file.write_text(base_config + f"\nc.GradingSandbox.mode = {mode!r}\n",
                                   encoding="utf-8")
            start = time.perf_counter()
            result = wg.batch.autograde_all(course, assignment, workers=2, force=True,
                                           students=who,
                                           echo=lambda *a: quiet.write(" ".join(map(str, a))),
                                           progress=False)
            seconds = time.perf_counter() - start
            failed = [sid for sid in (who or students)
                      if result.students.get(sid, {}).get("status", "failed") == "failed"]
            if failed:
                raise RuntimeError(f"grading with the sandbox {mode!r} failed for {failed}")
            return seconds, _gradebook_rows(course, assignment)

        run("off", students[:2])
        run("auto", students[:2])
        times, rows, same = {"off": [], "auto": []}, {}, True
        for i in range(rounds):
            for mode in (("off", "auto") if i % 2 == 0 else ("auto", "off")):
                seconds, rows[mode] = run(mode)
                times[mode].append(seconds)
            same = same and rows["auto"] == rows["off"] and len(rows["auto"]) == n
        plain, boxed = times["off"], times["auto"]
        config_file.write_text(base_config, encoding="utf-8")
        off, on = statistics.median(plain) / n, statistics.median(boxed) / n
        return [
            {"figure": f"autograde {n} unsandboxed, 2 workers, per submission (floor)",
             "seconds": off, "ratio": 1.0, "target": ""},
            {"figure": f"autograde {n} sandboxed (bubblewrap), 2 workers, per submission",
             "seconds": on, "ratio": on / off, "target": "<= 1.1x"},
            {"figure": "sandboxed and unsandboxed grades are the same", "seconds": 0.0,
             "ratio": 1.0 if same else 0.0, "target": "1 = yes"},
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: The switches of the grading protections (issue 11) and the class that holds each.
PROTECTIONS = {"GuardedExecute.isolate_tests":
               "welfaregrading.preprocessors.guarded_execute.GuardedExecute",
               "GradingKernelManager.private_workdir":
               "welfaregrading.execution.kernel.GradingKernelManager"}


def missing_protections() -> list[str]:
    """The protection switches that this checkout does not have (yet)."""
    import importlib

    missing = []
    for switch, where in PROTECTIONS.items():
        module, _, cls = where.rpartition(".")
        try:
            klass = getattr(importlib.import_module(module), cls)
        except (ImportError, AttributeError):
            missing.append(switch)
            continue
        if not klass.class_traits(config=True).get(switch.split(".")[1]):
            missing.append(switch)
    return missing


def bench_protections(n: int | None = None, assignment: str = "m06") -> list[dict]:
    """Autograding with the grading protections on against off (the same class, sandboxed as
    configured, 2 workers each), alternating which goes first from round to round, after a
    warm-up of two submissions in each setting."""
    import io
    import shutil
    import tempfile

    import welfaregrading as wg
    import welfaregrading.batch
    import welfaregrading.course
    import welfaregrading.intake
    import welfaregrading.report
    import welfaregrading.samples

    target = "<= 1.15x"
    missing = missing_protections()
    if missing:
        return [{"figure": "grading protections overhead: not measured (no switch "
                           + ", ".join(f"c.{m}" for m in missing) + ")",
                 "seconds": 0.0, "ratio": 0.0, "target": target}]
    n = n or int(os.environ.get("BENCH_SUBMISSIONS", "60"))
    rounds = max(1, int(os.environ.get("BENCH_PROTECTION_ROUNDS", "2")))
    tmp = Path(tempfile.mkdtemp(prefix="welfarelab-bench-protections-"))
    quiet = io.StringIO()
    try:
        course = wg.course.scratch_course(tmp / "course", [assignment])
        config_file = course / "nbgrader_config.py"
        base_config = config_file.read_text(encoding="utf-8")
        release = wg.course.generate(course, assignment)
        name = next(release.glob("*.ipynb")).name
        samples = wg.samples.class_submissions(release, course / "source" / assignment, n)
        for s in samples:
            wg.samples.submit(course, assignment, s.student, s.notebook, name)
        students = [s.student for s in samples]

        def run(on: bool, who=None) -> tuple[float, dict]:
            config_file.write_text(base_config + "\n" + "".join(
                f"c.{switch} = {on}\n" for switch in PROTECTIONS), encoding="utf-8")
            start = time.perf_counter()
            result = wg.batch.autograde_all(course, assignment, workers=2, force=True,
                                           students=who,
                                           echo=lambda *a: quiet.write(" ".join(map(str, a))),
                                           progress=False)
            seconds = time.perf_counter() - start
            failed = [sid for sid in (who or students)
                      if result.students.get(sid, {}).get("status", "failed") == "failed"]
            if failed:
                raise RuntimeError(f"grading with the protections {'on' if on else 'off'} "
                                   f"failed for {failed}")
            return seconds, _gradebook_rows(course, assignment)

        run(False, students[:2])
        run(True, students[:2])
        times, rows, same = {False: [], True: []}, {}, True
        for i in range(rounds):
            for on in ((False, True) if i % 2 == 0 else (True, False)):
                seconds, rows[on] = run(on)
                times[on].append(seconds)
            same = same and rows[True] == rows[False] and len(rows[True]) == n
        config_file.write_text(base_config, encoding="utf-8")
        off, on = statistics.median(times[False]) / n, statistics.median(times[True]) / n
        return [
            {"figure": f"autograde {n}, protections off, 2 workers, per submission (floor)",
             "seconds": off, "ratio": 1.0, "target": ""},
            {"figure": f"grading protections overhead: autograde {n} with checker process "
                       "and private folder, 2 workers, per submission",
             "seconds": on, "ratio": on / off, "target": target},
            {"figure": "grades with and without the protections are the same", "seconds": 0.0,
             "ratio": 1.0 if same else 0.0, "target": "1 = yes"},
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_env_sizes() -> int:
    """Issue 13: the size on disk of the student runtime venv against the bare stack, and of
    the developers' venv; writes bench/results/env-sizes.json and prints a table. Returns 0.

    Three fresh venvs (Python 3.11, what environment.yml names), each filled by pip the way a
    person does it (bytecode compiled, pip's cache used; needs the package registry):
    - bare: jupyterlab, nbgrader, ipywidgets, pandas, matplotlib, numpy-financial at
      environment.yml's pins, their dependencies held to the same pins (``-c``);
    - runtime: environment.yml's pip: section and the course package (non-editable);
    - dev: the same plus requirements-dev.txt (what ``make venv`` builds).
    Size: the apparent bytes of every file in the venv (each hard link counted once), in MiB.
    Targets: runtime <= 1.05x bare; dev is reported, with its ratio to the runtime.
    """
    import shutil
    import tempfile

    repo = RESULTS.parents[1]
    pins = subprocess.run(["bash", str(repo / "tools" / "requirements_from_env.sh"),
                           str(repo / "environment.yml")], check=True, capture_output=True,
                          text=True).stdout.split()
    pinned = {p.split("==")[0].lower().replace("_", "-"): p for p in pins}
    bare = [pinned[n] for n in ["jupyterlab", "nbgrader", "ipywidgets", "pandas", "matplotlib",
                                "numpy-financial"]]

    def size_mib(folder: Path) -> float:
        seen, total = set(), 0
        for path in folder.rglob("*"):
            st = path.lstat()
            if path.is_file() and not path.is_symlink() and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
        return total / 2**20

    tmp = Path(tempfile.mkdtemp(prefix="bench-env-"))
    try:
        course = tmp / "course"  # a copy of the tracked files: pip builds nothing in the repo
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=repo, check=True,
                                capture_output=True, text=True).stdout.split("\0")
        for name in filter(None, listed):
            if (repo / name).is_file():
                (course / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(repo / name, course / name)
        (tmp / "pins.txt").write_text("\n".join(pins) + "\n")
        recipes = {
            "bare": [["-c", tmp / "pins.txt", *bare]],
            "runtime": [["-r", tmp / "pins.txt"], ["--no-deps", course]],
            "dev": [["-r", tmp / "pins.txt", "-r", repo / "requirements-dev.txt"],
                    ["--no-deps", course]],
        }
        sizes, seconds = {}, {}
        for name, steps in recipes.items():
            venv = tmp / name
            start = time.perf_counter()
            subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
            for args in steps:
                subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                *map(str, args)], check=True, capture_output=True)
            seconds[name] = time.perf_counter() - start
            sizes[name] = size_mib(venv)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [{"venv": n, "mib": round(sizes[n], 1), "install_seconds": round(seconds[n], 1),
             "ratio_to_bare": round(sizes[n] / sizes["bare"], 3),
             "target": {"runtime": "<= 1.05x bare", "bare": "floor"}.get(n, "reported")}
            for n in sizes]
    report = {"python": platform.python_version(), "machine": platform.machine(),
              "cpus": os.cpu_count(), "time": time.strftime("%Y-%m-%d %H:%M:%S"), "rows": rows,
              "dev_to_runtime": round(sizes["dev"] / sizes["runtime"], 3)}
    out = RESULTS / "env-sizes.json"
    out.write_text(json.dumps(report, indent=2))
    for r in rows:
        print(f"{r['venv']:<8} {r['mib']:8.1f} MiB  {r['ratio_to_bare']:6.3f}x bare  {r['target']}")
    print(f"dev / runtime: {report['dev_to_runtime']:.3f}x\nwritten: {out}")
    return 0


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    part = sys.argv[1] if sys.argv[1:] else ""
    load_before = os.getloadavg()  # the machine is shared: its load is written beside the figures
    if part == "sizes":  # issue 13: venv sizes on disk, not times; its own file
        return bench_env_sizes()
    # `python bench/run.py autograde 20`: a class of 20 instead of BENCH_SUBMISSIONS (60)
    n = int(sys.argv[2]) if sys.argv[2:] else None
    if part == "autograde":
        rows = bench_autograde(n)
    elif part == "sandbox":
        rows = bench_sandbox(n)
    elif part == "protections":
        rows = bench_protections(n)
    elif part == "widgets":  # issue 15: calculator charts, old path against the kept chart
        rows = bench_widgets()
    elif part == "browser":  # issue 15: the same in Chromium, end to end
        rows = bench_browser()
    else:
        rows = (bench_imports() + bench_widgets() + bench_browser() + bench_scenarios()
                + bench_autograde() + bench_sandbox() + bench_protections())
    report = {"python": platform.python_version(), "machine": platform.machine(),
              "cpus": os.cpu_count(), "time": time.strftime("%Y-%m-%d %H:%M:%S"),
              "load_average_1_5_15_min": {"before": [round(v, 2) for v in load_before],
                                          "after": [round(v, 2) for v in os.getloadavg()]},
              "rows": rows}
    out = RESULTS / (f"bench-{part}.json" if part in ("autograde", "sandbox", "protections",
                                                       "widgets", "browser")
                     else "bench.json")
    out.write_text(json.dumps(report, indent=2))
    width = max(len(r["figure"]) for r in rows)
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['seconds'] * 1000:9.1f} ms  {r['ratio']:8.2f}x  "
              f"{r['target']}")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
