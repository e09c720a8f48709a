"""Social enterprise in Belgium (module m01): key figures, roots and legal milestones.

The facts live in three real datasets in ``data/`` (see ``data/datasets.yml``), each taken
from the WELFARE project's Belgian national report (the course's seed) and the sources it
cites (European Commission 2020; Federale Overheid België 2021), with the legal dates from the
pages named in each row's ``source`` (FOD Economie on the law of 23 March 2019 and the Royal
Decree of 28 June 2019; law firms' and notaries' notes on the 1 January 2020 and 2024 dates):

* ``belgium_key_figures``: 18,004 social enterprises and 572,914 employees in 2017, stable
  growth 2011-2017, and the four features the seed's table marks with an X;
* ``belgium_legal_milestones``: the roots of the sector (periods) and the legal milestones
  from the VSO of 1995 to the end of the transition to the WVV/CSA in 2024;
* ``belgium_se_programmes``: the programmes of seed section 1.4 with their size in ECTS.

:func:`milestones`, :func:`key_figures` and :func:`programmes` load them (through
:func:`welfarelab.data.load`). The other functions are pure: they take those tables (or
numbers), return numbers, tables or a figure, and print nothing. matplotlib is imported only
inside :func:`timeline_figure`.
"""

from __future__ import annotations

import pandas as pd

from . import i18n
from . import validation as check
from .i18n import N_, _
from .plotting import OKABE_ITO

MILESTONES = "belgium_legal_milestones"
KEY_FIGURES = "belgium_key_figures"
PROGRAMMES = "belgium_se_programmes"

#: Ready-made windows for the timeline: label -> (first year, last year), both included. The
#: labels are the ids (English); ``_(label)`` is what a student reads in the language in use.
VIEWS = {
    N_("the whole history (1800-2024)"): (1800, 2024),
    N_("from the VSO to the end of the transition (1995-2024)"): (1995, 2024),
    N_("the 2019 reform up close (2019-2024)"): (2019, 2024),
}

#: Colour and marker per kind of milestone (Okabe-Ito; kinds differ by shape too).
KIND_STYLE = {
    "root": (OKABE_ITO["bluish green"], "s"),
    "law": (OKABE_ITO["blue"], "o"),
    "deadline": (OKABE_ITO["vermillion"], "D"),
}
KIND_LABEL = {"root": N_("root of the sector (a period)"), "law": N_("legal milestone (a date)"),
              "deadline": N_("end of a transition (a date)")}

#: The months, for dates written in words (``_(MONTHS[m - 1])`` in the language in use).
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))


# ---------------------------------------------------------------------------------------------
# loading (thin wrappers over welfarelab.data)
# ---------------------------------------------------------------------------------------------

def milestones() -> pd.DataFrame:
    """The roots and legal milestones (dataset ``belgium_legal_milestones``), oldest first."""
    from . import data

    frame = data.load(MILESTONES)
    return frame.sort_values(["start_year", "date"], kind="stable").reset_index(drop=True)


def key_figures() -> pd.DataFrame:
    """The seed's key-figures table (dataset ``belgium_key_figures``), one row per indicator."""
    from . import data

    return data.load(KEY_FIGURES)


def programmes() -> pd.DataFrame:
    """The programmes of seed section 1.4 and their ECTS (dataset ``belgium_se_programmes``)."""
    from . import data

    return data.load(PROGRAMMES)


# ---------------------------------------------------------------------------------------------
# calculations
# ---------------------------------------------------------------------------------------------

def employees_per_enterprise(enterprises, employees) -> float:
    """Average number of employees per social enterprise.

    Args:
        enterprises: number of social enterprises (organisations), more than 0.
        employees: number of people employed by them (persons), 0 or more.

    Returns:
        ``employees / enterprises`` (float, persons per organisation). For Belgium in 2017
        (European Commission 2020): 572,914 / 18,004 = 31.82.

    Raises:
        ValueError: enterprises 0 or less, employees negative, NaN or infinite.
        TypeError: a value is text, None or a bool.
    """
    enterprises = check.positive(enterprises, _("number of social enterprises"))
    employees = check.non_negative(employees, _("number of employees"))
    return employees / enterprises


def figure(key_figures_table: pd.DataFrame, indicator: str) -> int:
    """The value of one indicator of the key-figures table, as an int.

    Args:
        key_figures_table: the table of :func:`key_figures`.
        indicator: the indicator's name, e.g. "estimated number of social enterprises".

    Returns:
        The value (int).

    Raises:
        ValueError: the indicator is unknown (the message lists the known ones) or has no
            number (a trend or an X mark).
    """
    rows = key_figures_table[key_figures_table["indicator"] == indicator]
    if rows.empty:
        known = "; ".join(str(i) for i in key_figures_table["indicator"])
        raise ValueError(_("There is no indicator {indicator}. The indicators are: {known}.")
                         .format(indicator=repr(indicator), known=known))
    value = rows["value"].iloc[0]
    if pd.isna(value):
        raise ValueError(_("The indicator {indicator} has no number: the seed gives {text}.")
                         .format(indicator=repr(indicator),
                                 text=repr(rows["seed_text"].iloc[0])))
    return int(value)


