"""Teamwork: a structured peer-feedback form and how the lecturer counts it (teamwork notebook).

Seed section 4.2 (Rising You) names three things a group needs to become a safe group:
**inclusion** (every participant has a full place in the group), **influence** (every member
has influence on the group and knows it) and **intimacy** (constructive dialogue and
peer-to-peer feedback are possible). The course's feedback form asks each team member to rate
every member of the team, themselves included, from 1 to 5 on those three criteria and on two
about the work (:data:`CRITERIA`).

Pure functions, no widgets, no printing:

* :class:`PeerRating` and :func:`make_rating`: one filled-in form (one rater about one team
  member), validated;
* :func:`read_ratings`: the ratings from the CSV file a lecturer exports from a form tool
  (columns in :data:`CSV_COLUMNS`), with errors that name the row and the column;
* :func:`summarise`: per student, the mean of the peers' ratings, the number of peers who rated,
  the spread, the self-rating beside it and flags for the lecturer;
* :func:`missing_ratings`: which forms are still missing;
* :func:`question`, :func:`csv_columns` and :func:`summary_table`: the form's questions, the
  CSV columns and the count's columns in the language in use (to show; the ids stay English).

The method follows self- and peer-assessment practice in higher education: SPARK, the Self and
Peer Assessment Resource Kit (Freeman, M. and McKenzie, J. (2002), "SPARK, a confidential
web-based template for self and peer assessment of student teamwork: benefits of evaluating
across different subjects", British Journal of Educational Technology 33(5), 551-569;
confidential ratings of oneself and one's peers on several criteria) and its successor
SPARKPLUS, whose **SA/PA factor** is "the ratio of a student's own self-assessment rating
compared to the average rating of their contribution by their peers" (a factor above 1: the student rates themself
higher than the peers do; University of Western Australia, CITS3200, "About SPARKPLUS",
https://teaching.csse.uwa.edu.au/units/CITS3200/project/about_SPARKPLUS.html). The course uses
the ratings for feedback and for a conversation, not to change marks automatically: the flags
(fewer than two peers, a large self-peer gap) tell the lecturer where to talk to a team first.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from numbers import Integral, Real

import pandas as pd

from .i18n import N_, _, _ngettext, number_text

#: The criteria of the form, in order, with the question a rater answers (1 = not at all,
#: 5 = fully). The first three are seed 4.2's; the last two are about the work. The keys are
#: ids; the questions are marked for the catalog (``_(question)`` where shown).
CRITERIA = {
    "inclusion": N_("This person gives everyone a full place in the team, and has one."),
    "influence": N_("This person has a say in the team's choices and lets others have theirs."),
    "intimacy": N_("This person gives and takes honest, constructive feedback."),
    "contribution": N_("This person does a fair share of the team's work."),
    "reliability": N_("This person keeps the agreements of the team charter (deadlines, "
                      "meetings)."),
}

#: Lowest and highest rating on the form.
RATING_MIN, RATING_MAX = 1, 5

#: The columns of the CSV file the lecturer exports from the form tool, in this order
#: (a header row first). ``comment`` may be missing or empty; other columns are ignored.
CSV_COLUMNS = ("team", "rater", "ratee", *CRITERIA, "comment")

#: The columns' names in the language in use (``_(COLUMN_LABEL[c])``): :func:`read_ratings`
#: reads a header in English or in the language in use ("beoordelaar" for "rater" in Dutch).
COLUMN_LABEL = {"team": N_("team"), "rater": N_("rater"), "ratee": N_("ratee"),
                "inclusion": N_("inclusion"), "influence": N_("influence"),
                "intimacy": N_("intimacy"), "contribution": N_("contribution"),
                "reliability": N_("reliability"), "comment": N_("comment")}


def column_label(column: str) -> str:
    """A column's (or criterion's) name in the language in use, e.g. "beoordelaar" for "rater"
    in Dutch; the id itself in English."""
    return _(COLUMN_LABEL[column]) if column in COLUMN_LABEL else column


def question(criterion: str) -> str:
    """The form's question for one criterion, in the language in use.

    Args:
        criterion: a criterion id, one of :data:`CRITERIA` (``"inclusion"``, ``"influence"``,
            ``"intimacy"``, ``"contribution"``, ``"reliability"``; the ids stay English in every
            language).

    Returns:
        The question a rater answers from 1 (not at all) to 5 (fully), e.g. "This person does a
        fair share of the team's work." in English, "Deze persoon doet een eerlijk deel van het
        werk van het team." in Dutch.

    Raises:
        TypeError: criterion is not a text.
        ValueError: criterion is not one of :data:`CRITERIA` (the message lists them).
    """
    known = isinstance(criterion, str) and criterion in CRITERIA
    if not known:
        error = TypeError if not isinstance(criterion, str) else ValueError
        raise error(_("{where}{key} is not a criterion of the form. The criteria are: "
                      "{criteria}.").format(where="", key=repr(criterion),
                                            criteria=", ".join(CRITERIA)))
    return _(CRITERIA[criterion])


def csv_columns() -> list[str]:
    """The names of the CSV file's columns (:data:`CSV_COLUMNS`) in the language in use, in
    order: in English the ids themselves, in Dutch "team, beoordelaar, beoordeelde, inclusie,
    ...". :func:`read_ratings` reads a header with these names or with the English ids."""
    return [column_label(c) for c in CSV_COLUMNS]

