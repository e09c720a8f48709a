"""The capstone plan (welfarelab.capstone): consistency checks on a student's own numbers.

The plan is module m08's worked example (synthetic): a bus with peer experts that brings the
first GBO intake to the market square. Its figures, worked out by hand:

* break-even: (152,000 - 70,000) / (65 - 14) = 1,607.84 intakes, so 1,608;
* funding shares 0.65 + 0.10 + 0.20 + 0.05 = 1 of a yearly revenue of 200,000; subsidy
  dependency 0.20 + 0.05 = 0.25; the lump sums (every source but the intake contracts) are
  0.35 x 200,000 = 70,000, the break-even subsidy; 2,000 planned intakes x 65 = 130,000 =
  0.65 x 200,000;
* cash: 10,000 opening, 2,500 burnt a month, tranches of 30,000 (month 3), 10,000 (month 6) and
  10,000 (month 9): lowest closing balance 5,000 in month 2, 30,000 after month 12;
* forecast SROI of four outcomes on 180,000 at 3.5 %: 1.3561 : 1 (recomputed below by hand).

The module's first version of this example contradicted itself (a grant of 40,000 in the
break-even, 42,000 in the cash plan and 36,000 in the funding mix; intake revenue below the
break-even point; a bus bought in one place and leased in another) and passed every check:
``old_contradictory_plan`` keeps it, and the cross-section checks must catch it.
"""

import copy
import json

import pytest

from welfarelab.canvas import SocialBusinessModelCanvas
from welfarelab.capstone import CHECK_IDS, CapstonePlan, PlanCheck
from welfarelab.impact import Outcome, TheoryOfChange
from welfarelab.pitch import Pitch

CANVAS_TEXTS = {
    "key_resources": ["A converted minibus", "Two peer experts and a social worker"],
    "key_activities": ["Stops at markets and school gates", "First GBO intakes on the spot"],
    "partners_key_stakeholders": ["OCMW and CAW", "Health insurance funds"],
    "type_of_intervention": "Outreach: a mobile first intake",
    "beneficiary_segments": "Households who do not take up their rights",
    "customer_segments": ["Municipalities paying per intake", "A foundation"],
    "channels": ["The bus on fixed days", "Schools and food banks"],
    "social_value_proposition": "Rights taken up before debts pile up",
    "impact_measures": ["Rights taken up after a month"],
    "customer_value_proposition": "Reach the households the desks do not see",
    "cost_structure": ["Staff", "Bus lease and fuel"],
    "surplus": "A second route",
    "revenue": ["Intake contracts", "Foundation grant", "Provincial subsidy"],
}

OUTCOMES = [
    {"name": "rights taken up", "stakeholder": "households", "quantity": 120,
     "financial_proxy": 1200, "deadweight": 0.35, "attribution": 0.25, "drop_off": 0.10,
     "duration": 3},
    {"name": "arrears and debts avoided", "stakeholder": "households", "quantity": 40,
     "financial_proxy": 900, "deadweight": 0.30, "attribution": 0.30, "drop_off": 0.30,
     "duration": 2},
    {"name": "peer experts in paid work", "stakeholder": "peer experts", "quantity": 3,
     "financial_proxy": 6000, "deadweight": 0.20, "displacement": 0.10, "attribution": 0.20,
     "drop_off": 0.10, "duration": 3},
    {"name": "less time on late files", "stakeholder": "OCMW", "quantity": 120,
     "financial_proxy": 150, "deadweight": 0.20, "attribution": 0.20, "duration": 1},
]


def hand_sroi() -> float:
    """The SROI Guide's formulas, written out without the package."""
    yearly = [0.0, 0.0, 0.0]
    for o in OUTCOMES:
        impact = (o["quantity"] * o["financial_proxy"] * (1 - o.get("deadweight", 0))
                  * (1 - o.get("displacement", 0)) * (1 - o.get("attribution", 0)))
        for t in range(1, o["duration"] + 1):
            yearly[t - 1] += impact * (1 - o.get("drop_off", 0)) ** (t - 1)
    present = sum(v / 1.035 ** t for t, v in enumerate(yearly, start=1))
    return present / 180_000


