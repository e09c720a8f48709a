"""The same corpus of beginner mistakes against every input of every calculator widget.

Issue 14: "each bad value gets a message in the widget that names the field and what to type;
nothing is clamped or reinterpreted silently (a percent in a money field, fractions of people,
0 years)". This file

* enumerates the calculators the package offers (every ``*_calculator`` that
  :mod:`welfarelab.widgets` lists, and the class it shows), makes each with its defaults as the
  notebooks do (``chart=False`` for speed; one test below checks the chart too),
* walks the displayed widget tree and finds every input control,
* tells each control's kind from its label as the student reads it (EUR -> money, % -> percent,
  years, months, people or participants -> a count), not from what the code says about itself,
* feeds each the bad values of its kind, as a student types them in the browser, and
* prints a table: widget, input, bad values tried, answered with a message (naming the field
  and what to type), vague (an error that does not), silently accepted or changed (must be 0),
  and values that cannot be typed (a slider without a typeable readout).

Measured with this corpus on the code before issue 14's fix: 74 inputs, 419 bad values, 118
answered, 62 vague, 239 silent. After: 329 answered, 90 not typeable, 0 vague, 0 silent.

How a typed value reaches the kernel depends on the control (ipywidgets 8.1, JavaScript of
``@jupyter-widgets/controls`` as shipped in jupyterlab_widgets 3.0.17, checked in
``share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/static``):

* ``Text``: the string as typed (``TextView.handleChanged``), so the test sets ``.value``.
* ``IntText``/``BoundedIntText``: ``parseInt`` of the text, then clamped to ``min``/``max``
  without a word (``IntTextView.handleChanged``); text that is not a number is put back.
* Slider readouts (``readout=True``): the readout is ``contentEditable``; ``handleTextChange``
  parses it (``parseInt``/``parseFloat``), clamps to ``min``/``max`` and puts back what does
  not parse, again without a word. A slider with ``readout=False`` cannot be typed into.
  :func:`_browser_value` reproduces these rules so the kernel sees what a browser would send.
"""

from __future__ import annotations

import html
import importlib
import math
import re

import ipywidgets as w
import pytest

from welfarelab import widgets

# ------------------------------------------------------------------------------ the corpus

#: Bad values per kind of field, as a student types them. ``refuse``: must give an error
#: message naming the field and what to type. ``explain``: may be used, but only with a note
#: naming the field and what to type instead (a percent field given 0.25: a quarter of one
#: percent, or a share meant as 25 %?).
CORPUS = {
    "money": {"refuse": ["35%", "4.800", "30.000", "-5", "", "abc", "1e400"], "explain": []},
    # the English edition reads a decimal comma where it cannot group thousands (12,5), so
    # "0,25" is 0.25: in a percent field that is a quarter of one percent, explained.
    "percent": {"refuse": ["150", "-5", "", "abc"], "explain": ["0,25", "0.25"]},
    "count": {"refuse": ["36.5", "-1", "0", "", "abc", "12%"], "explain": []},
    "years": {"refuse": ["0", "2.5", "600", "-1", "", "abc"], "explain": []},
    "months": {"refuse": ["0", "2.5", "601", "-1", "", "abc"], "explain": []},
}

#: (field, value) pairs of a refuse list that a calculator may use with a note instead,
#: because the value has a meaning there: 0 people leaves an SROI outcome out.
EXPLAINED_INSTEAD = {("quantity", "0")}

#: (field, value) pairs that are not mistakes in that field: a dot-vote box may hold 0 dots,
#: and an empty box is no dots (test_an_empty_or_zero_dot_box_is_no_dots checks it).
NOT_BAD = {("dots", "0"), ("dots", "")}

#: Inputs that may be left empty on purpose; the summary must then say so (not a silent 0).
OPTIONAL = {"planned participants": "Type the planned participants",
            "total expenses": "no total expenses given"}

#: Good values per kind that must be read as the student means them (value, as number).
GOOD = {"money": [("12 000", 12_000), ("12000,50", 12_000.5)],
        "percent": [("25%", 25), ("25", 25), ("1.5", 1.5)],
        "count": [("12", 12)], "years": [("3", 3)], "months": [("12", 12)]}


