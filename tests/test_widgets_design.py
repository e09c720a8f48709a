"""The impact–effort matrix and the dot-vote board: thin views over welfarelab.design."""

import pandas as pd
import pytest

from welfarelab.design import dot_vote, prioritise
from welfarelab.widgets import _base
from welfarelab.widgets.design import (
    DEFAULT_IDEAS,
    DotVoteBoard,
    ImpactEffortMatrix,
    dot_vote_board,
    dot_vote_figure,
    impact_effort_matrix,
)


@pytest.fixture
def matrix():
    return ImpactEffortMatrix(chart=False)


@pytest.fixture
def board():
    return DotVoteBoard(chart=False)


def row_of(matrix, name):
    return next(r for r in matrix.rows if r["idea"].value == name)


# ---------------------------------------------------------------------- impact–effort matrix


def test_matrix_shows_the_models_ranking(matrix):
    assert len(matrix.rows) == len(DEFAULT_IDEAS)
    pd.testing.assert_frame_equal(matrix.result, prioritise(DEFAULT_IDEAS))
    # Worked by hand from the rule: quick wins first (impact - effort 3, then 2), then major
    # projects (impact 5 before 4 at the same difference 1 and 0), fill-in, thankless task.
    assert list(matrix.result["idea"]) == [
        "awareness cube (Meetjesland)", "prototype puzzle (Oudenaarde)",
        "shared intake desk", "outreach work", "leaflet of all services",
        "new intake software"]
    table = matrix.table.value
    assert table.index("awareness cube") < table.index("shared intake desk") \
        < table.index("new intake software")
    assert "quick win" in table and "thankless task" in table
    assert matrix.message.value == ""


def test_moving_sliders_changes_the_ranking(matrix):
    software = row_of(matrix, "new intake software")
    software["impact"].value = 5
    software["effort"].value = 1  # quick win with impact - effort = 4: the best idea now
    assert matrix.result.loc[0, "idea"] == "new intake software"
    assert matrix.result.loc[0, "quadrant"] == "quick win"
    assert matrix.result.loc[0, "rank"] == 1
    cube = row_of(matrix, "awareness cube (Meetjesland)")
    cube["effort"].value = 5  # impact 5, effort 5: a major project, difference 0
    ranked = matrix.result.set_index("idea")
    assert ranked.loc["awareness cube (Meetjesland)", "quadrant"] == "major project"
    assert ranked.loc["awareness cube (Meetjesland)", "rank"] == 4
    pd.testing.assert_frame_equal(matrix.result, prioritise(matrix.ideas()))


def test_renaming_an_idea_updates_the_table(matrix):
    row_of(matrix, "outreach work")["idea"].value = "street corner work"
    assert "street corner work" in list(matrix.result["idea"])
    assert "street corner work" in matrix.table.value


def test_add_and_remove_rows(matrix):
    matrix.add_button.click()
    assert len(matrix.rows) == 7
    new = matrix.result.set_index("idea").loc["new idea 1"]
    assert (new["impact"], new["effort"], new["quadrant"]) == (3, 3, "major project")
    matrix.add_button.click()
    assert "new idea 2" in list(matrix.result["idea"])
    row_of(matrix, "new idea 1")["remove"].click()
    assert "new idea 1" not in list(matrix.result["idea"])
    assert len(matrix.rows) == 7 and len(matrix.rows_box.children) == 7
    row_of(matrix, "awareness cube (Meetjesland)")["remove"].click()
    assert matrix.result.loc[0, "idea"] == "prototype puzzle (Oudenaarde)"


@pytest.mark.parametrize("typed,shown", [
    ("outreach work", "appears more than once"),
    ("   ", "empty idea name"),
])
def test_bad_names_show_a_message_not_a_traceback(matrix, typed, shown):
    row_of(matrix, "shared intake desk")["idea"].value = typed
    assert matrix.result is None
    assert shown in matrix.message.value
    assert matrix.table.value == ""
    matrix.rows[0]["idea"].value = "shared intake desk"
    assert matrix.result is not None and matrix.message.value == ""


