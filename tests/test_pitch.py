"""The pitch model (welfarelab.pitch) and the one-page pitch builder (welfarelab.widgets.pitch).

The figures are the course's own synthetic Rising You-like figures of modules m04 and m06:
break-even (160,000 - 60,000) / (4,800 - 1,400) = 29.41 trainees, so 30; forecast SROI of
four outcomes on an investment of EUR 150,000: 2.30 : 1 (the first version of m06's case, kept
here as a fixture). The funding gap of the ask: 150,000 - (60,000 + 40,000 + 10,000) = 40,000.
"""

import base64
import datetime as dt
import html
import json
import re

import matplotlib.pyplot as plt
import pytest

from welfarelab import pitch as model
from welfarelab.canvas import BusinessModelCanvas, SocialBusinessModelCanvas
from welfarelab.finance import break_even, break_even_mix
from welfarelab.impact import Outcome, sroi
from welfarelab.pitch import (
    DRAFT_MARK,
    PART_IDS,
    Pitch,
    figure_agrees,
    format_figure,
    numbers_in,
    word_count,
)
from welfarelab.widgets import _base
from welfarelab.widgets.canvas import RISING_YOU
from welfarelab.widgets.pitch import PitchBuilder, pitch_builder


@pytest.fixture(scope="module")
def canvas():
    return SocialBusinessModelCanvas(title=RISING_YOU["title"], texts=RISING_YOU["blocks"])


@pytest.fixture(scope="module")
def be():
    return break_even(160_000, 4_800, 1_400, subsidy=60_000)


@pytest.fixture(scope="module")
def result():
    outcomes = [
        Outcome("found paid work", "young refugees", 12, 8_400, 0.30, 0.10, 0.20, 0.20, 3),
        Outcome("benefits saved, taxes paid", "public purse", 12, 12_000, 0.30, 0.10, 0.20,
                0.20, 3),
        Outcome("hard-to-fill vacancy filled", "employers", 12, 3_500, 0.25, 0.0, 0.30, 0.0, 1),
        Outcome("more self-confidence and contacts", "club members", 40, 1_200, 0.20, 0.0, 0.25,
                0.50, 2),
    ]
    return sroi(outcomes, 150_000)


def finished(**changes) -> Pitch:
    texts = {
        "title": "Rising You",
        "problem": ("In 2020 about 2 in 3 refugees in Belgium had no job. Many others had a "
                 "low-valued job, steered one-sidedly towards shortage occupations."),
        "audience": ("Young refugees who love climbing, and the companies with hard-to-fill "
                  "vacancies at height that pay for their training."),
        "solution": ("We climb, we rise, we shine: climbing clubs, professional training for work "
                  "at height, and matching with companies on the work floor."),
        "impact": ("Trainees find meaningful work and employers fill vacancies. Our forecast SROI "
                "is 2.3 : 1, every euro invested creates €2.30 of social value."),
        "business_model": ("Companies pay €4,800 per trainee; a regional subsidy covers part of "
                        "the fixed costs. We break even at 30 trainees a year."),
        "ask": "We ask €40,000 and five partner companies for next year's cohort.",
        "figures": {"sroi_ratio": 2.3, "break_even_units": 30},
    }
    texts.update(changes)
    return Pitch(**texts)


# --------------------------------------------------------------------------- the structure

def test_six_parts_with_the_documented_word_limits():
    assert PART_IDS == ("problem", "audience", "solution", "impact", "business_model", "ask")
    assert [p.max_words for p in model.PARTS] == [50, 40, 50, 50, 50, 30]
    assert model.TOTAL_MAX_WORDS == 270
    documented = {line.split()[0]: int(re.search(r"(\d+) words", line).group(1))
                  for line in model.__doc__.splitlines()
                  if re.match(r"\s{4}[a-z_]+\s{2,}", line) and " words " in line}
    assert documented == {p.id: p.max_words for p in model.PARTS}


@pytest.mark.parametrize("text, words", [
    ("", 0), (None, 0), ("one", 1), ("Every euro creates €2.30 of value.", 6),
    ("We climb – we rise – we shine", 6), ("- a bullet\n- another one", 4),
])
def test_word_count(text, words):
    assert word_count(text) == words


