"""Issue 17, the Dutch tryout in Chromium: buttons and checkboxes cut off in Dutch ("Bewar…",
"Bewaarde klantreis oplad…", "een tariefmix gebruiken (meerdere prijz…"), amounts in the
break-even messages written "EUR 1400" in Dutch, and the canvas repr in English.

The widths are checked as tests/test_widget_inputs.py checks labels: the text measured with
DejaVu Sans at 13 px (wider than the browsers' system-ui fonts), plus what ipywidgets 8's CSS
puts around it (packages/controls/css/widgets-base.css), written out here again so the test
does not trust the code it checks.
"""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

import welfarelab
from welfarelab import finance
from welfarelab.canvas import BusinessModelCanvas, SocialBusinessModelCanvas
from welfarelab.widgets.blueprint import BlueprintEditor
from welfarelab.widgets.canvas import CanvasEditor
from welfarelab.widgets.finance import BreakEvenCalculator, LoanCalculator
from welfarelab.widgets.journey import JourneyMap

#: .jupyter-button: padding-left and -right 10px; the icon <i class="fa"> (at most 1.28 em of
#: 13 px) with margin-right 4px.
PADDING = 20
ICON = 17 + 4
#: .widget-checkbox input[type=checkbox]: 13px and margin-right 2 * 4px.
BOX = 13 + 8
#: the widths ipywidgets gives when the layout says none
DEFAULT = {"button": 148, "checkbox": 300}


def _pixels(text: str) -> float:
    import matplotlib
    from PIL import ImageFont

    path = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    return ImageFont.truetype(path, 13).getlength(text)


def needed(control) -> float:
    """What the browser needs to show the control's text uncut, in px."""
    if isinstance(control, w.Checkbox):
        return _pixels(control.description) + BOX + (88 if control.indent else 0)
    text = control.description
    if isinstance(control, w.FileUpload):  # ipywidgets 8 writes "<description> (<files>)"
        text += f" ({len(control.value)})"
    return _pixels(text) + PADDING + (ICON if control.icon else 0)


def width(control) -> float:
    given = control.layout.width
    if given is None or given == "":
        return DEFAULT["checkbox" if isinstance(control, w.Checkbox) else "button"]
    assert given.endswith("px"), (control.description, given)
    return float(given[:-2])


def every(widget):
    """Every widget inside ``widget``, hidden ones too (a hidden part can be shown later)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from every(child)


#: the widgets of the files this fix owns that have a button or a checkbox (the revenue-mix
#: and cash-flow calculators have none)
MINE = {
    "journey_map": lambda: JourneyMap(chart=False),
    "blueprint_editor": lambda: BlueprintEditor(chart=False),
    "canvas_editor": lambda: CanvasEditor(),
    "break_even_calculator": lambda: BreakEvenCalculator(chart=False),
    "break_even_calculator with a tariff mix": lambda: BreakEvenCalculator(chart=False,
                                                                           use_mix=True),
    "loan_calculator": lambda: LoanCalculator(chart=False),
    "loan_calculator comparing": lambda: LoanCalculator(chart=False, winwin_rate=0.03),
}


@pytest.fixture(params=["en", "nl"])
def language(request):
    before = welfarelab.get_language()
    welfarelab.set_language(request.param)
    yield request.param
    welfarelab.set_language(before)


@pytest.fixture
def nl():
    before = welfarelab.get_language()
    welfarelab.set_language("nl")
    yield
    welfarelab.set_language(before)


def test_the_measure_sees_the_cuts_the_student_saw():
    """The tryout's 90px "Bewaren" and 300px tariff-mix checkbox were cut: so must the
    measure say (else the test below could not fail)."""
    save = w.Button(description="Bewaren", icon="save", layout=w.Layout(width="90px"))
    assert needed(save) > width(save)
    upload = w.FileUpload(description="Bewaarde klantreis opladen",
                          layout=w.Layout(width="220px"))
    assert needed(upload) > width(upload)
    mix = w.Checkbox(description="een tariefmix gebruiken (meerdere prijzen)", indent=False)
    assert needed(mix) > width(mix) == 300
    assert needed(w.Button(description="Save", icon="save")) < 90  # English fitted


@pytest.mark.parametrize("name", sorted(MINE))
def test_no_button_or_checkbox_text_is_cut(name, language):
    """No button's, upload button's or checkbox's text is wider than its width, EN and NL."""
    view = MINE[name]()
    checked = 0
    for control in every(view.widget):
        if not isinstance(control, (w.Button, w.ToggleButton, w.FileUpload, w.Checkbox)):
            continue
        if not control.description:
            continue  # an icon-only button (the journey's trash can)
        assert needed(control) <= width(control), (
            f"{name} ({language}): {control.description!r} needs {needed(control):.0f}px "
            f"but has {control.layout.width}")
        checked += 1
    assert checked >= {"journey_map": 4, "blueprint_editor": 5, "canvas_editor": 5}.get(
        name.split()[0], 1)


