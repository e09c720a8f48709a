"""Tests of welfarelab.canvas: blocks, filling, Markdown, figure, JSON files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welfarelab.canvas import (
    FORMAT_VERSION,
    BusinessModelCanvas,
    SocialBusinessModelCanvas,
    load_canvas,
)

ROOT = Path(__file__).resolve().parents[1]

BMC_IDS = ["key_partners", "key_activities", "key_resources", "value_propositions",
           "customer_relationships", "channels", "customer_segments", "cost_structure",
           "revenue_streams"]
SBMC_IDS = ["key_resources", "key_activities", "partners_key_stakeholders",
            "type_of_intervention", "beneficiary_segments", "customer_segments", "channels",
            "social_value_proposition", "impact_measures", "customer_value_proposition",
            "cost_structure", "surplus", "revenue"]
CANVASES = [(BusinessModelCanvas, BMC_IDS), (SocialBusinessModelCanvas, SBMC_IDS)]


def full(cls):
    canvas = cls(title="Buddy project")
    for block_id in cls.block_ids():
        canvas[block_id] = f"Text for {block_id}"
    return canvas


# ---------------------------------------------------------------- the blocks


@pytest.mark.parametrize("cls, ids", CANVASES)
def test_blocks_are_the_published_ones_in_canvas_order(cls, ids):
    assert cls.block_ids() == ids
    assert list(cls()) == ids
    for block in cls.BLOCKS:
        assert block.title.strip() and block.prompt.strip()
        assert "\n" not in block.prompt and len(block.prompt) <= 100  # one line
        x, y, w, h = block.box
        assert 0 <= x and x + w <= 10 and 0 <= y and y + h <= 3 + 1e-9


@pytest.mark.parametrize("cls", [BusinessModelCanvas, SocialBusinessModelCanvas])
def test_layout_tiles_the_grid_without_overlap(cls):
    boxes = [b.box for b in cls.BLOCKS]
    assert sum(w * h for _, _, w, h in boxes) == pytest.approx(30.0)
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            overlap_w = min(x1 + w1, x2 + w2) - max(x1, x2)
            overlap_h = min(y1 + h1, y2 + h2) - max(y1, y2)
            assert overlap_w <= 1e-9 or overlap_h <= 1e-9


def test_block_titles():
    assert BusinessModelCanvas.block("value_propositions").title == "Value propositions"
    sbmc = SocialBusinessModelCanvas
    assert sbmc.block("beneficiary_segments").title == "Segments: beneficiaries"
    assert SocialBusinessModelCanvas.block("partners_key_stakeholders").title == (
        "Partners + key stakeholders")


# ---------------------------------------------------------------- filling


def test_fill_and_setitem_and_getitem():
    canvas = BusinessModelCanvas(title="  Repair café  ")
    assert canvas.title == "Repair café"
    canvas.fill("channels", "  Word of mouth via the OCMW  ")
    canvas["customer_segments"] = "Neighbours"
    assert canvas["channels"] == "Word of mouth via the OCMW"
    assert canvas.texts["customer_segments"] == "Neighbours"
    canvas["channels"] = "Posters"  # replaces
    assert canvas["channels"] == "Posters"


def test_a_title_or_spaced_name_works_as_block_id():
    canvas = SocialBusinessModelCanvas()
    canvas["Segments: beneficiaries"] = "young carers"
    canvas["Impact Measures"] = "wellbeing score"
    canvas["type-of-intervention"] = "buddy service"
    assert canvas["beneficiary_segments"] == "young carers"
    assert canvas["impact_measures"] == "wellbeing score"
    assert canvas["type_of_intervention"] == "buddy service"


def test_sticky_notes_become_bullets():
    canvas = SocialBusinessModelCanvas()
    canvas["revenue"] = ["Subsidy 60 %", "  ", "Donations 40 %"]
    assert canvas["revenue"] == "- Subsidy 60 %\n- Donations 40 %"


def test_unknown_block_lists_the_valid_ids():
    canvas = BusinessModelCanvas()
    with pytest.raises(ValueError) as error:
        canvas.fill("beneficiary_segments", "x")
    message = str(error.value)
    assert "'beneficiary_segments'" in message
    for block_id in BMC_IDS:
        assert block_id in message
    with pytest.raises(ValueError, match="revenue_streams"):
        canvas["revenue"] = "x"
    with pytest.raises(ValueError, match="key_partners"):
        BusinessModelCanvas(texts={"partners": "x"})


def test_bad_text_and_title_types():
    canvas = BusinessModelCanvas()
    with pytest.raises(TypeError, match="revenue_streams.*text in quotes"):
        canvas["revenue_streams"] = 5000
    with pytest.raises(TypeError, match="Sticky note number 2"):
        canvas["channels"] = ["posters", 3]
    with pytest.raises(TypeError, match="block id must be text"):
        canvas.fill(3, "x")
    with pytest.raises(TypeError, match="title"):
        BusinessModelCanvas(title=42)


def test_empty_blocks_and_is_complete():
    canvas = BusinessModelCanvas()
    assert canvas.empty_blocks() == BMC_IDS
    assert not canvas.is_complete
    canvas["channels"] = "Posters"
    canvas["key_partners"] = "   \n\t "  # only whitespace: still empty
    assert canvas.empty_blocks() == [i for i in BMC_IDS if i != "channels"]
    canvas["channels"] = None  # empties the block again
    assert canvas.empty_blocks() == BMC_IDS
    canvas = full(BusinessModelCanvas)
    assert canvas.empty_blocks() == []
    assert canvas.is_complete
    canvas["cost_structure"] = ""
    assert canvas.empty_blocks() == ["cost_structure"]
    assert not canvas.is_complete


def test_repr_counts_filled_blocks():
    canvas = SocialBusinessModelCanvas(title="Buddy", texts={"surplus": "reinvested"})
    assert repr(canvas) == "SocialBusinessModelCanvas(title='Buddy', 1 of 13 blocks filled)"


# ---------------------------------------------------------------- Markdown


@pytest.mark.parametrize("cls, ids", CANVASES)
def test_markdown_has_a_heading_per_block_in_canvas_order(cls, ids):
    canvas = full(cls)
    canvas[ids[0]] = ""
    md = canvas.to_markdown()
    assert md.startswith(f"# {cls.NAME}: Buddy project\n")
    positions = [md.index(f"\n## {cls.block(i).title}\n") for i in ids]
    assert positions == sorted(positions)
    assert md.count("\n## ") == len(ids)
    for block_id in ids[1:]:
        assert f"Text for {block_id}" in md
    assert f"*Not filled in yet: {cls.block(ids[0]).prompt}*" in md
    assert canvas._repr_markdown_() == md


# ---------------------------------------------------------------- figure


@pytest.mark.parametrize("cls, ids", CANVASES)
def test_figure_has_one_title_and_one_text_per_block(cls, ids):
    from matplotlib.figure import Figure

    canvas = cls(title="Buddy project", texts={ids[1]: "Volunteers " * 200})
    fig = canvas.to_figure()
    assert isinstance(fig, Figure)
    texts = [t for ax in fig.axes for t in ax.texts]
    titles = {t.get_gid()[len("title:"):]: t.get_text() for t in texts
              if (t.get_gid() or "").startswith("title:")}
    bodies = {t.get_gid()[len("text:"):]: t for t in texts
              if (t.get_gid() or "").startswith("text:")}
    assert list(titles) == ids
    assert list(bodies) == ids
    assert titles == {i: cls.block(i).title for i in ids}
    # An empty block shows its prompt (wrapped); a filled one its text, wrapped to fit.
    assert " ".join(bodies[ids[0]].get_text().split()) == cls.block(ids[0]).prompt
    assert bodies[ids[1]].get_text().startswith("Volunteers")
    assert fig._suptitle.get_text() == f"{cls.NAME}: Buddy project"
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 2 * len(ids)


def test_figure_text_stays_inside_its_block():
    canvas = BusinessModelCanvas(texts={"key_activities": "Wandelen met WWW mensen " * 60,
                                        "channels": "x" * 3000})
    fig = canvas.to_figure()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    for text in ax.texts:
        gid = text.get_gid() or ""
        if not gid.startswith("text:"):
            continue
        x, y, w, h = BusinessModelCanvas.block(gid[5:]).box
        box = ax.transData.transform([(x, y), (x + w, y + h)])
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= box[0][0] - 1 and extent.x1 <= box[1][0] + 1, gid
        assert extent.y0 >= box[0][1] - 1 and extent.y1 <= box[1][1] + 1, gid
    assert any("…" in t.get_text() for t in ax.texts if t.get_gid() == "text:channels")


def test_figure_size_is_checked():
    with pytest.raises(ValueError, match="figsize"):
        BusinessModelCanvas().to_figure(figsize=(10,))
    with pytest.raises(ValueError, match="figure width"):
        BusinessModelCanvas().to_figure(figsize=(0, 5))


def test_import_does_not_load_matplotlib():
    code = ("import sys, welfarelab.canvas, welfarelab.design; "
            "c = welfarelab.canvas.BusinessModelCanvas(); c['channels'] = 'x'; c.to_markdown(); "
            "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize("cls", [BusinessModelCanvas, SocialBusinessModelCanvas])
def test_json_round_trip(cls, tmp_path):
    canvas = full(cls)
    canvas[cls.block_ids()[2]] = "Ünïcödé: café, €, 😊\n- line two"
    canvas[cls.block_ids()[3]] = ""
    path = canvas.save(tmp_path / "canvas.json")
    assert path == tmp_path / "canvas.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == cls.KIND
    assert data["version"] == FORMAT_VERSION == 1
    assert data["title"] == "Buddy project"
    assert list(data["blocks"]) == cls.block_ids()
    again = cls.load(str(path))
    assert again == canvas
    assert again.to_dict() == canvas.to_dict()
    assert cls.from_dict(canvas.to_dict()) == canvas
    assert type(load_canvas(path)) is cls
    assert load_canvas(path) == canvas


@settings(max_examples=50)
@given(title=st.text(max_size=30),
       texts=st.dictionaries(st.sampled_from(SBMC_IDS), st.text(max_size=80), max_size=13))
def test_dict_and_json_round_trip_for_any_text(tmp_path_factory, title, texts):
    canvas = SocialBusinessModelCanvas(title=title, texts=texts)
    assert SocialBusinessModelCanvas.from_dict(canvas.to_dict()) == canvas
    path = canvas.save(tmp_path_factory.mktemp("c") / "c.json")
    assert SocialBusinessModelCanvas.load(path) == canvas
    assert set(canvas.empty_blocks()) == {i for i in SBMC_IDS if not texts.get(i, "").strip()}


def test_loading_the_other_kind_fails_in_plain_words(tmp_path):
    path = full(SocialBusinessModelCanvas).save(tmp_path / "social.json")
    with pytest.raises(ValueError, match="holds a Social Business Model Canvas, not a Business "
                                         "Model Canvas.*SocialBusinessModelCanvas.load"):
        BusinessModelCanvas.load(path)
    path = full(BusinessModelCanvas).save(tmp_path / "plain.json")
    with pytest.raises(ValueError, match="not a Social Business Model Canvas"):
        SocialBusinessModelCanvas.load(path)
    assert BusinessModelCanvas(title="x") != SocialBusinessModelCanvas(title="x")


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ("", "not valid JSON"),
    ("[1, 2]", "from a dictionary"),
    ('{"kind": "shopping_list", "version": 1}', "is not a Business Model Canvas"),
    ('{"version": 1, "blocks": {}}', "is not a Business Model Canvas"),
    ('{"kind": "business_model_canvas", "version": 99, "blocks": {}}', "newer welfarelab"),
    ('{"kind": "business_model_canvas", "version": "1", "blocks": {}}', "version"),
    ('{"kind": "business_model_canvas", "version": 1, "blocks": {"surplus": "x"}}',
     "Unknown block.*'surplus'"),
    ('{"kind": "business_model_canvas", "version": 1, "blocks": {"channels": 3}}',
     "must be text"),
    ('{"kind": "business_model_canvas", "version": 1, "blocks": []}', "dictionary"),
])
def test_corrupt_files_raise_value_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        BusinessModelCanvas.load(path)
    assert "broken.json" in str(error.value)


def test_load_canvas_refuses_non_canvases(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"kind": "shopping_list"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a canvas file"):
        load_canvas(path)
    with pytest.raises(FileNotFoundError):
        load_canvas(tmp_path / "missing.json")
    with pytest.raises(TypeError, match="file name"):
        BusinessModelCanvas().save(42)