def widget_classes(suffix: str = ""):
    """(factory name, class) of every widget welfarelab.widgets offers whose name ends with
    ``suffix`` (all of them for ""): the factory shows the class of the same name."""
    found = []
    for name in dir(widgets):
        if name.startswith("_") or not name[0].islower() or not name.endswith(suffix):
            continue
        if not callable(getattr(widgets, name)) or name not in widgets.__dir__():
            continue
        if getattr(widgets, name).__module__ == widgets.__name__:
            continue
        module = importlib.import_module(getattr(widgets, name).__module__)
        wanted = name.replace("_", "").lower()
        classes = [obj for obj in vars(module).values()
                   if isinstance(obj, type) and obj.__name__.lower() == wanted]
        assert len(classes) == 1, f"{name}: no class {wanted!r} in {module.__name__}"
        found.append((name, classes[0]))
    return found


CALCULATORS = widget_classes("_calculator")
#: Other widgets in which a student types or slides a number (the m03 dot-vote board's boxes);
#: their sliders are checked by test_sliders_cannot_be_typed_into_and_show_their_value.
BOARDS = [(n, c) for n, c in widget_classes() if n == "dot_vote_board"]


def make(cls):
    """The widget with its defaults, as a notebook makes it (no chart where it can be off)."""
    import inspect

    return cls(chart=False) if "chart" in inspect.signature(cls).parameters else cls()


def walk(widget):
    """Every widget shown inside ``widget`` (boxes, tabs, accordions, grids), depth first;
    a hidden part (``layout.display == "none"``) is left out, as the student cannot see it."""
    layout = getattr(widget, "layout", None)
    if layout is not None and layout.display == "none":
        return
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def label_of(control) -> str:
    """The words a student reads for a control: its description, or the tooltip/placeholder of
    a table cell (the column header carries the unit), or the label shown above it."""
    for text in (getattr(control, "description", ""), getattr(control, "tooltip", None),
                 getattr(control, "placeholder", "")):
        if text:
            return str(text)
    return ""


def kind_of(label: str) -> str | None:
    """The kind of a field from its label and unit, as a student reads it."""
    if "%" in label:
        return "percent"
    if "EUR" in label:
        return "money"
    if "month" in label:
        return "months"
    if "years" in label:
        return "years"
    if "people" in label or "participant" in label or label.startswith("dots"):
        return "count"
    return None  # a name, a choice, a switch: not a number field


def field_name(label: str) -> str:
    """The field's name without its unit: 'financial proxy (EUR ...)' -> 'financial proxy';
    a table cell's 'price of tariff 2 (EUR ...)' -> 'price'."""
    name = label.split(" (")[0]
    return re.split(r" of (tariff|source) \d+", name)[0]


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def inputs(calc):
    """(label, kind, control) of every number input the calculator shows; a label seen before
    (the same field of the next outcome) gets its number: 'quantity (people or units) #2'."""
    found, seen = [], {}
    for control in walk(calc.widget):
        if isinstance(control, (w.Text, w.IntText, w.BoundedIntText, w.FloatText,
                                w.BoundedFloatText, w.IntSlider, w.FloatSlider)):
            label = label_of(control)
            kind = kind_of(label)
            if kind:
                seen[label] = seen.get(label, 0) + 1
                shown = label if seen[label] == 1 else f"{label} #{seen[label]}"
                found.append((shown, kind, control))
    return found


def _js_number(text: str, integer: bool) -> float:
    """JavaScript's parseInt/parseFloat: the longest number at the start, else NaN."""
    match = re.match(r"\s*[-+]?\d+" if integer else r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?",
                     text)
    return float(match.group(0)) if match else math.nan


def _browser_value(control, typed: str):
    """What the kernel receives when a student types ``typed`` into ``control`` (see the
    module docstring), or None when the browser refuses to send anything (no typing possible
    or text put back)."""
    if isinstance(control, w.Text):
        return typed
    if isinstance(control, (w.IntSlider, w.FloatSlider)) and not control.readout:
        return None  # nothing to type into
    integer = isinstance(control, (w.IntSlider, w.IntText, w.BoundedIntText))
    value = _js_number(typed, integer)
    if math.isnan(value):
        return "put back"
    low, high = getattr(control, "min", None), getattr(control, "max", None)
    if high is not None:
        value = min(high, value)
    if low is not None:
        value = max(low, value)
    return int(value) if integer else value


