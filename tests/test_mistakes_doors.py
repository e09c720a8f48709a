"""Issue 14 through the real doors: a sample of the beginner-mistake corpus as a student meets
it in nbgrader's Validate (``nbgrader.validator.Validator``) and as the lecturer grades it
(``welfaregrading.batch.autograde_all``, one batch per assignment in the sample; one process:
measured 59 s for four notebooks against 90 s with two workers, which each start up first).

tests/test_mistakes.py runs the whole corpus fast, in one kernel per assignment; this file checks
that its verdict is the one the real tools give. The sample covers every mistake kind in every
run; which part and which literal or name of each kind is tried rotates with a stable key (the
day of the year, or ``MISTAKES_SAMPLE_KEY``), printed at the start. Several mistakes share one
notebook when their parts do not depend on each other, so a run needs few notebooks.

For each mistake the hidden tests punish, required:

- Validate fails on one of the part's check cells, and that cell's error text (what the Validate
  dialog shows) starts with the plain message: no code, no Python traceback, and the phrase its
  kind needs;
- every check cell of the part that loses points in autograde fails Validate too, and scores 0
  (a part with several check cells may lose only the one its mistake concerns), while every
  part that neither holds a mistake nor uses a name of one keeps full points.

A near miss must pass Validate for its part and lose the part's points in autograde.
Measured on the 2-core machine: 24 s (four notebooks of m05: Validate 2 s each, the batch
14 s), 44-60 s while other work ran, 2 min 6 s at load average 8.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import time

import nbformat
import pytest
from conftest import REPO, assignment_ids
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.course
import welfaregrading.report
import welfaregrading.samples

pytestmark = pytest.mark.slow

sys.path.insert(0, str(REPO / "tools"))
import mistakes  # tools/mistakes.py

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: How a Python traceback or a code excerpt starts (IPython 8's formats).
TRACEBACK_START = re.compile(r"^\s*(-{5,}|Traceback|Cell In\[|File \"|Input In|\w+Error\s*Traceback)")


def sample_key() -> int:
    """The rotation key: ``MISTAKES_SAMPLE_KEY`` if set, else today's day of the year."""
    return int(os.environ.get("MISTAKES_SAMPLE_KEY") or dt.date.today().timetuple().tm_yday)


def _depends(a) -> dict[str, set[str]]:
    """Per part: the earlier parts it uses a name of, directly or through another part."""
    deps: dict[str, set[str]] = {}
    for j, pj in enumerate(a.parts):
        text = pj.correct + "\n" + "\n".join(pj.hidden)
        direct = {pi.answer_id for pi in a.parts[:j]
                  if any(re.search(rf"\b{re.escape(n)}\b", text) for n in pi.assigned)}
        deps[pj.answer_id] = set(direct)
        for d in direct:
            deps[pj.answer_id] |= deps[d]
    return deps


def choose_sample(key: int):
    """One mistake of every kind, chosen by ``key``. Returns ([(aid, part, Mistake)], {aid:
    Assignment}).

    The home assignment rotates (by ``key``) over those with at least three numeric parts, so
    the result kinds spread over parts, and is the first whose sample needs one autograde batch
    and at most :data:`MAX_NOTEBOOKS` notebooks (in December 2026 only m05 has every kind; the
    others need a second batch, about a minute more). A kind it lacks comes from an assignment
    already in the sample when one has it. Within the pool, the parts used least so far go first (fewer
    notebooks), and ``key`` picks among them."""
    aids = assignment_ids()
    corpus, assignments = {}, {}
    for aid in aids:
        a = assignments[aid] = mistakes.load_assignment(aid, REPO)
        corpus[aid] = [(aid, p, m) for p in a.parts
                       for m in mistakes.generate(p, mistakes.static_value_kinds(p))]
    numeric = [aid for aid in aids
               if sum(bool(mistakes.static_value_kinds(p)) for p in assignments[aid].parts) >= 3]
    homes = numeric or aids
    best = None
    for i in range(len(homes)):  # the first home (from the key on) whose sample packs small
        home = homes[(key + i) % len(homes)]
        sample = _sample_from(home, key, aids, corpus, assignments)
        size = sum(len(pack(assignments[aid], [(p, m) for x, p, m in sample if x == aid]))
                   for aid in dict.fromkeys(x for x, _, _ in sample))
        one = len({x for x, _, _ in sample}) == 1  # one autograde batch (~1 min each)
        if best is None or (not one, size) < best[0]:
            best = ((not one, size), sample)
        if one and size <= MAX_NOTEBOOKS:
            break
    return best[1], assignments


