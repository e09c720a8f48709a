"""Tools for the converging steps of a design process: prioritise, vote, summarise research.

These support the Double Diamond of the Design Council (Discover, Define, Develop, Deliver):
after diverging (collecting many ideas or many interviews) a team converges by choosing.

* :func:`prioritise`: the impact–effort matrix (also called the action priority matrix), a 2×2
  of how much difference an idea makes against how much work it takes.
* :func:`dot_vote`: dot voting, where every participant sticks a few dots on the ideas they
  prefer and the dots are counted.
* :func:`dot_vote_table` and :func:`display_table`: a result with its column names in the
  language in use, to show people (the result's own columns stay English).
* :func:`persona_summary`: counts and shares of survey or interview answers per persona (or
  per any other column), to see which groups your research reached.

Every function takes plain Python lists and dictionaries or pandas DataFrames, and returns a
pandas DataFrame with a fixed, documented order: ranks are never left to chance.
matplotlib is imported only inside :func:`impact_effort_figure`.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping
from numbers import Real

import pandas as pd

from .i18n import N_, _, number_text

#: A score at or above this counts as high (impact) or high (effort); below it counts as low.
THRESHOLD = 3

#: Lowest and highest allowed score for impact and effort.
SCORE_MIN, SCORE_MAX = 1, 5

#: The quadrants, best first; this is the first key of the ranking in :func:`prioritise`.
QUADRANTS = ("quick win", "major project", "fill-in", "thankless task")

#: What a quadrant means, in plain words (English; :func:`quadrant_meaning` translates).
QUADRANT_MEANING = {
    "quick win": N_("high impact, low effort: do these first"),
    "major project": N_("high impact, high effort: plan these carefully"),
    "fill-in": N_("low impact, low effort: do them when there is time left"),
    "thankless task": N_("low impact, high effort: usually drop these"),
}

#: The quadrants' names as people read them (the keys, :data:`QUADRANTS`, stay English).
_QUADRANT_NAMES = {"quick win": N_("quick win"), "major project": N_("major project"),
                   "fill-in": N_("fill-in"), "thankless task": N_("thankless task")}

#: Label used by :func:`persona_summary` for a missing or blank answer (English; the table
#: holds it in the language in use, see :func:`no_answer`).
NO_ANSWER = N_("(no answer)")


#: The columns of :func:`prioritise`'s, :func:`dot_vote`'s and :func:`persona_summary`'s
#: tables as people read them (in English the names themselves); :func:`display_table` shows
#: them. The tables' columns stay English, so code can use ``result["votes"]`` in every
#: language. (:func:`persona_summary`'s ``by`` columns keep the survey's own names.)
COLUMN_LABEL = {"rank": N_("rank"), "idea": N_("idea"), "impact": N_("impact"),
                "effort": N_("effort"), "quadrant": N_("quadrant"), "votes": N_("votes"),
                "count": N_("count"), "share": N_("share")}


def quadrant_name(key: str) -> str:
    """The name of the quadrant ``key`` (one of :data:`QUADRANTS`) in the language in use,
    e.g. ``"quick win"`` in English; an unknown key comes back unchanged."""
    return _(_QUADRANT_NAMES[key]) if key in _QUADRANT_NAMES else key


def quadrant_meaning(key: str) -> str:
    """What the quadrant ``key`` means (:data:`QUADRANT_MEANING`) in the language in use."""
    return _(QUADRANT_MEANING[key])


def no_answer() -> str:
    """The label of a missing answer in :func:`persona_summary`'s table, in the language in
    use (``"(no answer)"`` in English, :data:`NO_ANSWER`)."""
    return _(NO_ANSWER)


def _name_key(name: str) -> tuple[str, str]:
    """Alphabetical order that ignores upper/lower case, then uses it to break exact ties."""
    return (name.casefold(), name)


def _is_missing(value) -> bool:
    """True for None, NaN, pandas' NA and NaT (not for text: see :func:`_is_blank`)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or another container: not a missing scalar
        return False