#: A student rated by fewer peers than this gets the flag "fewer than 2 peers".
MIN_PEERS = 2

#: A self-rating this many points (on the 1-5 scale) above or below the peers' mean gets a flag.
GAP = 1.0

#: Longest name or comment accepted, in characters (a form export is typed by students).
MAX_TEXT = 2000


@dataclass(frozen=True)
class PeerRating:
    """One filled-in feedback form: ``rater`` about ``ratee`` (the same name: a self-rating).

    Attributes:
        team: the team's name or number (text).
        rater: who filled in the form (text).
        ratee: whom the form is about (text).
        scores: criterion -> rating, an int from 1 to 5 for every criterion of :data:`CRITERIA`.
        comment: optional free text for the ratee (shown to the lecturer, never evaluated).
    """

    team: str
    rater: str
    ratee: str
    scores: dict = field(default_factory=dict)
    comment: str = ""

    @property
    def is_self(self) -> bool:
        """True when the rater rates themself."""
        return self.rater.casefold() == self.ratee.casefold()

    @property
    def overall(self) -> float:
        """The mean of the ratings over all criteria (1-5)."""
        return sum(self.scores[c] for c in CRITERIA) / len(CRITERIA)


def _text(value, field_name: str, where: str = "") -> str:
    field_name = column_label(field_name)
    if not isinstance(value, str):
        raise TypeError(_("{where}{field} must be a text in quotes, not {value}.").format(
            where=where, field=field_name, value=repr(value)))
    text = " ".join(value.split())
    if not text:
        raise ValueError(_("{where}{field} is empty: fill in a name.").format(
            where=where, field=field_name))
    if len(text) > MAX_TEXT:
        raise ValueError(_("{where}{field} is longer than {most} characters.").format(
            where=where, field=field_name, most=MAX_TEXT))
    return text


def _rating(value, criterion: str, where: str = "") -> int:
    """A rating 1-5 from an int, a whole float or a text such as '4' (a CSV cell)."""
    original = value
    criterion = column_label(criterion)
    not_whole = _("{where}{criterion} must be a whole number from {low} to {high}, not "
                  "{value}.")
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            raise ValueError(_("{where}{criterion} is empty: give a rating from {low} to "
                               "{high}.").format(where=where, criterion=criterion,
                                                 low=RATING_MIN, high=RATING_MAX))
        try:
            value = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(not_whole.format(where=where, criterion=criterion, low=RATING_MIN,
                                              high=RATING_MAX, value=repr(original))) from None
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(not_whole.format(where=where, criterion=criterion, low=RATING_MIN,
                                         high=RATING_MAX, value=repr(original)))
    if not math.isfinite(value) or value != int(value):
        raise ValueError(not_whole.format(where=where, criterion=criterion, low=RATING_MIN,
                                          high=RATING_MAX, value=repr(original)))
    value = int(value)
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(_("{where}{criterion} must be from {low} to {high}, not {value}.")
                         .format(where=where, criterion=criterion, low=RATING_MIN,
                                 high=RATING_MAX, value=value))
    return value


