"""The Dutch break-even calculator (m04) in JupyterLab, driven by headless Chromium (issue 17).

A notebook that calls ``welfarelab.set_language("nl")`` shows the calculator; a student types
the Belgian number ``1.000,50`` as the price and reads the Dutch result, then types ``abc`` and
reads a Dutch message. The notebook is a scratch one written here with the calculator's default
(m04) numbers, so the test does not depend on the translated m04 notebook's other cells.
Screenshots go to test-artifacts/browser/.
"""

import nbformat
import pytest
from babel.numbers import format_decimal
from browser_util import ARTIFACTS, chromium, course_lab, open_notebook, require_chromium, run_all
from conftest import REPO

from welfarelab.finance import break_even

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

SCRATCH = "notebooks/nl/scratch-break-even.ipynb"


def _scratch_notebook(root):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import welfarelab\nwelfarelab.set_language(\"nl\")"),
        nbformat.v4.new_code_cell("from welfarelab.widgets import break_even_calculator\n\n"
                                  "break_even_calculator()"),
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


def _box(page, label):
    box = page.locator(f".widget-text:has(label:text-is('{label}')) input").first
    box.scroll_into_view_if_needed()
    return box


def _type(box, text):
    box.fill(text)
    box.press("Enter")


def test_dutch_break_even_calculator_reads_belgian_numbers(browser, lab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_notebook(browser, lab, SCRATCH)
    run_all(page)
    summary = page.locator("table.welfarelab-finance").first
    summary.wait_for(timeout=60_000)
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, "a cell of the scratch notebook shows an error"
    assert "deelnemers per jaar" in summary.inner_text()

    _type(_box(page, "variabele kost (EUR per deelnemer)"), "500")
    price = _box(page, "prijs (EUR per deelnemer)")
    _type(price, "1.000,50")
    units = break_even(fixed_costs=175_000, price=1000.5, variable_cost=500,
                       subsidy=60_000).units
    expected = f"{format_decimal(units, format='#,##0.00', locale='nl_BE')} deelnemers per jaar"
    page.wait_for_function(
        "t => [...document.querySelectorAll('table.welfarelab-finance')]"
        ".some(e => e.innerText.includes(t))", arg=expected, timeout=30_000)
    assert "Dekkingsbijdrage" in page.locator("table.welfarelab-finance").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "nl-m04-break-even.png"), full_page=False)

    _type(price, "abc")
    alert = page.locator("[role=alert]:has-text(\"prijs moet een getal zijn, maar je typte "
                         "'abc'\")").first
    alert.wait_for(timeout=30_000)
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "nl-m04-bad-input.png"), full_page=False)
    assert not errors, errors
    page.close()
