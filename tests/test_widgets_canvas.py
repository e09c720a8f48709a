"""The canvas editor: a thin view over welfarelab.canvas that saves, loads and never shows a
traceback for a bad file."""

import base64
import datetime as dt
import html
import json
import re

import pytest

from welfarelab.canvas import (
    GRID_HEIGHT,
    GRID_WIDTH,
    BusinessModelCanvas,
    SocialBusinessModelCanvas,
    load_canvas,
)
from welfarelab.widgets import _base
from welfarelab.widgets.canvas import CanvasEditor, canvas_editor


@pytest.fixture
def editor():
    return CanvasEditor()


def download_bytes(editor) -> bytes:
    match = re.search(r'href="data:application/json;base64,([A-Za-z0-9+/=]+)"',
                      editor.download.value)
    assert match, editor.download.value
    return base64.b64decode(match.group(1))


def upload_value(name: str, content: bytes):
    """What ipywidgets 8 puts in FileUpload.value after a browser upload."""
    return ({"name": name, "type": "application/json", "size": len(content),
             "content": memoryview(content),
             "last_modified": dt.datetime(2024, 5, 1, tzinfo=dt.UTC)},)


def fill(editor, texts: dict, title: str = "") -> None:
    editor.title_box.value = title
    for block_id, text in texts.items():
        editor.boxes[block_id].value = text


# ---------------------------------------------------------------------- the form


def test_default_editor_is_an_empty_social_canvas(editor):
    assert isinstance(editor.canvas, SocialBusinessModelCanvas)
    assert list(editor.boxes) == SocialBusinessModelCanvas.block_ids()
    assert len(editor.boxes) == 13
    assert editor.canvas.empty_blocks() == SocialBusinessModelCanvas.block_ids()
    assert "Empty blocks (13 of 13)" in editor.empty_line.value
    assert editor.message.value == ""


def test_business_kind_has_nine_blocks_with_titles_and_prompts():
    editor = CanvasEditor(kind="business")
    assert isinstance(editor.canvas, BusinessModelCanvas)
    assert list(editor.boxes) == BusinessModelCanvas.block_ids()
    for block in BusinessModelCanvas.BLOCKS:
        assert editor.boxes[block.id].placeholder == block.prompt
    titles = [cell.children[0].value for cell in editor.grid.children]
    assert [re.sub("<[^>]+>", "", t) for t in titles] == \
        [html.escape(b.title) for b in BusinessModelCanvas.BLOCKS]
    assert "Business Model Canvas" in editor.heading.value


@pytest.mark.parametrize("cls", [SocialBusinessModelCanvas, BusinessModelCanvas])
def test_grid_places_every_block_like_the_printed_canvas(cls):
    """The grid areas tile the 10 x 9 grid exactly once, and follow the blocks' boxes."""
    editor = CanvasEditor(kind=cls.KIND)
    rows, cols = round(GRID_HEIGHT * 3), round(GRID_WIDTH)
    covered = {}
    for block, cell in zip(cls.BLOCKS, editor.grid.children):
        r1, c1, r2, c2 = (int(v) for v in cell.layout.grid_area.split("/"))
        x, _, width, height = block.box
        assert (c1, c2) == (round(x) + 1, round(x + width) + 1)
        assert r2 - r1 == round(height * 3)
        for r in range(r1, r2):
            for c in range(c1, c2):
                assert (r, c) not in covered, f"{block.id} overlaps {covered[(r, c)]}"
                covered[(r, c)] = block.id
    assert len(covered) == rows * cols
    # Key partners / key resources sit on the left, revenue bottom right.
    top_left = covered[(1, 1)]
    assert top_left in ("key_partners", "key_resources")
    assert covered[(rows, cols)] in ("revenue", "revenue_streams")


def test_typing_in_blocks_updates_the_canvas_and_the_empty_blocks(editor):
    editor.boxes["beneficiary_segments"].value = "Young carers aged 12-18 in Ghent"
    editor.title_box.value = "  Buddy project  "
    canvas = editor.canvas
    assert canvas.title == "Buddy project"
    assert canvas["beneficiary_segments"] == "Young carers aged 12-18 in Ghent"
    assert "beneficiary_segments" not in canvas.empty_blocks()
    assert len(canvas.empty_blocks()) == 12
    assert "Empty blocks (12 of 13)" in editor.empty_line.value
    assert "Segments: beneficiaries" not in editor.empty_line.value
    for box in editor.boxes.values():
        box.value = "something"
    assert editor.canvas.is_complete
    assert "All 13 blocks are filled in" in editor.empty_line.value
    editor.boxes["surplus"].value = "   "
    assert editor.canvas.empty_blocks() == ["surplus"]
    assert "Empty blocks (1 of 13):</b> Surplus" in editor.empty_line.value


