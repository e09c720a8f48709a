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
* prints a table: calculator, input, bad values tried, answered with a message, silently
  accepted or changed (must be 0).

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

#: Inputs that may be left empty on purpose; the summary must then say so (not a silent 0).
OPTIONAL = {"planned participants": "Type the planned participants",
            "total expenses": "no total expenses given"}

#: Good values per kind that must be read as the student means them (value, as number).
GOOD = {"money": [("12 000", 12_000), ("12000,50", 12_000.5)],
        "percent": [("25%", 25), ("25", 25), ("1.5", 1.5)],
        "count": [("12", 12)], "years": [("3", 3)], "months": [("12", 12)]}


def calculators():
    """(factory name, class) of every calculator widget welfarelab.widgets offers."""
    found = []
    for name in dir(widgets):
        if not name.endswith("_calculator"):
            continue
        module = importlib.import_module(getattr(widgets, name).__module__)
        wanted = name.replace("_", "").lower()
        classes = [obj for obj in vars(module).values()
                   if isinstance(obj, type) and obj.__name__.lower() == wanted]
        assert len(classes) == 1, f"{name}: no class {wanted!r} in {module.__name__}"
        found.append((name, classes[0]))
    return found


CALCULATORS = calculators()


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
    if "people" in label or "participant" in label:
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
    """What the calculator shows: (result, message text, summary HTML)."""
    return calc.result, plain(calc.message.value), calc.summary.value


def _answers(message: str, name: str) -> bool:
    """True when the message names the field and tells what to type."""
    return name.lower() in message.lower() and "type" in message.lower()


def try_value(calc, label, kind, control, typed, expect):
    """Feed one value; return 'message' (names the field and what to type), 'no typing',
    'vague: <why>' (an error shows, but it does not name the field or say what to type) or
    'silent: <why>' (no word, or the value was changed)."""
    name = field_name(label.split(" #")[0])
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
        if expect == "refuse" and (result is not None or summary):
            return "silent: a result is shown beside the error"
        if expect == "explain" and result is None:
            return "message"  # refused is acceptable too
        return "message"
    finally:
        control.value = before


def forms():
    """(calculator name, calculator) for each state of each form: the break-even calculator
    twice, with one price and with the tariff table (its other inputs are then hidden)."""
    for name, cls in CALCULATORS:
        yield name, cls(chart=False)
        calc = cls(chart=False)
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
            for expect in ("refuse", "explain"):
                for typed in CORPUS[kind][expect]:
                    rows.append((name, label, kind, typed,
                                 try_value(calc, label, kind, control, typed, expect)))
    return rows


def table(rows) -> str:
    """The printed table: one line per input, totals at the end."""
    head = (f"{'calculator':28} {'input':42} {'tried':>5} {'message':>7} {'vague':>5} "
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


def test_no_bad_value_is_silently_accepted_or_changed():
    rows = run_corpus()
    print("\n" + table(rows))  # shown with pytest -s, and under a failure
    wrong = [(n, label, typed, outcome) for n, label, _k, typed, outcome in rows
             if outcome.startswith(("silent", "vague"))]
    assert len(rows) > 150
    assert wrong == [], "\n".join(map(str, wrong[:40]))
