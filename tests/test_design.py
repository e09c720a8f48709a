"""Tests of welfarelab.design: impact–effort matrix, dot voting, persona summaries."""

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from welfarelab.design import (
    NO_ANSWER,
    QUADRANTS,
    THRESHOLD,
    dot_vote,
    impact_effort_figure,
    persona_summary,
    prioritise,
    quadrant,
)

# A hand-made table: (idea, impact, effort) and, worked out by hand from the stated rule,
# the expected quadrant and rank.
IDEAS = [
    # idea             impact effort quadrant          rank   impact - effort
    ("Website",         1,    4,     "thankless task", 12),  # -3
    ("Helpdesk",        3,    3,     "major project",  5),   # 0, impact 3
    ("Flyers",          2,    1,     "fill-in",        8),   # 1, impact 2, name after bake sale
    ("Buddy system",    5,    2,     "quick win",      1),   # 3, impact 5
    ("Newsletter",      1,    2,     "fill-in",        10),  # -1
    ("Info evening",    3,    1,     "quick win",      3),   # 2
    ("Day centre",      5,    5,     "major project",  4),   # 0, impact 5
    ("bake sale",       2,    1,     "fill-in",        7),   # 1, impact 2, name (case ignored)
    ("Peer app",        4,    1,     "quick win",      2),   # 3, impact 4
    ("Poster",          2,    2,     "fill-in",        9),   # 0
    ("Audit",           2,    3,     "thankless task", 11),  # -1
    ("Apple",           2,    1,     "fill-in",        6),   # 1, impact 2, name first
]


def ideas_table():
    return pd.DataFrame([row[:3] for row in IDEAS], columns=["idea", "impact", "effort"])


# ---------------------------------------------------------------- prioritise


def test_quadrants_and_ranks_of_a_hand_made_table():
    result = prioritise(ideas_table())
    assert list(result.columns) == ["idea", "impact", "effort", "quadrant", "rank"]
    expected = sorted(IDEAS, key=lambda row: row[4])
    assert list(result["idea"]) == [row[0] for row in expected]
    assert list(result["rank"]) == list(range(1, 13))
    assert list(result["quadrant"]) == [row[3] for row in expected]
    assert list(result.index) == list(range(12))
    by_name = result.set_index("idea")
    for idea, impact, effort, quad, rank in IDEAS:
        assert by_name.loc[idea, "quadrant"] == quad
        assert by_name.loc[idea, "rank"] == rank
        assert by_name.loc[idea, "impact"] == impact
        assert by_name.loc[idea, "effort"] == effort


def test_tie_break_order_in_detail():
    result = prioritise(ideas_table())
    order = list(result["idea"])
    # same quadrant and same impact - effort (3): higher impact first
    assert order.index("Buddy system") < order.index("Peer app")
    # same quadrant, same impact - effort (0): higher impact first
    assert order.index("Day centre") < order.index("Helpdesk")
    # all else equal: alphabetical, ignoring upper/lower case
    assert order[5:8] == ["Apple", "bake sale", "Flyers"]


