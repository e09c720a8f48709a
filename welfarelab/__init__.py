"""welfarelab: calculators for the WELFARE course on social innovation in the welfare sector.

Pure calculations live in submodules (``welfarelab.impact`` for SROI, ...); widgets that show
them live in ``welfarelab.widgets``. Submodules load on first use, so ``import welfarelab``
stays fast and does not pull in matplotlib or ipywidgets.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = {"impact", "finance", "canvas", "design", "data", "money", "validation", "widgets",
               "grading", "plotting", "checks", "competences", "belgium", "ecosystem", "pitch",
               "capstone", "i18n"}

from .i18n import get_language, set_language  # noqa: F401 - welfarelab.set_language("nl")


def _install_check_hook():
    """Inside IPython (a notebook kernel), register the cell-run recorder that the assignment
    check cells read (``welfarelab.checks.install``); once per shell, nothing outside IPython."""
    import sys

    ipython = sys.modules.get("IPython")
    if ipython is None or getattr(ipython, "get_ipython", None) is None:
        return
    try:
        if ipython.get_ipython() is not None:
            from welfarelab import checks

            checks.install()
    except Exception:  # noqa: BLE001, S110 - importing the package must never fail because of it
        pass


_install_check_hook()


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'welfarelab' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
