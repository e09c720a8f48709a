"""Issue 17, the Dutch edition of the canvases, the design boards, the Double Diamond and the
competence radar: what a Dutch student reads is Dutch, while ids, JSON keys, column names and
the English edition stay as they were.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import welfarelab
from welfarelab import competences, design
from welfarelab.canvas import BusinessModelCanvas, SocialBusinessModelCanvas, load_canvas


@pytest.fixture
def nl():
    """Dutch for the test, English again afterwards."""
    welfarelab.set_language("nl")
    try:
        yield
    finally:
        welfarelab.set_language("en")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The editor saves in the current folder: a fresh one per test."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _editor(**kwargs):
    from welfarelab.widgets.canvas import CanvasEditor

    return CanvasEditor(**kwargs)


def _block_titles(editor) -> list[str]:
    """The bold titles above the text boxes, in canvas order."""
    import re

    return [re.sub(r"<[^>]+>", "", cell.children[0].value) for cell in editor.grid.children]


# ---------------------------------------------------------------- the canvas model


def test_block_titles_and_prompts_follow_the_language_ids_do_not(nl):
    block = SocialBusinessModelCanvas.block("beneficiary_segments")
    assert block.id == "beneficiary_segments"
    assert block.title_en == "Segments: beneficiaries"          # the code's English text
    assert block.title == block.shown_title == "Segmenten: begunstigden"
    assert block.prompt == ("Wie zijn de mensen of groepen die je helpt? "
                            "(Misschien betalen ze niets.)")
    assert block.prompt_en == "Who are the people or groups you help? (They may pay nothing.)"
    # a block is found by its id, its English title and its Dutch title
    assert SocialBusinessModelCanvas.block("Segmenten: begunstigden") is block
    assert SocialBusinessModelCanvas.block("segments: beneficiaries") is block
    assert BusinessModelCanvas.block("kernpartners").id == "key_partners"


def test_markdown_and_figure_in_dutch(nl):
    canvas = SocialBusinessModelCanvas(title="Buddy", texts={"surplus": "herinvesteren"})
    md = canvas.to_markdown()
    assert md.startswith("# Social Business Model Canvas: Buddy\n")
    assert "\n## Overschot\n\nherinvesteren\n" in md
    assert ("*Nog niet ingevuld: Waar komt het geld vandaan? Geef elke bron als aandeel van "
            "het totaal.*") in md
    assert "<small>Bron van het canvas: Social Business Model Canvas, Social Innovation Lab / " \
           "Tandemic, naar Osterwalder & Pigneur (2010)</small>" in md
    fig = canvas.to_figure()
    titles = {t.get_gid(): t.get_text() for t in fig.axes[0].texts
              if (t.get_gid() or "").startswith("title:")}
    assert titles["title:revenue"] == "Inkomsten"
    assert titles["title:partners_key_stakeholders"] == "Partners + belangrijke stakeholders"


def test_model_errors_in_dutch(nl, folder):
    with pytest.raises(ValueError) as err:
        SocialBusinessModelCanvas(texts={"profit": "x"})
    assert str(err.value) == (
        "Het Social Business Model Canvas heeft geen bouwsteen 'profit'. De bouwstenen zijn: "
        + ", ".join(SocialBusinessModelCanvas.block_ids()) + ".")
    (folder / "kapot.json").write_text("{niet: json", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_canvas("kapot.json")
    assert str(err.value) == ("Kan 'kapot.json' niet laden: het is geen canvasbestand (het is "
                              "geen geldige JSON; het probleem zit op regel 1, kolom 2).")


def test_english_is_unchanged():
    assert welfarelab.get_language() == "en"
    canvas = BusinessModelCanvas(title="Repair café")
    assert canvas.to_markdown().splitlines()[:4] == [
        "# Business Model Canvas: Repair café", "", "## Key partners", ""]
    with pytest.raises(ValueError, match=r"^The Business Model Canvas has no block called 'x'"):
        canvas.fill("x", "text")


# ---------------------------------------------------------------- the canvas editor


def test_the_editor_shows_dutch_block_titles_and_questions(nl, folder):
    editor = _editor()
    titles = _block_titles(editor)
    assert titles[:3] == ["Kernmiddelen", "Kernactiviteiten", "Partners + belangrijke stakeholders"]
    assert len(titles) == 13 and "Overschot" in titles
    assert editor.boxes["surplus"].placeholder == (
        "Als er geld overblijft, wat doe je ermee? (Een vzw mag geen winst uitkeren.)")
    assert editor.title_box.description == "Naam van je idee"
    assert editor.save_button.description == welfarelab.i18n._("Save") != "Save"
    assert "Lege bouwstenen (13 van 13):" in editor.empty_line.value
    assert editor.file_name.value == "my-canvas.json"  # the same file in both editions


def test_rising_you_example_is_dutch_in_dutch_and_english_in_english(folder):
    welfarelab.set_language("nl")
    try:
        dutch = _editor(example="rising-you").canvas
    finally:
        welfarelab.set_language("en")
    english = _editor(example="rising-you").canvas
    assert dutch.title == "Rising You: we klimmen, we groeien, we schitteren"
    assert english.title == "Rising You: We climb, we rise, we shine"
    assert dutch["surplus"] == ("- Opnieuw geïnvesteerd in de missie: meer klimclubs en "
                                "opleidingsplaatsen")
    assert english["surplus"] == ("- Reinvested in the mission: more climbing clubs and "
                                  "training places")
    # the same blocks filled, with the same number of sticky notes
    assert dutch.empty_blocks() == english.empty_blocks() == []
    assert all(dutch[b].count("\n- ") == english[b].count("\n- ") for b in dutch.block_ids())


def test_saved_in_dutch_loads_in_english_with_the_same_content(folder):
    welfarelab.set_language("nl")
    try:
        editor = _editor()
        editor.title_box.value = "Klusbus"
        editor.boxes["surplus"].value = "herinvesteren in een tweede bus"
        editor.boxes["beneficiary_segments"].value = "- ouderen\n- mensen met een leefloon"
        path = editor.save()
        assert path is not None and path.name == "my-canvas.json"
        assert "Bewaard als my-canvas.json in" in editor.message.value
    finally:
        welfarelab.set_language("en")
    data = json.loads((folder / "my-canvas.json").read_text(encoding="utf-8"))
    assert data["kind"] == "social_business_model_canvas"
    assert list(data["blocks"]) == SocialBusinessModelCanvas.block_ids()  # ids, not titles
    assert data["blocks"]["surplus"] == "herinvesteren in een tweede bus"
    english = _editor()
    loaded = english.load_file("my-canvas.json")
    assert loaded is not None
    assert english.boxes["surplus"].value == "herinvesteren in een tweede bus"
    assert english.boxes["beneficiary_segments"].value == "- ouderen\n- mensen met een leefloon"
    assert "Loaded my-canvas.json: the Social Business Model Canvas “Klusbus”, 2 of 13 blocks " \
           "filled in." in english.message.value
    assert _block_titles(english)[0] == "Key resources"


def test_saved_in_english_loads_in_dutch_with_the_same_content(folder):
    english = _editor(kind="business")
    english.title_box.value = "Repair café"
    english.boxes["key_partners"].value = "the municipality"
    english.file_name.value = "repair"
    assert english.save() is not None
    welfarelab.set_language("nl")
    try:
        dutch = _editor()
        loaded = dutch.load_file("repair.json")
        assert isinstance(loaded, BusinessModelCanvas)
        assert dutch.canvas_class is BusinessModelCanvas
        assert dutch.boxes["key_partners"].value == "the municipality"
        assert dutch.title_box.value == "Repair café"
        assert _block_titles(dutch)[0] == "Kernpartners"
        assert "repair.json geladen: het Business Model Canvas “Repair café”, 1 van 9 " \
               "bouwstenen ingevuld." in dutch.message.value
    finally:
        welfarelab.set_language("en")
    assert english.canvas.to_dict() == loaded.to_dict()


def test_a_bad_file_gives_a_dutch_message(nl, folder):
    (folder / "lijst.json").write_text("[1, 2, 3]", encoding="utf-8")
    (folder / "kapot.json").write_text("{", encoding="utf-8")
    editor = _editor()
    assert editor.load_file("lijst.json") is None
    assert ("Kan &#x27;lijst.json&#x27; niet laden: het is geen canvasbestand (de "
            "&quot;kind&quot; moet een van business_model_canvas, "
            "social_business_model_canvas zijn).") in editor.message.value
    assert editor.load_file("kapot.json") is None
    assert "het is geen geldige JSON; het probleem zit op regel 1, kolom 2" in editor.message.value
    assert editor.load_file("weg.json") is None
    assert "Er is geen bestand &#x27;weg.json&#x27; in " in editor.message.value
    assert "Kijk de naam na (hoofdletters en kleine letters tellen)" in editor.message.value
    assert editor.load_file("") is None
    assert ("Typ de naam van een bewaard bestand met een canvas, zoals "
            "&#x27;my-canvas.json&#x27;, of laad er een op met de knop.") in editor.message.value
    big = {"name": "groot.json", "content": memoryview(b" " * 1_000_001)}
    assert editor.load_upload((big,)) is None
    assert ("Kan &#x27;groot.json&#x27; niet openen: het is 1.000.001 bytes, veel te groot "
            "voor een bestand met een canvas.") in editor.message.value
    # an upload that is not a canvas: the student's file name, the reason in Dutch
    bad = {"name": "C:\\Users\\an\\lijst.json", "content": memoryview(b"[1, 2]")}
    assert editor.load_upload((bad,)) is None
    assert ("Kan &#x27;lijst.json&#x27; niet laden: het is geen canvasbestand (de "
            "&quot;kind&quot; moet een van business_model_canvas, "
            "social_business_model_canvas zijn).") in editor.message.value


# ---------------------------------------------------------------- dot vote and matrix


def test_dot_vote_board_in_dutch():
    from welfarelab.widgets.design import DotVoteBoard

    welfarelab.set_language("nl")
    try:
        board = DotVoteBoard(chart=False)
        table = board.table.value
        hint = board.widget.children[0].children[0].value
    finally:
        welfarelab.set_language("en")
    assert list(board.cells)[:2] == ["maatschappelijk werker (OCMW)", "hulpverlener (CAW)"]
    # 4 dots each: ties go alphabetically, so in Dutch the shared desk comes first
    assert list(board.result["idea"]) == [
        "gedeeld onthaalloket", "outreachend werken", "bewustmakingskubus",
        "folder met alle diensten", "prototypepuzzel (Oudenaarde)", "nieuwe onthaalsoftware"]
    assert list(board.result["votes"]) == [4, 4, 2, 1, 1, 0]
    assert list(board.result["rank"]) == [1, 2, 3, 4, 5, 6]
    assert "<th>rang</th>" in table and "<th>idee</th>" in table and "<th>stemmen</th>" in table
    assert "elke persoon heeft 3 stippen om over de ideeën te verdelen" in hint
    english = DotVoteBoard(chart=False)
    assert list(english.result["idea"][:2]) == ["outreach work", "shared intake desk"]
    assert list(english.result["votes"]) == [4, 4, 2, 1, 1, 0]


def test_dot_vote_figure_and_errors_in_dutch(nl):
    from welfarelab.widgets.design import DotVoteBoard, dot_vote_figure

    board = DotVoteBoard(ideas=["a", "b"], voters=["An"], chart=False)
    assert list(board.cells) == ["An"] and board.result is None
    assert "Nog geen stippen geplakt" in board.message.value
    board.cells["An"]["a"].value = "2"
    assert list(board.result["votes"]) == [2, 0] and list(board.result["idea"]) == ["a", "b"]
    board.cells["An"]["b"].value = "2"  # 4 dots of 3
    assert board.result is None
    assert "&#x27;An&#x27; plakte 4 stippen, maar elke persoon heeft er maar 3." in (
        board.message.value)
    fig = dot_vote_figure(design.dot_vote(["a", "a", "b"]))
    ax = fig.axes[0]
    assert ax.get_title() == "Stemmen met stippen"
    assert ax.get_xlabel() == "stippen (aantal stemmen)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1. a", "2. b"]
    assert board.add_voter("An") is False
    assert "&#x27;An&#x27; staat al op het bord" in board.message.value


def test_impact_effort_matrix_in_dutch(nl):
    from welfarelab.widgets.design import ImpactEffortMatrix

    matrix = ImpactEffortMatrix(chart=False)
    assert [r["idea"].value for r in matrix.rows][:2] == ["gedeeld onthaalloket",
                                                          "prototypepuzzel (Oudenaarde)"]
    assert matrix.result.loc[0, "idea"] == "bewustmakingskubus"
    assert matrix.result.loc[0, "quadrant"] == "quick win"  # the key stays English
    assert "<th>kwadrant</th>" in matrix.table.value and ">groot project<" in matrix.table.value
    assert matrix.rows[0]["impact"].description == "impact (1–5)"
    assert matrix.rows[0]["effort"].description == "inspanning (1–5)"
    fig = design.impact_effort_figure(matrix.result)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "inspanning (1–5)" and ax.get_title() == "Impact-inspanningsmatrix"
    corners = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert corners["quadrant:thankless task"] == "ondankbare taak"
    with pytest.raises(ValueError, match=r"^De score voor inspanning van idee 'x' moet van 1 tot "
                                         r"5 gaan, maar het is 7,5\.$"):
        design.prioritise([{"idea": "x", "impact": 3, "effort": 7.5}])


def test_persona_summary_no_answer_in_dutch(nl):
    survey = pd.DataFrame({"persona": ["ouder", "", None, "ouder"]})
    result = design.persona_summary(survey)
    assert list(result["persona"]) == ["ouder", "(geen antwoord)"]
    assert list(result["count"]) == [2, 2] and list(result["share"]) == [0.5, 0.5]


# ---------------------------------------------------------------- the Double Diamond


def test_double_diamond_tables_and_walkthrough_in_dutch(nl):
    from welfarelab.widgets.diamond import DoubleDiamondWalkthrough, modes_table, stage_table

    stages = stage_table()
    assert list(stages.columns) == ["stage", "diamond", "movement", "question",
                                    "d.school modes", "methods"]
    assert list(stages["movement"]) == ["divergeren", "convergeren", "divergeren", "convergeren"]
    assert stages.loc[0, "diamond"] == "eerste ruit: het probleem"
    # the method's stage and mode names stay as the Dutch notebook uses them (its check reads
    # modes_table().set_index("mode").loc["Ideate", "Double Diamond stage"])
    modes = modes_table().set_index("mode")
    assert modes.loc["Ideate", "Double Diamond stage"] == "Develop"
    assert modes.loc["Prototype", "Double Diamond stage"] == "Develop en Deliver"
    assert modes.loc["Ideate", "what you do"] == "veel ideeën bedenken, breed gaan voor je kiest"
    view = DoubleDiamondWalkthrough(chart=False)
    assert "Fase 1 van 4: Discover" in view.card.value and "<b>Vraag:</b>" in view.card.value
    assert view.next.description == "volgende ▶" and view.stage.value == "Discover"
    view.next.click()
    assert view.stage.value == "Define" and "Fase 2 van 4: Define" in view.card.value


# ---------------------------------------------------------------- competences


@pytest.mark.parametrize("language", ["en", "nl"])
def test_radar_labels_break_only_between_words(language):
    welfarelab.set_language(language)
    try:
        fig = competences.radar_figure([3] * 8)
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        names = [welfarelab.i18n._(c) for c in competences.COMPETENCES]
    finally:
        welfarelab.set_language("en")
    assert len(labels) == 8
    for label, name in zip(labels, names):
        lines = label.split("\n")
        # joining the lines with a space gives the name back: every break was a space
        assert " ".join(lines) == name
        assert all(line and not line.startswith(" ") and not line.endswith(" ")
                   for line in lines)
    if language == "nl":
        assert labels[6] == "kennis van\nbusinessmodellen"
    else:
        assert labels[6] == "knowledge of\nbusiness\nmodels"


def test_spoke_label_keeps_long_and_hyphenated_words_whole():
    assert competences.spoke_label("Ondernemerschap-vaardigheden en zo", width=6) == (
        "Ondernemerschap-vaardigheden\nen zo")
    assert competences.spoke_label("knowledge of business models", width=5) == (
        "knowledge\nof\nbusiness\nmodels")


def test_profile_cells_in_dutch_columns_and_keys_the_same(nl):
    table = competences.profile([4, 3, 4, 4, 4, 2, 2, 1])
    assert list(table.columns) == ["competence", "group", "rating", "meaning"]
    assert table.loc[0, "competence"] == "empathy"  # the name ratings_dict accepts
    assert table.loc[0, "group"] == "soft skills"  # the Flemish course says soft skills too
    assert table.loc[7, "group"] == "zakelijke vaardigheden"
    assert table.loc[7, "meaning"] == "nieuw voor mij"
    assert table.loc[0, "meaning"] == welfarelab.i18n._("I can do it on my own")
    with pytest.raises(ValueError, match=r"^Geef elke competentie een score: finance ontbreekt\.$"):
        competences.ratings_dict({c: 3 for c in competences.COMPETENCES if c != "finance"})
    with pytest.raises(ValueError, match=r"^Geef 8 scores, één per competentie"):
        competences.ratings_dict([3, 3])


# ---------------------------------------------------------------- Dutch words fit


def _extents(fig, texts):
    """The boxes of ``texts`` in data units of the first axes, after the figure's layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.canvas.draw()  # constrained layout places the axes on drawing
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [t.get_window_extent(renderer).transformed(ax.transData.inverted()) for t in texts]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_movement_words_stay_inside_their_triangles(language):
    from welfarelab.widgets.diamond import STAGES, double_diamond_figure

    welfarelab.set_language(language)
    try:
        fig = double_diamond_figure()
        texts = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("movement:")]
        boxes = _extents(fig, texts)
        words = [t.get_text() for t in texts]
    finally:
        welfarelab.set_language("en")
    expected = (["diverge", "converge"] * 2 if language == "en"
                else ["divergeren", "convergeren"] * 2)
    assert words == expected
    for k, (stage, box) in enumerate(zip(STAGES, boxes)):
        left, right = box.x0 - k, box.x1 - k  # within the stage's unit: 0 to 1
        assert 0.02 < left < right < 0.98, (stage["stage"], left, right)
        half = (box.y1 - box.y0) / 2
        # the triangle's half-height at the narrow end of the word covers the letters
        narrow = left if stage["movement"] == "diverge" else 1 - right
        assert narrow > half, (stage["stage"], narrow, half)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_default_ideas_labels_do_not_overlap(language):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from welfarelab.widgets.design import default_ideas

    welfarelab.set_language(language)
    try:
        ideas = default_ideas()
        fig = design.impact_effort_figure(ideas)
        FigureCanvasAgg(fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        labels = [t for t in ax.texts if t.get_gid() == "idea-label"]
        boxes = [t.get_window_extent(renderer) for t in labels]
        points = [tuple(ax.transData.transform((i["effort"], i["impact"]))) for i in ideas]
    finally:
        welfarelab.set_language("en")
    assert len(labels) == 6
    for k, box in enumerate(boxes):
        for other in boxes[k + 1:]:
            assert not box.overlaps(other), (labels[k].get_text(), box, other)
        # no label runs into another idea's marker (about 5 pixels around its point)
        own = tuple(ax.transData.transform(labels[k].xy))
        for x, y in points:
            if (x, y) != own:
                assert not box.padded(5).contains(x, y), (labels[k].get_text(), x, y)