def _state(calc):
    """What the widget shows: (result, message text, summary HTML; a board's tally table)."""
    summary = calc.summary if hasattr(calc, "summary") else calc.table
    return calc.result, plain(calc.message.value), summary.value


def _answers(message: str, name: str) -> bool:
    """True when the message names the field and tells what to type."""
    return name.lower() in message.lower() and "type" in message.lower()


def try_value(calc, label, kind, control, typed, expect):
    """Feed one value; return 'message' (names the field and what to type), 'no typing',
    'vague: <why>' (an error shows, but it does not name the field or say what to type) or
    'silent: <why>' (no word, or the value was changed)."""
    name = field_name(label.split(" #")[0])
    if name.startswith("dots from"):
        name = "dots"  # "dots from An on app": the message names person and idea
    before = control.value
    sent = _browser_value(control, typed)
    try:
        if sent is None:
            return "no typing"
        if sent == "put back":
            return "silent: the browser puts the old value back without a word"
        control.value = sent
        result, message, summary = _state(calc)
        if typed == "" and name in OPTIONAL:
            return ("message" if OPTIONAL[name] in html.unescape(summary)
                    else f"silent: empty {name} not explained")
        if sent != typed and str(sent) != typed:
            if _answers(message, name):
                return "message"
            return f"silent: {typed!r} became {sent!r}"
        if not message.strip():
            return "silent: accepted without a word"
        if not _answers(message, name):
            return f"vague: {message.strip()[:90]!r}"
        if expect == "refuse" and (name, typed) not in EXPLAINED_INSTEAD and (
                result is not None or summary):
            return "silent: a result is shown beside the error"
        if expect == "explain" and result is None:
            return "message"  # refused is acceptable too
        return "message"
    finally:
        control.value = before


def forms():
    """(calculator name, calculator) for each state of each form: the break-even calculator
    twice, with one price and with the tariff table (its other inputs are then hidden)."""
    for name, cls in CALCULATORS + BOARDS:
        yield name, make(cls)
        calc = make(cls)
        if hasattr(calc, "use_mix"):
            calc.use_mix.value = True
            yield name + " (mix)", calc


def run_corpus():
    """Every (calculator, label, kind, typed, outcome) of the corpus."""
    rows, seen = [], set()
    for name, calc in forms():
        for label, kind, control in inputs(calc):
            key = (name.split(" ")[0], label)
            if key in seen:
                continue  # an input shown in both states of a form is tried once
            seen.add(key)
            short = "dots" if label.startswith("dots") else field_name(label.split(" #")[0])
            for expect in ("refuse", "explain"):
                for typed in CORPUS[kind][expect]:
                    if (short, typed) in NOT_BAD:
                        continue
                    rows.append((name, label, kind, typed,
                                 try_value(calc, label, kind, control, typed, expect)))
    return rows


