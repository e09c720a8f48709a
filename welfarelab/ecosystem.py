"""The ecosystem around social enterprises, and a stakeholder power/interest grid (module m02).

Two groups of pure functions:

* the **ecosystem actors** of the WELFARE needs analysis (seed section 1.2), kept as the real
  dataset ``ecosystem_actors`` (see ``data/datasets.yml``): :func:`load_actors`,
  :func:`filter_actors`, :func:`count_actors` and :func:`domain_region_table`;
* the **power/interest grid** for the stakeholders of an own idea: :func:`stakeholder_quadrant`,
  :func:`stakeholder_map` and :func:`stakeholder_grid_figure`.

No printing, widgets or file I/O beyond loading the course dataset; matplotlib is imported
only inside :func:`stakeholder_grid_figure`.
"""

from __future__ import annotations

import math
import re
from numbers import Real

import pandas as pd

from .i18n import N_, Np_, _, get_language, number_text

#: The course's seven domain groups, in the seed's order: (short English label, the seed's Dutch
#: wording). The seed's table (section 1.2) has nine domain labels; the course merges two pairs
#: whose actors the seed's text does not tell apart (one list of actors under two labels):
#: "Overheidsdiensten en -instellingen" with "Autoriteiten die sociale innovatie in het
#: welzijnsdomein ontwerpen en handhaven" (public services and authorities), and
#: "Instellingen en initiatieven die onderwijs en vorming in sociaal ondernemen promoten" with
#: "Entiteiten die de ontwikkeling van sociale ondernemingen volgen ..." (education promotion
#: and monitoring). The grouping is the course's, not the seed's.
DOMAINS = (
    ("Public services and authorities",
     ("Overheidsdiensten en -instellingen; autoriteiten die sociale innovatie in het "
     "welzijnsdomein ontwerpen en handhaven")),
    ("Legal, fiscal and regulatory frameworks",
     "Autoriteiten die wettelijke, fiscale en regelgevende kaders ontwerpen en handhaven"),
    ("Education promotion and monitoring",
     ("Instellingen en initiatieven die onderwijs en vorming in sociaal ondernemen promoten; "
     "entiteiten die de ontwikkeling van sociale ondernemingen volgen en hun noden en kansen "
     "inschatten")),
    ("Incubators", "Incubatoren"),
    ("Learning and exchange platforms", "Facilitatoren van leer- en uitwisselingsplatformen"),
    ("Networks, federations and pacts",
     ("Organisatoren van netwerken, verenigingen en pacten van sociale ondernemingen die zich "
     "bezighouden met pleitbezorging en wederzijds leren, en met het faciliteren van "
     "gezamenlijke actie")),
    ("Financial intermediaries",
     ("Financiële intermediairs (investeerders of fondsen op vlak van sociale impact, "
     "filantropische investeerders of fondsen, crowdfunding platformen, etc.) voor sociale "
     "ondernemingen en ondersteunende infrastructuur")),
)

#: The short domain labels, in the seed's order (the values of the ``domain`` column).
DOMAIN_LABELS = tuple(label for label, _seed in DOMAINS)

#: What a student reads for each domain, region and sector (the ids above are English; the
#: data's ``domain_nl``, ``region_nl`` and ``sector_nl`` columns hold the same Dutch words as
#: the catalog, a test checks it): ``_(DISPLAY[value])`` in the language in use.
DISPLAY = {
    "Public services and authorities": N_("Public services and authorities"),
    "Legal, fiscal and regulatory frameworks": N_("Legal, fiscal and regulatory frameworks"),
    "Education promotion and monitoring": N_("Education promotion and monitoring"),
    "Incubators": N_("Incubators"),
    "Learning and exchange platforms": N_("Learning and exchange platforms"),
    "Networks, federations and pacts": N_("Networks, federations and pacts"),
    "Financial intermediaries": N_("Financial intermediaries"),
    "Flanders": N_("Flanders"), "Brussels": N_("Brussels"), "Wallonia": N_("Wallonia"),
    "German-speaking community": N_("German-speaking community"), "federal": N_("federal"),
    "international": N_("international"), "unknown": N_("unknown"),
    "private": N_("private"), "not stated": N_("not stated"),
    "all": N_("all"),
}


