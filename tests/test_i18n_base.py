"""The calculators' shared look in Dutch (issue 17): welfarelab.widgets._base.

The layout's heading, the message box of a bad input, the kept chart's text alternative (its
caption, the PNG's Description and the Output's text/plain), the placeholder under nbgrader
and the download link's default words, in Dutch after ``set_language("nl")``, and the same
texts byte for byte as before in English.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image

import welfarelab
from welfarelab.widgets import _base


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    yield
    welfarelab.set_language("en")


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


def _description(png: bytes) -> str:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return image.text["Description"]


def _heading(calc) -> str:
    """The bold heading above the result (the right column of ``calculator_layout``)."""
    top = calc.widget.children[0]
    return top.children[1].children[0].value


def test_the_calculator_layout_in_dutch(dutch):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator()
    assert _heading(calc) == "<b>Resultaat</b>"
    calc.price.value = "abc"
    message = calc.message.value
    assert 'role="alert"' in message and "<b>⚠ Controleer je invoer</b>" in message
    assert "prijs moet een getal zijn, maar je typte 'abc'" in _plain(message)
    assert calc.chart_out.outputs == ()  # no chart after a bad input


def test_the_chart_text_alternative_in_dutch(dutch):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator()  # 175.000 - 60.000 to cover, 4.000 a participant: 28,75
    alt = ("Break-evengrafiek: de omzetlijn snijdt de te dekken kosten bij 28,75 deelnemers "
           "per jaar (€\u00a0172.500,00 omzet); links van dat punt maak je verlies, rechts "
           "ervan een overschot.")
    view = calc.chart_view
    assert view.alt == alt
    assert _description(view.png) == alt
    assert 'class="welfarelab-chart-text"' in view.caption.value
    assert _plain(view.caption.value).strip() == alt
    (shown,) = calc.chart_out.outputs
    assert shown["data"]["text/plain"] == ("Figuur: de grafiek van een rekenhulp (voer het "
                                           "notebook uit om de grafiek te zien).")
    calc.price.value = "5.000"  # a Belgian thousands point: 115.000 / 3.000 = 38,33
    assert "bij 38,33 deelnemers per jaar (€\u00a0191.666,67 omzet)" in view.alt
    assert _description(view.png) == view.alt


def test_the_sroi_chart_text_alternative_in_dutch(dutch):
    from welfarelab.widgets.sroi import SROICalculator

    alt = SROICalculator().chart_view.alt
    assert alt.startswith("Watervaldiagram: de brutowaarde van €\u00a0")
    assert "(SROI-ratio 2,19 : 1)" in alt


def test_the_placeholder_under_nbgrader_in_dutch(dutch, monkeypatch):
    from welfarelab.widgets.finance import break_even_calculator

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert break_even_calculator().value == (
        "<i>Uitgeschakeld zolang nbgrader verbetert: break-evenrekenhulp.</i>")


def test_the_download_link_and_the_missing_alt_in_dutch(dutch):
    link = _base.download_link(b"{}", "plan.json")
    assert _plain(link).strip() == "⬇ plan.json downloaden"
    assert 'download="plan.json"' in link and "data:application/json;base64,e30=" in link
    from welfarelab.widgets.finance import CashFlowCalculator

    calc = CashFlowCalculator()
    with pytest.raises(TypeError, match="het tekstalternatief van de grafiek"):
        calc.chart_view.show(lambda ax: None, " ")


def test_the_english_texts_are_unchanged():
    """The English edition stays byte for byte what it was before the texts were marked."""
    from welfarelab.widgets.finance import BreakEvenCalculator

    assert welfarelab.get_language() == "en"
    calc = BreakEvenCalculator()
    assert _heading(calc) == "<b>Result</b>"
    (shown,) = calc.chart_out.outputs
    assert shown["data"]["text/plain"] == "Figure: a calculator chart (run the notebook to see it)."
    assert calc.chart_view.alt.startswith("Break-even chart: the revenue line crosses the costs "
                                          "to cover at 28.75 participants per year")
    calc.price.value = "abc"
    assert ('<div role="alert" style="border-left:4px solid #D55E00;padding:4px 8px;'
            'margin:4px 0"><b>⚠ Please check your input</b><br>') in calc.message.value
    assert _base.message_html("note", "info") == (
        '<div role="alert" style="border-left:4px solid #0072B2;padding:4px 8px;'
        'margin:4px 0"><b>ℹ </b><br>note</div>')
    assert _base.grading_placeholder("SROI calculator").value == (
        "<i>The SROI calculator is switched off while nbgrader grades.</i>")
    assert _plain(_base.download_link(b"{}", "plan.json")).strip() == "⬇ Download plan.json"
    with pytest.raises(TypeError, match=r"alt \(the chart's text alternative\) must be"):
        calc.chart_view.show(lambda ax: None, "")
