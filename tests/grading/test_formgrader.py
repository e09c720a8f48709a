"""Formgrader is safe to open on any submission (issue 11, item 3; welfaregrading/formgrader.py).

A scratch course gets one m06 submission with planted scripts: its code answer displays a
``<script>`` (text/html), an ``application/javascript`` output and an SVG with ``onload``; its
written answer holds ``<img src=x onerror=...>``, a ``<script>`` and an image from another
origin; a file ``evil.html`` with a script comes along. Every payload sets a ``window.__pwned_*``
flag and calls a listener on 127.0.0.1. After autograding, formgrader is started with
``make formgrader COURSE=... PORT=...`` (nothing else set) and Chromium opens the submission's
page: no flag is set, the listener hears nothing, ``/api/terminals`` refuses, and the page still
shows the answer with its score and comment fields, where a manual score and a comment are
entered and saved. A second run turns the sanitising off in the course's config, to show that
the Content-Security-Policy alone still stops every planted script. Screenshots:
/tmp/formgrader-security.png and /tmp/formgrader-security-csp-only.png (and ``-full.png``).
"""

import http.server
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import nbformat
import pytest
from browser_util import CHROMIUM, CHROMIUM_ARGS, free_port
from conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run should have installed chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)",
                allow_module_level=True)

NB = "m06-sroi.ipynb"
WRITTEN = "m06-critique"  # the manually graded written answer
WRITTEN_TEXT = "PLANTED-ANSWER: the SROI ignores who benefits"
FLAGS = ["__pwned_html", "__pwned_js", "__pwned_svg", "__pwned_md_img", "__pwned_md_script",
         "__pwned_file"]


# -- a listener that records every request a payload makes ---------------------------------------

class _Listener(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Listener.hits
    server.shutdown()
    server.server_close()


# -- the planted submission, autograded -----------------------------------------------------------

def planted(release_nb, source_nb, call):
    """The model answers, plus payloads in the first code answer and the written answer."""
    import welfaregrading as wg
    import welfaregrading.samples

    nb = wg.samples.answered(release_nb, source_nb)
    html = f"<b>PLANTED-HTML</b><script>window.__pwned_html=1;{call('html')}</script>"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" '
           f'onload="window.__pwned_svg=1;{call("svg")}"><circle r="5"/></svg>')
    code = ("\nfrom IPython.display import HTML, Javascript, display\n"
            f"display(HTML({html!r}))\n"
            f"display(Javascript({'window.__pwned_js=1;' + call('js')!r}))\n"
            f"display({{'image/svg+xml': {svg!r}, 'text/plain': 'svg'}}, raw=True)\n")
    written = (
        f"{WRITTEN_TEXT}.\n\n"
        f"<img src=x onerror=\"window.__pwned_md_img=1;{call('md-img')}\">\n\n"
        f"<script>window.__pwned_md_script=1;{call('md-script')}</script>\n\n"
        f"<img src=\"{call('pixel', url_only=True)}\">\n")
    done = set()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "m06-impact-year1-answer":
            cell.source += code
            done.add(gid)
        elif gid == WRITTEN:
            cell.source = written
            done.add(gid)
    assert done == {"m06-impact-year1-answer", WRITTEN}, done
    return nb


