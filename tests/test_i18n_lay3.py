"""Issue 17, the Dutch tryout: the last buttons and checkboxes cut with "…" (lay3).

The pitch builder's "Bewaren" and "Openen" at 90px, the theory-of-change builder's upload
button ("Load a saved file" at ipywidgets' 148px, "Bewaard bestand laden" more so) and three
checklist texts of the social enterprise explorer far wider than its 640px rows (the EU's
third criterion in English and Dutch, the EMES participation indicator in Dutch).

Widths are measured as in tests/test_i18n_lay1.py (its helpers are imported): the text in
DejaVu Sans at 13 px plus what ipywidgets 8's CSS puts around it.
"""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest
from test_i18n_lay1 import _pixels, every, needed, width

import welfarelab
from welfarelab import enterprise
from welfarelab.widgets.enterprise import SocialEnterpriseExplorer
from welfarelab.widgets.pitch import PitchBuilder
from welfarelab.widgets.toc import TheoryOfChangeBuilder

#: the widgets of the files this fix owns, each with the least number of controls with text
MINE = {
    "pitch_builder": (lambda: PitchBuilder(), 5),
    "theory_of_change_builder": (lambda: TheoryOfChangeBuilder(chart=False), 2),
    "social_enterprise_explorer": (lambda: SocialEnterpriseExplorer(), 16),
}

ROW = 640  # px, a checklist row of the enterprise explorer


@pytest.fixture(params=["en", "nl"])
def language(request):
    before = welfarelab.get_language()
    welfarelab.set_language(request.param)
    yield request.param
    welfarelab.set_language(before)


def _controls(view):
    return [c for c in every(view.widget)
            if isinstance(c, (w.Button, w.ToggleButton, w.FileUpload, w.Checkbox))]


def test_the_measure_sees_the_cuts_the_student_saw():
    """What lay3 fixes was cut: the measure says so (else the tests below could not fail)."""
    assert needed(w.Button(description="Bewaren", icon="save")) > 90
    assert needed(w.Button(description="Openen", icon="folder-open")) > 90
    assert needed(w.FileUpload(description="Load a saved file")) > 148
    long = ("de organisatie of de eigendom weerspiegelt de missie: democratische of "
            "participatieve principes, of aandacht voor sociale rechtvaardigheid")
    assert needed(w.Checkbox(description=long, indent=False)) > ROW


@pytest.mark.parametrize("name", sorted(MINE))
def test_no_button_or_checkbox_text_is_cut(name, language):
    """No button's, upload button's or checkbox's text is wider than its width, EN and NL."""
    make, least = MINE[name]
    checked = 0
    for control in _controls(make()):
        if not control.description:
            continue  # a checkbox whose text is in a wrapping label (tested below)
        assert needed(control) <= width(control), (
            f"{name} ({language}): {control.description!r} needs {needed(control):.0f}px "
            f"but has {control.layout.width}")
        checked += 1
    assert checked >= least, (name, language, checked)


def test_the_pitch_buttons_fit_in_dutch_and_keep_their_english_widths(language):
    builder = PitchBuilder()
    controls = [builder.save_button, builder.load_button, builder.upload, builder.draw_button,
                builder.markdown_toggle]
    pixels = [float(c.layout.width[:-2]) for c in controls]
    before = [90, 90, 240, 200, 180]
    if language == "en":
        assert pixels == before
    else:
        assert [c.description for c in controls[:2]] == ["Bewaren", "Openen"]
        assert pixels[0] > 90 and pixels[1] > 90, pixels
        assert pixels[2:] == before[2:]  # these fitted already
        assert all(p <= 140 for p in pixels[:2]), pixels  # fitted, not blown up


def test_the_theory_of_change_upload_button_fits(language):
    builder = TheoryOfChangeBuilder(chart=False)
    upload = float(builder.upload.layout.width[:-2])
    assert upload > 148  # ipywidgets' default, which cut it in both languages
    assert upload >= needed(builder.upload)
    assert upload <= needed(builder.upload) + 12
    assert builder.save_button.layout.width == "148px"  # "Save" / "Bewaren" fitted
    expected = {"en": "Load a saved file", "nl": "Bewaard bestand laden"}[language]
    assert builder.upload.description == expected
    # the save and upload buttons wrap onto two lines in a narrow column
    box = next(c for c in every(builder.widget)
               if isinstance(c, w.HBox) and builder.upload in c.children)
    assert box.layout.flex_flow == "row wrap"


def _wrapped_rows(view):
    """``{checkbox: its wrapping label's text}`` for the checkboxes without a description."""
    rows = {}
    for row in every(view.widget):
        if isinstance(row, w.HBox) and len(row.children) == 2 and isinstance(
                row.children[0], w.Checkbox):
            box, label = row.children
            assert isinstance(label, w.HTML)
            assert box.description == ""
            assert "white-space:normal" in label.value
            assert float(row.layout.width[:-2]) == ROW
            # the box, the label and their margins (2px but left of the label) fill the row
            assert float(box.layout.width[:-2]) + float(label.layout.width[:-2]) + 6 == ROW
            assert label.layout.margin == "2px 2px 2px 0px"
            rows[id(box)] = html.unescape(re.sub(r"<[^>]+>", "", label.value))
    return rows


def test_the_long_checklist_texts_wrap_beside_their_box(language):
    view = SocialEnterpriseExplorer()
    rows = _wrapped_rows(view)
    wrapped = {key for key, box in {**view.emes, **view.eu}.items() if id(box) in rows}
    assert {"en": {"mission in governance"},
            "nl": {"participation", "mission in governance"}}[language] == wrapped
    assert not any(id(box) in rows for box in view.needs.values())
    third = view.eu["mission in governance"]
    text = rows[id(third)]
    assert third.tooltip == text
    assert _pixels(text) > ROW  # it would not fit on one line
    if language == "en":
        assert text == ("the organisation or ownership reflects the mission: democratic or "
                        "participatory principles, or a focus on social justice")
    else:
        assert text.startswith("de organisatie of de eigendom weerspiegelt de missie")
        assert rows[id(view.emes["participation"])].startswith("bestuur: een participatief")
    # the short texts stay the checkboxes' own (a click on the text ticks the box)
    assert view.emes["continuous activity"].description.startswith(
        {"en": "economic: ", "nl": "economisch: "}[language])


def test_a_wrapped_checkbox_still_counts():
    welfarelab.set_language("en")
    view = SocialEnterpriseExplorer()
    for key in ("social objective", "profits reinvested"):
        view.eu[key].value = True
    assert "2 of 3 dimensions met (missing: mission in governance)" in view.summary.value
    view.eu["mission in governance"].value = True  # the box beside the wrapped text
    assert "EU definition: 3 of 3 dimensions met." in view.summary.value
    assert view.eu_result.not_met == ()
    assert len(view.emes) == len(enterprise.EMES_INDICATORS)
