"""Issue 17, the teamwork and open-slot notebooks: the form's questions, the CSV columns, the
peer-feedback count's columns and the dot vote's tally are shown in the student's language,
while the ids, the result tables' columns and the downloaded CSV stay English.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

import welfarelab
from welfarelab import design, teamwork
from welfarelab.widgets.teamwork import EXAMPLE

REPO = Path(__file__).resolve().parents[1]

QUESTIONS_NL = {
    "inclusion": "Deze persoon geeft iedereen een volwaardige plaats in het team, en heeft er "
                 "zelf een.",
    "influence": "Deze persoon heeft inspraak in de keuzes van het team en gunt anderen die ook.",
    "intimacy": "Deze persoon geeft en krijgt eerlijke, opbouwende feedback.",
    "contribution": "Deze persoon doet een eerlijk deel van het werk van het team.",
    "reliability": "Deze persoon houdt zich aan de afspraken van het teamcharter (deadlines, "
                   "vergaderingen).",
}

SUMMARY_NL = ["team", "student", "aantal beoordelaars", "gemiddelde medestudenten", "spreiding",
              "laagste score medestudenten", "hoogste score medestudenten",
              "inclusie volgens medestudenten", "invloed volgens medestudenten",
              "intimiteit volgens medestudenten", "bijdrage volgens medestudenten",
              "betrouwbaarheid volgens medestudenten", "zelfbeoordeling",
              "zelf min medestudenten", "SA/PA", "signalen"]


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


# ---------------------------------------------------------------- the form's questions


def test_question_in_english_is_the_catalog_text():
    assert teamwork.question("contribution") == "This person does a fair share of the team's work."
    assert [teamwork.question(c) for c in teamwork.CRITERIA] == list(teamwork.CRITERIA.values())


def test_question_in_dutch(nl):
    assert {c: teamwork.question(c) for c in teamwork.CRITERIA} == QUESTIONS_NL


def test_question_bad_criterion_names_the_criteria(nl):
    with pytest.raises(ValueError) as err:
        teamwork.question("inclusie")
    assert str(err.value) == ("'inclusie' is geen criterium van het formulier. De criteria zijn: "
                              "inclusion, influence, intimacy, contribution, reliability.")
    with pytest.raises(TypeError, match="geen criterium"):
        teamwork.question(["inclusion"])


# ---------------------------------------------------------------- the CSV columns


def test_csv_columns_english_are_the_ids():
    assert teamwork.csv_columns() == list(teamwork.CSV_COLUMNS)


def test_csv_columns_dutch_are_read_back(nl):
    columns = teamwork.csv_columns()
    assert columns == ["team", "beoordelaar", "beoordeelde", "inclusie", "invloed", "intimiteit",
                       "bijdrage", "betrouwbaarheid", "opmerking"]
    text = ";".join(columns) + "\n1;An;Bo;5;4;3;2;1;goed\n"
    (form,) = teamwork.read_ratings(text)
    assert (form.rater, form.ratee, form.comment) == ("An", "Bo", "goed")
    assert form.scores == {"inclusion": 5, "influence": 4, "intimacy": 3, "contribution": 2,
                           "reliability": 1}


# ---------------------------------------------------------------- the count's columns


def test_summary_labels_cover_exactly_the_summary_columns():
    summary = teamwork.summarise(teamwork.read_ratings(EXAMPLE))
    assert set(teamwork.SUMMARY_LABEL) == set(summary.columns)


def test_summary_table_in_english_changes_nothing():
    summary = teamwork.summarise(teamwork.read_ratings(EXAMPLE))
    shown = teamwork.summary_table(summary)
    pd.testing.assert_frame_equal(shown, summary)
    assert shown is not summary


def test_summary_table_in_dutch(nl):
    summary = teamwork.summarise(teamwork.read_ratings(EXAMPLE))
    before = list(summary.columns)
    shown = teamwork.summary_table(summary)
    assert list(shown.columns) == SUMMARY_NL
    assert list(summary.columns) == before  # the count itself keeps its English columns
    ann = shown.set_index("student").loc["Ann"]
    assert ann["aantal beoordelaars"] == 2
    assert ann["gemiddelde medestudenten"] == pytest.approx(3.5)
    assert ann["SA/PA"] == pytest.approx(5 / 3.5)
    assert ann["signalen"] == "zelfbeoordeling 1,5 punten boven de medestudenten"
    part = teamwork.summary_table(summary[["student", "peer_mean"]].assign(extra=1))
    assert list(part.columns) == ["student", "gemiddelde medestudenten", "extra"]
    assert math.isnan(shown.set_index("student").loc["Cy", "spreiding"])


def test_summary_table_needs_a_table(nl):
    with pytest.raises(TypeError, match=r"summary moet de tabel van summarise\(\.\.\.\) zijn"):
        teamwork.summary_table([1, 2])


def test_counter_widget_table_dutch_and_csv_english(nl):
    from welfarelab.widgets.teamwork import PeerFeedbackCounter

    counter = PeerFeedbackCounter()
    assert "<th>aantal beoordelaars</th>" in counter.table.value
    assert "<th>peer_raters</th>" not in counter.table.value
    assert list(counter.result.columns) == list(teamwork.SUMMARY_LABEL)  # English ids kept
    assert "beoordelaar" in counter.text.value.split("\n", 1)[0]


# ---------------------------------------------------------------- the dot vote's tally


def test_dot_vote_table_english_is_the_result():
    result = design.dot_vote({"An": ["a", "b", "b"], "Bo": ["b"]})
    pd.testing.assert_frame_equal(design.dot_vote_table(result), result)


def test_dot_vote_table_in_dutch(nl):
    result = design.dot_vote({"An": ["a", "b", "b"], "Bo": ["b"]}, ideas=["a", "b", "c"])
    shown = design.dot_vote_table(result)
    assert list(shown.columns) == ["idee", "stemmen", "rang"]
    assert shown.values.tolist() == [["b", 3, 1], ["a", 1, 2], ["c", 0, 3]]
    assert list(result.columns) == ["idea", "votes", "rank"]  # checks key on these


def test_dot_vote_table_errors_in_dutch(nl):
    with pytest.raises(ValueError) as err:
        design.dot_vote_table(pd.DataFrame({"idea": ["a"], "rank": [1]}))
    assert str(err.value) == ("De telling heeft geen kolom 'votes'. De kolommen die er wel "
                              "zijn: 'idea', 'rank'.")
    with pytest.raises(TypeError, match=r"^result moet een tabel zijn: .* het is 5 \(int\)\.$"):
        design.dot_vote_table(5)


def test_display_table_translates_quadrants(nl):
    ranked = design.prioritise([{"idea": "x", "impact": 5, "effort": 1},
                                {"idea": "y", "impact": 1, "effort": 5}])
    shown = design.display_table(ranked)
    assert list(shown.columns) == ["idee", "impact", "inspanning", "kwadrant", "rang"]
    assert list(shown["kwadrant"]) == ["quick win", "ondankbare taak"]  # Dutch says quick win
    assert list(ranked["quadrant"]) == ["quick win", "thankless task"]


# ---------------------------------------------------------------- the notebooks


@pytest.mark.parametrize("notebook", ["notebooks/x-teamwork.ipynb",
                                      "notebooks/nl/x-teamwerk.ipynb"])
def test_teamwork_notebook_prints_the_questions_in_the_edition_language(notebook, nl):
    code = _cell(notebook, "x-team-criteria")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, notebook, "exec"), {})  # noqa: S102 (the course's own notebook cell)
    printed = out.getvalue()
    english = list(teamwork.CRITERIA.values())
    # the Dutch cell sets Dutch itself; the English cell is run in Dutch here too: both follow
    # the language in use, neither prints the stored English text
    assert all(q in printed for q in QUESTIONS_NL.values())
    assert not any(q in printed for q in english)
    assert all(f"{c:>12}: " in printed for c in teamwork.CRITERIA)


def test_dutch_teamwork_notebook_has_no_hand_made_question_table():
    form = _cell("notebooks/nl/x-teamwerk.ipynb", "x-team-form")
    assert "| vraag |" not in form and "in het Engels" not in form
    assert not any(q in form for q in QUESTIONS_NL.values())


@pytest.mark.parametrize("notebook", ["notebooks/x-open-slot.ipynb",
                                      "notebooks/nl/x-open-sessie.ipynb"])
def test_open_slot_shows_the_tally_with_dot_vote_table(notebook):
    code = _cell(notebook, "x-open-vote-code-cell")
    assert code.rstrip().splitlines()[-1].startswith("dot_vote_table(tally)")