def _idea_name(value, where: str) -> str:
    if not isinstance(value, str):
        if _is_missing(value):
            raise ValueError(_("{where} has no idea name: every idea needs a short "
                               "name.").format(where=where))
        raise TypeError(
            _("{where}: an idea name must be text in quotes, but it is {value} "
              "({kind}).").format(where=where, value=repr(value), kind=type(value).__name__)
        )
    if not value.strip():
        raise ValueError(_("{where} has an empty idea name: every idea needs a short "
                           "name.").format(where=where))
    return value.strip()


def _score(value, column: str, idea: str | None) -> float:
    shown = _(column)  # "impact" or "effort", as people read it
    where = (_("the {column} score of idea {idea}").format(column=shown, idea=repr(idea))
             if idea else _("the {column} score").format(column=shown))
    if _is_missing(value):
        raise ValueError(_("{where} is empty: give a number from {low} to {high}.").format(
            where=where, low=SCORE_MIN, high=SCORE_MAX))
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            _("{where} must be a number from {low} to {high}, but it is {value} ({kind}). "
              "Type digits without quotes, for example 4.").format(
                where=where, low=SCORE_MIN, high=SCORE_MAX, value=repr(value),
                kind=type(value).__name__)
        )
    value = float(value)
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(
            _("{where} must be from {low} to {high}, but it is {value}.").format(
                where=where, low=SCORE_MIN, high=SCORE_MAX, value=number_text(value))
        )
    return value


def _as_table(data, what: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, (list, tuple, dict)):
        try:
            return pd.DataFrame(data)
        except (TypeError, ValueError):
            pass
    raise TypeError(
        _("{what} must be a table: a pandas DataFrame (or a list of dictionaries, one per "
          "row), but it is {value} ({kind}).").format(what=what, value=repr(data),
                                                     kind=type(data).__name__)
    )


def _require_columns(table: pd.DataFrame, columns, what: str) -> None:
    present = [str(c) for c in table.columns]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            _("{what} has no column {missing}. The columns it has are: {present}.").format(
                what=what, missing=", ".join(repr(c) for c in missing),
                present=", ".join(repr(c) for c in present) or _("none"))
        )


def quadrant(impact: float, effort: float) -> str:
    """The quadrant of the impact–effort matrix for one idea.

    Args:
        impact: score from 1 (little difference) to 5 (a big difference).
        effort: score from 1 (little work, money or time) to 5 (a lot).

    Returns:
        ``"quick win"`` (impact ≥ 3, effort < 3), ``"major project"`` (impact ≥ 3, effort ≥ 3),
        ``"fill-in"`` (impact < 3, effort < 3) or ``"thankless task"`` (impact < 3, effort ≥ 3).
        The threshold is 3: a score of exactly 3 counts as high.

    Raises:
        ValueError / TypeError: a score that is not a number from 1 to 5.
    """
    impact = _score(impact, N_("impact"), None)
    effort = _score(effort, N_("effort"), None)
    return _quadrant(impact, effort)


def _quadrant(impact: float, effort: float) -> str:
    if impact >= THRESHOLD:
        return "quick win" if effort < THRESHOLD else "major project"
    return "fill-in" if effort < THRESHOLD else "thankless task"