def test_word_count_refuses_a_number():
    with pytest.raises(TypeError, match="needs a text"):
        word_count(42)


def test_numbers_in_reads_english_belgian_thousands_and_percentages():
    values = numbers_in("€141.176 or 141,176.50; 2,3 : 1; 35 % of 12k, 1 200 people")
    for v in (141176, 141.176, 141176.5, 2.3, 0.35, 35, 12_000, 12, 1200):
        assert any(abs(v - x) < 1e-9 for x in values), v
    assert numbers_in("no numbers here") == []
    assert 12_000 not in numbers_in("12 kids")


@pytest.mark.parametrize("name, quoted, calculated, ok", [
    ("sroi_ratio", 2.3, 2.300936, True),
    ("sroi_ratio", 2.35, 2.300936, True),
    ("sroi_ratio", 2.4, 2.300936, False),
    ("present_value", 345_000, 345_140.41, True),
    ("present_value", 340_000, 345_140.41, False),
    ("break_even_units", 30, 29.411765, True),
    ("break_even_units", 29.41, 29.411765, True),
    ("break_even_units", 29, 29.411765, False),
    ("people_reached", 40, 40.3, True),
])
def test_figure_agrees_by_the_stated_tolerances(name, quoted, calculated, ok):
    assert figure_agrees(name, quoted, calculated) is ok


def test_format_figure():
    assert format_figure("sroi_ratio", 2.3) == "2.30 : 1"
    assert format_figure("investment", 150_000) == "€150,000"
    assert format_figure("present_value", 345_140.408) == "€345,140.41"
    assert format_figure("break_even_units", 2157) == "2,157"
    assert format_figure("subsidy_dependency", 0.35) == "0.35"


# --------------------------------------------------------------------------- from a canvas

def test_from_canvas_drafts_every_part_and_quotes_the_calculators(canvas, result, be):
    pitch = Pitch.from_canvas(canvas, sroi_result=result, break_even_result=be)
    assert pitch.title == RISING_YOU["title"]
    # the SROI investment is not drafted as the ask: it is the value of all inputs
    assert pitch.figures == {"sroi_ratio": 2.3, "break_even_units": 30}
    assert "funding gap" in pitch.ask and "150,000" not in pitch.ask
    assert pitch.drafts() == list(PART_IDS)
    assert all(pitch[p].startswith(DRAFT_MARK) for p in PART_IDS)
    assert "2 in 3 refugees" in pitch.problem  # from the beneficiaries block
    assert "We break even at 30 units a year." in pitch.business_model
    assert "€2.30 of social value" in pitch.impact
    report = pitch.check()  # the results given to from_canvas are used
    assert report.parts_present and report.figures_agree and report.figures_in_text
    assert not report.no_drafts and not report.ok
    assert set(report.parts["status"]) <= {"draft", "too long"}
    assert any("'Our solution' (solution) has" in p and "the limit is 50" in p
               for p in report.problems)


def test_from_canvas_reads_a_saved_canvas_file(canvas, tmp_path, be):
    path = canvas.save(tmp_path / "my-canvas.json")
    pitch = Pitch.from_canvas(str(path), break_even_result=be)
    assert pitch.title == canvas.title and pitch.figures == {"break_even_units": 30}
    assert Pitch.from_canvas(canvas.to_dict()).texts() == Pitch.from_canvas(canvas).texts()


def test_from_canvas_refuses_other_things(tmp_path):
    with pytest.raises(TypeError, match="Social Business Model Canvas"):
        Pitch.from_canvas(BusinessModelCanvas(title="x"))
    with pytest.raises(TypeError, match="canvas must be"):
        Pitch.from_canvas(42)
    with pytest.raises(FileNotFoundError):
        Pitch.from_canvas(tmp_path / "missing.json")
    with pytest.raises(TypeError, match="sroi_result must be the result of sroi"):
        Pitch.from_canvas(SocialBusinessModelCanvas(), sroi_result=2.3)


# --------------------------------------------------------------------------- check