PITCH = {
    "title": "The rights bus",
    "problem": ("Many households are entitled to help they never receive: a social energy "
                "tariff, a higher refund of health costs. They fall through the cracks."),
    "audience": "Households with unpaid bills; paid for by municipalities and OCMWs.",
    "solution": "A bus with peer experts brings the first GBO intake to the market square.",
    "impact": "Rights taken up before debts pile up. Forecast SROI: 1.36 : 1.",
    "business_model": ("Municipalities pay €65 an intake and a foundation grant of €40,000 "
                       "helps; we break even at 1,608 intakes a year."),
    "ask": "We ask three municipalities for a six-month pilot and an intake contract.",
    "figures": {"sroi_ratio": 1.36, "break_even_units": 1608},
}


def plan_data() -> dict:
    return {
        "title": "The rights bus",
        "wicked_problem": "Under-protection: entitled households do not take up their rights.",
        "wild_idea": "A bus with peer experts that brings the first GBO intake to the market.",
        "stakeholders": [
            {"stakeholder": "households with unpaid bills", "power": 2, "interest": 5},
            {"stakeholder": "OCMW social service", "power": 5, "interest": 4},
            {"stakeholder": "municipal council", "power": 5, "interest": 2},
        ],
        "personas": [{"name": "Nadia, 38", "description": "single mother, unpaid bills"}],
        "prototype_plan": "A market stand for four Saturdays; count intakes and referrals.",
        "canvas": SocialBusinessModelCanvas(title="The rights bus", texts=CANVAS_TEXTS),
        "break_even_inputs": {"fixed_costs": 152_000, "price": 65, "variable_cost": 14,
                              "subsidy": 70_000},
        "unit": "intakes",
        "funding_mix": {"intake contracts": 0.65, "health insurance funds": 0.10,
                        "foundation grant": 0.20, "provincial subsidy": 0.05},
        "funding_types": {"intake contracts": "earned", "health insurance funds": "earned",
                          "foundation grant": "subsidy", "provincial subsidy": "subsidy"},
        "cash_plan": {"opening_cash": 10_000, "monthly_inflow": 12_500,
                      "monthly_outflow": 15_000, "months": 12,
                      "tranches": {3: 30_000, 6: 10_000, 9: 10_000}},
        "period_months": 12,
        "theory_of_change": TheoryOfChange(
            "The rights bus", inputs=["a minibus"], activities=["intakes at the market"],
            outputs=["2,400 intakes a year"], outcomes=["rights taken up"],
            impact=["less under-protection"]),
        "outcomes": copy.deepcopy(OUTCOMES),
        "investment": 180_000,
        "pitch": Pitch(**copy.deepcopy(PITCH)),
        "quoted": {"break_even_units": 1608, "sroi_ratio": 1.36, "subsidy_dependency": 0.25},
        "yearly_revenue": 200_000, "unit_source": "intake contracts", "planned_units": 2_000,
    }


def make(**changes) -> CapstonePlan:
    data = plan_data()
    data.update(changes)
    return CapstonePlan(**data)


# --------------------------------------------------------------------------- the calculations

def test_calculations_on_the_students_inputs():
    plan = make()
    be = plan.break_even_result()
    assert be.units == pytest.approx(82_000 / 51, abs=1e-9) and be.units_rounded == 1608
    assert plan.sroi_result().ratio == pytest.approx(hand_sroi(), abs=1e-9)
    assert plan.sroi_result().ratio == pytest.approx(1.62730 * 150 / 180, abs=1e-4)
    assert plan.funding_result().subsidy_dependency == pytest.approx(0.25, abs=1e-12)
    cash = plan.cash_flow_result()
    assert list(cash.table["closing"])[:3] == [7_500, 5_000, 32_500]
    assert cash.table["closing"].iloc[-1] == 30_000 and cash.first_negative_month is None
    amounts = plan.source_amounts()
    assert amounts["intake contracts"] == pytest.approx(130_000, abs=0.01)
    assert amounts["foundation grant"] == pytest.approx(40_000, abs=0.01)
    table = plan.stakeholder_table()
    assert list(table["quadrant"]) == ["manage closely", "keep satisfied", "keep informed"]


def test_the_worked_example_passes_every_check():
    report = make().check()
    assert isinstance(report, PlanCheck) and report.ok and bool(report)
    assert list(report.table["check"]) == list(CHECK_IDS)
    assert report.problems == []
    assert "1,608 intakes quoted" in report.message("break_even")
    assert "1.3561 : 1" in report.message("sroi")
    assert "subsidy dependency 0.250" in report.message("funding_shares")
    assert report.message("cash_balance") == "the lowest closing balance is €5,000.00"
    assert report.message("same_amounts") == ("compared: lump sums, per-unit revenue, grants in "
                                              "the texts; they agree")
    assert str(report).count("✓") == len(CHECK_IDS)


