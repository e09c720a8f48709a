"""Customer-journey maps and service blueprints (welfarelab.journey): oracles worked by hand,
the JSON round trip, and errors that name the field."""

import json

import pytest

from welfarelab.journey import (
    BLUEPRINT_KIND,
    FORMAT_VERSION,
    JOURNEY_KIND,
    Action,
    Blueprint,
    BlueprintStep,
    Journey,
    Stage,
    gbo_example,
)


def small_journey():
    """Four stages worked by hand: feelings 0, -2, -2, +1 (two lowest: the first counts);
    actors A, B, (none), A -> handovers A->B and B->A = 2; stage 2 has a pain and no
    opportunity, stage 3 has a pain and an opportunity."""
    return Journey(persona="older person living alone", stages=[
        Stage("hears of the service", actor="neighbour", emotion=0),
        Stage("phones", actor="call centre", emotion=-2, pain_points=["long wait"]),
        Stage("waits at home", emotion=-2, pain_points=["no news"],
              opportunities=["a text message with the date"]),
        Stage("home visit", actor="Neighbour ", emotion=1),
    ])


# ---------------------------------------------------------------------- journey figures


def test_moment_of_truth_is_the_first_lowest_stage():
    journey = small_journey()
    assert journey.emotion_curve() == [0, -2, -2, 1]
    assert journey.moment_of_truth().name == "phones"
    # Raise the first low point: the other one becomes the moment of truth.
    stages = list(journey.stages)
    stages[1] = Stage("phones", actor="call centre", emotion=-1)
    assert Journey("p", stages).moment_of_truth().name == "waits at home"


def test_handovers_skip_stages_without_actor_and_ignore_case():
    journey = small_journey()
    # neighbour -> call centre -> (nobody) -> "Neighbour " (same as the first, case and
    # spaces ignored): two changes of actor.
    assert journey.handovers() == 2
    assert journey.actors() == ["neighbour", "call centre"]
    one_actor = Journey("p", [Stage("a", actor="OCMW"), Stage("b", actor="ocmw")])
    assert one_actor.handovers() == 0


def test_unaddressed_stages_have_a_pain_and_no_opportunity():
    journey = small_journey()
    assert journey.unaddressed_stages() == ["phones"]
    assert journey.pain_point_count() == 2


def test_gbo_example_figures():
    journey, blueprint = gbo_example()
    # Feelings -1, -1, -2, +1, 0: the intake conversation is the lowest point.
    assert journey.moment_of_truth().name == "first intake conversation"
    # Actors: (none), call centre, OCMW, OCMW, CAW -> two handovers.
    assert journey.handovers() == 2
    assert journey.unaddressed_stages() == ["looks for the right service",
                                            "referred to debt counselling"]
    # Backstage actors not frontstage in the same step: intake 1 (administration),
    # referral 1 (CAW counsellor), counselling 1 (CAW team) -> 3.
    assert blueprint.handovers_across_visibility() == 3
    # Frontstage: call centre -> OCMW -> OCMW -> CAW: two new faces.
    assert blueprint.frontstage_handovers() == 2
    assert blueprint.interactions() == 4


def test_to_frame_has_one_row_per_stage():
    frame = small_journey().to_frame()
    assert list(frame["stage"]) == ["hears of the service", "phones", "waits at home",
                                    "home visit"]
    assert list(frame["feeling"]) == ["neutral", "very bad", "very bad", "good"]
    assert frame.loc[2, "opportunities"] == "a text message with the date"


def test_figure_marks_the_moment_of_truth():
    journey = small_journey()
    fig = journey.figure()
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    line = ax.lines[-1]
    assert list(line.get_ydata()) == [0, -2, -2, 1]
    offsets = ax.collections[0].get_offsets()
    assert tuple(offsets[0]) == (1.0, -2.0)  # the first lowest stage, "phones"
    assert "moment of truth, is 'phones' (-2)" in journey.alt_text()
    assert "home visit +1" in journey.alt_text() and "hears of the service 0" in journey.alt_text()


# ---------------------------------------------------------------------- JSON


def test_journey_json_round_trip(tmp_path):
    journey, _ = gbo_example()
    data = json.loads(journey.to_json())
    assert data["kind"] == JOURNEY_KIND and data["version"] == FORMAT_VERSION
    assert data["stages"][2]["pain_points"] == ["tells the story again", "missing documents"]
    assert Journey.from_json(journey.to_json()) == journey
    path = journey.save(tmp_path / "j.json")
    assert Journey.load(path) == journey