def test_removing_every_idea_says_the_table_is_empty(matrix):
    while matrix.rows:
        matrix.rows[0]["remove"].click()
    assert "The ideas table is empty" in matrix.message.value
    matrix.add_idea("buddy", impact=4, effort=2)
    assert list(matrix.result["quadrant"]) == ["quick win"]


def test_matrix_takes_a_table_of_ideas():
    ideas = pd.DataFrame({"idea": ["a", "b"], "impact": [2, 4], "effort": [4.0, 2.0]})
    matrix = ImpactEffortMatrix(ideas, chart=False)
    assert list(matrix.result["idea"]) == ["b", "a"]
    assert [r["effort"].value for r in matrix.rows] == [4, 2]


@pytest.mark.parametrize("ideas,error,words", [
    ([{"idea": "a", "impact": 2.5, "effort": 3}], ValueError, "whole numbers"),
    ([{"idea": "a", "impact": 7, "effort": 3}], ValueError, "from 1 to 5"),
    ([{"name": "a", "impact": 2, "effort": 3}], ValueError, "no column 'idea'"),
])
def test_bad_starting_ideas_are_refused_in_words(ideas, error, words):
    with pytest.raises(error, match=words):
        ImpactEffortMatrix(ideas, chart=False)


def test_matrix_draws_the_models_figure(monkeypatch):
    shown = []
    monkeypatch.setattr(_base, "show_figure", lambda out, fig: shown.append(fig))
    matrix = ImpactEffortMatrix()
    row_of(matrix, "outreach work")["effort"].value = 2
    fig = shown[-1]
    ax = fig.axes[0]
    assert ax.get_xlabel() == "effort (1–5)" and ax.get_ylabel() == "impact (1–5)"
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "idea-label"]
    rank = matrix.result.set_index("idea").loc["outreach work", "rank"]
    assert f"{rank}. outreach work" in "\n".join(labels)