def test_a_break_even_quoted_wrong_fails_and_names_the_right_value():
    report = make(quoted={"break_even_units": 1607, "sroi_ratio": 1.36}).check()
    assert not report.passed("break_even") and report.passed("sroi")
    assert "rounded up 1,608" in report.message("break_even")
    assert make(quoted={"break_even_units": 1607.84, "sroi_ratio": 1.36}).check().passed(
        "break_even")


def test_a_break_even_with_a_tariff_mix():
    inputs = {"fixed_costs": 150_000, "variable_cost": 14, "subsidy": 40_000,
              "tariffs": {"municipal contract": (0.7, 70), "health insurance fund": (0.3, 50)}}
    plan = make(break_even_inputs=inputs, quoted={"break_even_units": 2157, "sroi_ratio": 1.36})
    assert plan.break_even_result().weighted_price == pytest.approx(64.0)
    assert plan.break_even_result().units_rounded == 2200
    assert not plan.check().passed("break_even")
    again = CapstonePlan.from_json(plan.to_json())
    assert again.break_even_inputs["tariffs"]["municipal contract"] == (0.7, 70)


def test_an_sroi_quoted_wrong_fails_within_the_stated_tolerance():
    assert make(quoted={"break_even_units": 1608, "sroi_ratio": 1.4}).check().passed("sroi")
    report = make(quoted={"break_even_units": 1608, "sroi_ratio": 1.45}).check()
    assert not report.passed("sroi") and "within 0.05" in report.message("sroi")


def test_funding_shares_must_sum_to_one():
    mix = {"intake contracts": 0.60, "health insurance funds": 0.10, "foundation grant": 0.20,
           "provincial subsidy": 0.05}
    report = make(funding_mix=mix).check()
    assert not report.passed("funding_shares")
    assert "sum to 0.95; they must sum to 1" in report.message("funding_shares")
    thirds = make(funding_mix={"a": 0.333, "b": 0.333, "c": 0.334}, funding_types={},
                  quoted={"break_even_units": 1608, "sroi_ratio": 1.36}, unit_source="")
    assert thirds.check().passed("funding_shares")
    report = make(quoted={"break_even_units": 1608, "sroi_ratio": 1.36,
                          "subsidy_dependency": 0.30}).check()
    assert not report.passed("funding_shares")
    assert "share of the subsidy sources (0.250)" in report.message("funding_shares")
    report = make(funding_mix={"fees": 60}, unit_source="").check()
    assert "share of 'fees' must be a share between 0 and 1" in report.message("funding_shares")


def test_the_cash_plan_must_cover_the_period_and_stay_above_zero():
    short = make(cash_plan={"opening_cash": 25_000, "monthly_inflow": 11_000,
                            "monthly_outflow": 14_500, "months": 10})
    report = short.check()
    assert not report.passed("cash_period")
    assert report.message("cash_period") == ("the cash plan runs 10 months; 12 are asked: plan "
                                             "2 more")
    late = make(cash_plan={"opening_cash": 5_000, "monthly_inflow": 11_000,
                           "monthly_outflow": 14_500, "months": 12, "tranches": {6: 42_000}})
    report = late.check()
    assert report.passed("cash_period") and not report.passed("cash_balance")
    assert "below zero from month 2" in report.message("cash_balance")
    assert make(period_months=18).check().message("cash_period").endswith("plan 6 more")


def test_the_pitch_is_checked_with_the_plans_own_results():
    pitch = copy.deepcopy(PITCH)
    pitch["figures"] = {"sroi_ratio": 2.5, "break_even_units": 1608}
    pitch["impact"] = pitch["impact"].replace("1.36 : 1", "2.5 : 1")
    report = make(pitch=Pitch(**pitch)).check()
    assert not report.passed("pitch") and "your calculator gives 1.36 : 1" in \
        report.message("pitch")


def test_an_empty_plan_fails_every_check_without_raising():
    report = CapstonePlan().check()
    own = [c for c in CHECK_IDS if c not in ("same_amounts", "revenue_break_even", "assets")]
    assert not report.ok and not any(report.table.set_index("check").loc[own, "ok"])
    # the cross-section checks have nothing to compare, and say so
    assert report.message("same_amounts").startswith("nothing to compare yet")
    assert report.message("revenue_break_even").startswith("not compared")
    assert "the wicked problem" in report.message("complete")
    assert "no break_even_inputs yet" in report.message("break_even")
    assert "no investment yet" in report.message("sroi")
    assert "cash_plan misses opening_cash" in report.message("cash_period")
    assert report.message("pitch") == "the plan has no pitch yet (module m07)"
    assert repr(CapstonePlan()).endswith("part(s) missing)")


