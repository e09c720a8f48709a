"""Finance calculators (modules m04 and m05): thin views over :mod:`welfarelab.finance`.

Four widgets, one look (the SROI calculator's): inputs on the left with units in the labels,
the result and a chart on the right (or below on a narrow screen), readable messages for bad
input. Each widget reads its form, calls the pure function and shows what it returns:

* :class:`BreakEvenCalculator` -> :func:`welfarelab.finance.break_even` or
  :func:`~welfarelab.finance.break_even_mix`, and :func:`~welfarelab.finance.margin_of_safety`;
* :class:`RevenueMixCalculator` -> :func:`welfarelab.finance.revenue_mix`;
* :class:`CashFlowCalculator` -> :func:`welfarelab.finance.cash_flow` and
  :func:`~welfarelab.finance.runway`;
* :class:`LoanCalculator` -> :func:`welfarelab.finance.loan_payment` and
  :func:`~welfarelab.finance.loan_schedule`.

Percentages typed in a form are converted to shares 0-1 once, here. The defaults are synthetic
numbers that tell the story of a Rising You-like social enterprise: it trains young refugees
as professional climbers and rope-access workers, and companies pay for the training of their
future employees (seed, section 4). Its main worry is the one the focus group named: money,
and the dependency on temporary subsidies with conditions (seed, section 5.2.3).
"""

from __future__ import annotations

import html
import math

import ipywidgets as w

from .. import finance
from ..i18n import N_, _, _ngettext, number_text
from ..i18n import babel_locale as i18n_locale
from ..money import eur
from ..plotting import (
    BREAK_EVEN_SIZE,
    CASH_FLOW_SIZE,
    LOAN_SIZE,
    break_even_figure,
    break_even_max_units,
    cash_flow_figure,
    loan_figure,
    revenue_mix_figure,
    revenue_mix_layout,
    update_break_even,
    update_cash_flow,
    update_loan,
    update_revenue_mix,
)
from . import _base, _fit, _inputs

# --------------------------------------------------------------------------------------------
# defaults (synthetic, Rising You-like)
# --------------------------------------------------------------------------------------------

#: Break-even: a year of the rope-access training. Fixed costs are trainers, a coordinator and
#: the climbing hall; the variable cost per trainee is the certification exam, personal gear
#: and insurance; a company pays the price for training its future employee; an operating
#: subsidy covers part of the fixed costs.
DEFAULT_BREAK_EVEN = {"fixed_costs": 175_000, "price": 6_000, "variable_cost": 2_000,
                      "subsidy": 60_000, "target_surplus": 0, "planned_units": 36}

#: Tariff mix: (name, share 0-1, price in EUR per participant). Partner companies pay the
#: full price, small companies a reduced one, and a few self-funded trainees a social tariff
#: below cost.
DEFAULT_TARIFFS = [
    (N_("partner company"), 0.60, 7_000),
    (N_("small company (SME)"), 0.30, 5_000),
    (N_("self-funded (social tariff)"), 0.10, 1_000),
]

#: Revenue mix: (name, EUR per year, type "subsidy" | "earned" | "other").
DEFAULT_SOURCES = [
    (N_("Flemish subsidy (social economy)"), 90_000, "subsidy"),
    (N_("European project grant"), 40_000, "subsidy"),
    (N_("training paid by companies"), 150_000, "earned"),
    (N_("rope-access assignments"), 60_000, "earned"),
    (N_("foundations and donations"), 25_000, "other"),
]
DEFAULT_TOTAL_EXPENSES = 370_000

#: Cash flow: the subsidy was promised for month 3 but arrives in month 6, so the balance dips
#: below zero in month 4.
DEFAULT_CASH_FLOW = {"opening_cash": 30_000, "monthly_inflow": 18_000,
                     "monthly_outflow": 26_000, "months": 12, "tranche": 75_000,
                     "tranche_month": 6}

#: Loan: EUR 40,000 from a social lender for climbing gear and a mobile training tower.
DEFAULT_LOAN = {"principal": 40_000, "annual_rate": 0.045, "months": 60}

#: The types of revenue source in the revenue-mix form: (label shown, value).
SOURCE_TYPES = [(N_("subsidy or grant"), "subsidy"),
                (N_("earned income (sales, fees)"), "earned"),
                (N_("other (donations, ...)"), "other")]


def _source_types():
    """:data:`SOURCE_TYPES` with the labels in the language in use."""
    return [(_(label), value) for label, value in SOURCE_TYPES]

_UNIT = N_("participants")

#: VAT rates in the cash-flow form: most welfare services are exempt (art. 44 of the Belgian
#: VAT code); goods are sold at 6 % or 21 %.
VAT_RATES = [(N_("0 % (exempt or no VAT)"), 0.0), ("6 %", 0.06), ("21 %", 0.21)]

#: Payment terms in the cash-flow form, in days (30 days counted as one month).
PAYMENT_TERMS = [(N_("at once"), 0), (N_("30 days"), 30), (N_("60 days"), 60),
                 (N_("90 days"), 90)]


def _translated(options):
    """Dropdown options with their labels in the language in use."""
    return [(_(label), value) for label, value in options]


def _closest(options, value):
    """``value`` if it is one of the dropdown's option values; else a ValueError naming them."""
    for _label, option in options:
        if float(value) == option:
            return option
    raise ValueError(_("{value} is not one of the choices: {choices}.").format(
        value=repr(value), choices=", ".join(repr(v) for _label, v in options)))


# --------------------------------------------------------------------------------------------
# shared look and error handling
# --------------------------------------------------------------------------------------------

def _text(value, width: str, tooltip: str) -> w.Text:
    """A narrow text box for a table cell; the column header carries the label and unit."""
    return w.Text(value=str(value), continuous_update=False, tooltip=tooltip,
                  placeholder=tooltip, layout=w.Layout(width=width))


def _table_html(rows) -> str:
    cells = "".join(f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>"
                    f"<b>{html.escape(v)}</b></td></tr>" for k, v in rows)
    return f"<table class='welfarelab-finance'>{cells}</table>"


def _paragraphs(*texts) -> str:
    return "".join(f"<p>{html.escape(t)}</p>" for t in texts if t)


def _months(value: float) -> str:
    if value == 1:
        return _("1 month")
    shown = number_text(value, ",.2f") if value != int(value) else number_text(value, ",.0f")
    return _("{n} months").format(n=shown)


