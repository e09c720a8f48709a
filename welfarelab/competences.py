"""A competence self-assessment: soft skills and business skills for social entrepreneurship.

The eight competences are the course's own selection: the examples the Belgian focus group of
the WELFARE project gave (seed section 5.2.4, interview of 26 October 2022, "bv.", i.e. "for
instance", not a closed list): five **soft skills** (empathy, creativity, collaboration,
communication, an open attitude) and three **business skills** (finance, knowledge of business
models, strategic thinking). The same focus group discussed at length the
(apparent) "mismatch" between social study programmes, which stress soft skills, and the
"harder" entrepreneurial skills needed to build a revenue model (seed section 5.2.3).
:func:`summary` makes that gap visible in one's own ratings; :func:`radar_figure` draws them.

Ratings are self-ratings on a 1-5 scale (:data:`SCALE`). They describe how confident someone
feels today; they are not a test score. Functions here are pure: no printing, no widgets, no
files. matplotlib is imported only inside :func:`radar_figure`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

import pandas as pd

from .i18n import N_, _, _ngettext, number_text
from .plotting import OKABE_ITO

#: The five soft skills the focus group gave as examples (seed 5.2.4), in the order they are drawn.
SOFT_SKILLS = ("empathy", "creativity", "collaboration", "communication", "open attitude")
# the competence names as shown (labels, chart); the keys in code stay English
_SHOWN = (N_("empathy"), N_("creativity"), N_("collaboration"), N_("communication"),
          N_("open attitude"), N_("finance"), N_("knowledge of business models"),
          N_("strategic thinking"), N_("soft skills"), N_("business skills"), N_("now"),
          N_("goal"))

#: The three business-related skills the focus group gave as examples (seed 5.2.4).
BUSINESS_SKILLS = ("finance", "knowledge of business models", "strategic thinking")

#: All eight competences: soft skills first, then business skills.
COMPETENCES = SOFT_SKILLS + BUSINESS_SKILLS

#: The group of each competence: "soft skills" or "business skills".
GROUP = {**{c: "soft skills" for c in SOFT_SKILLS},
         **{c: "business skills" for c in BUSINESS_SKILLS}}

#: The self-rating scale, lowest first, with what each point means.
SCALE = {
    1: N_("new to me"),
    2: N_("I know a little about it"),
    3: N_("I can do it with help"),
    4: N_("I can do it on my own"),
    5: N_("I could teach it to others"),
}
SCALE_MIN, SCALE_MAX = min(SCALE), max(SCALE)


@dataclass(frozen=True)
class CompetenceSummary:
    """What :func:`summary` returns.

    Attributes:
        soft_mean: average self-rating of the five soft skills (1-5).
        business_mean: average self-rating of the three business skills (1-5).
        gap: ``soft_mean - business_mean`` in scale points; positive means the soft skills are
            rated higher (the "mismatch" the focus group discussed), negative the reverse.
        strongest: the competence(s) with the highest rating, in :data:`COMPETENCES` order.
        to_grow: the competence(s) with the lowest rating, in :data:`COMPETENCES` order.
    """

    soft_mean: float
    business_mean: float
    gap: float
    strongest: tuple
    to_grow: tuple

    def sentence(self) -> str:
        """The summary in one or two plain-English sentences."""
        text = _("Your soft skills average {soft} and your business skills {business} on the "
                 "1-5 scale.").format(soft=number_text(self.soft_mean, ".1f"),
                                      business=number_text(self.business_mean, ".1f")) + " "
        if abs(self.gap) < 0.5:
            text += _("The two groups are about in balance.")
        elif self.gap > 0:
            text += _("Your soft skills are {gap} points ahead: the 'mismatch' the focus group "
                      "talked about. The business skills are your growth area.").format(
                gap=number_text(self.gap, ".1f"))
        else:
            text += _("Your business skills are {gap} points ahead: the soft skills are your "
                      "growth area.").format(gap=number_text(-self.gap, ".1f"))
        return text


def _score(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(_("The rating of {name} must be a whole number from {low} to {high}, "
                          "but it is {value} ({kind}). Type a digit without quotes, for example "
                          "3.").format(name=repr(name), low=SCALE_MIN, high=SCALE_MAX,
                                       value=repr(value), kind=type(value).__name__))
    if not math.isfinite(float(value)) or float(value) != int(value):
        raise ValueError(_("The rating of {name} must be a whole number from {low} to {high}, "
                           "but it is {value}.").format(name=repr(name), low=SCALE_MIN,
                                                        high=SCALE_MAX, value=repr(value)))
    value = int(value)
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(_("The rating of {name} must be from {low} to {high}, but it is "
                           "{value}.").format(name=repr(name), low=SCALE_MIN, high=SCALE_MAX,
                                              value=value))
    return value


def ratings_dict(ratings) -> dict:
    """Check self-ratings and return them as a dict in :data:`COMPETENCES` order.

    Args:
        ratings: either a mapping ``{competence: rating}`` with all eight competences (names as in
            :data:`COMPETENCES`; upper/lower case and spaces around a name do not matter), or a
            list of eight ratings in :data:`COMPETENCES` order. Each rating is a whole number
            from 1 to 5 (see :data:`SCALE`).

    Returns:
        dict ``{competence: int rating}`` with the eight competences in :data:`COMPETENCES` order.

    Raises:
        ValueError: a competence is missing or unknown, the list does not hold eight ratings, or a
            rating is not a whole number from 1 to 5.
        TypeError: ``ratings`` is not a mapping or a list, or a rating is text, None or a bool.
    """
    if isinstance(ratings, Mapping):
        given = {}
        for key, value in ratings.items():
            name = str(key).strip().lower()
            if name not in GROUP:
                raise ValueError(_("{name} is not one of the eight competences. Use these names: "
                                   "{names}.").format(name=repr(key),
                                                      names=", ".join(COMPETENCES)))
            given[name] = value
        missing = [c for c in COMPETENCES if c not in given]
        if missing:
            raise ValueError(_ngettext("Rate every competence: {names} is missing.",
                                       "Rate every competence: {names} are missing.",
                                       len(missing)).format(names=", ".join(missing)))
        return {c: _score(given[c], c) for c in COMPETENCES}
    if isinstance(ratings, Sequence) and not isinstance(ratings, str):
        if len(ratings) != len(COMPETENCES):
            raise ValueError(_("Give {count} ratings, one for each competence in this order: "
                               "{names}. You gave {given}.").format(
                count=len(COMPETENCES), names=", ".join(COMPETENCES), given=len(ratings)))
        return {c: _score(v, c) for c, v in zip(COMPETENCES, ratings)}
    raise TypeError(_("ratings must be a dictionary {example} or a list of {count} ratings, "
                      "not {kind}.").format(example="{competence: rating}",
                                            count=len(COMPETENCES),
                                            kind=type(ratings).__name__))


def profile(ratings) -> pd.DataFrame:
    """The self-ratings as a table: one row per competence.

    Args:
        ratings: as for :func:`ratings_dict`.

    Returns:
        pandas DataFrame with columns ``competence``, ``group`` ("soft skills" or "business
        skills"), ``rating`` (1-5) and ``meaning`` (the words of :data:`SCALE`), in
        :data:`COMPETENCES` order. The column names are the same in every language; the
        ``group`` and ``meaning`` cells are in the language in use (``competence`` holds the
        English names that :func:`ratings_dict` accepts, so a row can be read back).

    Raises:
        The errors of :func:`ratings_dict`.
    """
    checked = ratings_dict(ratings)
    return pd.DataFrame({
        "competence": list(checked),
        "group": [_(GROUP[c]) for c in checked],
        "rating": list(checked.values()),
        "meaning": [_(SCALE[v]) for v in checked.values()],
    })


def summary(ratings) -> CompetenceSummary:
    """Average per group, the gap between them, and the strongest and weakest competences.

    Args:
        ratings: as for :func:`ratings_dict`.

    Returns:
        :class:`CompetenceSummary`; ``gap`` = soft-skill average - business-skill average
        (scale points). Ties: every competence with the top (or bottom) rating is listed.

    Raises:
        The errors of :func:`ratings_dict`.
    """
    checked = ratings_dict(ratings)
    soft = sum(checked[c] for c in SOFT_SKILLS) / len(SOFT_SKILLS)
    business = sum(checked[c] for c in BUSINESS_SKILLS) / len(BUSINESS_SKILLS)
    top, bottom = max(checked.values()), min(checked.values())
    return CompetenceSummary(
        soft_mean=soft,
        business_mean=business,
        gap=soft - business,
        strongest=tuple(c for c, v in checked.items() if v == top),
        to_grow=tuple(c for c, v in checked.items() if v == bottom),
    )


#: Letters per line of a spoke's label on the radar chart.
LABEL_WIDTH = 14


def spoke_label(competence: str, width: int = LABEL_WIDTH) -> str:
    """The radar chart's label of ``competence`` in the language in use, wrapped at spaces.

    Lines break only between words, never inside one and never at a hyphen ("business
    models", not "Onder-nemerschap"): a word longer than ``width`` letters stays whole on its
    own line.

    Args:
        competence: a name of :data:`COMPETENCES` (English, as in code).
        width: the wanted letters per line (a whole number, default 14).

    Returns:
        The label, lines joined with ``"\n"``.
    """
    return textwrap.fill(_(competence), width, break_long_words=False, break_on_hyphens=False)


#: Colours and markers of the figure (Okabe-Ito; the groups differ by marker shape too).
_STYLE = {"soft skills": (OKABE_ITO["bluish green"], "o"),
          "business skills": (OKABE_ITO["vermillion"], "s")}
_LINE = {"now": (OKABE_ITO["blue"], "-"), "goal": (OKABE_ITO["reddish purple"], "--")}


def radar_figure(ratings, goal=None, title: str | None = None, ax=None):
    """Draw the self-ratings as a radar (spider) chart: soft skills right, business skills left.

    Each of the eight spokes is one competence; the distance from the centre is the rating: the
    rings are labelled 1-5 and the centre is 0, so even a rating of 1 shows as a point away from
    the middle. The ratings' polygon is blue with a solid line; an optional ``goal`` (where you want
    to be) is reddish purple and dashed. Soft-skill points are bluish-green circles,
    business-skill points vermilion squares, and each spoke's label is coloured by its group, so the
    groups differ by shape and colour (Okabe & Ito palette).

    Args:
        ratings: today's self-ratings, as for :func:`ratings_dict`.
        goal: optional second set of ratings in the same form (e.g. where you want to be at
            the end of the course).
        title: title above the chart (text); None (default) gives "My competence profile" in
            the language in use, "" no title.
        ax: optional matplotlib Axes with a polar projection to draw on.

    Returns:
        matplotlib ``Figure`` (closed in pyplot when this function made it, so it shows once as
        the last line of a cell). The lines carry the labels "now" and "goal" (legend).

    Raises:
        The errors of :func:`ratings_dict`, for ``ratings`` and ``goal``; ValueError if ``ax``
        is not a polar Axes.
    """
    import matplotlib.pyplot as plt

    lines = {"now": ratings_dict(ratings)}
    if goal is not None:
        lines["goal"] = ratings_dict(goal)
    made_here = ax is None
    if made_here:
        fig, ax = plt.subplots(figsize=(7, 6.5), subplot_kw={"projection": "polar"},
                               layout="constrained")
    else:
        if getattr(ax, "name", "") != "polar":
            raise ValueError(_("ax must be a polar Axes: {example}.").format(
                example="plt.subplots(subplot_kw={'projection': 'polar'})"))
        fig = ax.figure
    n = len(COMPETENCES)
    angles = [2 * math.pi * i / n for i in range(n)]
    ax.set_theta_offset(math.pi / 2)   # the first spoke (empathy) points up ...
    ax.set_theta_direction(-1)         # ... and the others follow clockwise
    closed = angles + angles[:1]
    for label, values in lines.items():
        colour, style = _LINE[label]
        scores = list(values.values())
        ax.plot(closed, scores + scores[:1], color=colour, linestyle=style, linewidth=2,
                label=_(label), gid=f"line:{label}")
        if label == "now":
            ax.fill(closed, scores + scores[:1], color=colour, alpha=0.15)
            for group, (gcolour, marker) in _STYLE.items():
                idx = [i for i, c in enumerate(COMPETENCES) if GROUP[c] == group]
                ax.scatter([angles[i] for i in idx], [scores[i] for i in idx], s=60,
                           color=gcolour, marker=marker, edgecolor="black", linewidth=0.5,
                           zorder=5, label=_(group))
    ax.set_xticks(angles)
    ax.set_xticklabels([spoke_label(c) for c in COMPETENCES], fontsize=9)
    ax.tick_params(axis="x", pad=12)
    for tick, name in zip(ax.get_xticklabels(), COMPETENCES):
        tick.set_color(_STYLE[GROUP[name]][0])
        tick.set_fontweight("bold")
    # The radial axis starts at 0 (the centre), below the lowest rating, so a 1 is still a
    # visible point; the rings are the ratings 1-5, labelled along the empathy spoke.
    ax.set_ylim(0, SCALE_MAX + 0.5)   # room between a 5 and the labels
    ax.set_yticks(list(SCALE))
    ax.set_yticklabels([str(s) for s in SCALE], fontsize=9, color="#333333")
    for label in ax.get_yticklabels():   # readable where a line crosses a ring's number
        label.set_bbox({"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1})
    ax.yaxis.set_zorder(4)               # ... so the ring numbers are drawn above the lines
    ax.set_rlabel_position(180 / n)
    ax.set_xlabel(_("rings: self-rating {low} ({low_words}) to {high} (I could teach it); the "
                    "centre is 0").format(low=SCALE_MIN, low_words=_(SCALE[SCALE_MIN]),
                                          high=SCALE_MAX), labelpad=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=8,
              frameon=False)
    if title is None:
        title = _("My competence profile")
    if title:
        ax.set_title(title, pad=18)
    if made_here:
        plt.close(fig)
    return fig
