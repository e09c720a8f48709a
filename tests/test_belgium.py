"""Module m01's facts and tools: the datasets hold the seed's figures and sourced legal dates."""

import pandas as pd
import pytest

from welfarelab import belgium as b


@pytest.fixture(scope="module")
def milestones():
    return b.milestones()


@pytest.fixture(scope="module")
def figures():
    return b.key_figures()


def test_key_figures_hold_the_seeds_numbers(figures):
    # seed, table after section 1.1.4 (European Commission 2020)
    assert b.figure(figures, "estimated number of social enterprises") == 18_004
    assert b.figure(figures, "estimated number of employees in social enterprises") == 572_914
    growth = figures.set_index("indicator").loc["growth of social enterprises"]
    assert growth["trend"] == "stable"
    assert (growth["year_start"], growth["year_end"]) == (2011, 2017)
    marked = set(figures.loc[figures["marked_x"], "indicator"])
    assert marked == {"legal framework for social enterprises",
                      "public funding for social enterprises", "education and training",
                      "networks for social enterprises"}
    assert b.figure(figures, "cooperatives among VSOs") == 85        # seed 1.1.2
    assert not figures.set_index("indicator").loc["cooperatives among VSOs", "in_seed_table"]


def test_employees_per_enterprise_oracle_and_errors():
    assert b.employees_per_enterprise(18_004, 572_914) == pytest.approx(31.8215, abs=1e-4)
    assert b.employees_per_enterprise(10, 0) == 0
    with pytest.raises(ValueError, match="number of social enterprises must be more than 0"):
        b.employees_per_enterprise(0, 5)
    with pytest.raises(ValueError, match="number of employees cannot be negative"):
        b.employees_per_enterprise(5, -1)
    with pytest.raises(TypeError, match="number of social enterprises must be a number"):
        b.employees_per_enterprise("18,004", 5)


def test_figure_errors(figures):
    with pytest.raises(ValueError, match="no indicator 'jobs'.*estimated number of social"):
        b.figure(figures, "jobs")
    with pytest.raises(ValueError, match="has no number.*'X'"):
        b.figure(figures, "education and training")


def test_legal_dates_match_the_checked_facts(milestones):
    dates = milestones.dropna(subset=["date"]).set_index("key")["date"].dt.strftime("%Y-%m-%d")
    assert dates.to_dict() == {
        "VSO law": "1995-04-13",                     # seed: 1995; the day is still to be checked
        "WVV approved": "2019-02-28",                # seed 1.1.2: approved 28 February 2019
        "WVV law": "2019-03-23",                     # FOD Economie: law of 23 March 2019
        "WVV in force": "2019-05-01",                # seed and FOD Economie: in force 1 May 2019
        "recognition decree": "2019-06-28",          # FOD Economie: Royal Decree of 28 June 2019
        "WVV for existing entities": "2020-01-01",   # Aurion Law 2023; Notaris.be 2023
        "transition ends": "2024-01-01",             # seed: until 2024; statutes deadline (Aurion Law)
    }


def test_roots_are_periods(milestones):
    roots = milestones[milestones["kind"] == "root"]
    assert roots["date"].isna().all()
    assert (roots["end_year"] > roots["start_year"]).all()
    new = roots.set_index("key").loc["new social economy"]
    assert (new["start_year"], new["end_year"]) == (1980, 1989)        # "the 1980s"


def test_milestones_are_sorted_oldest_first(milestones):
    assert milestones["start_year"].is_monotonic_increasing
    dated = milestones.dropna(subset=["date"])
    assert dated["date"].is_monotonic_increasing


def test_years_and_days_between(milestones):
    assert b.years_between(milestones, "VSO law", "WVV in force") == 24
    assert b.years_between(milestones, "WVV in force", "VSO law") == -24
    assert b.years_between(milestones, "WVV in force", "transition ends") == 5   # five years
    assert b.days_between(milestones, "WVV in force", "transition ends") == 1706
    assert b.days_between(milestones, "WVV approved", "WVV in force") == 62
    with pytest.raises(ValueError, match="no milestone 'WVV'.*VSO law"):
        b.years_between(milestones, "VSO law", "WVV")
    with pytest.raises(ValueError, match="is a period"):
        b.days_between(milestones, "new social economy", "VSO law")


def test_in_window(milestones):
    reform = b.in_window(milestones, 2019, 2024)
    assert reform["key"].tolist() == ["WVV approved", "WVV law", "WVV in force",
                                      "recognition decree", "WVV for existing entities",
                                      "transition ends"]
    assert (b.in_window(milestones, 2019, 2019)["start_year"] == 2019).sum() == 4
    # a period counts when it overlaps the window
    assert "associations formally recognised" in b.in_window(milestones, 1995, 2024)["key"].tolist()
    assert "root" not in set(b.in_window(milestones, 1800, 2024, roots=False)["kind"])
    with pytest.raises(ValueError, match="must not be after"):
        b.in_window(milestones, 2024, 2019)
    with pytest.raises(ValueError, match="whole number"):
        b.in_window(milestones, 2019.5, 2024)


