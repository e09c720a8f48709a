"""Issue 17 (lay2): long Dutch texts in the design, ecosystem and teamwork charts and boards
stay readable: point labels inside the axes and apart, words never broken, empty charts
without "0.2 0.4" ticks, tables with headers aligned like their values, boards wide enough.
"""

from __future__ import annotations

import itertools

import matplotlib
import pytest

import welfarelab
from welfarelab import design, ecosystem
from welfarelab.widgets import _base
from welfarelab.widgets import design as wdesign
from welfarelab.widgets import teamwork as wteamwork

matplotlib.use("Agg")

#: The m03 notebook's Dutch GBO ideas (as in the student's screenshot m03-c55).
GBO_IDEAS_NL = [
    {"idea": "één telefoonnummer voor alle diensten", "impact": 4, "effort": 3},
    {"idea": "outreach met het ziekenfonds", "impact": 5, "effort": 4},
    {"idea": "prototypepuzzel met partners", "impact": 4, "effort": 2},
    {"idea": "bewustmakingskubus", "impact": 5, "effort": 2},
    {"idea": "folder met alle diensten", "impact": 2, "effort": 1},
    {"idea": "nieuwe onthaalsoftware", "impact": 2, "effort": 5},
    {"idea": "onthaal in de bib", "impact": 4, "effort": 2},
    {"idea": "buddyvrijwilligers", "impact": 3, "effort": 3},
]

#: The m02 notebook's buddy project (screenshots m02-c33 and m02-c40).
BUDDY_NL = [
    {"stakeholder": "gezinnen met onbetaalde rekeningen", "power": 2, "interest": 5},
    {"stakeholder": "maatschappelijk werkers van het OCMW", "power": 4, "interest": 4},
    {"stakeholder": "CAW", "power": 3, "interest": 4},
    {"stakeholder": "ziekenfonds", "power": 3, "interest": 3},
    {"stakeholder": "VVSG", "power": 4, "interest": 2},
    {"stakeholder": "gemeenteraad", "power": 5, "interest": 2},
    {"stakeholder": "vrijwilligers (buddy's)", "power": 2, "interest": 4},
    {"stakeholder": "energieleverancier", "power": 2, "interest": 1},
    {"stakeholder": "OCMW Brugge", "power": 2, "interest": 5},
]


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    try:
        yield
    finally:
        welfarelab.set_language("en")


def _boxes(fig, gid):
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == gid]
    return ax.get_window_extent(renderer), [t.get_window_extent(renderer) for t in labels], \
        [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() != gid]


def _assert_readable(fig, gid, count):
    frame, labels, corners = _boxes(fig, gid)
    assert len(labels) == count
    for box in labels:  # inside the frame (1 px of rounding)
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, (box, frame)
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, (box, frame)
    for a, b in itertools.combinations(labels + corners, 2):
        assert not a.overlaps(b), (a, b)


def test_impact_effort_labels_stay_inside_and_apart_in_dutch(dutch):
    fig = design.impact_effort_figure(GBO_IDEAS_NL)
    # 8 ideas, "onthaal in de bib" and "prototypepuzzel met partners" share (2, 4): 7 labels
    _assert_readable(fig, "idea-label", 7)
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "idea-label"]
    assert "1. bewustmakingskubus" in texts
    # wrapped at spaces only: every word of every idea is whole
    words = {w for t in texts for line in t.split("\n") for w in line.split()}
    for idea in GBO_IDEAS_NL:
        assert set(idea["idea"].split()) <= words


def test_impact_effort_labels_readable_in_english_default():
    fig = design.impact_effort_figure(wdesign.default_ideas())
    _assert_readable(fig, "idea-label", 6)


def test_stakeholder_grid_labels_stay_inside_and_apart_in_dutch(dutch):
    fig = ecosystem.stakeholder_grid_figure(BUDDY_NL, title="Buddyproject: macht/belangmatrix "
                                                            "van de stakeholders")
    _assert_readable(fig, "stakeholder", 8)  # two share (5, 2): one label of both names
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "stakeholder"]
    assert any("OCMW Brugge" in t and "gezinnen" in t for t in texts)


def test_wrap_label_breaks_only_at_spaces():
    assert design.wrap_label("schuldhulpverlening en budgetbegeleiding", 12) == \
        "schuldhulpverlening\nen\nbudgetbegeleiding"
    assert design.wrap_label("sociaal-juridische dienstverlening", 10) == \
        "sociaal-juridische\ndienstverlening"
    assert design.wrap_label("6. Apple\n7. bake sale", 18) == "6. Apple\n7. bake sale"


def test_empty_actors_chart_has_no_decimal_ticks_but_a_dutch_message(dutch):
    actors = ecosystem.load_actors()
    none = ecosystem.filter_actors(actors, text="zzz-geen-enkele-naam")
    fig = ecosystem.actors_figure(none, by="domain")
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == []
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "no-actors"]
    assert notes == ["Geen enkele actor past bij deze filter."]


