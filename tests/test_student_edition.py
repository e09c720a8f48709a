"""The student edition holds no answers, and turns off nbgrader's instructor tools."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import student_edition  # noqa: E402

MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return student_edition.build(tmp_path_factory.mktemp("edition") / "student-edition")


def edition_texts(edition: Path):
    for path in edition.rglob("*"):
        if path.is_file() and path.suffix in {".ipynb", ".py", ".md", ".yml", ".csv", ".txt",
                                              ".json", ".sh", ""}:
            yield path, path.read_text(encoding="utf-8", errors="replace")


def secret_snippets():
    """Solution code, model answers, hidden tests and mark schemes from every source notebook.

    A line that also stands in the source notebook outside those regions (for example an
    example in the question) is not secret and is skipped.
    """
    snippets = []
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        public, secret = [], []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "markdown":
                secret += [s.strip() for s in cell.source.split(".") if len(s.strip()) > 40]
                continue
            inside = False
            for line in cell.source.splitlines():
                if any(m in line for m in MARKERS):
                    inside = "BEGIN" in line
                    continue
                (secret if inside else public).append(line.strip())
        public = set(public)
        snippets += [(path.name, s) for s in secret if len(s) > 15 and s not in public
                     and not s.startswith(("import ", "from "))]
    assert snippets, "found no solution text in source/: the scan would prove nothing"
    return snippets


def test_edition_has_what_students_need_and_no_source(edition):
    for name in ["notebooks/index.ipynb", "release", "welfarelab/impact.py", "environment.yml",
                 "postBuild", "README.md", "Makefile", "nbgrader_config.py"]:
        assert (edition / name).exists(), name
    assert not (edition / "source").exists()
    # the lecturer's tools are a package of their own, left out whole (issue 11)
    assert not (edition / "welfaregrading").exists()
    for name in ("grading.py", "collect.py", "kernel.py", "kernel_launcher.py", "sandbox.py"):
        assert not (edition / "welfarelab" / name).exists(), name
    assert "set -e" in (edition / "postBuild").read_text()
    assert zipfile.is_zipfile(str(edition) + ".zip")


def test_edition_holds_no_solution_hidden_test_or_mark_scheme(edition):
    texts = list(edition_texts(edition))
    assert len(texts) > 10
    for path, text in texts:
        for marker in MARKERS:
            assert marker not in text, f"{marker} in {path.relative_to(edition)}"
    for source_name, snippet in secret_snippets():
        for path, text in texts:
            assert snippet not in text, (
                f"answer text from source {source_name} found in {path.relative_to(edition)}: "
                f"{snippet[:80]!r}")


def test_zip_holds_the_same_files(edition):
    with zipfile.ZipFile(str(edition) + ".zip") as z:
        names = {n for n in z.namelist() if not n.endswith("/")}
    on_disk = {str(p.relative_to(edition.parent)) for p in edition.rglob("*") if p.is_file()}
    assert names == on_disk


def test_instructor_tools_are_off_and_validate_stays_on(edition, tmp_path):
    env = dict(os.environ, JUPYTER_PREFIX=str(tmp_path),
               JUPYTER_CONFIG_PATH=str(tmp_path / "etc" / "jupyter"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(["bash", "tools/instructor_tools_off.sh"], cwd=edition, env=env, check=True,
                   capture_output=True)

    def listing(*cmd):
        done = subprocess.run(["jupyter", *cmd, "list"], env=env, capture_output=True, text=True)
        return done.stdout + done.stderr

    labs = listing("labextension")
    for plugin in ["formgrader", "create-assignment", "course-list", "assignment-list"]:
        assert f"@jupyter/nbgrader:{plugin}" in labs.split("Disabled extensions:")[-1], labs
    assert "@jupyter/nbgrader:validate-assignment" not in labs
    # The server really refuses formgrader and keeps Validate (config read from our prefix).
    from browser_util import free_port

    port, token = free_port(), "edition-test"
    cmd = ["jupyter", "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={edition}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        def status(path, method="GET"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}?token={token}",
                                             method=method, data=b"" if method == "POST" else None)
            try:
                with urllib.request.urlopen(request, timeout=10) as resp:
                    return resp.status
            except urllib.error.HTTPError as err:
                return err.code

        for _ in range(120):
            try:
                if status("/api/status") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert status("/formgrader") == 404
        assert status("/assignments/validate", "POST") != 404
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
