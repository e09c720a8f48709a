"""Tests of module m02's ecosystem dataset, functions and widgets, and m03's Double Diamond."""

import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from welfarelab import data, ecosystem
from welfarelab.ecosystem import (
    DOMAIN_LABELS,
    REGIONS,
    STAKEHOLDER_QUADRANTS,
    count_actors,
    domain_region_table,
    filter_actors,
    load_actors,
    stakeholder_grid_figure,
    stakeholder_map,
    stakeholder_quadrant,
)


@pytest.fixture(scope="module")
def actors():
    return load_actors()


# ---------------------------------------------------------------- the dataset, against the seed

# Actors per domain, counted by hand in seed section 1.2 (FeBISP, listed twice in one domain,
# is one row; actors listed in two domains have a row in each).
SEED_DOMAIN_COUNTS = {
    "Public services and authorities": 7,
    "Legal, fiscal and regulatory frameworks": 4,
    "Education promotion and monitoring": 9,
    "Incubators": 15,
    "Learning and exchange platforms": 23,
    "Networks, federations and pacts": 29,
    "Financial intermediaries": 15,
}


def test_every_domain_has_the_seeds_number_of_actors(actors):
    assert len(actors) == 102
    counts = count_actors(actors).set_index("domain")["actors"].to_dict()
    assert counts == SEED_DOMAIN_COUNTS


def test_regions_follow_the_seeds_labels(actors):
    counts = count_actors(actors, "region").set_index("region")["actors"].to_dict()
    assert counts == {"Flanders": 17, "Brussels": 9, "Wallonia": 11,
                      "German-speaking community": 1, "federal": 4, "international": 0,
                      "unknown": 60}
    assert "private" not in REGIONS
    private = actors[actors["sector"] == "private"]
    assert set(private["name"]) == {"Crédal", "Hefboom", "Incofin Investment Management",
                                    "Oiko-Credit", "Socrowd"}
    assert set(private["domain"]) == {"Financial intermediaries"}
    assert set(private["region"]) == {"unknown"}
    assert set(actors["sector"]) == set(ecosystem.SECTORS)
    german = filter_actors(actors, region="German-speaking community")
    assert list(german["name"]) == ["Minister van Sociale Zaken"]
    # a known region always says how it is known; unknown never claims a basis
    known = actors["region"] != "unknown"
    assert (actors.loc[known, "region_basis"] != "not stated").all()
    assert (actors.loc[~known, "region_basis"] == "not stated").all()


def test_region_rule_is_applied_to_every_row(actors):
    """"part of the name" rows name exactly their region; "not stated" rows name none or two."""
    for _, row in actors.iterrows():
        named = ecosystem.regions_in_name(row["name"])
        if row["region_basis"] == "part of the name":
            assert named == {row["region"]}, (row["name"], named)
        elif row["region_basis"] == "not stated":
            assert len(named) != 1, (row["name"], named)
    # the universities named after their city are all treated alike (issue 16: ULB and VUB had
    # Brussels while ULiège, UMons and UGent were unknown)
    for acronym in ["ULG", "UCL", "KUL", "ULB", "UMons", "VUB", "AMS", "UGent", "UCLL"]:
        row = actors[actors["acronym"] == acronym].iloc[0]
        assert row["region"] == "unknown", acronym
        assert "city in its name" in row["note"], acronym


@pytest.mark.parametrize(("name", "regions"), [
    ("Vlaams overleg sociale economie", {"Flanders"}),
    ("Conseil wallon de l'économie sociale", {"Wallonia"}),
    ("Unions des Scops Wallonie-Bruxelles", {"Wallonia", "Brussels"}),
    ("Société régionale d'investissement de Bruxelles", {"Brussels"}),
    ("Vrije Universiteit Brussel", set()),
    ("Universiteit Gent", set()),
    ("Belgian Fair Trade Federation", {"federal"}),
])
def test_regions_in_name(name, regions):
    assert ecosystem.regions_in_name(name) == regions


def test_regions_in_name_rejects_a_number():
    with pytest.raises(TypeError, match="name must be a text"):
        ecosystem.regions_in_name(42)