def make_rating(team, rater, ratee, scores, comment: str = "", where: str = "") -> PeerRating:
    """Check one feedback form and return it as a :class:`PeerRating`.

    Args:
        team, rater, ratee: texts (spaces around and inside are tidied).
        scores: a dict criterion -> rating (an int 1-5, or a text such as "4"), with every
            criterion of :data:`CRITERIA` and no other.
        comment: optional text.
        where: a prefix for error messages (e.g. "Row 3: ").

    Returns:
        The validated :class:`PeerRating`.

    Raises:
        TypeError: a name is not a text, scores is not a dict, a rating is not a number.
        ValueError: a name is empty, a criterion is missing or unknown, a rating is not a whole
            number from 1 to 5; each message names the field.
    """
    team = _text(team, "team", where)
    rater = _text(rater, "rater", where)
    ratee = _text(ratee, "ratee", where)
    if not isinstance(scores, dict):
        raise TypeError(_("{where}scores must be a dict of criterion -> rating, not {value}.")
                        .format(where=where, value=repr(scores)))
    unknown = [k for k in scores if k not in CRITERIA]
    if unknown:
        raise ValueError(_("{where}{key} is not a criterion of the form. The criteria are: "
                           "{criteria}.").format(where=where, key=repr(unknown[0]),
                                                 criteria=", ".join(CRITERIA)))
    missing = [c for c in CRITERIA if c not in scores]
    if missing:
        raise ValueError(_("{where}the rating for {criterion} is missing.").format(
            where=where, criterion=column_label(missing[0])))
    checked = {c: _rating(scores[c], c, where) for c in CRITERIA}
    if comment is None or (isinstance(comment, float) and math.isnan(comment)):
        comment = ""
    if not isinstance(comment, str):
        raise TypeError(_("{where}comment must be a text, not {value}.").format(
            where=where, value=repr(comment)))
    if len(comment) > MAX_TEXT:
        raise ValueError(_("{where}comment is longer than {most} characters.").format(
            where=where, most=MAX_TEXT))
    return PeerRating(team, rater, ratee, checked, comment.strip())


def _check_unique(ratings: list[PeerRating], labels=None) -> None:
    """One form per (team, rater, ratee), one team per student; labels name the forms."""
    labels = labels or [_("Rating {n}").format(n=n) for n in range(1, len(ratings) + 1)]
    seen, team_of = {}, {}
    for label, r in zip(labels, ratings):
        key = (r.team, r.rater.casefold(), r.ratee.casefold())
        if key in seen:
            raise ValueError(_("{label}: {rater} rated {ratee} twice in team {team} (also in "
                               "{other}). Keep one form per pair.").format(
                label=label, rater=r.rater, ratee=r.ratee, team=r.team, other=seen[key]))
        seen[key] = label
        for person in (r.rater, r.ratee):
            other = team_of.setdefault(person.casefold(), r.team)
            if other != r.team:
                raise ValueError(_("{label}: {person} appears in team {team} and in team "
                                   "{other}. A student belongs to one team.").format(
                    label=label, person=person, team=r.team, other=other))


def read_ratings(source) -> list[PeerRating]:
    """The feedback forms in a CSV export, checked row by row.

    Args:
        source: a path to a CSV file, or a file-like object, or the CSV text itself (a str that
            contains a line break). The first row holds the column names of :data:`CSV_COLUMNS`
            (case and spaces around them do not matter; ``comment`` may be left out; other
            columns, such as a form tool's time stamp, are ignored). Separator: a comma or a
            semicolon (Excel in Belgium saves with ";"); UTF-8, with or without a byte-order
            mark. One row = one form: ``team, rater, ratee``, the five ratings 1-5, a comment.

    Returns:
        A list of :class:`PeerRating`, in the file's order.

    Raises:
        ValueError: a required column is missing (named); a row has a bad value (the message
            names the row as the spreadsheet numbers it, header = row 1, and the column); the
            same pair is rated twice; a student appears in two teams; the file has no rows.
        TypeError: source is not a path, a text or a file.
    """
    if isinstance(source, (str, os.PathLike)) and not (isinstance(source, str) and "\n" in source):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    elif isinstance(source, str):
        text = source.lstrip("\ufeff")
    elif hasattr(source, "read"):
        text = source.read()
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        text = text.lstrip("\ufeff")
    else:
        raise TypeError(_("source must be a CSV file's path, its text or an open file, not "
                          "{kind}.").format(kind=type(source).__name__))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(_("The CSV file is empty: it needs a header row and one row per "
                           "form.")) from None
    names = [h.strip().casefold() for h in header]
    # a column may be named in English (the id) or in the language in use (column_label)
    aliases = {c: [n for n in (c, column_label(c).casefold()) if n in names] for c in CSV_COLUMNS}
    required = [c for c in CSV_COLUMNS if c != "comment"]
    missing = [c for c in required if not aliases[c]]
    if missing:
        shown = [column_label(c) for c in CSV_COLUMNS]
        raise ValueError(_("The CSV file has no column {column}. It needs the columns: "
                           "{columns} ({comment} may be left out).").format(
            column=repr(column_label(missing[0])), columns=", ".join(shown),
            comment=column_label("comment")))
    index = {c: names.index(aliases[c][0]) for c in CSV_COLUMNS if aliases[c]}
    ratings, labels = [], []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = _("Row {n}: ").format(n=line)
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        cells = {c: row[i] for c, i in index.items()}
        ratings.append(make_rating(cells["team"], cells["rater"], cells["ratee"],
                                   {c: cells[c] for c in CRITERIA}, cells.get("comment", ""),
                                   where=where))
        labels.append(_("Row {n}").format(n=line))
    if not ratings:
        raise ValueError(_("The CSV file has a header but no forms (rows)."))
    _check_unique(ratings, labels)
    return ratings