def prioritise(ideas) -> pd.DataFrame:
    """Place ideas in the impact–effort matrix and rank them.

    Args:
        ideas: a pandas DataFrame (or a list of dictionaries) with one row per idea and the
            columns ``idea`` (a unique short name, text), ``impact`` (how much difference the
            idea makes, a score from 1 to 5) and ``effort`` (how much work, money and time it
            takes, a score from 1 to 5). Scores may be decimals, e.g. a group average of 3.5.
            Other columns are kept.

    Returns:
        A new DataFrame, one row per idea, sorted by rank, with the columns ``idea``,
        ``impact``, ``effort`` (floats), ``quadrant``, ``rank`` (int, 1 = best) and then any
        other columns of the input. The index runs 0, 1, 2, ...

        Quadrants (threshold 3; a score of exactly 3 counts as high):
        impact ≥ 3 and effort < 3: ``"quick win"``; impact ≥ 3 and effort ≥ 3:
        ``"major project"``; impact < 3 and effort < 3: ``"fill-in"``; impact < 3 and
        effort ≥ 3: ``"thankless task"``.

        Ranking rule, in this order: (1) quadrant, in the order quick win, major project,
        fill-in, thankless task; (2) impact minus effort, highest first; (3) impact, highest
        first; (4) idea name, alphabetically (ignoring upper/lower case). Names are unique,
        so the ranks are exactly 1, 2, ..., n.

    Raises:
        TypeError: ``ideas`` is not a table, a name is not text or a score is not a number.
        ValueError: a column is missing (named), the table is empty, a name is empty or used
            twice, or a score is empty or outside 1-5 (the idea and the column are named).

    Source: the impact–effort matrix ("action priority matrix") of design and facilitation
    practice, used in the Define and Develop stages of the Design Council's Double Diamond;
    the threshold and the ranking rule are this course's convention.
    """
    table = _as_table(ideas, "ideas")
    _require_columns(table, ("idea", "impact", "effort"), _("The ideas table"))
    if len(table) == 0:
        raise ValueError(_("The ideas table is empty: add at least one idea."))

    names, impacts, efforts = [], [], []
    for row, (name, impact, effort) in enumerate(
            zip(table["idea"], table["impact"], table["effort"]), start=1):
        name = _idea_name(name, _("Row {row} of the ideas table").format(row=row))
        names.append(name)
        impacts.append(_score(impact, N_("impact"), name))
        efforts.append(_score(effort, N_("effort"), name))
    repeated = sorted({n for n in names if names.count(n) > 1}, key=_name_key)
    if repeated:
        raise ValueError(
            _("Each idea needs its own name, but {names} appears more than once. Merge the "
              "rows or give them different names.").format(names=", ".join(map(repr, repeated)))
        )

    quadrants = [_quadrant(i, e) for i, e in zip(impacts, efforts)]
    order = sorted(
        range(len(names)),
        key=lambda k: (QUADRANTS.index(quadrants[k]), -(impacts[k] - efforts[k]), -impacts[k],
                       _name_key(names[k])),
    )
    extra = [c for c in table.columns if c not in ("idea", "impact", "effort", "quadrant", "rank")]
    result = pd.DataFrame({
        "idea": [names[k] for k in order],
        "impact": [impacts[k] for k in order],
        "effort": [efforts[k] for k in order],
        "quadrant": [quadrants[k] for k in order],
        "rank": list(range(1, len(order) + 1)),
    })
    for column in extra:
        values = list(table[column])
        result[column] = [values[k] for k in order]
    return result


# Okabe & Ito (2008) colour-blind-safe colours and distinct markers, per quadrant.
_QUADRANT_STYLE = {
    "quick win": ("#009E73", "o"),  # bluish green, circle
    "major project": ("#0072B2", "s"),  # blue, square
    "fill-in": ("#E69F00", "^"),  # orange, triangle
    "thankless task": ("#D55E00", "X"),  # vermillion, cross
}


def wrap_label(text: str, width: int = 18) -> str:
    """Text cut into lines of at most ``width`` letters, only at spaces: a word longer than
    ``width`` stays whole (never "schuldhulpv / erlening"), hyphens are not broken either.
    Existing line breaks stay; a short first word (a rank such as "4.") stays with the next.
    """
    lines = []
    for line in str(text).split("\n"):
        words = line.split()
        room = width if len(words) < 2 or len(words[0]) > 3 else max(
            width, len(words[0]) + 1 + len(words[1]))
        lines.append(textwrap.fill(line, room, break_long_words=False,
                                   break_on_hyphens=False) or line)
    return "\n".join(lines)