def test_rising_you_example_fills_the_social_canvas():
    editor = CanvasEditor(example="rising-you")
    canvas = editor.canvas
    assert isinstance(canvas, SocialBusinessModelCanvas)
    assert canvas.is_complete
    assert "We climb" in canvas.title
    text = canvas.to_markdown()
    for words in ("refugee", "We climb", "We rise", "We shine", "pay for the training",
                  "hard-to-fill vacancies", "CV-and-interview", "experiential learning"):
        assert words in text
    assert "refugee" in canvas["beneficiary_segments"].lower()
    assert "compan" in canvas["customer_segments"].lower()


def test_editor_starts_from_a_canvas_object_or_a_saved_file(tmp_path):
    start = BusinessModelCanvas(title="Repair café", texts={"channels": "flyers"})
    editor = CanvasEditor(canvas=start)
    assert isinstance(editor.canvas, BusinessModelCanvas)
    assert editor.canvas.to_dict() == start.to_dict()
    path = start.save(tmp_path / "cafe.json")
    from_file = CanvasEditor(canvas=str(path))
    assert from_file.canvas.to_dict() == start.to_dict()


@pytest.mark.parametrize("kind", ["SOCIAL", "business_model_canvas", BusinessModelCanvas])
def test_kind_accepts_names_and_classes(kind):
    assert len(CanvasEditor(kind=kind).boxes) in (9, 13)


def test_bad_kind_or_example_is_refused_in_words():
    with pytest.raises(ValueError, match="\"social\".*\"business\""):
        CanvasEditor(kind="lean")
    with pytest.raises(ValueError, match="rising-you"):
        CanvasEditor(example="other")
    with pytest.raises(TypeError, match="canvas must be"):
        CanvasEditor(canvas=42)


def test_markdown_toggle_shows_the_models_markdown_live(editor):
    assert editor.markdown_view.value == ""
    editor.markdown_toggle.value = True
    editor.boxes["revenue"].value = "Fees <50%> & grants"
    assert html.escape(editor.canvas.to_markdown()) in editor.markdown_view.value
    assert "Fees &lt;50%&gt; &amp; grants" in editor.markdown_view.value
    editor.markdown_toggle.value = False
    assert editor.markdown_view.value == ""


def test_draw_shows_the_models_one_page_figure(monkeypatch):
    shown = []
    monkeypatch.setattr(_base, "show_figure", lambda out, fig: shown.append((out, fig)))
    editor = CanvasEditor(kind="business")
    editor.boxes["channels"].value = "Word of mouth"
    editor.draw_button.click()
    (out, fig), = shown
    assert out is editor.figure_out
    texts = {t.get_gid(): t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_gid"))
             if t.get_gid()}
    assert texts["text:channels"] == "Word of mouth"
    assert texts["title:revenue_streams"] == "Revenue streams"
    assert "Figure:" in editor.figure_note.value
    assert editor.draw_button.description == "Draw the one-page canvas"
    assert not editor.draw_button.disabled


# ---------------------------------------------------------------------- save and load


def test_download_link_holds_the_canvas_as_json(editor):
    fill(editor, {"channels": "Café talks", "surplus": "Reinvested"}, title="Ünïcode café")
    assert 'download="my-canvas.json"' in editor.download.value
    data = json.loads(download_bytes(editor).decode("utf-8"))
    assert data == editor.canvas.to_dict()
    editor.file_name.value = "team 4"
    assert 'download="team 4.json"' in editor.download.value