def table(rows) -> str:
    """The printed table: one line per input, totals at the end."""
    head = (f"{'widget':28} {'input':42} {'tried':>5} {'message':>7} {'vague':>5} "
            f"{'silent':>6} {'no typing':>9}")
    lines = [head]
    per_input = {}
    for name, label, _kind, _typed, outcome in rows:
        counts = per_input.setdefault((name, label), [0, 0, 0, 0, 0])
        counts[0] += 1
        counts[1] += outcome == "message"
        counts[2] += outcome.startswith("vague")
        counts[3] += outcome.startswith("silent")
        counts[4] += outcome == "no typing"
    for (name, label), c in per_input.items():
        lines.append(f"{name:28} {label[:42]:42} {c[0]:5} {c[1]:7} {c[2]:5} {c[3]:6} {c[4]:9}")
    t = [sum(c[i] for c in per_input.values()) for i in range(5)]
    lines.append(f"{'TOTAL (' + str(len(per_input)) + ' inputs)':71} {t[0]:5} {t[1]:7} {t[2]:5} "
                 f"{t[3]:6} {t[4]:9}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ the tests

def test_every_calculator_is_found_with_its_inputs():
    names = [name for name, _ in CALCULATORS]
    assert set(names) >= {"sroi_calculator", "break_even_calculator", "loan_calculator",
                          "cash_flow_calculator", "revenue_mix_calculator"}
    for name, cls in CALCULATORS:
        found = inputs(cls(chart=False))
        assert len(found) >= 3, f"{name}: only {len(found)} number inputs found"


def test_no_bad_value_is_silently_accepted_or_changed(capsys):
    rows = run_corpus()
    with capsys.disabled():  # the table shows in every run, make test's too
        print("\n" + table(rows), flush=True)
    wrong = [(n, label, typed, outcome) for n, label, _k, typed, outcome in rows
             if outcome.startswith(("silent", "vague"))]
    assert len(rows) > 300
    assert wrong == [], "\n".join(map(str, wrong[:40]))


def test_good_values_are_read_as_the_student_means_them():
    """The corpus's other half: what a student types right is used as typed (not refused,
    not changed): '12 000' is 12000, '25%' in a percent field is 25 %, '1.5' there is 1.5 %."""
    from welfarelab.widgets import _inputs

    tried = 0
    for name, calc in forms():
        for label, kind, control in inputs(calc):
            if not isinstance(control, w.Text):
                continue
            for typed, expected in GOOD[kind]:
                before = control.value
                control.value = typed
                try:
                    assert _inputs.read(control) == pytest.approx(expected), (name, label, typed)
                    tried += 1
                finally:
                    control.value = before
    assert tried > 40


# the widths of labels ------------------------------------------------------------------

def _label_pixels(text: str) -> float:
    """Width of ``text`` in px at JupyterLab's widget font size (13 px, --jp-ui-font-size1),
    measured with DejaVu Sans (matplotlib's font, wider than the system-ui fonts browsers use
    for the label, so a label that fits here fits there)."""
    import matplotlib
    from PIL import ImageFont

    path = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    return ImageFont.truetype(path, 13).getlength(text)


#: ipywidgets' .widget-inline-hbox .widget-label has margin-right: 2 * 4px
#: (packages/controls/css/widgets-base.css).
LABEL_MARGIN = 8


@pytest.fixture(params=["en", "nl"])
def language(request):
    """Each widget built in English and in the Dutch edition (welfarelab.set_language)."""
    import welfarelab

    before = welfarelab.get_language()
    welfarelab.set_language(request.param)
    yield request.param
    welfarelab.set_language(before)


def test_no_label_is_cut_at_the_default_width(language):
    """Issue 14 saw "financial proxy (EUR per unit per ye…". ipywidgets cuts a description
    wider than its description_width with an ellipsis (white-space: nowrap; text-overflow:
    ellipsis), so every label of every widget must fit its width, in both editions (the Dutch
    tryout saw "financiële proxy (EUR per eenheid per …")."""
    measured = 0
    for name, cls in widget_classes():
        calc = make(cls)
        for control in walk(calc.widget):
            if isinstance(control, (w.Button, w.ToggleButton, w.FileUpload, w.Checkbox)):
                continue  # a button's or checkbox's text is not a description label
            text = getattr(control, "description", "")
            style = getattr(control, "style", None)
            width = getattr(style, "description_width", "") if style is not None else ""
            if not text or not width.endswith("px"):
                continue
            needed = _label_pixels(text) + LABEL_MARGIN
            assert needed <= float(width[:-2]), (
                f"{name} ({language}): the label {text!r} needs {needed:.0f}px but has {width}")
            measured += 1
    assert measured > 40
    assert _label_pixels("financial proxy (EUR per unit per year)") > 230  # the cut one


# sliders, the Enter hint, notes, charts, grading -----------------------------------------

def test_sliders_cannot_be_typed_into_and_show_their_value():
    """A typed slider readout is clamped by the browser without a word (module docstring), so
    no slider of any widget has one; the value is shown beside it instead and follows it."""
    sliders = 0
    for name, cls in widget_classes():
        calc = make(cls)
        for control in walk(calc.widget):
            if isinstance(control, (w.IntSlider, w.FloatSlider)):
                assert control.readout is False, f"{name}: {control.description} has a readout"
                shown = control._welfarelab_shown
                assert any(shown is c for c in walk(calc.widget)), "value not shown"
                before = control.value
                control.value = control.max
                at_max = shown.value
                control.value = control.min
                assert str(int(control.max)) in at_max and shown.value != at_max, (
                    name, control.description, at_max, shown.value)
                control.value = before
                sliders += 1
    # SROI: discount rate + 4 per outcome; cash flow: 2; impact-effort matrix: 2 per idea;
    # competence radar: 8 now + 8 goal; stakeholder grid: 2 per row
    assert sliders >= 1 + 3 * 4 + 2 + 16


def test_every_calculator_says_that_a_box_updates_on_enter():
    from welfarelab.widgets import _inputs

    for name, calc in forms():
        texts = [c.value for c in walk(calc.widget) if isinstance(c, w.HTML)]
        assert any(_inputs.ENTER_HINT in t for t in texts), name
        for _label, _kind, control in inputs(calc):
            if isinstance(control, w.Text):
                assert control.continuous_update is False
                if control.description:  # a table cell's placeholder is its label
                    assert control.placeholder == _inputs.TYPE_THEN_ENTER


def test_a_share_typed_in_a_percent_field_is_used_with_a_note():
    from welfarelab.widgets.finance import LoanCalculator

    loan = LoanCalculator(chart=False)
    loan.annual_rate.value = "0,045"
    assert loan.inputs["annual_rate"] == pytest.approx(0.00045)  # 0.045 %, as typed
    message = plain(loan.message.value)
    assert "annual interest rate: you typed 0,045, which is 0.045 %" in message
    assert "If you meant 4.5 %, type 4.5." in message
    loan.annual_rate.value = "4.5"
    assert loan.message.value == "" and loan.inputs["annual_rate"] == pytest.approx(0.045)


def test_fewer_months_to_plan_moves_the_tranche_month_and_says_so():
    from welfarelab.widgets.finance import CashFlowCalculator

    cf = CashFlowCalculator(chart=False)
    cf.months.value = 20
    cf.tranche_month.value = 18
    assert cf.message.value == ""
    cf.months.value = 12
    assert cf.tranche_month.value == 12
    assert cf.inputs["tranches"] == {12: 75_000}
    assert "month 18 is after the last month you plan, so it is now month 12" in plain(
        cf.message.value)
    cf.tranche_month.value = 6  # the student moves it: the note has done its work
    assert cf.message.value == ""


@pytest.mark.parametrize("name,cls", CALCULATORS, ids=[n for n, _ in CALCULATORS])
def test_after_a_bad_value_the_chart_shows_nothing_then_comes_back(name, cls):
    calc = cls(chart=True)
    _label, kind, control = inputs(calc)[0]
    assert calc.chart_out.outputs, f"{name}: no chart at the start"
    good = control.value
    control.value = CORPUS[kind]["refuse"][-1]
    assert calc.result is None and calc.summary.value == ""
    assert calc.chart_out.outputs == (), f"{name}: a chart of old values beside an error"
    control.value = good
    assert calc.result is not None and calc.chart_out.outputs


@pytest.mark.parametrize("name", [n for n, _ in CALCULATORS])
def test_under_nbgrader_the_calculators_do_no_work(name, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    cls = dict(CALCULATORS)[name]
    monkeypatch.setattr(cls, "__init__", lambda *a, **k: pytest.fail("built while grading"))
    shown = getattr(widgets, name)()
    assert isinstance(shown, w.HTML) and "switched off while nbgrader grades" in shown.value


def test_an_empty_or_zero_dot_box_is_no_dots():
    (_name, cls), = BOARDS
    board = make(cls)
    voter = next(iter(board.cells))
    cells = board.cells[voter]
    placed = [idea for idea, cell in cells.items() if cell.value not in ("", "0")]
    cells[placed[0]].value = ""
    assert board.message.value == "" and board.result is not None
    assert placed[0] not in board.votes()[voter]
    cells[placed[0]].value = "0"
    assert placed[0] not in board.votes()[voter] and board.message.value == ""


@pytest.mark.parametrize("typed,shown", [
    ("35%", "investment is not a percentage: type the number from your calculator without %"),
    ("-5", "investment cannot be negative: type the number"),
    ("4.800", "4.800 could be four thousand eight hundred or four point eight: type 4800 or 4.8"),
])
def test_the_pitch_figures_refuse_a_percent_a_minus_and_an_ambiguous_point(typed, shown):
    """The pitch builder is no calculator, but its figure boxes take numbers too."""
    from welfarelab.widgets.pitch import PitchBuilder

    builder = PitchBuilder()
    builder.figure_boxes["investment"].value = typed
    assert shown in plain(builder.message.value)
    builder.figure_boxes["investment"].value = "120000"
    assert shown not in plain(builder.message.value)
    for box in builder.figure_boxes.values():
        assert _label_pixels(box.description) + LABEL_MARGIN <= float(
            box.style.description_width[:-2])