class _Calculator:
    """What the four calculators share: the layout, ``update()`` and the error handling.

    A subclass builds its controls, then calls :meth:`_finish`, and defines ``_compute()``
    (read the form, call the pure function, return its result; raise ValueError/TypeError for
    bad input), ``_summary_html(result)``, ``_figure(result, ax=None)`` (the chart on ``ax``,
    a new figure when None) and ``_chart_text(result)`` (its text alternative); the chart is
    kept and redrawn in place by :class:`welfarelab.widgets._base.LiveChart` (issue 15),
    at ``_chart_size`` inches (or ``_chart_layout(result)``: size and left margin). ``_compute`` stores what it
    read in ``self.inputs``; names in ``_extras`` are other figures it sets (None after a bad
    input).
    """

    name = "calculator"
    _extras: tuple = ()
    _chart_size = CASH_FLOW_SIZE

    def _start(self, chart: bool):
        self.chart = chart
        self.result = None
        self.inputs = {}
        self.figure = None
        for extra in self._extras:
            setattr(self, extra, None)
        self.summary = w.HTML()
        self.message = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))
        # one kept figure, redrawn in place on each change (issue 15); none without a chart
        self.chart_view = _base.LiveChart(self.chart_out, self._chart_size) if chart else None

    def _chart_layout(self, result):
        """((width, height) in inches, left margin share or None) of the chart of ``result``."""
        return self._chart_size, None

    def _chart_key(self, result):
        """What names the structure of the chart of ``result`` (see ``LiveChart.show``); None:
        the chart has no in-place update."""
        return

    def _chart_update(self, result):
        """``update(ax)`` that moves the chart's artists to ``result`` in place, or None."""
        return

    def _finish(self, inputs: list, controls: list):
        self.widget = _base.calculator_layout(inputs, self.message, self.summary, self.chart_out)
        self.inputs_box = self.widget.children[0].children[0]
        for control in controls:
            control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None):
        self.update()

    def _clear(self, text: str):
        self.result = None
        self.figure = None
        for extra in self._extras:
            setattr(self, extra, None)
        self.message.value = _base.message_html(text)
        self.summary.value = ""
        if self.chart_view is not None:
            self.chart_view.clear()

    def _read(self, box, owner: str | None = None):
        """The number in ``box``, checked for its field's kind (issue 14); a note on how it was
        read goes to ``self.notes``, shown beside the result."""
        return _inputs.read(box, owner, self.notes)

    def update(self):
        """Recalculate from the form. Input problems show in ``message``; other errors show
        there too and are raised, so they are never swallowed."""
        self.notes = []
        try:
            result = self._compute()
        except (ValueError, TypeError) as err:
            self._clear(str(err))
            return
        except Exception as err:
            self._clear(_("Unexpected problem: {error}").format(error=err))
            raise
        try:
            summary = self._summary_html(result)
            if self.chart:
                size, left = self._chart_layout(result)
                self.chart_view.show(lambda ax: self._figure(result, ax=ax),
                                     self._chart_text(result), size=size, left=left,
                                     key=self._chart_key(result),
                                     update=self._chart_update(result))
        except Exception as err:
            self._clear(_("Unexpected problem: {error}").format(error=err))
            raise
        self.result = result
        self.message.value = "".join(_base.message_html(n, "info") for n in self.notes)
        self.summary.value = summary
        if self.chart:
            self.figure = self.chart_view.figure


# --------------------------------------------------------------------------------------------
# 1. break-even
# --------------------------------------------------------------------------------------------

