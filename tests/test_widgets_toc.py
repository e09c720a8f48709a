"""The theory-of-change model (welfarelab.impact.TheoryOfChange) and its builder widget."""

import base64
import datetime
import json
import re

import pytest

from welfarelab.impact import TOC_EXTRAS, TOC_STAGES, TheoryOfChange
from welfarelab.widgets.toc import (
    DEFAULT_TOC,
    TheoryOfChangeBuilder,
    default_theory_of_change,
    theory_of_change_builder,
)


def small_toc():
    return TheoryOfChange(
        title="Climbing club",
        inputs=["coaches", "climbing wall"],
        activities=["weekly climbing sessions"],
        outputs=["40 young people climb every week"],
        outcomes=["more self-confidence"],
        impact="young refugees take part in society",
        assumptions=["climbing builds trust"],
    )


# --- the model --------------------------------------------------------------------------------

def test_stages_are_the_logic_model_in_order():
    assert TOC_STAGES == ("inputs", "activities", "outputs", "outcomes", "impact")
    assert TheoryOfChange.STAGES == TOC_STAGES


def test_impact_may_be_one_text_and_a_text_is_split_into_lines():
    toc = small_toc()
    assert toc.impact == ["young refugees take part in society"]
    toc2 = TheoryOfChange(inputs="coaches\n\n  money  \n")
    assert toc2.inputs == ["coaches", "money"]


def test_add_and_empty_stages():
    toc = TheoryOfChange("x")
    assert toc.empty_stages() == list(TOC_STAGES)
    toc.add("inputs", "  coaches ")
    toc.add("activity", "climbing")          # singular works too
    toc.add("assumptions", "trust grows")
    assert toc.inputs == ["coaches"] and toc.activities == ["climbing"]
    assert toc.assumptions == ["trust grows"]
    assert toc.empty_stages() == ["outputs", "outcomes", "impact"]
    toc.impact = "one text, set later"
    toc.add("impact", "a second impact")
    assert toc.impact == ["one text, set later", "a second impact"]


def test_unknown_stage_lists_the_stages():
    with pytest.raises(ValueError, match="Unknown stage 'results'. The stages are: inputs, "
                                         "activities, outputs, outcomes, impact"):
        TheoryOfChange().add("results", "x")


def test_bad_items_are_refused_readably():
    with pytest.raises(ValueError, match="is empty"):
        TheoryOfChange().add("inputs", "   ")
    with pytest.raises(TypeError, match="item 2 of outputs is a int"):
        TheoryOfChange(outputs=["a", 3])
    with pytest.raises(TypeError, match="title must be a text"):
        TheoryOfChange(title=5)


def test_dict_and_json_round_trip():
    toc = small_toc()
    data = toc.to_dict()
    assert data["kind"] == "theory-of-change" and data["version"] == 1
    assert data["impact"] == ["young refugees take part in society"]
    assert list(data) == ["kind", "version", "title", *TOC_STAGES, "preconditions",
                          "assumptions"]
    assert TOC_EXTRAS == ("preconditions", "assumptions")
    assert TheoryOfChange.from_dict(data) == toc
    assert TheoryOfChange.from_json(toc.to_json()) == toc
    assert json.loads(toc.to_json()) == data


def test_save_and_load_round_trip(tmp_path):
    toc = default_theory_of_change()
    path = toc.save(tmp_path / "toc.json")
    assert json.loads(path.read_text(encoding="utf-8"))["kind"] == "theory-of-change"
    assert TheoryOfChange.load(path) == toc


@pytest.mark.parametrize("data,message", [
    ({"kind": "business-model-canvas", "version": 1}, "not a theory of change"),
    ({"kind": "theory-of-change", "version": 9}, "newer welfarelab"),
    ({"kind": "theory-of-change", "version": 1, "results": []}, "Unknown key"),
    ({"kind": "theory-of-change", "version": "1"}, "whole number"),
])
def test_from_dict_rejects_other_files(data, message):
    with pytest.raises(ValueError, match=message):
        TheoryOfChange.from_dict(data)