def test_input_row_order_does_not_matter():
    a = prioritise(ideas_table())
    b = prioritise(ideas_table().iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


def test_threshold_is_three_and_three_counts_as_high():
    assert THRESHOLD == 3
    assert quadrant(3, 2.99) == "quick win"
    assert quadrant(3, 3) == "major project"
    assert quadrant(2.99, 2.99) == "fill-in"
    assert quadrant(2.99, 3) == "thankless task"
    assert quadrant(5, 1) == "quick win" and quadrant(1, 5) == "thankless task"
    assert QUADRANTS == ("quick win", "major project", "fill-in", "thankless task")


def test_decimal_scores_extra_columns_and_list_of_dicts():
    result = prioritise([
        {"idea": "A", "impact": 3.5, "effort": 2.5, "owner": "Lotte"},
        {"idea": "B", "impact": 4, "effort": 4, "owner": "Sam"},
        {"idea": "C", "impact": 4.5, "effort": 1, "owner": "Ines"},
    ])
    assert list(result.columns) == ["idea", "impact", "effort", "quadrant", "rank", "owner"]
    assert list(result["idea"]) == ["C", "A", "B"]
    assert list(result["owner"]) == ["Ines", "Lotte", "Sam"]
    assert list(result["quadrant"]) == ["quick win", "quick win", "major project"]


def test_prioritising_a_prioritised_table_gives_the_same_table():
    once = prioritise(ideas_table())
    pd.testing.assert_frame_equal(prioritise(once), once)


def test_missing_column_is_named():
    table = ideas_table().drop(columns="effort")
    with pytest.raises(ValueError, match="no column 'effort'.*'idea', 'impact'"):
        prioritise(table)


@pytest.mark.parametrize("column, value", [("impact", 6), ("effort", 0), ("impact", 5.5),
                                           ("effort", -1), ("impact", math.inf)])
def test_score_outside_1_to_5_names_idea_and_column(column, value):
    table = ideas_table()
    table[column] = table[column].astype(float)
    table.loc[table["idea"] == "Poster", column] = value
    with pytest.raises(ValueError, match=f"{column} score of idea 'Poster' must be from 1 to 5"):
        prioritise(table)


def test_other_bad_input():
    with pytest.raises(TypeError, match="impact score of idea 'A'.*number"):
        prioritise([{"idea": "A", "impact": "4", "effort": 1}])
    with pytest.raises(TypeError, match="number"):
        prioritise([{"idea": "A", "impact": True, "effort": 1}])
    with pytest.raises(ValueError, match="effort score of idea 'A' is empty"):
        prioritise(pd.DataFrame({"idea": ["A"], "impact": [3], "effort": [float("nan")]}))
    nullable = pd.DataFrame({"idea": ["A", "B"], "impact": pd.array([3, None], dtype="Int64"),
                             "effort": [1, 1]})
    with pytest.raises(ValueError, match="impact score of idea 'B' is empty"):
        prioritise(nullable)
    with pytest.raises(ValueError, match="'A' appears more than once"):
        prioritise([{"idea": "A", "impact": 3, "effort": 1}, {"idea": " A ", "impact": 2,
                                                               "effort": 1}])
    with pytest.raises(ValueError, match="Row 2.*no idea name"):
        prioritise(pd.DataFrame({"idea": ["A", None], "impact": [3, 3], "effort": [1, 1]}))
    with pytest.raises(ValueError, match="empty"):
        prioritise(pd.DataFrame(columns=["idea", "impact", "effort"]))
    with pytest.raises(TypeError, match="table"):
        prioritise("Buddy system")
    with pytest.raises(TypeError, match="impact score must be a number"):
        quadrant("high", 2)


def test_impact_effort_figure():
    from matplotlib.figure import Figure

    fig = impact_effort_figure(ideas_table())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "effort (1–5)"
    assert ax.get_ylabel() == "impact (1–5)"
    quadrant_names = sorted(t.get_text() for t in ax.texts
                            if (t.get_gid() or "").startswith("quadrant:"))
    assert quadrant_names == sorted(QUADRANTS)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "idea-label"]
    # Apple, bake sale and Flyers share the point (effort 1, impact 2): one label, three lines.
    assert len(labels) == 10
    assert "6. Apple\n7. bake sale\n8. Flyers" in labels
    assert "1. Buddy system" in labels
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == 12
    lines = {(tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.lines}
    assert ((3, 3), (0, 1)) in lines and ((0, 1), (3, 3)) in lines


def test_impact_effort_figure_on_given_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        assert impact_effort_figure(ideas_table(), title="Our ideas", ax=ax) is fig
        assert ax.get_title() == "Our ideas"
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- dot_vote


def test_dot_vote_list():
    result = dot_vote(["B", "A", "B", "C", "A", "B"])
    assert list(result.columns) == ["idea", "votes", "rank"]
    assert result.to_dict("list") == {"idea": ["B", "A", "C"], "votes": [3, 2, 1],
                                      "rank": [1, 2, 3]}


def test_dot_vote_ties_are_broken_alphabetically():
    result = dot_vote(["zebra", "apple", "Mango", "zebra", "apple", "Mango", "kiwi"])
    assert list(result["idea"]) == ["apple", "Mango", "zebra", "kiwi"]
    assert list(result["votes"]) == [2, 2, 2, 1]
    assert list(result["rank"]) == [1, 2, 3, 4]


def test_dot_vote_mapping_with_all_ideas_and_limit():
    votes = {"An": ["Buddy", "App", "Buddy"], "Bo": "App", "Cy": [" Buddy "], "Di": []}
    result = dot_vote(votes, ideas=["Buddy", "App", "Helpdesk", "Bus"], dots_per_voter=3)
    assert result.to_dict("list") == {"idea": ["Buddy", "App", "Bus", "Helpdesk"],
                                      "votes": [3, 2, 0, 0], "rank": [1, 2, 3, 4]}
    with pytest.raises(ValueError, match="'An' placed 3 dots, but each person has only 2"):
        dot_vote(votes, dots_per_voter=2)
    with pytest.raises(ValueError, match="'Helpdsk'.*not in the list of ideas"):
        dot_vote(["Helpdsk"], ideas=["Helpdesk"])
    with pytest.raises(ValueError, match="dictionary"):
        dot_vote(["A"], dots_per_voter=2)


@pytest.mark.parametrize("votes", [[], {}, {"An": [], "Bo": []}])
def test_dot_vote_without_votes_fails(votes):
    with pytest.raises(ValueError, match="no votes"):
        dot_vote(votes)


def test_dot_vote_bad_input():
    with pytest.raises(TypeError, match="not a single text"):
        dot_vote("Buddy")
    with pytest.raises(TypeError, match="Dot 2.*text"):
        dot_vote(["Buddy", 3])
    with pytest.raises(ValueError, match="Dot 1 of 'An'.*empty idea name"):
        dot_vote({"An": ["  "]})
    with pytest.raises(TypeError, match="list of idea names.*or a dictionary.*42"):
        dot_vote(42)
    with pytest.raises(ValueError, match="dots_per_voter"):
        dot_vote({"An": ["x"]}, dots_per_voter=0)


names = st.sampled_from(["Buddy", "buddy", "App", "Helpdesk", "Zorg", "éclair", "Bus"])


@given(st.lists(names, min_size=1, max_size=60))
def test_dot_vote_properties(votes):
    result = dot_vote(votes)
    assert result["votes"].sum() == len(votes)
    assert sorted(result["rank"]) == list(range(1, len(result) + 1))
    assert list(result["rank"]) == list(range(1, len(result) + 1))
    assert set(result["idea"]) == set(votes)
    for idea, n in zip(result["idea"], result["votes"]):
        assert n == votes.count(idea)
    rows = list(zip(result["votes"], result["idea"]))
    for (v1, i1), (v2, i2) in itertools.pairwise(rows):
        assert v1 > v2 or (v1 == v2 and (i1.casefold(), i1) < (i2.casefold(), i2))


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.lists(names, max_size=5),
                       min_size=1, max_size=8).filter(lambda d: any(d.values())))
