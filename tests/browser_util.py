"""A JupyterLab server in a scratch copy of the course, and headless Chromium to drive it."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen, grace: float = 20) -> None:
    """Stop ``proc`` (started with ``start_new_session=True``) and EVERY process of its group:
    SIGTERM to the group, wait for the leader and then for the rest (a launcher's JupyterLab,
    its kernels), SIGKILL whatever is left after ``grace`` seconds. A launcher that exits on
    SIGTERM before its server has stopped must not leave the server running after the test."""
    pgid = proc.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + grace
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)  # anyone left in the group?
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def course_copy(repo: Path, dest: Path) -> Path:
    """The student-facing part of the course (and the nbgrader config) in ``dest``."""
    for name in ["notebooks", "release", "data"]:
        if (repo / name).exists():
            shutil.copytree(repo / name, dest / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(repo / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


@contextmanager
def jupyterlab(root: Path, settings: Path):
    """Start JupyterLab on 127.0.0.1 in ``root``; yield (base_url, token); stop it after."""
    port, token = free_port(), secrets.token_hex(16)
    user_settings = settings / "@jupyterlab" / "apputils-extension"
    user_settings.mkdir(parents=True, exist_ok=True)
    # No "receive news?" pop-up over the notebook.
    (user_settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Render every cell (no virtual scrolling), so the test finds widgets below the fold.
    notebook_settings = settings / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True, exist_ok=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), MPLBACKEND="module://matplotlib_inline.backend_inline",
               BROWSER="true")
    env.pop("NBGRADER_EXECUTION", None)
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser",
           "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(settings / "jupyterlab.log", "w")  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" +
                                       (settings / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token
    finally:
        stop_group(proc)
        log.close()


def wait_for_kernel_idle(page, timeout=120_000):
    """Wait until the notebook's kernel is really ready: debugger button enabled and "Idle"."""
    page.wait_for_selector(".jp-Notebook", timeout=timeout)
    page.wait_for_function(
        """() => {
            const status = document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar');
            const bar = document.querySelector('#jp-main-statusbar');
            const text = bar ? bar.innerText : '';
            const dbg = document.querySelector('.jp-DebuggerBugButton, [data-command="debugger:debug-console"], button[title*="ebugger"]');
            const dbgReady = !dbg || !(dbg.disabled || dbg.getAttribute('aria-disabled') === 'true');
            return text.includes('Idle') && dbgReady;
        }""", timeout=timeout)


def run_all(page):
    """Run every cell through the menu, as a student would, and wait until the kernel is idle."""
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item:has-text('Run All Cells')")
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => (document.querySelector('#jp-main-statusbar')||{innerText:''}).innerText.includes('Idle')",
        timeout=180_000)


# ---- What every browser test of a scratch course does (test_browser, test_i18n_browser) --------