def test_a_finished_pitch_passes_every_check(result, be):
    report = finished().check(result, be)
    assert report.ok and bool(report) and report.problems == []
    assert list(report.parts["status"]) == ["ok"] * 6
    assert report.figures.set_index("figure").loc["sroi_ratio", "agrees"]
    assert report.figures.set_index("figure").loc["break_even_units", "calculated"] == \
        pytest.approx(29.411765, abs=1e-6)
    assert "All structure checks pass." in str(report)


def test_a_wrong_figure_is_named_with_the_calculators_value(result, be):
    pitch = finished(figures={"sroi_ratio": 2.5, "break_even_units": 30})
    pitch.impact = pitch.impact.replace("2.3 : 1", "2.5 : 1")
    report = pitch.check(result, be)
    assert not report.figures_agree and report.figures_in_text
    assert any("'sroi_ratio'" in p and "2.50 : 1" in p and "2.30 : 1" in p
               for p in report.problems)


def test_a_figure_not_written_in_the_text_fails(result, be):
    pitch = finished(business_model="Companies pay for their future employees' training, and "
                                    "a subsidy helps with fixed costs.")
    report = pitch.check(result, be)
    assert report.figures_agree and not report.figures_in_text
    assert any("'break_even_units' (30) is not written" in p for p in report.problems)


def test_the_headline_figure_must_be_quoted_when_its_result_is_given(result, be):
    report = finished(figures={"sroi_ratio": 2.3}).check(result, be)
    assert not report.figures_agree
    assert any("break_even_units" in p for p in report.problems)
    # without results there is nothing to compare: the figure is flagged, never ticked
    report = finished(figures={"sroi_ratio": 9.9}).check()
    assert not report.figures_agree
    assert any("cannot be checked" in p and "sroi_ratio" in p for p in report.problems)
    # a figure that no calculator gives (e.g. the sum asked for) is not flagged
    assert finished(figures={"ask_eur": 9.9}).check().figures_agree
    assert report.figures["agrees"].isna().all()


def test_missing_short_and_long_parts_are_reported_by_name(result, be):
    report = finished(ask="", audience="Refugees.", solution="word " * 51).check(result, be)
    assert not report.parts_present and not report.within_word_limits
    statuses = report.parts.set_index("part")["status"]
    assert statuses["ask"] == "missing" and statuses["audience"] == "too short"
    assert statuses["solution"] == "too long"
    assert any("'The ask' (ask) is empty" in p for p in report.problems)
    assert any("has 51 words; the limit is 50. Cut 1." in p for p in report.problems)


def test_check_with_a_tariff_mix_result():
    mix = break_even_mix(160_000, {"large": (0.5, 6_000), "SME": (0.3, 4_000),
                                   "social": (0.2, 1_000)}, 1_400, subsidy=60_000)
    assert mix.units_rounded == 34
    pitch = finished(figures={"break_even_units": 34})
    pitch.business_model = pitch.business_model.replace("30 trainees", "34 trainees")
    assert pitch.check(break_even_result=mix).ok


# --------------------------------------------------------------------------- input errors

def test_bad_input_names_the_field():
    with pytest.raises(TypeError, match="the part 'problem' must be text"):
        Pitch(problem=3)
    with pytest.raises(ValueError, match="figure name 'SROI ratio' is not a name"):
        Pitch(figures={"SROI ratio": 2.3})
    with pytest.raises(TypeError, match="figure 'sroi_ratio' must be a number"):
        Pitch(figures={"sroi_ratio": "2.3"})
    with pytest.raises(TypeError, match="figures must be a dictionary"):
        Pitch(figures=[2.3])
    with pytest.raises(ValueError, match="A pitch has no part 'hook'"):
        Pitch()["hook"] = "text"
    with pytest.raises(TypeError, match="break_even_result must be"):
        finished().check(break_even_result=30)


def test_parts_by_id_or_title_and_lists_of_texts():
    pitch = Pitch(problem=["Two in three refugees", "had no job in 2020."])
    assert pitch.problem == "Two in three refugees had no job in 2020."
    pitch["The ask"] = "  A pilot site and EUR 40,000.  "
    assert pitch.ask == "A pilot site and EUR 40,000."
    assert pitch["business model"] == ""


# --------------------------------------------------------------------------- views, files