def test_actors_chart_ticks_are_whole_numbers():
    actors = ecosystem.load_actors()
    fig = ecosystem.actors_figure(actors.head(1), by="domain")
    fig.draw_without_rendering()
    ticks = fig.axes[0].get_xticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    assert not [t for t in fig.axes[0].texts if t.get_gid() == "no-actors"]


def test_design_tables_align_headers_left_like_values(dutch):
    board = wdesign.DotVoteBoard(chart=False)
    matrix = wdesign.ImpactEffortMatrix(chart=False)
    for table in (board.table.value, matrix.table.value):
        assert "<th>idee</th>" in table
        assert 'text-align: right' not in table and "text-align:left !important" in table


def test_peer_feedback_table_and_textarea_fit(dutch):
    counter = wteamwork.PeerFeedbackCounter()
    assert "<th>aantal beoordelaars</th>" in counter.table.value
    assert 'text-align: right' not in counter.table.value
    assert "text-align:left !important" in counter.table.value
    assert counter.text.layout.width == "calc(100% - 28px)"  # 100% + padding ran past the edge


def _min_px(column: str) -> int:
    """The least width of one grid column: "minmax(94px, 1fr)" -> 94, "90px" -> 90."""
    return int(column.removeprefix("minmax(").split("px")[0])


def test_dot_vote_columns_fit_the_longest_dutch_words(dutch):
    ideas = ["één telefoonnummer voor alle diensten", "bewustmakingskubus", "bu",
             "impactverslag zonder SROI"]
    board = wdesign.DotVoteBoard(ideas, ["gemeenteambtenaar", "student 1"], chart=False)
    columns = board.grid.layout.grid_template_columns.replace(", ", ",").split()
    assert len(columns) == 1 + len(ideas) + 1
    assert _min_px(columns[0]) >= 8 * len("gemeenteambtenaar")  # the name column
    # each idea column at least 7 px a letter of its longest word (bold 12 px), never < 60
    for column, word in zip(columns[1:-1], ["telefoonnummer", "bewustmakingskubus", "bu",
                                            "impactverslag"]):
        assert _min_px(column) >= max(60, 7 * len(word)), (column, word)
    assert columns[-1] == "90px"
    # a person added later with a longer word widens the name column
    board.add_voter("maatschappelijkwerkerstagiair")
    first = board.grid.layout.grid_template_columns.replace(", ", ",").split()[0]
    assert _min_px(first) >= 8 * len("maatschappelijkwerkerstagiair")


def test_dot_vote_columns_unchanged_when_words_fit():
    board = wdesign.DotVoteBoard(["buddy", "app", "folder"], ["Ann", "Bo"], chart=False)
    assert board.grid.layout.grid_template_columns == \
        "minmax(120px, 180px) repeat(3, minmax(60px, 1fr)) 90px"


def test_buttons_fit_their_dutch_text(dutch):
    board = wdesign.DotVoteBoard(chart=False)
    matrix = wdesign.ImpactEffortMatrix(chart=False)
    for button in (board.add_button, matrix.add_button):
        assert int(button.layout.width.removesuffix("px")) >= 8 * len(button.description) + 40


def test_buttons_keep_their_english_width():
    assert wdesign.DotVoteBoard(chart=False).add_button.layout.width == "160px"
    assert wdesign.ImpactEffortMatrix(chart=False).add_button.layout.width == "160px"


def test_stakeholder_name_boxes_fit_long_dutch_names(dutch):
    from welfarelab.widgets.ecosystem import StakeholderGrid

    grid = StakeholderGrid(BUDDY_NL[:8], chart=False)
    longest = max(len(s["stakeholder"]) for s in BUDDY_NL[:8])
    width = int(grid.rows[0]["name"].layout.width.removesuffix("px"))
    assert width >= 7 * longest + 16
    assert "text-align: right" not in grid.table.value


def test_stakeholder_name_boxes_keep_their_english_width():
    from welfarelab.widgets.ecosystem import StakeholderGrid

    grid = StakeholderGrid(chart=False)
    assert {r["name"].layout.width for r in grid.rows} == {"200px"}


def test_explorer_table_headers_left_and_empty_chart_message(dutch, monkeypatch):
    from welfarelab.widgets import ecosystem as wecosystem

    shown = []
    monkeypatch.setattr(_base, "show_figure", lambda out, fig: shown.append(fig))
    view = wecosystem.EcosystemExplorer()
    assert "text-align: right" not in view.table.value and "<th>naam</th>" in view.table.value
    view.search.value = "zzz-geen-enkele-naam"
    ax = shown[-1].axes[0]
    assert list(ax.get_xticks()) == []
    assert [t.get_text() for t in ax.texts if t.get_gid() == "no-actors"] == \
        ["Geen enkele actor past bij deze filter."]
