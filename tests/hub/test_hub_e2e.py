"""End to end on the course's JupyterHub (issue 18), in headless Chromium, all on 127.0.0.1.

One hub for the module (tests/hub/hubutil.py: deploy/hubctl.py + deploy/jupyterhub_config.py):
two students and a lecturer on the roster, m00 released into nbgrader's exchange.

- Each student opens the stand-in platform's course link (tools/lti_platform.py): the LTI 1.3
  launch (login initiation, authentication request, the signed id_token posted back) lands them
  in JupyterLab on their own server, running as their own system user.
- In JupyterLab's Assignments tab (nbgrader's lab extension: Nbgrader menu → Assignment List)
  they Fetch m00, Validate and Submit with its buttons. The answers are written into the fetched
  notebook through the Jupyter server's contents API (typing code into cells is what the course's
  other browser tests cover): ann's are the source's solutions, ben's part 2 is wrong.
- The lecturer reaches formgrader (the hub service) and a student does not. The lecturer's
  grading runs as the grader account that owns the course folder, with nbgrader's exchange
  commands and the course's own grading package (README, For lecturers): ``nbgrader collect``,
  ``python -m welfaregrading autograde`` (sandboxed: the hub's course sets GradingSandbox.mode
  = "required"), ``python -m welfaregrading feedback``, ``nbgrader release_feedback``.
- Each student presses Fetch Feedback and opens their feedback page: the score shown is the
  gradebook's, and equals the auto-graded points of the parts they got right (from the source
  notebook's metadata), the written answer waiting for the lecturer.

Measured on the 2-core machine while other work ran: see the docstring of test_round_trip.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: browser_util
from browser_util import CHROMIUM, CHROMIUM_ARGS
from hubutil import REPO, problem, running_hub

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ASSIGNMENT = "m00"
NOTEBOOK = "m00-warm-up.ipynb"
WRONG_PART = "m00-list"  # ben's wrong part: its answer cell is m00-list-answer
SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.MULTILINE)


def _skip_reason() -> str | None:
    reason = problem()
    if reason:
        return reason
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing"
    if not (Path("/usr/bin/bwrap").exists()):
        return "bubblewrap is missing: the hub's course grades only in the sandbox"
    return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = _skip_reason()
    if reason:
        import os
        if os.environ.get("WELFARELAB_REQUIRE_SANDBOX"):  # CI (.ci/run): must run
            raise RuntimeError(f"the hub test cannot run: {reason}")
        pytest.skip(reason)
    with running_hub(tmp_path_factory.mktemp("hub"), ["ann", "ben"], ["lecturer"]) as h:
        yield h
    print("hub timings:", json.dumps(h.timings))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def solutions() -> dict[str, str]:
    """grade_id of each answer cell → the source's solution without nbgrader's markers."""
    nb = nbformat.read(REPO / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: SOLUTION.sub("", c.source).strip("\n")
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def auto_points(skip: set[str] = frozenset()) -> tuple[float, float]:
    """(points of the auto-graded test cells not in ``skip``, points of the whole notebook),
    from the source notebook's nbgrader metadata."""
    nb = nbformat.read(REPO / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    auto = total = 0.0
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            total += meta["points"]
            if c.cell_type == "code" and not meta.get("solution") \
                    and meta["grade_id"] not in skip:
                auto += meta["points"]
    return auto, total


def open_lab(browser, hub, user: str):
    """A page logged in through the platform's launch, JupyterLab shown."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(hub.launch_url(user))
    page.wait_for_url(re.compile(rf"/user/{hub.username(user)}/lab"), timeout=180_000)
    page.locator("#jp-main-dock-panel").wait_for()
    return page


def open_assignments(page):
    """Nbgrader menu → Assignment List: the Assignments tab."""
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    panel = page.locator("#nbgrader-assignment-list")
    panel.wait_for()
    return panel


def write_answers(hub, user: str, wrong: set[str]) -> None:
    """Put the answers into the fetched notebook through the user's Jupyter server (contents
    API, the hub's admin token with access:servers): the source's solutions, except for the
    answer cells of the parts in ``wrong``, which get a wrong answer of the right shape."""
    name = hub.username(user)
    url = f"{hub.url}/user/{name}/api/contents/{ASSIGNMENT}/{NOTEBOOK}"
    headers = {"Authorization": f"token {hub.api_token}"}
    import requests

    model = requests.get(url, headers=headers, timeout=60).json()
    nb = nbformat.from_dict(model["content"])
    answers = solutions()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid in answers:
            cell.source = answers[gid]
            if gid.removesuffix("-answer") in wrong:
                cell.source = 'soft_skills = "teamwork, listening"  # one text, not a list'
    r = requests.put(url, headers=headers, timeout=60,
                     json={"type": "notebook", "format": "json", "content": nb})
    assert r.status_code == 200, r.text


def validate_in_tab(page, panel) -> str:
    """Press Validate on the fetched notebook; return the dialog's text."""
    row = panel.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
    row.locator("a", has_text=ASSIGNMENT).first.click()  # show the notebooks
    panel.get_by_role("button", name="Validate").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    text = dialog.inner_text()
    dialog.get_by_role("button").last.click()
    return text


def test_round_trip(hub, browser):
    """Two students fetch, answer, validate and submit m00; the lecturer grades in the sandbox
    and releases feedback; each student fetches their feedback and sees their score."""
    t0 = time.time()
    timings = {}
    wrong = {"ann": set(), "ben": {WRONG_PART}}
    pages = {}
    for student in ("ann", "ben"):
        t = time.time()
        page = open_lab(browser, hub, student)
        timings[f"{student}_login_lab_seconds"] = round(time.time() - t, 1)
        panel = open_assignments(page)
        released = panel.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
        released.get_by_role("button", name="Fetch").click()
        fetched = panel.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
        fetched.first.wait_for()
        write_answers(hub, student, wrong[student])
        text = validate_in_tab(page, panel)
        if wrong[student]:
            assert "soft_skills should be a list" in text, text
        else:
            assert "Success" in text, text
        panel.locator("#fetched_assignments_list").get_by_role("button", name="Submit") \
            .first.click()
        submitted = panel.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
        submitted.first.wait_for()
        pages[student] = page
    timings["students_seconds"] = round(time.time() - t0, 1)

    # The exchange holds one submission per student, named by their hub username.
    inbound = hub.exchange_root / hub.course_id / "inbound"
    owners = sorted({p.name.split("+")[0] for p in inbound.iterdir()})
    assert owners == sorted(hub.username(s) for s in ("ann", "ben"))

    # Formgrader: the lecturer (graders group) reaches the service, a student does not.
    lecturer = open_lab(browser, hub, "lecturer")
    service = f"{hub.url}/services/{hub.course_id}/"
    resp = lecturer.goto(service + "formgrader")
    assert resp.status == 200, resp.status
    lecturer.get_by_text("Manage Assignments").first.wait_for()
    refused = pages["ben"].request.get(service, max_redirects=10)
    assert refused.status == 403, refused.status

    # The lecturer's grading run, as the grader account that owns the course folder.
    t = time.time()
    course = hub.course_root
    grader = hub.grader_account
    hub.run_as(grader, ["nbgrader", "collect", ASSIGNMENT], cwd=course)
    auto = hub.run_as(grader, ["python", "-m", "welfaregrading", "autograde", ASSIGNMENT,
                               "--course", str(course), "--quiet"], cwd=course, check=False)
    # 0: all graded; 3: graded, written answers to mark. With GradingSandbox.mode "required"
    # a run without the sandbox stops with 1 before grading anyone.
    assert auto.returncode in (0, 3), auto.stdout[-3000:] + auto.stderr[-3000:]
    feedback = hub.run_as(grader, ["python", "-m", "welfaregrading", "feedback", ASSIGNMENT,
                                   "--course", str(course), "--quiet"], cwd=course, check=False)
    log = course / "build" / "grading" / ASSIGNMENT / "grading.log"
    assert feedback.returncode == 0, feedback.stdout[-1500:] + (
        log.read_text(errors="replace")[-6000:] if log.exists() else "")
    hub.run_as(grader, ["nbgrader", "release_feedback", ASSIGNMENT], cwd=course)
    timings["grading_seconds"] = round(time.time() - t, 1)

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, hub.username(s)).score
                  for s in ("ann", "ben")}
    full, total = auto_points()
    partly, _ = auto_points(skip={WRONG_PART})
    assert partly < full
    assert scores == {"ann": full, "ben": partly}

    # Each student fetches their own feedback in the tab and opens it.
    for student, page in pages.items():
        page.reload()
        page.locator("#jp-main-dock-panel").wait_for()
        panel = open_assignments(page)
        row = panel.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
        row.get_by_role("button", name="Fetch Feedback").first.click()
        name = hub.username(student)
        import requests

        deadline = time.time() + 60
        html_files = []
        while not html_files and time.time() < deadline:
            listing = requests.get(f"{hub.url}/user/{name}/api/contents/{ASSIGNMENT}/feedback",
                                   headers={"Authorization": f"token {hub.api_token}"},
                                   timeout=30)
            if listing.status_code == 200:
                for stamp in listing.json()["content"]:
                    html_files.append(f"{stamp['path']}/{NOTEBOOK.replace('.ipynb', '.html')}")
            time.sleep(0.5)
        assert len(html_files) == 1, html_files
        page.goto(f"{hub.url}/user/{name}/files/{html_files[0]}")
        shown = page.locator("h4", has_text="Score").first.inner_text()
        expected = scores[student]
        assert f"(Score: {round(expected, 2)} / {round(total, 2)})" in shown, shown
        # Only their own: the other student's feedback is not in their folder.
        other = "ben" if student == "ann" else "ann"
        assert hub.username(other) not in page.content()
    timings["total_seconds"] = round(time.time() - t0, 1)
    print("round trip timings:", json.dumps(timings))



def test_username_is_the_platform_user_id(hub):
    """The launch's custom ``lms_user_id`` (Canvas: $User.id, the gradebook export's ID)
    becomes the hub username, the system user and nbgrader's student id; the id_token's ``sub``
    (the stand-in's form: ``sub-<hex>``) does not. The roster's groups hold the users."""
    hub.lti_login("ben")
    users = {u["name"]: u for u in hub.api("GET", "/users").json()}
    assert users[hub.username("ben")]["groups"] == ["students"]
    assert users[hub.username("lecturer")]["groups"] == ["graders"]
    assert not [n for n in users if n.startswith("sub-")], sorted(users)