def test_markdown_lists_parts_word_counts_and_figures():
    text = finished().to_markdown()
    assert text.startswith("# Pitch: Rising You")
    assert "## 6. The ask (11 of at most 30 words)" in text
    assert "- SROI ratio: 2.30 : 1" in text and "- break-even point (units a year): 30" in text
    assert "*Not written yet: What do you want" in Pitch().to_markdown()


def test_figure_is_one_page_with_every_part_and_figure():
    before = plt.get_fignums()
    fig = finished().to_figure()
    assert plt.get_fignums() == before  # closed in pyplot
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    for pid in PART_IDS:
        assert f"part:{pid}" in texts and f"title:{pid}" in texts
    assert texts["figure:sroi_ratio"] == "2.30 : 1"
    assert texts["figure:break_even_units"] == "30"
    assert "We climb" in texts["part:solution"].replace("\n", " ")
    assert len(fig.axes) == 2  # the sheet and the euro-in, value-out bars
    empty = Pitch().to_figure()
    assert {t.get_gid(): t.get_text() for t in empty.axes[0].texts
            if t.get_gid()}["part:ask"].startswith("What do you want")
    with pytest.raises(ValueError, match="figsize"):
        finished().to_figure(figsize=(3,))


def test_json_round_trip_and_file(tmp_path):
    pitch = finished()
    again = Pitch.from_json(pitch.to_json())
    assert again == pitch and again.to_dict()["kind"] == "pitch"
    path = pitch.save(tmp_path / "my-pitch.json")
    assert Pitch.load(path) == pitch
    assert json.loads(path.read_text(encoding="utf-8"))["figures"]["break_even_units"] == 30


def test_bad_files_give_readable_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="Cannot load .*bad.json.*not valid JSON"):
        Pitch.load(bad)
    with pytest.raises(ValueError, match="not a pitch"):
        Pitch.from_dict({"kind": "social_business_model_canvas"})
    with pytest.raises(ValueError, match="newer welfarelab"):
        Pitch.from_dict({"kind": "pitch", "version": 99})
    with pytest.raises(ValueError, match="Unknown part"):
        Pitch.from_dict({"kind": "pitch", "version": 1, "parts": {"hook": "x"}})
    with pytest.raises(TypeError, match="file name"):
        Pitch.load(42)


# --------------------------------------------------------------------------- the widget


def upload_value(name: str, content: bytes):
    return ({"name": name, "type": "application/json", "size": len(content),
             "content": memoryview(content),
             "last_modified": dt.datetime(2024, 5, 1, tzinfo=dt.UTC)},)


def download_json(builder) -> dict:
    match = re.search(r'href="data:application/json;base64,([A-Za-z0-9+/=]+)"',
                      builder.download.value)
    assert match, builder.download.value
    return json.loads(base64.b64decode(match.group(1)))


def test_builder_drafts_from_a_canvas_and_checks_as_you_type(canvas, result, be):
    builder = PitchBuilder(canvas=canvas, sroi_result=result, break_even_result=be)
    assert builder.boxes["problem"].value.startswith(DRAFT_MARK)
    assert builder.figure_boxes["sroi_ratio"].value == "2.3"
    assert builder.figure_boxes["break_even_units"].value == "30"
    assert "✗ no part is still a draft" in builder.status.value
    assert not builder.report.ok
    ready = finished()
    for pid in PART_IDS:
        builder.boxes[pid].value = ready[pid]
    assert builder.report.ok, builder.report.problems
    assert "All structure checks pass." in builder.status.value
    assert ">11 / 30 words<" in builder.counts["ask"].value
    builder.boxes["ask"].value = "word " * 31
    assert "31 / 30 words" in builder.counts["ask"].value
    assert "#D55E00" in builder.counts["ask"].value and not builder.report.ok


def test_builder_shows_a_bad_figure_in_words(canvas, be):
    builder = PitchBuilder(canvas=canvas, break_even_result=be)
    builder.figure_boxes["break_even_units"].value = "thirty"
    assert "break-even point (units a year) must be a number" in builder.message.value
    assert builder.report is None
    builder.figure_boxes["break_even_units"].value = "31"
    assert builder.message.value == ""
    assert "your calculator gives 29.41" in builder.status.value


