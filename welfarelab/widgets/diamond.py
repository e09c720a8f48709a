"""Module m03's walkthrough of the Double Diamond, with the d.school modes and the GBO case.

The content (the stages and modes) lives in plain tuples and :func:`stage_table`; the figure
is :func:`double_diamond_figure`; :class:`DoubleDiamondWalkthrough` only shows them one stage
at a time. ipywidgets is imported only when the walkthrough is made.

Sources: Design Council, the Double Diamond (mid-2000s) and the *Framework for Innovation*
(2019); Hasso Plattner Institute of Design at Stanford (d.school, 2010), *An Introduction
to Design Thinking: Process Guide*; the GBO case of the WELFARE needs analysis (seed section
3; VVSG 2022; Vlaanderen Departement Welzijn, Gezondheid en Gezin 2022; Veraert 2022).
"""

from __future__ import annotations

import html

import pandas as pd

from ..i18n import N_, _

#: The four stages of the Double Diamond, in order. Every text is marked for the catalog and
#: shown with ``_()``; the stage names (the keys other code compares) stay English in code.
STAGES = (
    {
        "stage": N_("Discover"), "diamond": N_("first diamond: the problem"),
        "movement": N_("diverge"),
        "question": N_("What is really going on, for the people concerned?"),
        "what": N_("Go out and look, listen and ask before you decide what the problem is. "
                   "Talk to and spend time with the people a service is for, and with those it "
                   "fails to reach. Collect much more than you will use."),
        "modes": (N_("Empathise"),),
        "methods": N_("interviews, observation, a short survey, a day in the life, mapping "
                      "who is involved"),
        "tools": N_("welfarelab.design.persona_summary: count survey answers per persona"),
        "gbo": N_("A GBO trajectory starts from the citizen's side of the intake: who falls "
                  "through the net between the OCMW, the CAW and the other services, and why? "
                  "The seed calls this the big gain of the case: authorities begin to think "
                  "from the perspective of a user or target group (seed 3.3)."),
    },
    {
        "stage": N_("Define"), "diamond": N_("first diamond: the problem"),
        "movement": N_("converge"),
        "question": N_("Which problem will we solve, and for whom?"),
        "what": N_("Make sense of what you found: group it, draw personas, and write the "
                   "challenge down as one clear question, often 'How might we ...?'. Choosing "
                   "means leaving other problems for later."),
        "modes": (N_("Define"),),
        "methods": N_("clustering insights, personas, customer journey, a 'How might we ...?' "
                      "question"),
        "tools": N_("welfarelab.design.persona_summary with two columns (a cross-table)"),
        "gbo": N_("The GBO framework asks local services to cooperate in a shared intake but "
                  "does not say how: the best way depends on the local situation (seed 3.1.2). "
                  "So each municipality defines its own challenge, for example (our wording): "
                  "'How might we reach households that cannot pay their bills before their "
                  "debts pile up?'"),
    },
    {
        "stage": N_("Develop"), "diamond": N_("second diamond: the solution"),
        "movement": N_("diverge"),
        "question": N_("What could work? Many ideas, made tangible quickly."),
        "what": N_("Come up with many different answers, together with the people concerned "
                   "(co-design). Make rough prototypes: a paper version, a role play, a "
                   "mock-up. Then converge: score the ideas and vote."),
        "modes": (N_("Ideate"), N_("Prototype")),
        "methods": N_("brainstorming, co-design sessions, rough prototypes, impact/effort "
                      "matrix, dot voting"),
        "tools": N_("welfarelab.design.prioritise and welfarelab.design.dot_vote"),
        "gbo": N_("In Oudenaarde, a route for hard-to-reach groups was worked out with the "
                  "VDAB. A similar process had been stopped before; this time the partners "
                  "developed solutions with a 'prototype puzzle' and set up suitable advice and "
                  "services (Veraert, 2022)."),
    },
    {
        "stage": N_("Deliver"), "diamond": N_("second diamond: the solution"),
        "movement": N_("converge"),
        "question": N_("Which solution works in practice? Test, improve, and roll it out."),
        "what": N_("Test the best prototypes at a small scale with real users, drop what does "
                   "not work, improve what does, and launch. Then keep adjusting: delivery is "
                   "the start of the next round of learning."),
        "modes": (N_("Prototype"), N_("Test")),
        "methods": N_("pilots, user tests, feedback loops, a service blueprint, evaluation"),
        "tools": N_("a prototype plan (the written part of the m03 assignment)"),
        "gbo": N_("In Meetjesland a health insurance fund used service design for citizens who "
                  "cannot pay their bills. A cube was designed to raise awareness in the target "
                  "group from different perspectives and to let social workers work in a "
                  "strongly outreaching way, with results (Veraert, 2022). Service design lets "
                  "a service be adjusted step by step, based on prototypes (seed 3.3)."),
    },
)