def place_point_labels(ax, points, gid: str, width: int = 18, fontsize: float = 8) -> list:
    """Label points of a score matrix so that the labels stay inside the axes and apart.

    Each label goes right of its point on one line, as before; when that runs into another
    label, a point or a quadrant name or out of the frame, it is wrapped at spaces
    (:func:`wrap_label`) and tried right, below, above and left of the point, shifted back
    inside the frame when it sticks out (long Dutch names, issue 17). The first place
    without a clash wins, else the one with the fewest.

    Args:
        ax: the matplotlib Axes, with its limits, points and quadrant names drawn.
        points: (x, y, text) per label, in data units.
        gid: the gid every label gets (tests find the labels by it).
        width: at most this many letters per line (a longer word stays whole).
        fontsize: points.

    Returns:
        The list of the Annotation objects made.
    """
    fig = ax.figure
    fig.draw_without_rendering()  # lay the figure out first: the axes take their place
    get = getattr(fig, "_get_renderer", None)
    renderer = get() if get else fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px = fig.dpi / 72  # pixels per point
    taken = [t.get_window_extent(renderer) for t in ax.texts]  # the quadrant names
    from matplotlib.transforms import Bbox
    for x, y, _text in points:
        cx, cy = ax.transData.transform((x, y))
        taken.append(Bbox.from_extents(cx - 5 * px, cy - 5 * px, cx + 5 * px, cy + 5 * px))
    tries = (((7, 0), "left", "center"), ((0, -8), "center", "top"),
             ((0, 8), "center", "bottom"), ((-7, 0), "right", "center"))
    made = []
    for x, y, text in points:
        best = None
        wrapped = wrap_label(text, width)
        options = [(text, *tries[0])] if wrapped != text else []  # on one line if it fits
        options += [(wrapped, *t) for t in tries]
        for shown, offset, ha, va in options:
            ann = ax.annotate(shown, (x, y), xytext=offset,
                              textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                              gid=gid)
            box = ann.get_window_extent(renderer)
            dx = max(0.0, frame.x0 + 2 - box.x0) + min(0.0, frame.x1 - 2 - box.x1)
            dy = max(0.0, frame.y0 + 2 - box.y0) + min(0.0, frame.y1 - 2 - box.y1)
            if dx or dy:  # back inside the frame
                ann.xyann = (offset[0] + dx / px, offset[1] + dy / px)
                box = ann.get_window_extent(renderer)
            # a label moved back into the frame may cover its own point: less good
            clashes = sum(box.overlaps(other) for other in taken) + (0.5 if dx or dy else 0)
            if best is None or clashes < best[0]:
                if best is not None:
                    best[1].remove()
                best = (clashes, ann, box)
            else:
                ann.remove()
            if clashes == 0:
                break
        taken.append(best[2])
        made.append(best[1])
    return made


def impact_effort_figure(ideas, title: str | None = None, ax=None):
    """Draw the impact–effort matrix: effort across, impact up, one labelled point per idea.

    Args:
        ideas: the result of :func:`prioritise`, or any table it accepts (it is prioritised
            again, so the picture always matches the rule).
        title: title above the plot (text); None (default) gives "Impact–effort matrix" in the
            language in use, "" no title.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib ``Figure`` (closed in pyplot when this function made it, so it appears once
        as the last line of a cell). Texts are in the language in use (quadrant names too).
        Axes are labelled "effort (1–5)" and "impact (1–5)"; the
        lines at 3 split the quadrants (a point on a line belongs to the upper or right
        quadrant). Each point is labelled "rank. idea"; ideas with the same scores share one
        label. Quadrants differ by colour (Okabe–Ito) and by marker shape.

    Raises:
        The same errors as :func:`prioritise`.
    """
    ranked = prioritise(ideas)
    import matplotlib.pyplot as plt

    made_here = ax is None
    if made_here:
        fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
    else:
        fig = ax.figure
    low, high = SCORE_MIN - 0.5, SCORE_MAX + 0.5
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.axvline(THRESHOLD, color="black", linewidth=1)
    ax.axhline(THRESHOLD, color="black", linewidth=1)
    corners = {  # (x, y, ha, va) of each quadrant's name, effort across and impact up
        "quick win": (low + 0.1, high - 0.1, "left", "top"),
        "major project": (high - 0.1, high - 0.1, "right", "top"),
        "fill-in": (low + 0.1, low + 0.1, "left", "bottom"),
        "thankless task": (high - 0.1, low + 0.1, "right", "bottom"),
    }
    for name, (x, y, ha, va) in corners.items():
        ax.text(x, y, quadrant_name(name), ha=ha, va=va, fontsize=11, fontweight="bold",
                color=_QUADRANT_STYLE[name][0], gid=f"quadrant:{name}")
    for name in QUADRANTS:
        part = ranked[ranked["quadrant"] == name]
        if len(part):
            colour, marker = _QUADRANT_STYLE[name]
            ax.scatter(part["effort"], part["impact"], s=70, color=colour, marker=marker,
                       edgecolor="black", linewidth=0.5, label=quadrant_name(name), zorder=3)
    ax.set_xlabel(_("effort (1–5)"))
    ax.set_ylabel(_("impact (1–5)"))
    ax.set_xticks(range(SCORE_MIN, SCORE_MAX + 1))
    ax.set_yticks(range(SCORE_MIN, SCORE_MAX + 1))
    if title is None:
        title = _("Impact–effort matrix")
    if title:
        ax.set_title(title)
    place_point_labels(ax, [
        (effort, impact, "\n".join(f"{r}. {i}" for r, i in zip(group["rank"], group["idea"])))
        for (effort, impact), group in ranked.groupby(["effort", "impact"], sort=False)],
        gid="idea-label")
    if made_here:
        plt.close(fig)
    return fig