def test_load_names_the_file_when_it_is_not_json(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"Cannot load '.*notes.json': .*not valid JSON"):
        TheoryOfChange.load(path)


def test_preconditions_are_kept_apart_from_assumptions():
    """Center for Theory of Change glossary: a precondition must still be brought about; an
    assumption is believed to be in place already. Both are kept, saved and drawn."""
    toc = small_toc()
    toc.add("precondition", "young refugees can reach the climbing hall")
    assert toc.items("preconditions") == ["young refugees can reach the climbing hall"]
    assert toc.items("assumptions") == ["climbing builds trust"]
    assert toc.empty_stages() == []  # the five stages only
    again = TheoryOfChange.from_json(toc.to_json())
    assert again == toc and again.preconditions == toc.preconditions
    # a file saved before preconditions existed still loads
    old = {k: v for k, v in small_toc().to_dict().items() if k != "preconditions"}
    assert TheoryOfChange.from_dict(old).preconditions == []
    texts = " ".join(t.get_text() for t in toc.to_figure().axes[0].texts)
    assert "Preconditions (mapped backwards from the impact)" in texts
    assert "young refugees can reach the climbing hall" in texts
    with pytest.raises(ValueError, match="and preconditions, assumptions"):
        toc.items("pathways")


def test_markdown_has_every_stage_and_marks_empty_ones():
    md = TheoryOfChange("Club", inputs=["coaches"]).to_markdown()
    assert md.startswith("## Logic model: Club\n")
    assert "### 1. Inputs" in md and "- coaches" in md
    assert "### 5. Impact" in md and "### Assumptions" in md and "### Preconditions" in md
    assert md.count("*(nothing yet)*") == 6  # four stages, the preconditions, the assumptions


def test_figure_shows_five_boxes_with_the_items_and_is_closed():
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    before = plt.get_fignums()
    fig = small_toc().to_figure()
    assert plt.get_fignums() == before        # closed in pyplot: shows once
    ax = fig.axes[0]
    # 5 stages + preconditions + assumptions
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 7
    texts = " ".join(t.get_text() for t in ax.texts)
    for word in ("1. Inputs", "5. Impact", "coaches", "weekly climbing", "climbing builds trust",
                 "Logic model: Climbing club"):
        assert word in texts
    assert len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) == 4


def test_the_figure_says_it_is_a_logic_model_not_a_full_theory_of_change():
    from matplotlib.patches import FancyBboxPatch

    ax = small_toc().to_figure().axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "Logic model: Climbing club"
    assert "Theory of change:" not in " ".join(texts)
    assert any("with preconditions and assumptions" in t and "pathways are not drawn" in t
               for t in texts)
    # one straight chain: five stage boxes on one row, four arrows, each pointing right
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    dashed = [b for b in boxes if b.get_linestyle() in ("--", "dashed")]
    stage_boxes = [b for b in boxes if b not in dashed]
    assert sorted(b.get_gid() for b in dashed) == ["extra:assumptions", "extra:preconditions"]
    assert len(stage_boxes) == 5 and len({round(b.get_y(), 6) for b in stage_boxes}) == 1
    xs = [b.get_x() for b in stage_boxes]
    assert xs == sorted(xs)
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation"]
    assert len(arrows) == 4 and all(a.xy[0] > a.xyann[0] for a in arrows)


# --- the builder widget ----------------------------------------------------------------------

@pytest.fixture
def builder():
    return TheoryOfChangeBuilder(chart=False)