def test_when(milestones):
    rows = milestones.set_index("key", drop=False)
    assert b.when(rows.loc["VSO law"]) == "13 April 1995"
    assert b.when(rows.loc["mutualities institutionalised"]) == "1918-1939"


def test_key_figures_table(figures):
    table = b.key_figures_table(figures).set_index("indicator")["figure"]
    assert table["estimated number of social enterprises"] == "18,004 organisations (2017)"
    employees = table["estimated number of employees in social enterprises"]
    assert employees == "572,914 employees (2017)"
    assert table["growth of social enterprises"] == "stable (2011-2017)"
    assert table["networks for social enterprises"].startswith("X")
    assert table["cooperatives among VSOs"] == "85 percent of VSOs"


def test_programmes_ects():
    p = b.programmes().set_index("programme")
    assert p.loc["specialisation (ULiège)", "ects"] == 60
    assert p.loc["(Z)Ondernemen", "ects"] == 30
    assert p.loc["(Z)Ondernemen", "start_year"] == 2018
    assert (p.loc[p["region"] == "Flanders", "ects"] == 30).all()
    assert len(p) == 4


@pytest.mark.parametrize("view", list(b.VIEWS))
def test_timeline_figure_each_view(milestones, view):
    from matplotlib.figure import Figure

    start, end = b.VIEWS[view]
    fig = b.timeline_figure(milestones, start, end)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "year"
    labelled = {t.get_gid().split(":", 1)[1] for t in ax.texts
                if (t.get_gid() or "").startswith("milestone:")}
    assert labelled == set(b.in_window(milestones, start, end)["key"])
    assert ax.get_legend() is not None


def test_timeline_figure_without_roots_and_errors(milestones):
    fig = b.timeline_figure(milestones, 1800, 2024, roots=False, title="Laws only")
    ax = fig.axes[0]
    assert ax.get_title() == "Laws only"
    assert not ax.patches or all(p.get_width() == 0 for p in ax.patches)
    with pytest.raises(ValueError, match="No milestone"):
        b.timeline_figure(milestones, 1940, 1950, roots=False)


# ---------------------------------------------------------------- the widget


@pytest.fixture
def timeline(milestones, figures):
    from welfarelab.widgets.belgium import LegalTimeline

    return LegalTimeline(milestones=milestones, key_figures=figures)


def test_widget_lists_the_milestones_of_the_window(timeline):
    assert len(timeline.shown) == 13
    timeline.view.value = "the 2019 reform up close (2019-2024)"
    assert len(timeline.shown) == 6
    assert "6 milestones" in timeline.listing.value
    assert "1 May 2019" in timeline.listing.value
    timeline.view.value = "the whole history (1800-2024)"
    timeline.roots.value = False
    assert set(timeline.shown["kind"]) == {"law", "deadline"}


def test_widget_key_figures_tab(timeline):
    assert timeline.per_enterprise == pytest.approx(31.82, abs=0.01)
    assert "18,004 organisations (2017)" in timeline.figures.value
    assert "<b>31.8</b>" in timeline.figures.value


def test_widget_shows_input_problems_and_raises_unexpected(timeline, monkeypatch):
    def bad(*args, **kwargs):
        raise ValueError("No milestone lies between 1940 and 1950")

    monkeypatch.setattr("welfarelab.widgets.belgium.belgium.in_window", bad)
    timeline.update()
    assert timeline.shown is None and "No milestone" in timeline.message.value

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("welfarelab.widgets.belgium.belgium.in_window", broken)
    with pytest.raises(RuntimeError):
        timeline.update()
    assert "Unexpected problem: boom" in timeline.message.value


def test_factory_and_grading_placeholder(monkeypatch):
    import ipywidgets as w

    from welfarelab.widgets.belgium import legal_timeline

    assert isinstance(legal_timeline(), w.Tab)
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert "switched off" in legal_timeline().value


def test_dataset_descriptors_name_the_seeds_sources():
    from welfarelab import data

    for name in (b.KEY_FIGURES, b.MILESTONES, b.PROGRAMMES):
        spec = data.describe(name)
        assert spec["kind"] == "real"
        assert "seed" in spec["source"].lower() or "Seed" in spec["source"]
    assert "European Commission (2020)" in data.describe(b.KEY_FIGURES)["source"]
    assert "Federale Overheid België (2021)" in data.describe(b.MILESTONES)["source"]
    assert isinstance(b.milestones()["date"].iloc[-1], pd.Timestamp)


def test_milestone_sources_are_documents_not_a_missing_file(milestones):
    # issue 16: the rows cited ORACLES.md, which is not in the repository
    assert not milestones["source"].str.contains("ORACLES").any()
    end = milestones.set_index("key").loc["transition ends"]
    # the seed's wording and why the course chose 1 January 2024
    assert "five years, until 2024" in end["source"] and "statutes" in end["source"]
    assert b.days_between(milestones, "WVV in force", "transition ends") == 1706
    assert "4 years and 8 months" in end["event"]