def label(value: str) -> str:
    """What a student reads for a domain, region or sector id (or "all") in the language in use,
    e.g. ``label("Flanders")`` is "Vlaanderen" in Dutch; any other text comes back as it is."""
    return _(DISPLAY[value]) if value in DISPLAY else value

#: The number of domain labels in the seed's table (section 1.2), before the course's merge.
SEED_DOMAIN_LABELS = 9

#: The values of the ``region`` column. The rule (also in ``data/datasets.yml``): a region is
#: filled in only from the seed's own words, either written beside the actor ("stated in the
#: seed") or a region's name or adjective in the actor's own name ("part of the name", see
#: :data:`REGION_NAME_PATTERNS`). A city in a school's or university's name (Liège, Leuven,
#: Bruxelles, Gent ...) is its seat, not a region the seed gives: those stay "unknown", as do
#: names that point to two regions.
REGIONS = ("Flanders", "Brussels", "Wallonia", "German-speaking community", "federal",
           "international", "unknown")

#: The values of the ``sector`` column: "private" where the seed writes "privaat" beside a
#: financial intermediary (a sector, not a place); "not stated" for every other actor.
SECTORS = ("private", "not stated")

#: Words in an actor's name that name a region (or Belgium: "federal"), case-insensitive regular
#: expressions. City names are deliberately absent (see :data:`REGIONS`). "Wallonie-Bruxelles"
#: names two regions at once; "régionale ... de Bruxelles" is the Brussels region.
REGION_NAME_PATTERNS = {
    "Flanders": (r"\bvlaam", r"\bvlaanderen\b", r"\bflemish\b"),
    "Wallonia": (r"\bwallon",),
    "Brussels": (r"\bbruxellois", r"\bbrusselse\b", r"wallonie-bruxelles",
                 r"\br[ée]gionale\b.*\bbruxelles\b"),
    "federal": (r"\bbelge\b", r"\bbelgian\b"),
}

#: Word that means "no filter" in :func:`filter_actors` (as well as None).
ALL = "all"

#: Lowest and highest score for power and interest, and the score from which a score is high.
SCORE_MIN, SCORE_MAX, THRESHOLD = 1, 5, 3

#: The four quadrants of the power/interest grid, most attention first (ids, the same in every
#: language; :data:`QUADRANT_LABEL` is what a student reads).
STAKEHOLDER_QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")

#: The quadrants' names for people: ``_(QUADRANT_LABEL[q])`` in the language in use.
QUADRANT_LABEL = {"manage closely": N_("manage closely"), "keep satisfied": N_("keep satisfied"),
                  "keep informed": N_("keep informed"), "monitor": N_("monitor")}

#: What each quadrant asks of you, in plain words (``_()`` where shown).
QUADRANT_ADVICE = {
    "manage closely": N_("high power, high interest: involve them fully and work with them "
                         "closely"),
    "keep satisfied": N_("high power, low interest: meet their needs and consult them on what "
                         "touches them, without overloading them"),
    "keep informed": N_("low power, high interest: keep them up to date and listen; they are "
                        "often your allies and the people you work for"),
    "monitor": N_("low power, low interest: watch how their position changes; share basic "
                  "information"),
}


# ---------------------------------------------------------------------------------------------
# The ecosystem actors
# ---------------------------------------------------------------------------------------------

def load_actors() -> pd.DataFrame:
    """The real dataset ``ecosystem_actors``: one row per actor and domain of seed section 1.2.

    Returns:
        DataFrame with the columns ``actor_id``, ``name``, ``acronym``, ``domain``, ``region``,
        ``region_basis``, ``sector`` and ``note`` (see ``data/datasets.yml``).

    Raises:
        ValueError: the CSV does not match its descriptor.

    Source: WELFARE project, Belgian national report (2022), section 1.2.
    """
    from . import data

    return data.load("ecosystem_actors")


def regions_in_name(name: str) -> set[str]:
    """The regions an actor's name itself names, by the course's region rule.

    Args:
        name: the actor's name as the seed prints it (Dutch, French, German or English).

    Returns:
        The set of regions of :data:`REGION_NAME_PATTERNS` whose words occur in the name: empty
        when the name names none (a city such as "Gent" does not count), two when it names
        two regions ("Wallonie-Bruxelles"); the dataset then keeps the region "unknown".

    Raises:
        TypeError: name is not a text.

    Source: the course's region rule for seed section 1.2 (``data/datasets.yml``).
    """
    if not isinstance(name, str):
        raise TypeError(_("name must be a text in quotes, not {value}.").format(value=repr(name)))
    return {region for region, patterns in REGION_NAME_PATTERNS.items()
            if any(re.search(p, name, flags=re.IGNORECASE) for p in patterns)}


