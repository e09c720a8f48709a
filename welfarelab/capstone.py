"""The capstone plan: one wicked problem taken through every tool of the course (module m08).

A :class:`CapstonePlan` collects, for one idea, what the modules before it produce:

    part                        module  what it holds
    wicked_problem, wild_idea   m08     the problem in the Belgian welfare context; the idea
    stakeholders                m02     power/interest scores (welfarelab.ecosystem.stakeholder_map)
    personas, prototype_plan    m03     who you design for; what you will prototype and test
    canvas                      m04     a Social Business Model Canvas (13 blocks)
    break_even_inputs, unit     m04     fixed costs, price (or a tariff mix), variable cost, subsidy
    funding_mix, funding_types  m05     each source's share of the revenue, and its type
    cash_plan, period_months    m05     a month-by-month cash plan and the period it must cover
    theory_of_change            m06     inputs -> activities -> outputs -> outcomes -> impact
    outcomes, investment        m06     a forecast SROI
    pitch                       m07     the one-page pitch (welfarelab.pitch.Pitch)
    quoted                      all     the figures your plan quotes, e.g. the break-even point

:meth:`CapstonePlan.check` tests the plan's consistency on the student's own numbers, each
check true or false with a message in plain words, in the language in use
(:func:`welfarelab.set_language`; numbers in Dutch the Belgian way, ``1.607,84``, ``€ 5.000,00``).
The check ids below stay English in every language:

* ``complete``: every part is filled in (at least 3 stakeholders and 1 persona, all 13 blocks
  of the canvas, all 5 stages of the theory of change, at least one outcome);
* ``stakeholders``: the stakeholder scores are valid (1-5, unique names);
* ``break_even``: the break-even units quoted equal the calculator's on your inputs (the
  units rounded up, or within 0.01 of the exact units);
* ``sroi``: the SROI ratio quoted equals the calculator's within 0.05;
* ``funding_shares``: every share is 0-1 and the shares sum to one within
  :data:`SHARE_SUM_TOLERANCE` (0.001); a quoted ``subsidy_dependency`` equals the share of the
  sources of type "subsidy" within 0.005;
* ``cash_period``: the cash plan runs at least ``period_months`` months;
* ``cash_balance``: the closing balance is never below zero in those months;
* ``pitch``: the pitch passes :meth:`welfarelab.pitch.Pitch.check` with the plan's own
  SROI and break-even results;
* ``same_amounts``: an amount stated in more than one section has one value there (within
  :data:`AMOUNT_REL_TOLERANCE`, 1 %): the lump sums of the break-even inputs (``subsidy``)
  equal the funding-mix sources other than the one paid per unit (``yearly_revenue`` ×
  their shares); the planned units × the price equal that per-unit source's amount; and every
  grant or subsidy amount written in the texts (``€40,000 grant``, ``subsidy of €30,000``)
  is one of the plan's grant or subsidy amounts (break-even subsidy, a subsidy-type source,
  their total, a cash tranche or the tranches' total);
* ``revenue_break_even``: the revenue the plan expects per unit (the per-unit source's
  amount, or ``planned_units``) reaches the break-even point it quotes;
* ``assets``: no asset (a bus, a building, a van ...) is said to be bought in one place and
  leased or rented in another.

The last three compare what the plan states in several places. The words that the asset and
grant comparisons recognise are data, one column per language, in :data:`PLAN_WORDS`; the texts are
read with the words of every language there. The comparisons that need
``yearly_revenue``, ``unit_source`` or ``planned_units`` only run when the plan gives them;
otherwise the check passes and its message says what was not compared.

The calculations are the course's own: :func:`welfarelab.finance.break_even` (or
``break_even_mix``), :func:`welfarelab.finance.revenue_mix`, :func:`welfarelab.finance.cash_flow`,
:func:`welfarelab.impact.sroi` and :func:`welfarelab.ecosystem.stakeholder_map`; see their
documentation for the methods and sources. The plan is saved as one JSON file
(:meth:`CapstonePlan.save`), so a student on Binder can download it and bring it back.

In a notebook, :func:`save_and_offer` saves a plan and shows a plain sentence with a download
link (``save_and_offer(my_plan, "my-capstone-plan.json")``).

No printing and no widgets; file I/O only in :meth:`CapstonePlan.save`,
:meth:`CapstonePlan.load` and :func:`save_and_offer`.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import finance
from . import validation as check
from .canvas import SocialBusinessModelCanvas
from .i18n import N_, _, babel_locale, number_text
from .impact import DEFAULT_DISCOUNT_RATE, Outcome, TheoryOfChange, sroi, stage_name
from .money import eur
from .pitch import Pitch, _inline, _readings, figure_agrees

KIND = "capstone-plan"
FORMAT_VERSION = 1

#: How far the funding shares may be from adding up to 1 (rounding to three decimals is fine).
SHARE_SUM_TOLERANCE = 0.001
#: How far a quoted subsidy dependency may be from the calculated one.
SHARE_TOLERANCE = 0.005
MIN_STAKEHOLDERS = 3
MIN_PERSONAS = 1

BREAK_EVEN_KEYS = ("fixed_costs", "price", "variable_cost", "subsidy", "target_surplus",
                   "tariffs")
CASH_PLAN_KEYS = ("opening_cash", "monthly_inflow", "monthly_outflow", "months", "tranches")
FUNDING_TYPES = ("subsidy", "earned", "other")
#: The figures a plan may quote in ``quoted``.
QUOTABLE = ("break_even_units", "sroi_ratio", "subsidy_dependency", "present_value",
            "investment", "break_even_revenue")

#: The checks of :meth:`CapstonePlan.check`, in order: (id, what passing means).
#: The ids stay English in every language (notebooks call ``report.passed("break_even")``);
#: the texts are shown in the language in use.
CHECKS = (
    ("complete", N_("every part of the plan is filled in")),
    ("stakeholders", N_("the stakeholder grid is valid")),
    ("break_even", N_("the break-even point quoted equals the calculator's")),
    ("sroi", N_("the SROI ratio quoted equals the calculator's")),
    ("funding_shares", N_("the funding shares sum to one")),
    ("cash_period", N_("the cash plan covers the period asked")),
    ("cash_balance", N_("the cash balance never goes below zero")),
    ("pitch", N_("the pitch passes its structure checks with the plan's figures")),
    ("same_amounts", N_("an amount stated in several sections has one value")),
    ("revenue_break_even", N_("the revenue per unit reaches the break-even point")),
    ("assets", N_("no asset is both bought and leased")),
)
CHECK_IDS = tuple(check_id for check_id, _what in CHECKS)

#: How far (relative) one amount may differ between two sections of the plan.
AMOUNT_REL_TOLERANCE = 0.01
#: The words the text checks recognise: one row per kind of word, one column per language.
#: This is data, not a catalog: a plan's texts are read with the words of EVERY language here,
#: whatever language welfarelab speaks (a Dutch plan may say "lease", an English one "huur").
#: A new language (French: "fr") is a new column: fill in its words, no code change.
#:
#: ``buy`` / ``lease``: words that say an asset is bought / leased or rented;
#: ``buy_ending`` / ``lease_ending``: endings joined to the asset's name in one word (Dutch
#: *busaankoop*, *buslease*); after a name of three letters or more they count as the word;
#: ``skip``: words passed over between the verb and the asset (articles, adjectives, helpers);
#: ``stop``: words where the search for the asset ends;
#: ``grant``: the start of a word that points at a grant or subsidy amount (*subsid* finds
#: subsidy, subsidies, subsidie).
PLAN_WORDS = {
    "buy": {
        "en": "buy buys buying bought purchase purchases purchasing purchased",
        "nl": "kopen koop koopt kocht kochten gekocht aankopen aankoop aangekocht aanschaffen "
              "aangeschaft gekochte aangekochte",
        "fr": "",
    },
    "lease": {
        "en": "lease leases leasing leased rent rents renting rented",
        "nl": "leasen leaset geleased geleaset huren huur huurt huurde huurden gehuurd geleasede "
              "gehuurde",
        "fr": "",
    },
    "buy_ending": {"en": "", "nl": "aankoop", "fr": ""},
    "lease_ending": {"en": "", "nl": "lease leasing huur", "fr": ""},
    "skip": {
        "en": "a an the our their its his her my your one two three new used second hand "
              "converted small big of we will to and or for with before after instead it them "
              "is are was were be been being not out",
        "nl": "een de het onze ons hun zijn haar mijn jouw je nieuwe tweedehands omgebouwde "
              "kleine grote wij zullen gaan willen die dat niet ze twee drie",
        "fr": "",
    },
    "stop": {
        "en": "for to and or with before after from at in on by instead than so but",
        "nl": "voor naar en of met na uit op bij dan maar terwijl omdat",
        "fr": "",
    },
    "grant": {"en": "grant subsid", "nl": "subsidie", "fr": ""},
}


def plan_words(kind: str, language: str | None = None) -> tuple[str, ...]:
    """The words of one row of :data:`PLAN_WORDS`, in the order written.

    Args:
        kind: a row, e.g. ``"buy"`` or ``"lease"``.
        language: one column, e.g. ``"nl"``; None (default) for every language's words.

    Returns:
        The words (lower case), without repeats.

    Raises:
        KeyError: an unknown kind or language; the message lists the known ones.
    """
    if kind not in PLAN_WORDS:
        raise KeyError(f"plan_words: no kind {kind!r}; the kinds are {', '.join(PLAN_WORDS)}.")
    row = PLAN_WORDS[kind]
    if language is not None and language not in row:
        raise KeyError(f"plan_words: no language {language!r}; the languages are "
                       f"{', '.join(row)}.")
    texts = row.values() if language is None else [row[language]]
    return tuple(dict.fromkeys(word.lower() for text in texts for word in text.split()))


#: Words that say an asset is bought, and words that say it is leased or rented (every language
#: of :data:`PLAN_WORDS`).
BUY_WORDS = frozenset(plan_words("buy"))
LEASE_WORDS = frozenset(plan_words("lease"))
_COMPOUND_BUY = plan_words("buy_ending")
_COMPOUND_LEASE = plan_words("lease_ending")
#: Words that point at a grant or subsidy amount in a text.
GRANT_WORDS = plan_words("grant")
_SKIP = frozenset(plan_words("skip"))
_STOP = frozenset(plan_words("stop"))
_MONEY = re.compile(r"(?:€|\bEUR\s?)\s?(\d[\d.,\u00a0\u202f]*\d|\d)(\s?(?:k|K)\b)?")


# ---------------------------------------------------------------------------------------------
# the result of check()
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanCheck:
    """What :meth:`CapstonePlan.check` returns.

    Attributes:
        table: one row per check, in the order of :data:`CHECKS`, with the columns ``check``
            (its id), ``what`` (what passing means), ``ok`` (bool) and ``message`` (what to fix,
            or what was found).
    """

    table: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when every check passes."""
        return bool(self.table["ok"].all())

    def __bool__(self) -> bool:
        return self.ok

    def passed(self, check_id: str) -> bool:
        """Whether one check passed, e.g. ``report.passed("break_even")``.

        Raises:
            ValueError: an unknown check id; the message lists the ids.
        """
        return bool(self._row(check_id)["ok"])

    def message(self, check_id: str) -> str:
        """The message of one check: what to fix, or what was found."""
        return str(self._row(check_id)["message"])

    def _row(self, check_id: str):
        if check_id not in CHECK_IDS:
            raise ValueError(_("There is no check {check_id}. The checks are: {ids}.").format(
                check_id=repr(check_id), ids=", ".join(CHECK_IDS)))
        return self.table.set_index("check").loc[check_id]

    @property
    def problems(self) -> list[str]:
        """The messages of the checks that fail."""
        return [f"{row.check}: {row.message}" for row in self.table.itertuples() if not row.ok]

    def lines(self) -> list[str]:
        """One line per check: ✓ or ✗, what passing means, and the message."""
        return [f"{'✓' if row.ok else '✗'} {row.what}: {row.message}"
                for row in self.table.itertuples()]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines()) + "\n"


