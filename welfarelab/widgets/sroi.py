"""The SROI calculator widget: a thin view over :func:`welfarelab.impact.sroi`."""

from __future__ import annotations

import dataclasses
import html

import ipywidgets as w
import pandas as pd

from .. import impact
from ..i18n import N_, _, number_text
from ..money import eur
from ..plotting import WATERFALL_SIZE, update_waterfall, waterfall_figure
from . import _base, _inputs

#: Synthetic defaults that tell the story of a Rising You-like programme (see module m06).
DEFAULT_INVESTMENT = 120_000
DEFAULT_OUTCOMES = [
    {"name": N_("found a job"), "stakeholder": N_("young refugees"), "quantity": 12,
     "financial_proxy": 14_000, "deadweight": 0.30, "displacement": 0.10, "attribution": 0.20,
     "drop_off": 0.20, "duration": 3},
    {"name": N_("more self-confidence"), "stakeholder": N_("young refugees"), "quantity": 30,
     "financial_proxy": 1_500, "deadweight": 0.10, "displacement": 0.0, "attribution": 0.30,
     "drop_off": 0.50, "duration": 2},
    {"name": N_("vacancy filled"), "stakeholder": N_("employers"), "quantity": 12,
     "financial_proxy": 3_000, "deadweight": 0.25, "displacement": 0.20, "attribution": 0.20,
     "drop_off": 0.30, "duration": 2},
]


