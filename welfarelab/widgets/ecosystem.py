"""Module m02's widgets: the ecosystem explorer and the stakeholder power/interest grid.

Thin views over :mod:`welfarelab.ecosystem`: they read the form, call the pure functions and
show the result. Input problems show as a message inside the widget, never as a traceback.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import ecosystem, i18n
from ..i18n import N_, Np_, _, _p
from . import _base, _inputs
from .design import _TABLE_STYLE, left_headers

#: The story behind the grid's defaults: a buddy project in which volunteers help families
#: with unpaid bills through the GBO (Integrated Broad Intake) of their municipality. The
#: names are marked for the catalog; :func:`default_stakeholders` gives them in the language
#: in use.
DEFAULT_STAKEHOLDERS = [
    {"stakeholder": N_("families with unpaid bills"), "power": 2, "interest": 5},
    {"stakeholder": N_("OCMW social workers"), "power": 4, "interest": 4},
    {"stakeholder": "CAW", "power": 3, "interest": 4},
    {"stakeholder": N_("health insurance fund"), "power": 3, "interest": 3},
    {"stakeholder": "VVSG", "power": 4, "interest": 2},
    {"stakeholder": N_("municipal council"), "power": 5, "interest": 2},
    {"stakeholder": N_("volunteers (buddies)"), "power": 2, "interest": 4},
    {"stakeholder": N_("energy supplier"), "power": 2, "interest": 1},
]

#: Column headings of the tables the widgets show (ids -> text for people).
_HEADINGS = {"name": N_("name"), "acronym": N_("acronym"), "domain": N_("domain"),
             "region": N_("region"), "note": N_("note"), "stakeholder": N_("stakeholder"),
             "power": N_("power"), "interest": Np_("stakeholder grid", "interest"), "quadrant": N_("quadrant")}


def default_stakeholders() -> list[dict]:
    """The grid's example stakeholders (:data:`DEFAULT_STAKEHOLDERS`) in the language in use."""
    return [{**s, "stakeholder": _(s["stakeholder"])} for s in DEFAULT_STAKEHOLDERS]


def _headed(frame):
    """``frame`` with its column headings in the language in use (for display only)."""
    return frame.rename(columns={c: _(_HEADINGS[c]) for c in frame.columns if c in _HEADINGS})


def _name_width(names) -> int:
    """Pixels a stakeholder name box needs for the longest of ``names``: 7 a letter plus 16
    of padding, from 200 (the English names fit) to 360."""
    longest = max((len(str(n)) for n in names), default=0)
    return max(200, min(360, 7 * longest + 16))


_WIDE = {"description_width": "120px"}