def test_the_dutch_buttons_of_the_tryout_are_wider_and_the_english_ones_are_not(language):
    journey = JourneyMap(chart=False)
    canvas = CanvasEditor()
    blueprint = BlueprintEditor(chart=False)
    calc = BreakEvenCalculator(chart=False)
    widths = [journey.save_button.layout.width, journey.upload.layout.width,
              journey.load_button.layout.width, blueprint.upload.layout.width,
              canvas.upload.layout.width, canvas.draw_button.layout.width,
              calc.use_mix.layout.width]
    before = [90, 220, 90, 220, 220, 230, 300]  # px, the widths the code gave them
    pixels = [float(text[:-2]) for text in widths]
    if language == "en":  # the English edition keeps its widths; the two upload buttons
        # ("Upload a saved journey (0)") were at or over the edge and grow a little
        assert [p == b for p, b in zip(pixels, before)] == [True, False, True, False, True,
                                                               True, True], widths
        assert all(b <= p <= b + 12 for p, b in zip(pixels, before)), widths
    else:  # in Dutch every one of them was cut and is wider now
        assert journey.save_button.description == "Bewaren"
        assert all(p > b for p, b in zip(pixels, before)), widths


def test_a_button_grows_when_its_text_changes():
    editor = JourneyMap(chart=False)
    before = float(editor.save_button.layout.width[:-2])
    editor.save_button.description = "Save the journey map as a file"
    assert float(editor.save_button.layout.width[:-2]) > before
    assert needed(editor.save_button) <= width(editor.save_button)


# amounts in the break-even messages --------------------------------------------------------

ENGLISH = [
    (lambda: finance.break_even(22000, 1400, 1400),
     ("There is no break-even: the price (EUR 1400) is not above the variable cost (EUR 1400), "
     "so each unit loses money (contribution margin EUR 0). The price must be more than the "
     "variable cost per unit.")),
    (lambda: finance.break_even(22000, 1000, 1400, subsidy_per_unit=100.5),
     ("There is no break-even: the price (EUR 1000) plus the subsidy per unit (EUR 100.5) is not "
     "above the variable cost (EUR 1400), so each unit loses money (contribution margin "
     "EUR -299.5).")),
    (lambda: finance.break_even_mix(22000, {"social": (0.5, 1000), "standard": (0.5, 1200)},
                                    1400, subsidy_per_unit=50),
     ("There is no break-even: the weighted price of the tariff mix (EUR 1100) plus the subsidy "
     "per unit (EUR 50) is not above the variable cost (EUR 1400), so each unit loses money on "
     "average. Raise a price or the share of the higher tariffs.")),
]


def test_english_break_even_messages_are_unchanged():
    welfarelab.set_language("en")
    for call, text in ENGLISH:
        with pytest.raises(ValueError) as err:
            call()
        assert str(err.value) == text


def test_dutch_break_even_messages_write_belgian_amounts(nl):
    texts = []
    for call, _english in ENGLISH:
        with pytest.raises(ValueError) as err:
            call()
        texts.append(str(err.value))
    assert texts[0] == (
        "Er is geen break-evenpunt: de prijs (€\u00a01.400,00) ligt niet boven de variabele "
        "kost (€\u00a01.400,00), dus elke eenheid kost geld (dekkingsbijdrage €\u00a00,00). De "
        "prijs moet hoger zijn dan de variabele kost per eenheid.")
    assert "(€\u00a0100,50)" in texts[1] and "dekkingsbijdrage €\u00a0-299,50" in texts[1]
    assert "tariefmix (€\u00a01.100,00) plus de subsidie per eenheid (€\u00a050,00)" in texts[2]
    for text in texts:
        assert "EUR" not in text and not re.search(r"\d\.\d\d?\b(?!\d)", text), text


def test_the_dutch_break_even_calculator_shows_the_belgian_amount(nl):
    calc = BreakEvenCalculator(chart=False)
    calc.price.value = "1400"
    calc.variable_cost.value = "1400"
    shown = html.unescape(calc.message.value)
    assert "€\u00a01.400,00" in shown and "EUR 1400" not in shown, shown


# the canvas repr ---------------------------------------------------------------------------

def test_canvas_repr_in_english_is_unchanged():
    welfarelab.set_language("en")
    canvas = SocialBusinessModelCanvas(title="Buddy")
    assert repr(canvas) == "SocialBusinessModelCanvas(title='Buddy', 0 of 13 blocks filled)"
    assert repr(BusinessModelCanvas()) == "BusinessModelCanvas(title='', 0 of 9 blocks filled)"


def test_canvas_repr_in_dutch_keeps_the_class_name(nl):
    canvas = SocialBusinessModelCanvas(title="Buddy")
    for block in canvas.BLOCKS:
        canvas.texts[block.id] = "iets"
    assert repr(canvas) == (
        "SocialBusinessModelCanvas(title='Buddy', 13 van de 13 bouwstenen ingevuld)")