def test_domains_are_the_courses_grouping_of_the_seeds_nine_labels():
    # nine labels in the seed, two pairs merged: 9 - 2 = 7 groups, each merged label joined by ';'
    assert ecosystem.SEED_DOMAIN_LABELS == 9
    merged = [label for label, dutch in ecosystem.DOMAINS if ";" in dutch]
    assert merged == ["Public services and authorities", "Education promotion and monitoring"]
    assert len(ecosystem.DOMAINS) == ecosystem.SEED_DOMAIN_LABELS - len(merged)
    spec = data.describe("ecosystem_actors")
    assert "course's grouping" in " ".join(spec["description"].split())


def test_named_actors_of_the_seed_are_present(actors):
    names = set(actors["name"])
    for name in ["Departement Welzijn, Volksgezondheid en Gezin", "Vlaams overleg sociale economie",
                 "Sociale en Economische Raad van Vlaanderen", "Sociale InnovatieFabriek",
                 "Step by Steppes", "Sociale School Heverlee", "Pour la Solidarité",
                 "Vereniging Vlaamse Steden en Gemeenten", "The Shift", "King Baudouin Foundation",
                 "Réseau Financement Alternatif", "Kenniscentrum Sociaal Europa"]:
        assert name in names, name
    twice = actors.groupby("name")["domain"].nunique()
    assert twice[twice > 1].index.tolist() == ["Ashoka"]
    by_acronym = actors[actors["acronym"].notna()].groupby("acronym")["domain"].nunique()
    assert by_acronym["VERSO"] == 2


def test_dataset_file_matches_descriptor():
    spec = data.describe("ecosystem_actors")
    assert spec["kind"] == "real"
    domain_field = next(f for f in spec["fields"] if f["name"] == "domain")
    assert tuple(domain_field["allowed"]) == DOMAIN_LABELS
    region_field = next(f for f in spec["fields"] if f["name"] == "region")
    assert tuple(region_field["allowed"]) == REGIONS
    assert len(ecosystem.DOMAINS) == 7


def test_gbo_survey_is_synthetic_and_plausible_against_the_seed():
    spec = data.describe("gbo_intake_survey")
    assert spec["kind"] == "synthetic" and "SYNTHETIC" in spec["description"]
    survey = data.load("gbo_intake_survey")
    per_partnership = survey.groupby("partnership", observed=True).first()
    assert (per_partnership["trajectory_status"] == "running").sum() == 6
    assert (per_partnership["trajectory_status"] == "completed").sum() == 2
    assert per_partnership["trajectory_months"].mean() == pytest.approx(6, abs=0.5)
    assert survey["persona"].nunique() == 5


# ---------------------------------------------------------------- filter and count

def test_filter_by_domain_and_region_ignores_case(actors):
    found = filter_actors(actors, "incubators", "FLANDERS")
    assert len(found) == 7
    assert list(found.index) == list(range(7))
    assert set(found["region"]) == {"Flanders"}
    assert "Trividend" in set(found["name"])


def test_filter_all_or_none_keeps_everything(actors):
    assert len(filter_actors(actors)) == len(actors)
    assert len(filter_actors(actors, "all", "all", "")) == len(actors)


def test_filter_by_lists_and_text(actors):
    found = filter_actors(actors, region=["Brussels", "Wallonia"])
    assert len(found) == 20  # 9 in Brussels + 11 in Wallonia
    assert len(filter_actors(actors, text="ashoka")) == 2
    assert len(filter_actors(actors, text="VVSG")) == 1  # acronym column