def test_missing_parts_are_named():
    plan = make(stakeholders=[], personas=[],
                canvas=SocialBusinessModelCanvas(texts={"surplus": "x"}))
    missing = plan.missing_parts()
    assert "at least 3 stakeholders (you have 0)" in missing
    assert "at least one persona" in missing
    assert any(m.startswith("canvas blocks key_resources") for m in missing)
    assert make().missing_parts() == []


# --------------------------------------------------------------------------- bad input

def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="break_even_inputs has an unknown key 'fixed_cost'"):
        make(break_even_inputs={"fixed_cost": 1})
    with pytest.raises(ValueError, match="funding type of 'grant' must be 'subsidy', 'earned'"):
        make(funding_mix={"grant": 1.0}, funding_types={"grant": "gift"})
    with pytest.raises(ValueError, match="persona number 1 needs a \"name\""):
        make(personas=[{"description": "no name"}])
    with pytest.raises(ValueError, match="deadweight of 'rights taken up' must be a share"):
        make(outcomes=[dict(OUTCOMES[0], deadweight=35)])
    with pytest.raises(TypeError, match="outcome number 1 cannot be made.*The fields are"):
        make(outcomes=[{"name": "x", "stakeholder": "y", "amount": 3}])
    with pytest.raises(ValueError, match="period_months must be from 1 to 600"):
        make(period_months=0)
    with pytest.raises(ValueError, match="quoted has an unknown key 'ratio'"):
        make(quoted={"ratio": 2})
    with pytest.raises(TypeError, match="quoted sroi_ratio must be a number"):
        make(quoted={"sroi_ratio": "1.6"})
    with pytest.raises(TypeError, match="wicked_problem must be text"):
        make(wicked_problem=["a list"])
    with pytest.raises(TypeError, match="canvas must be a SocialBusinessModelCanvas"):
        make(canvas="my-canvas.json")
    with pytest.raises(ValueError, match="There is no check 'cash'"):
        make().check().passed("cash")


def test_stakeholder_errors_show_in_the_check():
    plan = make(stakeholders=[{"stakeholder": "OCMW", "power": 7, "interest": 3}] * 3)
    assert "must be from 1 to 5, but it is 7" in plan.check().message("stakeholders")


# --------------------------------------------------------------------------- saving

def test_json_round_trip_keeps_everything(tmp_path):
    plan = make()
    text = plan.to_json()
    data = json.loads(text)
    assert data["kind"] == "capstone-plan" and data["cash_plan"]["tranches"] == {
        "3": 30_000, "6": 10_000, "9": 10_000}
    assert (data["yearly_revenue"], data["unit_source"], data["planned_units"]) == (
        200_000, "intake contracts", 2_000)
    again = CapstonePlan.from_json(text)
    assert again.to_dict() == plan.to_dict()
    assert again.cash_plan["tranches"] == {3: 30_000, 6: 10_000, 9: 10_000}
    assert isinstance(again.outcomes[0], Outcome) and isinstance(again.pitch, Pitch)
    assert again.check().ok
    path = plan.save(tmp_path / "my-capstone-plan.json")
    assert CapstonePlan.load(path).to_dict() == plan.to_dict()


def test_bad_files_give_readable_errors(tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ValueError, match="Cannot load .*plan.json.*not valid JSON"):
        CapstonePlan.load(bad)
    with pytest.raises(ValueError, match="not a capstone plan"):
        CapstonePlan.from_dict({"kind": "pitch"})
    with pytest.raises(ValueError, match="Unknown key"):
        CapstonePlan.from_dict({"kind": "capstone-plan", "version": 1, "budget": 3})
    with pytest.raises(ValueError, match="newer welfarelab"):
        CapstonePlan.from_dict({"kind": "capstone-plan", "version": 2})
    with pytest.raises(FileNotFoundError):
        CapstonePlan.load(tmp_path / "missing.json")


def test_markdown_has_every_section_and_the_checks():
    text = make().to_markdown()
    for heading in ("# Capstone plan: The rights bus", "## 1. The wicked problem",
                    "## 3. Stakeholders", "## 5. Social Business Model Canvas",
                    "## 6. Money", "## 7. Theory of change and forecast SROI",
                    "## 8. The pitch", "## Consistency checks"):
        assert heading in text
    assert "| OCMW social service | 5 | 4 | manage closely |" in text
    assert "1,608 intakes a year (exactly 1,607.84)" in text
    assert "**Forecast SROI:** 1.36 : 1" in text
    assert "- **Key resources:** A converted minibus; Two peer experts" in text
    assert "*(not filled in yet)*" in CapstonePlan().to_markdown()


