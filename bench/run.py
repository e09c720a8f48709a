"""Benchmarks: `make bench` writes bench/results/bench.json and prints a table.

Each figure is a ratio against a floor measured in the same run on the same machine, so the
numbers compare across machines; absolute times are written too. Targets (issue 3):
- `import welfarelab` (and its calculators) against `import pandas` alone: <= 1.2x;
- one recalculation of each calculator widget with its chart refresh: < 50 ms;
- a 10,000-scenario SROI sensitivity run: < 1 s (vectorised).
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
    """(name, make widget, change one input) for every calculator widget that exists."""
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

    add("sroi", "SROICalculator", sroi_poke)
    return cases


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
    probe = SROICalculator()
    outcomes, inv = probe.outcomes(), 120_000
    floor = timed(lambda: sroi(outcomes, inv), repeat=50)
    rows = [{"figure": "sroi() pure calculation (floor)", "seconds": floor, "ratio": 1.0,
             "target": ""}]
    for name, klass, poke in widget_cases():
        widget = klass()
        counter = iter(range(10**9))
        s = timed(lambda: poke(widget, next(counter)))
        rows.append({"figure": f"{name}: one recalculation with chart", "seconds": s,
                     "ratio": s / floor, "target": "< 50 ms"})
    return rows


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


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = bench_imports() + bench_widgets() + bench_scenarios()
    report = {"python": platform.python_version(), "machine": platform.machine(),
              "cpus": os.cpu_count(), "time": time.strftime("%Y-%m-%d %H:%M:%S"), "rows": rows}
    out = RESULTS / "bench.json"
    out.write_text(json.dumps(report, indent=2))
    width = max(len(r["figure"]) for r in rows)
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['seconds'] * 1000:9.1f} ms  {r['ratio']:8.2f}x  "
              f"{r['target']}")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