def test_dot_vote_mapping_properties(votes):
    result = dot_vote(votes)
    assert result["votes"].sum() == sum(len(v) for v in votes.values())
    assert sorted(result["rank"]) == list(range(1, len(result) + 1))


# ---------------------------------------------------------------- persona_summary


def survey():
    return pd.DataFrame({
        "persona": ["student", "parent", "student", "professional", "student", None,
                    "parent", "professional", "student ", "parent"],
        "needs_help": ["yes", "yes", "no", "no", "yes", "yes", "no", "yes", "yes", ""],
        "age": [20, 41, 22, 35, 20, 67, 41, 35, 20, 38],
    })


def test_persona_summary_counts_and_shares():
    result = persona_summary(survey())
    assert list(result.columns) == ["persona", "count", "share"]
    assert list(result["persona"]) == ["student", "parent", "professional", NO_ANSWER]
    assert list(result["count"]) == [4, 3, 2, 1]
    assert list(result["share"]) == pytest.approx([0.4, 0.3, 0.2, 0.1], abs=1e-4)
    assert result["share"].sum() == pytest.approx(1.0, abs=1e-4)
    assert list(result.index) == [0, 1, 2, 3]


def test_persona_summary_ties_sorted_by_name():
    table = pd.DataFrame({"persona": ["b", "A", "b", "A", "c", "(no answer)", None]})
    result = persona_summary(table)
    # A typed "(no answer)" and a missing answer are the same group; it sorts after names.
    assert list(result["persona"]) == ["A", "b", NO_ANSWER, "c"]
    assert list(result["count"]) == [2, 2, 2, 1]
    numbers = persona_summary(pd.DataFrame({"age": [40, 9, 100, 9, 40, 100]}), by="age")
    assert list(numbers["age"]) == [9, 40, 100]


def test_persona_summary_cross_table_in_long_form():
    result = persona_summary(survey(), by=["persona", "needs_help"])
    assert list(result.columns) == ["persona", "needs_help", "count", "share"]
    rows = [tuple(r) for r in result[["persona", "needs_help", "count"]].itertuples(index=False)]
    assert rows == [
        ("student", "yes", 3),
        ("parent", "no", 1),
        ("parent", "yes", 1),
        ("parent", NO_ANSWER, 1),
        ("professional", "no", 1),
        ("professional", "yes", 1),
        ("student", "no", 1),
        (NO_ANSWER, "yes", 1),
    ]
    assert result["count"].sum() == 10
    assert result["share"].sum() == pytest.approx(1.0, abs=1e-4)
    assert result["share"].iloc[0] == pytest.approx(0.3, abs=1e-4)


def test_persona_summary_errors():
    with pytest.raises(ValueError, match="no column 'role'.*'persona', 'needs_help', 'age'"):
        persona_summary(survey(), by="role")
    with pytest.raises(ValueError, match="no column 'role'"):
        persona_summary(survey(), by=["persona", "role"])
    with pytest.raises(ValueError, match="no column 'persona'"):
        persona_summary(pd.DataFrame({"age": [1]}))
    with pytest.raises(ValueError, match="no rows"):
        persona_summary(survey().iloc[0:0])
    with pytest.raises(ValueError, match="more than once"):
        persona_summary(survey(), by=["persona", "persona"])
    with pytest.raises(ValueError, match="empty"):
        persona_summary(survey(), by=[])
    with pytest.raises(ValueError, match="rename"):
        persona_summary(pd.DataFrame({"count": [1]}), by="count")
    with pytest.raises(TypeError, match="DataFrame"):
        persona_summary([{"persona": "x"}])
    with pytest.raises(TypeError, match="column name"):
        persona_summary(survey(), by=3)
