"""A one-page pitch for a social enterprise idea, in six parts with word limits (module m07).

The pitch structure of this course, with the most words each part may have (a part needs at
least :data:`MIN_WORDS` words to count as present)::

    part id          title               at most   what it answers
    problem          The problem         50 words  What goes wrong today, for whom, and how big is it?
    audience         Who it is for       40 words  Who are the people you work for, and who pays?
    solution         Our solution        50 words  What do you do, and what is new about it?
    impact           The impact          50 words  What changes for people, and how will you show it?
    business_model   The business model  50 words  Who pays for what, and when do you break even?
    ask              The ask             30 words  What do you want from this audience, now?

Together at most 270 words: about two minutes when spoken at 135 words a minute. A word is a
group of characters between spaces that holds at least one letter or digit ("€2.30" is one
word; a lone dash or bullet is not a word).

A pitch also lists the **figures** it quotes, by name (``figures={"sroi_ratio": 2.3}``). Known
names are compared with the results of the course's calculators by :meth:`Pitch.check`:

    figure name           calculator result                       agrees when
    sroi_ratio            impact.sroi(...).ratio                  within 0.05 (so 2.3 or 2.30 for 2.298)
    present_value         impact.sroi(...).present_value          within 1 % (EUR)
    investment            impact.sroi(...).investment             within 1 % (EUR)
    break_even_units      finance.break_even(...).units           equal to the units rounded up
                                                                  (``units_rounded``), or within
                                                                  0.01 of the exact units
    break_even_revenue    finance.break_even(...).revenue         within 1 % (EUR)
    contribution_margin   finance.break_even(...).contribution_margin  within 1 % (EUR)
    funding_gap           pitch.funding_gap(...).gap              within 1 % (EUR)

**The ask is the funding gap, not the SROI investment.** An SROI's investment is the value of
*all* inputs of the activity, whoever pays for them: fees, subsidies already granted, volunteer
time in kind. A funder is asked only for what is still missing: the total cost minus the
money already secured (:func:`funding_gap`). When :meth:`Pitch.check` is given an SROI result
and the ask quotes its investment, it says so, and with a :class:`FundingGap` it checks that
the ask quotes the gap.

Any other name (for example ``ask_eur`` or ``people_reached``) is allowed; it has no calculator
to compare with. Every figure, known or not, must also be *written* in the text of the pitch:
a number in the text agrees with the figure within the same tolerance (within 1 % for a name
that is not in the table). Numbers may be written the English way (``141,176.50``) or the
Belgian way (``141.176,50``), with ``k`` (thousand) or ``million``, or as a percentage
(``35 %`` stands for 0.35 too).

Typical use in a notebook::

    from welfarelab.pitch import Pitch
    pitch = Pitch.from_canvas("my-canvas.json", sroi_result=result, break_even_result=be)
    pitch["problem"] = "In 2020 about 2 in 3 refugees in Belgium had no job ..."
    pitch.check(result, be)      # what is still missing, too long or not in line with the figures
    pitch.to_figure()            # the one-page pitch sheet
    pitch.save("my-pitch.json")  # and Pitch.load("my-pitch.json")

Method sources: the six-part structure is this course's, after the problem-solution-impact-
business model-ask outline that social incubators use for pitches; storytelling after M. Ganz
(2011), *Public Narrative, Collective Action, and Power*; numbers in one picture after C. N.
Knaflic (2015), *Storytelling with Data*, with the Okabe & Ito (2008) colour-blind-safe palette.

No printing, widgets or file I/O except :meth:`Pitch.save` and :meth:`Pitch.load`; matplotlib
is imported only inside :meth:`Pitch.to_figure`.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pandas as pd

from . import validation as check
from .i18n import N_, _, _ngettext, babel_locale, number_text
from .money import eur
from .plotting import OKABE_ITO

#: Version of the JSON file format written by :meth:`Pitch.save`.
FORMAT_VERSION = 1
KIND = "pitch"

#: A part with fewer words than this counts as missing.
MIN_WORDS = 5

#: Text that :meth:`Pitch.from_canvas` puts in front of every drafted part. A part that still
#: holds it is a draft: :meth:`Pitch.check` asks you to rewrite it in your own words.
DRAFT_MARK = "[draft]"

#: Tolerances of the figure comparisons (see the module documentation).
RATIO_TOLERANCE = 0.05
MONEY_REL_TOLERANCE = 0.01
UNITS_TOLERANCE = 0.01
OTHER_REL_TOLERANCE = 0.01


@dataclass(frozen=True)
class PitchPart:
    """One part of the pitch.

    Attributes:
        id: the name to type in code, e.g. ``"business_model"`` (the same in every language).
        title: what people read, e.g. ``"The business model"``: the English text, marked
            for the catalogs; :attr:`shown_title` is it in the language in use.
        max_words: the most words the part may have.
        prompt: the question the part answers (one line; English, see :attr:`shown_prompt`).
        colour: Okabe-Ito colour of the part on the pitch sheet.
    """

    id: str
    title: str
    max_words: int
    prompt: str
    colour: str

    @property
    def shown_title(self) -> str:
        """The title in the language in use (``"Het businessmodel"`` in Dutch)."""
        return _(self.title)

    @property
    def shown_prompt(self) -> str:
        """The question the part answers, in the language in use."""
        return _(self.prompt)


PARTS: tuple[PitchPart, ...] = (
    PitchPart("problem", N_("The problem"), 50,
              N_("What goes wrong today, for whom, and how big is it?"),
              OKABE_ITO["vermillion"]),
    PitchPart("audience", N_("Who it is for"), 40,
              N_("Who are the people you work for, and who pays?"), OKABE_ITO["bluish green"]),
    PitchPart("solution", N_("Our solution"), 50,
              N_("What do you do, and what is new about it?"), OKABE_ITO["blue"]),
    PitchPart("impact", N_("The impact"), 50,
              N_("What changes for people, and how will you show it?"),
              OKABE_ITO["reddish purple"]),
    PitchPart("business_model", N_("The business model"), 50,
              N_("Who pays for what, and when do you break even?"), OKABE_ITO["orange"]),
    PitchPart("ask", N_("The ask"), 30,
              N_("What do you want from this audience, now?"), OKABE_ITO["sky blue"]),
)
PART_IDS: tuple[str, ...] = tuple(p.id for p in PARTS)
_PART_BY_ID = {p.id: p for p in PARTS}
#: The most words of the whole pitch (270: about two minutes spoken).
TOTAL_MAX_WORDS = sum(p.max_words for p in PARTS)


@dataclass(frozen=True)
class FigureSpec:
    """A figure name that :meth:`Pitch.check` compares with a calculator result."""

    name: str
    label: str
    result: str  # "sroi" or "break_even"
    attribute: str
    kind: str  # "ratio", "money" or "units"


@dataclass(frozen=True)
class FundingGap:
    """What :func:`funding_gap` returns.

    Attributes:
        total_cost: the cost of what you pitch for, in EUR (e.g. next year's programme).
        secured: ``{source: EUR}``, the money (and in-kind value) already promised.
        secured_total: the sum of ``secured``, EUR.
        gap: what is still missing, ``total_cost - secured_total`` (0 when fully covered), EUR.
    """

    total_cost: float
    secured: dict
    secured_total: float
    gap: float


def funding_gap(total_cost, secured=None) -> FundingGap:
    """The funding gap: the part of a cost that money already secured does not cover.

    ``gap = max(0, total_cost - sum(secured.values()))``. This is what a pitch asks a funder
    for; the SROI investment (``impact.sroi(...).investment``) is the value of *all* inputs,
    including what others already pay and volunteer time in kind, so it is not the ask.

    Args:
        total_cost: the cost of what you pitch for, in EUR (zero or more).
        secured: ``{source name: EUR}``, each zero or more: grants and contracts already
            promised, fees you will earn, the value of volunteer time in kind. Default none.

    Returns:
        :class:`FundingGap`.

    Raises:
        TypeError: ``total_cost`` or an amount is not a number, ``secured`` is not a
            dictionary, or a source name is not text.
        ValueError: a negative amount (the message names the source).

    Example:
        >>> funding_gap(150_000, {"training fees": 60_000, "city subsidy": 50_000}).gap
        40000.0
    """
    total = check.non_negative(total_cost, _("total_cost (EUR)"))
    if secured is None:
        secured = {}
    if not isinstance(secured, dict):
        raise TypeError(_("secured must be a dictionary {{source: EUR}}, e.g. {{'city subsidy': "
                          "50000}}, not {kind}.").format(kind=type(secured).__name__))
    clean = {}
    for source, amount in secured.items():
        if not isinstance(source, str):
            raise TypeError(_("a source name in secured must be text, not {source}.").format(
                source=repr(source)))
        clean[source] = check.non_negative(amount, _("the secured amount (EUR)"), source)
    secured_total = math.fsum(clean.values())
    return FundingGap(total_cost=total, secured=clean, secured_total=secured_total,
                      gap=max(0.0, total - secured_total))


FIGURES: dict[str, FigureSpec] = {spec.name: spec for spec in (
    FigureSpec("sroi_ratio", N_("SROI ratio"), "sroi", "ratio", "ratio"),
    FigureSpec("present_value", N_("social value (present value)"), "sroi", "present_value",
               "money"),
    FigureSpec("investment", N_("investment"), "sroi", "investment", "money"),
    FigureSpec("break_even_units", N_("break-even point (units a year)"), "break_even", "units",
               "units"),
    FigureSpec("break_even_revenue", N_("break-even revenue"), "break_even", "revenue",
               "money"),
    FigureSpec("contribution_margin", N_("contribution margin per unit"), "break_even",
               "contribution_margin", "money"),
    FigureSpec("funding_gap", N_("funding gap (what you ask)"), "funding_gap", "gap", "money"),
)}

#: The headline figure a pitch must quote when that calculator's result is given to check().
HEADLINE = {"sroi": "sroi_ratio", "break_even": "break_even_units",
            "funding_gap": "funding_gap"}


# ---------------------------------------------------------------------------------------------
# words and numbers in a text
# ---------------------------------------------------------------------------------------------

def word_count(text: str) -> int:
    """Number of words in ``text``: groups of characters between spaces that hold at least one
    letter or digit. ``None`` or an empty text has 0 words.

    Raises:
        TypeError: ``text`` is not a text.
    """
    if text is None:
        return 0
    if not isinstance(text, str):
        raise TypeError(_("word_count needs a text, not {kind}.").format(
            kind=type(text).__name__))
    return sum(1 for token in text.split() if re.search(r"\w", token))


_GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\d])")
_PLAIN = re.compile(r"(?<![\w])\d(?:[\d.,]*\d)?")
_AFTER = re.compile(r"\s?(k|K|thousand|million|mln|miljoen|%)(?![A-Za-z])")
_MULTIPLIER = {"k": 1e3, "K": 1e3, "thousand": 1e3, "million": 1e6, "mln": 1e6, "miljoen": 1e6}


def _readings(raw: str) -> set[float]:
    """Every value a written number may stand for: English (1,200.50) and Belgian (1.200,50)."""
    raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    values = set()
    for text in (raw.replace(",", ""),  # English: commas group thousands
                 raw.replace(".", "").replace(",", ".")):  # Belgian: points group thousands
        if text.count(".") <= 1:
            try:
                values.add(float(text))
            except ValueError:
                pass
    return values


def numbers_in(text: str) -> list[float]:
    """All values the numbers written in ``text`` may stand for (see the module documentation).

    ``"€141.176"`` gives both 141.176 and 141176; ``"12k"`` gives 12 and 12000; ``"35 %"`` gives
    35 and 0.35. Used by :meth:`Pitch.check` to see whether a figure is written in the pitch.

    Raises:
        TypeError: ``text`` is not a text.
    """
    if not isinstance(text, str):
        raise TypeError(_("numbers_in needs a text, not {kind}.").format(
            kind=type(text).__name__))
    found: list[float] = []
    for pattern in (_GROUPED, _PLAIN):
        for match in pattern.finditer(text):
            values = _readings(match.group(0))
            after = _AFTER.match(text, match.end())
            extra = set()
            if after:
                word = after.group(1)
                for v in values:
                    extra.add(v / 100 if word == "%" else v * _MULTIPLIER[word])
            found += sorted(values | extra)
    return found


def figure_agrees(name: str, quoted: float, calculated: float,
                  units_rounded: int | None = None) -> bool:
    """Whether a quoted figure agrees with a calculated one, by the rules of the module
    documentation (ratio within 0.05, money within 1 %, break-even units rounded up).

    Args:
        name: the figure's name, e.g. ``"sroi_ratio"``; a name not in :data:`FIGURES` is
            compared within 1 %.
        quoted: the number the pitch (or plan) quotes.
        calculated: the calculator's exact value.
        units_rounded: for ``"break_even_units"``, the calculator's units rounded up.

    Raises:
        TypeError / ValueError: a value that is not a finite number.
    """
    quoted = check.number(quoted, _("the quoted {name}").format(name=name))
    calculated = check.number(calculated, _("the calculated {name}").format(name=name))
    kind = FIGURES[name].kind if name in FIGURES else "other"
    if kind == "ratio":
        return abs(quoted - calculated) <= RATIO_TOLERANCE + 1e-12
    if kind == "units":
        if units_rounded is None:
            units_rounded = math.ceil(round(calculated, 9))
        return quoted == units_rounded or abs(quoted - calculated) <= UNITS_TOLERANCE
    tolerance = MONEY_REL_TOLERANCE if kind == "money" else OTHER_REL_TOLERANCE
    return abs(quoted - calculated) <= max(tolerance * abs(calculated), 0.01)


def _written(name: str, value: float, numbers: list[float]) -> bool:
    """Whether one of ``numbers`` (from the text) stands for the figure ``value``."""
    kind = FIGURES[name].kind if name in FIGURES else "other"
    for n in numbers:
        if kind == "ratio" and abs(n - value) <= RATIO_TOLERANCE + 1e-12:
            return True
        if kind == "units" and (n == value or abs(n - value) <= UNITS_TOLERANCE):
            return True
        if kind in ("money", "other") and abs(n - value) <= max(0.01 * abs(value), 0.005):
            return True
    return False


def format_figure(name: str, value: float) -> str:
    """A figure as people read it: ``"2.30 : 1"``, ``"€141,176.47"`` (``"€150,000"`` for whole
    euros), ``"30"``, ``"0.35"``; in Dutch the Belgian way: ``"2,30 : 1"``, ``"€ 150.000"``,
    ``"0,35"``."""
    kind = FIGURES[name].kind if name in FIGURES else "other"
    if kind == "ratio":
        return number_text(value, ".2f") + " : 1"
    if kind == "money":
        text = eur(value)
        # whole euros: no cents (".00" in English, ",00" in the Belgian format)
        return text.removesuffix(".00") if babel_locale() is None else text.removesuffix(",00")
    if kind == "units":
        return number_text(value, ",.0f" if float(value).is_integer() else ",.2f")
    if float(value).is_integer() and abs(value) >= 1:
        return number_text(value, ",.0f")
    text = f"{value:,.4g}"
    # English separators swapped for the Belgian ones (1.234,5) outside English
    return text if babel_locale() is None else text.translate(str.maketrans(",.", ".,"))


def _figure_label(name: str) -> str:
    """The label of a figure in the language in use; a name with no label, in words."""
    return _(FIGURES[name].label) if name in FIGURES else name.replace("_", " ")


# ---------------------------------------------------------------------------------------------
# the result of check()
# ---------------------------------------------------------------------------------------------

#: The structure checks of :meth:`Pitch.check`, in report order: each name is an attribute of
#: :class:`PitchCheck` (True or False) and the tag of the problems that check found
#: (:meth:`PitchCheck.problems_about`), the same in every language.
CHECKS: tuple[str, ...] = ("parts_present", "no_drafts", "within_word_limits", "figures_agree",
                           "figures_in_text")

#: The report line of each check, in the language in use when shown.
_CHECK_TEXTS = {
    "parts_present": N_("every part is present"),
    "no_drafts": N_("no part is still a draft"),
    "within_word_limits": N_("every part keeps to its word limit"),
    "figures_agree": N_("the figures agree with the calculator results"),
    "figures_in_text": N_("every figure is written in the pitch"),
}

@dataclass(frozen=True)
class PitchCheck:
    """What :meth:`Pitch.check` returns: the structure checks, each true or false.

    Attributes:
        parts_present: every part has at least :data:`MIN_WORDS` words.
        no_drafts: no part still holds the :data:`DRAFT_MARK` of :meth:`Pitch.from_canvas`.
        within_word_limits: no part has more words than its limit.
        figures_agree: every figure of the course's calculators (``sroi_ratio``,
            ``break_even_units``, ...) has a calculator result to compare with and agrees with
            it (a quoted figure with no result is flagged, never ticked), and the headline
            figure of every result given (``sroi_ratio``, ``break_even_units``) is quoted.
        figures_in_text: every figure in ``figures`` is written in the text of the pitch.
        problems: one plain-words sentence per thing to fix (empty when all is well), in
            the language in use.
        problem_checks: for each problem, in the same order, the name of the check that
            found it (one of :data:`CHECKS`); :meth:`problems_about` picks the problems of
            one check whatever the language.
        parts: one row per part: ``part``, ``title``, ``words``, ``limit``, ``status``
            (``"ok"``, ``"missing"``, ``"too short"``, ``"too long"`` or ``"draft"``).
        figures: one row per figure: ``figure``, ``quoted``, ``calculated`` (None when no
            calculator result was given), ``agrees`` (True, False or None: not compared) and
            ``in_text``.
    """

    parts_present: bool
    no_drafts: bool
    within_word_limits: bool
    figures_agree: bool
    figures_in_text: bool
    problems: list = field(default_factory=list)
    parts: pd.DataFrame = field(default=None, repr=False)
    figures: pd.DataFrame = field(default=None, repr=False)
    problem_checks: list = field(default_factory=list, repr=False)

    def problems_about(self, check_name: str) -> list[str]:
        """The problems found by one check, in order, in the language in use.

        Args:
            check_name: one of :data:`CHECKS`: ``"parts_present"`` (a part is empty or has
                fewer than :data:`MIN_WORDS` words), ``"no_drafts"``,
                ``"within_word_limits"`` (a part is too long), ``"figures_agree"`` or
                ``"figures_in_text"``.

        Returns:
            A list of str (empty when that check passes), e.g. in a check cell
            ``"; ".join(report.problems_about("within_word_limits"))``.

        Raises:
            ValueError: an unknown check name; the message lists the names.
        """
        if check_name not in CHECKS:
            raise ValueError(_("There is no check called {name}. The checks are: "
                               "{names}.").format(name=repr(check_name),
                                                  names=", ".join(CHECKS)))
        return [problem for problem, tag in zip(self.problems, self.problem_checks,
                                                strict=True) if tag == check_name]

    @property
    def ok(self) -> bool:
        """True when every check passes."""
        return (self.parts_present and self.no_drafts and self.within_word_limits
                and self.figures_agree and self.figures_in_text)

    def __bool__(self) -> bool:
        return self.ok

    def lines(self) -> list[str]:
        """The report, one line per check with ✓ or ✗, then the problems (in the language in
        use)."""
        out = [f"{'✓' if getattr(self, name) else '✗'} {_(_CHECK_TEXTS[name])}"
               for name in CHECKS]
        if self.problems:
            out += ["", _("To fix:")] + [f"- {p}" for p in self.problems]
        else:
            out += ["", _("All structure checks pass.")]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        lines = self.lines()
        return "  \n".join(lines[:5]) + "\n\n" + "\n".join(lines[6:]) + "\n"


# ---------------------------------------------------------------------------------------------
# the pitch
# ---------------------------------------------------------------------------------------------

def _clean_text(value, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        items = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise TypeError(_("item {number} of {where} must be text in quotes, not "
                                  "{value} ({kind}).").format(
                                      number=number, where=where, value=repr(item),
                                      kind=type(item).__name__))
            items.append(item.strip())
        return " ".join(i for i in items if i)
    if not isinstance(value, str):
        raise TypeError(_("{where} must be text in quotes, but it is {value} ({kind}).").format(
            where=where, value=repr(value), kind=type(value).__name__))
    return value.strip()


def _clean_figures(figures) -> dict[str, float]:
    if figures is None:
        return {}
    if not isinstance(figures, dict):
        raise TypeError(_("figures must be a dictionary {{name: number}}, for example "
                          "{{'sroi_ratio': 2.3, 'break_even_units': 30}}, not {value}.").format(
                              value=repr(figures)))
    clean = {}
    for name, value in figures.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name.strip()):
            raise ValueError(_(
                "The figure name {name} is not a name: use lower-case letters, digits and "
                "underscores, such as 'sroi_ratio' or 'ask_eur'.").format(name=repr(name)))
        if value is None:
            continue  # not quoted
        clean[name.strip()] = check.number(value, _("figure {name}").format(
            name=repr(name.strip())))
    return clean


def _inline(text: str) -> str:
    """A canvas block's text on one line: Markdown bullets become items separated by '; '."""
    items = [re.sub(r"^\s*([-*•]|\d+[.)])\s+", "", line).strip()
             for line in (text or "").splitlines()]
    return "; ".join(i for i in items if i)