class BreakEvenCalculator(_Calculator):
    """Break-even with an operating subsidy, a target surplus and, optionally, a tariff mix.

    Calls :func:`welfarelab.finance.break_even` (one price) or
    :func:`welfarelab.finance.break_even_mix` (tariff mix), and
    :func:`welfarelab.finance.margin_of_safety` when planned participants are given.

    Attributes (for notebooks and tests):
        fixed_costs, price, variable_cost, subsidy, target_surplus, planned_units: text boxes
            (EUR per year, EUR per participant, participants per year).
        use_mix: checkbox; when ticked the tariff table replaces the single price.
        tariff_rows: one dict per tariff with the text boxes ``name``, ``share`` (%) and
            ``price`` (EUR per participant).
        result: the last :class:`~welfarelab.finance.BreakEvenResult` (or
            :class:`~welfarelab.finance.BreakEvenMixResult`), None after a bad input.
        margin_of_safety: share 0-1 (negative when the plan is below break-even), None when no
            planned participants are given or after a bad input.
        inputs: the keyword arguments given to the pure function, as read from the form.
        summary, message: HTML with the figures and with any input problem.
        figure: the last break-even chart (matplotlib Figure) or None.
        widget: the whole form, to display.
    """

    name = "break-even calculator"
    _extras = ("margin_of_safety",)

    def __init__(self, fixed_costs=DEFAULT_BREAK_EVEN["fixed_costs"],
                 price=DEFAULT_BREAK_EVEN["price"],
                 variable_cost=DEFAULT_BREAK_EVEN["variable_cost"],
                 subsidy=DEFAULT_BREAK_EVEN["subsidy"],
                 target_surplus=DEFAULT_BREAK_EVEN["target_surplus"],
                 planned_units=DEFAULT_BREAK_EVEN["planned_units"],
                 tariffs=None, use_mix: bool = False, chart: bool = True,
                 subsidy_per_unit=0):
        self._start(chart)
        if tariffs is None:
            tariffs = [(_(name), share, tariff_price) for name, share, tariff_price
                       in DEFAULT_TARIFFS]
        elif isinstance(tariffs, dict):
            tariffs = [(name, share, tariff_price) for name, (share, tariff_price)
                       in tariffs.items()]
        # input fields (issue 14): each kind checked by _inputs.read
        per_year, per_participant = _("EUR per year"), _("EUR per participant")
        self.fixed_costs = _inputs.number_field(_("fixed costs"), fixed_costs, per_year,
                                                "money", example="175000")
        self.subsidy = _inputs.number_field(_("operating subsidy"), subsidy, per_year,
                                            "money", example="60000")
        self.target_surplus = _inputs.number_field(_("target surplus"), target_surplus,
                                                   per_year, "money", example="10000")
        # a subsidy paid per participant (e.g. a maatwerk wage premium): it widens the margin
        # instead of lowering the fixed costs (issue 16)
        self.subsidy_per_unit = _inputs.number_field(_("subsidy per participant"),
                                                     subsidy_per_unit, _("EUR each"), "money",
                                                     example="1500")
        self.variable_cost = _inputs.number_field(_("variable cost"), variable_cost,
                                                  per_participant, "money",
                                                  example="2000")
        self.price = _inputs.number_field(_("price"), price, per_participant, "money",
                                          example="6000")
        # people are whole; empty means "no plan yet" (the summary says so)
        self.planned_units = _inputs.number_field(
            _("planned participants"), planned_units, _("per year"), "count", low=1,
            optional=True, example="36")
        self.use_mix = _fit.fit_checkbox(w.Checkbox(
            value=use_mix, description=_("use a tariff mix (several prices)"), indent=False))
        self.tariff_rows = [
            {"name": _text(name, "170px", _("name of tariff {i}").format(i=i)),
             "share": _inputs.table_cell(_("share"), _percent_text(share), "%", "percent",
                                         _("share of tariff {i} (%)").format(i=i), "70px",
                                         example="60"),
             "price": _inputs.table_cell(_("price"), tariff_price, per_participant, "money",
                                         _("price of tariff {i} (EUR per participant)").format(
                                             i=i), "110px", example="5000")}
            for i, (name, share, tariff_price) in enumerate(tariffs, start=1)]
        header = [w.HTML("<b>{}</b>".format(_("tariff"))), w.HTML("<b>{}</b>".format(_("share (%)"))),
                  w.HTML("<b>{}</b>".format(_("price (EUR per participant)")))]
        cells = [c for row in self.tariff_rows for c in (row["name"], row["share"], row["price"])]
        self.tariff_box = w.VBox([
            w.HTML(_("The shares must add up to 100 %. A tariff may be below the variable cost "
                     "(a social tariff) if the mix as a whole earns a margin.")),
            w.GridBox(header + cells, layout=w.Layout(
                grid_template_columns="175px 75px 115px", grid_gap="2px 4px")),
        ])
        inputs = [
            w.HTML(_("<b>Inputs</b> (amounts in EUR; one unit is one participant trained)")),
            _inputs.enter_hint(), self.fixed_costs, self.subsidy, self.target_surplus, self.variable_cost,
            self.subsidy_per_unit, self.use_mix, self.price, self.tariff_box, self.planned_units,
        ]
        self.use_mix.observe(self._show_price_or_mix, names="value")
        self._show_price_or_mix()
        controls = [self.fixed_costs, self.subsidy, self.target_surplus, self.variable_cost,
                    self.subsidy_per_unit, self.use_mix, self.price, self.planned_units]
        controls += [c for row in self.tariff_rows for c in row.values()]
        self._finish(inputs, controls)

    def _show_price_or_mix(self, change=None):
        self.price.layout.display = "none" if self.use_mix.value else ""
        self.tariff_box.layout.display = "" if self.use_mix.value else "none"

    def tariffs(self) -> dict:
        """The tariff table as ``{name: (share 0-1, price EUR)}`` (raises ValueError if bad)."""
        tariffs, percents = {}, []
        for i, row in enumerate(self.tariff_rows, start=1):
            name = row["name"].value.strip() or _("tariff {i}").format(i=i)
            if name in tariffs:
                raise ValueError(_("Two tariffs are called {name}: give each tariff its own "
                                   "name.").format(name=repr(name)))
            percent = self._read(row["share"], name)
            price = self._read(row["price"], name)
            percents.append(percent)
            tariffs[name] = (percent / 100, price)
        total = math.fsum(percents)
        if abs(total / 100 - 1) > finance.SHARE_SUM_TOLERANCE:
            # a share typed as 0.25 for 25 % is the likely cause: say so with the sum (issue 14)
            raise ValueError(" ".join([
                _("The shares of the tariffs must add up to 100 %, but they add up to {total} %. "
                  "Change a share so that the total is 100.").format(total=number_text(total)),
                *self.notes]))
        return tariffs

    def _compute(self):
        common = {
            "fixed_costs": self._read(self.fixed_costs),
            "variable_cost": self._read(self.variable_cost),
            "subsidy": self._read(self.subsidy),
            "target_surplus": self._read(self.target_surplus),
        }
        per_unit = self._read(self.subsidy_per_unit)
        if per_unit:  # only when given, so the plain break-even stays the plain call
            common["subsidy_per_unit"] = per_unit
        if self.use_mix.value:
            inputs = dict(common, tariffs=self.tariffs())
            result = finance.break_even_mix(**inputs)
        else:
            inputs = dict(common, price=self._read(self.price))
            result = finance.break_even(**inputs)
        planned = self._read(self.planned_units)  # None when left empty
        if planned is not None:
            self._safety = finance.margin_of_safety(planned, result.units)
        else:
            self._safety = None
        self.inputs = inputs
        self._planned = planned
        self.margin_of_safety = self._safety
        return result

    def _summary_html(self, r) -> str:
        unit = _(_UNIT)
        units, rounded = number_text(r.units, ",.2f"), number_text(r.units_rounded, ",.0f")
        rows = [
            (_("Break-even (exact)"), _("{n} {unit} per year").format(n=units, unit=unit)),
            (_("Break-even (rounded up)"), _("{n} {unit} per year").format(n=rounded,
                                                                           unit=unit)),
            (_("Break-even revenue"), _("{amount} per year").format(amount=eur(r.revenue))),
            (_("Contribution margin"), _("{amount} per participant").format(
                amount=eur(r.contribution_margin))),
            (_("Margin ratio"), number_text(r.margin_ratio, ".1%")),
        ]
        if isinstance(r, finance.BreakEvenMixResult):
            rows.insert(3, (_("Weighted price"), _("{amount} per participant").format(
                amount=eur(r.weighted_price))))
        if self.margin_of_safety is not None:
            rows.append((_("Margin of safety"), number_text(self.margin_of_safety, ".1%")))
        i = self.inputs
        covered = _("the fixed costs of {amount}").format(amount=eur(i["fixed_costs"]))
        if i["subsidy"]:
            covered += _(" minus the operating subsidy of {amount}").format(
                amount=eur(i["subsidy"]))
        if i["target_surplus"]:
            covered += _(" plus the target surplus of {amount}").format(
                amount=eur(i["target_surplus"]))
        per_unit = i.get("subsidy_per_unit") or 0
        if r.units == 0:
            reading = _("The operating subsidy already covers the fixed costs (and the target "
                        "surplus): every participant adds to the surplus.")
        else:
            with_subsidy = (_(", the subsidy of {amount} per participant included").format(
                amount=eur(per_unit)) if per_unit else "")
            if isinstance(r, finance.BreakEvenMixResult):
                brings = _("Each participant brings in on average {margin} more than their "
                           "training costs (the contribution margin{with_subsidy}).")
            else:
                brings = _("Each participant brings in {margin} more than their training costs "
                           "(the contribution margin{with_subsidy}).")
            reading = (brings.format(margin=eur(r.contribution_margin),
                                     with_subsidy=with_subsidy) + " "
                       + _("{n} {unit} cover {covered}.").format(n=units, unit=unit,
                                                                   covered=covered))
            if r.units != r.units_rounded:
                reading += " " + _("You cannot train part of a person, so you need {n} {unit} "
                                   "a year.").format(n=rounded, unit=unit)
        texts = [reading]
        if isinstance(r, finance.BreakEvenMixResult):
            below = [n for n, m in r.margin_per_tariff.items() if m < 0]
            parts = "; ".join(f"{n}: {eur(m)}" for n, m in r.margin_per_tariff.items())
            text = _("Margin per participant, by tariff: {parts}.").format(parts=parts)
            if below:
                text += " " + _ngettext("{names} is sold below cost: the other tariffs pay for "
                                        "it.", "{names} are sold below cost: the other tariffs "
                                        "pay for it.", len(below)).format(names=", ".join(below))
            texts.append(text)
        texts.append(self._safety_words(r))
        return _table_html(rows) + _paragraphs(*texts)

    def _safety_words(self, r) -> str:
        mos, planned = self.margin_of_safety, self._planned
        if mos is None:
            return _("Type the planned participants to see the margin of safety.")
        gap = mos * planned  # planned - break-even units
        said = {"planned": number_text(planned), "unit": _(_UNIT),
                "gap": number_text(abs(gap), ",.2f"), "share": number_text(mos, ".1%")}
        if mos > 0:
            return _("Margin of safety: you plan {planned} {unit}, {gap} more than break-even. "
                     "Your numbers may fall by {share} before you make a loss.").format(**said)
        if mos == 0:
            return _("You plan exactly the break-even number ({planned} {unit}): there is no "
                     "margin of safety; one participant fewer and you make a loss.").format(
                **said)
        return _("You plan {planned} {unit}: that is below break-even, so the plan makes a "
                 "loss. You need {gap} more {unit}, a higher price, lower costs or more "
                 "subsidy.").format(**said)

    _chart_size = BREAK_EVEN_SIZE

    def _chart_args(self, r, kept: bool) -> dict:
        """The arguments of :func:`~welfarelab.plotting.break_even_figure` for ``r``. The kept
        chart (``kept``) keeps its x axis while the default one lies within half and all of
        it, so a change moves the lines instead of redrawing the axes."""
        i = self.inputs
        price = r.weighted_price if isinstance(r, finance.BreakEvenMixResult) else i["price"]
        # a subsidy per participant is drawn as a lower variable cost (the cost net of the
        # subsidy); any subsidy above the variable cost is drawn as extra income per unit
        per_unit = i.get("subsidy_per_unit") or 0
        variable_cost = max(i["variable_cost"] - per_unit, 0.0)
        price = price + max(per_unit - i["variable_cost"], 0.0)
        max_units = None
        if kept:
            wanted = break_even_max_units(r.units, self._planned)
            old = getattr(self, "_max_units", None)
            max_units = old if old and old / 2 <= wanted <= old else wanted
            self._max_units = max_units
        return {"fixed_costs": i["fixed_costs"], "price": price,
                "variable_cost": variable_cost, "subsidy": i["subsidy"],
                "target_surplus": i["target_surplus"], "break_even_units": r.units,
                "planned_units": self._planned, "max_units": max_units, "unit": _(_UNIT)}

    def _figure(self, r, ax=None):
        title = (_("Break-even chart (weighted price of the tariff mix)") if self.use_mix.value
                 else _("Break-even chart"))
        args = self._chart_args(r, kept=False) if ax is None else self._kept_args
        return break_even_figure(**args, title=title, ax=ax)

    def _chart_key(self, r):
        self._kept_args = args = self._chart_args(r, kept=True)
        return (args["max_units"], args["subsidy"] > 0, args["target_surplus"] > 0,
                args["planned_units"] is not None, self.use_mix.value)

    def _chart_update(self, r):
        args = self._kept_args
        return lambda ax: update_break_even(ax, **args)

    def _chart_text(self, r) -> str:
        price = (r.weighted_price if isinstance(r, finance.BreakEvenMixResult)
                 else self.inputs["price"])
        return _("Break-even chart: the revenue line crosses the costs to cover at {n} {unit} "
                 "per year ({amount} revenue); left of that point you make a loss, right of it "
                 "a surplus.").format(n=number_text(r.units, ",.2f"), unit=_(_UNIT),
                                      amount=eur(r.units * price))


