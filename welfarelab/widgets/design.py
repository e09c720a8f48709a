"""Design-thinking boards (module m03): thin views over :mod:`welfarelab.design`.

* :class:`ImpactEffortMatrix`: score ideas for impact and effort and see them ranked
  (:func:`welfarelab.design.prioritise`) and placed on the matrix
  (:func:`welfarelab.design.impact_effort_figure`).
* :class:`DotVoteBoard`: every person spends a few dots on the ideas; the tally and the
  ranking are :func:`welfarelab.design.dot_vote`.

Defaults tell the story of the GBO case (Integrated Broad Intake of the Flemish local social
services, seed section 3): ideas a local team could weigh after a service-design session.
"""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pandas as pd

from .. import design
from ..i18n import N_, _, _ngettext, number_text
from ..plotting import OKABE_ITO
from ..validation import whole
from . import _base, _inputs

#: GBO case (synthetic scores): ideas to reach people who fall through the net. The prototype
#: puzzle with partners for hard-to-reach groups (Oudenaarde) and the cube that makes citizens
#: who cannot pay their health-insurance bills aware of help (Meetjesland) come from the case.
#: The names are English here; :func:`default_ideas` gives them in the language in use.
DEFAULT_IDEAS = [
    {"idea": N_("shared intake desk"), "impact": 5, "effort": 4},
    {"idea": N_("prototype puzzle (Oudenaarde)"), "impact": 4, "effort": 2},
    {"idea": N_("awareness cube (Meetjesland)"), "impact": 5, "effort": 2},
    {"idea": N_("outreach work"), "impact": 4, "effort": 4},
    {"idea": N_("leaflet of all services"), "impact": 2, "effort": 1},
    {"idea": N_("new intake software"), "impact": 2, "effort": 5},
]

#: GBO case: the same ideas on the wall, for the dot vote.
DEFAULT_VOTE_IDEAS = [idea["idea"] for idea in DEFAULT_IDEAS]

#: GBO case (synthetic): partners of a local GBO and a citizen, three dots each.
DEFAULT_VOTES = {
    N_("social worker (OCMW)"): ["shared intake desk", "outreach work", "outreach work"],
    N_("counsellor (CAW)"): ["outreach work", "prototype puzzle (Oudenaarde)",
                             "shared intake desk"],
    N_("health-insurance fund"): ["awareness cube (Meetjesland)",
                                  "awareness cube (Meetjesland)", "shared intake desk"],
    N_("citizen with a question"): ["shared intake desk", "leaflet of all services",
                                    "outreach work"],
}


def default_ideas() -> list[dict]:
    """The GBO case's ideas (:data:`DEFAULT_IDEAS`) with their names in the language in use."""
    return [{**idea, "idea": _(idea["idea"])} for idea in DEFAULT_IDEAS]


def default_votes() -> tuple[list[str], dict[str, list[str]]]:
    """The GBO case's dot vote in the language in use: (the ideas on the wall, voter -> the
    ideas they put a dot on, an idea once per dot)."""
    return ([_(idea) for idea in DEFAULT_VOTE_IDEAS],
            {_(voter): [_(idea) for idea in chosen] for voter, chosen in DEFAULT_VOTES.items()})

def _slider_room(*labels: str) -> int:
    """Extra pixels a slider's label needs beyond the 96 px that fit "impact (1–5)" and
    "effort (1–5)" uncut (issue 14): 8 px per letter over 12, so that a longer translation ("inspanning
    (1–5)" in Dutch) is not cut; 0 in English."""
    return 8 * max(0, max(len(label) for label in labels) - 12)


def _button_width(text: str) -> str:
    """A button's CSS width that fits ``text`` and its icon: 8 px a letter plus 40, at least
    the 160 px the English buttons have ("Voeg deze persoon toe" was cut, issue 17)."""
    return f"{max(160, 8 * len(text) + 40)}px"


