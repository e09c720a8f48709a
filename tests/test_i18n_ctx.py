"""Issue 17, the Dutch edition of modules m01, m02 and the teamwork notebook.

In Dutch the legal timeline shows the milestones' Dutch events and labels (the data's
``event_nl``/``key_nl``), the explorers show Dutch domains, regions and labels while their
options keep the English ids as values (so filters still work), the data's descriptions come
in Dutch through ``welfarelab.data.fields``, and numbers are Belgian. In English everything is
as before. Real values of the course's datasets throughout.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest

import welfarelab
from welfarelab import belgium, data, ecosystem, enterprise, i18n, teamwork

os.environ.setdefault("MPLBACKEND", "Agg")

WALLOON_INCUBATORS = ["Azimut", "Avomarc", "Challenge", "Start Construction", "Step by Steppes"]


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    try:
        yield
    finally:
        welfarelab.set_language("en")


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# ---------------------------------------------------------------- the data's Dutch columns

TRANSLATED = {
    "belgium_legal_milestones": ("key", "event", "source"),
    "belgium_key_figures": ("indicator", "unit", "trend", "source"),
    "belgium_se_programmes": ("programme",),
    "ecosystem_actors": ("domain", "region", "region_basis", "sector", "note"),
}


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_every_english_text_has_its_dutch_beside_it(name):
    frame = data.load(name)
    columns = list(frame.columns)
    for column in TRANSLATED[name]:
        assert columns.index(f"{column}_nl") == columns.index(column) + 1, column
        english, dutch = frame[column].astype("string"), frame[f"{column}_nl"]
        assert (english.isna() == dutch.isna()).all(), column
        # a Dutch cell is filled wherever the English one is, and differs for real sentences
        assert dutch.dropna().str.strip().ne("").all(), column


def test_milestone_events_use_the_seeds_dutch_wording():
    table = belgium.milestones().set_index("key")
    assert table.loc["WVV approved", "event_nl"].startswith("Het Federaal Parlement keurt")
    assert "vijf jaar tijd – tot 2024" in table.loc["transition ends", "event_nl"]
    assert table.loc["VSO law", "key_nl"] == "VSO-wet"
    figures = belgium.key_figures().set_index("indicator")
    # the seed's own labels, where it has one
    for indicator, row in figures.iterrows():
        if row["seed_label"].startswith(row["indicator_nl"]):
            continue
        assert indicator in ("estimated number of social enterprises",
                             "cooperatives among VSOs"), indicator
    assert figures.loc["growth of social enterprises", "trend_nl"] == "stabiel"


def test_ecosystem_dutch_columns_agree_with_the_catalog(dutch):
    actors = ecosystem.load_actors()
    for column in ("domain", "region", "sector"):
        expected = [ecosystem.label(v) for v in actors[column].astype(str)]
        assert list(actors[f"{column}_nl"]) == expected, column
    assert ecosystem.label("Incubators") == "Incubatoren"
    assert ecosystem.label("unknown") == "onbekend"
    assert ecosystem.label("Crédal") == "Crédal"  # not an id: as it is


def test_localized_column_on_a_category_column(dutch):
    actors = ecosystem.load_actors()
    domains = i18n.localized_column(actors, "domain")
    assert domains.iloc[0] == "Overheidsdiensten en autoriteiten"
    assert (domains == "Financiële intermediairs").sum() == 15
    welfarelab.set_language("en")
    assert i18n.localized_column(actors, "domain").iloc[0] == "Public services and authorities"


# ---------------------------------------------------------------- fields() and catalogue()

def test_fields_describe_every_column_in_dutch(dutch):
    for name in data.descriptors():
        table = data.fields(name)
        english = {f["name"]: f["description"] for f in data.describe(name)["fields"]}
        assert list(table["field"]) == list(english)
        for field, text in zip(table["field"], table["description"]):
            assert text and text != english[field], (name, field)
    actors = data.fields("ecosystem_actors").set_index("field")
    assert actors.loc["actor_id", "description"] == (
        "Rijnummer, in de volgorde waarin de seed de actoren opsomt.")
    programmes = data.fields("belgium_se_programmes").set_index("field")
    assert programmes.loc["ects", "unit"] == "studiepunten (ECTS)"
    titles = data.catalogue().set_index("dataset")["title"]
    assert titles["belgium_key_figures"] == "Sociale ondernemingen in België, kerncijfers"


def test_fields_in_english_are_unchanged():
    actors = data.fields("ecosystem_actors").set_index("field")
    assert actors.loc["actor_id", "description"] == (
        "Row number, in the order the seed lists the actors.")
    assert data.fields("belgium_se_programmes").set_index("field").loc["ects", "unit"] == (
        "ECTS credits")
    assert data.catalogue().set_index("dataset").loc["glossary", "title"] == (
        "Glossary of the course's terms, English / Dutch / French")


def test_data_errors_in_dutch(dutch):
    with pytest.raises(ValueError, match="Er is geen dataset met de naam 'nope'"):
        data.describe("nope")
    frame = pd.DataFrame({"a": ["1"]})
    with pytest.raises(ValueError, match="de kolommen \\['a'\\] verschillen"):
        data.check("belgium_se_programmes", frame)


# ---------------------------------------------------------------- m01: the legal timeline

def test_timeline_in_dutch_shows_dutch_events_dates_and_labels(dutch):
    from welfarelab.widgets.belgium import LegalTimeline

    view = LegalTimeline(chart=False)
    labels = dict(view.view.options)
    assert labels["de hele geschiedenis (1800-2024)"] == "the whole history (1800-2024)"
    assert view.view.value == "the whole history (1800-2024)"
    assert "<b>13 mijlpalen</b> in deze periode" in view.listing.value
    assert "Wet van 13 april 1995: de &#x27;vennootschap met sociaal oogmerk&#x27;" in (
        view.listing.value)
    assert "Europese Commissie (2020)" in view.listing.value
    # the filter still works with the Dutch label on screen: the value is the id
    view.view.value = "the 2019 reform up close (2019-2024)"
    assert list(view.shown["key"]) == ["WVV approved", "WVV law", "WVV in force",
                                       "recognition decree", "WVV for existing entities",
                                       "transition ends"]
    assert "<b>6 mijlpalen</b>" in view.listing.value
    assert "1 januari 2024" in view.listing.value
    # key figures: Belgian numbers, Dutch labels
    assert "18.004 organisaties (2017)" in view.figures.value
    assert "<b>31,8</b>" in view.figures.value
    assert "Geschat aantal werknemers in sociale ondernemingen" in view.figures.value
    assert "X (aangeduid in de tabel van de seed)" in view.figures.value


def test_timeline_figure_in_dutch(dutch):
    texts = _texts(belgium.timeline_figure(belgium.milestones(), 1995, 2024))
    assert "VSO-wet\n13 april 1995" in texts
    assert "einde van de overgang\n1 januari 2024" in texts
    assert "jaar" in texts and "Sociale ondernemingen in België: 1995-2024" in texts


def test_timeline_in_english_is_unchanged():
    from welfarelab.widgets.belgium import LegalTimeline

    view = LegalTimeline(chart=False)
    assert view.view.options[0] == ("the whole history (1800-2024)",
                                    "the whole history (1800-2024)")
    assert "<b>13 milestones</b> in this window" in view.listing.value
    assert "Law of 13 April 1995" in view.listing.value
    assert "18,004 organisations (2017)" in view.figures.value
    assert "<b>31.8</b>" in view.figures.value
    texts = _texts(belgium.timeline_figure(belgium.milestones(), 1995, 2024))
    assert "VSO law\n13 April 1995" in texts and "year" in texts


def test_belgium_errors_in_dutch(dutch):
    with pytest.raises(ValueError, match="Er is geen mijlpaal 'nope'"):
        belgium.milestone(belgium.milestones(), "nope")
    with pytest.raises(ValueError, match="Het eerste jaar \\(2024\\) mag niet na"):
        belgium.in_window(belgium.milestones(), 2024, 1995)
    assert belgium.days_between(belgium.milestones(), "WVV in force", "transition ends") == 1706


# ---------------------------------------------------------------- m02: the explorers

def test_ecosystem_explorer_filters_with_dutch_labels(dutch):
    from welfarelab.widgets.ecosystem import EcosystemExplorer

    view = EcosystemExplorer(chart=False)
    domains = dict(view.domain.options)
    regions = dict(view.region.options)
    assert domains["Incubatoren"] == "Incubators" and domains["alle"] == "all"
    assert regions["Wallonië"] == "Wallonia" and regions["onbekend"] == "unknown"
    view.domain.value = domains["Incubatoren"]
    view.region.value = regions["Wallonië"]
    assert list(view.result["name"]) == WALLOON_INCUBATORS
    assert ("<b>5</b> van de 102 actoren passen (domein: Incubatoren, gewest: Wallonië)"
            in view.summary.value)
    assert "<th>naam</th>" in view.table.value and "<td>Incubatoren</td>" in view.table.value
    # the search looks in the Dutch note too
    view.domain.value = view.region.value = "all"
    view.search.value = "crowdfundingplatform"
    assert list(view.result["name"]) == ["Kisskissbankbank"]


def test_ecosystem_explorer_in_english_is_unchanged():
    from welfarelab.widgets.ecosystem import EcosystemExplorer

    view = EcosystemExplorer(chart=False)
    assert view.domain.options[1] == ("Public services and authorities",
                                      "Public services and authorities")
    view.domain.value, view.region.value = "Incubators", "Wallonia"
    assert list(view.result["name"]) == WALLOON_INCUBATORS
    assert ("<b>5</b> of 102 actors match (domain: Incubators, region: Wallonia)"
            in view.summary.value)
    view.domain.value = view.region.value = "all"
    view.search.value = "crowdfundingplatform"
    assert view.result.empty


def test_actors_figure_and_errors_in_dutch(dutch):
    fig = ecosystem.actors_figure(ecosystem.load_actors(), by="region")
    bars = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert bars[::-1][:3] == ["Vlaanderen", "Brussel", "Wallonië"]
    texts = _texts(fig)
    assert "aantal actoren" in texts and "gewest" in texts
    with pytest.raises(ValueError, match="'Limburg' is geen gewest"):
        ecosystem.filter_actors(ecosystem.load_actors(), region="Limburg")


def test_stakeholder_grid_in_dutch(dutch):
    from welfarelab.widgets.ecosystem import StakeholderGrid

    grid = StakeholderGrid(chart=False)
    assert grid.rows[0]["name"].value == "gezinnen met onbetaalde rekeningen"
    assert grid.rows[0]["power"].description == "macht"
    assert "<td>nauw betrekken</td>" in grid.table.value
    # the quadrant a function returns stays the id, the advice is Dutch
    mapped = grid.result.set_index("stakeholder")
    assert mapped.loc["gemeenteraad", "quadrant"] == "keep satisfied"
    assert mapped.loc["gemeenteraad", "advice"].startswith("veel macht, klein belang")
    texts = _texts(ecosystem.stakeholder_grid_figure(grid.stakeholders()))
    assert "in het oog houden" in texts and "macht over je idee (score 1-5)" in texts
    with pytest.raises(ValueError, match="de macht van 'OCMW' moet van 1 tot 5 gaan"):
        ecosystem.stakeholder_map([{"stakeholder": "OCMW", "power": 7, "interest": 3}])


# ---------------------------------------------------------------- m01: the enterprise explorer

def test_social_enterprise_explorer_in_dutch(dutch):
    from welfarelab.widgets.enterprise import SocialEnterpriseExplorer

    view = SocialEnterpriseExplorer(needs=["pay members a return on the money they put in"])
    assert view.emes["continuous activity"].description == (
        "economisch: een voortdurende activiteit die goederen produceert of diensten verkoopt")
    assert "Laat zeker elke behoefte toe: <b>CV-SO</b>." in view.choice.value
    assert "VZW/ASBL €\u00a00,00; CV-SO €\u00a02.400,00" in view.choice.value
    fit = enterprise.form_fit(["pay members a return on the money they put in"])
    assert list(fit.iloc[0]) == ["pay members a return on the money they put in", "nee", "ja",
                                 "leden uitbetalen uit de winst"]
    assert enterprise.forms_allowing(iter(["sell goods or services without limit"])) == [
        "VZW/ASBL", "CV-SO"]
    table = enterprise.legal_forms().set_index("topic")
    assert table.loc["stemmen", "VZW/ASBL"] == (
        "geen regel in de bronnen die de cursus las: kijk de statuten na")
    assert enterprise.emes_profile(dict.fromkeys(
        (c.key for c in enterprise.EMES_INDICATORS), True)).sentence() == (
        "economisch 3 van 3 · sociaal 3 van 3 · bestuur 3 van 3")


def test_enterprise_in_english_is_unchanged():
    fit = enterprise.form_fit(["pay members a return on the money they put in"])
    assert list(fit.iloc[0]) == ["pay members a return on the money they put in", "no", "yes",
                                 "paying members out of the profit"]
    assert enterprise.RULES[0].source.startswith("WVV art. 1:2, quoted by Scwitch")


# ---------------------------------------------------------------- teamwork

def test_peer_feedback_in_dutch_reads_a_dutch_header(dutch):
    from welfarelab.widgets.teamwork import PeerFeedbackCounter, example

    assert example().splitlines()[0] == ("team,beoordelaar,beoordeelde,inclusie,invloed,"
                                         "intimiteit,bijdrage,betrouwbaarheid,opmerking")
    counter = PeerFeedbackCounter()
    summary = counter.result.set_index("student")
    assert summary.loc["Ann", "peer_mean"] == pytest.approx(3.5)
    assert summary.loc["Cy", "flags"] == (
        "beoordeeld door 1 medestudent, minder dan 2; geen zelfbeoordeling")
    assert "<b>Formulieren die nog ontbreken (2)</b>" in counter.missing_html.value
    assert "<th>aantal beoordelaars</th>" in counter.table.value
    assert "<td>3,50</td>" in counter.table.value
    with pytest.raises(ValueError, match="Rij 2: invloed moet van 1 tot 5 gaan, niet 7"):
        teamwork.read_ratings("team,beoordelaar,beoordeelde,inclusie,invloed,intimiteit,"
                              "bijdrage,betrouwbaarheid\n1,Ann,Bo,3,7,3,3,3\n")


def test_peer_feedback_in_english_is_unchanged():
    from welfarelab.widgets.teamwork import EXAMPLE, PeerFeedbackCounter, example

    assert example() == EXAMPLE
    counter = PeerFeedbackCounter()
    summary = counter.result.set_index("student")
    assert summary.loc["Cy", "flags"] == "rated by 1 peer, fewer than 2; no self-rating"
    assert "<td>3.50</td>" in counter.table.value
    with pytest.raises(ValueError, match="no column 'rater'"):
        teamwork.read_ratings("team,beoordelaar,beoordeelde,inclusie,invloed,intimiteit,"
                              "bijdrage,betrouwbaarheid\n1,Ann,Bo,3,3,3,3,3\n")


def test_quadrant_id_reads_the_label_a_dutch_student_sees():
    """m02 Exercise 5: a Flemish student typed the chart's label "tevreden houden" and was
    told "not yet"; quadrant_id reads the label of the language in use and the English id."""
    import welfarelab
    from welfarelab.ecosystem import quadrant_id, stakeholder_quadrant

    assert quadrant_id(" Keep  Satisfied ") == "keep satisfied"
    assert quadrant_id("tevreden houden") == "tevreden houden"  # English: not a label
    assert quadrant_id(None) is None and quadrant_id(4) == 4
    welfarelab.set_language("nl")
    try:
        assert quadrant_id("Tevreden houden") == stakeholder_quadrant(4, 2) == "keep satisfied"
        assert quadrant_id("keep satisfied") == "keep satisfied"
        assert quadrant_id("nauw betrekken") == "manage closely"
        assert quadrant_id("tevreden") == "tevreden"
    finally:
        welfarelab.set_language("en")
