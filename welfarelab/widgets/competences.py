"""The competence self-assessment widget (module m00): a thin view over welfarelab.competences.

Eight sliders (1-5), one per competence of the course's selection (the focus group's examples,
seed 5.2.4), for "now" and, in a second tab, for "my goal". Every move redraws the radar chart
(:func:`welfarelab.competences.radar_figure`) and the summary
(:func:`welfarelab.competences.summary`); the widget computes nothing itself. The sliders
live only as long as the kernel: :meth:`RadarBox.ratings` reads them, so a notebook can show
them as a dictionary to copy into code.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as w

from .. import competences
from ..i18n import _, number_text
from ..i18n import babel_locale as i18n_locale
from . import _base, _inputs

#: An example profile for the first look: strong soft skills, weaker business skills (the
#: "mismatch" of seed section 5.2.3). Students replace it with their own ratings.
DEFAULT_NOW = {"empathy": 4, "creativity": 3, "collaboration": 4, "communication": 4,
               "open attitude": 4, "finance": 2, "knowledge of business models": 2,
               "strategic thinking": 3}
DEFAULT_GOAL = {"empathy": 4, "creativity": 4, "collaboration": 4, "communication": 4,
                "open attitude": 4, "finance": 3, "knowledge of business models": 4,
                "strategic thinking": 4}


def _slider(name: str, value: int) -> w.IntSlider:
    slider = w.IntSlider(value=value, min=competences.SCALE_MIN, max=competences.SCALE_MAX,
                         step=1, description=_(name), continuous_update=False,
                         style={"description_width": "215px"}, layout=w.Layout(width="375px"))
    # no typeable readout: the browser clamps a typed 7 to 5 without a word (issue 14)
    _inputs.slider_view(slider, "{}", "20px")
    return slider


class CompetenceRadar:
    """Sliders for the eight competences (now and goal), a radar chart and a summary.

    Attributes (for notebooks and tests):
        now, goal: dicts ``{competence: IntSlider}`` (1-5).
        show_goal: checkbox; when ticked, the goal is drawn as a dashed line.
        result: the last :class:`welfarelab.competences.CompetenceSummary` of "now".
        summary, message: HTML widgets with the reading of the profile and with any problem.
        chart_out: the Output that shows the radar chart (a PNG in its ``outputs``).
        widget: the whole form, to display: a :class:`RadarBox`.
    """

    def __init__(self, ratings=None, goal=None, chart: bool = True):
        now = competences.ratings_dict(DEFAULT_NOW if ratings is None else ratings)
        target = competences.ratings_dict(DEFAULT_GOAL if goal is None else goal)
        self.chart = chart
        self.result = None
        self.now = {c: _slider(c, v) for c, v in now.items()}
        self.goal = {c: _slider(c, v) for c, v in target.items()}
        self.show_goal = w.Checkbox(value=goal is not None, description=_("draw my goal too"),
                                    indent=False)
        self.summary = w.HTML()
        self.message = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="420px"))

        # one line per point of the scale, so no meaning is cut in two
        scale = "<br>".join(f"<span style='white-space:nowrap'>{k} = {html.escape(_(v))}</span>"
                            for k, v in competences.SCALE.items())
        tabs = w.Tab(children=[self._column(self.now), self._column(self.goal)])
        tabs.set_title(0, _("now"))
        tabs.set_title(1, _("my goal"))
        inputs = w.VBox([
            w.HTML(_("<b>Rate yourself</b> (1-5)")
                   + f"<div style='font-size:90%;line-height:1.4'>{scale}</div>"),
            tabs, self.show_goal,
        ], layout=w.Layout(width="420px"))
        results = w.VBox([w.HTML(_("<b>Your profile</b>")), self.message, self.summary,
                          self.chart_out],
                         layout=w.Layout(flex="1 1 auto", min_width="320px"))
        self.widget = RadarBox(self, [inputs, results], layout=w.Layout(flex_flow="row wrap"))
        for control in [*self.now.values(), *self.goal.values(), self.show_goal]:
            control.observe(self._on_change, names="value")
        self.update()

    @staticmethod
    def _column(sliders: dict) -> w.VBox:
        soft = [_inputs.view(sliders[c]) for c in competences.SOFT_SKILLS]
        business = [_inputs.view(sliders[c]) for c in competences.BUSINESS_SKILLS]
        return w.VBox([w.HTML("<i>{}</i>".format(_("Soft skills"))), *soft,
                       w.HTML("<i>{}</i>".format(_("Business skills"))), *business])

    def ratings(self) -> dict:
        """Today's ratings as set on the sliders."""
        return {c: s.value for c, s in self.now.items()}

    def goal_ratings(self) -> dict:
        """The goal ratings as set on the sliders."""
        return {c: s.value for c, s in self.goal.items()}

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Redraw from the sliders. Input problems show in ``message``; other errors raise."""
        try:
            result = competences.summary(self.ratings())
            goal = self.goal_ratings() if self.show_goal.value else None
            if goal is not None:
                competences.ratings_dict(goal)
        except (ValueError, TypeError) as err:
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.summary.value = ""
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.result = None
            self.message.value = _base.message_html(_("Unexpected problem: {error}").format(
                error=err))
            raise
        self.result = result
        self.message.value = ""
        self.summary.value = self._summary_html(result)
        if self.chart:
            self._show(competences.radar_figure(self.ratings(), goal=goal))

    def _show(self, fig) -> None:
        """Show ``fig`` (already closed in pyplot) in ``chart_out``, and only there.

        The picture goes into the Output's ``outputs`` state as a PNG, not through ``display``:
        a display from a slider's callback is routed by message id, and a front end that does
        not know that id (a second browser tab, a reconnect) would put the chart in its log
        console instead.
        """
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight", facecolor="white")
        self.chart_out.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                     "text/plain": _("Radar chart of the competence self-ratings")},
            "metadata": {},
        },)

    @staticmethod
    def _summary_html(r: competences.CompetenceSummary) -> str:
        rows = [
            (_("soft skills (average of 5)"), number_text(r.soft_mean, ".1f")),
            (_("business skills (average of 3)"), number_text(r.business_mean, ".1f")),
            (_("gap (soft - business)"), ("+" if r.gap > 0 else "") + number_text(r.gap, ".1f")
             if i18n_locale() else f"{r.gap:+.1f}"),
            (_("strongest"), ", ".join(_(c) for c in r.strongest)),
            (_("to grow"), ", ".join(_(c) for c in r.to_grow)),
        ]
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td><b>{html.escape(v)}</b></td></tr>"
                        for k, v in rows)
        return (f"<table class='welfarelab-competences'>{cells}</table>"
                f"<p>{html.escape(r.sentence())}</p>")


class RadarBox(w.HBox):
    """The form as shown in a notebook; it also reads the sliders back for code.

    ``radar = competence_radar()`` shows the form; later ``radar.ratings()`` gives today's
    ratings and ``radar.goal_ratings()`` the goal, each a dict ``{competence: 1-5}``.
    """

    def __init__(self, radar: CompetenceRadar, children, **kwargs):
        super().__init__(children, **kwargs)
        self.radar = radar

    def ratings(self) -> dict:
        """Today's ratings as set on the sliders, ``{competence: 1-5}``."""
        return self.radar.ratings()

    def goal_ratings(self) -> dict:
        """The goal ratings as set on the sliders, ``{competence: 1-5}``."""
        return self.radar.goal_ratings()


def competence_radar(ratings=None, goal=None):
    """Show the competence self-assessment (module m00).

    Args:
        ratings: optional starting ratings for "now" (a dict ``{competence: 1-5}`` or a list of
            eight ratings in :data:`welfarelab.competences.COMPETENCES` order); default: an
            example profile with strong soft skills and weaker business skills.
        goal: optional starting ratings for "my goal"; when given, the goal is drawn at once.

    Returns:
        A :class:`RadarBox` to display (the last line of a cell shows it); its ``ratings()``
        and ``goal_ratings()`` read the sliders. While nbgrader grades, a short note instead,
        so the widget never slows grading.

    Raises:
        ValueError / TypeError: the starting ratings are not valid (see
            :func:`welfarelab.competences.ratings_dict`).
    """
    if _base.grading():
        return _base.grading_placeholder(_("competence self-assessment"))
    return CompetenceRadar(ratings, goal).widget
