"""The number fields of the calculators: what each kind of field accepts and what it says.

Issue 14 tried every calculator input as a first-time student does and found values taken
without a word: "35%" in a EUR box read as €35.00, 36.5 participants, a duration of 0 turned
into 1 by the browser. Here every number field knows its kind, and :func:`read` answers a bad
value with a ``ValueError`` that names the field and says what to type; the calculator shows
it in the widget (``message``) and shows no result until the value is fixed.

Kinds (the unit in the label says which one a student is looking at):

* ``money``: EUR, 0 or more (``low`` may ask for more than 0); a ``%`` is refused (a percent
  is not an amount), so is a negative amount.
* ``percent``: 0 to 100; ``25%`` and ``25`` are both 25 %. A value between 0 and 1 is used as
  typed (0.25 % is a possible interest rate) with a note that names the field and says to type
  25 for 25 %, so a share typed where a percentage is asked is never taken silently.
* ``count``: a whole number of people or units (36.5 participants is refused: type 36 or 37).
* ``years`` and ``months``: whole numbers in ``low``..``high``; a number of years above the
  limit that is a whole number of years in months gets "did you type months?".

Why the boxes update on Enter or Tab and not on every key: a number is typed one key at a
time, so "1200" passes through "1" and "12"; updating on each key would recalculate and redraw
the chart for numbers the student never meant, and flash a message for a half-typed "4.". So
the boxes keep ``continuous_update=False`` (the ipywidgets default for a Text box is True) and
say it: :func:`enter_hint` above the fields, a placeholder in an empty box, and a tooltip.

Sliders: the number a slider shows beside itself (its readout) can be typed into, and the
browser then clamps a value outside min..max and puts back text that is not a number, without
a word (``handleTextChange`` of ``IntSliderView``/``FloatSliderView`` in
jupyter-widgets/ipywidgets ``packages/controls/src/widget_int.ts`` and ``widget_float.ts``, as
shipped in jupyterlab_widgets 3.0.17). The calculators' sliders therefore have no typeable
readout (``readout=False``); :func:`slider_view` shows the value in words beside the slider.

Labels: ipywidgets cuts a description longer than ``description_width`` with "…"
(``.widget-label`` is ``white-space: nowrap; text-overflow: ellipsis`` and has an 8 px right
margin, in ``packages/controls/css/widgets-base.css``). :data:`LABEL_WIDTH` is wide enough for
the longest label at JupyterLab's 13 px widget font (``--jp-ui-font-size1``);
tests/test_widget_inputs.py measures every label to keep it so.
"""

from __future__ import annotations

import dataclasses
import math
import re

import ipywidgets as w

from ..i18n import N_, _, _ngettext, babel_locale, number_text
from ..validation import number_words, parse_number

#: Room for the longest label ("financial proxy (EUR per unit per year)") without "…".
LABEL_WIDTH = "265px"
#: Width of a labelled number box: the label and about 160 px to type in.
INPUT_WIDTH = "440px"

#: Said above the fields of every calculator (see the module docstring for why).
ENTER_HINT = N_("Type a number, then press Enter or Tab: the result updates then. Sliders "
                "update when you let go.")
#: The placeholder of an empty number box, and the tooltip of every number box.
TYPE_THEN_ENTER = N_("type a number, then press Enter")

_WHAT = {"money": N_("an amount in EUR"), "percent": N_("a percentage"),
         "count": N_("a whole number"), "years": N_("a whole number of years"),
         "months": N_("a whole number of months")}
_EXAMPLE = {"money": "1200", "percent": "25", "count": "12", "years": "3", "months": "12"}


@dataclasses.dataclass(frozen=True)
class Field:
    """What a number box holds: its ``name`` (as messages say it), ``unit`` (shown in the
    label), ``kind`` (money, percent, count, years, months), the allowed range ``low``..``high``
    (None: the kind's own), whether it may be left ``optional``-ly empty, an ``example`` to
    type, and whether 0 itself is refused (``more_than_zero``: an investment, a loan)."""

    name: str
    unit: str
    kind: str
    low: float | None = None
    high: float | None = None
    optional: bool = False
    example: str = ""
    more_than_zero: bool = False

    def __post_init__(self):
        if self.kind not in _WHAT:
            raise ValueError(_("kind of field {name} must be one of {kinds}, not {kind}.").format(
                name=repr(self.name), kinds=sorted(_WHAT), kind=repr(self.kind)))


def _attach(box: w.Text, field: Field) -> w.Text:
    box._welfarelab_field = field  # the field travels with the box that shows it
    return box


def field_of(box) -> Field:
    """The :class:`Field` of a box made by :func:`number_field` or :func:`table_cell`.

    Raises:
        TypeError: the box was not made here.
    """
    try:
        return box._welfarelab_field
    except AttributeError:
        raise TypeError(_("{box} is not a number field of welfarelab's calculators.").format(
            box=repr(box))) from None