@pytest.mark.parametrize("kwargs,message", [
    ({"domain": "incubator"}, "not a domain"),
    ({"region": "Vlaanderen"}, "not a region"),
])
def test_unknown_filter_values_list_the_allowed_ones(actors, kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        filter_actors(actors, **kwargs)
    assert "Incubators" in str(err.value) or "Flanders" in str(err.value)


def test_filter_rejects_a_non_table_and_non_text():
    with pytest.raises(TypeError, match="actors table"):
        filter_actors([1, 2, 3])
    with pytest.raises(TypeError, match="text in quotes"):
        filter_actors(load_actors(), domain=3)


def test_counts_add_up_and_keep_zeros(actors):
    part = filter_actors(actors, "Incubators")
    by_region = count_actors(part, "region")
    assert list(by_region["region"]) == list(REGIONS)
    assert by_region["actors"].sum() == 15
    assert by_region.set_index("region").loc["federal", "actors"] == 0
    with pytest.raises(ValueError, match="'domain' or 'region'"):
        count_actors(actors, "name")


def test_cross_table(actors):
    table = domain_region_table(actors)
    assert list(table.index) == list(DOMAIN_LABELS)
    assert list(table.columns) == list(REGIONS) + ["total"]
    assert table["total"].sum() == 102
    assert table.loc["Incubators", "Wallonia"] == 5
    assert table.loc["Financial intermediaries", "unknown"] == 12


# ---------------------------------------------------------------- power/interest grid

@pytest.mark.parametrize("power,interest,expected", [
    (5, 5, "manage closely"), (3, 3, "manage closely"), (4, 2, "keep satisfied"),
    (3, 2.9, "keep satisfied"), (2, 4, "keep informed"), (2.9, 3, "keep informed"),
    (1, 1, "monitor"), (2.5, 2.5, "monitor"),
])
def test_quadrants_with_threshold_three_counting_as_high(power, interest, expected):
    assert stakeholder_quadrant(power, interest) == expected


@pytest.mark.parametrize("power,interest,error,message", [
    (0, 3, ValueError, "from 1 to 5"), (3, 6, ValueError, "from 1 to 5"),
    ("4", 3, TypeError, "without quotes"), (True, 3, TypeError, "number"),
    (None, 3, ValueError, "empty"), (float("nan"), 3, ValueError, "empty"),
])
def test_bad_scores_are_explained(power, interest, error, message):
    with pytest.raises(error, match=message):
        stakeholder_quadrant(power, interest)


def test_stakeholder_map_orders_by_attention_needed():
    table = pd.DataFrame({
        "stakeholder": ["neighbours", "VVSG", "families", "OCMW", "CAW", "council"],
        "power": [1, 4, 2, 5, 3, 5],
        "interest": [2, 2, 5, 4, 4, 1],
        "role": ["a", "b", "c", "d", "e", "f"],
    })
    result = stakeholder_map(table)
    assert list(result["stakeholder"]) == ["OCMW", "CAW", "council", "VVSG", "families",
                                           "neighbours"]
    assert list(result["quadrant"]) == ["manage closely", "manage closely", "keep satisfied",
                                        "keep satisfied", "keep informed", "monitor"]
    assert list(result.columns) == ["stakeholder", "power", "interest", "quadrant", "advice",
                                    "role"]
    assert result.loc[0, "role"] == "d"
    assert list(result.index) == list(range(6))


def test_stakeholder_map_accepts_a_list_of_dicts_and_names_problems():
    rows = [{"stakeholder": "OCMW", "power": 5, "interest": 4}]
    assert stakeholder_map(rows).loc[0, "quadrant"] == "manage closely"
    with pytest.raises(ValueError, match="more than once"):
        stakeholder_map(rows * 2)
    with pytest.raises(ValueError, match="no column 'interest'"):
        stakeholder_map([{"stakeholder": "OCMW", "power": 5}])
    with pytest.raises(ValueError, match="power of 'OCMW'"):
        stakeholder_map([{"stakeholder": "OCMW", "power": 7, "interest": 4}])
    with pytest.raises(ValueError, match="empty"):
        stakeholder_map(pd.DataFrame(columns=["stakeholder", "power", "interest"]))
    with pytest.raises(TypeError, match="table"):
        stakeholder_map("OCMW")


@given(st.floats(1, 5), st.floats(1, 5), st.floats(0, 4))
def test_more_power_never_means_less_attention(power, interest, extra):
    """Raising power (same interest) never moves a stakeholder to a lower-attention quadrant."""
    higher = min(power + extra, 5)
    before = STAKEHOLDER_QUADRANTS.index(stakeholder_quadrant(power, interest))
    after = STAKEHOLDER_QUADRANTS.index(stakeholder_quadrant(higher, interest))
    rank = {0: 0, 1: 1, 2: 1, 3: 2}  # manage closely > keep satisfied ~ keep informed > monitor
    assert rank[after] <= rank[before]


def test_grid_figure_labels_axes_and_points():
    fig = stakeholder_grid_figure([{"stakeholder": "OCMW", "power": 5, "interest": 4},
                                   {"stakeholder": "CAW", "power": 5, "interest": 4},
                                   {"stakeholder": "families", "power": 2, "interest": 5}])
    ax = fig.axes[0]
    assert "interest" in ax.get_xlabel() and "power" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "stakeholder"]
    assert sorted(labels) == ["CAW\nOCMW", "families"]  # same scores: one label, A-Z
    assert {t.get_gid() for t in ax.texts} >= {f"quadrant:{q}" for q in STAKEHOLDER_QUADRANTS}
    assert fig.number not in matplotlib.pyplot.get_fignums()