class EcosystemExplorer:
    """Filter the actors of seed section 1.2 by domain, region and a search text.

    Attributes (for notebooks and tests):
        domain, region: dropdowns ("all" or one value); search: a text box.
        result: the last filtered DataFrame (from :func:`welfarelab.ecosystem.filter_actors`).
        summary: HTML with the count; table: HTML with the matching actors;
        message: HTML with any problem; widget: the whole view, to display.
    """

    def __init__(self, actors=None, chart: bool = True):
        self.actors = ecosystem.load_actors() if actors is None else actors
        self.chart = chart
        self.result = None
        # options show the language in use; their values stay the ids (English), which
        # filter_actors compares with the data's domain and region columns
        self.domain = w.Dropdown(options=[(ecosystem.label(v), v) for v in
                                          (ecosystem.ALL, *ecosystem.DOMAIN_LABELS)],
                                 value=ecosystem.ALL, description=_("domain"), style=_WIDE,
                                 layout=w.Layout(width="420px"))
        self.region = w.Dropdown(options=[(ecosystem.label(v), v) for v in
                                          (ecosystem.ALL, *ecosystem.REGIONS)],
                                 value=ecosystem.ALL, description=_("region"), style=_WIDE,
                                 layout=w.Layout(width="420px"))
        self.search = w.Text(value="", description=_("name contains"),
                             placeholder=_("e.g. social"), continuous_update=False, style=_WIDE,
                             layout=w.Layout(width="420px"))
        self.message = w.HTML()
        self.summary = w.HTML()
        self.table = w.HTML(layout=w.Layout(max_height="360px", overflow="auto"))
        self.chart_out = w.Output()
        inputs = w.VBox([w.HTML(_("<b>Filter the actors</b> (seed section 1.2)")),
                         self.domain, self.region, self.search, self.chart_out],
                        layout=w.Layout(width="440px"))
        results = w.VBox([w.HTML("<b>" + _("Actors found") + "</b>"), self.message,
                          self.summary,
                          self.table], layout=w.Layout(flex="1 1 auto", min_width="320px"))
        self.widget = w.HBox([inputs, results], layout=w.Layout(flex_flow="row wrap"))
        for control in (self.domain, self.region, self.search):
            control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Filter again from the form; problems show in ``message``, other errors raise."""
        try:
            found = ecosystem.filter_actors(self.actors, self.domain.value, self.region.value,
                                            self.search.value)
            fig = None
            if self.chart:
                # one domain chosen, all regions: show its regions; otherwise show the domains
                one_domain = self.domain.value != ecosystem.ALL
                by = "region" if one_domain and self.region.value == ecosystem.ALL else "domain"
                title = (_("Actors found, per region") if by == "region"
                         else _("Actors found, per domain"))
                fig = ecosystem.actors_figure(found, by=by, title=title)
        except (ValueError, TypeError) as err:
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.summary.value = self.table.value = ""
            return
        except Exception as err:  # shown, then raised: never swallowed
            self.result = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.result = found
        self.message.value = ""
        n = len(found)
        self.summary.value = "<p>" + i18n._ngettext(
            "<b>{n}</b> of {total} actor matches (domain: {domain}, region: {region}).",
            "<b>{n}</b> of {total} actors match (domain: {domain}, region: {region}).", n).format(
            n=n, total=len(self.actors), domain=html.escape(ecosystem.label(self.domain.value)),
            region=html.escape(ecosystem.label(self.region.value))) + "</p>"
        if n == 0:
            self.table.value = ("<p><i>" + _("No actor in the seed fits this filter. Many actors "
                                             "have region 'unknown': the seed does not say where "
                                             "they work.") + "</i></p>")
        else:
            columns = [c for c in ("name", "acronym", "domain", "region", "note")
                       if c in found.columns]
            shown = found[columns].copy()
            for column in ("domain", "region", "note"):
                # the data's Dutch columns (domain_nl, ...) in Dutch, the English ones otherwise
                if column in shown.columns:
                    shown[column] = i18n.localized_column(found, column)
            self.table.value = _TABLE_STYLE + left_headers(_headed(shown.fillna("")).to_html(
                index=False, escape=True, border=0, classes="welfarelab-table"))
        if fig is not None:
            _base.show_figure(self.chart_out, fig)


def ecosystem_explorer(actors=None):
    """Show the ecosystem explorer (module m02): filter the seed's actors by domain and region.

    Args:
        actors: optional actors table; default: the real dataset ``ecosystem_actors``.

    Returns:
        The ipywidgets box to display; while nbgrader grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder(_("ecosystem explorer"))
    return EcosystemExplorer(actors).widget