def _votes_list(votes, dots_per_voter):
    """Flatten votes into a list of (voter or None, idea name)."""
    if isinstance(votes, str):
        raise TypeError(
            _("votes must be a list of idea names (one per dot), such as ['buddy', 'buddy', "
              "'app'], or a dictionary voter -> list of ideas; not a single text.")
        )
    if isinstance(votes, pd.Series):
        votes = votes.tolist()
    dots: list[tuple[str | None, str]] = []
    if isinstance(votes, Mapping):
        for voter, chosen in votes.items():
            if isinstance(chosen, str):
                chosen = [chosen]
            if not isinstance(chosen, (list, tuple)):
                raise TypeError(
                    _("The votes of {voter} must be a list of idea names, not {value}.").format(
                        voter=repr(voter), value=repr(chosen))
                )
            if dots_per_voter is not None and len(chosen) > dots_per_voter:
                raise ValueError(
                    _("{voter} placed {dots} dots, but each person has only {allowed}.").format(
                        voter=repr(voter), dots=len(chosen), allowed=dots_per_voter)
                )
            for k, idea in enumerate(chosen, start=1):
                dots.append((voter, _idea_name(idea, _("Dot {number} of {voter}").format(
                    number=k, voter=repr(voter)))))
    elif isinstance(votes, (list, tuple)):
        if dots_per_voter is not None:
            raise ValueError(
                _("dots_per_voter can only be checked when the votes say who voted: give a "
                  "dictionary voter -> list of ideas.")
            )
        for k, idea in enumerate(votes, start=1):
            dots.append((None, _idea_name(idea, _("Dot {number}").format(number=k))))
    else:
        raise TypeError(
            _("votes must be a list of idea names (one per dot) or a dictionary voter -> list "
              "of ideas, but it is {value} ({kind}).").format(value=repr(votes),
                                                             kind=type(votes).__name__)
        )
    return dots