def milestone(milestones_table: pd.DataFrame, key: str) -> pd.Series:
    """One milestone (a row of :func:`milestones`) by its key, e.g. ``"VSO law"``.

    Raises:
        ValueError: no milestone has that key; the message lists the keys.
    """
    rows = milestones_table[milestones_table["key"] == key]
    if rows.empty:
        keys = "; ".join(str(k) for k in milestones_table["key"])
        raise ValueError(_("There is no milestone {key}. The keys are: {keys}.")
                         .format(key=repr(key), keys=keys))
    return rows.iloc[0]


def years_between(milestones_table: pd.DataFrame, first: str, second: str) -> int:
    """Whole years from milestone ``first`` to milestone ``second`` (their start years).

    Example: ``years_between(milestones(), "VSO law", "WVV in force")`` is 2019 - 1995 = 24.
    Negative when ``second`` comes first.

    Raises:
        ValueError: a key is unknown (see :func:`milestone`).
    """
    return int(milestone(milestones_table, second)["start_year"]
               - milestone(milestones_table, first)["start_year"])


def days_between(milestones_table: pd.DataFrame, first: str, second: str) -> int:
    """Days from the date of milestone ``first`` to the date of milestone ``second``.

    Example: from "WVV in force" (1 May 2019) to "transition ends" (1 January 2024) is
    1,706 days.

    Raises:
        ValueError: a key is unknown, or a milestone is a period without an exact date.
    """
    dates = []
    for key in (first, second):
        row = milestone(milestones_table, key)
        if pd.isna(row["date"]):
            raise ValueError(_("The milestone {key} is a period ({start}-{end}), not a date: "
                               "use years_between instead.")
                             .format(key=repr(key), start=row["start_year"],
                                     end=row["end_year"]))
        dates.append(pd.Timestamp(row["date"]))
    return int((dates[1] - dates[0]).days)


def in_window(milestones_table: pd.DataFrame, start: int, end: int,
              roots: bool = True) -> pd.DataFrame:
    """The milestones that touch the years ``start`` to ``end`` (both included), oldest first.

    A period counts when it overlaps the window. ``roots=False`` leaves out the roots.

    Raises:
        ValueError: ``start`` is after ``end``, or they are not whole years.
    """
    start = check.whole(start, _("first year"), low=1000, high=3000)
    end = check.whole(end, _("last year"), low=1000, high=3000)
    if start > end:
        raise ValueError(_("The first year ({start}) must not be after the last year ({end}).")
                         .format(start=start, end=end))
    keep = (milestones_table["end_year"] >= start) & (milestones_table["start_year"] <= end)
    if not roots:
        keep &= milestones_table["kind"] != "root"
    out = milestones_table[keep.astype(bool)]
    return out.sort_values(["start_year", "date"], kind="stable").reset_index(drop=True)


