"""welfarelab: calculators for the WELFARE course on social innovation in the welfare sector.

Pure calculations live in submodules (``welfarelab.impact`` for SROI, ...); widgets that show
them live in ``welfarelab.widgets``. Submodules load on first use, so ``import welfarelab``
stays fast and does not pull in matplotlib or ipywidgets.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = {"impact", "finance", "canvas", "design", "data", "money", "validation", "widgets",
               "grading", "plotting", "competences", "belgium", "ecosystem", "pitch", "capstone"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'welfarelab' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