@dataclass(repr=False)
class Pitch:
    """A pitch in six parts (see the module documentation for the parts and word limits).

    Attributes:
        title: the name of the idea.
        problem, audience, solution, impact, business_model, ask: the six parts, as text.
        figures: dictionary ``{name: number}`` of the figures the pitch quotes, e.g.
            ``{"sroi_ratio": 2.3, "break_even_units": 30, "ask_eur": 40000}``.

    Raises:
        TypeError: a part or the title is not text, figures is not a dictionary, a figure is
            not a number.
        ValueError: a figure name that is not lower-case letters, digits and underscores.

    Parts can also be read and written by id: ``pitch["ask"] = "..."``.
    """

    title: str = ""
    problem: str = ""
    audience: str = ""
    solution: str = ""
    impact: str = ""
    business_model: str = ""
    ask: str = ""
    figures: dict = field(default_factory=dict)
    #: Calculator results given to :meth:`from_canvas`, used by :meth:`check` by default.
    sroi_result: object = field(default=None, compare=False)
    break_even_result: object = field(default=None, compare=False)
    funding_gap_result: object = field(default=None, compare=False)

    PARTS: ClassVar[tuple[PitchPart, ...]] = PARTS

    def __post_init__(self):
        self.title = _clean_text(self.title, _("the title of the pitch"))
        for part in PARTS:
            setattr(self, part.id, _clean_text(getattr(self, part.id),
                                               _("the part '{id}'").format(id=part.id)))
        self.figures = _clean_figures(self.figures)
        _check_results(self.sroi_result, self.break_even_result, self.funding_gap_result)

    # ------------------------------------------------------------------ parts

    @staticmethod
    def part(part_id: str) -> PitchPart:
        """The :class:`PitchPart` with this id (or title, English or in the language in use,
        ignoring case).

        Raises:
            ValueError: no such part; the message lists the part ids.
        """
        if isinstance(part_id, str):
            key = re.sub(r"[\s\-]+", "_", part_id.strip().lower())
            for p in PARTS:
                titles = {re.sub(r"[\s\-]+", "_", t.lower()) for t in (p.title, p.shown_title)}
                if key == p.id or key in titles:
                    return p
        raise ValueError(_("A pitch has no part {part}. The parts are: {parts}.").format(
            part=repr(part_id), parts=", ".join(PART_IDS)))

    def __getitem__(self, part_id: str) -> str:
        return getattr(self, self.part(part_id).id)

    def __setitem__(self, part_id: str, text) -> None:
        p = self.part(part_id)
        setattr(self, p.id, _clean_text(text, _("the part '{id}'").format(id=p.id)))

    def texts(self) -> dict[str, str]:
        """The six parts as a dictionary ``{part id: text}``, in pitch order."""
        return {p.id: getattr(self, p.id) for p in PARTS}

    def word_counts(self) -> dict[str, int]:
        """Words per part, ``{part id: words}``, in pitch order."""
        return {p.id: word_count(getattr(self, p.id)) for p in PARTS}

    @property
    def total_words(self) -> int:
        """Words of the whole pitch (the title not counted)."""
        return sum(self.word_counts().values())

    def missing_parts(self) -> list[str]:
        """Ids of the parts with fewer than :data:`MIN_WORDS` words, in pitch order."""
        return [pid for pid, n in self.word_counts().items() if n < MIN_WORDS]

    def over_limit(self) -> dict[str, int]:
        """``{part id: words}`` of the parts with more words than their limit."""
        return {pid: n for pid, n in self.word_counts().items() if n > _PART_BY_ID[pid].max_words}

    def drafts(self) -> list[str]:
        """Ids of the parts that still hold the :data:`DRAFT_MARK`."""
        return [p.id for p in PARTS if DRAFT_MARK in getattr(self, p.id).lower()]

    # ------------------------------------------------------------------ from a canvas

    @classmethod
    def from_canvas(cls, canvas, sroi_result=None, break_even_result=None,
                    unit: str | None = None, funding_gap_result=None) -> Pitch:
        """Draft a pitch from a Social Business Model Canvas and the calculator results.

        Every part is drafted from the canvas blocks that feed it, starts with
        :data:`DRAFT_MARK` and is raw material, usually too long: rewrite each part in your
        own words and within its limit. Which blocks feed which part:

        * problem: beneficiary segments (the canvas has no problem block: say what goes wrong);
        * audience: beneficiary segments and customer segments;
        * solution: type of intervention and key activities;
        * impact: social value proposition and impact measures, plus the SROI ratio;
        * business model: revenue and customer value proposition, plus the break-even point;
        * ask: partners + key stakeholders, plus the funding gap when it is given (never
          the SROI investment: that is the value of all inputs, not what you still need).

        Args:
            canvas: a :class:`welfarelab.canvas.SocialBusinessModelCanvas`, the file name of
                one saved as JSON (module m04), or its dictionary (``canvas.to_dict()``).
            sroi_result: optional :class:`welfarelab.impact.SROIResult` (module m06); its
                ratio, present value and investment become figures.
            break_even_result: optional :class:`welfarelab.finance.BreakEvenResult` (module
                m04); its units rounded up become the figure ``break_even_units``.
            unit: what one unit of the break-even point is, in the plural (default
                ``"units"``, in the language in use; e.g. ``"participants"`` or
                ``"intakes"``), used in the draft sentence "We break even at 30 participants
                a year."
            funding_gap_result: optional :class:`FundingGap` (:func:`funding_gap`); its gap
                becomes the figure ``funding_gap`` and the amount of the ask.

        Returns:
            A :class:`Pitch` titled like the canvas, with the results kept for :meth:`check`;
            the drafted sentences are in the language in use.

        Raises:
            ValueError: the file is not a canvas file (the message says why).
            FileNotFoundError: there is no such file.
            TypeError: the canvas is a Business Model Canvas or not a canvas at all, or a
                result is of the wrong kind.
        """
        from .canvas import SocialBusinessModelCanvas, _Canvas, load_canvas

        if isinstance(canvas, (str, os.PathLike)):
            canvas = load_canvas(canvas)
        elif isinstance(canvas, dict):
            canvas = SocialBusinessModelCanvas.from_dict(canvas)
        if not isinstance(canvas, _Canvas):
            raise TypeError(_(
                "canvas must be a SocialBusinessModelCanvas, the name of a canvas file saved "
                "in module m04 (such as 'my-canvas.json'), or its dictionary, not "
                "{kind}.").format(kind=type(canvas).__name__))
        if not isinstance(canvas, SocialBusinessModelCanvas):
            raise TypeError(_(
                "A pitch is drafted from a Social Business Model Canvas (13 blocks), but this "
                "is a {name}. Fill in the social canvas in module m04 first.").format(
                    name=_(canvas.NAME)))
        _check_results(sroi_result, break_even_result, funding_gap_result)
        unit = _clean_text(unit, _("the unit")).strip() or _("units")
        b = {block_id: _inline(canvas[block_id]) for block_id in canvas.block_ids()}

        def draft(*sentences) -> str:
            body = " ".join(s for s in sentences if s)
            return f"{DRAFT_MARK} {body}".strip()

        figures = {}
        impact_extra = business_extra = ask_extra = ""
        def line(template: str, block_id: str) -> str:
            """A draft sentence around a canvas block's text; nothing for an empty block."""
            return template.format(text=b[block_id]) if b[block_id] else ""

        if sroi_result is not None:
            figures["sroi_ratio"] = round(sroi_result.ratio, 2)
            euro = "€" if babel_locale() is None else "€\u00a0"
            impact_extra = _("Forecast SROI: every euro invested creates {value} of social "
                             "value (ratio {ratio}).").format(
                                 value=euro + number_text(sroi_result.ratio, ".2f"),
                                 ratio=number_text(sroi_result.ratio, ".2f") + " : 1")
        if funding_gap_result is not None:
            figures["funding_gap"] = round(funding_gap_result.gap, 2)
            ask_extra = _("We ask for {amount}, the part of the costs not yet covered.").format(
                amount=format_figure("funding_gap", funding_gap_result.gap))
        else:
            ask_extra = _("Say what you still need: the funding gap (total cost minus what is "
                          "secured), not the SROI investment.")
        if break_even_result is not None:
            figures["break_even_units"] = break_even_result.units_rounded
            business_extra = _("We break even at {units} {unit} a year.").format(
                units=number_text(break_even_result.units_rounded, ",.0f"), unit=unit)
        return cls(
            title=canvas.title,
            problem=draft(_("Say what goes wrong today, for whom and how big it is."),
                          line(_("Who is affected: {text}."), "beneficiary_segments")),
            audience=draft(line(_("For: {text}."), "beneficiary_segments"),
                           line(_("Paid by: {text}."), "customer_segments")),
            solution=draft(line("{text}.", "type_of_intervention"),
                           line(_("What we do: {text}."), "key_activities")),
            impact=draft(line("{text}.", "social_value_proposition"),
                         line(_("We measure: {text}."), "impact_measures"), impact_extra),
            business_model=draft(line(_("Revenue: {text}."), "revenue"),
                                 line(_("Customers get: {text}."),
                                      "customer_value_proposition"), business_extra),
            ask=draft(ask_extra, line(_("Partners we need: {text}."),
                                      "partners_key_stakeholders")),
            figures=figures,
            sroi_result=sroi_result,
            break_even_result=break_even_result,
            funding_gap_result=funding_gap_result,
        )

    # ------------------------------------------------------------------ check

    def check(self, sroi_result=None, break_even_result=None,
              funding_gap_result=None) -> PitchCheck:
        """Check the structure of the pitch; nothing is raised for a weak pitch.

        The checks: every part present (at least :data:`MIN_WORDS` words), no part still a
        draft, every part within its word limit, the figures agree with the calculator results
        (tolerances in the module documentation; when a result is given, its headline figure
        ``sroi_ratio`` or ``break_even_units`` must be quoted), and every figure is written in
        the text of the pitch. The ask must not quote the SROI's total investment as what it
        asks for (see the module documentation); with a funding gap, it must quote the gap.

        Args:
            sroi_result: the :class:`welfarelab.impact.SROIResult` to compare with; default
                the one given to :meth:`from_canvas`, if any.
            break_even_result: the :class:`welfarelab.finance.BreakEvenResult` to compare
                with; default the one given to :meth:`from_canvas`, if any.
            funding_gap_result: the :class:`FundingGap` the ask is compared with; default
                the one given to :meth:`from_canvas`, if any.

        Returns:
            :class:`PitchCheck`: ``.ok`` is True when everything passes; ``.problems`` says in
            plain words what to fix (in the language in use), ``.problems_about(check)`` the
            problems of one check; shown as the last line of a cell it prints a report.

        Raises:
            TypeError: a result that is not an SROI or break-even result.
        """
        sroi_result = self.sroi_result if sroi_result is None else sroi_result
        break_even_result = (self.break_even_result if break_even_result is None
                             else break_even_result)
        funding_gap_result = (self.funding_gap_result if funding_gap_result is None
                              else funding_gap_result)
        _check_results(sroi_result, break_even_result, funding_gap_result)
        problems: list[str] = []
        tags: list[str] = []

        def problem(check_name: str, text: str) -> None:
            problems.append(text)
            tags.append(check_name)

        counts = self.word_counts()
        drafts = self.drafts()
        rows = []
        for p in PARTS:
            n = counts[p.id]
            title = p.shown_title
            if n == 0:
                status = "missing"
                problem("parts_present", _("'{title}' ({id}) is empty: {prompt}").format(
                    title=title, id=p.id, prompt=p.shown_prompt))
            elif n < MIN_WORDS:
                status = "too short"
                problem("parts_present", _ngettext(
                    "'{title}' ({id}) has {n} word; a part needs at least {min}.",
                    "'{title}' ({id}) has {n} words; a part needs at least {min}.", n).format(
                        title=title, id=p.id, n=n, min=MIN_WORDS))
            elif p.id in drafts:
                status = "draft"
                problem("no_drafts", _("'{title}' ({id}) is still a draft: rewrite it in your "
                                       "own words and remove {mark}.").format(
                                           title=title, id=p.id, mark=DRAFT_MARK))
            elif n > p.max_words:
                status = "too long"
            else:
                status = "ok"
            if n > p.max_words:
                problem("within_word_limits", _(
                    "'{title}' ({id}) has {n} words; the limit is {limit}. Cut {cut}.").format(
                        title=title, id=p.id, n=n, limit=p.max_words, cut=n - p.max_words))
            rows.append({"part": p.id, "title": title, "words": n, "limit": p.max_words,
                         "status": status})
        parts_table = pd.DataFrame(rows)

        results = {"sroi": sroi_result, "break_even": break_even_result,
                   "funding_gap": funding_gap_result}
        numbers = numbers_in(" ".join(self.texts().values()))
        figure_rows = []
        agree = True
        written_all = True
        for kind, result in results.items():
            headline = HEADLINE[kind]
            if result is not None and headline not in self.figures:
                agree = False
                problem("figures_agree", _(
                    "The pitch quotes no {label}, but that result was given: add it to figures "
                    "as '{name}' and write it in the pitch.").format(
                        label=_figure_label(headline), name=headline))
        for name, quoted in self.figures.items():
            calculated, agrees = None, None
            spec = FIGURES.get(name)
            if spec is not None and results[spec.result] is not None:
                result = results[spec.result]
                calculated = float(getattr(result, spec.attribute))
                agrees = figure_agrees(name, quoted, calculated,
                                       getattr(result, "units_rounded", None))
                if not agrees:
                    agree = False
                    values = {"name": name, "label": _figure_label(name),
                              "quoted": format_figure(name, quoted),
                              "calculated": format_figure(name, calculated)}
                    if spec.kind == "units":
                        text = _("The figure '{name}' ({label}) is {quoted}, but your calculator "
                                 "gives {calculated}, rounded up {rounded}. Quote the "
                                 "calculator's result.").format(
                                     rounded=number_text(result.units_rounded, ",.0f"), **values)
                    else:
                        text = _("The figure '{name}' ({label}) is {quoted}, but your calculator "
                                 "gives {calculated}. Quote the calculator's result.").format(
                                     **values)
                    problem("figures_agree", text)
            elif spec is not None:
                agree = False
                calculator = {"sroi": "sroi(...)", "break_even": "break_even(...)",
                              "funding_gap": "funding_gap(...)"}[spec.result]
                problem("figures_agree", _(
                    "The figure '{name}' ({quoted}) cannot be checked: there is no {calculator} "
                    "result of your own to compare it with. Give your result to check(...) (or "
                    "to the pitch builder), or remove the figure.").format(
                        name=name, quoted=format_figure(name, quoted), calculator=calculator))
            in_text = _written(name, quoted, numbers)
            if not in_text:
                written_all = False
                problem("figures_in_text", _(
                    "The figure '{name}' ({quoted}) is not written in any part of the pitch: "
                    "quote it where it belongs.").format(name=name,
                                                         quoted=format_figure(name, quoted)))
            figure_rows.append({"figure": name, "quoted": quoted, "calculated": calculated,
                                "agrees": agrees, "in_text": in_text})
        ask_numbers = numbers_in(self.ask)
        if sroi_result is not None and sroi_result.investment > 0:
            investment = float(sroi_result.investment)
            gap = None if funding_gap_result is None else funding_gap_result.gap
            same_as_gap = gap is not None and abs(gap - investment) <= 0.01 * investment
            if _written("investment", investment, ask_numbers) and not same_as_gap:
                agree = False
                if gap is not None:
                    text = _("The ask quotes {investment}, the SROI's total investment: that is "
                             "the value of all inputs, including what others already pay and "
                             "volunteer time. Ask for the funding gap, what is still missing "
                             "({gap}).").format(
                                 investment=format_figure("investment", investment),
                                 gap=format_figure("funding_gap", gap))
                else:
                    text = _("The ask quotes {investment}, the SROI's total investment: that is "
                             "the value of all inputs, including what others already pay and "
                             "volunteer time. Ask for the funding gap, what is still missing: "
                             "funding_gap(total cost, secured) gives it.").format(
                                 investment=format_figure("investment", investment))
                problem("figures_agree", text)
        if funding_gap_result is not None and "funding_gap" in self.figures and \
                not _written("funding_gap", self.figures["funding_gap"], ask_numbers):
            written_all = False
            problem("figures_in_text", _("The funding gap ({gap}) belongs in the ask: write it "
                                         "there.").format(
                                             gap=format_figure("funding_gap",
                                                               self.figures["funding_gap"])))
        figures_table = pd.DataFrame(figure_rows,
                                     columns=["figure", "quoted", "calculated", "agrees",
                                              "in_text"])
        return PitchCheck(
            parts_present=all(n >= MIN_WORDS for n in counts.values()),
            no_drafts=not drafts,
            within_word_limits=not self.over_limit(),
            figures_agree=agree,
            figures_in_text=written_all,
            problems=problems,
            parts=parts_table,
            figures=figures_table,
            problem_checks=tags,
        )

    # ------------------------------------------------------------------ views

    def __repr__(self) -> str:
        present = len(PARTS) - len(self.missing_parts())
        return (f"Pitch(title={self.title!r}, {present} of {len(PARTS)} parts present, "
                f"{self.total_words} of at most {TOTAL_MAX_WORDS} words)")

    def to_markdown(self) -> str:
        """The pitch as Markdown: a heading, one section per part with its word count, and
        the key figures. An empty part shows its question in italics.

        Returns:
            str, Markdown (Jupyter shows a pitch that is the last line of a cell this way).
        """
        heading = ("# " + _("Pitch: {title}").format(title=self.title) if self.title
                   else "# " + _("Pitch"))
        lines = [heading, ""]
        for number, p in enumerate(PARTS, start=1):
            text = getattr(self, p.id)
            n = word_count(text)
            lines += [f"## {number}. " + _("{title} ({n} of at most {limit} words)").format(
                          title=p.shown_title, n=n, limit=p.max_words), "",
                      text if text else "*" + _("Not written yet: {prompt}").format(
                          prompt=p.shown_prompt) + "*", ""]
        if self.figures:
            lines += ["## " + _("Key figures"), ""]
            lines += [f"- {_figure_label(name)}: {format_figure(name, value)}"
                      for name, value in self.figures.items()]
            lines.append("")
        lines.append("<small>" + _("{n} words in all (at most {limit}: about two minutes "
                                   "spoken).").format(n=self.total_words, limit=TOTAL_MAX_WORDS)
                     + "</small>")
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_figure(self, figsize: tuple[float, float] = (11.69, 8.27)):
        """Draw the one-page pitch sheet (A4 landscape by default).

        Left, six boxes in reading order (problem, who it is for, solution in the first
        column; impact, business model, the ask in the second), each with its title, its
        word count against the limit and its text (the letters shrink for long texts; an
        empty part shows its question in grey italics). Right, "the numbers in one picture":
        each figure as a big number, and, when the pitch quotes ``investment`` and
        ``present_value`` (or ``sroi_ratio``), two bars comparing one euro invested with the
        social value it creates. Colours: Okabe-Ito, one per part.

        Args:
            figsize: (width, height) in inches.

        Returns:
            A matplotlib Figure, closed in pyplot (it shows once as a cell's last line; save it
            with ``fig.savefig("pitch.png")``). Texts carry ``gid`` ``"part:<id>"`` (the part's
            text), ``"title:<id>"`` and ``"figure:<name>"``.

        Raises:
            ValueError: ``figsize`` is not two positive numbers.
        """
        if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise ValueError(_("figsize must be two numbers: (width, height) in inches."))
        fig_w = check.positive(figsize[0], _("figure width (inches)"))
        fig_h = check.positive(figsize[1], _("figure height (inches)"))

        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.colors import to_rgba
        from matplotlib.patches import FancyBboxPatch

        from .canvas import _fit_text
        from .plotting import _detached

        fig = plt.figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, fig_w)
        ax.set_ylim(0, fig_h)
        ax.set_axis_off()
        renderer = RendererAgg(int(fig_w * fig.dpi), int(fig_h * fig.dpi), fig.dpi)

        margin, gap, pad = 0.3, 0.18, 0.1
        title_h, foot_h = 0.75, 0.35
        right_w = fig_w * 0.27
        left_w = fig_w - 2 * margin - gap - right_w
        box_w = (left_w - gap) / 2
        box_h = (fig_h - title_h - foot_h - margin - 2 * gap) / 3
        top = fig_h - title_h

        heading = self.title or _("My pitch")
        ax.text(margin, fig_h - 0.2, heading, ha="left", va="top", fontsize=20,
                fontweight="bold", parse_math=False, gid="title:pitch")
        ax.text(margin, fig_h - 0.58, _("Problem · who it is for · solution · impact · business "
                                        "model · the ask"), ha="left", va="top", fontsize=9,
                color="#555555")

        for index, p in enumerate(PARTS):
            column, row = divmod(index, 3)
            x = margin + column * (box_w + gap)
            y = top - (row + 1) * box_h - row * gap
            ax.add_patch(FancyBboxPatch((x, y), box_w, box_h,
                                        boxstyle="round,pad=0,rounding_size=0.06",
                                        facecolor=to_rgba(p.colour, 0.12), edgecolor=p.colour,
                                        linewidth=2))
            text = getattr(self, p.id)
            n = word_count(text)
            over = n > p.max_words
            ax.text(x + pad, y + box_h - pad, f"{index + 1}. {p.shown_title}", ha="left",
                    va="top",
                    fontsize=12, fontweight="bold", parse_math=False, gid=f"title:{p.id}")
            ax.text(x + box_w - pad, y + box_h - pad,
                    (_("{n}/{limit} words – too long") if over else
                     _("{n}/{limit} words")).format(n=n, limit=p.max_words),
                    ha="right", va="top", fontsize=8,
                    color=OKABE_ITO["vermillion"] if over else "#555555",
                    fontweight="bold" if over else "normal")
            empty = not text
            body = ax.text(x + pad, y + box_h - pad - 0.3, "", ha="left", va="top",
                           linespacing=1.25, color="#555555" if empty else "black",
                           fontstyle="italic" if empty else "normal", parse_math=False,
                           gid=f"part:{p.id}")
            # 4 % to spare: text drawn at another resolution than measured is a little wider
            _fit_text(body, p.shown_prompt if empty else text, 0.96 * (box_w - 2 * pad) * fig.dpi,
                      (box_h - 2 * pad - 0.3) * fig.dpi, renderer)

        # the numbers in one picture
        rx = margin + left_w + gap
        ax.add_patch(FancyBboxPatch((rx, top - 3 * box_h - 2 * gap), right_w,
                                    3 * box_h + 2 * gap,
                                    boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=to_rgba(OKABE_ITO["grey"], 0.10),
                                    edgecolor=OKABE_ITO["grey"], linewidth=1.5))
        ax.text(rx + pad, top - pad, _("The numbers in one picture"), ha="left", va="top",
                fontsize=12, fontweight="bold")
        y = top - 0.5
        if not self.figures:
            ax.text(rx + pad, y, _("No figures quoted yet.\nAdd the SROI ratio and the\n"
                                   "break-even point."), ha="left", va="top", fontsize=9,
                    color="#555555",
                    fontstyle="italic")
        for name, value in list(self.figures.items())[:5]:
            ax.text(rx + pad, y, format_figure(name, value), ha="left", va="top", fontsize=20,
                    fontweight="bold", color=OKABE_ITO["blue"], gid=f"figure:{name}",
                    parse_math=False)
            ax.text(rx + pad, y - 0.42, _figure_label(name), ha="left", va="top", fontsize=8,
                    color="#333333", parse_math=False)
            y -= 0.8
        ratio = self.figures.get("sroi_ratio")
        if ratio is None and self.figures.get("investment") and "present_value" in self.figures:
            ratio = self.figures["present_value"] / self.figures["investment"]
        bottom = top - 3 * box_h - 2 * gap
        if ratio is not None and y - bottom > 1.3:
            bar_ax = fig.add_axes(((rx + pad + 0.9) / fig_w, (bottom + 0.45) / fig_h,
                                   (right_w - 2 * pad - 1.0) / fig_w,
                                   min(1.0, y - bottom - 0.75) / fig_h))
            bar_ax.barh([1, 0], [1, ratio], color=[OKABE_ITO["grey"], OKABE_ITO["bluish green"]],
                        edgecolor="black", linewidth=0.5)
            bar_ax.set_yticks([1, 0], [_("invested"), _("social value")], fontsize=8)
            bar_ax.set_xlabel(_("EUR per euro invested"), fontsize=8)
            bar_ax.tick_params(axis="x", labelsize=7)
            bar_ax.set_xlim(0, max(ratio, 1) * 1.3)
            for ypos, value in ((1, 1.0), (0, ratio)):
                bar_ax.annotate(("€" if babel_locale() is None else "€\u00a0")
                                + number_text(value, ".2f"), xy=(value, ypos), xytext=(3, 0),
                                textcoords="offset points", va="center", fontsize=8)
            for spine in ("top", "right"):
                bar_ax.spines[spine].set_visible(False)

        total = self.total_words
        ax.text(margin, 0.15, _("{n} words in all (at most {limit}: about two minutes spoken). "
                                "Pitch structure of the WELFARE course, module m07.").format(
                                    n=total, limit=TOTAL_MAX_WORDS),
                ha="left", va="bottom", fontsize=7, color="#555555")
        return _detached(fig, margins=False)

    # ------------------------------------------------------------------ saving and loading

    def to_dict(self) -> dict:
        """The pitch as a plain dictionary, ready for JSON (the calculator results are not
        kept: give them to :meth:`check` again after loading).

        Returns:
            ``{"kind": "pitch", "version": 1, "title": str, "parts": {part id: text},
            "figures": {name: number}}``.
        """
        return {"kind": KIND, "version": FORMAT_VERSION, "title": self.title,
                "parts": self.texts(), "figures": dict(self.figures)}

    @classmethod
    def from_dict(cls, data: dict) -> Pitch:
        """Make a pitch from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` is not a dictionary, or a part is not text.
            ValueError: the ``"kind"`` is not ``"pitch"``, the version is newer than this
                welfarelab reads, or a part or key is unknown.
        """
        if not isinstance(data, dict):
            raise TypeError(_("A pitch must be read from a dictionary (JSON object), but this "
                              "is a {kind}.").format(kind=type(data).__name__))
        if data.get("kind") != KIND:
            raise ValueError(_("This is not a pitch: its \"kind\" is {found}, expected "
                               "{expected}.").format(found=repr(data.get("kind")),
                                                     expected=repr(KIND)))
        version = data.get("version", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(_("The \"version\" must be a whole number from 1, not "
                               "{version}.").format(version=repr(version)))
        if version > FORMAT_VERSION:
            raise ValueError(_("This pitch was saved by a newer welfarelab (format version "
                               "{version}); this one reads up to version {supported}.").format(
                                   version=version, supported=FORMAT_VERSION))
        unknown = [k for k in data if k not in ("kind", "version", "title", "parts", "figures")]
        if unknown:
            raise ValueError(_("Unknown key(s) {keys} in a pitch.").format(
                keys=", ".join(map(repr, unknown))))
        parts = data.get("parts") or {}
        if not isinstance(parts, dict):
            raise TypeError(_("\"parts\" must be a dictionary {{part id: text}}."))
        bad = [k for k in parts if k not in PART_IDS]
        if bad:
            raise ValueError(_("Unknown part(s) {bad}. The parts are: {parts}.").format(
                bad=", ".join(map(repr, bad)), parts=", ".join(PART_IDS)))
        return cls(title=data.get("title", ""), figures=data.get("figures") or {}, **parts)

    def to_json(self) -> str:
        """The pitch as JSON text (UTF-8 characters kept, indented)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Pitch:
        """Read a pitch from JSON text made by :meth:`to_json`.

        Raises:
            ValueError: not valid JSON, or not a pitch. TypeError: ``text`` is not text.
        """
        if not isinstance(text, str):
            raise TypeError(_("from_json needs the JSON as a text, not a {kind}.").format(
                kind=type(text).__name__))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(_("This is not a pitch file: it is not valid JSON (the problem is "
                               "at line {line}, column {column}).").format(
                                   line=error.lineno, column=error.colno)) from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Save the pitch as a JSON file (UTF-8), replacing the file if it exists.

        Args:
            path: file name or path, e.g. ``"my-pitch.json"``.

        Returns:
            The path written, as a ``pathlib.Path``.

        Raises:
            TypeError: ``path`` is not a file name. OSError: the folder cannot be written.
        """
        path = _as_path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> Pitch:
        """Read a pitch saved with :meth:`save`.

        Raises:
            ValueError: the file is not valid JSON or not a pitch; the message names the file.
            FileNotFoundError: there is no such file. TypeError: ``path`` is not a file name.
        """
        path = _as_path(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            return cls.from_json(text)
        except (TypeError, ValueError) as error:
            raise ValueError(_("Cannot load {name}: {error}").format(
                name=repr(str(path)), error=error)) from None


def _as_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(_("path must be a file name such as 'my-pitch.json', not "
                          "{value}.").format(value=repr(path)))
    return Path(path)


def _check_results(sroi_result, break_even_result, funding_gap_result=None) -> None:
    from .finance import BreakEvenResult
    from .impact import SROIResult

    if sroi_result is not None and not isinstance(sroi_result, SROIResult):
        raise TypeError(_("sroi_result must be the result of sroi(...) from "
                          "welfarelab.impact, not {kind}.").format(
                              kind=type(sroi_result).__name__))
    if break_even_result is not None and not isinstance(break_even_result, BreakEvenResult):
        raise TypeError(_("break_even_result must be the result of break_even(...) or "
                          "break_even_mix(...) from welfarelab.finance, not {kind}.").format(
                              kind=type(break_even_result).__name__))
    if funding_gap_result is not None and not isinstance(funding_gap_result, FundingGap):
        raise TypeError(_("funding_gap_result must be the result of funding_gap(...) from "
                          "welfarelab.pitch, not {kind}.").format(
                              kind=type(funding_gap_result).__name__))