def require_chromium() -> None:
    """Skip the calling test module when Debian's chromium is missing; under CI (``CI`` set)
    fail instead: .ci/run installs it. Call at module level."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run should have installed chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)",
                allow_module_level=True)


@contextmanager
def course_lab(repo: Path, tmp_path_factory, prepare=None):
    """JupyterLab on a scratch copy of the course (:func:`course_copy`); ``prepare(root)`` may
    add files first. Yields (base_url, token)."""
    root = course_copy(repo, tmp_path_factory.mktemp("course"))
    if prepare is not None:
        prepare(root)
    with jupyterlab(root, tmp_path_factory.mktemp("settings")) as (base, token):
        yield base, token


@contextmanager
def chromium():
    """Headless Chromium (Playwright driving Debian's chromium); closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def open_notebook(browser, lab, path: str):
    """A new page on notebook ``path`` (relative to the course root) in a fresh workspace, its
    kernel idle. Returns (page, errors): the page's JavaScript errors are appended to the list."""
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # ?reset: a fresh workspace, so the notebook of an earlier test is not restored beside it
    page.goto(f"{base}/lab/tree/{path}?reset&token={token}")
    wait_for_kernel_idle(page)
    return page, errors


# ---- The course started as its README says (issue 13) ----------------------------------------
# These helpers start the course with the README's own command and nothing forced into its
# environment: no MPLBACKEND, no JupyterLab settings directory, no token or port of the test's.

URL = re.compile(r"(http://127\.0\.0\.1:\d+)/\S*\?token=(\w+)")
FIGURE_TEXT = re.compile(r"<Figure size \d+(\.\d+)?x\d+(\.\d+)?")


def readme_environment(path: str | None = None) -> dict:
    """The environment of a student's shell: this process's, less what the test harness itself
    adds (``MPLBACKEND=Agg`` from the Makefile's test targets and tests/conftest.py, and
    nbgrader's ``NBGRADER_EXECUTION``). ``BROWSER=true`` stands the test's Chromium in for the
    student's browser, so Jupyter does not start a second one. ``path`` replaces PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "NBGRADER_EXECUTION")}
    env["BROWSER"] = "true"
    if path is not None:
        env["PATH"] = path
    return env


@contextmanager
def started_by(cmd: list[str], cwd: Path, env: dict, log_path: Path, timeout: float = 900):
    """Run ``cmd`` (a README's start command) in ``cwd``; yield (base_url, token) once it prints
    JupyterLab's address with a token; stop its whole process group after.

    Raises RuntimeError with the end of the log if the command exits or prints no address
    within ``timeout`` seconds (it may first build an environment).
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        found: dict = {}

        def pump():
            for line in proc.stdout:
                log.write(line)
                log.flush()
                match = URL.search(line)
                if match and "address" not in found:
                    found["address"] = match.groups()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            deadline = time.time() + timeout
            while "address" not in found:
                if proc.poll() is not None or time.time() > deadline:
                    reader.join(timeout=5)
                    raise RuntimeError(f"{' '.join(cmd)} printed no JupyterLab address:\n"
                                       + log_path.read_text(encoding="utf-8")[-3000:])
                time.sleep(0.5)
            base, token = found["address"]
            while time.time() < deadline:  # the address is printed a moment before it answers
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    time.sleep(0.5)
            yield base, token
        finally:
            stop_group(proc, grace=30)
            reader.join(timeout=5)


_ORACLE: dict = {}


def figures_drawn(notebook: Path) -> int:
    """How many figures ``notebook`` draws: nbclient runs it in a plain ``python3`` kernel
    (ipykernel's default inline backend, MPLBACKEND unset) and the PNG outputs are counted,
    in the cells, in the saved state of Output widgets, and the ipywidgets Images with a PNG
    (calculator charts, ``welfarelab.widgets._base.LiveChart``). Cached by the notebook's
    content."""
    import hashlib

    key = hashlib.sha256(notebook.read_bytes()).hexdigest()
    if key not in _ORACLE:
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.read(notebook, as_version=4)
        saved = os.environ.pop("MPLBACKEND", None)
        try:
            NotebookClient(nb, timeout=180, kernel_name="python3",
                           resources={"metadata": {"path": str(notebook.parent)}}).execute()
        finally:
            if saved is not None:
                os.environ["MPLBACKEND"] = saved
        count = sum("image/png" in out.get("data", {})
                    for cell in nb.cells if cell.cell_type == "code"
                    for out in cell.get("outputs", []))
        state = nb.metadata.get("widgets", {}).get(
            "application/vnd.jupyter.widget-state+json", {}).get("state", {})
        count += sum("image/png" in out.get("data", {})
                     for model in state.values()
                     for out in model.get("state", {}).get("outputs", []))
        # calculator charts (issue 15): an ipywidgets Image with a PNG, shown in an Output
        count += sum(model.get("state", {}).get("_model_name") == "ImageModel"
                     and model["state"].get("format") == "png"
                     and any(b.get("path") == ["value"] and b.get("data")
                             for b in model.get("buffers", []))
                     for model in state.values())
        _ORACLE[key] = count
    return _ORACLE[key]


#: Pictures in outputs: PNGs rendered by JupyterLab, and calculator charts (ipywidgets Image
#: views, class ``widget-image``) with a picture set (a blob: URL).
IMAGES = (".jp-Notebook .jp-OutputArea .jp-RenderedImage img, "
          ".jp-Notebook .jp-OutputArea img.widget-image[src^='blob:']")


def figures_shown(page) -> tuple[int, int]:
    """(images, figure texts) in the open notebook's outputs, widget outputs included: PNGs
    rendered by JupyterLab's image renderer, and text outputs that read ``<Figure size ...>``
    (what a non-interactive backend such as Agg leaves). Text is read with textContent, which
    does not depend on layout: innerText is empty for cells that JupyterLab's default
    ``contentVisibility`` windowing skips off screen."""
    images = page.locator(IMAGES).count()
    texts = page.evaluate(
        "re => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea .jp-RenderedText')]"
        ".filter(e => new RegExp(re).test(e.textContent)).length", FIGURE_TEXT.pattern)
    return images, texts


def open_and_run_counting_figures(browser, base: str, token: str, path: str, expected: int,
                                  screenshot: Path | None = None, shot_index: int = 0):
    """Open ``path`` in a new page, Run All, wait until ``expected`` images show (at most 90 s);
    return (page, images, figure_texts, page_errors). Screenshots the image number
    ``shot_index`` scrolled into view when ``screenshot`` is given."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/lab/tree/{path}?reset&token={token}")
    wait_for_kernel_idle(page)
    run_all(page)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with suppress(PlaywrightTimeout):  # fewer images: counted and reported by the caller
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                               arg=[IMAGES, expected], timeout=90_000)
    page.wait_for_timeout(1000)
    images, texts = figures_shown(page)
    if screenshot is not None and images > shot_index:
        image = page.locator(IMAGES).nth(shot_index)
        # Cells above change height as contentVisibility lays them out: scroll until it stays.
        for _ in range(6):
            image.evaluate("e => e.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(400)
            box = image.bounding_box()
            if box and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]:
                break
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    return page, images, texts, errors


def check_every_figure_is_an_image(browser, base: str, token: str, root: Path, path: str,
                                   prefix: str):
    """Open ``path`` (relative to the served ``root``), Run All, and assert every figure the
    notebook draws (:func:`figures_drawn`, from an nbclient run) shows as an image: none as
    ``<Figure size ...>`` text, no page error. Screenshots m00's first and m06's last figure to
    ``ARTIFACTS/<prefix>-<m0x>.png``. Returns the page, for the caller's own checks."""
    expected = figures_drawn(root / path)
    name = Path(path).stem[:3]
    shot = {"m00": 0, "m06": expected - 1}.get(name)
    page, images, texts, errors = open_and_run_counting_figures(
        browser, base, token, path, expected,
        ARTIFACTS / f"{prefix}-{name}.png" if shot is not None else None, shot or 0)
    assert expected > 0, f"{path} draws no figure: the count would prove nothing"
    assert texts == 0, f"{path}: {texts} figure(s) shown as <Figure size ...> text"
    assert images == expected, f"{path}: {images} images, {expected} figures drawn"
    assert not errors, errors
    return page