#: The five modes of the d.school's design-thinking process, and the stage they mostly serve.
DSCHOOL_MODES = (
    (N_("Empathise"), N_("understand people's experiences and needs by observing, engaging and "
                         "immersing yourself"), N_("Discover")),
    (N_("Define"), N_("turn what you learnt into a sharp, meaningful problem statement (a "
                      "point of view)"), N_("Define")),
    (N_("Ideate"), N_("generate many ideas, going wide before choosing"), N_("Develop")),
    (N_("Prototype"), N_("make ideas tangible, cheaply and quickly, to think and learn with "
                         "them"), N_("Develop and Deliver")),
    (N_("Test"), N_("try prototypes with users, learn, and refine (or go back a step)"),
     N_("Deliver")),
)

STAGE_NAMES = tuple(s["stage"] for s in STAGES)


def stage_table() -> pd.DataFrame:
    """The Double Diamond as a table: one row per stage with its movement and d.school modes.

    Returns:
        DataFrame with the columns ``stage``, ``diamond``, ``movement`` (diverge/converge),
        ``question``, ``d.school modes`` (text) and ``methods``, in the order Discover, Define,
        Develop, Deliver. The column names stay the same in every language (code and checks
        use them); the cells are in the language in use (in Dutch the stage and mode names
        are the method's English names, as the Dutch course uses them).
    """
    return pd.DataFrame([{
        "stage": _(s["stage"]), "diamond": _(s["diamond"]), "movement": _(s["movement"]),
        "question": _(s["question"]), "d.school modes": ", ".join(_(m) for m in s["modes"]),
        "methods": _(s["methods"])} for s in STAGES])


def modes_table() -> pd.DataFrame:
    """The d.school's five modes: ``mode``, ``what you do`` and ``Double Diamond stage``
    (column names the same in every language, cells in the language in use)."""
    return pd.DataFrame([tuple(_(text) for text in row) for row in DSCHOOL_MODES],
                        columns=["mode", "what you do", "Double Diamond stage"])


