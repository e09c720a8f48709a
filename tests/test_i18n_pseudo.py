"""Issue 17: no text of a widget skips the catalogs (pseudo-localisation, tests/i18n_pseudo.py).

Every widget of ``welfarelab.widgets`` is made in the pseudo-language ``xx``, where each marked
message reads ``⟦message⟧``; a word a student sees outside the brackets (a label, button,
option, message, table, chart title or axis label) was never marked for translation, so a
Dutch student would read it in English. A bad value typed in the first box must give a
message that went through the catalogs too.
"""

from __future__ import annotations

import pytest
from i18n_pseudo import figure_ids, new_figures, pseudo_language, unmarked_words, visible_texts

# Every factory of welfarelab.widgets (the names the notebooks call), with the arguments the
# notebooks use where the default shows less, and the names from the course's data that
# stay as they are in every language.
# name: (keyword arguments, extra words allowed for this widget)
FACTORIES = {
    "sroi_calculator": ({}, set()),
    "theory_of_change_builder": ({}, set()),
    "break_even_calculator": ({}, set()),
    "revenue_mix_calculator": ({}, set()),
    "cash_flow_calculator": ({}, set()),
    "loan_calculator": ({}, set()),
    "canvas_editor": ({}, set()),
    "impact_effort_matrix": ({}, set()),
    "dot_vote_board": ({}, set()),
    "competence_radar": ({}, set()),
    "legal_timeline": ({}, set()),
    "social_enterprise_explorer": ({}, {"CV-SO"}),
    "ecosystem_explorer": ({}, set()),
    "stakeholder_grid": ({}, set()),
    "double_diamond_walkthrough": ({}, set()),
    "journey_map": ({}, set()),
    "blueprint_editor": ({}, set()),
    "pitch_builder": ({}, set()),
    "peer_feedback_counter": ({}, {"Ann"}),
}

# Names from the course's data (actors, cases, laws) shown as they are in every language.
DATA_NAMES: set[str] = set()


def _data_names() -> set[str]:
    """Words of the proper names in the course's data files (ecosystem actors, legal
    milestones' law names, enterprise cases), which are not translated."""
    if DATA_NAMES:
        return DATA_NAMES
    import re

    import pandas as pd
    from i18n_pseudo import REPO

    for name, columns in {"ecosystem_actors.csv": ("name", "acronym"),
                          "belgium_legal_milestones.csv": ("source",)}.items():
        path = REPO / "data" / name
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        for column in columns:
            if column in frame:
                for value in frame[column].dropna().astype(str):
                    DATA_NAMES.update(re.findall(r"[A-Za-zÀ-ÿ'’-]{3,}", value))
    return DATA_NAMES


def _box(made):
    """The ipywidgets box a factory returned (some return an object holding it)."""
    for attr in ("widget", "box", "view"):
        inner = getattr(made, attr, None)
        if inner is not None and hasattr(inner, "children"):
            return inner
    return made


@pytest.mark.parametrize("factory", sorted(FACTORIES))
def test_every_text_of_the_widget_goes_through_the_catalogs(factory, tmp_path):
    from welfarelab import widgets

    before = figure_ids()
    with pseudo_language(tmp_path):
        box = _box(getattr(widgets, factory)(**FACTORIES[factory][0]))
        texts = visible_texts(box, new_figures(before))
        found = unmarked_words(texts, allow=_data_names() | FACTORIES[factory][1])
    assert texts, f"{factory} showed no text at all"
    assert not found, (f"{factory}: {len(found)} words a Dutch student would read in English "
                       "(mark them with _() or N_()):\n" + "\n".join(found[:40]))


def _first_text_box(box):
    import ipywidgets as w
    from i18n_pseudo import _walk

    for widget in _walk(box, set()):
        if isinstance(widget, w.Text) and not isinstance(widget, w.Password):
            return widget
    return None


@pytest.mark.parametrize("factory", sorted(FACTORIES))
def test_a_bad_number_gives_a_message_through_the_catalogs(factory, tmp_path):
    from welfarelab import widgets

    before = figure_ids()
    with pseudo_language(tmp_path):
        box = _box(getattr(widgets, factory)(**FACTORIES[factory][0]))
        first = _first_text_box(box)
        if first is None:
            pytest.skip(f"{factory} has no text box")
        first.value = "abc"
        texts = visible_texts(box, new_figures(before))
        found = unmarked_words(texts, allow=_data_names() | FACTORIES[factory][1] | {"abc"})
    assert not found, (f"{factory} after typing 'abc': {len(found)} words outside the "
                       "catalogs:\n" + "\n".join(found[:40]))
