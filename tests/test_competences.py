"""The competence self-assessment of module m00: checks, summary, radar figure and widget."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from welfarelab import competences as c

EXAMPLE = [4, 3, 5, 4, 4, 2, 1, 3]   # soft skills 4, 3, 5, 4, 4; business skills 2, 1, 3


def test_the_eight_competences_of_the_focus_group():
    # seed section 5.2.4: five soft skills and three business-related skills
    assert c.SOFT_SKILLS == ("empathy", "creativity", "collaboration", "communication",
                             "open attitude")
    assert c.BUSINESS_SKILLS == ("finance", "knowledge of business models", "strategic thinking")
    assert c.COMPETENCES == c.SOFT_SKILLS + c.BUSINESS_SKILLS
    assert list(c.SCALE) == [1, 2, 3, 4, 5]


def test_list_and_dict_give_the_same_profile():
    as_dict = dict(zip(c.COMPETENCES, EXAMPLE))
    assert c.ratings_dict(EXAMPLE) == as_dict
    shuffled = dict(reversed(list(as_dict.items())))
    assert list(c.ratings_dict(shuffled)) == list(c.COMPETENCES)
    # names are forgiving about case and spaces
    loose = {f"  {k.upper()} ": v for k, v in as_dict.items()}
    assert c.ratings_dict(loose) == as_dict


def test_profile_table():
    table = c.profile(EXAMPLE)
    assert list(table.columns) == ["competence", "group", "rating", "meaning"]
    assert table["group"].tolist() == ["soft skills"] * 5 + ["business skills"] * 3
    assert table.loc[6, "meaning"] == "new to me"
    assert table.loc[2, "meaning"] == "I could teach it to others"


def test_summary_worked_example():
    s = c.summary(EXAMPLE)
    assert s.soft_mean == pytest.approx(4.0)
    assert s.business_mean == pytest.approx(2.0)
    assert s.gap == pytest.approx(2.0)
    assert s.strongest == ("collaboration",)
    assert s.to_grow == ("knowledge of business models",)
    assert "mismatch" in s.sentence()


def test_summary_ties_and_balance_and_reverse_gap():
    s = c.summary([3] * 8)
    assert s.strongest == s.to_grow == c.COMPETENCES
    assert "balance" in s.sentence()
    r = c.summary([2, 2, 2, 2, 2, 5, 5, 5])
    assert r.gap == pytest.approx(-3.0)
    assert "soft skills are your growth area" in r.sentence()


@pytest.mark.parametrize("ratings,error,match", [
    ([4, 3, 5], ValueError, "Give 8 ratings"),
    ([4, 3, 5, 4, 4, 2, 1, 6], ValueError, "strategic thinking.*from 1 to 5.*6"),
    ([4, 3, 5, 4, 4, 2, 1, 0], ValueError, "from 1 to 5"),
    ([4, 3, 5, 4, 4, 2, 1, 2.5], ValueError, "whole number"),
    ([4, 3, 5, 4, 4, 2, 1, float("nan")], ValueError, "whole number"),
    ([4, 3, 5, 4, 4, 2, 1, float("inf")], ValueError, "whole number"),
    ([4, 3, 5, 4, 4, 2, 1, "3"], TypeError, "without quotes"),
    ([4, 3, 5, 4, 4, 2, 1, None], TypeError, "strategic thinking"),
    ([4, 3, 5, 4, 4, 2, 1, True], TypeError, "whole number"),
    ({"empathy": 4}, ValueError, "creativity, collaboration.*are missing"),
    ({**dict(zip(c.COMPETENCES, EXAMPLE)), "patience": 3}, ValueError, "'patience' is not one"),
    ("44444444", TypeError, "dictionary"),
    (42, TypeError, "dictionary"),
])
def test_bad_ratings_are_explained(ratings, error, match):
    with pytest.raises(error, match=match):
        c.summary(ratings)


def test_whole_floats_are_accepted():
    assert c.ratings_dict([4.0] * 8)["finance"] == 4


@given(st.lists(st.integers(1, 5), min_size=8, max_size=8))
def test_summary_properties(ratings):
    s = c.summary(ratings)
    assert 1 <= s.soft_mean <= 5 and 1 <= s.business_mean <= 5
    assert -4 <= s.gap <= 4
    assert s.gap == pytest.approx(s.soft_mean - s.business_mean)
    # reordering the soft skills among themselves does not change the averages
    swapped = ratings[:5][::-1] + ratings[5:]
    assert c.summary(swapped).soft_mean == pytest.approx(s.soft_mean)
    assert set(s.strongest) <= set(c.COMPETENCES) and s.strongest and s.to_grow


@given(st.lists(st.integers(1, 5), min_size=8, max_size=8), st.integers(0, 7))
def test_raising_one_rating_never_lowers_its_group_average(ratings, i):
    if ratings[i] == 5:
        return
    higher = list(ratings)
    higher[i] += 1
    before, after = c.summary(ratings), c.summary(higher)
    if c.COMPETENCES[i] in c.SOFT_SKILLS:
        assert after.soft_mean > before.soft_mean and after.gap > before.gap
    else:
        assert after.business_mean > before.business_mean and after.gap < before.gap


def test_radar_figure():
    from matplotlib.figure import Figure

    fig = c.radar_figure(EXAMPLE, goal=[5] * 8, title="Test")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.name == "polar"
    assert ax.get_title() == "Test"
    assert "self-rating" in ax.get_xlabel() and "the centre is 0" in ax.get_xlabel()
    # the radial axis starts at 0 (the centre); the rings are the ratings 1-5
    assert ax.get_ylim()[0] == 0
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3", "4", "5"]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == list(c.COMPETENCES)
    now = next(line for line in ax.lines if line.get_gid() == "line:now")
    assert list(now.get_ydata()) == EXAMPLE + EXAMPLE[:1]        # closed polygon
    goal = next(line for line in ax.lines if line.get_gid() == "line:goal")
    assert goal.get_linestyle() == "--"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"now", "goal", "soft skills", "business skills"} <= set(legend)
    from welfarelab.plotting import OKABE_ITO
    assert now.get_color() == OKABE_ITO["blue"]


def test_radar_figure_on_given_axes_and_bad_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(subplot_kw={"projection": "polar"})
    try:
        assert c.radar_figure(EXAMPLE, ax=ax) is fig
    finally:
        plt.close(fig)
    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match="polar"):
            c.radar_figure(EXAMPLE, ax=ax)
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="Give 8 ratings"):
        c.radar_figure(EXAMPLE, goal=[1, 2])


# ---------------------------------------------------------------- the widget


@pytest.fixture
def radar():
    from welfarelab.widgets.competences import CompetenceRadar

    return CompetenceRadar(EXAMPLE, chart=True)


def test_widget_shows_the_package_summary(radar):
    assert radar.result == c.summary(EXAMPLE)
    assert "4.0" in radar.summary.value and "2.0" in radar.summary.value
    assert "+2.0" in radar.summary.value
    assert radar.message.value == ""


def test_chart_is_a_png_in_the_output_state_only(radar):
    # the chart goes into the Output's state, never through display(): a display from a
    # slider's callback can land in JupyterLab's log console
    (shown,) = radar.chart_out.outputs
    assert shown["output_type"] == "display_data"
    assert base64.b64decode(shown["data"]["image/png"]).startswith(b"\x89PNG")
    radar.show_goal.value = True
    assert len(radar.chart_out.outputs) == 1


def test_no_figure_stays_open_in_pyplot(radar):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    radar.now["finance"].value = 5
    radar.show_goal.value = True
    assert plt.get_fignums() == before


def test_scale_legend_has_one_line_per_point(radar):
    legend = radar.widget.children[0].children[0].value
    for point, meaning in c.SCALE.items():
        assert f"<span style='white-space:nowrap'>{point} = {meaning}</span>" in legend


def test_the_shown_box_reads_the_sliders_back(radar):
    radar.now["finance"].value = 5
    radar.goal["empathy"].value = 2
    assert radar.widget.ratings() == {**dict(zip(c.COMPETENCES, EXAMPLE)), "finance": 5}
    assert radar.widget.goal_ratings()["empathy"] == 2
    c.ratings_dict(radar.widget.ratings())       # a valid my_ratings for the notebook


def test_moving_a_slider_updates_the_summary(radar):
    radar.now["knowledge of business models"].value = 5
    assert radar.result.business_mean == pytest.approx(10 / 3)
    assert radar.result.strongest == ("collaboration", "knowledge of business models")
    assert "3.3" in radar.summary.value


def test_goal_is_drawn_when_ticked(radar, monkeypatch):
    calls = []
    real = c.radar_figure

    def spy(ratings, goal=None, **kw):
        calls.append(goal)
        return real(ratings, goal=goal, **kw)

    monkeypatch.setattr("welfarelab.widgets.competences.competences.radar_figure", spy)
    radar.goal["finance"].value = 5
    assert calls[-1] is None           # goal not drawn yet
    radar.show_goal.value = True
    assert calls[-1]["finance"] == 5


def test_unexpected_errors_are_shown_and_raised(radar, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("welfarelab.widgets.competences.competences.summary", broken)
    with pytest.raises(RuntimeError):
        radar.update()
    assert "Unexpected problem: boom" in radar.message.value


def test_input_errors_show_in_the_widget(radar, monkeypatch):
    def bad(*args, **kwargs):
        raise ValueError("The rating of 'finance' must be from 1 to 5")

    monkeypatch.setattr("welfarelab.widgets.competences.competences.summary", bad)
    radar.update()
    assert radar.result is None and "must be from 1 to 5" in radar.message.value
    assert radar.summary.value == ""


def test_factory_and_grading_placeholder(monkeypatch):
    import ipywidgets as w

    from welfarelab.widgets.competences import competence_radar

    shown = competence_radar()
    assert isinstance(shown, w.HBox) and shown.ratings()["finance"] == 2
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    placeholder = competence_radar()
    assert isinstance(placeholder, w.HTML) and "switched off" in placeholder.value
    with pytest.raises(ValueError):
        monkeypatch.delenv("NBGRADER_EXECUTION")
        competence_radar([1, 2, 3])