def _value_text(value) -> str:
    """The starting text of a box: ``str(value)`` in English; in another language a number is
    written with that language's decimal comma (0.5 -> "0,5"), so the box reads it back."""
    if value is None:
        return ""
    if isinstance(value, float) and babel_locale() is not None:
        return number_text(value)
    return str(value)


def number_field(name: str, value, unit: str, kind: str, *, low=None, high=None,
                 optional: bool = False, example: str | None = None,
                 more_than_zero: bool = False, width: str = INPUT_WIDTH) -> w.Text:
    """A labelled text box for one number, e.g. ``number_field("price", 6000, "EUR per
    participant", "money")`` shows "price (EUR per participant)".

    Args:
        name: the field as messages name it. unit: shown in brackets after it.
        value: the starting value (a number or text; None for an empty box).
        kind: "money", "percent", "count", "years" or "months" (see the module docstring).
        low, high: the allowed range (inclusive); None for the kind's own (money and counts
            0 or more, percentages 0-100, years and months 1 or more).
        optional: True when an empty box means "not given" (the calculator says so).
        example: the number messages suggest; default one for the kind.
        more_than_zero: refuse 0 too (an investment, an amount borrowed).
        width: the width of label and box together.

    Returns:
        An ipywidgets ``Text`` that updates on Enter or Tab, with its :class:`Field`.

    Raises:
        ValueError: an unknown ``kind``.
    """
    field = Field(name, unit, kind, low, high, optional, example or _EXAMPLE[kind],
                  more_than_zero)
    label = _("{name} ({unit})").format(name=name, unit=unit) if unit else name
    box = w.Text(value=_value_text(value), description=label,
                 placeholder=_(TYPE_THEN_ENTER), tooltip=_(TYPE_THEN_ENTER),
                 continuous_update=False,
                 style={"description_width": LABEL_WIDTH}, layout=w.Layout(width=width))
    return _attach(box, field)


def table_cell(name: str, value, unit: str, kind: str, label: str, width: str, *, low=None,
               high=None, example: str | None = None, optional: bool = False) -> w.Text:
    """A narrow text box for a cell of a table (tariffs, revenue sources): the column header
    shows the unit, the tooltip and placeholder carry the full ``label`` (e.g. "share of
    tariff 2 (%)"). Arguments as for :func:`number_field`."""
    field = Field(name, unit, kind, low, high, optional, example or _EXAMPLE[kind])
    box = w.Text(value=_value_text(value), tooltip=label, placeholder=label,
                 continuous_update=False, layout=w.Layout(width=width))
    return _attach(box, field)


def enter_hint() -> w.HTML:
    """The line above a calculator's fields that says when the result updates."""
    return w.HTML(f"<small><i>{_(ENTER_HINT)}</i></small>")


def _amount(value: float, kind: str) -> str:
    """A bound with its unit: 1 year, 100 years, 100 %, 600 months, EUR 0."""
    shown = number_text(value)
    if kind == "years":
        return _ngettext("{n} year", "{n} years", int(value)).format(n=shown)
    if kind == "months":
        return _ngettext("{n} month", "{n} months", int(value)).format(n=shown)
    if kind == "percent":
        return f"{shown} %"
    return shown


def _whole_hint(value: float) -> str:
    low, high = math.floor(value), math.ceil(value)
    if low != high:
        return _("type {low} or {high}").format(low=low, high=high)
    return _("type {low}").format(low=low)