def test_actors_figure_counts(actors):
    fig = ecosystem.actors_figure(actors, "domain")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "number of actors"
    assert sorted(p.get_width() for p in ax.patches) == sorted(SEED_DOMAIN_COUNTS.values())


# ---------------------------------------------------------------- widgets

def test_explorer_filters_when_the_dropdowns_move():
    from welfarelab.widgets.ecosystem import EcosystemExplorer

    view = EcosystemExplorer(chart=False)
    assert len(view.result) == 102
    view.domain.value = "Incubators"
    assert len(view.result) == 15 and "<b>15</b> of 102" in view.summary.value
    view.region.value = "Wallonia"
    assert len(view.result) == 5 and "Azimut" in view.table.value
    view.region.value = "international"
    assert len(view.result) == 0 and "No actor" in view.table.value
    view.region.value = "all"
    view.search.value = "trividend"
    assert list(view.result["name"]) == ["Trividend"]


def test_explorer_shows_a_message_for_a_bad_table():
    from welfarelab.widgets.ecosystem import EcosystemExplorer

    view = EcosystemExplorer(actors=pd.DataFrame({"name": ["x"], "domain": ["Mars"],
                                                  "region": ["Flanders"]}), chart=True)
    assert view.result is None and "not allowed" in view.message.value  # 'Mars' is no domain
    view.domain.value = "Incubators"
    assert len(view.result) == 0 and view.message.value == ""


def test_grid_widget_recalculates_and_reports_duplicates():
    from welfarelab.widgets.ecosystem import StakeholderGrid

    grid = StakeholderGrid(chart=False)
    assert len(grid.result) == 8
    grid.rows[7]["power"].value = 5
    grid.rows[7]["interest"].value = 5
    assert grid.result.loc[0, "stakeholder"] == "energy supplier"
    grid.rows[0]["name"].value = "CAW"
    assert grid.result is None and "more than once" in grid.message.value
    grid.rows[0]["name"].value = ""
    assert len(grid.result) == 7 and grid.message.value == ""


def test_widgets_are_placeholders_while_grading(monkeypatch):
    from welfarelab.widgets.diamond import double_diamond_walkthrough
    from welfarelab.widgets.ecosystem import ecosystem_explorer, stakeholder_grid

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for factory in (ecosystem_explorer, stakeholder_grid, double_diamond_walkthrough):
        assert "switched off" in factory().value


# ---------------------------------------------------------------- Double Diamond (m03)

def test_double_diamond_stages_and_modes():
    from welfarelab.widgets.diamond import modes_table, stage_table

    stages = stage_table()
    assert list(stages["stage"]) == ["Discover", "Define", "Develop", "Deliver"]
    assert list(stages["movement"]) == ["diverge", "converge", "diverge", "converge"]
    modes = modes_table()
    assert list(modes["mode"]) == ["Empathise", "Define", "Ideate", "Prototype", "Test"]


def test_walkthrough_steps_and_stays_in_range():
    from welfarelab.widgets.diamond import DoubleDiamondWalkthrough

    view = DoubleDiamondWalkthrough(chart=False)
    assert view.previous.disabled and "Stage 1 of 4: Discover" in view.card.value
    view.next.click()
    view.next.click()
    assert view.stage.value == "Develop" and "Oudenaarde" in view.card.value
    view.step(+5)
    assert view.stage.value == "Deliver" and view.next.disabled
    assert "Meetjesland" in view.card.value


def test_diamond_figure_highlights_one_stage():
    from welfarelab.widgets.diamond import double_diamond_figure

    fig = double_diamond_figure("Define")
    patches = {p.get_gid(): p for p in fig.axes[0].patches}
    assert patches["stage:Define"].get_facecolor() != patches["stage:Discover"].get_facecolor()
    with pytest.raises(ValueError, match="Discover, Define, Develop, Deliver"):
        double_diamond_figure("Empathise")