def make_course(dest: Path, listen_url: str, config_lines=None) -> Path:
    import welfaregrading as wg
    import welfaregrading.course
    import welfaregrading.demo
    import welfaregrading.samples

    def call(name, url_only=False):
        url = f"{listen_url}/{name}"
        return url if url_only else f"fetch('{url}').catch(function(){{}})"

    course = wg.course.scratch_course(dest, ["m06"], config_lines=config_lines)
    release = wg.course.generate(course, "m06")
    nb = planted(nbformat.read(release / NB, as_version=4),
                 nbformat.read(course / "source/m06" / NB, as_version=4), call)
    folder = wg.samples.submit(course, "m06", "mallory", nb, NB).parent
    (folder / "evil.html").write_text(
        f"<p>EVIL-FILE</p><script>window.__pwned_file=1;{call('file')}</script>")
    result = wg.demo.autograde(course, "m06", "mallory")
    assert result.get("success"), (result.get("error") or result.get("log") or "")[-3000:]
    graded = nbformat.read(course / "autograded/mallory/m06" / NB, as_version=4)
    outputs = [o for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert {"text/html", "application/javascript", "image/svg+xml"} <= kinds, outputs  # planted
    assert not [o for o in outputs if o.output_type == "error"], "the planted answer must run"
    return course


# -- formgrader, started the way the README says --------------------------------------------------

@contextmanager
def make_formgrader(course: Path, home: Path):
    """``make formgrader COURSE=course PORT=port``; yields (base_url, token); stops it after.

    ``-o .venv/.installed``: a test never rebuilds the shared virtual environment."""
    port = free_port()
    env = dict(os.environ, BROWSER="true", JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    env.pop("NBGRADER_EXECUTION", None)
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "formgrader.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["make", "-s", "-o", ".venv/.installed", "formgrader",
                                 f"COURSE={course}", f"PORT={port}"], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            token, deadline = None, time.time() + 120
            while token is None:
                match = re.search(rf"http://127\.0\.0\.1:{port}/\S*\?token=(\w+)",
                                  log_path.read_text())
                if match:
                    token = match.group(1)
                elif proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("make formgrader printed no URL:\n"
                                       + log_path.read_text()[-3000:])
                else:
                    time.sleep(0.5)
            for _ in range(60):  # the URL is printed a moment before the socket accepts
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.5)
            yield f"http://127.0.0.1:{port}", token
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def api(base, token, path, method="GET", data=None):
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 data=None if data is None else json.dumps(data).encode(),
                                 headers={"Authorization": f"token {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
            return resp.status, json.loads(body) if body.strip()[:1] in (b"[", b"{") else body
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def open_submission(browser, base, token):
    """Log in, open mallory's m06 submission in formgrader; return (page, submission id,
    CSP violations seen, pwned flags set)."""
    status, notebooks = api(base, token, "/formgrader/api/submitted_notebooks/m06/m06-sroi")
    assert status == 200, notebooks
    sid = next(n["id"] for n in notebooks if n["student"] == "mallory")
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    # The test's own probe (runs outside the page's policy): record CSP violations.
    context.add_init_script("""
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(
            e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));""")
    page = context.new_page()
    page.goto(f"{base}/formgrader?token={token}")  # the URL make formgrader prints
    page.wait_for_url(re.compile(r"/formgrader/manage_assignments"))
    page.goto(f"{base}/formgrader/submissions/{sid}/")
    page.wait_for_selector(f"input.score#{WRITTEN}", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # onerror/onload handlers and fetches would be done by now
    flags = page.evaluate(f"() => {json.dumps(FLAGS)}.filter(f => window[f] !== undefined)")
    return page, sid, page.evaluate("() => window.__violations"), flags


def screenshot(page, shot: Path):
    """The written answer with its fields, and the whole page beside it (``-full.png``)."""
    page.locator(f"#{WRITTEN}").scroll_into_view_if_needed()
    page.screenshot(path=str(shot))
    page.screenshot(path=str(shot.with_name(shot.stem + "-full.png")), full_page=True)


def check_formgrader_works(page, base, token, sid):
    """The answer and its grade fields are there; a manual score and a comment are saved."""
    assert WRITTEN_TEXT in page.inner_text("#notebook-container")
    assert page.locator(f"input.score#{WRITTEN}").is_visible()
    assert page.locator(f"textarea#{WRITTEN}-comment").is_visible()
    page.fill(f"input.score#{WRITTEN}", "3")
    page.press(f"input.score#{WRITTEN}", "Tab")
    page.fill(f"textarea#{WRITTEN}-comment", "Seen by the grader")
    page.press(f"textarea#{WRITTEN}-comment", "Tab")
    deadline = time.time() + 20
    while True:
        _, grades = api(base, token, f"/formgrader/api/grades?submission_id={sid}")
        _, comments = api(base, token, f"/formgrader/api/comments?submission_id={sid}")
        score = next(g["manual_score"] for g in grades if g["name"] == WRITTEN)
        comment = next(c["manual_comment"] for c in comments if c["name"] == WRITTEN)
        if score == 3 and comment == "Seen by the grader":
            break
        assert time.time() < deadline, (score, comment)
        time.sleep(0.5)


def check_no_terminal(base, token):
    status, _ = api(base, token, "/api/terminals", method="POST", data={})
    assert status in (403, 404), f"a terminal could be opened: HTTP {status}"
    status, _ = api(base, token, "/api/terminals")
    assert status in (403, 404), f"terminals are listed: HTTP {status}"


def check_submission_file(browser, base, token, course, sid):
    """A student's HTML file, served by formgrader beside the submission, runs no script."""
    if not (course / "autograded/mallory/m06/evil.html").exists():
        return  # not copied into autograded/: nothing to serve
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/formgrader?token={token}")
    page.goto(f"{base}/formgrader/submissions/{sid}/evil.html")
    page.wait_for_timeout(1000)
    assert "EVIL-FILE" in page.content()
    assert page.evaluate("() => window.__pwned_file") is None
    context.close()


def test_formgrader_runs_no_student_script_and_still_grades(tmp_path, browser, listener):
    listen_url, hits = listener
    hits.clear()
    course = make_course(tmp_path / "course", listen_url)
    with make_formgrader(course, tmp_path / "home") as (base, token):
        shot = Path("/tmp/formgrader-security.png")
        page, sid, violations, flags = open_submission(browser, base, token)
        assert flags == [], f"planted scripts ran: {flags}"
        # Nothing of formgrader's own was blocked; only MathJax (from a CDN) is not allowed.
        assert [v for v in violations if v.startswith("script-src")
                and "cdnjs.cloudflare.com/ajax/libs/mathjax" not in v] == [], violations
        # Sanitised: the planted markup is shown as text, not left in the page as elements.
        html = page.inner_html("#notebook-container")
        assert "PLANTED-HTML" in html
        assert "<script>window.__pwned" not in html and "onerror=" not in html
        assert "&lt;script&gt;window.__pwned_md_script" in html
        check_formgrader_works(page, base, token, sid)
        screenshot(page, shot)
        check_no_terminal(base, token)
        check_submission_file(browser, base, token, course, sid)
        page.context.close()
    assert hits == [], f"a planted payload reached the listener: {hits}"


def test_the_content_security_policy_alone_stops_the_scripts(tmp_path, browser, listener):
    """With the sanitising switched off in the course's config (as if a payload got past it),
    the submission page still runs none of the planted scripts; formgrader's own still run."""
    listen_url, hits = listener
    hits.clear()
    off = ["c.HTMLExporter.preprocessors = []", "c.HTMLExporter.filters = {}"]
    course = make_course(tmp_path / "course", listen_url, config_lines=off)
    with make_formgrader(course, tmp_path / "home") as (base, token):
        shot = Path("/tmp/formgrader-security-csp-only.png")
        page, sid, violations, flags = open_submission(browser, base, token)
        html = page.inner_html("#notebook-container")
        assert "window.__pwned_md_script=1" in html and "onerror" in html  # really unsanitised
        assert flags == [], f"planted scripts ran: {flags}"
        scripts = [v for v in violations if v.startswith("script-src")]
        blocked = " ".join(scripts)
        for payload in ["__pwned_html", "__pwned_md_script", "__pwned_md_img"]:
            assert payload in blocked, f"no CSP report for {payload}: {violations}"
        assert len(scripts) >= 4, violations  # and the application/javascript output
        own = ["submission_id", "toggle_name", "tooltip", "/formgrader/static/"]
        assert not [v for v in scripts if any(o in v for o in own)], violations
        check_formgrader_works(page, base, token, sid)  # formgrader's own scripts still run
        screenshot(page, shot)
        # Opened again (the browser has it cached): still the page's own policy, not a 304's.
        response = page.reload()
        assert "script-src" in response.headers.get("content-security-policy", "")
        page.wait_for_function(  # formgrader's scripts ran again: they fill in the saved score
            f"() => (document.querySelector('input.score#{WRITTEN}') || {{}}).value === '3'",
            timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.evaluate(f"() => {json.dumps(FLAGS)}.filter(f => window[f] !== undefined)") == []
        page.context.close()
    assert hits == [], f"a planted payload reached the listener: {hits}"


def test_formgrader_has_a_course_exchange_and_no_unwritable_complaint(tmp_path):
    """`make formgrader` on a course whose config names no exchange: it uses (and creates)
    <course>/exchange, so nbgrader's exchange check passes on every page; before, each page
    that lists assignments logged "Unwritable directory, please contact your instructor:
    /usr/local/share/nbgrader/exchange" (nbgrader/exchange/default/exchange.py, ensure_root)."""
    import welfaregrading as wg
    import welfaregrading.course
    import welfaregrading.formgrader

    course = wg.course.scratch_course(tmp_path / "course", ["m06"])
    assert not (course / "exchange").exists()
    home = tmp_path / "home"
    with make_formgrader(course, home) as (base, token):
        for path in ["/formgrader/manage_assignments", "/formgrader/manage_students",
                     "/formgrader/gradebook"]:
            status, page = api(base, token, path)
            assert status == 200, (path, page[:500])
            assert b"warning-exchange" not in page, path  # formgrader's own warning
        status, assignments = api(base, token, "/formgrader/api/assignments")
        assert status == 200, assignments
    log = (home / "formgrader.log").read_text()
    assert "Unwritable directory" not in log and "Traceback" not in log, log[-3000:]
    assert (course / "exchange").is_dir() and not (course / "exchange").is_symlink()
    assert f"--Exchange.root={course / 'exchange'}" in wg.formgrader.command(course=course)
    # A course config that names its exchange keeps it (a multi-user course, deploy/)
    (course / "nbgrader_config.py").write_text(
        (course / "nbgrader_config.py").read_text() + f"\nc.Exchange.root = '{tmp_path}'\n")
    assert f"--Exchange.root={tmp_path}" in wg.formgrader.command(course=course)