def read(box, owner: str | None = None, notes: list | None = None):
    """The number typed in ``box``, checked for its field's kind and range.

    Args:
        box: a box made by :func:`number_field` or :func:`table_cell`.
        owner: the row the box belongs to (an outcome, a tariff, a source), named in messages.
        notes: a list to which a note is appended when a value is used but may not be what the
            student meant (a percentage between 0 and 1).

    Returns:
        A float (money, percent) or an int (count, years, months); None for an empty optional
        box.

    Raises:
        ValueError: the text is empty, not a number, ambiguous (4.800), a percentage in a field
            that is not one, negative, out of range or not whole where a whole number is
            needed. The message names the field (and ``owner``) and says what to type.
    """
    field = field_of(box)
    where = (_("{field} of {owner}").format(field=field.name, owner=repr(owner)) if owner
             else field.name)
    text = box.value if isinstance(box.value, str) else str(box.value)
    typed = text.strip()
    what, example = _(_WHAT[field.kind]), field.example
    said = {"where": where, "what": what, "example": example, "typed": repr(typed)}
    if not typed:
        if field.optional:
            return None
        raise ValueError(_("{where} is empty: type {what}, for example {example}.").format(**said))
    if "%" in typed and field.kind != "percent":
        raise ValueError(_("{where} is {what}, not a percentage: type it without %, for example "
                           "{example} (you typed {typed}).").format(**said))
    value = parse_number(typed, field.name, owner, example=example)
    low = field.low if field.low is not None else (1 if field.kind in ("years", "months")
                                                   else 0)
    high = field.high if field.high is not None else (100 if field.kind == "percent" else None)
    if field.kind in ("count", "years", "months"):
        if value != int(value):
            raise ValueError(_("{where} must be {what}: {hint} (you typed {typed}).").format(
                hint=_whole_hint(value), **said))
        value = int(value)
    if value < 0 and low >= 0:
        raise ValueError(_("{where} cannot be negative: type {what}, for example {example} "
                           "(you typed {typed}).").format(**said))
    if field.more_than_zero and value <= 0:
        raise ValueError(_("{where} must be more than 0: type {what}, for example {example} "
                           "(you typed {typed}).").format(**said))
    if value < low:
        raise ValueError(_("{where} must be {low} or more: type {what}, for example {example} "
                           "(you typed {typed}).").format(low=_amount(low, field.kind), **said))
    if high is not None and value > high:
        hint = ""
        if field.kind == "years" and value % 12 == 0 and value / 12 <= high:
            hint = " " + _("Did you type months? {months} months is {years} years.").format(
                months=number_text(value), years=number_text(value / 12))
        raise ValueError(_("{where} must be {high} or less: type {what} from {low} to {high} "
                           "(you typed {typed}).").format(
            high=_amount(high, field.kind), low=number_text(low), **said) + hint)
    if (notes is not None and babel_locale() is not None and value == int(value)
            and re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", typed.replace("€", "").strip())):
        # 4.800 is 4800 in Belgium but 4.8 in Python: say the reading in words (issue 17)
        notes.append(_("{where}: you typed {typed_plain}, read as {words} ({value}): in Belgium "
                       "a point separates the thousands.").format(
            where=where, typed_plain=typed, words=number_words(abs(int(value))),
            value=number_text(value, ",.0f")))
    if field.kind == "percent" and 0 < value < 1 and notes is not None:
        notes.append(_("{where}: you typed {typed_plain}, which is {value} %, less than one "
                       "percent. If you meant {meant} %, type {meant}.").format(
            where=where, typed_plain=typed, value=number_text(value),
            meant=number_text(value * 100)))
    return value


def percent_slider(name: str, share: float, *, high: float = 100, step: float = 1,
                   width: str = "380px") -> w.FloatSlider:
    """A slider in percent (0 to ``high``) for a share 0-1 (convert once: ``value / 100``), with
    no typeable readout; show it with :func:`slider_view`.

    Raises:
        ValueError: ``share`` is not between 0 and ``high`` / 100 (the slider would clamp it).
    """
    percent = round(float(share) * 100, 1)
    if not 0 <= percent <= high:
        raise ValueError(_("{name} must be a share between 0 and {high} (write 25 % as 0.25), "
                           "but it is {share}.").format(name=name, high=number_text(high / 100, "g"),
                                                        share=repr(share)))
    slider = w.FloatSlider(value=percent, min=0, max=high, step=step,
                           description=_("{name} ({unit})").format(name=name, unit="%"), readout=False, continuous_update=False,
                           style={"description_width": LABEL_WIDTH},
                           layout=w.Layout(width=width))
    return slider


def whole_slider(name: str, value: int, low: int, high: int, *,
                 width: str = "380px") -> w.IntSlider:
    """A slider for a whole number (months), with no typeable readout; show it with
    :func:`slider_view`.

    Raises:
        ValueError: ``value`` is outside ``low``..``high`` (the slider would clamp it).
    """
    if not low <= value <= high:
        raise ValueError(_("{name} must be from {low} to {high}, but it is {value}.").format(
            name=name, low=low, high=high, value=repr(value)))
    return w.IntSlider(value=value, min=low, max=high, description=name, readout=False,
                       continuous_update=False, style={"description_width": LABEL_WIDTH},
                       layout=w.Layout(width=width))


_FORMAT_FIELD = re.compile(r"\{:(g|\.\d+f)\}")


def _shown(fmt: str, value) -> str:
    """``fmt.format(value)``; in another language than English a ``{:g}`` or ``{:.1f}`` field
    is written with that language's separators (:func:`welfarelab.i18n.number_text`)."""
    if babel_locale() is None:
        return fmt.format(value)
    return _FORMAT_FIELD.sub(lambda m: number_text(value, m.group(1)), fmt).format(value)


def slider_view(slider, fmt: str = "{:g} %", width: str = "60px") -> w.HBox:
    """The slider with its value beside it as text (``fmt``, in ``width``), which follows the
    slider; a slider made elsewhere loses its typeable readout here.

    The text cannot be typed into (see the module docstring); the :func:`view` of the slider
    is this box.
    """
    slider.readout = False
    shown = w.HTML(_shown(fmt, slider.value), layout=w.Layout(width=width))

    def follow(change):
        shown.value = _shown(fmt, change["new"])

    slider.observe(follow, names="value")
    box = w.HBox([slider, shown], layout=w.Layout(align_items="center"))
    slider._welfarelab_view = box
    slider._welfarelab_shown = shown
    return box


def view(control):
    """What to put in a layout for ``control``: its :func:`slider_view` box if it has one."""
    return getattr(control, "_welfarelab_view", control)