def test_save_and_offer_says_it_in_words_with_a_download_link(tmp_path, monkeypatch):
    import base64
    import re

    from welfarelab.capstone import save_and_offer

    monkeypatch.chdir(tmp_path)
    plan = make()
    shown = save_and_offer(plan, "my-capstone-plan")
    assert "PosixPath" not in shown.data
    assert "Saved your plan as my-capstone-plan.json" in shown.data
    assert 'download="my-capstone-plan.json"' in shown.data
    payload = re.search(r'base64,([A-Za-z0-9+/=]+)"', shown.data).group(1)
    assert json.loads(base64.b64decode(payload)) == plan.to_dict()
    assert CapstonePlan.load(tmp_path / "my-capstone-plan.json").to_dict() == plan.to_dict()
    with pytest.raises(TypeError, match="CapstonePlan"):
        save_and_offer(None)
    with pytest.raises(ValueError, match="without a folder"):
        save_and_offer(plan, "sub/plan.json")


# --------------------------------------------------------------------------- cross-section checks

def old_contradictory_plan() -> CapstonePlan:
    """The first version of module m08's example, with the revenue it stated (EUR 180,000 a
    year in its funding-mix calculator) and the 2,400 intakes of its theory of change."""
    pitch = copy.deepcopy(PITCH)
    pitch["business_model"] = ("Municipalities pay €65 per intake. With a €40,000 grant we "
                               "break even at 2,157 intakes a year.")
    pitch["ask"] = "We ask €60,000 for the bus and three pilot municipalities."
    pitch["figures"] = {"sroi_ratio": 1.6, "break_even_units": 2157}
    pitch["impact"] = pitch["impact"].replace("1.36 : 1", "1.6 : 1")
    return make(
        prototype_plan="Four Saturdays with a market stand before buying a bus.",
        break_even_inputs={"fixed_costs": 150_000, "price": 65, "variable_cost": 14,
                           "subsidy": 40_000},
        funding_mix={"intake contracts": 0.55, "health insurance funds": 0.15,
                     "foundation grant": 0.20, "provincial subsidy": 0.10},
        cash_plan={"opening_cash": 25_000, "monthly_inflow": 11_000, "monthly_outflow": 14_500,
                   "months": 12, "tranches": {3: 30_000, 9: 12_000}},
        investment=150_000, pitch=Pitch(**pitch),
        quoted={"break_even_units": 2157, "sroi_ratio": 1.63, "subsidy_dependency": 0.30},
        yearly_revenue=180_000, unit_source="intake contracts", planned_units=2_400)


def test_the_old_contradictory_example_fails_the_cross_section_checks():
    report = old_contradictory_plan().check()
    # the eight checks of the first version still pass: they could not see the contradictions
    for check_id in CHECK_IDS[:8]:
        assert report.passed(check_id), (check_id, report.message(check_id))
    # lump sums: 0.45 x 180,000 = 81,000 a year, not the 40,000 of the break-even inputs
    assert not report.passed("same_amounts")
    message = report.message("same_amounts")
    assert "€40,000.00 of lump sums" in message and "€81,000.00" in message
    # 2,400 planned intakes x 65 = 156,000, but 0.55 x 180,000 = 99,000
    assert "€156,000.00" in message and "€99,000.00" in message
    # 99,000 / 65 = 1,523.08 intakes, below the break-even point of 2,157
    assert not report.passed("revenue_break_even")
    assert "pays for 1,523 intakes a year, below the break-even point of 2,157" in \
        report.message("revenue_break_even")
    assert not report.passed("assets")
    assert report.message("assets").startswith(
        "'bus' is bought in the prototype plan but leased or rented in the canvas (Cost structure)")


def test_a_grant_written_with_another_amount_is_caught():
    pitch = copy.deepcopy(PITCH)
    pitch["business_model"] = pitch["business_model"].replace("€40,000", "€36,000")
    report = make(pitch=Pitch(**pitch)).check()
    assert not report.passed("same_amounts")
    assert ("the pitch (The business model) writes a grant or subsidy of €36,000.00"
            in report.message("same_amounts"))
    assert "€40,000.00 (the funding mix (foundation grant))" in report.message("same_amounts")