def _check_actors(actors) -> None:
    if not isinstance(actors, pd.DataFrame):
        raise TypeError(
            _("actors must be the actors table (a pandas DataFrame), but it is a {kind}. Load "
              "it with load_actors().").format(kind=type(actors).__name__))
    missing = [c for c in ("name", "domain", "region") if c not in actors.columns]
    if missing:
        raise ValueError(
            _("The actors table has no column {missing}. Its columns are: {columns}.").format(
                missing=", ".join(map(repr, missing)),
                columns=", ".join(map(repr, map(str, actors.columns)))))


def _choices(value, allowed, field):
    """None / "all" -> None (no filter); a text or a list of texts -> list of allowed values."""
    if value is None or (isinstance(value, str) and value.strip().casefold() == ALL):
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple, set, pd.Series, pd.Index)):
        raise TypeError(_("{field} must be a text in quotes (or a list of texts), not {value}.")
                        .format(field=field, value=repr(value)))
    by_fold = {a.casefold(): a for a in allowed}
    chosen = []
    for v in values:
        if not isinstance(v, str):
            raise TypeError(_("{field} must be a text in quotes (or a list of texts), not "
                              "{value}.").format(field=field, value=repr(v)))
        if v.strip().casefold() not in by_fold:
            raise ValueError(
                _("{value} is not a {field}. Choose one of: {allowed} (or 'all').").format(
                    value=repr(v), field=_(_BY_LABEL.get(field, field)),
                    allowed=", ".join(allowed)))
        chosen.append(by_fold[v.strip().casefold()])
    return chosen


def filter_actors(actors, domain=None, region=None, text: str | None = None) -> pd.DataFrame:
    """The actors of some domains and regions, optionally whose name or note contains a text.

    Args:
        actors: the actors table (from :func:`load_actors`).
        domain: a domain label (see :data:`DOMAIN_LABELS`), a list of them, or None / "all"
            for every domain. Upper/lower case is ignored.
        region: a region (see :data:`REGIONS`), a list of them, or None / "all".
        text: optional text to look for in the name, acronym or note (case ignored); in
            another language also in the note's translation (``note_nl`` in Dutch).

    Returns:
        A new DataFrame with the matching rows, in the original order, index 0, 1, 2, ...
        It may be empty.

    Raises:
        TypeError: ``actors`` is not a DataFrame, or a filter is not text.
        ValueError: a column is missing, or a domain or region is not one of the allowed values
            (the message lists them).
    """
    _check_actors(actors)
    domains = _choices(domain, DOMAIN_LABELS, "domain")
    regions = _choices(region, REGIONS, "region")
    keep = pd.Series(True, index=actors.index)
    if domains is not None:
        keep &= actors["domain"].astype(str).isin(domains)
    if regions is not None:
        keep &= actors["region"].astype(str).isin(regions)
    if text is not None:
        if not isinstance(text, str):
            raise TypeError(_("text must be a text in quotes, not {value}.").format(
                value=repr(text)))
        needle = text.strip().casefold()
        if needle:
            wanted = ["name", "acronym", "note"]
            if get_language() != "en":
                wanted.append(f"note_{get_language()}")  # the note as the student reads it
            columns = [c for c in wanted if c in actors.columns]
            hay = actors[columns].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()
            keep &= hay.str.contains(needle, regex=False)
    return actors[keep].reset_index(drop=True)


def count_actors(actors, by: str = "domain") -> pd.DataFrame:
    """How many actors per domain or per region.

    Args:
        actors: the actors table, or a filtered part of it.
        by: ``"domain"`` or ``"region"``.

    Returns:
        DataFrame with the columns ``by`` and ``actors`` (int), one row per allowed value in
        the fixed order of :data:`DOMAIN_LABELS` or :data:`REGIONS`, zeros included, so that
        the counts add up to the number of rows.

    Raises:
        TypeError / ValueError: as :func:`filter_actors`; ``by`` not "domain" or "region".
    """
    _check_actors(actors)
    order = {"domain": DOMAIN_LABELS, "region": REGIONS}
    if by not in order:
        raise ValueError(_("by must be 'domain' or 'region', not {value}.").format(
            value=repr(by)))
    counts = actors[by].astype(str).value_counts()
    unexpected = sorted(set(counts.index) - set(order[by]))
    if unexpected:
        raise ValueError(_("The {column} column holds values that are not allowed: {values}.")
                         .format(column=by, values=unexpected))
    return pd.DataFrame({by: list(order[by]),
                         "actors": [int(counts.get(v, 0)) for v in order[by]]})


