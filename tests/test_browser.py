"""Check 8 of DESIGN.md: a student's view in JupyterLab, driven by headless Chromium.

The module notebook runs top to bottom, the SROI calculator renders, typing a new investment
changes the ratio to the right value, a typed word shows a readable message; on the blank
release notebook nbgrader's Validate button reports failing tests. Screenshots are kept in
test-artifacts/browser/.
"""

import os

import pytest
from browser_util import (
    ARTIFACTS,
    chromium,
    course_lab,
    open_notebook,
    require_chromium,
    run_all,
)
from conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with course_lab(REPO, tmp_path_factory) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_m06_calculator_reacts_to_the_student(browser, lab):
    from welfarelab.impact import sroi
    from welfarelab.widgets.sroi import SROICalculator

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_notebook(browser, lab, "notebooks/m06-measuring-social-impact.ipynb")
    run_all(page)
    summary = page.locator("table.welfarelab-sroi").first
    summary.wait_for(timeout=60_000)
    summary.scroll_into_view_if_needed()
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, "a cell of the module notebook shows an error"

    expected_default = sroi(SROICalculator(chart=False).outcomes(), 120_000).ratio
    assert f"{expected_default:.2f} : 1" in summary.inner_text()

    box = page.locator(".widget-text:has(label:text-is('investment (EUR)')) input").first
    box.scroll_into_view_if_needed()
    box.fill("60000")
    box.press("Enter")
    expected = sroi(SROICalculator(chart=False).outcomes(), 60_000).ratio
    page.wait_for_function(
        "t => [...document.querySelectorAll('table.welfarelab-sroi')].some(e => e.innerText.includes(t))",
        arg=f"{expected:.2f} : 1", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "m06-calculator.png"), full_page=False)

    box.fill("sixty thousand")
    box.press("Enter")
    alert = page.locator("[role=alert]:has-text('investment must be a number')").first
    alert.wait_for(timeout=30_000)
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "m06-bad-input.png"), full_page=False)
    assert not errors, errors
    page.close()


def test_validate_reports_failures_on_the_blank_release(browser, lab):
    page, _errors = open_notebook(browser, lab, "release/m06/m06-sroi.ipynb")
    page.locator(".validate-button:visible").first.click()
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=120_000)
        page.wait_for_function(
            "() => { const d = document.querySelector('.jp-Dialog');"
            " return d && /fail|error/i.test(d.innerText); }", timeout=120_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "m06-validate.png"))
    text = dialog.inner_text()
    assert "failed" in text.lower() or "error" in text.lower(), text[:500]
    page.close()


MODULE_NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("name", MODULE_NOTEBOOKS)
def test_module_notebook_runs_in_jupyterlab_and_shows_its_widgets(browser, lab, name):
    """Each module as a student opens it: Run All, no error output, the calculators render."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_notebook(browser, lab, f"notebooks/{name}")
    run_all(page)
    page.wait_for_timeout(1500)
    tracebacks = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'],"
                              " .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, f"{name}: a cell shows an error after Run All"
    widgets = page.locator(".jp-OutputArea-output .widget-box, .jp-OutputArea-output .widget-html")
    widgets.first.wait_for(timeout=60_000)
    assert widgets.count() > 0, f"{name}: no calculator widget rendered"
    assert page.locator(".jp-Dialog").count() == 0, "a pop-up covers the notebook"
    widgets.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name.removesuffix('.ipynb')}.png"))
    assert not errors, errors
    page.close()


def test_m07_pitch_builder_counts_words_as_the_student_types(browser, lab):
    page, errors = open_notebook(browser, lab, "notebooks/m07-pitching-and-storytelling.ipynb")
    run_all(page)
    problem = page.locator(".jp-OutputArea-output textarea").first
    problem.wait_for(timeout=60_000)
    problem.scroll_into_view_if_needed()
    problem.fill("Young refugees in Belgium rarely find work that uses their talents.")
    problem.press("Tab")  # the text box updates the model when it loses focus
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output .widget-html')]"
        ".some(e => /\\b11 \\/ \\d+ words/.test(e.innerText))", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "m07-pitch-builder.png"))
    assert not errors, errors
    page.close()


README_NOTEBOOKS = ["notebooks/m00-start-here.ipynb", "notebooks/m04-social-business-models.ipynb",
                    "notebooks/m06-measuring-social-impact.ipynb"]


def test_make_start_as_the_readme_says_shows_every_figure_as_an_image(browser, tmp_path):
    """Issue 13: the README's start, a clone and ``make start``, in the reader's environment
    (no MPLBACKEND, no settings of the test's): m00, m04 and m06 run and each figure they draw
    (counted by an nbclient run) shows as an image, none as ``<Figure size ...>`` text.

    The clone uses the .venv that ``make test`` built (its files are dated before the venv, and
    a dry run checks that make would not rebuild it); JupyterLab autosaves into the clone, never
    into this checkout. This is the lecturer's door: the Nbgrader menu is there (the student
    edition's test checks that it is not)."""
    import subprocess

    from browser_util import check_every_figure_is_an_image, readme_environment, started_by

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.split("\n## Start\n", 1)[1].split("\n## ", 1)[0]
    assert "git clone" in start and "make start" in start
    clone = tmp_path / "welfare-course"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    venv = REPO / ".venv"
    (clone / ".venv").symlink_to(venv)
    before_venv = (venv / "pyvenv.cfg").stat().st_mtime - 60
    for path in clone.rglob("*"):
        if ".git" not in path.relative_to(clone).parts[:1] and path.name != ".venv":
            os.utime(path, (before_venv, before_venv), follow_symlinks=False)
    dry = subprocess.run(["make", "-n", "start"], cwd=clone, capture_output=True, text=True,
                         check=True).stdout
    assert "-m venv" not in dry and "pip install" not in dry, "make start would rebuild .venv"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with started_by(["make", "start"], clone, readme_environment(),
                    ARTIFACTS / "make-start.log", timeout=180) as (base, token):
        for path in README_NOTEBOOKS:
            page = check_every_figure_is_an_image(browser, base, token, clone, path, "make-start")
            assert "Nbgrader" in page.locator(".lm-MenuBar-content").inner_text()
            page.close()
