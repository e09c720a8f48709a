"""Issue 17: the journey map, the service blueprint and the pitch builder in Dutch.

The editors made after ``set_language("nl")`` show Dutch labels and the course's GBO example in
Dutch; a journey saved in Dutch loads in English (the file holds the student's texts, the keys
stay English); the m07 check cells pick problems by the check that found them
(:meth:`welfarelab.pitch.PitchCheck.problems_about`), so the Dutch and the English cells report
the same problems for the same pitch.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from conftest import REPO

import welfarelab
from welfarelab import journey as journey_model
from welfarelab.checks import CheckFailed
from welfarelab.finance import break_even
from welfarelab.impact import Outcome, sroi
from welfarelab.pitch import CHECKS, Pitch
from welfarelab.widgets.blueprint import blueprint_editor
from welfarelab.widgets.journey import journey_map
from welfarelab.widgets.pitch import pitch_builder


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    yield
    welfarelab.set_language("en")


def _text(widget_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", widget_html))


# ------------------------------------------------------------------------- the editors


def test_the_dutch_journey_map_shows_the_gbo_example_and_its_labels_in_dutch(dutch):
    editor = journey_map()
    assert editor.add_button.description == "Fase toevoegen"
    assert editor.persona.value == "gezin met onbetaalde facturen"
    assert [row["name"].value for row in editor.rows] == [
        "facturen stapelen zich op", "zoekt de juiste dienst", "eerste intakegesprek",
        "rechten worden nagekeken", "doorverwezen naar schuldhulpverlening"]
    assert editor.rows[0]["pain_points"].description == "pijnpunten"
    summary = _text(editor.summary.value)
    # the same figures as in English: the first -2 stage, and 2 handovers (call centre ->
    # OCMW -> CAW; the stage without an actor is skipped)
    assert "Moment van de waarheid" in summary
    assert "eerste intakegesprek (-2, heel slecht)" in summary
    assert re.search(r"Overdrachten\s+\(doorgestuurd naar een andere actor\)\s*:\s*2", summary)
    table = editor.table.value
    assert "<th>fase</th>" in table and "<th>gevoel</th>" in table and "heel slecht" in table
    assert "my-journey.json" in editor.download.value and "downloaden" in editor.download.value


def test_the_journey_figures_do_not_depend_on_the_language(dutch):
    dutch_journey, dutch_blueprint = journey_model.gbo_example()
    welfarelab.set_language("en")
    english_journey, english_blueprint = journey_model.gbo_example()
    assert dutch_journey.emotion_curve() == english_journey.emotion_curve() == [-1, -1, -2, 1, 0]
    assert dutch_journey.handovers() == english_journey.handovers() == 2
    assert english_journey.moment_of_truth().name == "first intake conversation"
    assert dutch_journey.moment_of_truth().name == "eerste intakegesprek"
    assert (dutch_blueprint.handovers_across_visibility()
            == english_blueprint.handovers_across_visibility() == 3)
    assert dutch_blueprint.frontstage_handovers() == english_blueprint.frontstage_handovers() == 2


def test_the_dutch_blueprint_editor_shows_dutch_steps_and_summary(dutch):
    editor = blueprint_editor()
    titles = [editor.tabs.get_title(i) for i in range(len(editor.steps))]
    assert titles == ["telefoontje", "intake", "doorverwijzing", "schuldhulpverlening"]
    assert editor.steps[1]["frontstage"].value == (
        "maatschappelijk werker OCMW: luistert en verheldert de vraag")
    assert _text(editor.summary.value) == (
        "Stappen: 4; interacties (stappen met een zichtbare actie): 4; overdrachten over de "
        "zichtbaarheidslijn: 3.")
    assert "Overdrachten over de zichtbaarheidslijn: 3." in editor.alt.value


def test_a_bad_feeling_score_is_explained_in_dutch(dutch):
    with pytest.raises(ValueError) as info:
        journey_model.Stage("wachten", emotion=3)
    assert str(info.value) == ("De gevoelsscore (emotion) van fase 'wachten' is 3; ze moet tussen "
                               "-2 (heel slecht) en +2 (heel goed) liggen.")


def test_the_dutch_pitch_builder_shows_dutch_parts_checks_and_counts(dutch):
    builder = pitch_builder()
    grid_titles = [_text(cell.children[0].children[0].value) for cell in builder.grid.children]
    assert [t.split("(")[0].strip() for t in grid_titles] == [
        "1. Het probleem", "2. Voor wie", "3. Onze oplossing", "4. De impact",
        "5. Het businessmodel", "6. Je vraag"]
    assert "(maximaal 50 woorden)" in grid_titles[0]
    assert builder.boxes["ask"].placeholder == "Wat wil je van dit publiek, nu?"
    assert _text(builder.counts["problem"].value).strip() == "0 / 50 woorden"
    status = _text(builder.status.value)
    assert "Structuurcontroles" in status and "✗ elk deel is aanwezig" in status
    assert "'Het probleem' (problem) is leeg" in status
    assert builder.draw_button.description == "Teken het pitchblad"


def test_a_figure_in_the_dutch_report_is_written_the_belgian_way(dutch):
    result = break_even(fixed_costs=24_000, price=12, variable_cost=2, subsidy=6_000)
    pitch = Pitch(problem="één twee drie vier vijf", figures={"break_even_units": 1_900})
    report = pitch.check(break_even_result=result)
    [wrong] = [p for p in report.problems_about("figures_agree") if "break_even_units" in p]
    assert wrong == ("Het cijfer 'break_even_units' (break-evenpunt (eenheden/jaar)) is 1.900, "
                     "maar je rekenhulp geeft 1.800, naar boven afgerond 1.800. Neem het resultaat "
                     "van de rekenhulp over.")


# ------------------------------------------------------------------------- files


def test_a_journey_saved_in_dutch_loads_in_english(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    welfarelab.set_language("nl")
    try:
        editor = journey_map()
        editor.file_name.value = "reis"
        path = editor.save()
        assert path is not None and path.name == "reis.json"
        assert "Bewaard als reis.json" in html.unescape(editor.message.value)
        saved = editor.journey
    finally:
        welfarelab.set_language("en")
    data = json.loads((tmp_path / "reis.json").read_text(encoding="utf-8"))
    assert data["kind"] == "customer-journey-map" and list(data["stages"][0]) == list(
        journey_model.Stage.FIELDS)
    other = journey_map()
    loaded = other.load_file("reis.json")
    assert loaded == saved
    assert other.persona.value == "gezin met onbetaalde facturen"
    assert html.unescape(other.message.value).count(
        "Loaded reis.json: the journey of “gezin met onbetaalde facturen”, 5 stages.") == 1
    assert other.add_button.description == "Add a stage"


# ------------------------------------------------------------------------- m07 check cells


def _check_cell(path, grade_id: str) -> str:
    """The visible code of an m07 check cell (the hidden tests cut out)."""
    notebook = json.loads((REPO / path).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            code = "".join(cell["source"])
            return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n", "", code,
                          flags=re.DOTALL)
    raise AssertionError(f"{path} has no cell {grade_id}")


def _run_check_cell(path, grade_id: str, pitch: Pitch, language: str) -> str:
    """Run a check cell on ``pitch`` in ``language``; the message of its failed check."""
    sroi_result = sroi([Outcome("work found", "trainees", 10, 2_000, 0.2, 0.1, 0.1, 0.0, 1)],
                       investment=10_000)
    be = break_even(fixed_costs=24_000, price=12, variable_cost=2, subsidy=6_000)
    namespace = {"my_pitch": pitch, "klusbus_sroi": sroi_result, "klusbus_break_even": be,
                 "Pitch": Pitch}
    welfarelab.set_language(language)
    try:
        with pytest.raises(CheckFailed) as info:
            # the course's own check cell, run as a notebook runs it
            code = compile(_check_cell(path, grade_id), str(path), "exec")
            exec(code, namespace)  # noqa: S102
        return str(info.value)
    finally:
        welfarelab.set_language("en")


def _pitch(**parts) -> Pitch:
    base = {pid: "one two three four five six" for pid in
            ("problem", "audience", "solution", "impact", "business_model", "ask")}
    base.update(parts)
    return Pitch(**base)


@pytest.mark.parametrize("grade_id, check_name, pitch, ids", [
    ("m07-pitch-parts", "parts_present", _pitch(ask="", impact="three words only"),
     ["(impact)", "(ask)"]),
    ("m07-pitch-word-limits", "within_word_limits",
     _pitch(problem=" ".join(["word"] * 61), ask=" ".join(["word"] * 33)),
     ["(problem)", "(ask)"]),
])
def test_the_dutch_m07_check_cells_find_the_same_problems_as_the_english(grade_id, check_name,
                                                                        pitch, ids):
    english = _run_check_cell("source/m07/m07-pitch.ipynb", grade_id, pitch, "en")
    dutch = _run_check_cell("source/m07-nl/m07-pitch.ipynb", grade_id, pitch, "nl")
    english_problems = pitch.check().problems_about(check_name)
    welfarelab.set_language("nl")
    try:
        dutch_problems = pitch.check().problems_about(check_name)
    finally:
        welfarelab.set_language("en")
    assert len(english_problems) == len(dutch_problems) == 2
    for problem_id, en_problem, nl_problem in zip(ids, english_problems, dutch_problems,
                                                   strict=True):
        assert problem_id in en_problem and problem_id in nl_problem
        assert en_problem in english      # the English cell lists every problem of its check
        assert nl_problem in dutch        # and so does the Dutch cell, in Dutch
    assert "; ".join(dutch_problems) in dutch


def test_the_word_limit_problem_reads_in_dutch_and_english_phrases_no_longer_find_it():
    pitch = _pitch(problem=" ".join(["word"] * 61))
    welfarelab.set_language("nl")
    try:
        report = pitch.check()
    finally:
        welfarelab.set_language("en")
    assert report.problems_about("within_word_limits") == [
        "'Het probleem' (problem) heeft 61 woorden; de limiet is 50. Schrap er 11."]
    # the old cells' filter (an English phrase) found nothing in Dutch
    assert [p for p in report.problems if "the limit is" in p] == []


def test_problems_about_names_every_check_and_refuses_an_unknown_one():
    pitch = _pitch(ask="")
    report = pitch.check()
    assert CHECKS == ("parts_present", "no_drafts", "within_word_limits", "figures_agree",
                      "figures_in_text")
    assert sum(len(report.problems_about(name)) for name in CHECKS) == len(report.problems) == 1
    assert report.problems_about("no_drafts") == []
    with pytest.raises(ValueError, match="There is no check called 'limits'. The checks are: "
                                         "parts_present, no_drafts"):
        report.problems_about("limits")


# ------------------------------------------------------------------------- the shared file helper


def test_the_file_helper_explains_a_folder_in_the_name_in_dutch(dutch, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editor = journey_map()
    editor.file_name.value = "map/reis.json"
    assert editor.save() is None
    assert html.unescape(editor.message.value).count(
        "Typ alleen een bestandsnaam, zoals 'my-journey.json', zonder map: je klantreis wordt "
        "bewaard in de map van dit notebook. Je typte 'map/reis.json'.") == 1
    assert list(tmp_path.iterdir()) == []
    # the download link keeps the default name while the typed one is not allowed
    assert 'download="my-journey.json"' in editor.download.value


def test_the_file_helper_refuses_a_big_upload_with_a_belgian_number(dutch):
    editor = blueprint_editor()
    big = ({"name": "groot.json", "content": b"x" * 1_000_001},)
    assert editor.load_upload(big) is None
    assert html.unescape(editor.message.value).count(
        "Kan 'groot.json' niet openen: het is 1.000.001 bytes, veel te groot voor een bestand "
        "met een blauwdruk.") == 1
    builder = pitch_builder()
    assert builder.load_upload(big) is None
    assert "veel te groot voor een canvas- of pitchbestand" in html.unescape(
        builder.message.value)


def test_the_file_helper_says_which_file_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editor = blueprint_editor()
    assert editor.load_file("nope.json") is None
    assert f"There is no file called 'nope.json' in {tmp_path}." in html.unescape(
        editor.message.value)
    assert editor.load_file("  ") is None
    assert ("Type the name of a saved blueprint file, such as 'my-blueprint.json', or upload "
            "one with the button.") in html.unescape(editor.message.value)


def test_chart_labels_wrap_only_between_words_in_dutch():
    """A Flemish student saw "schuldhulpv / erlening" on the blueprint's axis: labels are
    wrapped at spaces only (welfarelab.design.wrap_label)."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    import welfarelab
    from welfarelab.journey import gbo_example

    welfarelab.set_language("nl")
    try:
        texts = []
        for model in gbo_example():
            made = model.figure()
            fig = made[0] if isinstance(made, tuple) else getattr(made, "figure", made)
            texts += [t.get_text() for t in fig.findobj(Text) if "\n" in t.get_text()]
            plt.close(fig)
    finally:
        welfarelab.set_language("en")
    assert any("schuldhulpverlening" in t for t in texts), texts
    for text in texts:
        for line in text.split("\n"):
            assert not line.endswith("-") or line.endswith(" -"), text
        words = text.split()
        assert all(len(w) > 1 or not w.isalpha() for w in words), text
        assert "schuldhulpv" not in text.replace("schuldhulpverlening", ""), text