class StakeholderGrid:
    """Rate up to eight stakeholders on power and interest and see them in the grid.

    Attributes (for notebooks and tests):
        rows: one dict per stakeholder with ``name`` (Text), ``power`` and ``interest``
            (IntSliders 1-5). Leave a name empty to leave the row out.
        result: the last :func:`welfarelab.ecosystem.stakeholder_map` table, or None.
        table, message: HTML widgets; widget: the whole view, to display.
    """

    def __init__(self, stakeholders=None, chart: bool = True):
        given = list(default_stakeholders() if stakeholders is None else stakeholders)
        if len(given) > 8:
            raise ValueError(_("The grid widget takes at most 8 stakeholders; use "
                               "stakeholder_grid_figure(...) for more."))
        given += [{"stakeholder": "", "power": 3, "interest": 3}] * (8 - len(given))
        self.chart = chart
        self.result = None
        # the name boxes are as wide as the longest starting name needs (about 7 px a letter,
        # at least the 200 px of before), so a long Dutch name is not cut (issue 17)
        self.name_width = _name_width(s["stakeholder"] for s in given)
        self.rows = [self._row(s, self.name_width) for s in given]
        self.message = w.HTML()
        self.table = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))
        header = w.HTML(_("<b>Your stakeholders</b><br>power = can decide, fund or block; "
                          "interest = is affected or cares (1 = low, 5 = high)"))
        inputs = w.VBox([header] + [w.HBox([r["name"], _inputs.view(r["power"]),
                                            _inputs.view(r["interest"])])
                                    for r in self.rows],
                        layout=w.Layout(width=f"{560 + self.name_width - 200}px"))
        results = w.VBox([w.HTML("<b>" + _("Grid") + "</b>"), self.message, self.chart_out,
                          self.table],
                         layout=w.Layout(flex="1 1 auto", min_width="320px"))
        self.widget = w.HBox([inputs, results], layout=w.Layout(flex_flow="row wrap"))
        for r in self.rows:
            for control in r.values():
                control.observe(self._on_change, names="value")
        self.update()

    @staticmethod
    def _row(s: dict, name_width: int = 200) -> dict:
        def slider(label, value):
            made = w.IntSlider(value=round(value), min=ecosystem.SCORE_MIN,
                               max=ecosystem.SCORE_MAX, description=label,
                               continuous_update=False, style={"description_width": "62px"},
                               layout=w.Layout(width="157px"))
            # no typeable readout: the browser clamps a typed 7 to 5 without a word (issue 14)
            _inputs.slider_view(made, "{}", "20px")
            return made
        return {"name": w.Text(value=s["stakeholder"], placeholder=_("stakeholder"),
                               layout=w.Layout(width=f"{name_width}px")),
                "power": slider(_("power"), s["power"]),
                "interest": slider(_p("stakeholder grid", "interest"), s["interest"])}

    def stakeholders(self) -> list[dict]:
        """The rows with a name, as dictionaries for :func:`stakeholder_map`."""
        return [{"stakeholder": r["name"].value, "power": r["power"].value,
                     "interest": r["interest"].value}
                for r in self.rows if r["name"].value.strip()]

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Map the stakeholders again; problems show in ``message``, other errors raise."""
        try:
            mapped = ecosystem.stakeholder_map(self.stakeholders())
        except (ValueError, TypeError) as err:
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.table.value = ""
            return
        except Exception as err:
            self.result = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.result = mapped
        self.message.value = ""
        shown = mapped[["stakeholder", "power", "interest", "quadrant"]].copy()
        shown["quadrant"] = [_(ecosystem.QUADRANT_LABEL[q]) for q in shown["quadrant"]]
        self.table.value = _TABLE_STYLE + left_headers(_headed(shown).to_html(
            index=False, escape=True, border=0, classes="welfarelab-table",
            float_format=lambda v: i18n.number_text(v, "g")))
        if self.chart:
            _base.show_figure(self.chart_out, ecosystem.stakeholder_grid_figure(mapped))


def stakeholder_grid(stakeholders=None):
    """Show the stakeholder power/interest grid widget (module m02).

    Args:
        stakeholders: optional list of up to 8 dicts with ``stakeholder``, ``power`` and
            ``interest`` (1-5); default: a buddy project for families with unpaid bills.

    Returns:
        The ipywidgets box to display; while nbgrader grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder(_("stakeholder grid"))
    return StakeholderGrid(stakeholders).widget
