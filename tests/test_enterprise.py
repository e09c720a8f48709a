"""welfarelab.enterprise: the EMES and EU definitions and the VZW / CV-SO comparison.

Oracles come from the sources the module names: the nine EMES indicators in three groups of
three (emes.net, Defourny & Nyssens 2012), the three SBI dimensions (COM(2011) 682), WVV
art. 1:2 (no asset benefit to members of a VZW) and the 6 % cap of a CV recognised as a social
enterprise (FOD Economie; Febecoop).
"""

import pandas as pd
import pytest

from welfarelab import enterprise as e

ALL_EMES = [c.key for c in e.EMES_INDICATORS]


def test_emes_has_nine_indicators_three_per_dimension():
    assert len(e.EMES_INDICATORS) == 9
    for dim in e.EMES_DIMENSIONS:
        assert sum(c.dimension == dim for c in e.EMES_INDICATORS) == 3
    assert len({c.key for c in e.EMES_INDICATORS}) == 9
    assert all("EMES" in c.source for c in e.EMES_INDICATORS)


def test_emes_profile_counts_per_dimension():
    # a work-integration VZW started by a parents' association, with a board chosen by
    # capital-free vote but no participation of trainees: 8 of 9
    answers = dict.fromkeys(ALL_EMES, True)
    answers["participation"] = False
    p = e.emes_profile(answers)
    assert p.per_dimension == {"economic": (3, 3), "social": (3, 3), "governance": (2, 3)}
    assert p.not_met == ("participation",)
    assert len(p.met) == 8
    assert p.sentence() == "economic 3 of 3 · social 3 of 3 · governance 2 of 3"
    none = e.emes_profile(dict.fromkeys(ALL_EMES, False))
    assert none.per_dimension == {d: (0, 3) for d in e.EMES_DIMENSIONS}
    assert none.met == ()


def test_emes_profile_errors_name_the_field():
    with pytest.raises(ValueError, match="incomplete.*'paid work'"):
        e.emes_profile({k: True for k in ALL_EMES if k != "paid work"})
    with pytest.raises(ValueError, match="'profit' is not one of the EMES indicators"):
        e.emes_profile({**dict.fromkeys(ALL_EMES, True), "profit": True})
    with pytest.raises(TypeError, match="'autonomy' must be True or False"):
        e.emes_profile({**dict.fromkeys(ALL_EMES, True), "autonomy": "yes"})
    with pytest.raises(TypeError, match="dictionary"):
        e.emes_profile(["autonomy"])


def test_eu_profile_three_dimensions():
    assert [c.key for c in e.EU_CRITERIA] == ["social objective", "profits reinvested",
                                               "mission in governance"]
    p = e.eu_profile({"social objective": True, "profits reinvested": True,
                      "mission in governance": False})
    assert p.not_met == ("mission in governance",)
    assert p.per_dimension["governance"] == (0, 1)


def test_legal_forms_every_row_has_a_source():
    table = e.legal_forms()
    assert list(table.columns) == ["topic", "VZW/ASBL", "CV-SO", "source"]
    assert len(table) == len(e.RULES)
    assert table["source"].str.len().gt(10).all()
    row = table.set_index("topic").loc["paying members out of the profit"]
    assert "forbidden" in row["VZW/ASBL"] and "art. 1:2" in row["source"]
    assert "6 %" in row["CV-SO"]
    votes = table.set_index("topic").loc["votes"]
    assert "one tenth" in votes["CV-SO"] and votes["VZW/ASBL"] == e.NO_RULE


def test_max_distribution_oracles():
    # VZW: WVV art. 1:2, nothing to members, whatever the capital
    assert e.max_distribution("VZW/ASBL", 40_000) == 0.0
    # CV-SO: 6 % of the paid-in amount (FOD Economie; Febecoop)
    assert e.max_distribution("CV-SO", 40_000) == 2_400.0
    assert e.max_distribution("cv-so", 12_345.67) == 740.74   # 740.7402 → cents
    assert e.max_distribution("CV-SO", 0) == 0.0
    assert e.CV_SO_RATE_CAP == 0.06


def test_max_distribution_errors():
    with pytest.raises(ValueError, match="paid_in_capital .* cannot be negative"):
        e.max_distribution("CV-SO", -1)
    with pytest.raises(TypeError, match="must be a number"):
        e.max_distribution("CV-SO", "40000")
    with pytest.raises(ValueError, match="form 'BV' is not known"):
        e.max_distribution("BV", 100)
    with pytest.raises(TypeError, match="form must be a text"):
        e.max_distribution(None, 100)


def test_form_fit_and_choice():
    needs = ["sell goods or services without limit",
             "pay members a return on the money they put in"]
    table = e.form_fit(needs)
    assert isinstance(table, pd.DataFrame)
    assert table["VZW/ASBL"].tolist() == ["yes", "no"]
    assert table["CV-SO"].tolist() == ["yes", "yes"]
    assert e.forms_allowing(needs) == ["CV-SO"]
    # a need neither form allows
    assert e.forms_allowing(["pay members a return above 6 % a year"]) == []
    # unknown in the sources read for the VZW: not counted as allowed
    assert e.form_fit(["pay the directors a salary for their mandate"])["VZW/ASBL"].iloc[0] \
        == "check the statutes"
    assert e.forms_allowing(["sell goods or services without limit"]) == ["VZW/ASBL", "CV-SO"]
    # every need follows a documented rule
    topics = {r.topic for r in e.RULES}
    assert all(topic in topics for _, _, topic in e.NEEDS.values())


def test_form_fit_errors():
    with pytest.raises(TypeError, match="list of texts"):
        e.form_fit("sell goods or services without limit")
    with pytest.raises(ValueError, match="empty"):
        e.form_fit([])
    with pytest.raises(ValueError, match="'make money' is not one of the needs"):
        e.form_fit(["make money"])
    with pytest.raises(TypeError, match="text in quotes"):
        e.form_fit([3])


def test_widget_is_a_thin_view():
    from welfarelab.widgets.enterprise import SocialEnterpriseExplorer

    ex = SocialEnterpriseExplorer(emes=dict.fromkeys(ALL_EMES, True),
                                  needs=["pay members a return on the money they put in"])
    assert ex.profile == e.emes_profile(dict.fromkeys(ALL_EMES, True))
    assert "CV-SO" in ex.choice.value and "€2,400.00" in ex.choice.value
    ex.emes["participation"].value = False
    assert ex.profile.not_met == ("participation",)
    ex.capital.value = "-5"
    assert "cannot be negative" in ex.message.value
    ex.capital.value = "10000"
    assert ex.message.value == "" and "€600.00" in ex.choice.value
    ex.needs["pay members a return on the money they put in"].value = False
    assert ex.fit is None and "Tick at least one need" in ex.choice.value