def test_save_writes_the_file_in_the_current_folder(editor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fill(editor, {"key_activities": "Weekly sessions"}, title="Buddy")
    editor.file_name.value = "buddy"
    editor.save_button.click()
    saved = tmp_path / "buddy.json"
    assert saved.exists()
    assert load_canvas(saved).to_dict() == editor.canvas.to_dict()
    assert saved.read_bytes() == download_bytes(editor)
    assert "Saved as buddy.json" in editor.message.value


@pytest.mark.parametrize("name,shown", [
    ("", "The file name is empty"),
    ("../outside.json", "without a folder"),
    ("sub/dir.json", "without a folder"),
])
def test_save_refuses_a_bad_file_name(editor, tmp_path, monkeypatch, name, shown):
    monkeypatch.chdir(tmp_path)
    editor.file_name.value = name
    assert editor.save() is None
    assert shown in editor.message.value
    assert list(tmp_path.iterdir()) == []


def test_save_and_upload_round_trip_restores_the_texts():
    texts = {"beneficiary_segments": "Young refugees\nin Brussels",
             "revenue": "- companies pay for training\n- subsidies",
             "impact_measures": "Jobs after 6 months"}
    first = CanvasEditor()
    fill(first, texts, title="Climbing to work")
    content = download_bytes(first)

    second = CanvasEditor()
    second.upload.value = upload_value("my-canvas.json", content)
    assert second.canvas.to_dict() == first.canvas.to_dict()
    assert second.title_box.value == "Climbing to work"
    for block_id, text in texts.items():
        assert second.boxes[block_id].value == text
    assert "Empty blocks (10 of 13)" in second.empty_line.value
    assert "Loaded my-canvas.json" in second.message.value
    assert second.upload.value == ()  # emptied, so the same file can be uploaded again


def test_upload_through_the_front_end_format():
    """The browser sends a list of dicts with last_modified in ms; content as bytes."""
    saved = CanvasEditor(example="rising-you")
    content = download_bytes(saved)
    editor = CanvasEditor()
    editor.upload.set_state({"value": [{"name": "rising.json", "type": "application/json",
                                        "size": len(content), "content": content,
                                        "last_modified": 1714521600000}]})
    assert editor.canvas.to_dict() == saved.canvas.to_dict()


def test_loading_the_other_kind_switches_the_form(tmp_path):
    bmc = BusinessModelCanvas(title="Shop", texts={"channels": "market stall"})
    editor = CanvasEditor()
    assert len(editor.boxes) == 13
    editor.load_upload(upload_value("shop.json", json.dumps(bmc.to_dict()).encode()))
    assert isinstance(editor.canvas, BusinessModelCanvas)
    assert len(editor.boxes) == 9 and len(editor.grid.children) == 9
    assert editor.boxes["channels"].value == "market stall"
    editor.boxes["revenue_streams"].value = "sales"  # the new boxes are live
    assert editor.canvas["revenue_streams"] == "sales"
    assert "Business Model Canvas" in editor.heading.value


CORRUPT = [
    (b"this is not json {", "not valid JSON"),
    (b"\xff\xfe\x00\x01 binary", "not valid JSON"),
    (b"[1, 2, 3]", "it is not a canvas file"),
    (b'{"kind": ["a list"], "version": 1}', "it is not a canvas file"),
    (b'{"kind": "pitch", "version": 1}', "it is not a canvas file"),
    (b'{"kind": "social_business_model_canvas", "version": 9, "blocks": {}}',
     "newer welfarelab"),
    (b'{"kind": "social_business_model_canvas", "version": 1, "blocks": {"vision": "x"}}',
     "Unknown block(s) &#x27;vision&#x27;"),
    (b'{"kind": "social_business_model_canvas", "version": 1, "blocks": {"surplus": 5}}',
     "must be text"),
]


@pytest.mark.parametrize("content,shown", CORRUPT)
def test_a_corrupt_upload_shows_a_readable_message(content, shown):
    editor = CanvasEditor()
    editor.boxes["surplus"].value = "keep me"
    editor.upload.value = upload_value("broken.json", content)
    message = editor.message.value
    assert shown in message
    assert "Cannot load &#x27;broken.json&#x27;" in message
    assert "welfarelab-upload" not in message and "Traceback" not in message
    assert editor.boxes["surplus"].value == "keep me"  # the form is left as it was
    assert editor.upload.value == ()


def test_load_canvas_refuses_an_unhashable_kind_in_words(tmp_path):
    """Regression: a list as "kind" raised "unhashable type" instead of a readable error."""
    path = tmp_path / "odd.json"
    path.write_text('{"kind": ["social"], "version": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a canvas file"):
        load_canvas(path)


def test_a_huge_upload_is_refused():
    editor = CanvasEditor()
    assert editor.load_upload(upload_value("film.json", b" " * 2_000_000)) is None
    assert "far too big" in editor.message.value


def test_load_by_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    SocialBusinessModelCanvas(title="Saved", texts={"surplus": "reinvest"}).save("mine.json")
    editor = CanvasEditor()
    editor.load_path.value = "mine.json"
    editor.load_button.click()
    assert editor.canvas.title == "Saved" and editor.canvas["surplus"] == "reinvest"
    assert "Loaded mine.json" in editor.message.value

    editor.load_path.value = "missing.json"
    editor.load_button.click()
    assert "There is no file called &#x27;missing.json&#x27;" in editor.message.value
    assert editor.canvas.title == "Saved"

    (tmp_path / "folder").mkdir()
    assert editor.load_file("folder") is None
    assert "folder" in editor.message.value

    assert editor.load_file("") is None
    assert "Type the name" in editor.message.value


# ---------------------------------------------------------------------- errors and grading


def test_unexpected_errors_are_shown_and_raised(editor, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(SocialBusinessModelCanvas, "empty_blocks", broken)
    with pytest.raises(RuntimeError):
        editor.update()
    assert "Unexpected problem: boom" in editor.message.value
    monkeypatch.undo()
    editor.update()
    assert editor.message.value == ""


def test_factory_returns_the_editor_which_displays_as_its_widget():
    editor = canvas_editor(kind="business")
    assert isinstance(editor, CanvasEditor)
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        editor.widget.model_id


def test_factory_is_a_placeholder_while_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in canvas_editor().value
    assert "switched off" in canvas_editor(example="rising-you").value


def test_factory_is_registered():
    from welfarelab import widgets

    assert widgets.canvas_editor is canvas_editor
