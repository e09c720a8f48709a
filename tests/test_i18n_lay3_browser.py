"""The Dutch pitch builder, theory-of-change builder and social enterprise explorer in
JupyterLab, driven by headless Chromium (issue 17, lay3).

What tests/test_i18n_lay3.py computes with DejaVu Sans is checked here where the student sees
it: no button's or checkbox's text is cut (its text is not wider than its box, which is what
ipywidgets' ``text-overflow: ellipsis`` shows as "…"), and the long checklist texts of the
enterprise explorer wrap onto more lines within their 640px row. Screenshots go to
test-artifacts/browser/.
"""

import nbformat
import pytest
from browser_util import ARTIFACTS, chromium, course_lab, open_notebook, require_chromium, run_all
from conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

SCRATCH = "notebooks/nl/scratch-lay3.ipynb"

#: (JavaScript) every visible button, upload button and checkbox text whose content is wider
#: than the room it has, as "text: needed > room"
CUT = """() => {
    const cut = [];
    const seen = el => el.offsetParent !== null;
    for (const b of document.querySelectorAll('.jp-Notebook button.jupyter-button')) {
        if (seen(b) && b.scrollWidth > b.clientWidth + 1)
            cut.push(`${b.innerText}: ${b.scrollWidth} > ${b.clientWidth}`);
    }
    for (const box of document.querySelectorAll('.jp-Notebook .widget-checkbox input')) {
        const label = box.parentElement;  // <label><input><span>text</span></label>
        if (seen(label) && label.innerText && label.scrollWidth > label.clientWidth + 1)
            cut.push(`${label.innerText}: ${label.scrollWidth} > ${label.clientWidth}`);
    }
    return cut;
}"""

#: (JavaScript) the wrapped checklist labels: [text, height, width, row width, lines]
WRAPPED = """() => [...document.querySelectorAll('.jp-Notebook .widget-html-content div')]
    .filter(d => d.style.whiteSpace === 'normal' && d.offsetParent !== null)
    .map(d => [d.innerText, d.getBoundingClientRect().height, d.scrollWidth,
               d.closest('.widget-hbox').getBoundingClientRect().width,
               Math.round(d.getBoundingClientRect().height
                          / parseFloat(getComputedStyle(d).lineHeight))])"""


def _scratch_notebook(root):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import welfarelab\nwelfarelab.set_language(\"nl\")"),
        nbformat.v4.new_code_cell("from welfarelab.widgets.pitch import pitch_builder\n\n"
                                  "pitch_builder()"),
        nbformat.v4.new_code_cell("from welfarelab.widgets import theory_of_change_builder\n\n"
                                  "theory_of_change_builder()"),
        nbformat.v4.new_code_cell("from welfarelab.widgets import social_enterprise_explorer"
                                  "\n\nsocial_enterprise_explorer()"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    (root / SCRATCH).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / SCRATCH)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with course_lab(REPO, tmp_path_factory, prepare=_scratch_notebook) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_dutch_buttons_and_checklists_are_not_cut(browser, lab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_notebook(browser, lab, SCRATCH)
    run_all(page)
    page.locator(".widget-tab").first.wait_for(timeout=60_000)
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, "a cell of the scratch notebook shows an error"
    for text in ("Bewaren", "Openen", "Bewaard bestand laden"):
        assert page.locator(f"button.jupyter-button:has-text('{text}')").count() >= 1, text

    assert page.evaluate(CUT) == []

    wrapped = page.evaluate(WRAPPED)
    assert [row[0][:24] for row in wrapped] == ["bestuur: een participati",
                                                "de organisatie of de eig"], wrapped
    for text, height, text_width, row_width, lines in wrapped:
        assert lines >= 2, (text, height)  # it wraps ...
        assert row_width <= 641 and text_width <= row_width, (text, text_width, row_width)
    page.locator(".widget-tab").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "nl-m01-enterprise-checklist.png"), full_page=False)

    # the second tab: the needs (all fit on one line, none cut)
    page.locator(".widget-tab .lm-TabBar-tab").nth(1).click()
    page.wait_for_timeout(500)
    assert page.evaluate(CUT) == []
    assert not errors, errors
    page.close()