def test_blueprint_json_round_trip(tmp_path):
    _, blueprint = gbo_example()
    data = blueprint.to_dict()
    assert data["kind"] == BLUEPRINT_KIND and data["version"] == FORMAT_VERSION
    assert data["steps"][1]["backstage"][1] == {"actor": "OCMW administration",
                                                "action": "checks entitlements in databases"}
    assert Blueprint.from_json(blueprint.to_json()) == blueprint
    assert Blueprint.load(blueprint.save(tmp_path / "b.json")) == blueprint


def test_newer_version_and_other_kind_are_refused():
    data = small_journey().to_dict()
    data["version"] = FORMAT_VERSION + 1
    with pytest.raises(ValueError, match="newer welfarelab"):
        Journey.from_dict(data)
    _, blueprint = gbo_example()
    with pytest.raises(ValueError, match="not a customer-journey map"):
        Journey.from_dict(blueprint.to_dict())
    data = small_journey().to_dict()
    data["version"] = True
    with pytest.raises(ValueError, match="version"):
        Journey.from_dict(data)


def test_bad_json_and_unknown_fields():
    with pytest.raises(ValueError, match="not valid JSON"):
        Journey.from_json("{stages: ")
    data = small_journey().to_dict()
    data["stages"][0]["mood"] = 3
    with pytest.raises(ValueError, match="'mood'.*stage number 1"):
        Journey.from_dict(data)


# ---------------------------------------------------------------------- errors name the field


@pytest.mark.parametrize("emotion", [3, -3])
def test_emotion_out_of_range(emotion):
    with pytest.raises(ValueError, match=r"feeling score \(emotion\) of stage 'x' is"):
        Stage("x", emotion=emotion)


@pytest.mark.parametrize("emotion", [1.5, "2", True, None])
def test_emotion_not_a_whole_number(emotion):
    with pytest.raises(TypeError, match="emotion"):
        Stage("x", emotion=emotion)


def test_stage_errors_name_the_field():
    with pytest.raises(ValueError, match="name of a stage is empty"):
        Stage("  ")
    with pytest.raises(TypeError, match="channel of stage 'x'"):
        Stage("x", channel=3)
    with pytest.raises(TypeError, match="Item 2 of the pain points of stage 'x'"):
        Stage("x", pain_points=["ok", 4])
    assert Stage("x", pain_points="one text").pain_points == ("one text",)


def test_journey_errors():
    with pytest.raises(ValueError, match="persona of the journey is empty"):
        Journey("", [Stage("a")])
    with pytest.raises(ValueError, match="no stages"):
        Journey("p", [])
    with pytest.raises(ValueError, match="Two stages are called 'A'"):
        Journey("p", [Stage("a"), Stage("A")])
    with pytest.raises(TypeError, match="Stage number 2"):
        Journey("p", [Stage("a"), "b"])
    with pytest.raises(ValueError, match="no stage called 'z'"):
        small_journey().stage("z")


def test_blueprint_errors():
    with pytest.raises(ValueError, match="customer action of step 's' is empty"):
        BlueprintStep("s", customer_action="")
    with pytest.raises(TypeError, match="pair \\(actor, action\\)"):
        BlueprintStep("s", customer_action="c", backstage=["only text"])
    with pytest.raises(ValueError, match="actor of an action is empty"):
        Action("", "x")
    with pytest.raises(ValueError, match="no steps"):
        Blueprint([])
    with pytest.raises(ValueError, match="unknown|lane must be"):
        gbo_example()[1].actors("offstage")


def test_blueprint_handovers_by_rule():
    # Same worker front and back: no handover; two other backstage actors: 2.
    step = BlueprintStep("s", customer_action="asks",
                         frontstage=[("worker", "listens")],
                         backstage=[("worker", "writes"), ("admin", "checks"),
                                    ("Admin", "files"), ("lawyer", "advises")])
    assert Blueprint([step]).handovers_across_visibility() == 2
    assert Blueprint([step]).actors("backstage") == ["worker", "admin", "lawyer"]


def test_blueprint_figure_marks_the_handovers_in_vermillion():
    from matplotlib.colors import to_hex

    from welfarelab.plotting import OKABE_ITO

    _, blueprint = gbo_example()
    fig = blueprint.figure()
    ax = fig.axes[0]
    edges = [to_hex(t.get_bbox_patch().get_edgecolor()) for t in ax.texts
             if t.get_bbox_patch() is not None]
    # One box per evidence item, customer action and lane action: 6 + 4 + 4 + 4 + 3.
    assert len(edges) == 21
    assert edges.count(OKABE_ITO["vermillion"].lower()) == blueprint.handovers_across_visibility()
    assert [t.get_text() for t in ax.get_xticklabels()] == blueprint.step_names()
    lines = [t.get_text() for t in ax.texts if t.get_bbox_patch() is None]
    assert lines == ["line of interaction", "line of visibility", "line of internal interaction"]
    assert "Handovers across the line of visibility: 3." in blueprint.alt_text()