def _word_px(text: str, per_letter: float) -> int:
    """Pixels the longest word of ``text`` needs (``per_letter`` px a letter): a header or
    name column is at least that wide, so a long Dutch word is never cut or run over the
    next column ("bewustmakingskubus", "gemeenteambtenaar", issue 17)."""
    words = re.split(r"\s+|(?<=-)", str(text))  # a browser wraps at spaces and after "-"
    return round(per_letter * max((len(word) for word in words), default=0))


def vote_columns(ideas, voters, left_header: str, right_header: str) -> str:
    """The CSS ``grid-template-columns`` of the dot-vote board: the person column, one column
    per idea and the dots-left column, each at least as wide as its longest word (bold 12 px
    headers about 7.5 px a letter, 14 px names and bold headers about 8.5 px a letter) and
    never narrower than before (120, 60 and 90 px). When they do not fit, the board scrolls
    sideways (its box has ``overflow-x: auto``) instead of running headers into each other."""
    person = max([120, _word_px(left_header, 8.5)] + [_word_px(v, 8.5) for v in voters])
    columns = [f"minmax({person}px, {max(person, 180)}px)"]
    columns += [f"minmax({max(60, _word_px(i, 7.5) + 4)}px, 1fr)" for i in ideas]
    columns.append(f"{max(90, _word_px(right_header, 8.5) + 4)}px")
    if (person == 120 and all(c == "minmax(60px, 1fr)" for c in columns[1:-1])
            and columns[-1] == "90px"):  # as before (every word fits)
        return f"minmax(120px, 180px) repeat({len(ideas)}, minmax(60px, 1fr)) 90px"
    return " ".join(columns)


_TABLE_STYLE = ("<style>.welfarelab-table{border-collapse:collapse;line-height:1.3}"
                ".welfarelab-table th,.welfarelab-table td{text-align:left !important;"
                "padding:2px 10px 2px 0}"
                ".welfarelab-table thead th{border-bottom:1px solid #999}</style>")


def _html_table(table: pd.DataFrame) -> str:
    """A DataFrame as a plain HTML table (values escaped, whole numbers without .0), with the
    headers and the quadrant names in the language in use
    (:func:`welfarelab.design.display_table`)."""
    shown = design.display_table(table)
    return _TABLE_STYLE + left_headers(shown.to_html(index=False, escape=True, border=0,
                                                     classes="welfarelab-table",
                                                     float_format=lambda v: number_text(v, "g")))


def left_headers(table_html: str) -> str:
    """An HTML table of ``DataFrame.to_html`` without pandas' ``text-align: right`` on the
    header row. With the class ``welfarelab-table`` and :data:`_TABLE_STYLE` (whose
    ``!important`` wins over Jupyter's own, more specific table rule) the headers stand left
    like the values: "idee" stood right of the ideas before (issue 17)."""
    return table_html.replace('<tr style="text-align: right;">', "<tr>")


def _compact(text: str, size: str = "inherit") -> str:
    """HTML text with normal line spacing (an ipywidgets HTML line is 28 px high)."""
    return (f"<div style='line-height:1.25;font-size:{size};overflow-wrap:break-word'>"
            f"{text}</div>")


def _whole_score(value, column: str, idea: str) -> int:
    """A score the 1-5 slider can show (the model checked the range already)."""
    if float(value) != int(value):
        raise ValueError(
            _("The {column} score of idea {idea} is {value}; the sliders take whole numbers "
              "from {low} to {high}.").format(column=_(column), idea=repr(idea),
                                              value=number_text(value, "g"),
                                              low=design.SCORE_MIN, high=design.SCORE_MAX)
        )
    return int(value)


