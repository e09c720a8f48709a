"""The Belgian landscape widget (module m01): a timeline of legal milestones and the key figures.

A thin view over :mod:`welfarelab.belgium`: the first tab draws
:func:`welfarelab.belgium.timeline_figure` for a chosen window and lists the milestones in it;
the second shows the seed's key-figures table and the average number of employees per social
enterprise (:func:`welfarelab.belgium.employees_per_enterprise`).
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from .. import belgium, i18n
from ..i18n import _
from . import _base


def _table_html(rows: list[tuple], header: tuple) -> str:
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(h)}</th>"
                   for h in header)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px;vertical-align:top'>"
                                    f"{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _count_text(n: int) -> str:
    """"<b>4 milestones</b> in this window", with the plural of the language in use."""
    return i18n._ngettext("<b>{n} milestone</b> in this window",
                          "<b>{n} milestones</b> in this window", n).format(n=n)


class LegalTimeline:
    """Timeline of roots and legal milestones, with a window to choose, and the key figures.

    Attributes (for notebooks and tests):
        view: dropdown of the windows in :data:`welfarelab.belgium.VIEWS`.
        roots: checkbox; untick it to hide the roots (periods) of the sector.
        shown: the milestones in the current window (a DataFrame), or None after a problem.
        listing, message: HTML widgets with the milestones in the window and with any problem.
        figures: HTML widget with the key-figures table and the employees per enterprise.
        per_enterprise: employees per social enterprise in 2017 (float).
        widget: the whole view, to display.
    """

    def __init__(self, view: str | None = None, roots: bool = True, chart: bool = True,
                 milestones: pd.DataFrame | None = None, key_figures: pd.DataFrame | None = None):
        self.chart = chart
        self.table = belgium.milestones() if milestones is None else milestones
        self.key_figures = belgium.key_figures() if key_figures is None else key_figures
        self.shown = None
        labels = list(belgium.VIEWS)
        # the option shows the label in the language in use; its value stays the id (English)
        self.view = w.Dropdown(options=[(_(label), label) for label in labels],
                               value=view or labels[0], description=_("show"),
                               style={"description_width": "60px"},
                               layout=w.Layout(width="520px"))
        self.roots = w.Checkbox(value=roots,
                                description=_("show the roots of the sector (periods)"),
                                indent=False)
        self.message = w.HTML()
        self.listing = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="380px"))
        timeline = w.VBox([w.HBox([self.view, self.roots]), self.message, self.chart_out,
                           self.listing])

        kf = self.key_figures
        enterprises = belgium.figure(kf, "estimated number of social enterprises")
        employees = belgium.figure(kf, "estimated number of employees in social enterprises")
        self.per_enterprise = belgium.employees_per_enterprise(enterprises, employees)
        shown = belgium.key_figures_table(kf)
        self.figures = w.HTML(
            _table_html(list(shown.itertuples(index=False)),
                        (_("indicator"), _("figure"), _("source")))
            + "<p>" + _("On average a social enterprise employed <b>{average}</b> people in 2017 "
                        "({employees} employees / {enterprises} social enterprises).").format(
                average=i18n.number_text(self.per_enterprise, ".1f"),
                employees=i18n.number_text(employees, ",.0f"),
                enterprises=i18n.number_text(enterprises, ",.0f")) + "</p>")
        tabs = w.Tab(children=[timeline, self.figures])
        tabs.set_title(0, _("timeline"))
        tabs.set_title(1, _("key figures"))
        self.widget = tabs
        for control in (self.view, self.roots):
            control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Redraw the timeline for the chosen window; problems show in ``message``."""
        start, end = belgium.VIEWS[self.view.value]
        try:
            shown = belgium.in_window(self.table, start, end, roots=self.roots.value)
            fig = (belgium.timeline_figure(self.table, start, end, roots=self.roots.value)
                   if self.chart else None)
        except (ValueError, TypeError) as err:
            self.shown = None
            self.message.value = _base.message_html(str(err))
            self.listing.value = ""
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.shown = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.shown = shown
        self.message.value = ""
        events = i18n.localized_column(shown, "event")
        sources = i18n.localized_column(shown, "source")
        rows = [(belgium.when(r), events[i], sources[i]) for i, r in shown.iterrows()]
        count = _count_text(len(shown))
        self.listing.value = (f"<p>{count}</p>"
                              + _table_html(rows, (_("when"), _("what happened"), _("source"))))
        if fig is not None:
            _base.show_figure(self.chart_out, fig)


def legal_timeline(view: str | None = None, roots: bool = True):
    """Show the timeline of legal milestones and the key-figures table (module m01).

    Args:
        view: one of the labels of :data:`welfarelab.belgium.VIEWS`; default the whole history.
        roots: False hides the roots (periods) at first.

    Returns:
        The ipywidgets tabs to display (the last line of a cell shows them). While nbgrader
        grades, a short note instead, so the widget never slows grading.
    """
    if _base.grading():
        return _base.grading_placeholder(_("timeline of legal milestones"))
    return LegalTimeline(view, roots).widget