@pytest.mark.parametrize("written", ["€40.000", "€40,000", "EUR 40000", "€40k"])
def test_grants_written_the_belgian_or_english_way_are_read_alike(written):
    pitch = copy.deepcopy(PITCH)
    pitch["business_model"] = pitch["business_model"].replace("€40,000", written)
    plan = make(pitch=Pitch(**pitch))
    assert ("the pitch (The business model)", 40_000.0) in plan.written_grants()
    assert plan.check().passed("same_amounts")


def test_money_far_from_the_word_grant_is_not_taken_for_a_grant():
    pitch = copy.deepcopy(PITCH)
    pitch["ask"] = "We ask €25,000 of the city to close our gap, and three pilot towns."
    assert make(pitch=Pitch(**pitch)).written_grants() == [
        ("the pitch (The business model)", 40_000.0)]


def test_planned_units_must_fit_the_per_unit_revenue_and_the_break_even():
    report = make(planned_units=1_500).check()
    assert not report.passed("same_amounts")
    assert "1,500 planned intakes × €65.00 is €97,500.00" in report.message("same_amounts")
    assert not report.passed("revenue_break_even")
    assert "the planned units pays for 1,500 intakes a year, below the break-even point of 1,608" \
        in report.message("revenue_break_even")
    fine = make().check()
    assert fine.passed("revenue_break_even")
    assert "2,000 intakes a year" in fine.message("revenue_break_even")


def test_lump_sums_must_equal_the_break_even_subsidy():
    report = make(break_even_inputs={"fixed_costs": 152_000, "price": 65, "variable_cost": 14,
                                     "subsidy": 40_000},
                  quoted={"break_even_units": 2196, "sroi_ratio": 1.36}).check()
    assert not report.passed("same_amounts")
    assert "€40,000.00 of lump sums" in report.message("same_amounts")
    assert "gives €70,000.00 a year from the sources other than 'intake contracts'" in \
        report.message("same_amounts")


@pytest.mark.parametrize("bought, leased, asset", [
    ("We will buy a converted minibus.", ["Minibus lease and fuel"], "minibus"),
    ("Two vans, bought second hand.", ["Renting the vans"], "van"),
    ("We buy a house for the project.", ["Houses are rented out to tenants"], "house"),
    ("We purchase two buses next year.", ["The bus is leased"], "bus"),
    ("We rent a room in the library.", ["Staff", "Bus lease"], None),
])
def test_an_asset_both_bought_and_leased_is_caught(bought, leased, asset):
    texts = dict(CANVAS_TEXTS, cost_structure=leased)
    canvas = SocialBusinessModelCanvas(title="The rights bus", texts=texts)
    conflicts = make(wild_idea=bought, canvas=canvas).asset_conflicts()
    if asset is None:
        assert conflicts == []
    else:
        assert conflicts == [{"asset": asset, "bought_in": "the wild idea",
                              "leased_in": "the canvas (Cost structure)"}]


def test_bad_cross_section_inputs_name_the_field():
    with pytest.raises(ValueError, match="unit_source 'fees' is not a source in funding_mix"):
        make(unit_source="fees")
    with pytest.raises(ValueError, match="yearly_revenue"):
        make(yearly_revenue=-1)
    with pytest.raises(TypeError, match="planned_units"):
        make(planned_units="2000")


# ---- the Dutch edition's plans (issue 17): the asset check reads Dutch verbs and compounds ----

@pytest.mark.parametrize("bought, leased", [
    ("Vier zaterdagen met een marktkraam voor we een bus kopen.", "De buslease kost 700 euro per maand."),
    ("We kochten een tweedehands bus.", "We huren de bus van een garage."),
    ("Eerst de busaankoop.", "Daarna leasen we twee bussen."),
])
def test_the_asset_check_reads_dutch(bought, leased):
    # no canvas, theory of change or pitch: only these two texts speak of assets
    plan = make(prototype_plan=bought, wild_idea=leased, canvas=None, theory_of_change=None,
                pitch=None)
    assert plan.asset_conflicts() == [{"asset": "bus", "bought_in": "the prototype plan",
                                       "leased_in": "the wild idea"}]


def test_dutch_words_without_a_shared_asset_are_no_conflict():
    plan = make(prototype_plan="We kopen een laptop.", wild_idea="We huren een lokaal.",
                canvas=None, theory_of_change=None, pitch=None)
    assert plan.asset_conflicts() == []
