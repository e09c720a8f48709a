"""The "what is a social enterprise" widget (module m01): a thin view over welfarelab.enterprise.

Three tabs: tick the EMES indicators (and the three EU criteria) an organisation shows and read
its profile (:func:`welfarelab.enterprise.emes_profile`, :func:`~welfarelab.enterprise.eu_profile`);
tick an organisation's needs and see which Belgian form allows them
(:func:`~welfarelab.enterprise.form_fit`) and the most it may pay its members
(:func:`~welfarelab.enterprise.max_distribution`); and the comparison table with its sources
(:func:`~welfarelab.enterprise.legal_forms`). The widget computes nothing itself.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import enterprise
from ..i18n import N_, _
from ..money import eur
from . import _base, _fit

#: Column headings of the tables (ids -> text for people); the forms' names stay as they are.
_HEADINGS = {"topic": N_("topic"), "source": N_("source"), "need": N_("need"),
             "rule": N_("rule")}


def _table_html(df) -> str:
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>"
                   f"{html.escape(_(_HEADINGS[c]) if c in _HEADINGS else str(c))}</th>"
                   for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px;vertical-align:top'>"
                                    f"{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


#: A checklist row's width in px. A checkbox cuts its own text with "…" when it is wider
#: (ipywidgets' checkbox text never wraps): a longer text goes in a label that wraps.
ROW_WIDTH = 640
#: The width in px of a checkbox without text: its 13px box and 8px margin.
BOX_ONLY_WIDTH = 21
#: The margins in px around the checkbox (2 + 2) and right of the label (2): the label
#: has none on its left, so its text starts (2px from) where a checkbox's own text does.
ROW_MARGINS = 6


def _box(text: str, value: bool) -> tuple[w.Checkbox, w.DOMWidget]:
    """A checklist row for ``text``: ``(checkbox, row to show)``.

    A text that fits in :data:`ROW_WIDTH` px is the checkbox's own description (a click on
    the text ticks the box) and the row is the checkbox. A longer one (issue 17: the EU's
    third criterion in English and Dutch, the EMES participation indicator in Dutch) would be
    cut: the checkbox then has no description and the text wraps in an HTML label beside it,
    within the same width (its tooltip holds the text too).
    """
    box = w.Checkbox(value=value, description=text, indent=False,
                     layout=w.Layout(width=f"{ROW_WIDTH}px"))
    if _fit.needed_width(box) <= ROW_WIDTH:
        return box, box
    box.description = ""
    box.tooltip = text
    box.layout.width = f"{BOX_ONLY_WIDTH}px"
    label = w.HTML(f"<div style='white-space:normal;line-height:1.3;padding-top:5px'>"
                   f"{html.escape(text)}</div>",
                   layout=w.Layout(width=f"{ROW_WIDTH - BOX_ONLY_WIDTH - ROW_MARGINS}px",
                                   margin="2px 2px 2px 0px"))
    return box, w.HBox([box, label], layout=w.Layout(width=f"{ROW_WIDTH}px",
                                                     align_items="flex-start"))


#: The EU criteria's keys as people read them (``_()`` where shown).
EU_KEY_LABEL = {"social objective": N_("social objective"),
                "profits reinvested": N_("profits reinvested"),
                "mission in governance": N_("mission in governance")}


class SocialEnterpriseExplorer:
    """EMES and EU checklists, the VZW / CV-SO choice and the comparison table.

    Attributes (for notebooks and tests):
        emes, eu: dicts ``{key: Checkbox}`` for the indicators of each definition.
        needs: dict ``{need: Checkbox}`` for :data:`welfarelab.enterprise.NEEDS`.
        capital: text box, EUR paid in on the shares.
        profile, eu_result: the last :class:`welfarelab.enterprise.Profile` of each checklist.
        fit: the last :func:`welfarelab.enterprise.form_fit` table (or None).
        summary, choice, message: HTML widgets with the readings and any problem.
        widget: the whole view, to display.
    """

    def __init__(self, emes: dict | None = None, needs=()):
        emes = emes or {}
        emes_rows = {c.key: _box(_("{dimension}: {text}").format(
                         dimension=_(enterprise.DIMENSION_LABEL[c.dimension]), text=_(c.text)),
                         emes.get(c.key, False))
                     for c in enterprise.EMES_INDICATORS}
        eu_rows = {c.key: _box(_(c.text), False) for c in enterprise.EU_CRITERIA}
        needs_rows = {n: _box(_(n), n in needs) for n in enterprise.NEEDS}
        self.emes = {k: box for k, (box, _row) in emes_rows.items()}
        self.eu = {k: box for k, (box, _row) in eu_rows.items()}
        self.needs = {k: box for k, (box, _row) in needs_rows.items()}
        self.capital = _base.number_box(_("paid in on the shares"), 40000, "EUR")
        self.summary = w.HTML()
        self.choice = w.HTML()
        self.message = w.HTML()
        self.profile = self.eu_result = self.fit = None
        emes_tab = w.VBox([w.HTML(_("<b>EMES ideal type</b>: tick what the organisation "
                                    "shows."))]
                          + [row for _unused, row in emes_rows.values()]
                          + [w.HTML("<b>" + _("EU operational definition") + "</b>")]
                          + [row for _unused, row in eu_rows.values()] + [self.summary])
        choice_tab = w.VBox([w.HTML("<b>" + _("What does the organisation need?") + "</b>")]
                            + [row for _unused, row in needs_rows.values()]
                            + [self.capital, self.message, self.choice])
        table_tab = w.HTML(_table_html(enterprise.legal_forms()))
        tabs = w.Tab(children=[emes_tab, choice_tab, table_tab])
        for i, title in enumerate((_("definitions"), _("VZW or CV-SO?"), _("the two forms"))):
            tabs.set_title(i, title)
        self.widget = tabs
        for box in (*self.emes.values(), *self.eu.values(), *self.needs.values(), self.capital):
            box.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Recompute both readings; a problem shows in ``message``, never as a traceback."""
        self.profile = enterprise.emes_profile({k: b.value for k, b in self.emes.items()})
        self.eu_result = enterprise.eu_profile({k: b.value for k, b in self.eu.items()})
        missing = ", ".join(_(EU_KEY_LABEL[k]) for k in self.eu_result.not_met)
        self.summary.value = (
            "<p>" + _("EMES: {profile}. EMES calls these indicators an ideal type, a compass to "
                      "place an organisation, not a test it passes or fails.").format(
                profile=html.escape(self.profile.sentence())) + "</p>"
            + "<p>" + (_("EU definition: {met} of 3 dimensions met (missing: {missing}).")
                       .format(met=len(self.eu_result.met), missing=html.escape(missing))
                       if self.eu_result.not_met else
                       _("EU definition: {met} of 3 dimensions met.").format(
                           met=len(self.eu_result.met))) + "</p>")
        chosen = [n for n, b in self.needs.items() if b.value]
        try:
            capital = _base.read_number(self.capital, _("paid in on the shares (EUR)"))
            payouts = {f: enterprise.max_distribution(f, capital) for f in enterprise.FORMS}
        except (ValueError, TypeError) as err:
            self.message.value = _base.message_html(str(err))
            return
        self.message.value = ""
        money = ("<p>" + _("Most it may pay its members a year: {amounts}.").format(
            amounts="; ".join(f"{f} {eur(v)}" for f, v in payouts.items())) + "</p>")
        if not chosen:
            self.fit = None
            self.choice.value = "<p>" + _("Tick at least one need.") + "</p>" + money
            return
        self.fit = enterprise.form_fit(chosen)
        fits = enterprise.forms_allowing(chosen)
        if fits:
            verdict = _("Allows every need for sure: <b>{forms}</b>.").format(
                forms=html.escape((" " + _("and") + " ").join(fits)))
        else:
            verdict = _("No form allows every need for sure: drop or change a need, or check "
                        "the statutes where the table says so.")
        shown = self.fit.assign(need=[_(n) for n in self.fit["need"]])
        self.choice.value = _table_html(shown) + f"<p>{verdict}</p>" + money


def social_enterprise_explorer(emes: dict | None = None, needs=()):
    """Show the EMES/EU checklists and the VZW or CV-SO choice (module m01).

    Args:
        emes: optional ``{indicator key: bool}`` to start from (default: nothing ticked).
        needs: optional needs (keys of :data:`welfarelab.enterprise.NEEDS`) ticked at first.

    Returns:
        The ipywidgets tabs to display. While nbgrader grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder(_("social enterprise explorer"))
    return SocialEnterpriseExplorer(emes, needs).widget
