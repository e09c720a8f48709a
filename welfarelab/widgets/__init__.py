"""Interactive calculators for the notebooks: thin ipywidgets views over welfarelab's functions.

Each widget reads its inputs, calls the pure calculation (for example
:func:`welfarelab.impact.sroi`) and shows the result; it holds no method of its own. A bad
value shows a readable message inside the widget. ipywidgets and matplotlib are imported only
when a widget is made.
"""

import importlib

_WIDGETS = {
    "sroi_calculator": "sroi",
    "SROICalculator": "sroi",
}


def __getattr__(name):
    if name in _WIDGETS:
        module = importlib.import_module(f"{__name__}.{_WIDGETS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'welfarelab.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_WIDGETS))
