"""The peer-feedback form and its count (welfarelab.teamwork); oracles worked out by hand."""

import math

import pytest

from welfarelab import teamwork
from welfarelab.teamwork import CRITERIA, make_rating, missing_ratings, read_ratings, summarise

HEADER = "team,rater,ratee,inclusion,influence,intimacy,contribution,reliability,comment"

# Team A: Ann, Bo and Cy. Cy has filled in nothing, and Bo did not rate Cy.
FORMS = """team,rater,ratee,inclusion,influence,intimacy,contribution,reliability,comment
A,Ann,Ann,5,5,5,5,5,
A,Bo,Ann,4,4,4,4,4,"listens well, talks a lot"
A,Cy,Ann,3,3,3,3,3,
A,Ann,Bo,4,4,4,4,5,
A,Cy,Bo,2,3,4,5,1,late twice
A,Bo,Bo,4,4,4,4,4,
A,Ann,Cy,3,3,3,3,3,
"""


def by_student(frame):
    return frame.set_index("student")


def test_summary_oracle_by_hand():
    table = by_student(summarise(read_ratings(FORMS)))
    ann, bo, cy = table.loc["Ann"], table.loc["Bo"], table.loc["Cy"]
    # Ann: peers 4 and 3 -> mean 3.5, sample sd sqrt(0.5); self 5 -> 1.5 above, SA/PA 5/3.5
    assert ann["peer_raters"] == 2
    assert ann["peer_mean"] == pytest.approx(3.5)
    assert ann["peer_spread"] == pytest.approx(math.sqrt(0.5))
    assert (ann["peer_min"], ann["peer_max"]) == (3.0, 4.0)
    assert ann["self_rating"] == 5.0
    assert ann["self_minus_peers"] == pytest.approx(1.5)
    assert ann["sa_pa"] == pytest.approx(5 / 3.5)
    assert ann["flags"] == "self-rating 1.5 points above the peers"
    # Bo: Ann's form means 21/5 = 4.2, Cy's 15/5 = 3.0 -> 3.6; self 4.0 -> 0.4, no flag
    assert bo["peer_mean"] == pytest.approx(3.6)
    assert bo["peer_inclusion"] == pytest.approx(3.0)
    assert bo["peer_reliability"] == pytest.approx(3.0)
    assert bo["self_minus_peers"] == pytest.approx(0.4)
    assert bo["flags"] == ""
    # Cy: one peer, no self-rating: spread and self columns empty, two flags explain why
    assert cy["peer_raters"] == 1 and cy["peer_mean"] == 3.0
    assert math.isnan(cy["peer_spread"]) and math.isnan(cy["self_rating"])
    assert math.isnan(cy["sa_pa"])
    assert cy["flags"] == "rated by 1 peer, fewer than 2; no self-rating"


def test_thresholds_are_parameters():
    forms = read_ratings(FORMS)
    table = by_student(summarise(forms, min_peers=1, gap=2.0))
    assert table.loc["Ann", "flags"] == ""
    assert table.loc["Cy", "flags"] == "no self-rating"
    lower = by_student(summarise(forms, gap=0.4))  # Bo's gap of exactly 0.4 is flagged
    assert lower.loc["Bo", "flags"] == "self-rating 0.4 points above the peers"
    with pytest.raises(ValueError, match="min_peers"):
        summarise(forms, min_peers=0)
    with pytest.raises(ValueError, match="gap"):
        summarise(forms, gap=0)


def test_self_rating_below_peers_is_flagged_below():
    forms = [make_rating("T", "Dee", "Dee", dict.fromkeys(CRITERIA, 2)),
             make_rating("T", "Eli", "Dee", dict.fromkeys(CRITERIA, 4)),
             make_rating("T", "Fay", "Dee", dict.fromkeys(CRITERIA, 5))]
    row = by_student(summarise(forms)).loc["Dee"]
    assert row["self_minus_peers"] == pytest.approx(-2.5)
    assert row["sa_pa"] == pytest.approx(2 / 4.5)
    assert row["flags"] == "self-rating 2.5 points below the peers"


def test_a_member_nobody_rated_still_gets_a_row():
    forms = [make_rating("T", "Gus", "Hal", dict.fromkeys(CRITERIA, 4))]
    table = by_student(summarise(forms))
    assert list(table.index) == ["Gus", "Hal"]
    assert table.loc["Gus", "peer_raters"] == 0 and math.isnan(table.loc["Gus", "peer_mean"])
    assert table.loc["Gus", "flags"] == "rated by 0 peers, fewer than 2; no self-rating"
    assert table.loc["Hal", "peer_mean"] == 4.0


def test_missing_forms_are_listed():
    assert missing_ratings(read_ratings(FORMS)) == [("A", "Bo", "Cy"), ("A", "Cy", "Cy")]


def test_semicolon_bom_and_extra_columns_are_read(tmp_path):
    text = ("\ufeffTimestamp;Team;Rater;Ratee;Inclusion;Influence;Intimacy;Contribution;"
            "Reliability\n2026-03-01 10:00;B;Gus;Hal;5;4;3;2;1\n")
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    (form,) = read_ratings(path)
    assert (form.team, form.rater, form.ratee) == ("B", "Gus", "Hal")
    assert form.scores == {"inclusion": 5, "influence": 4, "intimacy": 3, "contribution": 2,
                           "reliability": 1}
    assert form.overall == 3.0 and form.comment == "" and not form.is_self