def _movement_layout(text: str) -> tuple[float, bool]:
    """(letter size in points, whether to centre it) of a movement's word in its triangle.

    The English words ("diverge", "converge") keep 9 points and their place; a wider word
    (the Dutch "convergeren") moves to the middle of its triangle and shrinks, if needed, to
    1.2 times the width of "converge" at 9 points, so that it stays inside the triangle.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    italic = FontProperties(style="italic")

    def width(words: str) -> float:
        return TextPath((0, 0), words, size=9, prop=italic).get_extents().width

    widest = max(width("diverge"), width("converge"))
    wide = width(text)
    return round(9 * min(1.0, 1.2 * widest / max(wide, 1e-9)), 1), wide > widest


def double_diamond_figure(highlight: str | None = None, title: str | None = None):
    """Draw the Double Diamond, optionally with one stage highlighted.

    Args:
        highlight: ``"Discover"``, ``"Define"``, ``"Develop"``, ``"Deliver"`` or None.
        title: text above the drawing; None (default) gives "The Double Diamond" in the
            language in use, "" none.

    Returns:
        matplotlib ``Figure`` (closed in pyplot). Four triangles: the highlighted stage in
        orange, the others in light blue; stage names below, the movement (diverge/converge)
        inside, and the milestones "challenge" (left), "problem definition" (between the
        diamonds) and "solution" (right).

    Raises:
        ValueError: ``highlight`` is not one of the four stages.
    """
    if highlight is not None and highlight not in STAGE_NAMES:
        raise ValueError(_("highlight must be one of {names} (or None), not {value}.").format(
            names=", ".join(STAGE_NAMES), value=repr(highlight)))
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    from ..plotting import OKABE_ITO

    fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
    for k, s in enumerate(STAGES):
        x0, x1 = k, k + 1
        if s["movement"] == "diverge":
            points = [(x0, 0), (x1, 1), (x1, -1)]
        else:
            points = [(x0, 1), (x0, -1), (x1, 0)]
        on = s["stage"] == highlight
        colour = OKABE_ITO["orange"] if on else "#cfe8f7"
        ax.add_patch(Polygon(points, closed=True, facecolor=colour, edgecolor="black",
                             linewidth=1.5 if on else 0.8, gid=f"stage:{s['stage']}"))
        ax.text(k + 0.5, -1.25, _(s["stage"]), ha="center", va="top", fontsize=11,
                fontweight="bold" if on else "normal")
        movement = _(s["movement"])
        size, middle = _movement_layout(movement)
        if s["movement"] == "diverge":
            x = k + (0.53 if middle else 0.62)
        else:
            x = k + (0.47 if middle else 0.38)
        ax.text(x, 0, movement, ha="center", va="center", fontsize=size, style="italic",
                gid=f"movement:{s['stage']}")
    for x, y, ha, label in [(-0.08, 0, "right", _("challenge")),
                            (2, 0.45, "center", _("problem\ndefinition")),
                            (4.08, 0, "left", _("solution"))]:
        ax.plot([round(x)], [0], marker="o", color="black", zorder=3)
        ax.text(x, y, label, ha=ha, va="center" if y == 0 else "bottom", fontsize=9)
    ax.text(1, 1.55, _("the problem"), ha="center", fontsize=10, color=OKABE_ITO["blue"])
    ax.text(3, 1.55, _("the solution"), ha="center", fontsize=10, color=OKABE_ITO["blue"])
    ax.set_xlim(-1.0, 5.0)
    ax.set_ylim(-1.7, 1.9)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = _("The Double Diamond")
    if title:
        ax.set_title(title)
    plt.close(fig)  # shown once, as a cell's last line or by display()
    return fig


def _card_html(index: int) -> str:
    s = STAGES[index]

    def e(text):
        return html.escape(_(text))

    heading = _("Stage {number} of {total}: {stage}").format(number=index + 1,
                                                             total=len(STAGES),
                                                             stage=_(s["stage"]))
    labels = {key: e(text) for key, text in (
        ("question", N_("Question:")), ("what", N_("What you do:")),
        ("modes", N_("d.school modes:")), ("methods", N_("Methods:")),
        ("tools", N_("In this course:")), ("gbo", N_("In the GBO case:")))}
    modes = html.escape(", ".join(_(m) for m in s["modes"]))
    return (
        f"<h4 style='margin:4px 0'>{html.escape(heading)} "
        f"<span style='font-weight:normal'>({e(s['diamond'])}; {e(s['movement'])})</span></h4>"
        f"<p><b>{labels['question']}</b> {e(s['question'])}</p>"
        f"<p><b>{labels['what']}</b> {e(s['what'])}</p>"
        f"<p><b>{labels['modes']}</b> {modes}<br>"
        f"<b>{labels['methods']}</b> {e(s['methods'])}<br>"
        f"<b>{labels['tools']}</b> <code>{e(s['tools'])}</code></p>"
        f"<p style='border-left:4px solid #0072B2;padding-left:8px'>"
        f"<b>{labels['gbo']}</b> {e(s['gbo'])}</p>"
    )


class DoubleDiamondWalkthrough:
    """Step through the four stages: buttons to move, a card and the highlighted diamond.

    Attributes (for notebooks and tests):
        stage: ToggleButtons with the four stage names; previous, next: Buttons.
        card: HTML with the current stage's card; widget: the whole view.
    """

    def __init__(self, start: str = "Discover", chart: bool = True):
        import ipywidgets as w

        if start not in STAGE_NAMES:
            raise ValueError(_("start must be one of {names}, not {value}.").format(
                names=", ".join(STAGE_NAMES), value=repr(start)))
        self.chart = chart
        # the buttons show the names in the language in use; the value stays the stage's id
        self.stage = w.ToggleButtons(options=[(_(name), name) for name in STAGE_NAMES],
                                     value=start, description=_("stage"))
        self.previous = w.Button(description=_("◀ previous"), layout=w.Layout(width="120px"))
        self.next = w.Button(description=_("next ▶"), layout=w.Layout(width="120px"))
        self.card = w.HTML()
        self.chart_out = w.Output()
        self.previous.on_click(lambda _: self.step(-1))
        self.next.on_click(lambda _: self.step(+1))
        self.stage.observe(lambda change: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.previous, self.stage, self.next]), self.chart_out,
                              self.card])
        self.update()

    def step(self, by: int) -> None:
        """Move ``by`` stages (−1 back, +1 on), staying within Discover ... Deliver."""
        k = STAGE_NAMES.index(self.stage.value)
        self.stage.value = STAGE_NAMES[min(max(k + by, 0), len(STAGE_NAMES) - 1)]

    def update(self) -> None:
        """Show the card (and the diamond) of the chosen stage."""
        from . import _base

        k = STAGE_NAMES.index(self.stage.value)
        self.previous.disabled = k == 0
        self.next.disabled = k == len(STAGE_NAMES) - 1
        self.card.value = _card_html(k)
        if self.chart:
            _base.show_figure(self.chart_out, double_diamond_figure(
                self.stage.value, title=_("The Double Diamond: {stage}").format(
                    stage=_(self.stage.value))))


def double_diamond_walkthrough(start: str = "Discover"):
    """Show the Double Diamond walkthrough (module m03), starting at stage ``start``.

    Returns:
        The ipywidgets box to display; while nbgrader grades, a short note instead.
    """
    from . import _base

    if _base.grading():
        return _base.grading_placeholder(_("Double Diamond walkthrough"))
    return DoubleDiamondWalkthrough(start).widget