# ---------------------------------------------------------------------------------------------
# input cleaning
# ---------------------------------------------------------------------------------------------

def _text(value, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(_("{where} must be text in quotes, but it is {value} ({type}).").format(
            where=where, value=repr(value), type=type(value).__name__))
    return value.strip()


def _dict(value, where: str, example: str) -> dict:
    if value is None:
        return {}
    if isinstance(value, pd.Series):
        value = dict(value.items())
    if not isinstance(value, dict):
        raise TypeError(_("{where} must be a dictionary, for example {example}, but it is "
                          "{value} ({type}).").format(where=where, example=example,
                                                      value=repr(value),
                                                      type=type(value).__name__))
    return dict(value)


def _keys(data: dict, allowed, where: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValueError(_("{where} has an unknown key {keys}. The keys are: {allowed}.").format(
            where=where, keys=", ".join(map(repr, unknown)), allowed=", ".join(allowed)))


def _records(value, where: str) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, pd.DataFrame):
        value = value.to_dict("records")
    if not isinstance(value, (list, tuple)):
        raise TypeError(_("{where} must be a list of dictionaries, one per row, not "
                          "{type}.").format(where=where, type=type(value).__name__))
    rows = []
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            raise TypeError(_("item {number} of {where} must be a dictionary such as "
                              "{example}, not {row}.").format(
                number=number, where=where, example="{'name': ...}", row=repr(row)))
        rows.append(dict(row))
    return rows


def _outcomes(value) -> list[Outcome]:
    outcomes = []
    for number, item in enumerate(value or [], start=1):
        if isinstance(item, Outcome):
            outcomes.append(item)
        elif isinstance(item, dict):
            try:
                outcomes.append(Outcome(**item))
            except TypeError as error:
                if "unexpected keyword" in str(error) or "missing" in str(error):
                    names = [f.name for f in dataclasses.fields(Outcome)]
                    raise TypeError(_("outcome number {number} cannot be made: {error}. The "
                                      "fields are: {fields}.").format(
                        number=number, error=error, fields=", ".join(names))) from None
                raise
        else:
            raise TypeError(_("outcome number {number} must be an Outcome(...) or a dictionary "
                              "of its fields, not {type}.").format(number=number,
                                                                   type=type(item).__name__))
    return outcomes


def _compound(word: str) -> tuple[str, str] | None:
    """``("buy" | "lease", asset)`` for a Dutch compound such as *buslease* or *busaankoop*."""
    for kind, endings in (("buy", _COMPOUND_BUY), ("lease", _COMPOUND_LEASE)):
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return kind, word[:-len(ending)]
    return None


def _forms(word: str) -> set[str]:
    """The word and its possible singulars (buses -> bus, vans -> van, houses -> house; Dutch
    bussen -> bus, busjes -> busje)."""
    forms = {word}
    if word.endswith("en") and len(word) > 4:
        forms.add(word[:-2])
        if word[-3] == word[-4]:  # bussen -> bus
            forms.add(word[:-3])
    if word.endswith("es") and len(word) > 4:
        forms.add(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 3:
        forms.add(word[:-1])
    return forms


# ---------------------------------------------------------------------------------------------
# numbers and labels in the language in use
# ---------------------------------------------------------------------------------------------

#: The quadrants of the power/interest grid as people read them (the table keeps the English
#: names of :data:`welfarelab.ecosystem.STAKEHOLDER_QUADRANTS`).
_QUADRANTS = {"manage closely": N_("manage closely"), "keep satisfied": N_("keep satisfied"),
              "keep informed": N_("keep informed"), "monitor": N_("monitor")}
#: The theory-of-change stages as the places of the plan's texts name them.
_STAGES = {"inputs": N_("inputs"), "activities": N_("activities"), "outputs": N_("outputs"),
           "outcomes": N_("outcomes"), "impact": N_("impact"),
           "preconditions": N_("preconditions"), "assumptions": N_("assumptions")}


def _quadrant_text(quadrant: str) -> str:
    """A quadrant of the power/interest grid in the language in use."""
    return _(_QUADRANTS[quadrant]) if quadrant in _QUADRANTS else str(quadrant)


def _number(value: float, spec: str) -> str:
    """:func:`welfarelab.i18n.number_text`, also for significant digits (``".4g"``): English
    exactly ``format(value, spec)``, Dutch ``0,95``."""
    if babel_locale() is None or spec == "g" or not spec.endswith("g"):
        return number_text(value, spec)
    return number_text(float(format(value, spec)), "g")


def _units(value: float) -> str:
    """A number of units: ``1,608`` (whole) or ``1,607.84``; Belgian in Dutch (``1.608``)."""
    return number_text(value, ",.0f" if float(value).is_integer() else ",.2f")


# ---------------------------------------------------------------------------------------------
# the plan
# ---------------------------------------------------------------------------------------------

@dataclass(repr=False)
class CapstonePlan:
    """One idea taken through the whole course (see the module documentation for the parts).

    Attributes:
        title: the name of the idea.
        wicked_problem: the wicked problem in the Belgian welfare context, and why it is wicked.
        wild_idea: the wild idea that answers it, in a few sentences.
        stakeholders: list of dictionaries with ``stakeholder`` (name), ``power`` and
            ``interest`` (scores 1-5), and any other keys (e.g. ``role``); a DataFrame works too.
        personas: list of dictionaries, each with at least a ``name`` (and e.g.
            ``description``, ``need``).
        prototype_plan: what you will prototype, with whom you test it, how you will know.
        canvas: a :class:`welfarelab.canvas.SocialBusinessModelCanvas` (or its dictionary).
        break_even_inputs: ``{"fixed_costs": EUR a year, "price": EUR a unit,
            "variable_cost": EUR a unit, "subsidy": EUR a year, "target_surplus": EUR a year}``;
            instead of ``price``, ``"tariffs": {name: (share, price)}`` for a tariff mix.
        unit: what one unit is, e.g. ``"trainees"`` or ``"intakes"`` (used in the text).
        funding_mix: ``{source name: share 0-1 of the revenue}``; the shares sum to one.
        funding_types: ``{source name: "subsidy" | "earned" | "other"}`` (missing = "other").
        cash_plan: ``{"opening_cash": EUR, "monthly_inflow": EUR a month (or a list per month),
            "monthly_outflow": ..., "months": n, "tranches": {month: EUR}}``.
        period_months: how many months the cash plan must cover (asked by your lecturer;
            default 12).
        theory_of_change: a :class:`welfarelab.impact.TheoryOfChange` (or its dictionary).
        outcomes: list of :class:`welfarelab.impact.Outcome` (or dictionaries of their fields).
        investment: the SROI investment in EUR (at t = 0).
        discount_rate: share per year, default 0.035.
        pitch: a :class:`welfarelab.pitch.Pitch` (or its dictionary).
        quoted: the figures the plan quotes, ``{name: number}``, names from :data:`QUOTABLE`:
            at least ``break_even_units`` and ``sroi_ratio``.
        yearly_revenue: optional, the plan's total revenue in EUR a year, which the shares of
            ``funding_mix`` split (so each source's amount is share × yearly_revenue).
        unit_source: optional, the name of the ``funding_mix`` source that pays the price
            per unit (e.g. ``"intake contracts"``); every other source is a lump sum.
        planned_units: optional, the units a year the plan expects to sell or deliver.

    Raises:
        TypeError: a part of the wrong type (the message names it).
        ValueError: an unknown key in ``break_even_inputs``, ``cash_plan`` or ``quoted``, a
            funding type that is not "subsidy", "earned" or "other", a persona without a name,
            an outcome with a bad field, ``period_months`` not a whole number 1-600, a
            ``yearly_revenue`` or ``planned_units`` below zero, or a ``unit_source`` that is
            not in ``funding_mix``.
    """

    title: str = ""
    wicked_problem: str = ""
    wild_idea: str = ""
    stakeholders: list = field(default_factory=list)
    personas: list = field(default_factory=list)
    prototype_plan: str = ""
    canvas: SocialBusinessModelCanvas | None = None
    break_even_inputs: dict = field(default_factory=dict)
    unit: str = "units"
    funding_mix: dict = field(default_factory=dict)
    funding_types: dict = field(default_factory=dict)
    cash_plan: dict = field(default_factory=dict)
    period_months: int = 12
    theory_of_change: TheoryOfChange | None = None
    outcomes: list = field(default_factory=list)
    investment: float | None = None
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    pitch: Pitch | None = None
    quoted: dict = field(default_factory=dict)
    yearly_revenue: float | None = None
    unit_source: str = ""
    planned_units: float | None = None

    def __post_init__(self):
        for name in ("title", "wicked_problem", "wild_idea", "prototype_plan", "unit"):
            setattr(self, name, _text(getattr(self, name), name))
        self.unit = self.unit or "units"
        self.stakeholders = _records(self.stakeholders, "stakeholders")
        self.personas = _records(self.personas, "personas")
        for number, persona in enumerate(self.personas, start=1):
            name = persona.get("name")
            if not isinstance(name, str) or not name.strip():
                example = ("{'name': '" + _("Samira, 17, young carer")
                           + "', 'description': '...'}")
                raise ValueError(_("persona number {number} needs a \"name\" (text), e.g. "
                                   "{example}.").format(number=number, example=example))
        if isinstance(self.canvas, dict):
            self.canvas = SocialBusinessModelCanvas.from_dict(self.canvas)
        if self.canvas is not None and not isinstance(self.canvas, SocialBusinessModelCanvas):
            raise TypeError(_("canvas must be a SocialBusinessModelCanvas (module m04), not "
                              "{type}.").format(type=type(self.canvas).__name__))
        self.break_even_inputs = _dict(self.break_even_inputs, "break_even_inputs",
                                       "{'fixed_costs': 120000, 'price': 80, 'variable_cost': "
                                       "20, 'subsidy': 40000}")
        _keys(self.break_even_inputs, BREAK_EVEN_KEYS, "break_even_inputs")
        city, fees = _("city subsidy"), _("fees")
        self.funding_mix = _dict(self.funding_mix, "funding_mix",
                                 f"{{'{city}': 0.4, '{fees}': 0.6}}")
        self.funding_types = _dict(self.funding_types, "funding_types",
                                   f"{{'{city}': 'subsidy', '{fees}': 'earned'}}")
        for source, kind in self.funding_types.items():
            if kind not in FUNDING_TYPES:
                raise ValueError(_("the funding type of {source} must be 'subsidy', 'earned' "
                                   "or 'other', but it is {kind}.").format(source=repr(source),
                                                                            kind=repr(kind)))
        self.cash_plan = _dict(self.cash_plan, "cash_plan",
                               "{'opening_cash': 20000, 'monthly_inflow': 15000, "
                               "'monthly_outflow': 17000, 'months': 12}")
        _keys(self.cash_plan, CASH_PLAN_KEYS, "cash_plan")
        if isinstance(self.cash_plan.get("tranches"), dict):  # JSON keys are text: "4" -> 4
            self.cash_plan["tranches"] = {
                (int(k) if isinstance(k, str) and k.strip().isdigit() else k): v
                for k, v in self.cash_plan["tranches"].items()}
        self.period_months = check.whole(self.period_months, "period_months", low=1,
                                         high=finance.MAX_MONTHS)
        if isinstance(self.theory_of_change, dict):
            self.theory_of_change = TheoryOfChange.from_dict(self.theory_of_change)
        if self.theory_of_change is not None and not isinstance(self.theory_of_change,
                                                                 TheoryOfChange):
            raise TypeError(_("theory_of_change must be a TheoryOfChange (module m06), not "
                              "{type}.").format(type=type(self.theory_of_change).__name__))
        self.outcomes = _outcomes(self.outcomes)
        if self.investment is not None:
            self.investment = check.number(self.investment, _("investment (EUR)"))
        self.discount_rate = check.share(self.discount_rate, _("discount rate (share per year)"))
        if isinstance(self.pitch, dict):
            self.pitch = Pitch.from_dict(self.pitch)
        if self.pitch is not None and not isinstance(self.pitch, Pitch):
            raise TypeError(_("pitch must be a Pitch (module m07), not {type}.").format(
                type=type(self.pitch).__name__))
        self.quoted = _dict(self.quoted, "quoted", "{'break_even_units': 30, 'sroi_ratio': 2.3}")
        _keys(self.quoted, QUOTABLE, "quoted")
        self.quoted = {k: check.number(v, _("quoted {name}").format(name=k))
                       for k, v in self.quoted.items() if v is not None}
        if self.yearly_revenue is not None:
            self.yearly_revenue = check.non_negative(self.yearly_revenue,
                                                     _("yearly_revenue (EUR a year)"))
        if self.planned_units is not None:
            self.planned_units = check.non_negative(self.planned_units,
                                                    _("planned_units (units a year)"))
        self.unit_source = _text(self.unit_source, "unit_source")
        if self.unit_source and self.funding_mix and self.unit_source not in self.funding_mix:
            raise ValueError(_("unit_source {source} is not a source in funding_mix; the "
                               "sources are: {sources}.").format(source=repr(self.unit_source),
                                                                 sources=list(self.funding_mix)))

    # ------------------------------------------------------------------ the calculations

    def break_even_result(self) -> finance.BreakEvenResult:
        """The break-even point on the plan's inputs (``break_even`` or, with ``tariffs``,
        ``break_even_mix``).

        Raises:
            ValueError / TypeError: inputs missing or not valid; the message names the field.
        """
        inputs = dict(self.break_even_inputs)
        if not inputs:
            raise ValueError(_("The plan has no break_even_inputs yet: give fixed_costs, price, "
                               "variable_cost and subsidy (EUR)."))
        if "tariffs" in inputs and "price" in inputs:
            raise ValueError(_("break_even_inputs has both a price and tariffs: give one price, "
                               "or a tariff mix {example}, not both.").format(
                example="{" + _("name: (share, price)") + "}"))
        needed = ("fixed_costs", "variable_cost", "tariffs" if "tariffs" in inputs else "price")
        missing = [k for k in needed if k not in inputs]
        if missing:
            raise ValueError(_("break_even_inputs misses {keys}.").format(
                keys=", ".join(missing)))
        if "tariffs" in inputs:
            return finance.break_even_mix(**inputs)
        return finance.break_even(**inputs)

    def sroi_result(self):
        """The forecast SROI on the plan's outcomes and investment (:func:`welfarelab.impact.sroi`).

        Raises:
            ValueError / TypeError: no outcomes, no investment, or a bad value (named).
        """
        if self.investment is None:
            raise ValueError(_("The plan has no investment yet: give the SROI investment in "
                               "EUR."))
        return sroi(self.outcomes, self.investment, self.discount_rate)

    def funding_result(self) -> finance.RevenueMixResult:
        """The funding mix through :func:`welfarelab.finance.revenue_mix` (shares as amounts).

        Raises:
            ValueError / TypeError: no sources, a share that is not a number 0-1.
        """
        if not self.funding_mix:
            city, fees = _("city subsidy"), _("fees")
            example = f"{{'{city}': 0.4, '{fees}': 0.6}}"
            raise ValueError(_("The plan has no funding_mix yet: give each source's share, e.g. "
                               "{example}.").format(example=example))
        for source, share in self.funding_mix.items():
            check.share(share, _("share"), str(source))
        unknown = [s for s in self.funding_types if s not in self.funding_mix]
        if unknown:
            raise ValueError(_("funding_types names source(s) that are not in funding_mix: "
                               "{unknown}. The sources are: {sources}.").format(
                unknown=unknown, sources=list(self.funding_mix)))
        return finance.revenue_mix(self.funding_mix, self._sources("subsidy"),
                                   self._sources("earned"))

    def _sources(self, kind: str) -> list:
        return [s for s in self.funding_mix if self.funding_types.get(s, "other") == kind]

    def cash_flow_result(self) -> finance.CashFlowResult:
        """The month-by-month cash plan (:func:`welfarelab.finance.cash_flow`).

        Raises:
            ValueError / TypeError: inputs missing or not valid; the message names the field.
        """
        plan = dict(self.cash_plan)
        missing = [k for k in CASH_PLAN_KEYS[:4] if k not in plan]
        if missing:
            raise ValueError(_("cash_plan misses {keys}.").format(keys=", ".join(missing)))
        return finance.cash_flow(**plan)

    def stakeholder_table(self) -> pd.DataFrame:
        """The stakeholders placed in the power/interest grid
        (:func:`welfarelab.ecosystem.stakeholder_map`)."""
        from .ecosystem import stakeholder_map

        return stakeholder_map(self.stakeholders)

    # ------------------------------------------------------------------ check

    def missing_parts(self) -> list[str]:
        """The parts still missing, in plain words, in plan order (empty when complete)."""
        missing = []
        for name, words in (("title", N_("a title")), ("wicked_problem", N_("the wicked problem")),
                            ("wild_idea", N_("the wild idea"))):
            if not getattr(self, name):
                missing.append(_(words))
        if len(self.stakeholders) < MIN_STAKEHOLDERS:
            missing.append(_("at least {minimum} stakeholders (you have {count})").format(
                minimum=MIN_STAKEHOLDERS, count=len(self.stakeholders)))
        if len(self.personas) < MIN_PERSONAS:
            missing.append(_("at least one persona"))
        if not self.prototype_plan:
            missing.append(_("the prototype plan"))
        if self.canvas is None:
            missing.append(_("the Social Business Model Canvas"))
        elif self.canvas.empty_blocks():
            missing.append(_("canvas blocks {blocks}").format(
                blocks=", ".join(self.canvas.empty_blocks())))
        for part, words in (("break_even_inputs", N_("the break-even inputs")),
                            ("funding_mix", N_("the funding mix")),
                            ("cash_plan", N_("the cash plan"))):
            if not getattr(self, part):
                missing.append(_(words))
        if self.theory_of_change is None:
            missing.append(_("the theory of change"))
        elif self.theory_of_change.empty_stages():
            missing.append(_("theory-of-change stages {stages}").format(
                stages=", ".join(self.theory_of_change.empty_stages())))
        if not self.outcomes:
            missing.append(_("at least one SROI outcome"))
        if self.investment is None:
            missing.append(_("the SROI investment"))
        if self.pitch is None:
            missing.append(_("the pitch"))
        for name in ("break_even_units", "sroi_ratio"):
            if name not in self.quoted:
                missing.append(_("the quoted {name}").format(name=name))
        return missing

    def _unit_text(self) -> str:
        """What one unit is, for messages: the plan's ``unit``, and the default "units" in the
        language in use."""
        return _("units") if self.unit == "units" else self.unit

    def check(self) -> PlanCheck:
        """Check the plan's consistency on its own numbers (see the module documentation).

        Nothing is raised for a weak or unfinished plan: every problem, also a calculator's
        error message, becomes the message of a failed check.

        Returns:
            :class:`PlanCheck`; ``.ok`` is True when all checks pass, ``.passed("sroi")`` tells
            one check, and as the last line of a cell it shows a ✓ / ✗ list.
        """
        rows = []
        unit = self._unit_text()

        def add(check_id: str, ok: bool, message: str) -> None:
            rows.append({"check": check_id, "what": _(dict(CHECKS)[check_id]), "ok": bool(ok),
                         "message": message})

        missing = self.missing_parts()
        add("complete", not missing,
            _("title, wicked problem, wild idea, {stakeholders} stakeholders, {personas} "
              "persona(s), prototype plan, canvas, money, theory of change, {outcomes} "
              "outcome(s) and pitch").format(stakeholders=len(self.stakeholders),
                                             personas=len(self.personas),
                                             outcomes=len(self.outcomes)) if not missing
            else _("still missing: {parts}").format(parts="; ".join(missing)))

        try:
            table = self.stakeholder_table()
            counts = table["quadrant"].value_counts()
            add("stakeholders", len(table) >= MIN_STAKEHOLDERS,
                _("{count} stakeholders: {quadrants}").format(
                    count=len(table),
                    quadrants=", ".join(f"{n} {_quadrant_text(q)}" for q, n in counts.items()))
                if len(table) >= MIN_STAKEHOLDERS else
                _("give at least {minimum} stakeholders, you have {count}").format(
                    minimum=MIN_STAKEHOLDERS, count=len(table)))
        except (ValueError, TypeError) as err:
            add("stakeholders", False, str(err))

        be_result = sroi_res = None
        try:
            be_result = self.break_even_result()
            quoted = self.quoted.get("break_even_units")
            if quoted is None:
                add("break_even", False, _("the calculator gives {units} {unit}; quote it as "
                                           "quoted['break_even_units']").format(
                    units=number_text(be_result.units_rounded, ",.0f"), unit=unit))
            else:
                ok = figure_agrees("break_even_units", quoted, be_result.units,
                                   be_result.units_rounded)
                values = {"quoted": _units(quoted), "unit": unit,
                          "exact": number_text(be_result.units, ",.2f"),
                          "rounded": number_text(be_result.units_rounded, ",.0f")}
                add("break_even", ok,
                    _("{quoted} {unit} quoted, the calculator gives {exact}, rounded up "
                      "{rounded}").format(**values) if ok else
                    _("{quoted} {unit} quoted, the calculator gives {exact}, rounded up "
                      "{rounded}: quote the rounded-up units of your own inputs").format(**values))
        except (ValueError, TypeError) as err:
            add("break_even", False, str(err))

        try:
            sroi_res = self.sroi_result()
            quoted = self.quoted.get("sroi_ratio")
            if quoted is None:
                add("sroi", False, _("the calculator gives {ratio} : 1; quote it as "
                                     "quoted['sroi_ratio']").format(
                    ratio=number_text(sroi_res.ratio, ".2f")))
            else:
                ok = figure_agrees("sroi_ratio", quoted, sroi_res.ratio)
                values = {"quoted": number_text(quoted, "g"),
                          "ratio": number_text(sroi_res.ratio, ".4f")}
                add("sroi", ok,
                    _("{quoted} : 1 quoted, the calculator gives {ratio} : 1").format(**values)
                    if ok else
                    _("{quoted} : 1 quoted, the calculator gives {ratio} : 1: quote your own "
                      "result (within 0.05)").format(**values))
        except (ValueError, TypeError) as err:
            add("sroi", False, str(err))

        try:
            mix = self.funding_result()
            total = math.fsum(float(s) for s in self.funding_mix.values())
            ok = abs(total - 1) <= SHARE_SUM_TOLERANCE + 1e-12
            parts = [_("the shares sum to {total}").format(total=_number(total, ".4g"))]
            if not ok:
                parts.append(_("they must sum to 1 (within {tolerance})").format(
                    tolerance=number_text(SHARE_SUM_TOLERANCE, "g")))
            quoted = self.quoted.get("subsidy_dependency")
            if ok and quoted is not None:
                dependency = math.fsum(float(self.funding_mix[s])
                                       for s in self._sources("subsidy"))
                if abs(quoted - dependency) > SHARE_TOLERANCE:
                    ok = False
                    parts.append(_("the subsidy dependency quoted ({quoted}) is not the share "
                                   "of the subsidy sources ({dependency})").format(
                        quoted=number_text(quoted, "g"),
                        dependency=number_text(dependency, ".3f")))
                else:
                    parts.append(_("subsidy dependency {dependency}").format(
                        dependency=number_text(dependency, ".3f")))
            elif ok:
                parts.append(_("subsidy dependency {dependency}").format(
                    dependency=number_text(mix.subsidy_dependency, ".3f")))
            add("funding_shares", ok, "; ".join(parts))
        except (ValueError, TypeError) as err:
            add("funding_shares", False, str(err))

        try:
            cash = self.cash_flow_result()
            months = len(cash.table)
            ok = months >= self.period_months
            values = {"months": months, "period": self.period_months,
                      "more": self.period_months - months}
            add("cash_period", ok,
                _("the cash plan runs {months} months; {period} are asked").format(**values)
                if ok else
                _("the cash plan runs {months} months; {period} are asked: plan {more} "
                  "more").format(**values))
            within = cash.table[cash.table["month"] <= self.period_months]
            lowest = float(within["closing"].min())
            below = within[within["closing"] < 0]
            if below.empty:
                add("cash_balance", True, _("the lowest closing balance is {amount}").format(
                    amount=eur(lowest)))
            else:
                first = int(below["month"].iloc[0])
                add("cash_balance", False, _("the balance is below zero from month {month} "
                                             "(lowest {amount}): add a bridging loan, a reserve "
                                             "or an earlier tranche").format(
                    month=first, amount=eur(lowest)))
        except (ValueError, TypeError) as err:
            add("cash_period", False, str(err))
            add("cash_balance", False, _("no cash plan to check: {error}").format(error=err))

        if self.pitch is None:
            add("pitch", False, _("the plan has no pitch yet (module m07)"))
        else:
            report = self.pitch.check(sroi_res, be_result)
            more = len(report.problems) - 3
            add("pitch", report.ok, _("the pitch passes every structure check") if report.ok
                else "; ".join(report.problems[:3])
                + (_(" (and {count} more)").format(count=more) if more > 0 else ""))
        self._check_amounts(add, be_result)
        self._check_revenue(add, be_result)
        conflicts = self.asset_conflicts()
        add("assets", not conflicts,
            _("no asset is said to be both bought and leased") if not conflicts else
            "; ".join(_("'{asset}' is bought in {bought_in} but leased or rented in "
                        "{leased_in}: choose one and say the same everywhere").format(**c)
                      for c in conflicts))
        return PlanCheck(pd.DataFrame(rows, columns=["check", "what", "ok", "message"]))

    # ------------------------------------------------------------------ cross-section checks

    def texts(self) -> list[tuple[str, str]]:
        """Every text of the plan as ``(where, text)`` pairs, e.g. ``("the pitch (ask)",
        "We ask ...")``: the problem, the idea, personas, prototype plan, canvas blocks,
        theory-of-change items and pitch parts."""
        found = [(_("the wicked problem"), self.wicked_problem),
                 (_("the wild idea"), self.wild_idea),
                 (_("the prototype plan"), self.prototype_plan)]
        found += [(_("persona {name}").format(name=p.get("name")), str(p.get("description", "")))
                  for p in self.personas]
        if self.canvas is not None:
            found += [(_("the canvas ({block})").format(block=block.shown_title),
                       _inline(self.canvas[block.id]))
                      for block in self.canvas.BLOCKS]
        if self.theory_of_change is not None:
            for stage in (*TheoryOfChange.STAGES, "preconditions", "assumptions"):
                label = _("the theory of change ({stage})").format(
                    stage=_(_STAGES[stage]) if stage in _STAGES else stage)
                found += [(label, item) for item in self.theory_of_change.items(stage)]
        if self.pitch is not None:
            found += [(_("the pitch ({part})").format(part=p.shown_title), self.pitch[p.id])
                      for p in self.pitch.PARTS]
        return [(where, text) for where, text in found if text]

    def source_amounts(self) -> dict:
        """Each funding-mix source's amount in EUR a year (share × ``yearly_revenue``); empty
        when the plan gives no ``yearly_revenue``."""
        if self.yearly_revenue is None:
            return {}
        return {source: float(share) * self.yearly_revenue
                for source, share in self.funding_mix.items()
                if isinstance(share, (int, float)) and not isinstance(share, bool)}

    def grant_amounts(self) -> list[tuple[str, float]]:
        """The grant and subsidy amounts the plan states, as ``(where, EUR)`` pairs: the
        break-even subsidy, each source of type "subsidy" and their total (with
        ``yearly_revenue``), each cash tranche of the first year and their total."""
        found = []
        subsidy = self.break_even_inputs.get("subsidy")
        if isinstance(subsidy, (int, float)) and not isinstance(subsidy, bool):
            found.append((_("the break-even subsidy"), float(subsidy)))
        amounts = self.source_amounts()
        subsidies = [(s, a) for s, a in amounts.items() if self.funding_types.get(s) == "subsidy"]
        found += [(_("the funding mix ({source})").format(source=s), a) for s, a in subsidies]
        if subsidies:
            found.append((_("the funding mix (all subsidies)"),
                          math.fsum(a for _s, a in subsidies)))
        tranches = self.cash_plan.get("tranches") or {}
        if isinstance(tranches, dict):
            first_year = [(m, float(v)) for m, v in tranches.items()
                          if isinstance(m, int) and 1 <= m <= 12
                          and isinstance(v, (int, float)) and not isinstance(v, bool)]
            found += [(_("the cash plan (month {month})").format(month=m), v)
                      for m, v in first_year]
            if first_year:
                found.append((_("the cash plan (all tranches of year 1)"),
                              math.fsum(v for _m, v in first_year)))
        return found

    def written_grants(self) -> list[tuple[str, float]]:
        """The money amounts written in the plan's texts next to the word grant or subsidy
        (within four words before or after), as ``(where, EUR)`` pairs. An amount written
        the Belgian way (``€40.000``) or with ``k`` is read as people mean it."""
        found = []
        for where, text in self.texts():
            for match in _MONEY.finditer(text):
                before = text[:match.start()].lower().split()[-4:]
                after = text[match.end():].lower().split()[:4]
                if not any(g in word for word in before + after for g in GRANT_WORDS):
                    continue
                values = _readings(match.group(1))
                if match.group(2):
                    values = {v * 1000 for v in values}
                whole = [v for v in values if v >= 1]
                if whole:
                    found.append((where, max(whole)))
        return found

    def _check_amounts(self, add, be_result) -> None:
        problems, compared = [], []
        unit = self._unit_text()

        def same(a: float, b: float) -> bool:
            return abs(a - b) <= max(AMOUNT_REL_TOLERANCE * max(abs(a), abs(b)), 0.01)

        amounts = self.source_amounts()
        subsidy = self.break_even_inputs.get("subsidy")
        if amounts and self.unit_source and isinstance(subsidy, (int, float)):
            lump = math.fsum(a for s, a in amounts.items() if s != self.unit_source)
            compared.append(_("lump sums"))
            if not same(lump, float(subsidy)):
                problems.append(_(
                    "the break-even inputs count {subsidy} of lump sums (subsidy), but the "
                    "funding mix gives {lump} a year from the sources other than {source} "
                    "({revenue} × their shares)").format(
                    subsidy=eur(subsidy), lump=eur(lump), source=repr(self.unit_source),
                    revenue=eur(self.yearly_revenue)))
        price = self.break_even_inputs.get("price")
        if (amounts and self.unit_source and self.planned_units is not None
                and isinstance(price, (int, float))):
            planned = self.planned_units * float(price)
            compared.append(_("per-unit revenue"))
            if not same(planned, amounts[self.unit_source]):
                problems.append(_(
                    "{units} planned {unit} × {price} is {planned}, but the funding mix gives "
                    "{source} {amount}").format(
                    units=number_text(self.planned_units, ",.0f"), unit=unit, price=eur(price),
                    planned=eur(planned), source=repr(self.unit_source),
                    amount=eur(amounts[self.unit_source])))
        known = self.grant_amounts()
        written = self.written_grants()
        if written:
            compared.append(_("grants in the texts"))
        for where, value in written:
            if not any(same(value, amount) for _w, amount in known):
                stated = ", ".join(f"{eur(a)} ({w})" for w, a in known) or _("none")
                problems.append(_("{where} writes a grant or subsidy of {amount}, which is not "
                                  "one of the plan's grant or subsidy amounts: {stated}").format(
                    where=where, amount=eur(value), stated=stated))
        if problems:
            add("same_amounts", False, "; ".join(problems))
        elif compared:
            add("same_amounts", True, _("compared: {compared}; they agree").format(
                compared=", ".join(compared)))
        else:
            add("same_amounts", True, _("nothing to compare yet: give yearly_revenue and "
                                        "unit_source to compare the funding mix with the "
                                        "break-even inputs"))

    def _check_revenue(self, add, be_result) -> None:
        if be_result is None:
            add("revenue_break_even", True, _("not compared: there is no break-even point yet"))
            return
        unit = self._unit_text()
        price = self.break_even_inputs.get("price")
        needed = be_result.units_rounded
        found = []
        amounts = self.source_amounts()
        if amounts and self.unit_source and isinstance(price, (int, float)) and price > 0:
            found.append((_("the funding mix's {source}").format(source=repr(self.unit_source)),
                          amounts[self.unit_source] / float(price)))
        if self.planned_units is not None:
            found.append((_("the planned units"), self.planned_units))
        if not found:
            add("revenue_break_even", True, _("not compared: give unit_source and "
                                              "yearly_revenue, or planned_units, to compare "
                                              "your revenue with the break-even point"))
            return
        short = [(where, units) for where, units in found if units + 1e-9 < needed]
        if short:
            add("revenue_break_even", False, "; ".join(
                _("{where} pays for {units} {unit} a year, below the break-even point of "
                  "{needed} {unit}: the plan loses money at the revenue it states").format(
                    where=where, units=number_text(units, ",.0f"), unit=unit,
                    needed=number_text(needed, ",.0f"))
                for where, units in short))
        else:
            add("revenue_break_even", True, _(
                "{found}, at or above the break-even point of {needed}").format(
                found="; ".join(_("{where}: {units} {unit} a year").format(
                    where=where, units=number_text(units, ",.0f"), unit=unit)
                    for where, units in found),
                needed=number_text(needed, ",.0f")))

    def asset_conflicts(self) -> list[dict]:
        """Assets the texts say are bought in one place and leased or rented in another.

        A word after *buy/bought/purchase* (skipping articles and adjectives such as *a*,
        *converted*) or just before it (*bus lease*) is taken as the asset; plurals count as
        the singular (*buses* = *bus*).

        Returns:
            One dictionary per asset: ``{"asset", "bought_in", "leased_in"}`` (where each
            was said).
        """
        bought, leased = {}, {}
        for where, text in self.texts():
            words = re.findall(r"[a-zA-Z][a-zA-Z-]*", text.lower())
            for i, word in enumerate(words):
                target = (bought if word in BUY_WORDS else leased if word in LEASE_WORDS
                          else None)
                if target is None:
                    compound = _compound(word)
                    if compound is not None:
                        kind, asset = compound
                        (bought if kind == "buy" else leased).setdefault(asset, where)
                    continue
                objects = []
                for before in reversed(words[max(0, i - 3):i]):
                    if before in _STOP or before in BUY_WORDS or before in LEASE_WORDS:
                        break
                    if before not in _SKIP:
                        objects.append(before)
                        break
                for follower in words[i + 1:i + 5]:
                    if follower in _STOP:
                        break
                    if follower not in _SKIP:
                        objects.append(follower)
                        break
                for obj in objects:
                    target.setdefault(obj, where)
        conflicts = []
        for asset, where in bought.items():
            match = next((w for w in leased if _forms(w) & _forms(asset)), None)
            if match is not None:
                conflicts.append({"asset": min(_forms(match) & _forms(asset), key=len),
                                  "bought_in": where,
                                  "leased_in": leased[match]})
        return conflicts

    # ------------------------------------------------------------------ views

    def __repr__(self) -> str:
        missing = len(self.missing_parts())
        return (f"CapstonePlan(title={self.title!r}, "
                + (_("complete") if not missing
                   else _("{count} part(s) missing").format(count=missing)) + ")")

    def to_markdown(self) -> str:
        """The whole plan as one Markdown document (paste it into a report or an answer cell).

        Sections: the wicked problem and the wild idea; stakeholders; personas and prototype
        plan; the canvas; money (break-even, funding mix, cash); theory of change and SROI;
        the pitch; the consistency checks.
        """
        heading = _("Capstone plan")
        lines = [f"# {heading}: {self.title}" if self.title else f"# {heading}", ""]

        def section(title, *body):
            lines.extend([f"## {title}", "", *body, ""])

        def item(label, text):
            return f"- **{label}:** {text}"

        none = _("*(not filled in yet)*")
        empty = _("*(empty)*")
        unit = self._unit_text()
        section(_("1. The wicked problem"), self.wicked_problem or none)
        section(_("2. The wild idea"), self.wild_idea or none)
        try:
            table = self.stakeholder_table()
            header = _("| stakeholder | power | interest | quadrant |")
            rows = [header, "|---|---|---|---|"]
            rows += [f"| {r.stakeholder} | {number_text(r.power, 'g')} | "
                     f"{number_text(r.interest, 'g')} | {_quadrant_text(r.quadrant)} |"
                     for r in table.itertuples()]
        except (ValueError, TypeError) as err:
            rows = [none if not self.stakeholders
                    else _("*(cannot place them: {error})*").format(error=err)]
        section(_("3. Stakeholders (power/interest grid, module m02)"), *rows)
        personas = [f"- **{p['name']}**" + (f": {p['description']}" if p.get("description")
                                             else "") for p in self.personas] or [none]
        prototype = _("Prototype plan.")
        section(_("4. Personas and prototype plan (module m03)"), *personas, "",
                f"**{prototype}** {self.prototype_plan or none}")
        if self.canvas is None:
            canvas_lines = [none]
        else:
            canvas_lines = [item(block.shown_title, _inline(self.canvas[block.id]) or empty)
                            for block in self.canvas.BLOCKS]
        section(_("5. Social Business Model Canvas (module m04)"), *canvas_lines)

        money = []
        try:
            be = self.break_even_result()
            money.append(item(_("Break-even"), _(
                "{units} {unit} a year (exactly {exact}); contribution margin {margin} per "
                "unit.").format(units=number_text(be.units_rounded, ",.0f"), unit=unit,
                                exact=number_text(be.units, ",.2f"),
                                margin=eur(be.contribution_margin))))
        except (ValueError, TypeError) as err:
            money.append(item(_("Break-even"), f"*{err}*"))
        if self.funding_mix:
            shares = ", ".join(f"{s} {number_text(float(v), '.0%')} "
                               f"({self.funding_types.get(s, 'other')})"
                               if isinstance(v, (int, float)) else f"{s} {v!r}"
                               for s, v in self.funding_mix.items())
            money.append(item(_("Funding mix"), f"{shares}."))
        try:
            cash = self.cash_flow_result()
            first = cash.first_negative_month
            values = {"months": len(cash.table), "month": first,
                      "lowest": eur(float(cash.table["closing"].min()))}
            money.append(item(_("Cash plan"), (
                _("{months} months; lowest closing balance {lowest}; never below zero.")
                if first is None else
                _("{months} months; lowest closing balance {lowest}; below zero from month "
                  "{month}.")).format(**values)))
        except (ValueError, TypeError) as err:
            money.append(item(_("Cash plan"), f"*{err}*"))
        section(_("6. Money: break-even, funding mix and cash (modules m04 and m05)"), *money)

        impact_lines = []
        if self.theory_of_change is not None:
            for stage in ("inputs", "activities", "outputs", "outcomes", "impact",
                          "preconditions", "assumptions"):
                items = self.theory_of_change.items(stage)
                impact_lines.append(item(stage_name(stage),
                                         "; ".join(items) if items else empty))
        else:
            impact_lines.append(item(_("Theory of change"), none))
        try:
            result = self.sroi_result()
            impact_lines.append(item(_("Forecast SROI"), _(
                "{ratio} : 1 (present value {present_value} for an investment of {investment}; "
                "{outcomes} outcome(s), discount rate {rate}).").format(
                ratio=number_text(result.ratio, ".2f"), present_value=eur(result.present_value),
                investment=eur(result.investment), outcomes=len(self.outcomes),
                rate=number_text(result.discount_rate, ".1%"))))
        except (ValueError, TypeError) as err:
            impact_lines.append(item(_("Forecast SROI"), f"*{err}*"))
        section(_("7. Theory of change and forecast SROI (module m06)"), *impact_lines)

        if self.pitch is None:
            section(_("8. The pitch (module m07)"), none)
        else:
            section(_("8. The pitch (module m07)"),
                    *[f"**{n}. {p.shown_title}.** {self.pitch[p.id] or empty}\n"
                      for n, p in enumerate(self.pitch.PARTS, start=1)])
        section(_("Consistency checks"), *[f"- {line}" for line in self.check().lines()])
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    # ------------------------------------------------------------------ saving and loading

    def to_dict(self) -> dict:
        """The plan as a plain dictionary, ready for JSON (canvas, theory of change and pitch
        as their own dictionaries, outcomes as dictionaries of their fields)."""
        cash = dict(self.cash_plan)
        if isinstance(cash.get("tranches"), dict):
            cash["tranches"] = {str(k): v for k, v in cash["tranches"].items()}
        be_inputs = dict(self.break_even_inputs)
        if isinstance(be_inputs.get("tariffs"), dict):
            be_inputs["tariffs"] = {k: list(v) if isinstance(v, tuple) else v
                                    for k, v in be_inputs["tariffs"].items()}
        return {
            "kind": KIND, "version": FORMAT_VERSION,
            "title": self.title, "wicked_problem": self.wicked_problem,
            "wild_idea": self.wild_idea, "stakeholders": self.stakeholders,
            "personas": self.personas, "prototype_plan": self.prototype_plan,
            "canvas": self.canvas.to_dict() if self.canvas is not None else None,
            "break_even_inputs": be_inputs, "unit": self.unit,
            "funding_mix": self.funding_mix, "funding_types": self.funding_types,
            "cash_plan": cash, "period_months": self.period_months,
            "theory_of_change": (self.theory_of_change.to_dict()
                                 if self.theory_of_change is not None else None),
            "outcomes": [dataclasses.asdict(o) for o in self.outcomes],
            "investment": self.investment, "discount_rate": self.discount_rate,
            "pitch": self.pitch.to_dict() if self.pitch is not None else None,
            "quoted": self.quoted,
            "yearly_revenue": self.yearly_revenue, "unit_source": self.unit_source,
            "planned_units": self.planned_units,
        }

    @classmethod
    def from_dict(cls, data: dict) -> CapstonePlan:
        """Make a plan from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` is not a dictionary, or a part has the wrong type.
            ValueError: the ``"kind"`` is not ``"capstone-plan"``, the version is newer than
                this welfarelab reads, or a key is unknown.
        """
        if not isinstance(data, dict):
            raise TypeError(_("A capstone plan must be read from a dictionary (JSON object), "
                              "but this is a {type}.").format(type=type(data).__name__))
        if data.get("kind") != KIND:
            raise ValueError(_("This is not a capstone plan: its \"kind\" is {kind}, expected "
                               "{expected}.").format(kind=repr(data.get("kind")),
                                                     expected=repr(KIND)))
        version = data.get("version", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(_("The \"version\" must be a whole number from 1, not "
                               "{version}.").format(version=repr(version)))
        if version > FORMAT_VERSION:
            raise ValueError(_("This plan was saved by a newer welfarelab (format version "
                               "{version}); this one reads up to version {newest}.").format(
                version=version, newest=FORMAT_VERSION))
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = [k for k in data if k not in ("kind", "version", *names)]
        if unknown:
            raise ValueError(_("Unknown key(s) {keys} in a capstone plan.").format(
                keys=", ".join(map(repr, unknown))))
        values = {k: v for k, v in data.items() if k in names}
        tariffs = (values.get("break_even_inputs") or {}).get("tariffs")
        if isinstance(tariffs, dict):
            values["break_even_inputs"] = dict(values["break_even_inputs"])
            values["break_even_inputs"]["tariffs"] = {
                k: tuple(v) if isinstance(v, list) else v for k, v in tariffs.items()}
        return cls(**values)

    def to_json(self) -> str:
        """The plan as JSON text (UTF-8 characters kept, indented)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CapstonePlan:
        """Read a plan from JSON text made by :meth:`to_json`.

        Raises:
            ValueError: not valid JSON, or not a plan. TypeError: ``text`` is not text.
        """
        if not isinstance(text, str):
            raise TypeError(_("from_json needs the JSON as a text, not a {type}.").format(
                type=type(text).__name__))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(_("This is not a capstone-plan file: it is not valid JSON (the "
                               "problem is at line {line}, column {column}).").format(
                line=error.lineno, column=error.colno)) from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Save the plan as a JSON file (UTF-8), replacing the file if it exists. On Binder,
        download the file afterwards (right-click it in the file browser, *Download*).

        Args:
            path: file name or path, e.g. ``"my-capstone-plan.json"``.

        Returns:
            The path written, as a ``pathlib.Path``.

        Raises:
            TypeError: ``path`` is not a file name. OSError: the folder cannot be written.
        """
        path = _as_path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> CapstonePlan:
        """Read a plan saved with :meth:`save` (upload it first on Binder).

        Raises:
            ValueError: the file is not valid JSON or not a plan; the message names the file.
            FileNotFoundError: there is no such file. TypeError: ``path`` is not a file name.
        """
        path = _as_path(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            return cls.from_json(text)
        except (TypeError, ValueError) as error:
            raise ValueError(_("Cannot load {path}: {error}").format(path=repr(str(path)),
                                                                       error=error)) from None


def _as_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(_("path must be a file name such as 'my-capstone-plan.json', not "
                          "{path}.").format(path=repr(path)))
    return Path(path)


def save_and_offer(plan: CapstonePlan, filename: str = "my-capstone-plan.json"):
    """Save ``plan`` next to the notebook and offer it as a download, in plain words.

    For a notebook cell: ``save_and_offer(my_plan, "my-capstone-plan.json")`` as the last line
    shows "Saved your plan ... " and a link that downloads the same JSON from the browser (it
    works on Binder too, where files disappear when the session ends). When the folder cannot
    be written, it says so and still offers the link.

    Args:
        plan: the :class:`CapstonePlan` to save (your own ``my_plan``, not the example).
        filename: a file name ending in ``.json`` (added when missing), without a folder.

    Returns:
        An ``IPython.display.HTML`` object (shown as the last line of a cell).

    Raises:
        TypeError: ``plan`` is not a CapstonePlan (for example still None), or the file name
            is not text. ValueError: the file name is empty or holds a folder.
    """
    import html

    from IPython.display import HTML

    from .widgets._base import download_link

    if not isinstance(plan, CapstonePlan):
        raise TypeError(_("save_and_offer needs your plan made with CapstonePlan(...), not "
                          "{type}: run the cell that makes my_plan first.").format(
            type=type(plan).__name__))
    if not isinstance(filename, str):
        raise TypeError(_("The file name must be text in quotes, such as "
                          "'my-capstone-plan.json', not {filename}.").format(
            filename=repr(filename)))
    name = filename.strip()
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(_("Type only a file name, such as 'my-capstone-plan.json', without a "
                           "folder. You typed {filename}.").format(filename=repr(filename)))
    if not name.lower().endswith(".json"):
        name += ".json"
    text = plan.to_json()
    try:
        path = plan.save(name)
        said = _("Saved your plan as {name} in the folder of this notebook ({folder}). Bring "
                 "it back later with CapstonePlan.load(\"{name}\"). On Binder, also click the "
                 "link to download it: files there disappear when the session ends.").format(
            name=name, folder=path.resolve().parent)
    except OSError as err:
        said = _("Could not write {name} in this folder ({error}): click the link to download "
                 "your plan instead.").format(name=name, error=err.strerror or err)
    link = download_link(text.encode("utf-8"), name, style="font-weight:bold")
    return HTML(f"<div style='line-height:1.4'>{html.escape(said)}<br>{link}</div>")
