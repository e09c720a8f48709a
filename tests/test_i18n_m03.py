"""Issue 17, module m03: the tables of persona_summary, prioritise and dot_vote are shown with
Dutch column names in the Dutch edition (design.display_table / dot_vote_table), while the
result tables themselves keep the English columns that code and checks use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import welfarelab
from welfarelab import design
from welfarelab.data import load

REPO = Path(__file__).resolve().parents[1]

READING = ("notebooks/m03-design-thinking-and-service-design.ipynb",
           "notebooks/nl/m03-design-thinking-en-service-design.ipynb")
ASSIGNMENT = ("source/m03/m03-service-design.ipynb", "source/m03-nl/m03-service-design-gbo.ipynb",
              "release/m03/m03-service-design.ipynb",
              "release/m03-nl/m03-service-design-gbo.ipynb")


@pytest.fixture
def nl():
    """Dutch for the test, English again afterwards."""
    welfarelab.set_language("nl")
    try:
        yield
    finally:
        welfarelab.set_language("en")


def _cell(notebook: str, cell_id: str) -> str:
    cells = json.loads((REPO / notebook).read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c.get("id") == cell_id)["source"])


def _last_line(notebook: str, cell_id: str) -> str:
    return _cell(notebook, cell_id).rstrip().splitlines()[-1]


SURVEY = pd.DataFrame({"persona": ["parent", "parent", "older person", "parent", " "],
                       "channel": ["OCMW", "outreach", "OCMW", "OCMW", "CAW"]})


# ---------------------------------------------------------------- persona_summary's table


def test_persona_summary_shown_in_english_is_unchanged():
    shown = design.display_table(design.persona_summary(SURVEY))
    assert list(shown.columns) == ["persona", "count", "share"]
    assert list(shown["count"]) == [3, 1, 1]


def test_persona_summary_shown_in_dutch_has_dutch_count_and_share(nl):
    counts = design.persona_summary(SURVEY)
    shown = design.display_table(counts)
    assert list(shown.columns) == ["persona", "aantal", "aandeel"]
    assert list(shown["persona"]) == ["parent", "older person", "(geen antwoord)"]
    assert list(shown["aantal"]) == [3, 1, 1]
    assert list(shown["aandeel"]) == pytest.approx([0.6, 0.2, 0.2])
    # the result itself keeps the English columns that code and checks use
    assert list(counts.columns) == ["persona", "count", "share"]


def test_persona_summary_by_two_columns_keeps_the_survey_column_names(nl):
    shown = design.display_table(design.persona_summary(SURVEY, by=["persona", "channel"]))
    assert list(shown.columns) == ["persona", "channel", "aantal", "aandeel"]
    assert shown.iloc[0].tolist()[:3] == ["parent", "OCMW", 2]


def test_the_gbo_survey_in_dutch_counts_as_the_assignment_checks(nl):
    shown = design.display_table(design.persona_summary(load("gbo_intake_survey")))
    assert dict(zip(shown["persona"], shown["aantal"])) == {
        "household with unpaid bills": 75, "jobseeker hard to reach": 53,
        "newcomer to Belgium": 50, "older person living alone": 46,
        "young adult leaving youth care": 28}


def test_ranking_and_tally_shown_in_dutch(nl):
    ideas = pd.DataFrame({"idea": ["a", "b"], "impact": [5, 2], "effort": [1, 5]})
    ranking = design.display_table(design.prioritise(ideas))
    assert list(ranking.columns) == ["idee", "impact", "inspanning", "kwadrant", "rang"]
    assert ranking.loc[0, "kwadrant"] == design.quadrant_name("quick win")
    assert ranking.loc[0, "idee"] == "a"
    tally = design.dot_vote_table(design.dot_vote({"x": ["a", "a"], "y": ["b"]}, ideas=["a", "b"]))
    assert list(tally.columns) == ["idee", "stemmen", "rang"]
    assert list(tally["stemmen"]) == [2, 1]


# ---------------------------------------------------------------- the notebooks


@pytest.mark.parametrize("notebook", READING)
def test_reading_notebooks_show_the_tables_translated(notebook):
    assert _last_line(notebook, "cell-022") == "display_table(persona_summary(survey))"
    assert _last_line(notebook, "cell-026") == (
        'display_table(persona_summary(survey, by=["persona", "channel"]).head(10))')
    assert _last_line(notebook, "cell-033") == "display_table(gbo_ranking)"
    assert _last_line(notebook, "cell-039") == "dot_vote_table(gbo_tally)"
    # what is assigned and checked stays the result with English columns
    assert "gbo_ranking = prioritise(gbo_ideas)" in _cell(notebook, "cell-033")
    assert "gbo_tally = dot_vote(" in _cell(notebook, "cell-039")
    assert '.loc[' in _cell(notebook, "cell-061") and '"votes"]' in _cell(notebook, "cell-061")


@pytest.mark.parametrize("notebook", ASSIGNMENT)
def test_assignment_look_cells_show_the_tables_translated(notebook):
    assert _last_line(notebook, "163280b5") == "display_table(persona_counts)"
    assert _last_line(notebook, "47af49c4") == "display_table(ranking)"
    assert _last_line(notebook, "df27a8cd") == "dot_vote_table(tally)"
    for cell_id in ("163280b5", "47af49c4", "df27a8cd"):
        assert "from welfarelab.design import display_table, dot_vote_table" in _cell(
            notebook, cell_id)
    # the checked cells still check the English columns
    assert '["persona", "count", "share"]' in _cell(notebook, "cell-005")
    assert '["idea", "votes", "rank"]' in _cell(notebook, "cell-014")


def test_dutch_reading_hint_names_the_shown_column():
    assert "kolom 'aantal'" in _cell(READING[1], "cell-052")
    assert "column 'count'" in _cell(READING[0], "cell-052")
