"""A small load run on the course's hub (bench/hub_load.py, issue 18): 4 students at once log in
through an LTI 1.3 launch, spawn, open a notebook, fetch and submit m00 through nbgrader's HTTP
API in their own servers; every submission must arrive in the exchange's inbound folder exactly
once. `make bench` runs the same with N = 20 and writes bench/results/hub-load.json.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import hubutil

_spec = importlib.util.spec_from_file_location(
    "hub_load", HERE.parents[1] / "bench" / "hub_load.py")
hub_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hub_load)

N = 4
HUB = pytest.mark.skipif(hubutil.problem() is not None, reason=str(hubutil.problem()))


@pytest.mark.slow
@HUB
def test_every_submission_arrives_exactly_once(tmp_path):
    students = [f"s{i}" for i in range(N)]
    with hubutil.running_hub(tmp_path, students=students, graders=["lecturer"]) as hub:
        result = hub_load.run(hub, students, "m00")
        names = sorted(hub.username(s) for s in students)
        counts = hub_load.inbound_submissions(hub.exchange_root, hub.course_id, "m00")
    assert counts == {name: 1 for name in names}
    assert result["submissions_in_inbound"] == N
    assert result["missing"] == result["doubled"] == result["unexpected"] == []
    assert sorted(r["student"] for r in result["per_student"]) == names
    for phase, figures in result["seconds"].items():
        assert 0 < figures["median"] <= figures["p95"] <= figures["max"], phase
    # a server with a kernel that imported the course package: tens of MB at least
    assert all(r["processes"] >= 2 and r["rss_mb"] > 50 for r in result["per_student"])


def test_the_count_sees_a_doubled_and_a_foreign_submission(tmp_path):
    """inbound_submissions counts by nbgrader's folder names: one student's two submissions
    count 2, a folder of someone not on the list shows up (what run() reports as doubled and
    unexpected)."""
    inbound = tmp_path / "course" / "inbound"
    for name in ("wla+m00+2026-01-01 10:00:00.000000 UTC+Ab12",
                 "wla+m00+2026-01-01 10:05:00.000000 UTC+Cd34",
                 "wlb+m00+2026-01-01 10:01:00.000000 UTC+Ef56",
                 "wlb+m01+2026-01-01 10:01:00.000000 UTC+Gh78",
                 "stray-file"):
        (inbound / name).mkdir(parents=True)
    assert hub_load.inbound_submissions(tmp_path, "course", "m00") == {"wla": 2, "wlb": 1}


def test_percentiles():
    s = hub_load.summary([1.0, 2.0, 3.0, 4.0, 5.0])
    assert s["median"] == 3.0 and s["min"] == 1.0 and s["max"] == 5.0
    assert s["p95"] == pytest.approx(4.8)  # numpy.percentile(..., 95), linear
