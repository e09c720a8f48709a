"""A JupyterLab server in a scratch copy of the course, and headless Chromium to drive it."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    log = open(settings / "jupyterlab.log", "w")
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
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
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