def upload_value(content: bytes, name="theory-of-change.json"):
    return ({"name": name, "type": "application/json", "size": len(content),
             "content": memoryview(content),
             "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},)


def test_builder_starts_with_the_rising_you_story(builder):
    assert builder.toc == TheoryOfChange.from_dict(DEFAULT_TOC)
    assert "Rising You" in builder.title.value
    assert builder.toc.empty_stages() == []
    assert builder.message.value == ""
    assert "We climb" in builder.stages["activities"].value
    assert "Theory of change: Rising You" in builder.preview.value
    assert "companies" in builder.preview.value


def test_typing_in_a_stage_updates_the_model_and_preview(builder):
    builder.stages["outputs"].value = "12 trainees certified\n\n30 climbers a week"
    assert builder.toc.outputs == ["12 trainees certified", "30 climbers a week"]
    assert "<li>12 trainees certified</li>" in builder.preview.value
    builder.stages["impact"].value = ""
    assert builder.toc.empty_stages() == ["impact"]
    assert "Still empty: impact" in builder.message.value
    builder.title.value = "My idea"
    assert "<h4>Theory of change: My idea</h4>" in builder.preview.value


def test_preview_escapes_html_and_offers_markdown(builder):
    builder.stages["inputs"].value = "<script>alert(1)</script>"
    assert "<script>" not in builder.preview.value
    assert "&lt;script&gt;" in builder.preview.value
    assert "### 1. Inputs" in builder.preview.value


def test_save_offers_a_download_link_with_the_json(builder):
    builder.stages["outcomes"].value = "more trust"
    assert builder.download.value == ""
    builder.save_button.click()
    link = builder.download.value
    assert '<a download="theory-of-change.json" href="data:application/json;base64,' in link
    data = re.search(r'base64,([A-Za-z0-9+/=]+)"', link).group(1)
    saved = json.loads(base64.b64decode(data).decode("utf-8"))
    assert saved == builder.toc.to_dict()
    assert saved["outcomes"] == ["more trust"]
    builder.stages["outcomes"].value = "more trust\nmore skills"   # the link follows the form
    data = re.search(r'base64,([A-Za-z0-9+/=]+)"', builder.download.value).group(1)
    assert json.loads(base64.b64decode(data))["outcomes"] == ["more trust", "more skills"]


def test_upload_loads_a_saved_file_back(builder):
    builder.upload.value = upload_value(small_toc().to_json().encode("utf-8"), "mine.json")
    assert builder.toc == small_toc()
    assert builder.title.value == "Climbing club"
    assert builder.stages["inputs"].value == "coaches\nclimbing wall"
    assert "Loaded &#x27;mine.json&#x27;" in builder.message.value
    assert builder.upload.value == ()          # emptied, so the same file can be chosen again


@pytest.mark.parametrize("content,shown", [
    (b"{not json", ("Cannot load &#x27;bad.json&#x27;: This is not a theory-of-change file: "
                    "it is not valid JSON")),
    (b'{"kind": "business-model-canvas", "version": 1}', "not a theory of change"),
    (b"\xff\xfe\x00binary", "it is not a text file"),
    (b'{"kind": "theory-of-change", "outputs": [1, 2]}', "item 1 of outputs is a int"),
])
def test_bad_upload_shows_a_message_and_keeps_the_form(builder, content, shown):
    before = builder.toc
    builder.upload.value = upload_value(content, "bad.json")
    assert shown in builder.message.value
    assert builder.toc == before
    assert "Rising You" in builder.title.value


def test_builder_accepts_a_given_theory_of_change_and_draws_the_chart():
    b = TheoryOfChangeBuilder(small_toc(), chart=True)
    assert b.toc == small_toc()
    with pytest.raises(TypeError, match="toc must be a TheoryOfChange"):
        TheoryOfChangeBuilder(toc="my theory")


def test_factory_returns_the_widget_and_is_registered():
    import ipywidgets as w

    from welfarelab import widgets

    assert widgets.theory_of_change_builder is theory_of_change_builder
    assert isinstance(theory_of_change_builder(), w.VBox)


def test_builder_is_a_placeholder_while_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in theory_of_change_builder().value