def _as_ratings(ratings) -> list[PeerRating]:
    if isinstance(ratings, PeerRating):
        ratings = [ratings]
    if not isinstance(ratings, (list, tuple)) or not all(isinstance(r, PeerRating)
                                                         for r in ratings):
        raise TypeError(_("ratings must be a list of PeerRating (from read_ratings or "
                          "make_rating)."))
    if not ratings:
        raise ValueError(_("ratings is empty: there is nothing to count."))
    _check_unique(list(ratings))
    return list(ratings)


def summarise(ratings, min_peers: int = MIN_PEERS, gap: float = GAP) -> pd.DataFrame:
    """Per student: how the peers rated them, and their self-rating beside it.

    For each student (everyone named in a team's forms, as rater or ratee), the peers are the
    other members of the team who rated them; a member nobody rated gets a row with 0 peers.
    A rater's *overall* rating is the mean of their five criterion ratings.

    Args:
        ratings: a list of :class:`PeerRating` (from :func:`read_ratings`).
        min_peers: a student rated by fewer peers gets a flag (default 2).
        gap: a self-rating at least this far (rating points) from the peers' mean gets a flag
            (default 1.0).

    Returns:
        DataFrame, one row per student, sorted by team and student, with the columns
        ``team``, ``student``, ``peer_raters`` (int: peers who rated), ``peer_mean`` (mean of
        the peers' overall ratings, 1-5), ``peer_spread`` (their sample standard deviation;
        empty when fewer than 2 peers rated), ``peer_min``, ``peer_max``, one column
        ``peer_<criterion>`` per criterion (the peers' mean), ``self_rating`` (the student's
        own overall rating; empty when they gave none), ``self_minus_peers`` (self_rating -
        peer_mean, rating points), ``sa_pa`` (self_rating / peer_mean: SPARKPLUS's SA/PA
        factor, above 1 = rates themself higher than the peers do) and ``flags`` (text; empty
        when there is nothing to check). Empty cells are NaN (pandas' missing value) and are
        always explained by a flag or by a missing self-rating.

    Raises:
        TypeError: ratings is not a list of PeerRating; min_peers or gap is not a number.
        ValueError: ratings is empty or has a pair twice; min_peers < 1; gap <= 0.

    Source: self and peer assessment as in SPARK/SPARKPLUS (see the module docstring).
    """
    ratings = _as_ratings(ratings)
    if isinstance(min_peers, bool) or not isinstance(min_peers, Integral) or min_peers < 1:
        raise ValueError(_("min_peers must be a whole number of at least 1, not {value}.")
                         .format(value=repr(min_peers)))
    if isinstance(gap, bool) or not isinstance(gap, Real) or not gap > 0:
        raise ValueError(_("gap must be a number of rating points above 0, not {value}.")
                         .format(value=repr(gap)))
    people = {}  # every member named in a team's forms, as rater or ratee
    for r in ratings:
        for person in (r.ratee, r.rater):
            people.setdefault((r.team, person.casefold()), person)
    rows = []
    for (team, key), student in sorted(people.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        about = [r for r in ratings if r.team == team and r.ratee.casefold() == key]
        peers = [r for r in about if not r.is_self]
        own = [r for r in about if r.is_self]
        overall = [p.overall for p in peers]
        row = {"team": team, "student": student, "peer_raters": len(peers)}
        if peers:
            series = pd.Series(overall, dtype=float)
            row["peer_mean"] = float(series.mean())
            row["peer_spread"] = float(series.std(ddof=1)) if len(peers) > 1 else math.nan
            row["peer_min"], row["peer_max"] = float(series.min()), float(series.max())
        else:
            row.update(peer_mean=math.nan, peer_spread=math.nan, peer_min=math.nan,
                       peer_max=math.nan)
        for c in CRITERIA:
            row[f"peer_{c}"] = (sum(p.scores[c] for p in peers) / len(peers)) if peers \
                else math.nan
        row["self_rating"] = own[0].overall if own else math.nan
        both = bool(own and peers)
        row["self_minus_peers"] = row["self_rating"] - row["peer_mean"] if both else math.nan
        row["sa_pa"] = row["self_rating"] / row["peer_mean"] if both else math.nan
        flags = []
        if len(peers) < min_peers:
            flags.append(_ngettext("rated by {n} peer, fewer than {least}",
                                   "rated by {n} peers, fewer than {least}",
                                   len(peers)).format(n=len(peers), least=min_peers))
        if not own:
            flags.append(_("no self-rating"))
        if both and abs(row["self_minus_peers"]) >= gap - 1e-12:
            points = number_text(abs(row["self_minus_peers"]), ".1f")
            flags.append(_("self-rating {points} points above the peers").format(points=points)
                         if row["self_minus_peers"] > 0 else
                         _("self-rating {points} points below the peers").format(points=points))
        row["flags"] = "; ".join(flags)
        rows.append(row)
    columns = ["team", "student", "peer_raters", "peer_mean", "peer_spread", "peer_min",
               "peer_max", *[f"peer_{c}" for c in CRITERIA], "self_rating", "self_minus_peers",
               "sa_pa", "flags"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["peer_raters"] = frame["peer_raters"].astype(int)
    return frame


#: The columns of :func:`summarise`'s table as people read them (in English the ids
#: themselves); :func:`summary_table` shows them. The columns of the table stay English.
SUMMARY_LABEL = {
    "team": N_("team"), "student": N_("student"), "peer_raters": N_("peer_raters"),
    "peer_mean": N_("peer_mean"), "peer_spread": N_("peer_spread"), "peer_min": N_("peer_min"),
    "peer_max": N_("peer_max"), "peer_inclusion": N_("peer_inclusion"),
    "peer_influence": N_("peer_influence"), "peer_intimacy": N_("peer_intimacy"),
    "peer_contribution": N_("peer_contribution"), "peer_reliability": N_("peer_reliability"),
    "self_rating": N_("self_rating"), "self_minus_peers": N_("self_minus_peers"),
    "sa_pa": N_("sa_pa"), "flags": N_("flags"),
}


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """A copy of :func:`summarise`'s table (or of some of its columns) to show people: the
    column names in the language in use ("aantal beoordelaars" for ``peer_raters`` in Dutch;
    in English the names do not change). The values are not changed.

    Use it only to look at the count: code and CSV files keep the English column names of
    :func:`summarise` (``summary["peer_mean"]``, ``summary.to_csv(...)``).

    Args:
        summary: the DataFrame from :func:`summarise`, or a selection of its columns such as
            ``summary[["student", "peer_mean"]]``; other columns keep their names.

    Returns:
        A new DataFrame with the same rows and values and the renamed columns.

    Raises:
        TypeError: summary is not a pandas DataFrame.
    """
    if not isinstance(summary, pd.DataFrame):
        raise TypeError(_("summary must be the table from summarise(...), not {value}.")
                        .format(value=type(summary).__name__))
    return summary.rename(columns={c: _(SUMMARY_LABEL[c]) for c in summary.columns
                                   if c in SUMMARY_LABEL})


def missing_ratings(ratings) -> list[tuple[str, str, str]]:
    """The forms not yet filled in: every team member should rate every member, self included.

    A team's members are everyone named (as rater or ratee) in that team's forms.

    Args:
        ratings: a list of :class:`PeerRating`.

    Returns:
        A sorted list of (team, rater, ratee) tuples for the missing forms; empty when all are in.

    Raises:
        TypeError / ValueError: as :func:`summarise`.
    """
    ratings = _as_ratings(ratings)
    members, done = {}, set()
    for r in ratings:
        for person in (r.rater, r.ratee):
            members.setdefault(r.team, {}).setdefault(person.casefold(), person)
        done.add((r.team, r.rater.casefold(), r.ratee.casefold()))
    missing = []
    for team, people in members.items():
        for rk, rater in people.items():
            for ek, ratee in people.items():
                if (team, rk, ek) not in done:
                    missing.append((team, rater, ratee))
    return sorted(missing, key=lambda t: (t[0], t[1].casefold(), t[2].casefold()))