def test_matrix_unexpected_errors_are_shown_and_raised(matrix, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("welfarelab.widgets.design.design.prioritise", broken)
    with pytest.raises(RuntimeError):
        matrix.update()
    assert "Unexpected problem: boom" in matrix.message.value
    assert matrix.result is None


# ---------------------------------------------------------------------- dot voting


def test_default_board_tallies_the_gbo_votes(board):
    # Counted by hand: outreach 4 and intake desk 4 (tie, alphabetical), cube 2, leaflet 1
    # and puzzle 1 (tie, alphabetical), software 0.
    assert list(board.result["idea"]) == [
        "outreach work", "shared intake desk", "awareness cube (Meetjesland)",
        "leaflet of all services", "prototype puzzle (Oudenaarde)", "new intake software"]
    assert list(board.result["votes"]) == [4, 4, 2, 1, 1, 0]
    assert list(board.result["rank"]) == [1, 2, 3, 4, 5, 6]
    assert all(left.value.count(">0<") == 1 for left in board.left.values())
    assert "<td>outreach work</td>" in board.table.value
    assert board.message.value == ""


def test_placing_dots_changes_the_tally(board):
    board.cells["citizen with a question"]["leaflet of all services"].value = "0"
    board.cells["citizen with a question"]["new intake software"].value = "1"
    votes = board.votes()
    assert votes["citizen with a question"] == ["shared intake desk", "outreach work",
                                                "new intake software"]
    pd.testing.assert_frame_equal(
        board.result, dot_vote(votes, ideas=board.ideas, dots_per_voter=3))
    tally = board.result.set_index("idea")["votes"]
    assert tally["new intake software"] == 1 and tally["leaflet of all services"] == 0
    assert tally.sum() == 12


def test_too_many_dots_shows_the_models_message(board):
    board.cells["counsellor (CAW)"]["outreach work"].value = "3"  # 3 + 1 + 1 = 5 dots
    assert board.result is None
    assert "&#x27;counsellor (CAW)&#x27; placed 5 dots, but each person has only 3." \
        in board.message.value
    assert "-2" in board.left["counsellor (CAW)"].value
    assert board.table.value == ""
    board.cells["counsellor (CAW)"]["outreach work"].value = "1"
    assert board.result is not None and board.message.value == ""


def test_a_board_without_dots_says_so():
    board = DotVoteBoard(ideas=["buddy", "app"], voters=["An", "Bo"], chart=False)
    assert board.result is None
    assert "No dots placed yet" in board.message.value
    board.cells["Bo"]["app"].value = "2"
    assert board.result.to_dict("list") == {"idea": ["app", "buddy"], "votes": [2, 0],
                                           "rank": [1, 2]}


def test_add_a_voter(board):
    board.new_voter.value = "  director  "
    board.add_button.click()
    assert "director" in board.cells and board.new_voter.value == ""
    assert len(board.grid.children) == (len(board.ideas) + 2) * 6  # header + 5 people
    board.cells["director"]["new intake software"].value = "3"
    assert board.result.set_index("idea").loc["new intake software", "votes"] == 3
    assert not board.add_voter("director")
    assert "already on the board" in board.message.value
    assert not board.add_voter("  ")
    assert "Type the name" in board.message.value


def test_board_with_voters_dict_and_dots_per_voter():
    board = DotVoteBoard(ideas=["a", "b", "c"], voters={"x": ["a", "b"], "y": "c"},
                         dots_per_voter=2, chart=False)
    assert board.cells["y"]["c"].value == "1"
    assert dict(zip(board.result["idea"], board.result["votes"])) == {"a": 1, "b": 1, "c": 1}
    board.cells["y"]["a"].value = "2"  # y now has 3 dots, 2 allowed
    assert "&#x27;y&#x27; placed 3 dots, but each person has only 2." in board.message.value


@pytest.mark.parametrize("kwargs,error,words", [
    ({"dots_per_voter": 0}, ValueError, "dots_per_voter"),
    ({"ideas": ["a", "a"]}, ValueError, "appears more than once"),
    ({"ideas": "a"}, TypeError, "list of idea names"),
    ({"ideas": ["a"], "voters": ["x", "x"]}, ValueError, "appears twice"),
    ({"ideas": ["a"], "voters": {"x": ["b"]}}, ValueError, "not in the list of ideas"),
    ({"ideas": ["a"], "voters": {"x": ["a"] * 4}}, ValueError, "only 3"),
])
def test_bad_board_set_up_is_refused_in_words(kwargs, error, words):
    with pytest.raises(error, match=words):
        DotVoteBoard(chart=False, **kwargs)


def test_dot_vote_figure_shows_the_tally_ranked():
    result = dot_vote({"x": ["a", "b", "b"], "y": ["b"]}, ideas=["a", "b", "c"])
    fig = dot_vote_figure(result, title="test")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["1. b", "2. a", "3. c"]
    assert [p.get_width() for p in ax.patches] == [3, 1, 0]
    assert ax.get_xlabel() == "dots (number of votes)"
    assert ax.yaxis_inverted()  # rank 1 on top


def test_board_draws_the_chart(monkeypatch):
    shown = []
    monkeypatch.setattr(_base, "show_figure", lambda out, fig: shown.append(fig))
    DotVoteBoard()
    assert shown and shown[-1].axes[0].get_title() == "12 dots from 4 people"


def test_board_unexpected_errors_are_shown_and_raised(board, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("welfarelab.widgets.design.design.dot_vote", broken)
    with pytest.raises(RuntimeError):
        board.update()
    assert "Unexpected problem: boom" in board.message.value


# ---------------------------------------------------------------------- factories


def test_factories_return_the_boards():
    matrix = impact_effort_matrix()
    board = dot_vote_board(ideas=["a", "b"], voters={"x": ["a"]}, dots_per_voter=1)
    assert isinstance(matrix, ImpactEffortMatrix) and isinstance(board, DotVoteBoard)
    assert "application/vnd.jupyter.widget-view+json" in matrix._repr_mimebundle_()
    assert list(board.result["idea"]) == ["a", "b"]


def test_factories_are_placeholders_while_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert "switched off" in impact_effort_matrix().value
    assert "switched off" in dot_vote_board().value


def test_factories_are_registered():
    from welfarelab import widgets

    assert widgets.impact_effort_matrix is impact_effort_matrix
    assert widgets.dot_vote_board is dot_vote_board