def _percent_text(share) -> str:
    """A share 0-1 as the percentage typed in a form: 0.6 -> '60', 0.125 -> '12.5' (in Dutch
    '12,5', so the Belgian reading of the box gets it back)."""
    if i18n_locale() is not None:
        return number_text(round(share * 100, 10))
    return f"{share * 100:.10g}"


def break_even_calculator(fixed_costs=DEFAULT_BREAK_EVEN["fixed_costs"],
                          price=DEFAULT_BREAK_EVEN["price"],
                          variable_cost=DEFAULT_BREAK_EVEN["variable_cost"],
                          subsidy=DEFAULT_BREAK_EVEN["subsidy"],
                          target_surplus=DEFAULT_BREAK_EVEN["target_surplus"],
                          planned_units=DEFAULT_BREAK_EVEN["planned_units"],
                          tariffs=None, use_mix: bool = False, subsidy_per_unit=0):
    """Show the break-even calculator (module m04).

    Args:
        fixed_costs: EUR per year; default 175,000 (trainers, coordinator, climbing hall).
        price: EUR per participant; default 6,000 (what a company pays per trainee).
        variable_cost: EUR per participant; default 2,000 (exam, gear, insurance).
        subsidy: operating subsidy, EUR per year; default 60,000.
        target_surplus: EUR per year; default 0.
        planned_units: planned participants per year (for the margin of safety); default 36;
            None leaves the box empty.
        tariffs: optional tariff mix, a dict ``{name: (share 0-1, price EUR)}`` as for
            :func:`welfarelab.finance.break_even_mix`, or a list of (name, share, price);
            default three tariffs (partner company, SME, social tariff).
        use_mix: start with the tariff mix switched on; default False.
        subsidy_per_unit: a subsidy paid per participant (e.g. a maatwerk wage premium), EUR
            per participant; default 0. Unlike the operating subsidy it widens the margin of
            every participant (:func:`welfarelab.finance.break_even`).

    Returns:
        The ipywidgets box to display (the last line of a cell shows it). While nbgrader
        grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder(_("break-even calculator"))
    return BreakEvenCalculator(fixed_costs, price, variable_cost, subsidy, target_surplus,
                               planned_units, tariffs, use_mix,
                               subsidy_per_unit=subsidy_per_unit).widget


# --------------------------------------------------------------------------------------------
# 2. revenue mix
# --------------------------------------------------------------------------------------------

class RevenueMixCalculator(_Calculator):
    """Where the money comes from: shares, subsidy dependency, earned income, concentration.

    Calls :func:`welfarelab.finance.revenue_mix`. A row with no name and no amount is left
    out, so fewer sources than rows is fine.

    Attributes (for notebooks and tests):
        rows: one dict per source with ``name`` (text), ``amount`` (text box, EUR per year)
            and ``type`` (dropdown: "subsidy", "earned" or "other").
        total_expenses: text box (EUR per year); may be left empty.
        result: the last :class:`~welfarelab.finance.RevenueMixResult`, None after a bad input.
        inputs: the keyword arguments given to :func:`~welfarelab.finance.revenue_mix`.
        summary, message, figure, widget: as in :class:`BreakEvenCalculator`.
    """

    name = "revenue-mix calculator"

    def __init__(self, sources=None, total_expenses=DEFAULT_TOTAL_EXPENSES, rows: int = 5,
                 chart: bool = True):
        self._start(chart)
        sources = list([(_(n), a, k) for n, a, k in DEFAULT_SOURCES] if sources is None
                       else sources)
        sources += [("", "", "other")] * max(0, rows - len(sources))
        self.rows = []
        for i, (name, amount, kind) in enumerate(sources, start=1):
            if kind not in dict(SOURCE_TYPES).values():
                raise ValueError(_("the type of source {name} must be 'subsidy', 'earned' or "
                                   "'other', but it is {kind}.").format(name=repr(name),
                                                                        kind=repr(kind)))
            self.rows.append({
                "name": _text(name, "190px", _("name of source {i}").format(i=i)),
                "amount": _inputs.table_cell(_("amount"), amount, _("EUR per year"), "money",
                                             _("amount of source {i} (EUR per year)").format(i=i),
                                             "95px", example="40000"),
                "type": w.Dropdown(options=_source_types(), value=kind,
                                   tooltip=_("type of source {i}").format(i=i),
                                   layout=w.Layout(width="120px")),
            })
        # empty means "not given" (the summary says so); 0 expenses cannot be divided by
        self.total_expenses = _inputs.number_field(
            _("total expenses"), total_expenses, _("EUR per year"), "money", optional=True,
            more_than_zero=True, example="370000")
        header = [w.HTML("<b>{}</b>".format(_("source"))),
                  w.HTML("<b>{}</b>".format(_("EUR per year"))),
                  w.HTML("<b>{}</b>".format(_("type")))]
        cells = [c for row in self.rows for c in (row["name"], row["amount"], row["type"])]
        inputs = [
            w.HTML(_("<b>Inputs</b> (one row per source of money; leave a row empty to skip "
                     "it)")),
            _inputs.enter_hint(),
            w.GridBox(header + cells, layout=w.Layout(
                grid_template_columns="195px 100px 125px", grid_gap="2px 4px")),
            self.total_expenses,
        ]
        controls = [c for row in self.rows for c in row.values()] + [self.total_expenses]
        self._finish(inputs, controls)

    def _compute(self):
        revenues, types = {}, {}
        for i, row in enumerate(self.rows, start=1):
            name = row["name"].value.strip()
            if not name and not row["amount"].value.strip():
                continue  # an empty row
            name = name or _("source {i}").format(i=i)
            if name in revenues:
                raise ValueError(_("Two sources are called {name}: give each source its own "
                                   "name (or add their amounts together).").format(
                    name=repr(name)))
            revenues[name] = self._read(row["amount"], name)
            types[name] = row["type"].value
        if not revenues:
            raise ValueError(_("Type at least one source of money: a name and an amount in "
                               "EUR per year."))
        expenses = self._read(self.total_expenses)  # None when left empty
        inputs = {
            "revenues": revenues,
            "subsidy_sources": [n for n, t in types.items() if t == "subsidy"],
            "earned_sources": [n for n, t in types.items() if t == "earned"],
            "total_expenses": expenses,
        }
        result = finance.revenue_mix(**inputs)
        self.inputs = inputs
        self.types = types
        return result

    def _summary_html(self, r) -> str:
        labels = {v: k for k, v in _source_types()}
        revenues = self.inputs["revenues"]
        cells = "".join(
            f"<tr><td>{html.escape(n)}</td><td style='text-align:right'>{html.escape(eur(a))}</td>"
            f"<td style='text-align:right'>{number_text(r.shares[n], '.1%')}</td>"
            f"<td>{html.escape(labels[self.types[n]])}</td></tr>" for n, a in revenues.items())
        head = "".join(f"<th>{html.escape(t)}</th>" for t in
                       (_("source"), _("EUR per year"), _("share"), _("type")))
        # _() outside the f-string: pybabel does not see a _() inside one
        total = html.escape(_("total"))
        sources = (f"<table class='welfarelab-finance'><tr>{head}</tr>{cells}<tr><td><b>"
                   f"{total}</b></td>"
                   f"<td style='text-align:right'><b>{html.escape(eur(r.total))}</b></td>"
                   f"<td style='text-align:right'><b>{number_text(1.0, '.1%')}</b></td><td></td>"
                   "</tr></table>")
        rows = [
            (_("Subsidy dependency ratio"), number_text(r.subsidy_dependency, ".1%")),
            (_("Earned-income ratio"), number_text(r.earned_income_ratio, ".1%")),
            (_("Concentration (HHI)"), number_text(r.concentration, ".3f")),
            (_("Self-sufficiency"), _("no total expenses given") if r.self_sufficiency is None
             else number_text(r.self_sufficiency, ".1%")),
        ]
        texts = [
            _("Subsidy dependency: {cents} cents of every euro come from subsidies and grants, "
              "which are often temporary and come with conditions.").format(
                cents=number_text(r.subsidy_dependency * 100, ".0f")),
            _("Earned income: {cents} cents of every euro are earned by selling (fees, sales, "
              "contracts).").format(cents=number_text(r.earned_income_ratio * 100, ".0f")),
            _("Concentration: an HHI of {hhi} is as concentrated as {n} sources of equal size "
              "(1 means all money comes from one source; the lower, the more spread and the "
              "safer if one source stops).").format(hhi=number_text(r.concentration, ".2f"),
                                                    n=number_text(1 / r.concentration, ".1f")),
        ]
        if r.self_sufficiency is not None:
            expenses = self.inputs["total_expenses"]
            if r.self_sufficiency >= 1:
                texts.append(_("Self-sufficiency: earned income alone pays all your expenses."))
            else:
                texts.append(_("Self-sufficiency: earned income pays {share} of your expenses; "
                               "the rest must come from subsidies, grants, gifts or reserves.")
                             .format(share=number_text(r.self_sufficiency, ".0%")))
            balance = r.total - expenses
            if balance >= 0:
                texts.append(_("All revenue ({total}) minus expenses ({expenses}) is a surplus "
                               "of {balance}.").format(total=eur(r.total), expenses=eur(expenses),
                                                       balance=eur(balance)))
            else:
                texts.append(_("All revenue ({total}) minus expenses ({expenses}) is a deficit "
                               "of {balance}.").format(total=eur(r.total), expenses=eur(expenses),
                                                       balance=eur(-balance)))
        return sources + _table_html(rows) + _paragraphs(*texts)

    def _figure(self, r, ax=None):
        return revenue_mix_figure(r.shares, self.types, ax=ax)

    def _chart_layout(self, r):
        return revenue_mix_layout(r.shares.index)

    def _chart_key(self, r):
        return tuple((str(n), self.types.get(n, "other")) for n in r.shares.index)

    def _chart_update(self, r):
        return lambda ax: update_revenue_mix(ax, r.shares)

    def _chart_text(self, r) -> str:
        parts = "; ".join(f"{name} {number_text(share, '.1%')}"
                          for name, share in r.shares.items())
        return _("Bar chart of each revenue source's share of total revenue: {parts}.").format(
            parts=parts)


def revenue_mix_calculator(sources=None, total_expenses=DEFAULT_TOTAL_EXPENSES, rows: int = 5):
    """Show the revenue-mix calculator (module m05).

    Args:
        sources: optional list of (name, EUR per year, type) with type "subsidy", "earned" or
            "other"; default five sources of a refugee-training social enterprise.
        total_expenses: EUR per year, for the self-sufficiency; default 370,000; None leaves
            it empty.
        rows: at least this many rows in the form (empty rows are for the student's own
            sources); default 5.

    Returns:
        The ipywidgets box to display, or a short note while nbgrader grades.
    """
    if _base.grading():
        return _base.grading_placeholder(_("revenue-mix calculator"))
    return RevenueMixCalculator(sources, total_expenses, rows).widget


# --------------------------------------------------------------------------------------------
# 3. cash flow with a late subsidy
# --------------------------------------------------------------------------------------------

class CashFlowCalculator(_Calculator):
    """Month-by-month cash with one subsidy tranche: move the month later, see the dip.

    Calls :func:`welfarelab.finance.cash_flow` with ``tranches={month: amount}`` and
    :func:`welfarelab.finance.runway` (the runway leaves the tranche out: how long the cash
    lasts if the subsidy does not come).

    Attributes (for notebooks and tests):
        opening_cash, monthly_inflow, monthly_outflow, tranche: text boxes (EUR, EUR per month,
            EUR one-off).
        months: slider, months to plan (12-24). tranche_month: slider, the month the subsidy
            tranche arrives (1 to ``months``).
        result: the last :class:`~welfarelab.finance.CashFlowResult`, None after a bad input.
        runway: months the opening cash lasts without the tranche (``math.inf`` when nothing
            is burnt), None after a bad input.
        inputs, summary, message, figure, widget: as in :class:`BreakEvenCalculator`.
    """

    name = "cash-flow calculator"
    _extras = ("runway",)

    def __init__(self, opening_cash=DEFAULT_CASH_FLOW["opening_cash"],
                 monthly_inflow=DEFAULT_CASH_FLOW["monthly_inflow"],
                 monthly_outflow=DEFAULT_CASH_FLOW["monthly_outflow"],
                 months=DEFAULT_CASH_FLOW["months"], tranche=DEFAULT_CASH_FLOW["tranche"],
                 tranche_month=DEFAULT_CASH_FLOW["tranche_month"], chart: bool = True,
                 holiday_pay=0, year_end_bonus=0, vat_rate=0.0, payment_term_days=0):
        self._start(chart)
        # input fields (issue 14): each kind checked by _inputs.read; sliders without a
        # typeable readout (the browser would clamp a typed value without a word)
        per_month = _("EUR per month")
        self.opening_cash = _inputs.number_field(_("opening cash"), opening_cash, "EUR",
                                                 "money", example="30000")
        self.monthly_inflow = _inputs.number_field(_("money in"), monthly_inflow, per_month,
                                                   "money", example="18000")
        self.monthly_outflow = _inputs.number_field(_("money out"), monthly_outflow,
                                                    per_month, "money", example="26000")
        self.tranche = _inputs.number_field(_("subsidy tranche"), tranche, _("EUR, one-off"),
                                            "money", example="75000")
        self.months = _inputs.whole_slider(_("months to plan"), months, min(12, months),
                                           max(24, months))
        self.tranche_month = _inputs.whole_slider(_("subsidy arrives in month"), tranche_month,
                                                  1, self.months.value)
        _inputs.slider_view(self.months, _("{} months"))
        _inputs.slider_view(self.tranche_month, _("month {}"))
        # Belgian payroll extras, VAT and payment terms (issue 16); the plan starts in January
        self.holiday_pay = _inputs.number_field(_("holiday pay in May"), holiday_pay, "EUR",
                                                "money", example="13800")
        self.year_end_bonus = _inputs.number_field(_("year-end bonus in December"),
                                                   year_end_bonus, "EUR", "money",
                                                   example="12000")
        self.vat_rate = w.Dropdown(options=_translated(VAT_RATES),
                                   value=_closest(VAT_RATES, vat_rate),
                                   description=_("VAT on money in"),
                                   style={"description_width": _inputs.LABEL_WIDTH})
        self.payment_term = w.Dropdown(options=_translated(PAYMENT_TERMS),
                                       value=_closest(PAYMENT_TERMS, payment_term_days),
                                       description=_("customers pay after"),
                                       style={"description_width": _inputs.LABEL_WIDTH})
        self._moved_note = None
        inputs = [
            w.HTML(_("<b>Inputs</b> (move the month the subsidy arrives: does the cash "
                     "last?)")),
            _inputs.enter_hint(), self.opening_cash, self.monthly_inflow, self.monthly_outflow,
            _inputs.view(self.months), self.tranche, _inputs.view(self.tranche_month),
            w.HTML(_("<b>Belgian extras</b> (the plan starts in January)")),
            self.holiday_pay, self.year_end_bonus, self.vat_rate, self.payment_term,
        ]
        self._moving = False
        self.tranche_month.observe(self._tranche_month_moved, names="value")
        self.months.observe(self._months_changed, names="value")
        controls = [self.opening_cash, self.monthly_inflow, self.monthly_outflow, self.tranche,
                    self.tranche_month, self.holiday_pay, self.year_end_bonus, self.vat_rate,
                    self.payment_term]
        self._finish(inputs, controls)

    def _tranche_month_moved(self, change=None):
        if not self._moving:  # the student moved it: the note about moving it is old
            self._moved_note = None

    def _months_changed(self, change=None):
        before = self.tranche_month.value
        self._moving = True
        try:
            self.tranche_month.max = self.months.value  # clamps the tranche month
        finally:
            self._moving = False
        if self.tranche_month.value != before:  # say it: never a silently changed value
            self._moved_note = _(
                "subsidy arrives in month: month {before} is after the last month you plan, "
                "so it is now month {now}. Move months to plan up to {before} or more to plan "
                "it in month {before} again.").format(before=before,
                                                      now=self.tranche_month.value)
        self.update()

    def _compute(self):
        inputs = {
            "opening_cash": self._read(self.opening_cash),
            "monthly_inflow": self._read(self.monthly_inflow),
            "monthly_outflow": self._read(self.monthly_outflow),
            "months": self.months.value,
            "tranches": {self.tranche_month.value: self._read(self.tranche)},
        }
        extras = {
            "holiday_pay": self._read(self.holiday_pay),
            "year_end_bonus": self._read(self.year_end_bonus),
            "vat_rate": self.vat_rate.value,
            "payment_term_days": self.payment_term.value,
        }
        # only what is switched on, so the plain plan stays the plain plan
        inputs.update({k: v for k, v in extras.items() if v})
        if self._moved_note:
            self.notes.append(self._moved_note)
        result = finance.cash_flow(**inputs)
        self.runway = finance.runway(inputs["opening_cash"], inputs["monthly_inflow"],
                                     inputs["monthly_outflow"])
        self.inputs = inputs
        return result

    def _summary_html(self, r) -> str:
        i = self.inputs
        (month, amount), = i["tranches"].items()
        table = r.table
        low = table.loc[table["closing"].idxmin()]
        runway = (_("unlimited: money in covers money out") if math.isinf(self.runway)
                  else _months(self.runway))
        first = (_("none") if r.first_negative_month is None
                 else _("month {n}").format(n=r.first_negative_month))
        rows = [
            (_("Runway without the tranche"), runway),
            (_("First month below zero"), first),
            (_("Lowest closing balance"), _("{amount} (month {n})").format(
                amount=eur(low["closing"]), n=int(low["month"]))),
            (_("Closing balance at the end"), eur(table["closing"].iloc[-1])),
        ]
        texts = []
        extras = []
        if i.get("holiday_pay"):
            extras.append(_("holiday pay of {amount} in May").format(amount=eur(i["holiday_pay"])))
        if i.get("year_end_bonus"):
            extras.append(_("a year-end bonus of {amount} in December").format(
                amount=eur(i["year_end_bonus"])))
        if i.get("vat_rate"):
            extras.append(_("VAT of {rate} charged on the money in and paid to the state the "
                            "month after each quarter").format(
                rate=number_text(i["vat_rate"], ".0%")))
        if i.get("payment_term_days"):
            extras.append(_("customers paying {days} days after the month of sale").format(
                days=i["payment_term_days"]))
        if extras:
            texts.append(_("The plan includes {extras} (the runway below leaves these out).")
                         .format(extras=", ".join(extras)))
        if not math.isinf(self.runway):
            texts.append(_("Each month {gap} more goes out than comes in, so the opening cash of "
                           "{cash} lasts {runway} without the subsidy.").format(
                gap=eur(i["monthly_outflow"] - i["monthly_inflow"]), cash=eur(i["opening_cash"]),
                runway=_months(self.runway)))
        if r.first_negative_month is None:
            texts.append(_("The balance stays at {zero} or above in all {months} months: the "
                           "tranche of {amount} in month {month} comes in time.").format(
                zero=eur(0) if i18n_locale() else "€0", months=i["months"], amount=eur(amount),
                month=month))
        else:
            negative = table.loc[r.first_negative_month - 1, "closing"]
            when = (_("the tranche arrives too late") if r.first_negative_month < month
                    else _("even with the tranche the cash runs out"))
            texts.append(_(
                "In month {first} the closing balance is below zero ({negative}): {when} (it "
                "comes in month {month}). To pay your bills you need at least {short} more cash "
                "(the lowest balance, in month {low_month}): a bridge loan, an advance on the "
                "subsidy, or lower spending.").format(
                first=r.first_negative_month, negative=eur(negative), when=when, month=month,
                short=eur(-low["closing"]), low_month=int(low["month"])))
        return _table_html(rows) + _paragraphs(*texts)

    def _figure(self, r, ax=None):
        return cash_flow_figure(r.table, ax=ax)

    def _chart_key(self, r):
        table = r.table
        tranches = (int((table["tranche"] != 0).sum()) if "tranche" in table.columns else -1)
        return tuple(int(m) for m in table["month"]), tranches

    def _chart_update(self, r):
        return lambda ax: update_cash_flow(ax, r.table)

    def _chart_text(self, r) -> str:
        table = r.table
        low = table.loc[table["closing"].idxmin()]
        below = [int(m) for m, c in zip(table["month"], table["closing"]) if c < 0]
        where = (_("below zero in month {months}").format(months=", ".join(map(str, below)))
                 if below else _("0 or more in every month"))
        return _("Bar chart of the closing balance in each of {n} months: {where}; lowest "
                 "{low} in month {month}, {end} at the end.").format(
            n=len(table), where=where, low=eur(low["closing"]), month=int(low["month"]),
            end=eur(table["closing"].iloc[-1]))


def cash_flow_calculator(opening_cash=DEFAULT_CASH_FLOW["opening_cash"],
                         monthly_inflow=DEFAULT_CASH_FLOW["monthly_inflow"],
                         monthly_outflow=DEFAULT_CASH_FLOW["monthly_outflow"],
                         months=DEFAULT_CASH_FLOW["months"], tranche=DEFAULT_CASH_FLOW["tranche"],
                         tranche_month=DEFAULT_CASH_FLOW["tranche_month"], holiday_pay=0,
                         year_end_bonus=0, vat_rate=0.0, payment_term_days=0):
    """Show the cash-flow calculator with a late subsidy (module m05).

    Args:
        opening_cash: EUR at the start of month 1; default 30,000.
        monthly_inflow: EUR per month coming in; default 18,000.
        monthly_outflow: EUR per month going out; default 26,000.
        months: months to plan (the slider runs 12-24); default 12.
        tranche: the subsidy tranche, EUR, one-off; default 75,000.
        tranche_month: the month it arrives; default 6 (promised for month 3), so the balance
            is below zero from month 4.
        holiday_pay: EUR paid in May (the plan starts in January), e.g. the double holiday pay
            of :func:`welfarelab.finance.double_holiday_pay`; default 0.
        year_end_bonus: EUR paid in December; default 0.
        vat_rate: VAT charged on the money in: 0, 0.06 or 0.21 (default 0: exempt).
        payment_term_days: customers pay 0, 30, 60 or 90 days after the month of sale
            (default 0).

    Returns:
        The ipywidgets box to display, or a short note while nbgrader grades.

    Raises:
        ValueError: a VAT rate or payment term that is not one of the form's choices.
    """
    if _base.grading():
        return _base.grading_placeholder(_("cash-flow calculator"))
    return CashFlowCalculator(opening_cash, monthly_inflow, monthly_outflow, months, tranche,
                              tranche_month, holiday_pay=holiday_pay,
                              year_end_bonus=year_end_bonus, vat_rate=vat_rate,
                              payment_term_days=payment_term_days).widget


# --------------------------------------------------------------------------------------------
# 4. loan
# --------------------------------------------------------------------------------------------

class LoanCalculator(_Calculator):
    """A loan with fixed monthly payments: the payment, the total interest, the schedule.

    Calls :func:`welfarelab.finance.loan_schedule` (its ``result``) and
    :func:`welfarelab.finance.loan_payment` (its ``payment``). numpy-financial's payment is
    negative (money paid); the widget says it in words as a positive amount.

    Attributes (for notebooks and tests):
        principal: text box (EUR). annual_rate: text box (% per year, converted to a share
            once). months: text box (number of monthly payments).
        chart_kind: toggle, "split" (interest vs principal per month) or "balance".
        result: the last schedule (DataFrame of :func:`~welfarelab.finance.loan_schedule`),
            None after a bad input. payment: the monthly payment (negative float), or None.
        compare: checkbox; when ticked the boxes ``winwin_rate`` and ``guarantee_rate`` (% per
            year) show: a Winwinlening to compare with, and a PMV guarantee premium on the bank
            loan (issue 16).
        comparison: the DataFrame of :func:`~welfarelab.finance.compare_loans` when compare is
            ticked, else None.
        inputs, summary, message, figure, widget: as in :class:`BreakEvenCalculator`.
    """

    name = "loan calculator"
    _extras = ("payment", "comparison")

    def __init__(self, principal=DEFAULT_LOAN["principal"],
                 annual_rate=DEFAULT_LOAN["annual_rate"], months=DEFAULT_LOAN["months"],
                 chart: bool = True, chart_kind: str = "split", winwin_rate=None,
                 guarantee_rate=None):
        self._start(chart)
        # input fields (issue 14): each kind checked by _inputs.read
        per_year = _("% per year")
        self.principal = _inputs.number_field(_("amount borrowed"), principal, "EUR", "money",
                                              more_than_zero=True, example="40000")
        self.annual_rate = _inputs.number_field(_("annual interest rate"),
                                                _percent_text(annual_rate), per_year,
                                                "percent", example=_percent_text(0.045))
        self.months = _inputs.number_field(_("repaid over"), months, _("months"), "months",
                                           high=finance.MAX_MONTHS, example="60")
        self.chart_kind = w.ToggleButtons(
            options=[(_("interest vs principal"), "split"), (_("debt still owed"), "balance")],
            value=chart_kind, description=_("chart"), style={"description_width": "initial"})
        # compare with a Flemish Winwinlening and a PMV guarantee (issue 16): a checkbox shows
        # the two boxes (the example rates: 3 % a year, and Cultuurloket's 0.5 % premium)
        self.compare = _fit.fit_checkbox(w.Checkbox(
            value=winwin_rate is not None,
            description=_("compare with a Winwinlening (whole years)"), indent=False))
        self.winwin_rate = _inputs.number_field(
            _("Winwinlening rate"), _percent_text(0.03 if winwin_rate is None else winwin_rate),
            per_year, "percent", example="3")
        self.guarantee_rate = _inputs.number_field(
            _("guarantee premium"),
            _percent_text(0.005 if guarantee_rate is None else guarantee_rate),
            per_year, "percent", example=_percent_text(0.005))
        self.compare_box = w.VBox([
            w.HTML(_("The bank loan's guarantee premium is a share of the 75 % PMV guarantees, "
                     "per year; type 0 for no guarantee.")),
            self.winwin_rate, self.guarantee_rate])
        inputs = [w.HTML(_("<b>Inputs</b> (a loan repaid with the same payment every month)")),
                  _inputs.enter_hint(), self.principal, self.annual_rate, self.months, self.chart_kind,
                  self.compare, self.compare_box]
        self.compare.observe(self._show_compare, names="value")
        self._show_compare()
        self._finish(inputs, [self.principal, self.annual_rate, self.months, self.chart_kind,
                              self.compare, self.winwin_rate, self.guarantee_rate])

    def _show_compare(self, change=None):
        self.compare_box.layout.display = "" if self.compare.value else "none"

    def _compute(self):
        principal = self._read(self.principal)
        rate_percent = self._read(self.annual_rate)
        months = self._read(self.months)
        inputs = {"principal": principal, "annual_rate": rate_percent / 100, "months": months}
        payment = finance.loan_payment(**inputs)
        schedule = finance.loan_schedule(**inputs)
        comparison = None
        if self.compare.value:
            winwin = self._read(self.winwin_rate)
            guarantee = self._read(self.guarantee_rate)
            if months % 12:
                raise ValueError(_("repaid over: the comparison needs whole years (12, 24, ... "
                                   "months), but it is {months} months.").format(
                    months=number_text(months)))
            comparison = finance.compare_loans(principal, int(months) // 12,
                                               bank_rate=inputs["annual_rate"],
                                               winwin_rate=winwin / 100,
                                               guarantee_rate=(guarantee or 0) / 100)
        self.inputs = inputs
        self.payment = payment
        self.comparison = comparison
        return schedule

    def _summary_html(self, schedule) -> str:
        i = self.inputs
        months = len(schedule)
        interest = -float(schedule["interest"].sum())
        paid = -float(schedule["payment"].sum())
        monthly = eur(abs(self.payment))
        rows = [
            (_("Monthly payment"), _("{amount} a month").format(amount=monthly)),
            (_("Number of payments"), f"{months}"),
            (_("Total paid back"), eur(paid)),
            (_("Total interest"), eur(interest)),
        ]
        reading = _("You pay {monthly} a month for {months} months. In total you pay back "
                    "{paid}: the {principal} you borrowed plus {interest} interest.").format(
            monthly=monthly, months=months, paid=eur(paid), principal=eur(i["principal"]),
            interest=eur(interest))
        header = "".join(f"<th>{html.escape(h)}</th>" for h in
                         (_("month"), _("payment"), _("interest"), _("principal repaid"),
                          _("still owed")))
        shown = schedule.iloc[[0, -1]] if months > 1 else schedule
        body = "".join(
            "<tr>" + f"<td style='text-align:right'>{int(row.month)}</td>" + "".join(
                f"<td style='text-align:right'>{html.escape(eur(abs(v)))}</td>"
                for v in (row.payment, row.interest, row.principal_repaid, row.balance))
            + "</tr>" for row in shown.itertuples())
        first_last = html.escape(_("First and last month of the schedule (amounts paid):"))
        table = (f"<p>{first_last}"
                 f"</p><table class='welfarelab-finance'><tr>{header}</tr>{body}</table>")
        note = (_("In the first month most of the payment is interest; in the last month almost "
                  "all of it repays the loan.") if interest > 0 else "")
        return (_table_html(rows) + _paragraphs(reading) + table + _paragraphs(note)
                + self._comparison_html())

    def _comparison_html(self) -> str:
        c = self.comparison
        if c is None:
            return ""
        bank, winwin = c.loc["bank loan"], c.loc["Winwinlening"]
        rows = [
            (_("Bank loan: interest + guarantee premium"),
             (f"{eur(bank['enterprise_interest'])} + {eur(bank['guarantee_premium'])} = "
              f"{eur(bank['enterprise_cost'])}")),
            (_("Winwinlening: interest (yearly payments)"), eur(winwin["enterprise_cost"])),
            (_("Winwinlening: the lenders' tax credit"), eur(winwin["lender_tax_credit"])),
            (_("Winwinlening: the lenders' income"), eur(winwin["lender_income"])),
        ]
        if winwin["enterprise_cost"] < bank["enterprise_cost"]:
            cheaper = _("For the enterprise the Winwinlening costs less.")
        else:
            cheaper = _("For the enterprise the bank loan costs less.")
        return ("<p><b>{}</b></p>".format(html.escape(_("Compared with a Winwinlening")))
                + _table_html(rows) + _paragraphs(
                    cheaper + " " + _("The tax credit of 2.5 % a year on the capital still owed "
                                      "goes to the lenders, not to the enterprise; the "
                                      "Winwinlening is subordinated (repaid after the bank).")))

    _chart_size = LOAN_SIZE

    def _figure(self, schedule, ax=None):
        return loan_figure(schedule, kind=self.chart_kind.value, ax=ax)

    def _chart_key(self, schedule):
        return self.chart_kind.value, len(schedule)

    def _chart_update(self, schedule):
        kind = self.chart_kind.value
        return lambda ax: update_loan(ax, schedule, kind)

    def _chart_text(self, schedule) -> str:
        months = len(schedule)
        first, last = schedule.iloc[0], schedule.iloc[-1]
        if self.chart_kind.value == "balance":
            start = abs(float(first["balance"]) - float(first["principal_repaid"]))
            return _("Line chart of the debt still owed: from {start} at month 0 down to {end} "
                     "after payment {months}.").format(
                start=eur(start), end=eur(abs(float(last["balance"]))), months=months)
        return _("Stacked bar chart of each of the {months} monthly payments: month 1 pays "
                 "{first_interest} interest and repays {first_repaid}; month {months} pays "
                 "{last_interest} interest and repays {last_repaid}.").format(
            months=months, first_interest=eur(abs(float(first["interest"]))),
            first_repaid=eur(abs(float(first["principal_repaid"]))),
            last_interest=eur(abs(float(last["interest"]))),
            last_repaid=eur(abs(float(last["principal_repaid"]))))


def loan_calculator(principal=DEFAULT_LOAN["principal"], annual_rate=DEFAULT_LOAN["annual_rate"],
                    months=DEFAULT_LOAN["months"], winwin_rate=None, guarantee_rate=None):
    """Show the loan calculator (module m05).

    Args:
        principal: amount borrowed, EUR; default 40,000 (climbing gear and a training tower).
        annual_rate: share per year (4.5 % is 0.045); shown as a percentage; default 0.045.
        months: number of monthly payments; default 60.
        winwin_rate: share per year of a Winwinlening to compare with (3 % is 0.03); given,
            the comparison starts switched on; default None (off, with 3 % in its box).
        guarantee_rate: PMV guarantee premium, share of the guaranteed amount per year (0.5 %
            is 0.005), added to the bank loan's cost; default None (0.5 % in its box).

    Returns:
        The ipywidgets box to display, or a short note while nbgrader grades.
    """
    if _base.grading():
        return _base.grading_placeholder(_("loan calculator"))
    return LoanCalculator(principal, annual_rate, months, winwin_rate=winwin_rate,
                          guarantee_rate=guarantee_rate).widget
