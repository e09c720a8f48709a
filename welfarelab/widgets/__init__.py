"""Interactive calculators for the notebooks: thin ipywidgets views over welfarelab's functions.

Each widget reads its inputs, calls the pure calculation (for example
:func:`welfarelab.impact.sroi`) and shows the result; it holds no method of its own. A bad
value shows a readable message inside the widget. ipywidgets and matplotlib are imported only
when a widget is made.
"""

import importlib

_WIDGETS = {
    # impact (m06)
    "sroi_calculator": "sroi",
    "SROICalculator": "sroi",
    "theory_of_change_builder": "toc",
    "TheoryOfChangeBuilder": "toc",
    # finance (m04, m05)
    "break_even_calculator": "finance",
    "revenue_mix_calculator": "finance",
    "cash_flow_calculator": "finance",
    "loan_calculator": "finance",
    # canvases and design (m03, m04)
    "canvas_editor": "canvas",
    "impact_effort_matrix": "design",
    "dot_vote_board": "design",
    # module-specific views
    "competence_radar": "competences",
    "legal_timeline": "belgium",
    "social_enterprise_explorer": "enterprise",
    "ecosystem_explorer": "ecosystem",
    "stakeholder_grid": "ecosystem",
    "double_diamond_walkthrough": "diamond",
    "journey_map": "journey",
    "blueprint_editor": "blueprint",
    "pitch_builder": "pitch",
    "peer_feedback_counter": "teamwork",
}


def __getattr__(name):
    if name in _WIDGETS:
        module = importlib.import_module(f"{__name__}.{_WIDGETS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'welfarelab.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_WIDGETS))