def dot_vote(votes, ideas=None, dots_per_voter: int | None = None) -> pd.DataFrame:
    """Count a dot vote and rank the ideas.

    Args:
        votes: either a list of idea names with one item per dot (an idea named three times
            got three dots), or a dictionary voter -> list of idea names (a single name is one
            dot). Names are text; spaces around a name are ignored, upper/lower case is not.
        ideas: optional list of all the ideas on the wall. Ideas nobody voted for then appear
            with 0 votes, and a vote for a name not in the list is an error (a typo check).
        dots_per_voter: optional limit on the dots one voter may place (needs the dictionary
            form of ``votes``), a whole number of 1 or more.

    Returns:
        A DataFrame with the columns ``idea``, ``votes`` (int, number of dots) and ``rank``
        (int), one row per idea, sorted by votes, most first. Ties are broken alphabetically by
        idea name (ignoring upper/lower case), and the ranks are 1, 2, ..., n in that order:
        two ideas with the same number of votes get different ranks. The index runs 0, 1, ...

    Raises:
        ValueError: no votes at all, an empty name, a vote for an idea not in ``ideas``, a
            voter with more than ``dots_per_voter`` dots.
        TypeError: ``votes`` is not a list or dictionary, or a name is not text.

    Source: dot voting ("dotmocracy"), a common convergence technique in workshops in the
    Define and Develop stages of the Design Council's Double Diamond; the tie-break rule is
    this course's convention.
    """
    if dots_per_voter is not None:
        from .validation import whole

        dots_per_voter = whole(dots_per_voter, "dots_per_voter", low=1)
    dots = _votes_list(votes, dots_per_voter)
    if not dots:
        raise ValueError(_("There are no votes: give at least one idea name."))
    counts = Counter(idea for _, idea in dots)
    if ideas is not None:
        if isinstance(ideas, str) or not isinstance(ideas, (list, tuple, pd.Series, pd.Index)):
            raise TypeError(_("ideas must be a list of idea names, such as ['buddy', 'app']."))
        wall = [_idea_name(i, _("Idea {number} of the list of ideas").format(number=k))
                for k, i in enumerate(ideas, start=1)]
        unknown = sorted(set(counts) - set(wall), key=_name_key)
        if unknown:
            raise ValueError(
                _("Votes for {names}, which is not in the list of ideas ({wall}). Check the "
                  "spelling.").format(names=", ".join(map(repr, unknown)),
                                      wall=", ".join(map(repr, wall)))
            )
        for idea in wall:
            counts.setdefault(idea, 0)
    order = sorted(counts, key=lambda idea: (-counts[idea], _name_key(idea)))
    return pd.DataFrame({
        "idea": order,
        "votes": [int(counts[idea]) for idea in order],
        "rank": list(range(1, len(order) + 1)),
    })


def display_table(table) -> pd.DataFrame:
    """A copy of a table of :func:`prioritise`, :func:`dot_vote` or :func:`persona_summary` to
    show people: the column names (:data:`COLUMN_LABEL`) and the quadrant names in the language
    in use ("idee", "stemmen", "rang", "aantal", "aandeel" in Dutch; in English nothing
    changes). Other columns and the values keep what they are.

    Use it only to look at a result: code keeps the English columns (``tally["votes"]``).

    Args:
        table: a pandas DataFrame (or a list of dictionaries, one per row), e.g. the result of
            :func:`dot_vote`, :func:`prioritise` or :func:`persona_summary`.

    Returns:
        A new DataFrame with the same rows and the renamed columns.

    Raises:
        TypeError: table is not a table (a DataFrame or a list of dictionaries).
    """
    shown = _as_table(table, "table").copy()
    if "quadrant" in shown.columns:
        shown["quadrant"] = [quadrant_name(q) for q in shown["quadrant"]]
    return shown.rename(columns={c: _(COLUMN_LABEL[c]) for c in shown.columns
                                 if c in COLUMN_LABEL})


def dot_vote_table(result) -> pd.DataFrame:
    """The tally of :func:`dot_vote` to show people: the same rows and numbers, with the
    column names in the language in use ("idee", "stemmen", "rang" in Dutch; in English
    ``idea``, ``votes``, ``rank`` as in the result).

    Args:
        result: the DataFrame returned by :func:`dot_vote` (columns ``idea``, ``votes``,
            ``rank``).

    Returns:
        A new DataFrame (:func:`display_table` of ``result``); ``result`` itself keeps its
        English columns for code and checks.

    Raises:
        TypeError: result is not a table (a DataFrame or a list of dictionaries).
        ValueError: a column of :func:`dot_vote`'s table is missing (named).
    """
    table = _as_table(result, "result")
    _require_columns(table, ("idea", "votes", "rank"), _("The tally"))
    return display_table(table)