def test_builder_loads_files_by_name_and_by_upload(canvas, be, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canvas.save("my-canvas.json")
    builder = PitchBuilder(break_even_result=be)
    assert builder.load_file("my-canvas.json") is not None
    assert builder.title_box.value == canvas.title
    assert "Loaded my-canvas.json" in builder.message.value
    assert builder.load_file("nope.json") is None
    assert "There is no file called 'nope.json'" in html.unescape(builder.message.value)
    assert builder.load_file("  ") is None and "Type the name" in builder.message.value

    upload = PitchBuilder(break_even_result=be)
    upload.upload.value = upload_value("canvas.json", json.dumps(canvas.to_dict()).encode())
    assert upload.title_box.value == canvas.title and upload.upload.value == ()
    upload.upload.value = upload_value("bmc.json", json.dumps(
        BusinessModelCanvas(title="x").to_dict()).encode())
    assert "Business Model Canvas (9 blocks)" in upload.message.value
    upload.upload.value = upload_value("junk.json", b"{oops")
    assert "not valid JSON" in upload.message.value


def test_builder_saves_downloads_and_reloads_a_pitch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    builder = PitchBuilder(pitch=finished())
    assert download_json(builder) == finished().to_dict()
    builder.file_name.value = "rising"
    assert 'download="rising.json"' in builder.download.value
    path = builder.save()
    assert path.name == "rising.json" and Pitch.load(path) == finished()
    again = PitchBuilder(pitch="rising.json")
    assert again.pitch == finished()
    builder.file_name.value = "sub/dir.json"
    assert builder.save() is None and "without a folder" in builder.message.value


def test_builder_draws_the_sheet_with_a_png_link():
    builder = PitchBuilder(pitch=finished())
    builder.draw()
    assert 'href="data:image/png;base64,' in builder.png_link.value
    assert builder.figure_note.value.startswith("<div") and "Figure:" in builder.figure_note.value
    assert builder.draw_button.description == "Draw the pitch sheet"


def test_builder_is_switched_off_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in pitch_builder().value
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert isinstance(pitch_builder(), PitchBuilder)
    assert not _base.grading()


def test_builder_refuses_a_canvas_and_a_pitch_together(canvas):
    with pytest.raises(ValueError, match="not both"):
        PitchBuilder(canvas=canvas, pitch=finished())


def test_loading_another_canvas_drops_the_example_results(canvas, result, be, tmp_path,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = SocialBusinessModelCanvas(title="Soup on wheels", texts={
        "beneficiary_segments": "Older people living alone",
        "revenue": "Meals paid by the OCMW"})
    own.save("my-canvas.json")
    builder = PitchBuilder(canvas=canvas, sroi_result=result, break_even_result=be)
    assert builder.example_results and builder.figure_boxes["sroi_ratio"].value == "2.3"
    assert builder.load_file("my-canvas.json") is not None
    assert builder.sroi_result is None and builder.break_even_result is None
    assert not builder.example_results
    assert all(box.value == "" for box in builder.figure_boxes.values())
    assert "2.30" not in builder.boxes["impact"].value
    assert "150,000" not in builder.boxes["ask"].value
    assert "no calculator results of your own yet" in builder.message.value
    assert "No calculator results of your own yet" in builder.results_line.value
    # a quoted figure with nothing to compare with is flagged, not ticked
    builder.figure_boxes["sroi_ratio"].value = "2.3"
    assert "✗ the figures agree" in builder.status.value
    assert "cannot be checked" in builder.status.value
    # the student's own results
    mine = break_even(fixed_costs=50_000, price=10, variable_cost=2, subsidy=10_000)
    builder.set_results(break_even_result=mine)
    assert builder.break_even_result is mine and "5,000" in builder.results_line.value


def test_loading_an_own_pitch_drops_the_example_results(result, be, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    finished(figures={"break_even_units": 12}).save("my-pitch.json")
    builder = PitchBuilder(pitch=finished(), sroi_result=result, break_even_result=be)
    assert builder.load_file("my-pitch.json") is not None
    assert builder.break_even_result is None
    assert "your calculator gives" not in builder.status.value
    assert "cannot be checked" in builder.status.value


def test_results_given_without_a_canvas_are_kept_on_loading(canvas, be, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canvas.save("my-canvas.json")
    builder = PitchBuilder(break_even_result=be)
    builder.unit_box.value = "trainees"
    builder.load_file("my-canvas.json")
    assert builder.break_even_result is be
    assert "30 trainees a year" in builder.boxes["business_model"].value
    assert "30 trainees a year" in builder.results_line.value


def test_the_draft_notice_clears_once_the_parts_are_rewritten(canvas, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canvas.save("my-canvas.json")
    builder = PitchBuilder()
    builder.load_file("my-canvas.json")
    assert "Every part is a draft" in builder.message.value
    ready = finished()
    for pid in PART_IDS:
        builder.boxes[pid].value = ready[pid]
    assert "Every part is a draft" not in builder.message.value


# --------------------------------------------------------------------------- the funding gap

def test_funding_gap_is_the_cost_minus_what_is_secured():
    gap = model.funding_gap(150_000, {"training fees": 60_000, "regional subsidy": 40_000,
                                      "volunteer time (in kind)": 10_000})
    assert gap.secured_total == 110_000 and gap.gap == 40_000 and gap.total_cost == 150_000
    assert model.funding_gap(150_000, {"fees": 200_000}).gap == 0  # fully covered: nothing
    assert model.funding_gap(0).gap == 0 and model.funding_gap(90_000).gap == 90_000
    with pytest.raises(ValueError, match="secured amount .* of 'fees' cannot be negative"):
        model.funding_gap(150_000, {"fees": -1})
    with pytest.raises(TypeError, match="secured must be a dictionary"):
        model.funding_gap(150_000, [60_000])
    with pytest.raises(TypeError, match="total_cost"):
        model.funding_gap("150000")


def test_an_ask_for_the_sroi_investment_is_flagged(result, be):
    wrong = finished(ask="We ask €150,000 and five partner companies for next year's cohort.",
                     figures={"sroi_ratio": 2.3, "break_even_units": 30})
    report = wrong.check(result, be)
    assert not report.ok and not report.figures_agree
    assert any(p.startswith("The ask quotes €150,000, the SROI's total investment") and
               "funding_gap(total cost, secured)" in p for p in report.problems)
    gap = model.funding_gap(150_000, {"training fees": 60_000, "regional subsidy": 40_000,
                                      "volunteer time (in kind)": 10_000})
    report = wrong.check(result, be, gap)
    assert any("Ask for the funding gap, what is still missing (€40,000)." in p
               for p in report.problems)
    right = finished(figures={"sroi_ratio": 2.3, "break_even_units": 30, "funding_gap": 40_000})
    assert right.check(result, be, gap).ok, right.check(result, be, gap).problems
    # a gap quoted in another part than the ask, or a wrong gap, is flagged
    elsewhere = finished(ask="We ask five partner companies to offer a work trial next year.",
                         business_model=finished().business_model + " Our gap is €40,000.",
                         figures={"sroi_ratio": 2.3, "break_even_units": 30,
                                  "funding_gap": 40_000})
    assert any("belongs in the ask" in p for p in elsewhere.check(result, be, gap).problems)
    off = finished(ask="We ask €45,000 and five partner companies for next year's cohort.",
                   figures={"sroi_ratio": 2.3, "break_even_units": 30, "funding_gap": 45_000})
    assert any("'funding_gap'" in p and "your calculator gives €40,000" in p
               for p in off.check(result, be, gap).problems)
    # when the whole cost is still missing, asking for it is right
    everything = model.funding_gap(150_000)
    assert finished(ask="We ask €150,000 and five partner companies for next year's cohort.",
                    figures={"sroi_ratio": 2.3, "break_even_units": 30,
                             "funding_gap": 150_000}).check(result, be, everything).ok
    with pytest.raises(TypeError, match="funding_gap_result must be the result of funding_gap"):
        finished().check(result, be, 40_000)


def test_from_canvas_asks_for_the_funding_gap(canvas, result, be):
    gap = model.funding_gap(150_000, {"training fees": 110_000})
    pitch = Pitch.from_canvas(canvas, result, be, funding_gap_result=gap)
    assert pitch.figures["funding_gap"] == 40_000
    assert pitch.ask.startswith(f"{DRAFT_MARK} We ask for €40,000, the part of the costs not yet "
                                "covered.")