#: A sample should need at most this many notebooks (each is validated and graded once).
MAX_NOTEBOOKS = 4


def _independent(a) -> set[str]:
    """A set of parts of ``a`` of which none uses a name of another (greedy, in order)."""
    deps, chosen = _depends(a), set()
    for p in a.parts:
        if not deps[p.answer_id] & chosen:
            chosen.add(p.answer_id)
    return chosen


def _sample_from(home, key, aids, corpus, assignments):
    sample, used = [], {}
    free = {aid: _independent(assignments[aid]) for aid in aids}
    for kind in mistakes.ALL_KINDS:
        for pool_aids in ([home], list(dict.fromkeys(x for x, _, _ in sample)), aids):
            pool = [c for aid in pool_aids for c in corpus[aid] if c[2].kind == kind]
            if pool:
                break
        if not pool:
            continue
        # parts that can share a notebook first (fewer notebooks)
        pool = [c for c in pool if c[1].answer_id in free[c[0]]] or pool
        least = min(used.get(p.answer_id, 0) for _, p, _ in pool)
        pool = [c for c in pool if used.get(c[1].answer_id, 0) == least]
        pick = pool[key % len(pool)]
        used[pick[1].answer_id] = used.get(pick[1].answer_id, 0) + 1
        sample.append(pick)
    return sample


def pack(a, chosen):
    """Put the mistakes of one assignment into as few notebooks as possible: at most one per
    part, and no part of a notebook depends on another part of it."""
    deps = _depends(a)
    notebooks: list[list] = []
    for part, m in chosen:
        for group in notebooks:
            parts = {p.answer_id for p, _ in group}
            if part.answer_id not in parts and not (deps[part.answer_id] & parts) and not any(
                    part.answer_id in deps[q] for q in parts):
                group.append((part, m))
                break
        else:
            notebooks.append([(part, m)])
    return notebooks


def course_config():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.Execute.timeout = 30
    return config


@pytest.fixture(scope="module")
def doors(tmp_path_factory):
    key = sample_key()
    sample, assignments = choose_sample(key)
    print(f"\nsample key {key} (MISTAKES_SAMPLE_KEY to repeat): {len(sample)} mistakes")
    for aid, part, m in sample:
        print(f"  {part.answer_id:<36} {m.kind:<18} {m.line[:70]}")
    base = tmp_path_factory.mktemp("doors")
    runs = []
    for aid in dict.fromkeys(aid for aid, _, _ in sample):
        a = assignments[aid]
        chosen = [(p, m) for x, p, m in sample if x == aid]
        course = wg.course.scratch_course(base / aid / "course", [aid],
                                          config_lines=["c.Execute.timeout = 30"])
        release_nb = nbformat.read(a.release_path, as_version=4)
        source_nb = nbformat.read(a.source_path, as_version=4)
        students = {}
        for i, group in enumerate(pack(a, chosen)):
            nb = wg.samples.answered(release_nb, source_nb)
            by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
            for part, m in group:
                by_id[part.answer_id].source = m.code
            sid = f"mistakes-{i}"
            students[sid] = group
            # Validate, as the student's button does: the notebook in a copy of the release folder
            folder = base / aid / "validate" / sid
            shutil.copytree(a.release_path.parent, folder)
            nbformat.write(nb, folder / a.release_path.name)
            t0 = time.monotonic()
            validated = Validator(config=course_config()).validate(str(folder / a.release_path.name))
            print(f"  validate {aid} {sid}: {time.monotonic() - t0:.1f} s")
            wg.samples.submit(course, aid, sid, nb, a.release_path.name)
            runs.append({"aid": aid, "sid": sid, "group": group, "validated": validated,
                         "course": course, "a": a})
        batch_lines: list[str] = []
        t0 = time.monotonic()
        wg.batch.autograde_all(course, aid, workers=1, force=True, echo=batch_lines.append,
                               progress=False)
        print(f"  autograde {aid}, {len(students)} notebooks: {time.monotonic() - t0:.1f} s")
        for run in runs:
            if run["aid"] == aid:
                run["scores"] = wg.report.cell_scores(course, aid, run["sid"])
    return runs


