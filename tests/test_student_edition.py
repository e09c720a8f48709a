"""The student edition (issue 13): only what students need, no answers, instructor tools off,
widget state saved, a start without make or a shell, and updates that keep a student's work.

The browser test builds a fresh edition into a temporary folder and starts it with its own
README's command (``python start.py``) with nothing on PATH but Python, as on a Windows laptop
without make or bash; the environment is otherwise the student's (see browser_util).
"""

import json
import os
import re
import shutil
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
sys.path.insert(0, str(REPO / "tools" / "student"))
import start as launcher
import student_edition
import student_settings

MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME"]
LECTURER_PACKAGE = "welfaregrading"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return student_edition.build(tmp_path_factory.mktemp("edition") / "student-edition")


def edition_texts(edition: Path):
    for path in edition.rglob("*"):
        if path.is_file() and path.suffix in {".ipynb", ".py", ".md", ".yml", ".csv", ".txt",
                                              ".json", ".sh", ".toml", ""}:
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


def test_edition_has_what_students_need_and_nothing_of_the_lecturer(edition):
    for name in ["notebooks/index.ipynb", "release", "welfarelab/impact.py", "environment.yml",
                 "postBuild", "README.md", "LEESMIJ.md", "Makefile", "nbgrader_config.py", "start.py",
                 "tools/student_settings.py", "edition-manifest.json"]:
        assert (edition / name).exists(), name
    modules = sorted(p.name for p in (REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb"))
    assert sorted(p.name for p in (edition / "notebooks").glob("m*.ipynb")) == modules
    assert sorted(p.name for p in (edition / "release").iterdir()) == \
        sorted(p.name for p in (REPO / "release").iterdir())
    assert not (edition / "source").exists()
    assert not (edition / LECTURER_PACKAGE).exists()
    assert not (edition / "notebooks" / "lecturer-guide.ipynb").exists()
    assert not list(edition.rglob("gradebook.db"))
    # No file of the edition imports or installs the lecturer's package, or names its config.
    for path, text in edition_texts(edition):
        assert LECTURER_PACKAGE not in text, f"{path.relative_to(edition)} names the grading tools"
    assert "set -e" in (edition / "postBuild").read_text()
    assert zipfile.is_zipfile(str(edition) + ".zip")


def test_the_edition_has_a_dutch_readme_linked_both_ways(edition):
    """LEESMIJ.md (issue 17) is in the edition, linked at the top of README.md and linking it
    back, and gives the Dutch start, language, update and hand-in commands."""
    readme = (edition / "README.md").read_text(encoding="utf-8")
    leesmij = (edition / "LEESMIJ.md").read_text(encoding="utf-8")
    assert "[LEESMIJ.md](LEESMIJ.md)" in readme.split("\n## ")[0]  # before the first section
    assert "[README.md](README.md)" in leesmij.split("\n## ")[0]
    for text in ["python3.11 start.py --taal nl", "py -3.11 start.py --taal nl", "--taal en",
                 "start.py --update", "release/m00-nl/", "JOUW ANTWOORD HIER", "**Validate**", "Add python.exe to PATH",
                 "dien het bestand in"]:
        assert text in leesmij, text
    manifest = json.loads((edition / "edition-manifest.json").read_text(encoding="utf-8"))
    assert "LEESMIJ.md" in manifest["files"]
    # start.py's Dutch messages come with the edition (welfarelab/locale, read by stdlib gettext)
    helped = subprocess.run([sys.executable, "start.py", "--taal", "nl", "--help"], cwd=edition,
                            capture_output=True, text=True, check=False)
    assert helped.stdout.startswith("gebruik: python start.py"), helped.stdout + helped.stderr


def test_every_link_in_the_edition_notebooks_resolves(edition):
    link = re.compile(r"\]\(([^)\s]+\.(?:ipynb|csv|py|md|yml))\)")
    checked = 0
    for path in edition.rglob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for target in link.findall(cell.source):
                if "://" in target:
                    continue
                checked += 1
                assert (path.parent / target).resolve().is_file(), \
                    f"{path.relative_to(edition)} links {target}, which is not in the edition"
    assert checked >= 18  # the index links nine modules and nine assignments


def test_edition_pyproject_installs_only_the_student_package(edition):
    import tomllib

    data = tomllib.loads((edition / "pyproject.toml").read_text())
    packages = data["tool"]["setuptools"]["packages"]
    assert "welfarelab" in packages
    assert not [p for p in packages if p.startswith(LECTURER_PACKAGE)]
    assert "grading" not in data["project"].get("optional-dependencies", {})
    with pytest.raises(ValueError, match="not valid TOML"):
        student_edition.student_pyproject("[tool]\npackages = [\n  'welfaregrading',\n")


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


def test_zip_holds_the_same_files_and_the_manifest_their_hashes(edition):
    with zipfile.ZipFile(str(edition) + ".zip") as z:
        names = {n for n in z.namelist() if not n.endswith("/")}
    on_disk = {p.relative_to(edition.parent).as_posix() for p in edition.rglob("*") if p.is_file()}
    assert names == on_disk
    manifest = json.loads((edition / "edition-manifest.json").read_text())
    listed = set(manifest["files"])
    assert listed == {p.relative_to(edition).as_posix() for p in edition.rglob("*")
                      if p.is_file()} - {"edition-manifest.json"}
    notebook = "release/m06/m06-sroi.ipynb"
    assert manifest["files"][notebook] == launcher.sha256(edition / notebook)


def test_launcher_reads_the_pins_of_environment_yml(edition, tmp_path):
    pins = launcher.pins(edition / "environment.yml")
    sh = subprocess.run(["bash", str(REPO / "tools" / "requirements_from_env.sh"),
                         str(edition / "environment.yml")], capture_output=True, text=True,
                        check=True).stdout.split()
    assert pins == sh  # the same list as the repository's make venv reads
    assert any(p.startswith("nbgrader==") for p in pins)
    assert any(p.startswith("jupyterlab==") for p in pins)
    empty = tmp_path / "environment.yml"
    empty.write_text("dependencies:\n  - python=3.11\n")
    with pytest.raises(ValueError, match="lists no"):
        launcher.pins(empty)
    # the command that opens the index, as root only with --allow-root
    cmd = launcher.lab_command(Path("py"), edition, 8890, open_browser=False)
    assert f"--ServerApp.root_dir={edition}" in cmd
    assert "--LabApp.default_url=/lab/tree/notebooks/index.ipynb" in cmd
    assert ("--allow-root" in cmd) == (os.geteuid() == 0)


def test_student_settings_turn_instructor_tools_off_keep_validate_and_save_widget_state(
        edition, tmp_path):
    # An existing setting of the environment is kept (merged, not overwritten).
    page = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True)
    page.write_text(json.dumps({"disabledExtensions": {"some-other:plugin": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(tmp_path / "etc" / "jupyter"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run([sys.executable, "tools/student_settings.py", "--prefix", str(tmp_path)],
                   cwd=edition, env=env, check=True, capture_output=True)
    config = json.loads(page.read_text())
    assert config["disabledExtensions"]["some-other:plugin"] is True
    overrides = json.loads((tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
                            / "welfarelab-student.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"

    def listing(*cmd):
        done = subprocess.run(["jupyter", *cmd, "list"], env=env, capture_output=True, text=True,
                              check=False)
        return done.stdout + done.stderr

    labs = listing("labextension")
    disabled = labs.split("Disabled extensions:")[-1]
    for plugin in ["formgrader", "create-assignment", "course-list", "assignment-list", "menu"]:
        assert f"@jupyter/nbgrader:{plugin}" in disabled, labs
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    # The server really refuses formgrader and keeps Validate (config read from our prefix).
    from browser_util import free_port, stop_group

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
        stop_group(proc)


def test_student_settings_refuse_a_config_that_is_not_an_object(tmp_path):
    page = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True)
    page.write_text("[1, 2]")
    with pytest.raises(ValueError, match="page_config.json must hold a JSON object"):
        student_settings.instructor_tools_off(tmp_path)


# ---- updates: python start.py --update NEW.zip -----------------------------------------------

def _newer_edition(edition: Path, folder: Path) -> Path:
    """A newer edition made from ``edition``: a changed release notebook, a changed module
    notebook and a new notebook; returns its zip (as the lecturer would publish it)."""
    new = folder / "student-edition"
    shutil.copytree(edition, new)
    for name in ["release/m06/m06-sroi.ipynb", "notebooks/m00-start-here.ipynb"]:
        nb = nbformat.read(new / name, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell("Corrected in the new version."))
        nbformat.write(nb, new / name)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# m09: a new module"))
    nbformat.write(nb, new / "notebooks" / "m09-new-module.ipynb")
    student_edition.write_manifest(new, "2099-01-31")
    return student_edition.zip_edition(new)


def test_update_keeps_the_students_work_and_brings_new_notebooks(edition, tmp_path):
    student = tmp_path / "my-course"
    shutil.copytree(edition, student)
    newer = _newer_edition(edition, tmp_path / "published")
    # An afternoon of work: an answered assignment, a module notebook left alone.
    mine = student / "release" / "m06" / "m06-sroi.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My own answer, written by hand."))
    nbformat.write(nb, mine)
    my_bytes = mine.read_bytes()
    (student / "notebooks" / "my-notes.ipynb").write_text("{}")  # a file of the student's own

    # As the README says, with the student's own Python and nothing else.
    done = subprocess.run([sys.executable, "start.py", "--update", str(newer)], cwd=student,
                          check=False,
                          capture_output=True, text=True, env=dict(os.environ, PATH=""))
    assert done.returncode == 0, done.stdout + done.stderr
    assert mine.read_bytes() == my_bytes, "the student's answers were overwritten"
    beside = student / "release" / "m06" / "m06-sroi.2099-01-31.ipynb"
    assert beside.read_bytes() == (newer.parent / "student-edition" / "release" / "m06" /
                                   "m06-sroi.ipynb").read_bytes()
    module = student / "notebooks" / "m00-start-here.ipynb"
    assert "Corrected in the new version." in module.read_text()  # unchanged, so updated
    assert (student / "notebooks" / "m09-new-module.ipynb").exists()
    assert (student / "notebooks" / "my-notes.ipynb").read_text() == "{}"
    assert "1 new, 1 updated, 1 of your changed files kept" in done.stdout
    manifest = json.loads((student / "edition-manifest.json").read_text())
    assert manifest["version"] == "2099-01-31"

    # Run again: nothing changes, and nothing new is put beside the student's notebook.
    before = {p: p.read_bytes() for p in student.rglob("*") if p.is_file()}
    again = launcher.apply_update(launcher.unpack_edition(newer, tmp_path / "again"), student)
    assert again == {"added": [], "updated": [], "kept": ["release/m06/m06-sroi.ipynb"],
                     "beside": []}
    after = {p: p.read_bytes() for p in student.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k in before} == before


def test_update_never_writes_through_a_link_or_from_a_hostile_zip(edition, tmp_path):
    student = tmp_path / "my-course"
    shutil.copytree(edition, student)
    newer = _newer_edition(edition, tmp_path / "published")
    outside = tmp_path / "outside.ipynb"
    outside.write_text("not the course's")
    module = student / "notebooks" / "m00-start-here.ipynb"
    module.unlink()
    module.symlink_to(outside)
    report = launcher.apply_update(launcher.unpack_edition(newer, tmp_path / "new"), student)
    assert outside.read_text() == "not the course's"
    assert "notebooks/m00-start-here.ipynb" in report["kept"]
    assert module.is_symlink()

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("student-edition/edition-manifest.json", '{"files": {}}')
        z.writestr("student-edition/../../escaped.txt", "x")
    with pytest.raises(ValueError, match="unsafe entry"):
        launcher.unpack_edition(evil, tmp_path / "evil")
    assert not (tmp_path.parent / "escaped.txt").exists()
    not_an_edition = tmp_path / "plain.zip"
    with zipfile.ZipFile(not_an_edition, "w") as z:
        z.writestr("folder/readme.txt", "hello")
    with pytest.raises(ValueError, match="not a course edition"):
        launcher.unpack_edition(not_an_edition, tmp_path / "plain")
    done = subprocess.run([sys.executable, "start.py", "--update", str(evil)], cwd=student,
                          check=False,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "unsafe entry" in done.stderr


# ---- the browser: the edition as a student starts it -----------------------------------------

STUDENT_NOTEBOOKS = ["notebooks/m00-start-here.ipynb", "notebooks/m04-social-business-models.ipynb",
                     "notebooks/m06-measuring-social-impact.ipynb"]


@pytest.mark.browser
@pytest.mark.slow
def test_edition_started_by_its_readme_shows_every_figure_and_no_instructor_tools(tmp_path):
    """Fresh edition, ``python start.py`` with only Python on PATH (no make, no bash): it builds
    its .venv, opens JupyterLab; m00, m04 and m06 run and every figure is an image; no
    Nbgrader menu, formgrader or Create Assignment; Validate is there; m06's calculator comes
    back after save and reopen (saved widget state)."""
    from browser_util import (
        ARTIFACTS,
        CHROMIUM,
        CHROMIUM_ARGS,
        check_every_figure_is_an_image,
        readme_environment,
        started_by,
        wait_for_kernel_idle,
    )

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing: .ci/run should have installed chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    edition = student_edition.build(tmp_path / "student-edition")
    readme = (edition / "README.md").read_text()
    assert "python start.py" in readme
    only_python = tmp_path / "bin"
    only_python.mkdir()
    # The interpreter itself (a pyenv shim would be a bash script).
    (only_python / "python").symlink_to(getattr(sys, "_base_executable", sys.executable))
    env = readme_environment(path=str(only_python))
    assert shutil.which("make", path=env["PATH"]) is None
    assert shutil.which("bash", path=env["PATH"]) is None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with started_by(["python", "start.py"], edition, env, ARTIFACTS / "edition-start.log",
                    timeout=900) as (base, token), sync_playwright() as p:
        assert (edition / ".venv" / "welfarelab-installed.json").exists()

        def status(path):
            try:
                with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=10) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as err:
                return err.code, b""

        assert status("/formgrader")[0] == 404
        code, body = status("/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin")
        # the course's default (overrides.d), as JupyterLab serves the setting's schema
        saved = json.loads(body)["schema"]["properties"]["saveState"]
        assert code == 200 and saved["default"] is True
        code, body = status("/lab/api/settings/@jupyterlab/apputils-extension:notification")
        news = json.loads(body)["schema"]["properties"]["fetchNews"]
        assert code == 200 and news["default"] == "false"  # no news question over the messages
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for path in STUDENT_NOTEBOOKS:
                page = check_every_figure_is_an_image(browser, base, token, edition, path,
                                                      "edition")
                name = Path(path).stem[:3]
                menus = page.locator(".lm-MenuBar-content").inner_text()
                assert "Nbgrader" not in menus, menus
                assert page.locator("#nbgrader-create_assignemnt").count() == 0
                assert page.locator(".lm-TabBar-tab:has-text('Create Assignment')").count() == 0
                if name == "m06":
                    page.keyboard.press("Control+s")
                    saved = edition / path
                    deadline = time.time() + 30
                    while time.time() < deadline and "widget-state" not in saved.read_text():
                        time.sleep(0.5)
                    assert "application/vnd.jupyter.widget-state+json" in saved.read_text()
                page.close()
            # m06 reopened after its kernel is gone (as the next day): the calculator shows
            # from the saved state alone, no "Error displaying widget: model not found".
            for session in json.loads(status("/api/sessions")[1]):
                request = urllib.request.Request(
                    f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()
            assert json.loads(status("/api/sessions")[1]) == []
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/{STUDENT_NOTEBOOKS[2]}?reset&token={token}")
            wait_for_kernel_idle(page)
            page.locator(".jp-OutputArea-output .widget-box").first.wait_for(timeout=30_000)
            outputs = page.evaluate("() => [...document.querySelectorAll("
                                    "'.jp-Notebook .jp-OutputArea')].map(e => e.textContent)"
                                    ".join(' ')")
            assert "Error displaying widget" not in outputs
            assert "model not found" not in outputs
            page.close()
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/release/m06/m06-sroi.ipynb?reset&token={token}")
            page.locator(".validate-button:visible").first.wait_for(timeout=60_000)
            page.close()
        finally:
            browser.close()