def when(row) -> str:
    """A milestone's time in words: "13 April 1995" for a date ("13 april 1995" in Dutch),
    "1801-1900" for a period."""
    if pd.notna(row["date"]):
        date = pd.Timestamp(row["date"])
        return _("{day} {month} {year}").format(day=date.day, month=_(MONTHS[date.month - 1]),
                                                year=date.year)
    if row["start_year"] == row["end_year"]:
        return str(row["start_year"])
    return f"{row['start_year']}-{row['end_year']}"


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` in the language in use (``<column>_nl`` in Dutch) when the table has it."""
    return i18n.localized_column(frame, column) if column in frame.columns else frame[column]


def key_figures_table(key_figures_table: pd.DataFrame) -> pd.DataFrame:
    """The key-figures table written for people: indicator, what the seed says, and source.

    Numbers get thousands separators, their unit and year ("18,004 organisations (2017)"),
    a percentage its unit ("85 percent of VSOs"), a trend its years
    ("stable (2011-2017)"), and an X mark reads "X (marked in the seed's table)". In Dutch the
    indicator, unit, trend and source come from the ``_nl`` columns and numbers are Belgian
    ("18.004 organisaties (2017)").
    """
    frame = key_figures_table.reset_index(drop=True)
    indicators = i18n.localized_column(frame, "indicator")
    units = i18n.localized_column(frame, "unit")
    trends = i18n.localized_column(frame, "trend")
    sources = _text_column(frame, "source")
    shown = []
    for i, row in frame.iterrows():
        year = f" ({row['year_start']})" if pd.notna(row["year_start"]) else ""
        if pd.notna(row["value"]):
            text = f"{i18n.number_text(int(row['value']), ',.0f')} {units[i]}{year}"
        elif pd.notna(row["trend"]):
            text = f"{trends[i]} ({row['year_start']}-{row['year_end']})"
        elif row["marked_x"]:
            text = _("X (marked in the seed's table)")
        else:
            text = ""
        shown.append({"indicator": indicators[i], "figure": text, "source": sources[i]})
    return pd.DataFrame(shown)


# ---------------------------------------------------------------------------------------------
# the timeline figure
# ---------------------------------------------------------------------------------------------

def _decimal_year(row) -> float:
    if pd.isna(row["date"]):
        return float(row["start_year"])
    date = pd.Timestamp(row["date"])
    days = 366 if date.is_leap_year else 365
    return date.year + (date.day_of_year - 1) / days


def timeline_figure(milestones_table: pd.DataFrame, start: int = 1800, end: int = 2024,
                    roots: bool = True, title: str | None = None, ax=None):
    """Draw the milestones between ``start`` and ``end`` on a timeline.

    Dated milestones stand above the time axis on stems of different heights, labelled with
    their key and date: legal milestones as blue circles, the end of a transition as a
    vermilion diamond. The roots (periods) lie below the axis as bluish-green bars, one lane
    each, labelled with their key. Kinds differ by colour and by marker shape (Okabe & Ito).

    Args:
        milestones_table: the table of :func:`milestones`.
        start, end: first and last year shown (whole years; see :data:`VIEWS`).
        roots: False leaves out the roots (periods).
        title: title above the figure; default "Social enterprise in Belgium: <start>-<end>".
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib ``Figure`` (closed in pyplot when this function made it, so it shows once as
        the last line of a cell). Each label is a text with gid "milestone:<key>".

    Raises:
        ValueError: the window is not valid (see :func:`in_window`) or holds no milestone.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    shown = in_window(milestones_table, start, end, roots)
    if shown.empty:
        raise ValueError(_("No milestone lies between {start} and {end}: choose a wider window.")
                         .format(start=start, end=end))
    made_here = ax is None
    if made_here:
        fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    else:
        fig = ax.figure
    left, right = start - 0.02 * (end + 1 - start), end + 1 + 0.02 * (end + 1 - start)
    middle = (left + right) / 2
    ax.axhline(0, color="black", linewidth=1)

    shown = shown.assign(label=_text_column(shown, "key"))
    events = shown[shown["kind"] != "root"]
    periods = shown[shown["kind"] == "root"]
    levels = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    for i, (_index, row) in enumerate(events.iterrows()):
        x = _decimal_year(row)
        y = levels[i % len(levels)]
        colour, marker = KIND_STYLE[row["kind"]]
        ax.vlines(x, 0, y, color=colour, linewidth=1)
        ax.plot([x], [0], marker=marker, color=colour, markeredgecolor="black",
                markeredgewidth=0.5, markersize=8, linestyle="none", zorder=3)
        ha = "left" if x <= middle else "right"
        ax.annotate(f"{row['label']}\n{when(row)}", (x, y), xytext=(3 if ha == "left" else -3, 0),
                    textcoords="offset points", ha=ha, va="center", fontsize=8,
                    gid=f"milestone:{row['key']}",
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                          "edgecolor": colour, "linewidth": 0.8})
    colour = KIND_STYLE["root"][0]
    for i, (_index, row) in enumerate(periods.iterrows(), start=1):
        x0, x1 = max(float(row["start_year"]), left), min(float(row["end_year"]) + 1, right)
        y = -0.8 * i
        ax.barh(y, x1 - x0, left=x0, height=0.5, color=colour, alpha=0.85,
                edgecolor="black", linewidth=0.5)
        ha = "left" if x1 <= middle or x0 < middle - (right - left) * 0.25 else "right"
        tx = x1 + (right - left) * 0.005 if ha == "left" else x0 - (right - left) * 0.005
        ax.text(tx, y, f"{row['label']} ({when(row)})", ha=ha, va="center", fontsize=8,
                gid=f"milestone:{row['key']}")
    top = (min(len(events), len(levels)) if len(events) else 0) + 1
    bottom = -0.8 * len(periods) - 0.6
    ax.set_ylim(bottom, top)
    ax.set_xlim(left, right)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(_("year"))
    kinds = [k for k in KIND_STYLE if k in set(shown["kind"])]
    handles = [Patch(color=KIND_STYLE[k][0], label=_(KIND_LABEL[k])) if k == "root" else
               Line2D([], [], marker=KIND_STYLE[k][1], color=KIND_STYLE[k][0], linestyle="none",
                      markeredgecolor="black", label=_(KIND_LABEL[k])) for k in kinds]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3,
              fontsize=8, frameon=False)
    ax.set_title(title if title is not None else
                 _("Social enterprise in Belgium: {start}-{end}").format(start=start, end=end))
    if made_here:
        plt.close(fig)
    return fig
