"""What a social enterprise is, and a worked choice between two Belgian legal forms (module m01).

Three parts, each rule with the source it comes from (the sources were read for the course;
where no source was found for a rule, the rule is left out and the table says so):

1. **The EMES ideal type** (:data:`EMES_INDICATORS`): nine indicators in three dimensions
   (economic and entrepreneurial, social, participatory governance), as the EMES International
   Research Network lists them (EMES, "Focus areas: social enterprise", emes.net; Defourny &
   Nyssens 2012, *The EMES approach of social enterprise in a comparative perspective*, EMES
   Working Paper 12/03). EMES stresses that the indicators are an ideal type, "a compass",
   not conditions an organisation must meet: :func:`emes_profile` therefore counts and lists,
   it never says "is" or "is not a social enterprise".
2. **The EU operational definition** (:data:`EU_CRITERIA`): the three dimensions of the
   Commission's Social Business Initiative (COM(2011) 682), repeated in the Social Economy
   Action Plan (COM(2021) 778, p. 5): a social or societal objective as the reason for the
   commercial activity; profits mainly reinvested to achieve it; an organisation or ownership
   that reflects the mission (democratic or participatory principles, or a focus on social
   justice). :func:`eu_profile` lists which ones a description meets.
3. **Two Belgian legal forms** under the Code of Companies and Associations (WVV/CSA): the
   non-profit association (VZW/ASBL) and the cooperative company recognised as a social
   enterprise (CV erkend als sociale onderneming, "CV-SO"). :func:`legal_forms` is the
   comparison table, :func:`form_fit` the worked choice for an organisation's needs, and
   :func:`max_distribution` the most a form may pay its members out of a year's profit.

Sources of the legal rules (each rule names its own):

* WVV art. 1:2 (definition of the association), quoted by Scwitch, "Wat is een vzw?"
  (scwitch.be/kennisbank/wat-is-een-vzw) and Vlaamse Sportfederatie, "Wat is een vereniging
  zonder winstoogmerk?"; unlimited economic activity: Lexgo, "Onbeperkte economische
  activiteiten in de vzw" (2018) and Scwitch (2019).
* WVV art. 8:5 and art. 6 of the Royal Decree of 28 June 2019: FOD Economie, "Erkenning als
  sociale onderneming" / "Recognition as a social enterprise" (economie.fgov.be); the full list
  of conditions: Cera, "Hoe word je een 'sociale onderneming'?" (25 July 2019) and Coöperatief
  Vlaanderen / Febecoop, "Erkenning als sociale onderneming? Dit zijn de criteria voor
  coöperaties"; the 6 % cap: Febecoop and Coöperatief Vlaanderen (the FOD page names "the
  interest rate set by the King under the law of 20 July 1955"). The rate applies to the
  amount actually paid in on the shares (Royal Decree of 8 January 1962, art. 1 § 2, 6°).
* The cooperative company (WVV art. 6:1; the former CVBA, with limited liability, continues as
  the CV): Schoups, "De coöperatieve vennootschap".

Everything here is pure: no printing, no widgets, no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .i18n import N_, _
from .money import to_cents
from .validation import non_negative

# --------------------------------------------------------------------------- definitions

EMES_SOURCE = ("EMES International Research Network, 'Focus areas: social enterprise' "
               "(emes.net/focus-areas); Defourny & Nyssens (2012), EMES Working Paper 12/03")
EU_SOURCE = ("European Commission (2011), Social Business Initiative, COM(2011) 682; "
             "European Commission (2021), Social Economy Action Plan, COM(2021) 778, p. 5")


@dataclass(frozen=True)
class Criterion:
    """One indicator or criterion of a definition.

    Attributes:
        key: short name to answer with, e.g. ``"economic risk"`` (an id, English).
        dimension: the group it belongs to, e.g. ``"economic"`` (an id; ``_(DIMENSION_LABEL[d])``
            is its name for people).
        text: what it says, in the course's words (English, marked for the catalog: show it
            with ``_(text)``).
        source: where it comes from.
    """

    key: str
    dimension: str
    text: str
    source: str


#: The nine EMES indicators, three per dimension, in EMES's order (a to i).
EMES_INDICATORS: tuple[Criterion, ...] = tuple(Criterion(k, d, t, EMES_SOURCE) for k, d, t in (
    ("continuous activity", "economic",
     N_("a continuous activity that produces goods or sells services")),
    ("economic risk", "economic", N_("a significant level of economic risk")),
    ("paid work", "economic", N_("a minimum amount of paid work")),
    ("community aim", "social", N_("an explicit aim to benefit the community")),
    ("citizen initiative", "social",
     N_("launched by a group of citizens or civil-society organisations")),
    ("limited profit distribution", "social", N_("a limited distribution of profit")),
    ("autonomy", "governance", N_("a high degree of autonomy")),
    ("power not based on capital", "governance",
     N_("decision-making power not based on capital ownership")),
    ("participation", "governance",
     N_("a participatory nature, involving various parties affected by the activity")),
))

#: The three dimensions of the EU operational definition.
EU_CRITERIA: tuple[Criterion, ...] = tuple(Criterion(k, d, t, EU_SOURCE) for k, d, t in (
    ("social objective", "social",
     N_("a social or societal objective is the reason for the commercial activity")),
    ("profits reinvested", "economic",
     N_("profits are mainly reinvested to achieve that objective")),
    ("mission in governance", "governance",
     N_("the organisation or ownership reflects the mission: democratic or participatory "
        "principles, or a focus on social justice")),
))

EMES_DIMENSIONS = ("economic", "social", "governance")

#: The dimensions' names for people: ``_(DIMENSION_LABEL[d])`` in the language in use.
DIMENSION_LABEL = {"economic": N_("economic"), "social": N_("social"),
                   "governance": N_("governance")}


@dataclass(frozen=True)
class Profile:
    """What :func:`emes_profile` and :func:`eu_profile` return.

    Attributes:
        met: the keys answered True, in the definition's order.
        not_met: the keys answered False, in the definition's order.
        per_dimension: ``{dimension: (met, total)}`` in the definition's order.
    """

    met: tuple[str, ...]
    not_met: tuple[str, ...]
    per_dimension: dict[str, tuple[int, int]]

    def sentence(self) -> str:
        """One line for people, e.g. ``"economic 3 of 3 · social 2 of 3 · governance 1 of 3"``
        (in Dutch ``"economisch 3 van 3 · ..."``)."""
        return " · ".join(_("{dimension} {met} of {total}").format(
            dimension=_(DIMENSION_LABEL.get(d, d)), met=m, total=t)
            for d, (m, t) in self.per_dimension.items())


def _profile(criteria: tuple[Criterion, ...], answers: Mapping[str, bool], what: str) -> Profile:
    if not isinstance(answers, Mapping):
        raise TypeError(_("{what} answers must be a dictionary {{indicator: True or False}}, "
                          "not {kind}.").format(what=what, kind=type(answers).__name__))
    keys = [c.key for c in criteria]
    unknown = [k for k in answers if k not in keys]
    if unknown:
        raise ValueError(_("{key} is not one of the {what} indicators. Use these names: "
                           "{names}.").format(key=repr(unknown[0]), what=what,
                                              names=", ".join(keys)))
    missing = [k for k in keys if k not in answers]
    if missing:
        raise ValueError(_("{what} answers are incomplete: give True or False for {keys}.")
                         .format(what=what, keys=", ".join(repr(k) for k in missing)))
    for k in keys:
        if not isinstance(answers[k], bool):
            raise TypeError(_("the answer for {key} must be True or False (no quotes), not "
                              "{value}.").format(key=repr(k), value=repr(answers[k])))
    dims: dict[str, list[int]] = {}
    for c in criteria:
        m_t = dims.setdefault(c.dimension, [0, 0])
        m_t[0] += answers[c.key]
        m_t[1] += 1
    return Profile(met=tuple(k for k in keys if answers[k]),
                   not_met=tuple(k for k in keys if not answers[k]),
                   per_dimension={d: (m, t) for d, (m, t) in dims.items()})


def emes_profile(answers: Mapping[str, bool]) -> Profile:
    """Place an organisation against the EMES ideal type of social enterprise.

    Args:
        answers: ``{indicator key: True or False}`` for all nine keys of
            :data:`EMES_INDICATORS` (e.g. ``{"continuous activity": True, ...}``): does the
            description of the organisation show that indicator?

    Returns:
        :class:`Profile`: indicators met and not met, and per dimension (economic, social,
        governance) how many of the three are met. It is a position on a map, not a verdict:
        EMES presents the indicators as an ideal type ("a compass"), not as conditions to meet
        (source: :data:`EMES_SOURCE`).

    Raises:
        TypeError: ``answers`` is not a dict, or an answer is not True/False.
        ValueError: a key is unknown or missing (the message lists the valid keys).
    """
    return _profile(EMES_INDICATORS, answers, "EMES")


def eu_profile(answers: Mapping[str, bool]) -> Profile:
    """Check a description against the three dimensions of the EU operational definition.

    Args:
        answers: ``{criterion key: True or False}`` for the three keys of :data:`EU_CRITERIA`.

    Returns:
        :class:`Profile` (source: :data:`EU_SOURCE`).

    Raises:
        TypeError / ValueError: as :func:`emes_profile`.
    """
    return _profile(EU_CRITERIA, answers, "EU")


# --------------------------------------------------------------------------- legal forms

VZW = "VZW/ASBL"
CV_SO = "CV-SO"
FORMS = (VZW, CV_SO)
#: Long names of the forms.
FORM_NAMES = {
    VZW: N_("non-profit association (vereniging zonder winstoogmerk / association sans but "
            "lucratif)"),
    CV_SO: N_("cooperative company recognised as a social enterprise (CV erkend als sociale "
              "onderneming / SC agréée comme entreprise sociale)"),
}

#: The cap on what a CV-SO may distribute to its shareholders: 6 % a year, on the amount actually
#: paid in on the shares (Febecoop and Coöperatief Vlaanderen: "nooit meer dan 6 % dividend";
#: FOD Economie: the rate the King sets under the law of 20 July 1955; Royal Decree of
#: 8 January 1962, art. 1 § 2, 6°, for the base).
CV_SO_RATE_CAP = 0.06

SRC_1_2 = N_("WVV art. 1:2, quoted by Scwitch, 'Wat is een vzw?' (scwitch.be) and Vlaamse "
             "Sportfederatie, 'Wat is een vereniging zonder winstoogmerk?'")
SRC_VZW_ECON = N_("Lexgo, 'Onbeperkte economische activiteiten in de vzw' (8 Nov 2018); Scwitch, "
                  "'Vereniging zonder winstoogmerk' (WVV since 1 May 2019)")
SRC_VZW_LIAB = N_("Vlaamse Sportfederatie, 'Wat is een vereniging zonder winstoogmerk?'")
SRC_FOD = N_("WVV art. 8:5 and Royal Decree of 28 June 2019, art. 6, as listed by FOD Economie, "
             "'Erkenning als sociale onderneming' (economie.fgov.be)")
SRC_CERA = N_("Royal Decree of 28 June 2019, art. 6, as listed by Cera, 'Hoe word je een sociale "
              "onderneming?' (25 July 2019) and Coöperatief Vlaanderen, 'De sociale onderneming: "
              "alle erkenningscriteria zijn gekend'")
SRC_CAP = N_("FOD Economie (rate set by the King under the law of 20 July 1955); Febecoop and "
             "Coöperatief Vlaanderen ('nooit meer dan 6 % dividend')")
SRC_CV = N_("WVV art. 6:1, as summarised by Schoups, 'De coöperatieve vennootschap'")
SRC_NAME = N_("Febecoop, 'Erkenning als sociale onderneming? Dit zijn de criteria voor coöperaties'")
NO_RULE = N_("no rule in the sources read for the course: check the statutes")


@dataclass(frozen=True)
class Rule:
    """One row of the comparison: a topic, what each form allows, and the sources.

    The texts are English, marked for the catalog (``_(text)`` shows them in the language in
    use); ``sources`` holds one citation per source, ``source`` joins them with "; ".
    """

    topic: str
    vzw: str
    cv_so: str
    sources: tuple[str, ...]

    @property
    def source(self) -> str:
        """The sources in one line (English), e.g. "WVV art. 1:2, ...; FOD Economie ..."."""
        return "; ".join(self.sources)


#: The comparison of the two forms, one documented rule per row.
RULES: tuple[Rule, ...] = (
    Rule(N_("purpose"),
         N_("a disinterested goal (belangeloos doel), pursued through the activities named in "
            "its statutes"),
         N_("mainly, in the general interest, a positive societal impact on people, the "
            "environment or society; the statutes must say that the object serves it"),
         (SRC_1_2, SRC_FOD)),
    Rule(N_("economic activity"),
         N_("allowed, of any kind and without limit, as long as the gain serves the "
            "disinterested goal"),
         N_("its normal business: a cooperative meets the needs of its shareholders or "
            "stakeholders and develops their economic and social activities"),
         (SRC_VZW_ECON, SRC_CV)),
    Rule(N_("paying members out of the profit"),
         N_("forbidden: no direct or indirect asset benefit to founders, members, directors or "
            "anyone else, except for the goal in the statutes; an act against this is void"),
         N_("allowed but capped: any asset benefit to shareholders at most the rate set under "
            "the law of 20 July 1955 (6 %) on the paid-in amount; a dividend only after an "
            "amount is reserved for projects that serve the object"),
         (SRC_1_2, SRC_CAP, SRC_CERA)),
    Rule(N_("a member who leaves"),
         N_("takes no share of the association's assets (no asset benefit to members)"),
         N_("receives at most the nominal value of the contribution actually made"),
         (SRC_1_2, SRC_CERA)),
    Rule(N_("votes"),
         NO_RULE,
         N_("no shareholder may vote with more than one tenth of the votes of the shares "
            "represented at the general meeting"),
         (SRC_CERA,)),
    Rule(N_("directors' pay"),
         NO_RULE,
         N_("unpaid, unless the general meeting grants a limited expense allowance or an "
            "attendance fee"),
         (SRC_CERA,)),
    Rule(N_("assets left at the end (liquidation)"),
         NO_RULE,
         N_("after debts and the repayment of the paid-in capital, the rest goes to an "
            "allocation as close as possible to the company's object"),
         (SRC_FOD,)),
    Rule(N_("personal liability"),
         N_("the VZW is a legal person: members and directors answer with their own assets "
            "only in limited, exceptional cases"),
         N_("limited: the CV continues the former CVBA, the cooperative with limited liability"),
         (SRC_VZW_LIAB, SRC_CV)),
    Rule(N_("how you get it"),
         N_("founded by an agreement between two or more persons, the members"),
         N_("a CV applies to the federal minister of economy (FOD Economie platform); granted "
            "for an indefinite period as long as the conditions are met; the name adds "
            "'erkend als sociale onderneming' (CV erkend als SO)"),
         (SRC_1_2, SRC_FOD, SRC_NAME)),
)


def legal_forms() -> pd.DataFrame:
    """The comparison table of the VZW/ASBL and the CV recognised as a social enterprise.

    Returns:
        DataFrame with one row per topic and the columns ``topic``, ``VZW/ASBL``, ``CV-SO`` and
        ``source`` (every rule names the law article or page it comes from; a cell says
        "no rule in the sources read ..." where the course found no source). The cells are
        in the language in use (the column names are the same in every language).
    """
    return pd.DataFrame([(_(r.topic), _(r.vzw), _(r.cv_so), "; ".join(_(s) for s in r.sources))
                         for r in RULES], columns=["topic", VZW, CV_SO, "source"])


#: Needs an organisation may have, and whether each form allows them: True (allowed), False
#: (not allowed) or None (no rule in the sources read). Each answer follows a row of RULES.
#: The keys are ids (English, what you pass to :func:`form_fit`); ``_(key)`` shows a need in the
#: language in use.
NEEDS: dict[str, tuple[bool | None, bool | None, str]] = {
    N_("sell goods or services without limit"): (True, True, "economic activity"),
    N_("pay members a return on the money they put in"): (False, True,
                                                          "paying members out of the profit"),
    N_("pay members a return above 6 % a year"): (False, False,
                                                  "paying members out of the profit"),
    N_("let a member who leaves take a share of the growth in value"): (False, False,
                                                                        "a member who leaves"),
    N_("let one member hold a majority of the votes"): (None, False, "votes"),
    N_("pay the directors a salary for their mandate"): (None, False, "directors' pay"),
    N_("keep members' personal assets out of the organisation's debts"): (True, True,
                                                                          "personal liability"),
}


def _form_key(form: str) -> str:
    if not isinstance(form, str):
        raise TypeError(_("form must be a text, one of {forms}; not {value}.").format(
            forms=", ".join(FORMS), value=repr(form)))
    for f in FORMS:
        if form.strip().lower() == f.lower():
            return f
    raise ValueError(_("form {value} is not known: use one of {forms}.").format(
        value=repr(form), forms=", ".join(repr(f) for f in FORMS)))


def form_fit(needs: Iterable[str]) -> pd.DataFrame:
    """The worked choice: which form allows each of an organisation's needs.

    Args:
        needs: keys of :data:`NEEDS` (an iterable of str, at least one).

    Returns:
        DataFrame with one row per need: ``need`` (the key, as given), ``VZW/ASBL`` and
        ``CV-SO`` (each "yes", "no" or "check the statutes" when the sources read give no rule)
        and ``rule`` (the topic of :func:`legal_forms` the answer follows); the answers and the
        topic in the language in use ("ja", "nee", "kijk de statuten na" in Dutch).

    Raises:
        TypeError: ``needs`` is a single text or holds a non-text.
        ValueError: no need is given, or a need is not in :data:`NEEDS` (the message lists them).
    """
    if isinstance(needs, str):
        raise TypeError(_("needs must be a list of texts, e.g. [{example}], not one text.")
                        .format(example='"sell goods or services without limit"'))
    needs = _checked_needs(needs)
    rows = []
    for need in needs:
        vzw, cv, topic = NEEDS[need]
        rows.append((need, _word(vzw), _word(cv), _(topic)))
    return pd.DataFrame(rows, columns=["need", VZW, CV_SO, "rule"])


def _checked_needs(needs) -> list[str]:
    needs = list(needs)
    if not needs:
        raise ValueError(_("needs is empty: give at least one need from NEEDS."))
    for need in needs:
        if not isinstance(need, str):
            raise TypeError(_("each need must be a text in quotes, not {value}.").format(
                value=repr(need)))
        if need not in NEEDS:
            raise ValueError(_("{need} is not one of the needs. Use these: {needs}.").format(
                need=repr(need), needs="; ".join(NEEDS)))
    return needs


#: The answers of :func:`form_fit`, for people (``_()`` where shown).
ANSWER = {True: N_("yes"), False: N_("no"), None: N_("check the statutes")}


def _word(allowed: bool | None) -> str:
    return _(ANSWER[allowed])


def forms_allowing(needs: Iterable[str]) -> list[str]:
    """The forms that allow *every* need for sure (a "check the statutes" counts as not sure).

    Args:
        needs: keys of :data:`NEEDS`, as for :func:`form_fit`.

    Returns:
        list of form names from :data:`FORMS` (possibly empty: then no form fits every need,
        and the organisation has to drop or change a need).

    Raises:
        TypeError / ValueError: as :func:`form_fit`.
    """
    if not isinstance(needs, str):
        needs = list(needs)
    form_fit(needs)  # checks the needs (and raises for a bad one)
    return [f for i, f in enumerate(FORMS) if all(NEEDS[n][i] is True for n in needs)]


def max_distribution(form: str, paid_in_capital) -> float:
    """The most a form may pay its members in a year out of its profit, in EUR.

    Args:
        form: ``"VZW/ASBL"`` or ``"CV-SO"`` (case does not matter).
        paid_in_capital: EUR actually paid in on the shares (0 or more). A VZW has no shares;
            its answer is 0 whatever the amount.

    Returns:
        EUR, rounded half-up to cents: 0.0 for a VZW/ASBL (WVV art. 1:2 forbids any asset
        benefit to members); ``paid_in_capital × 0.06`` for a CV-SO (:data:`CV_SO_RATE_CAP`,
        sources in :data:`SRC_CAP`). The cap is a ceiling: the general meeting may pay less,
        and only after reserving an amount for projects that serve the object.

    Raises:
        TypeError: ``form`` is not a text, or ``paid_in_capital`` not a number.
        ValueError: ``form`` is unknown, or ``paid_in_capital`` is negative.
    """
    key = _form_key(form)
    capital = non_negative(paid_in_capital, _("paid_in_capital (EUR paid in on the shares)"))
    if key == VZW:
        return 0.0
    return float(to_cents(capital * CV_SO_RATE_CAP))