def domain_region_table(actors) -> pd.DataFrame:
    """A cross-table: one row per domain, one column per region, plus a ``total`` column.

    Returns:
        DataFrame of ints indexed by domain (seed order), with the regions as columns (order of
        :data:`REGIONS`) and a last column ``total``.
    """
    _check_actors(actors)
    table = pd.crosstab(pd.Categorical(actors["domain"].astype(str), categories=DOMAIN_LABELS),
                        pd.Categorical(actors["region"].astype(str), categories=REGIONS),
                        dropna=False)
    table = table.reindex(index=list(DOMAIN_LABELS), columns=list(REGIONS), fill_value=0)
    table.index.name, table.columns.name = "domain", "region"
    table["total"] = table.sum(axis=1)
    return table.astype(int)


# ---------------------------------------------------------------------------------------------
# The stakeholder power/interest grid
# ---------------------------------------------------------------------------------------------

_SCORE_FIELD = {"power": N_("power"), "interest": Np_("stakeholder grid", "interest")}


def _score(value, field: str, who: str | None) -> float:
    shown = _(_SCORE_FIELD.get(field, field))
    where = (_("the {field} of {who}").format(field=shown, who=repr(who)) if who
             else _("the {field}").format(field=shown))
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(_("{where} is empty: give a number from {low} to {high}.").format(
            where=where, low=SCORE_MIN, high=SCORE_MAX))
    if isinstance(value, (bool, str)) or not isinstance(value, Real):
        raise TypeError(_("{where} must be a number from {low} to {high}, typed without quotes, "
                          "but it is {value}.").format(where=where, low=SCORE_MIN,
                                                       high=SCORE_MAX, value=repr(value)))
    value = float(value)
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(_("{where} must be from {low} to {high}, but it is {value}.").format(
            where=where, low=SCORE_MIN, high=SCORE_MAX, value=number_text(value, "g")))
    return value


def quadrant_id(name):
    """The id of a stakeholder quadrant (``"keep satisfied"``) for its id or for its label in
    the language in use (``"tevreden houden"`` in Dutch), ignoring case and spaces around it.

    Args:
        name: what a student typed, e.g. ``"Tevreden houden"``.

    Returns:
        One of :data:`STAKEHOLDER_QUADRANTS`; anything else (another text, a number, None) is
        returned unchanged, so a check comparing it with the right id still says "not yet".
    """
    if not isinstance(name, str):
        return name
    wanted = " ".join(name.split()).casefold()
    for quadrant in STAKEHOLDER_QUADRANTS:
        if wanted in (quadrant.casefold(), " ".join(_(QUADRANT_LABEL[quadrant]).split()).casefold()):
            return quadrant
    return name


def stakeholder_quadrant(power: float, interest: float) -> str:
    """The quadrant of the power/interest grid for one stakeholder.

    Args:
        power: how much the stakeholder can influence your idea (decide, fund, block), a score
            from 1 (hardly) to 5 (decisive).
        interest: how much the stakeholder is affected by or cares about your idea, from 1 to 5.

    Returns:
        ``"manage closely"`` (power ≥ 3 and interest ≥ 3), ``"keep satisfied"`` (power ≥ 3,
        interest < 3), ``"keep informed"`` (power < 3, interest ≥ 3) or ``"monitor"`` (both
        < 3). A score of exactly 3 counts as high (the course's convention, as in
        :func:`welfarelab.design.quadrant`).

    Raises:
        TypeError / ValueError: a score that is not a number from 1 to 5.

    Source: Mendelow's power/interest matrix (A. Mendelow, 1981, "Environmental scanning: the
    impact of the stakeholder concept", Proceedings of the Second International Conference on
    Information Systems, Cambridge, MA); the quadrant names of project-management practice.
    """
    return _quadrant(_score(power, "power", None), _score(interest, "interest", None))