class SROICalculator:
    """Form for a few outcomes and an investment; shows PV, NPV, ratio, payback and a waterfall.

    The calculation is :func:`welfarelab.impact.sroi`; this class only reads the form, calls it
    and shows the answer. Percentages in the form are converted to shares 0-1 once, here.

    Attributes (for notebooks and tests):
        investment, discount_rate: the investment (EUR) text box and the discount-rate slider (%).
        rows: one dict per outcome of its input widgets, keyed by Outcome field name.
        result: the last :class:`welfarelab.impact.SROIResult`, or None after a bad input.
        notes: what the last good calculation says about how a value was read (a percentage
            below 1), shown in ``message`` beside the result; see
            :func:`welfarelab.widgets._inputs.read`.
        summary, message: HTML widgets with the figures and with any input problem.
        sensitivity: HTML widget with the switching values of the current inputs, in plain
            words (inside ``sensitivity_box``, an Accordion below the chart).
        sensitivity_table: the last :func:`welfarelab.impact.switching_values` DataFrame, or
            None after a bad input.
        widget: the whole form, to display.
    """

    def __init__(self, outcomes=None, investment=DEFAULT_INVESTMENT,
                 discount_rate=impact.DEFAULT_DISCOUNT_RATE, chart: bool = True):
        outcomes = [dict(o, name=_(o["name"]), stakeholder=_(o["stakeholder"]))
                    for o in DEFAULT_OUTCOMES] if outcomes is None else [
            dataclasses.asdict(o) if isinstance(o, impact.Outcome) else dict(o) for o in outcomes]
        self.chart = chart
        self.result = None
        # input fields (issue 14): each kind checked by _inputs.read, no typeable slider readouts
        self.investment = _inputs.number_field(_("investment"), investment, "EUR", "money",
                                               more_than_zero=True, example="120000")
        self.discount_rate = _inputs.percent_slider(_("discount rate"), discount_rate, high=20,
                                                    step=0.5)
        _inputs.slider_view(self.discount_rate, "{:.1f} %")
        self.notes = []
        self.rows = [self._outcome_row(o) for o in outcomes]
        self.summary = w.HTML()
        self.message = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))
        # one kept figure, redrawn in place on each change (issue 15); none without a chart
        self.chart_view = _base.LiveChart(self.chart_out, WATERFALL_SIZE) if chart else None
        self.sensitivity = w.HTML()
        self.sensitivity_table = None
        self.sensitivity_box = w.Accordion(children=[self.sensitivity])
        self.sensitivity_box.set_title(0, _("Sensitivity: when does the ratio reach 1 : 1?"))

        tabs = w.Tab(children=[w.VBox([_inputs.view(c) for c in r.values()])
                               for r in self.rows])
        for i, r in enumerate(self.rows):
            tabs.set_title(i, r["name"].value or _("outcome {i}").format(i=i + 1))
        self.tabs = tabs
        inputs = [
            w.HTML(_("<b>Inputs</b> (one tab per outcome; shares are percentages removed)")),
            _inputs.enter_hint(), self.investment, _inputs.view(self.discount_rate), tabs,
        ]
        self.widget = _base.calculator_layout(inputs, self.message, self.summary,
                                              self.chart_out, [self.sensitivity_box])

        for control in self._controls():
            control.observe(self._on_change, names="value")
        self.update()

    def _outcome_row(self, o: dict) -> dict:
        row = {
            "name": w.Text(value=o["name"], description=_("outcome"), continuous_update=False,
                           style={"description_width": _inputs.LABEL_WIDTH}),
            "stakeholder": w.Text(value=o["stakeholder"], description=_("stakeholder"),
                                  continuous_update=False,
                                  style={"description_width": _inputs.LABEL_WIDTH}),
            # 0 people is allowed: it leaves an outcome out without deleting its tab
            "quantity": _inputs.number_field(_("quantity"), o["quantity"], _("people or units"),
                                             "count", example="12"),
            "financial_proxy": _inputs.number_field(_("financial proxy"), o["financial_proxy"],
                                                    _("EUR per unit per year"), "money",
                                                    example="1500"),
            "deadweight": _inputs.percent_slider(_("deadweight"), o.get("deadweight", 0)),
            "displacement": _inputs.percent_slider(_("displacement"), o.get("displacement", 0)),
            "attribution": _inputs.percent_slider(_("attribution"), o.get("attribution", 0)),
            "drop_off": _inputs.percent_slider(_("drop-off per year"), o.get("drop_off", 0)),
            "duration": _inputs.number_field(_("duration"), o.get("duration", 1), _("years"),
                                             "years",
                                             low=1, high=impact.MAX_DURATION_YEARS, example="3"),
        }
        for control in row.values():  # fit inside the tab, labels never cut (issue 14)
            if isinstance(control, w.FloatSlider):
                control.layout.width = "360px"
                _inputs.slider_view(control)
            else:
                control.layout.width = "420px"
        return row

    def _controls(self):
        yield self.investment
        yield self.discount_rate
        for row in self.rows:
            yield from row.values()

    def outcomes(self, notes: list | None = None) -> list[impact.Outcome]:
        """The outcomes as typed in the form (raises ValueError naming a bad field and what to
        type; see :func:`welfarelab.widgets._inputs.read`)."""
        result = []
        for i, row in enumerate(self.rows, start=1):
            name = row["name"].value.strip() or _("outcome {i}").format(i=i)
            result.append(impact.Outcome(
                name=name,
                stakeholder=row["stakeholder"].value,
                quantity=self._quantity(row["quantity"], name, notes),
                financial_proxy=_inputs.read(row["financial_proxy"], name, notes),
                deadweight=row["deadweight"].value / 100,
                displacement=row["displacement"].value / 100,
                attribution=row["attribution"].value / 100,
                drop_off=row["drop_off"].value / 100,
                duration=_inputs.read(row["duration"], name, notes),
            ))
        return result

    @staticmethod
    def _quantity(box, name: str, notes: list | None):
        """The quantity of outcome ``name``; 0 is allowed (it leaves the outcome out without
        deleting its tab), with a note so that it is never taken silently (issue 14)."""
        quantity = _inputs.read(box, name, notes)
        if quantity == 0 and notes is not None:
            notes.append(_("quantity of {name} is 0, so this outcome adds no value (a way to "
                           "leave it out). To count it, type the number of people or units, for "
                           "example 12.").format(name=repr(name)))
        return quantity

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Recalculate from the form. Input problems show in ``message``; other errors raise."""
        for i, row in enumerate(self.rows):
            self.tabs.set_title(i, row["name"].value or _("outcome {i}").format(i=i + 1))
        notes = []
        try:
            outcomes = self.outcomes(notes)
            investment = _inputs.read(self.investment, notes=notes)
            result = impact.sroi(outcomes, investment, self.discount_rate.value / 100)
            # calculated all the same, but an amount in EUR below 1 looks like a share (0,25)
            notes.extend(impact.implausible_amounts(outcomes, investment))
        except (ValueError, TypeError) as err:
            self._clear()
            self.message.value = _base.message_html(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self._clear()
            self.message.value = _base.message_html(_("Unexpected problem: {error}").format(
                error=err))
            raise
        self.result = result
        self.notes = notes
        self.message.value = "".join(_base.message_html(n, "info") for n in notes)
        self.summary.value = self._summary_html(result)
        self._update_sensitivity(outcomes, result)
        if self.chart:
            steps = result.waterfall
            self.chart_view.show(
                lambda ax: self._figure(result, ax=ax), self._chart_text(result),
                key=tuple(steps.index),
                update=lambda ax: update_waterfall(ax, steps, result.investment))

    @staticmethod
    def _figure(result: impact.SROIResult, ax=None):
        """The waterfall chart of ``result`` on ``ax`` (a new figure when None)."""
        return waterfall_figure(result.waterfall, investment=result.investment,
                                title=_("From gross value to present value"), ax=ax)

    @staticmethod
    def _chart_text(r: impact.SROIResult) -> str:
        """The chart's text alternative: what it shows, with its figures."""
        steps = r.waterfall
        return _("Waterfall chart: the gross value of {gross} shrinks step by step "
                 "(deadweight, displacement, attribution, drop-off, discounting) to a present "
                 "value of {pv}; the dashed line is the investment of {investment} (SROI ratio "
                 "{ratio} : 1).").format(gross=eur(steps.iloc[0]), pv=eur(r.present_value),
                                         investment=eur(r.investment),
                                         ratio=number_text(r.ratio, ".2f"))

    def _update_sensitivity(self, outcomes, result: impact.SROIResult):
        """Show the switching values; a problem there (two outcomes with one name) shows in the
        sensitivity part only, so the result above stays."""
        try:
            table = impact.switching_values(outcomes, result.investment, result.discount_rate)
        except (ValueError, TypeError) as err:
            self.sensitivity_table = None
            self.sensitivity.value = _base.message_html(str(err))
            return
        self.sensitivity_table = table
        self.sensitivity.value = self._sensitivity_html(table, result)

    def _clear(self):
        self.result = None
        if self.chart_view is not None:  # no chart of the last good input under an error
            self.chart_view.clear()
        self.sensitivity_table = None
        self.summary.value = ""
        self.sensitivity.value = ""

    @staticmethod
    def _sensitivity_html(table, r: impact.SROIResult) -> str:
        """The switching values as an HTML table, one row per assumption of each outcome."""
        if r.ratio > 1:
            intro = _("Every euro invested now creates more than a euro of social value. How far "
                      "must one assumption move before the ratio falls to 1 : 1 (the value just "
                      "covers the investment)? The SROI Guide calls this the switching value.")
        else:
            intro = _("The ratio is 1 : 1 or less now. How far must one assumption move before "
                      "the ratio rises to 1 : 1? The SROI Guide calls this the switching value.")
        intro += " " + _("Each row moves one assumption of one outcome and keeps everything else "
                         "as you typed it. An assumption that is close to its switching value "
                         "needs the strongest evidence.")
        rows = []
        for outcome, field, today, switch, words in zip(
                table["outcome"], table["field"], table["today"], table["switching value"],
                table["in words"]):
            at = "—" if pd.isna(switch) else impact.format_field_value(field, float(switch))
            cells = (outcome, _(impact.FIELD_LABELS[field]),
                     impact.format_field_value(field, today),
                     at, words)
            rows.append("<tr>" + "".join(f"<td style='padding:2px 6px'>{html.escape(str(c))}</td>"
                                           for c in cells)
                        + "</tr>")
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in
                       (_("Outcome"), _("Assumption"), _("Today"), _("Ratio is 1 : 1 at"),
                        _("In plain words")))
        return (f"<p>{html.escape(intro)}</p>"
                f"<table class='welfarelab-sensitivity'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    @staticmethod
    def _summary_html(r: impact.SROIResult) -> str:
        payback = (_("never (no value in year 1)") if r.payback_months is None
                   else _("{n} months").format(n=number_text(r.payback_months, ".1f")))
        rows = [
            (_("Present value (PV)"), eur(r.present_value)),
            (_("Net present value (NPV)"), eur(r.npv)),
            (_("SROI ratio"), f"{number_text(r.ratio, '.2f')} : 1"),
            (_("Net SROI ratio"), number_text(r.net_ratio, ".2f")),
            (_("Payback (simple)"), payback),
        ]
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>"
                        f"<b>{html.escape(v)}</b></td></tr>" for k, v in rows)
        reading = _("Every euro invested creates {value} of social value (present value, after "
                    "deadweight, displacement, attribution, drop-off and discounting at "
                    "{rate}).").format(value=eur(r.ratio), rate=number_text(r.discount_rate, ".1%"))
        return (f"<table class='welfarelab-sroi'>{cells}</table>"
                f"<p>{html.escape(reading)}</p>")


def sroi_calculator(outcomes=None, investment=DEFAULT_INVESTMENT,
                    discount_rate=impact.DEFAULT_DISCOUNT_RATE):
    """Show the SROI calculator (module m06).

    Args:
        outcomes: optional list of :class:`welfarelab.impact.Outcome` objects, or of dicts
            with their fields (shares as decimals 0-1); default: three synthetic outcomes of a refugee-training
            programme.
        investment: EUR at t = 0; default 120,000.
        discount_rate: share per year; default 0.035.

    Returns:
        The ipywidgets box to display (the last line of a cell shows it). While nbgrader
        grades, a short note instead, so the calculator never slows grading.
    """
    if _base.grading():
        return _base.grading_placeholder(_("SROI calculator"))
    return SROICalculator(outcomes, investment, discount_rate).widget