def _is_blank(value) -> bool:
    """True for a missing value and for text that is empty or only spaces."""
    if isinstance(value, str):
        return not value.strip()
    return _is_missing(value)


def _value_key(value):
    """Sort numbers by size, then texts alphabetically, then "(no answer)" last."""
    if value == no_answer():
        return (2, 0.0, "", "")
    if isinstance(value, Real) and not isinstance(value, bool):
        return (0, float(value), "", "")
    text = str(value)
    return (1, 0.0, text.casefold(), text)


def persona_summary(survey, by="persona") -> pd.DataFrame:
    """Count the rows of a survey per persona (or per any column), with shares.

    Args:
        survey: a pandas DataFrame with one row per respondent (or interview).
        by: the name of the column to count (default ``"persona"``), or a list of column names
            to count every combination that occurs (a cross-table in long form).

    Returns:
        A DataFrame with the ``by`` column(s), then ``count`` (int, number of rows) and
        ``share`` (float 0-1: count / number of rows in the survey; the shares add up to 1).
        One row per value (or combination of values) that occurs; combinations nobody gave are
        left out. Empty or blank answers are counted as ``"(no answer)"`` (in the language in
        use, :func:`no_answer`), never dropped;
        spaces around a text answer are ignored, upper/lower case is not ("Parent" and
        "parent" are counted apart: clean the column first if they mean the same).
        Sorted by count, highest first, then by the values of the ``by`` column(s) in order
        (numbers by size, then text alphabetically ignoring upper/lower case, then
        ``"(no answer)"``). The index runs 0, 1, ... To show it with ``count`` and ``share``
        in the language in use ("aantal", "aandeel" in Dutch), use :func:`display_table`.

    Raises:
        TypeError: ``survey`` is not a DataFrame, or ``by`` is not a name or list of names.
        ValueError: a column in ``by`` does not exist (named, with the columns present), the
            survey has no rows, ``by`` is empty or repeats a column, or ``by`` uses the
            names ``count`` or ``share``.

    Source: summarising research per persona (personas after A. Cooper, 1999, *The Inmates
    Are Running the Asylum*) in the Discover stage of the Design Council's Double Diamond.
    """
    if not isinstance(survey, pd.DataFrame):
        raise TypeError(
            _("survey must be a pandas DataFrame (a table), but it is a {kind}. Make one with "
              "pandas.read_csv(...) or pandas.DataFrame(...).").format(kind=type(survey).__name__)
        )
    columns = [by] if isinstance(by, str) else by
    if not isinstance(columns, (list, tuple)) or not all(isinstance(c, str) for c in columns):
        raise TypeError(_("by must be a column name in quotes, or a list of column names."))
    columns = list(columns)
    if not columns:
        raise ValueError(_("by is empty: name at least one column to count."))
    if len(set(columns)) != len(columns):
        raise ValueError(_("by names a column more than once: {columns}.").format(
            columns=columns))
    clash = [c for c in columns if c in ("count", "share")]
    if clash:
        raise ValueError(
            _("The column {name} has the same name as a column of the result; rename it "
              "first, e.g. {example}.").format(name=repr(clash[0]),
                                               example="survey.rename(columns={...})")
        )
    _require_columns(survey, columns, _("The survey"))
    if len(survey) == 0:
        raise ValueError(_("The survey has no rows: there is nothing to count."))

    missing = no_answer()
    counts: Counter = Counter()
    for row in survey[columns].itertuples(index=False, name=None):
        counts[tuple(missing if _is_blank(v) else (v.strip() if isinstance(v, str) else v)
                     for v in row)] += 1
    total = len(survey)
    order = sorted(counts, key=lambda combo: (-counts[combo],
                                              tuple(_value_key(v) for v in combo)))
    result = pd.DataFrame(
        {column: [combo[k] for combo in order] for k, column in enumerate(columns)}
    )
    result["count"] = [int(counts[combo]) for combo in order]
    result["share"] = [counts[combo] / total for combo in order]
    return result