def _quadrant(power: float, interest: float) -> str:
    if power >= THRESHOLD:
        return "manage closely" if interest >= THRESHOLD else "keep satisfied"
    return "keep informed" if interest >= THRESHOLD else "monitor"


def stakeholder_map(stakeholders) -> pd.DataFrame:
    """Place stakeholders in the power/interest grid and order them by the attention they need.

    Args:
        stakeholders: a DataFrame or a list of dictionaries, one per stakeholder, with the
            columns ``stakeholder`` (a unique name, text), ``power`` and ``interest`` (scores
            from 1 to 5; decimals such as a group average of 3.5 are fine). Other columns (for
            example ``role``) are kept.

    Returns:
        A new DataFrame sorted by quadrant (manage closely, keep satisfied, keep informed,
        monitor), then power + interest (highest first), then power (highest first), then
        name (alphabetically, case ignored), with the columns ``stakeholder``, ``power``,
        ``interest`` (floats), ``quadrant``, ``advice`` and any other input columns. The index
        runs 0, 1, 2, ...

    Raises:
        TypeError: not a table, a name that is not text, a score that is not a number.
        ValueError: a missing column (named), no rows, an empty or repeated name, a score
            outside 1-5 (the stakeholder is named).

    Source: see :func:`stakeholder_quadrant`.
    """
    if isinstance(stakeholders, (list, tuple)):
        stakeholders = pd.DataFrame(list(stakeholders))
    if not isinstance(stakeholders, pd.DataFrame):
        raise TypeError(
            _("stakeholders must be a table: a pandas DataFrame or a list of dictionaries such "
              "as [{example}, ...], not {kind}.").format(
                example="{'stakeholder': 'OCMW', 'power': 5, 'interest': 4}",
                kind=type(stakeholders).__name__))
    missing = [c for c in ("stakeholder", "power", "interest") if c not in stakeholders.columns]
    if missing:
        raise ValueError(
            _("The stakeholders table has no column {missing}. Its columns are: {columns}.")
            .format(missing=", ".join(map(repr, missing)),
                    columns=", ".join(map(repr, map(str, stakeholders.columns))) or _("none")))
    if len(stakeholders) == 0:
        raise ValueError(_("The stakeholders table is empty: add at least one stakeholder."))
    names, powers, interests = [], [], []
    for row, (name, power, interest) in enumerate(zip(
            stakeholders["stakeholder"], stakeholders["power"], stakeholders["interest"]),
            start=1):
        if not isinstance(name, str):
            raise TypeError(_("Row {row}: a stakeholder's name must be text in quotes, not "
                              "{value}.").format(row=row, value=repr(name)))
        if not name.strip():
            raise ValueError(_("Row {row} has an empty stakeholder name.").format(row=row))
        name = name.strip()
        names.append(name)
        powers.append(_score(power, "power", name))
        interests.append(_score(interest, "interest", name))
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(_("Each stakeholder needs its own name, but {names} appears more than "
                           "once.").format(names=", ".join(map(repr, repeated))))
    quads = [_quadrant(p, i) for p, i in zip(powers, interests)]
    order = sorted(range(len(names)), key=lambda k: (
        STAKEHOLDER_QUADRANTS.index(quads[k]), -(powers[k] + interests[k]), -powers[k],
        names[k].casefold(), names[k]))
    result = pd.DataFrame({
        "stakeholder": [names[k] for k in order],
        "power": [powers[k] for k in order],
        "interest": [interests[k] for k in order],
        "quadrant": [quads[k] for k in order],
        "advice": [_(QUADRANT_ADVICE[quads[k]]) for k in order],
    })
    for column in stakeholders.columns:
        if column not in result.columns:
            values = list(stakeholders[column])
            result[column] = [values[k] for k in order]
    return result


# Okabe & Ito colour-blind-safe colours and distinct markers per quadrant.
_STYLE = {
    "manage closely": ("#D55E00", "o"),   # vermillion, circle
    "keep satisfied": ("#0072B2", "s"),   # blue, square
    "keep informed": ("#009E73", "^"),    # bluish green, triangle
    "monitor": ("#999999", "X"),          # grey, cross
}


