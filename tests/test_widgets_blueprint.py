"""The service-blueprint editor: a thin view over welfarelab.journey, driven by .value."""

import json

import pytest

from welfarelab.journey import Blueprint, BlueprintStep, gbo_example
from welfarelab.widgets import blueprint_editor
from welfarelab.widgets.blueprint import BlueprintEditor


@pytest.fixture
def editor():
    return BlueprintEditor(chart=False)


def _summary_handovers(editor) -> int:
    """The number the summary line shows after 'the line of visibility:'."""
    text = editor.summary.value.split("line of visibility:")[1]
    return int(text.strip().rstrip("."))


def test_starts_with_the_gbo_example_and_its_figures(editor):
    blueprint = gbo_example()[1]
    assert editor.blueprint == blueprint
    assert editor.result == blueprint
    assert len(editor.steps) == len(blueprint.steps) == len(editor.tabs.children)
    assert list(editor.tabs.titles) == blueprint.step_names()
    assert f"Steps: {len(blueprint.steps)};" in editor.summary.value
    assert f"{blueprint.interactions()};" in editor.summary.value
    assert _summary_handovers(editor) == blueprint.handovers_across_visibility()
    assert editor.message.value == ""


def test_editing_a_lane_changes_the_handovers_in_the_summary(editor):
    before = _summary_handovers(editor)
    step = editor.steps[0]
    front = step["frontstage"].value.splitlines()[0].split(":")[0]
    # two backstage actors the person never meets in this step, plus the frontstage worker
    step["backstage"].value = (f"{front}: writes a note\nCAW counsellor: reads the file\n"
                               "energy supplier: pauses the reminders")
    assert _summary_handovers(editor) == editor.result.handovers_across_visibility()
    first_alone = Blueprint(steps=[gbo_example()[1].steps[0]]).handovers_across_visibility()
    expected = before - first_alone + 2
    assert _summary_handovers(editor) == expected
    assert editor.result.steps[0].backstage[2].actor == "energy supplier"


def test_a_line_without_a_colon_is_named_with_its_lane(editor):
    editor.steps[1]["support"].value = "client database: stores the file\njust some words"
    assert editor.result is None
    assert "lane support, line 2" in editor.message.value
    assert "Step 2" in editor.message.value
    assert editor.summary.value == ""
    editor.steps[1]["support"].value = "client database: stores the file"
    assert editor.message.value == "" and editor.result is not None


def test_an_empty_name_or_action_shows_the_models_message(editor):
    editor.steps[0]["customer_action"].value = "  "
    assert editor.result is None and "customer action" in editor.message.value
    editor.steps[0]["customer_action"].value = "calls"
    editor.steps[2]["frontstage"].value = ": smiles"
    assert editor.result is None and "actor" in editor.message.value


def test_evidence_is_split_at_commas(editor):
    editor.steps[0]["evidence"].value = "reminder letter, phone number on the website,"
    assert editor.result.steps[0].evidence == ("reminder letter", "phone number on the website")


def test_add_and_remove_a_step(editor):
    count = len(editor.steps)
    editor.add_step()
    assert len(editor.tabs.children) == count + 1
    assert editor.result is None and "name" in editor.message.value   # the new step is empty
    editor.steps[-1]["name"].value = "follow-up"
    editor.steps[-1]["customer_action"].value = "gets a call back"
    editor.steps[-1]["frontstage"].value = "OCMW social worker: calls back"
    assert editor.result.step_names()[-1] == "follow-up"
    assert editor.tabs.titles[-1] == "follow-up"
    editor.remove_step(0)
    assert editor.result.step_names() == gbo_example()[1].step_names()[1:] + ["follow-up"]
    while len(editor.steps) > 1:
        editor.remove_step(0)
    editor.remove_step(0)                               # the last step stays
    assert len(editor.steps) == 1 and "at least one step" in editor.message.value
    assert editor.remove_button.disabled


def test_save_then_upload_round_trip(editor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editor.steps[0]["evidence"].value = "reminder letter"
    editor.file_name.value = "ours"
    path = editor.save()
    assert path is not None and path.name == "ours.json" and "Saved as ours.json" in (
        editor.message.value)
    saved = editor.result
    other = BlueprintEditor(chart=False)
    upload = ({"name": "../../x/ours.json", "content": memoryview(path.read_bytes())},)
    assert other.load_upload(upload) == saved
    assert other.blueprint == saved and other.steps[0]["evidence"].value == "reminder letter"
    assert "Loaded ours.json" in other.message.value
    assert Blueprint.from_json(path.read_text(encoding="utf-8")) == saved
    assert json.loads(path.read_text(encoding="utf-8"))["kind"] == Blueprint.KIND
    assert other.load_file("ours.json") == saved


def test_bad_files_and_names_are_refused_in_words(editor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editor.file_name.value = "../up.json"
    assert editor.save() is None and "without a folder" in editor.message.value
    assert editor.load_file("missing.json") is None and "no file called" in editor.message.value
    journey = gbo_example()[0]
    bad = ({"name": "j.json", "content": memoryview(journey.to_json().encode())},)
    assert editor.load_upload(bad) is None and "Cannot load" in editor.message.value
    assert editor.blueprint == gbo_example()[1]          # the form is unchanged


def test_factory_and_grading_placeholder(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    made = blueprint_editor()
    assert isinstance(made, BlueprintEditor) and made.result == gbo_example()[1]
    empty = blueprint_editor(example=None)
    assert empty.result.step_names() == ["first step"]
    own = Blueprint(steps=[BlueprintStep("one", "asks")])
    assert blueprint_editor(own).result == own
    with pytest.raises(ValueError, match="no example"):
        blueprint_editor(example="cpas")
    with pytest.raises(TypeError):
        blueprint_editor(gbo_example()[0])
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    placeholder = blueprint_editor()
    assert not isinstance(placeholder, BlueprintEditor)
    assert "switched off while nbgrader grades" in placeholder.value