class ImpactEffortMatrix:
    """An editable table of ideas with impact and effort sliders (1-5), ranked and drawn.

    The ranking is :func:`welfarelab.design.prioritise` and the picture
    :func:`welfarelab.design.impact_effort_figure`; this class only reads the form.

    Attributes (for notebooks and tests):
        rows: one dict per idea with the widgets "idea" (Text), "impact" and "effort"
            (IntSlider 1-5) and "remove" (Button), in the order shown.
        add_button: adds a row.
        result: the last prioritised DataFrame, or None after a problem.
        table, message: HTML with the ranked table and with any problem.
        chart_out: the matrix figure.
        widget: the whole board, to display.
    """

    def __init__(self, ideas=None, chart: bool = True):
        if ideas is None:
            ideas = default_ideas()
        design.prioritise(ideas)  # a bad starting table raises here, with the model's words
        table = ideas if isinstance(ideas, pd.DataFrame) else pd.DataFrame(ideas)
        self.chart = chart
        self.result = None
        self.rows: list[dict] = []
        self._added = 0
        self.rows_box = w.VBox()
        self.add_button = w.Button(description=_("Add an idea"), icon="plus",
                                   layout=w.Layout(width=_button_width(_("Add an idea"))))
        self.add_button.on_click(lambda _: self.add_idea())
        self.message = w.HTML()
        self.table = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))
        for name, impact, effort in zip(table["idea"], table["impact"], table["effort"]):
            name = str(name).strip()
            self._append_row(name, _whole_score(impact, N_("impact"), name),
                             _whole_score(effort, N_("effort"), name))

        legend = "".join(f"<li><b>{html.escape(design.quadrant_name(q))}</b>: "
                         f"{html.escape(design.quadrant_meaning(q))}</li>"
                         for q in design.QUADRANTS)
        inputs = w.VBox([
            w.HTML(_("<b>Ideas</b> (give each a short name; 1 = very low, 5 = very high)")),
            self.rows_box, self.add_button,
        ], layout=w.Layout(flex="1 1 560px", min_width="480px"))
        results = w.VBox([
            w.HTML("<b>{}</b>".format(html.escape(_("Ranking")))), self.message, self.table,
            w.HTML(_compact(f"<ul style='margin:4px 0'>{legend}</ul>", "12px")),
            self.chart_out,
        ], layout=w.Layout(flex="1 1 420px", min_width="360px"))
        self.widget = w.HBox([inputs, results], layout=w.Layout(flex_flow="row wrap"))
        self.update()

    def _append_row(self, name: str, impact: int, effort: int) -> dict:
        impact_label, effort_label = _("impact (1–5)"), _("effort (1–5)")
        extra = _slider_room(impact_label, effort_label)
        style = {"description_width": f"{96 + extra}px"}
        row = {
            "idea": w.Text(value=name, placeholder=_("short name of the idea"),
                           continuous_update=False, layout=w.Layout(width="220px")),
            "impact": w.IntSlider(value=impact, min=design.SCORE_MIN, max=design.SCORE_MAX,
                                  description=impact_label, continuous_update=False,
                                  style=style, layout=w.Layout(width=f"{230 + extra}px")),
            "effort": w.IntSlider(value=effort, min=design.SCORE_MIN, max=design.SCORE_MAX,
                                  description=effort_label, continuous_update=False,
                                  style=style, layout=w.Layout(width=f"{230 + extra}px")),
            "remove": w.Button(icon="trash", tooltip=_("remove this idea"),
                               layout=w.Layout(width="40px")),
        }
        for key in ("impact", "effort"):  # no typeable readout: the browser clamps a typed
            _inputs.slider_view(row[key], "{}", "20px")  # 7 to 5 without a word (issue 14)
        for key in ("idea", "impact", "effort"):
            row[key].observe(self._on_change, names="value")
        row["remove"].on_click(lambda _, row=row: self.remove_idea(self.rows.index(row)))
        self.rows.append(row)
        self._show_rows()
        return row

    def _show_rows(self):
        self.rows_box.children = [
            w.HBox([r["idea"], _inputs.view(r["impact"]), _inputs.view(r["effort"]),
                    r["remove"]],
                   layout=w.Layout(flex_flow="row wrap", align_items="center"))
            for r in self.rows]

    def add_idea(self, name: str | None = None, impact: int = 3, effort: int = 3) -> dict:
        """Add a row (default name "new idea N" in the language in use, scores 3 and 3) and
        recalculate."""
        if name is None:
            taken = {r["idea"].value.strip() for r in self.rows}
            while True:
                self._added += 1
                name = _("new idea {number}").format(number=self._added)
                if name not in taken:
                    break
        row = self._append_row(name, impact, effort)
        self.update()
        return row

    def remove_idea(self, index: int) -> None:
        """Remove the row at ``index`` (0 = the first row shown) and recalculate."""
        del self.rows[index]
        self._show_rows()
        self.update()

    def ideas(self) -> pd.DataFrame:
        """The ideas as typed: a DataFrame with the columns idea, impact and effort."""
        return pd.DataFrame({
            "idea": [r["idea"].value for r in self.rows],
            "impact": [r["impact"].value for r in self.rows],
            "effort": [r["effort"].value for r in self.rows],
        }, columns=["idea", "impact", "effort"])

    def _on_change(self, change=None):
        self.update()

    def update(self):
        """Rank the ideas again. Problems show in ``message``; other errors are raised too."""
        try:
            ranked = design.prioritise(self.ideas())
            fig = design.impact_effort_figure(ranked) if self.chart else None
        except (ValueError, TypeError) as err:
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.table.value = ""
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.result = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.result = ranked
        self.message.value = ""
        self.table.value = _html_table(ranked[["rank", "idea", "impact", "effort", "quadrant"]])
        if fig is not None:
            _base.show_figure(self.chart_out, fig)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def dot_vote_figure(result: pd.DataFrame, title: str | None = None):
    """Horizontal bars of the dots per idea, rank 1 at the top (a view of ``dot_vote``'s table).

    Args:
        result: the DataFrame returned by :func:`welfarelab.design.dot_vote`.
        title: the title above the chart; None (default) gives "Dot vote" in the language in
            use, "" no title.

    Returns:
        matplotlib ``Figure``, closed in pyplot. The axis reads "dots (number of votes)" (in
        the language in use).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(7, 0.45 * len(result) + 1.4), layout="constrained")
    labels = [f"{rank}. {idea}" for rank, idea in zip(result["rank"], result["idea"])]
    bars = ax.barh(labels, result["votes"], color=OKABE_ITO["blue"], edgecolor="black",
                   linewidth=0.5)
    ax.bar_label(bars, padding=3)
    ax.invert_yaxis()  # rank 1 on top
    ax.set_xlabel(_("dots (number of votes)"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(int(result["votes"].max()), 1) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    if title is None:
        title = _("Dot vote")
    if title:
        ax.set_title(title)
    plt.close(fig)  # closed in pyplot, so it shows once
    return fig


class DotVoteBoard:
    """Every person (one row each) spends dots on the ideas; shows the tally and ranking.

    The count and the ranking are :func:`welfarelab.design.dot_vote` (with
    ``dots_per_voter``, so a person who spends too many dots gets the model's message).

    Attributes (for notebooks and tests):
        ideas: the idea names (the columns).
        dots_per_voter: how many dots one person may place.
        cells: voter -> idea -> BoundedIntText with that person's dots on that idea.
        left: voter -> HTML with the dots that person has left.
        new_voter, add_button: add a person.
        result: the last DataFrame of ``dot_vote`` (idea, votes, rank), or None.
        table, message: HTML with the tally and with any problem or note.
        chart_out: the bar chart.
        widget: the whole board, to display.
    """

    def __init__(self, ideas=None, voters=None, dots_per_voter: int = 3, chart: bool = True):
        if ideas is None:
            ideas, votes = default_votes()
            if voters is None:
                voters = votes
        if voters is None:
            voters = [_("person {number}").format(number=k) for k in (1, 2, 3)]
        self.dots_per_voter = whole(dots_per_voter, "dots_per_voter", low=1)
        if isinstance(ideas, str) or not isinstance(ideas, (list, tuple, pd.Series, pd.Index)):
            raise TypeError(_("ideas must be a list of idea names, such as ['buddy', 'app']."))
        self.ideas = [design._idea_name(i, _("Idea {number} of the list of ideas").format(
                          number=k))
                      for k, i in enumerate(ideas, start=1)]
        if not self.ideas:
            raise ValueError(_("ideas is empty: put at least one idea on the wall."))
        twice = sorted({i for i in self.ideas if self.ideas.count(i) > 1})
        if twice:
            raise ValueError(_("Each idea needs its own name, but {names} appears more than "
                               "once.").format(names=", ".join(map(repr, twice))))
        if isinstance(voters, dict):
            start = {design._idea_name(v, _("A voter")): list([c] if isinstance(c, str) else c)
                     for v, c in voters.items()}
            if any(start.values()):  # check names and limits with the model's own messages
                design.dot_vote({v: c for v, c in start.items() if c}, ideas=self.ideas,
                                dots_per_voter=self.dots_per_voter)
        elif isinstance(voters, (list, tuple)):
            start = {}
            for k, v in enumerate(voters, start=1):
                name = design._idea_name(v, _("Voter {number}").format(number=k))
                if name in start:
                    raise ValueError(_("The voter {name} appears twice: give each person "
                                       "their own name.").format(name=repr(name)))
                start[name] = []
        else:
            raise TypeError(_("voters must be a list of names, or a dictionary name -> list of "
                              "ideas, not {value} ({kind}).").format(value=repr(voters),
                                                                    kind=type(voters).__name__))

        self.chart = chart
        self.result = None
        self.cells: dict[str, dict[str, w.Text]] = {}
        self.left: dict[str, w.HTML] = {}
        self.grid = w.GridBox(layout=w.Layout(grid_gap="2px 6px", align_items="center"))
        self.new_voter = w.Text(placeholder=_("name of a person"), continuous_update=False,
                                layout=w.Layout(width="200px"))
        self.add_button = w.Button(description=_("Add this person"), icon="user-plus",
                                   layout=w.Layout(width=_button_width(_("Add this person"))))
        self.add_button.on_click(lambda _: self.add_voter(self.new_voter.value))
        self.message = w.HTML()
        self.table = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="240px"))
        self._quiet = True
        for voter, chosen in start.items():
            self._append_voter(voter, chosen)
        self._quiet = False

        inputs = w.VBox([
            w.HTML(_compact(_ngettext(
                "<b>Dots</b>: each person has {n} dot to spread over the ideas (several on "
                "one idea is allowed).",
                "<b>Dots</b>: each person has {n} dots to spread over the ideas (several on "
                "one idea is allowed).", self.dots_per_voter).format(n=self.dots_per_voter))),
            _inputs.enter_hint(), self.grid, w.HBox([self.new_voter, self.add_button]),
        ], layout=w.Layout(flex="1 1 600px", overflow_x="auto"))
        results = w.VBox([w.HTML("<b>{}</b>".format(html.escape(_("Tally")))), self.message,
                          self.table, self.chart_out],
                         layout=w.Layout(flex="1 1 360px", min_width="320px"))
        self.widget = w.HBox([inputs, results], layout=w.Layout(flex_flow="row wrap"))
        self._show_grid()
        self.update()

    def _append_voter(self, voter: str, chosen=()):
        row = {}
        for idea in self.ideas:
            # a text box checked by _inputs.read: a BoundedIntText would turn 2.5 into 2 and
            # -1 into 0 in the browser without a word (issue 14); empty means no dots
            label = _("dots from {voter} on {idea}").format(voter=voter, idea=idea)
            cell = _inputs.table_cell(label, list(chosen).count(idea), _("dots"), "count",
                                      label, "60px", example="1", optional=True)
            cell.observe(self._on_change, names="value")
            row[idea] = cell
        self.cells[voter] = row
        self.left[voter] = w.HTML()

    def _show_grid(self):
        header = [w.HTML(_compact("<b>{}</b>".format(html.escape(_("person")))))] + [
            w.HTML(_compact(f"<b>{html.escape(i)}</b>", "12px")) for i in self.ideas
        ] + [w.HTML(_compact("<b>{}</b>".format(html.escape(_("dots left")))))]
        self.grid.layout.grid_template_columns = vote_columns(
            self.ideas, self.cells, _("person"), _("dots left"))
        body = []
        for voter, row in self.cells.items():
            body.append(w.HTML(_compact(html.escape(voter))))
            body.extend(row.values())
            body.append(self.left[voter])
        self.grid.children = header + body

    def add_voter(self, name: str) -> bool:
        """Add a person with no dots yet. Returns False (with a message) for a bad name."""
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            self.message.value = _base.message_html(
                _("Type the name of the new person in the box first."))
            return False
        if name in self.cells:
            self.message.value = _base.message_html(
                _("{name} is already on the board: give each person their own name.").format(
                    name=repr(name)))
            return False
        self._append_voter(name)
        self._show_grid()
        self.new_voter.value = ""
        self.update()
        return True

    def votes(self) -> dict[str, list[str]]:
        """The dots as placed: voter -> list of idea names, an idea once per dot.

        Raises:
            ValueError: a box does not hold a whole number of 0 or more; the message names the
                person and the idea and says what to type.
        """
        return {voter: [idea for idea, cell in row.items()
                        for _ in range(_inputs.read(cell) or 0)]
                for voter, row in self.cells.items()}

    def _on_change(self, change=None):
        if not self._quiet:
            self.update()

    def update(self):
        """Count the dots again. Problems show in ``message``; other errors are raised too."""
        try:
            votes = self.votes()
        except ValueError as err:  # a box that is not a number of dots
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.table.value = ""
            self.chart_out.clear_output()
            return
        for voter, chosen in votes.items():
            spare = self.dots_per_voter - len(chosen)
            colour = "#D55E00" if spare < 0 else "inherit"
            self.left[voter].value = f"<span style='color:{colour}'><b>{spare}</b></span>"
        if not any(votes.values()):
            self.result = None
            self.message.value = _base.message_html(
                _("No dots placed yet: type how many dots each person gives an idea."), "info")
            self.table.value = ""
            self.chart_out.clear_output()
            return
        try:
            result = design.dot_vote({v: c for v, c in votes.items() if c}, ideas=self.ideas,
                                     dots_per_voter=self.dots_per_voter)
            total = int(result["votes"].sum())
            people = sum(1 for c in votes.values() if c)
            fig = dot_vote_figure(
                result, title=_("{total} dots from {people} people").format(
                    total=total, people=people)) if self.chart else None
        except (ValueError, TypeError) as err:
            self.result = None
            self.message.value = _base.message_html(str(err))
            self.table.value = ""
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.result = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.result = result
        self.message.value = ""
        self.table.value = _html_table(result[["rank", "idea", "votes"]])
        if fig is not None:
            _base.show_figure(self.chart_out, fig)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def impact_effort_matrix(ideas=None):
    """Show the impact–effort matrix board (module m03).

    Args:
        ideas: optional table of ideas: a DataFrame or a list of dicts with the keys
            ``idea`` (short name), ``impact`` and ``effort`` (whole numbers 1-5). Default: six
            ideas from the GBO case (Integrated Broad Intake of local social services).

    Returns:
        An :class:`ImpactEffortMatrix`; as the last line of a cell it shows the board, and
        ``.result`` is the ranked table. While nbgrader grades, a short note (an HTML widget)
        instead, so the board never slows grading.

    Raises:
        The errors of :func:`welfarelab.design.prioritise` for a bad starting table, and
        ValueError for a score that is not a whole number.
    """
    if _base.grading():
        return _base.grading_placeholder(_("impact–effort matrix"))
    return ImpactEffortMatrix(ideas)


def dot_vote_board(ideas=None, voters=None, dots_per_voter: int = 3):
    """Show the dot-vote board (module m03).

    Args:
        ideas: optional list of idea names (the columns). Default: six ideas of the GBO case,
            with four people's votes filled in.
        voters: optional list of people's names (one row each, no dots yet), or a dictionary
            name -> list of ideas to start with dots placed. Default: three people.
        dots_per_voter: how many dots one person may place, a whole number from 1.

    Returns:
        A :class:`DotVoteBoard`; as the last line of a cell it shows the board, and
        ``.result`` is the tally. While nbgrader grades, a short note (an HTML widget)
        instead, so the board never slows grading.

    Raises:
        ValueError or TypeError for bad ideas, voters or dots_per_voter (named).
    """
    if _base.grading():
        return _base.grading_placeholder(_("dot-vote board"))
    return DotVoteBoard(ideas, voters, dots_per_voter)