def stakeholder_grid_figure(stakeholders, title: str | None = None, ax=None):
    """Draw the power/interest grid: interest across, power up, one labelled point each.

    Args:
        stakeholders: anything :func:`stakeholder_map` accepts (it is mapped again, so the
            picture always follows the rule).
        title: text above the grid; default "Stakeholder power/interest grid" (in the language
            in use); "" for none.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib ``Figure``, closed in pyplot when made here (it shows once as a cell's last
        line). Axes "interest in your idea (score 1-5)" and "power over your idea (score 1-5)";
        lines at 3 split the quadrants (a point on a line belongs to the upper or right one);
        quadrants differ in colour and marker; stakeholders with the same scores share a label.

    Raises:
        The errors of :func:`stakeholder_map`.
    """
    mapped = stakeholder_map(stakeholders)
    if title is None:
        title = _("Stakeholder power/interest grid")
    import matplotlib.pyplot as plt

    from .design import place_point_labels

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
    corners = {
        "manage closely": (high - 0.1, high - 0.1, "right", "top"),
        "keep satisfied": (low + 0.1, high - 0.1, "left", "top"),
        "keep informed": (high - 0.1, low + 0.1, "right", "bottom"),
        "monitor": (low + 0.1, low + 0.1, "left", "bottom"),
    }
    for name, (x, y, ha, va) in corners.items():
        ax.text(x, y, _(QUADRANT_LABEL[name]), ha=ha, va=va, fontsize=11, fontweight="bold",
                color=_STYLE[name][0], gid=f"quadrant:{name}")
    for name in STAKEHOLDER_QUADRANTS:
        part = mapped[mapped["quadrant"] == name]
        if len(part):
            colour, marker = _STYLE[name]
            ax.scatter(part["interest"], part["power"], s=80, color=colour, marker=marker,
                       edgecolor="black", linewidth=0.5, label=_(QUADRANT_LABEL[name]),
                       zorder=3)
    ax.set_xlabel(_("interest in your idea (score 1-5)"))
    ax.set_ylabel(_("power over your idea (score 1-5)"))
    ax.set_xticks(range(SCORE_MIN, SCORE_MAX + 1))
    ax.set_yticks(range(SCORE_MIN, SCORE_MAX + 1))
    if title:
        ax.set_title(title)
    place_point_labels(ax, [(interest, power, "\n".join(group["stakeholder"]))
                            for (interest, power), group
                            in mapped.groupby(["interest", "power"], sort=False)],
                       gid="stakeholder")
    if made_here:
        plt.close(fig)
    return fig


_BY_LABEL = {"domain": N_("domain"), "region": N_("region")}


def actors_figure(actors, by: str = "region", title: str = "", ax=None):
    """Horizontal bar chart of the number of actors per domain or per region.

    Args:
        actors: the actors table or a filtered part of it.
        by: ``"domain"`` or ``"region"``.
        title: text above the chart.
        ax: optional matplotlib Axes.

    Returns:
        matplotlib ``Figure`` (closed in pyplot when made here), x axis "number of actors",
        bars in the fixed order of :func:`count_actors` (zeros included), each bar labelled
        with its count; the domains or regions named in the language in use (:func:`label`).
        Ticks are whole numbers; when no actor fits, no ticks but the message "No actor fits
        this filter." (in the language in use).
    """
    counts = count_actors(actors, by)
    import matplotlib.pyplot as plt

    from .plotting import OKABE_ITO

    made_here = ax is None
    if made_here:
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(counts) + 1.2), layout="constrained")
    else:
        fig = ax.figure
    labels = [label(v) for v in counts[by]][::-1]
    values = list(counts["actors"])[::-1]
    bars = ax.barh(labels, values, color=OKABE_ITO["blue"], edgecolor="black", linewidth=0.5)
    ax.bar_label(bars, padding=3)
    ax.set_xlabel(_("number of actors"))
    ax.set_ylabel(_(_BY_LABEL[by]))
    ax.set_xlim(0, max(values + [1]) * 1.15)
    if not any(values):  # nothing to count: no "0.2 0.4" ticks, a short message instead
        ax.set_xticks([])
        ax.text(0.5, 0.5, _("No actor fits this filter."), transform=ax.transAxes,
                ha="center", va="center", fontsize=11, gid="no-actors")
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole actors only
    if title:
        ax.set_title(title)
    if made_here:
        plt.close(fig)
    return fig