def _failed_errors(validated: dict) -> dict[str, str]:
    """Validate's failed cells: source → raw error text (ANSI colours removed)."""
    return {f["source"].strip(): ANSI.sub("", f.get("raw_error", f.get("error", "")))
            for f in validated.get("failed", [])}


def test_the_sample_covers_every_kind():
    """Every kind of the corpus is in each run's sample, and every kind exists in the corpus
    (a kind no part can make any more, e.g. after a rename, fails here)."""
    sample, _ = choose_sample(sample_key())
    kinds = [m.kind for _, _, m in sample]
    assert sorted(kinds) == sorted(mistakes.ALL_KINDS)


def test_validate_and_autograde_agree_with_the_corpus(doors):
    problems = []
    for run in doors:
        a, scores = run["a"], run["scores"]
        errors = _failed_errors(run["validated"])
        deps = _depends(a)
        touched = {p.answer_id for p, _ in run["group"]}
        for part, m in run["group"]:
            where = f"{part.answer_id} {m.kind} `{m.line[:70]}`"
            cells = [(cid, scores[cid], errors.get(src.strip()))
                     for cid, src in zip(part.check_ids, part.visible)]
            lost = [cid for cid, sc, _ in cells if sc.score < sc.max_score]
            failing = [(cid, err) for cid, _, err in cells if err is not None]
            if m.kind == mistakes.CONTROL_KIND:
                if failing:
                    problems.append(f"{where}: the near miss fails Validate: {failing[0][1][:200]}")
                if not lost:
                    problems.append(f"{where}: the near miss keeps the points in autograde")
                continue
            # never "Success" and then lost points: each cell that loses points fails Validate
            for cid, sc, err in cells:
                if sc.score < sc.max_score and err is None:
                    problems.append(f"{where}: Validate passes {cid}, autograde gives "
                                    f"{sc.score}/{sc.max_score}")
                if sc.score < sc.max_score and sc.score != 0:
                    problems.append(f"{where}: {cid} keeps part of its points ({sc.score})")
            if not lost:
                continue  # harmless: the student keeps the points
            for cid, err in failing[:1]:
                text = " ".join(err.split())  # the check wraps its sentence at 76 columns
                if TRACEBACK_START.match(text):
                    problems.append(f"{where}: Validate shows code or a traceback first in "
                                    f"{cid}: {text[:200]!r}")
                phrases = mistakes.REQUIRED_PHRASES.get(m.kind)
                if phrases:
                    pats = [p.replace("{name}", re.escape(m.target)) for p in phrases]
                    flat = " ".join(text[:800].split())  # the dialog's text is wrapped
                    if not any(re.search(p, flat, re.IGNORECASE | re.DOTALL) for p in pats):
                        problems.append(f"{where}: the message lacks {phrases}: {text[:200]!r}")
        # parts that neither hold a mistake nor use one keep full points
        for part in a.parts:
            if part.answer_id in touched or deps[part.answer_id] & touched:
                continue
            for cid in part.check_ids:
                s = scores[cid]
                if s.score != s.max_score:
                    problems.append(f"{run['sid']} {cid}: an untouched part lost points "
                                    f"({s.score}/{s.max_score})")
    assert not problems, "\n".join(problems)