@pytest.mark.parametrize(("row", "message"), [
    ("A,Ann,Bo,4,7,4,4,4,", "Row 2: influence must be from 1 to 5, not 7"),
    ("A,Ann,Bo,4,4,four,4,4,", "Row 2: intimacy must be a whole number from 1 to 5, not 'four'"),
    ("A,Ann,Bo,4,4,4,3.5,4,", "Row 2: contribution must be a whole number"),
    ("A,Ann,Bo,4,4,4,4,,", "Row 2: reliability is empty"),
    ("A, ,Bo,4,4,4,4,4,", "Row 2: rater is empty"),
])
def test_a_bad_cell_names_its_row_and_column(row, message):
    with pytest.raises(ValueError, match=message):
        read_ratings(f"{HEADER}\n{row}\n")


def test_the_row_number_counts_the_header_and_skips_blank_lines():
    text = f"{HEADER}\nA,Ann,Bo,4,4,4,4,4,\n\nA,Bo,Ann,4,4,0,4,4,\n"
    with pytest.raises(ValueError, match="Row 4: intimacy must be from 1 to 5, not 0"):
        read_ratings(text)


def test_file_level_problems_are_explained():
    with pytest.raises(ValueError, match="no column 'reliability'"):
        read_ratings("team,rater,ratee,inclusion,influence,intimacy,contribution\nA,a,b,1,1,1,1\n")
    with pytest.raises(ValueError, match="no forms"):
        read_ratings(HEADER + "\n")
    with pytest.raises(ValueError, match="Row 3: ann rated bo twice in team A \\(also in Row 2\\)"):
        read_ratings(f"{HEADER}\nA,Ann,Bo,4,4,4,4,4,\nA,ann,bo,3,3,3,3,3,\n")
    with pytest.raises(ValueError, match="Row 3: Bo appears in team B and in team A"):
        read_ratings(f"{HEADER}\nA,Ann,Bo,4,4,4,4,4,\nB,Bo,Cy,3,3,3,3,3,\n")
    with pytest.raises(TypeError, match="source must be"):
        read_ratings(42)


def test_make_rating_validates_each_field():
    good = dict.fromkeys(CRITERIA, 3)
    assert make_rating(" A ", "Ann  Lee", "Bo", good).rater == "Ann Lee"
    with pytest.raises(ValueError, match="'kindness' is not a criterion"):
        make_rating("A", "Ann", "Bo", {**good, "kindness": 4})
    with pytest.raises(ValueError, match="rating for reliability is missing"):
        make_rating("A", "Ann", "Bo", {c: 3 for c in list(CRITERIA)[:4]})
    with pytest.raises(TypeError, match="inclusion must be a whole number"):
        make_rating("A", "Ann", "Bo", {**good, "inclusion": True})
    with pytest.raises(TypeError, match="team must be a text"):
        make_rating(7, "Ann", "Bo", good)
    with pytest.raises(TypeError, match="scores must be a dict"):
        make_rating("A", "Ann", "Bo", [3, 3, 3, 3, 3])


def test_hostile_text_is_kept_as_text():
    # a formula or markup in a comment is data: kept as typed, never evaluated
    (form,) = read_ratings(f'{HEADER}\nA,Ann,Bo,4,4,4,4,4,"=HYPERLINK(""x""),<b>hi</b>"\n')
    assert form.comment == '=HYPERLINK("x"),<b>hi</b>'
    with pytest.raises(ValueError, match="longer than"):
        make_rating("A", "x" * (teamwork.MAX_TEXT + 1), "Bo", dict.fromkeys(CRITERIA, 3))


def test_the_seeds_three_criteria_come_first():
    assert list(CRITERIA)[:3] == ["inclusion", "influence", "intimacy"]
    assert teamwork.CSV_COLUMNS[:3] == ("team", "rater", "ratee")


def test_summarise_rejects_what_is_not_a_list_of_forms():
    with pytest.raises(TypeError, match="list of PeerRating"):
        summarise([{"team": "A"}])
    with pytest.raises(ValueError, match="empty"):
        summarise([])


def test_widget_counts_the_pasted_export_and_shows_errors_in_the_widget():
    pytest.importorskip("ipywidgets")
    from welfarelab.widgets import teamwork as view

    counter = view.PeerFeedbackCounter()
    row = counter.result.set_index("student").loc["Ann"]
    assert row["peer_mean"] == pytest.approx(3.5)  # the same count as the function
    assert counter.missing == [("1", "Bo", "Cy"), ("1", "Cy", "Cy")]
    assert "Forms still missing (2)" in counter.missing_html.value
    assert "peer-feedback-summary.csv" in counter.download.value
    counter.text.value = HEADER + "\nA,Ann,Bo,4,9,4,4,4,\n"
    assert counter.result is None
    assert "Row 2: influence must be from 1 to 5, not 9" in counter.message.value
    assert counter.table.value == ""
    counter.text.value = HEADER + "\nA,Ann,<b>x</b>,4,4,4,4,4,\n"
    assert "&lt;b&gt;x&lt;/b&gt;" in counter.table.value and "<b>x</b>" not in counter.table.value


def test_widget_is_registered_and_quiet_under_nbgrader(monkeypatch):
    pytest.importorskip("ipywidgets")
    from welfarelab import widgets

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in widgets.peer_feedback_counter().value
