"""The customer-journey map editor: a thin view over welfarelab.journey, driven by .value."""

import json

import pytest

from welfarelab.journey import Journey, Stage, gbo_example
from welfarelab.widgets import journey_map
from welfarelab.widgets.journey import JourneyMap


@pytest.fixture
def editor():
    return JourneyMap(chart=False)


def test_starts_with_the_gbo_example_and_the_models_figures(editor):
    journey, _ = gbo_example()
    assert editor.journey == journey
    assert editor.result == journey
    assert len(editor.rows) == 5
    assert "first intake conversation" in editor.summary.value
    assert "Handovers</b> (passed on to another actor): 2" in editor.summary.value
    assert editor.message.value == ""


def test_moving_a_feeling_slider_moves_the_moment_of_truth(editor):
    editor.rows[2]["emotion"].value = 1          # the intake goes well now
    assert editor.result.emotion_curve() == [-1, -1, 1, 1, 0]
    # Two stages share -1: the first of them is the moment of truth.
    assert editor.result.moment_of_truth().name == "bills pile up"
    assert "bills pile up" in editor.summary.value


def test_typing_actors_and_opportunities_changes_the_counts(editor):
    editor.rows[4]["actor"].value = "OCMW social worker"   # no referral to the CAW
    assert editor.result.handovers() == 1
    editor.rows[1]["opportunities"].value = "one phone number; a GBO desk in the library"
    assert editor.result.stage("looks for the right service").opportunities == (
        "one phone number", "a GBO desk in the library")
    assert editor.result.unaddressed_stages() == ["referred to debt counselling"]


def test_a_problem_shows_in_the_widget_not_as_a_traceback(editor):
    editor.rows[1]["name"].value = "Bills pile up"   # same name as stage 1
    assert editor.result is None
    assert "Two stages are called" in editor.message.value
    editor.rows[1]["name"].value = "looks around"
    assert editor.result is not None and editor.message.value == ""
    editor.persona.value = " "
    assert "persona of the journey is empty" in editor.message.value


def test_add_and_remove_stages(editor):
    row = editor.add_stage()
    assert editor.result is None and "has no name" in editor.message.value
    row["name"].value = "follow-up call"
    row["emotion"].value = 2
    assert editor.result.stage_names()[-1] == "follow-up call"
    editor.remove_stage(0)
    assert editor.result.stage_names()[0] == "looks for the right service"
    assert len(editor.result.stages) == 5


def test_chart_follows_the_form():
    editor = JourneyMap()
    assert "moment of truth, is 'first intake conversation' (-2)" in editor.chart_view.alt
    editor.rows[0]["emotion"].value = -2
    assert "moment of truth, is 'bills pile up' (-2)" in editor.chart_view.alt
    assert editor.chart_view.png.startswith(b"\x89PNG")
    editor.rows[0]["name"].value = ""          # a stage without a name: no chart of it
    assert editor.result is None and editor.chart_view.png == b"" and editor.chart_view.alt == ""
    assert editor.summary.value == ""
    editor.rows[0]["name"].value = "bills pile up"
    assert editor.chart_view.png and "bills pile up -2" in editor.chart_view.alt


def test_save_and_load_round_trip(editor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editor.rows[0]["thoughts"].value = "Next month, maybe."
    editor.file_name.value = "bills"
    path = editor.save()
    assert path.name == "bills.json"
    saved = json.loads((tmp_path / "bills.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "customer-journey-map"
    assert saved["stages"][0]["thoughts"] == "Next month, maybe."
    other = JourneyMap(Journey("someone", [Stage("one")]), chart=False)
    loaded = other.load_file("bills.json")
    assert loaded == editor.journey == other.journey
    assert "Loaded bills.json" in other.message.value
    assert "base64," in editor.download.value and "bills.json" in editor.download.value


def test_load_refuses_bad_files(editor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = editor.journey
    assert editor.load_file("missing.json") is None
    assert "There is no file called" in editor.message.value
    (tmp_path / "canvas.json").write_text('{"kind": "social-business-model-canvas", '
                                          '"version": 1}', encoding="utf-8")
    assert editor.load_file("canvas.json") is None
    assert "not a customer-journey map" in editor.message.value
    editor.file_name.value = "../elsewhere.json"
    assert editor.save() is None and "without a folder" in editor.message.value
    assert editor.journey == before


def test_upload_is_parsed_by_the_model_only(editor):
    journey = Journey("newcomer", [Stage("arrives", emotion=-1), Stage("gets help", emotion=1)])
    upload = ({"name": "../../etc/evil.json", "content": memoryview(
        journey.to_json().encode("utf-8"))},)
    assert editor.load_upload(upload) == journey
    assert "Loaded evil.json" in editor.message.value
    assert editor.load_upload(({"name": "x.json", "content": memoryview(b"\xff\xfe")},)) is None
    assert "not a text" in editor.message.value
    big = ({"name": "big.json", "content": memoryview(b" " * 2_000_000)},)
    assert editor.load_upload(big) is None and "far too big" in editor.message.value
    assert editor.journey == journey


def test_factory_and_grading_placeholder(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert isinstance(journey_map(), JourneyMap)
    assert journey_map(example=None).journey.stage_names() == ["first stage"]
    with pytest.raises(ValueError, match="no example"):
        journey_map(example="nope")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in journey_map().value
