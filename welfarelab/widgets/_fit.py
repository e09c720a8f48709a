"""Buttons and checkboxes as wide as their text, in every language.

ipywidgets cuts a button's or checkbox's text that is wider than the control with an ellipsis
(``white-space: nowrap; text-overflow: ellipsis``): the Dutch tryout saw "Bewar…" for
"Bewaren" in a 90px button. :func:`fit_button` and :func:`fit_checkbox` give the control a
width in px that holds its description (measured with DejaVu Sans at 13 px, wider than the
fonts browsers use), never narrower than the width it had, and keep it so when the
description changes.

Typical use::

    self.save_button = _fit.fit_button(w.Button(description=_("Save"), icon="save",
                                                layout=w.Layout(width="90px")))
"""

from __future__ import annotations

import functools
import math

import ipywidgets as w

#: JupyterLab's widget font size in px (--jp-widgets-font-size).
FONT_SIZE = 13
#: A button's padding: 10px left and right (ipywidgets' .jupyter-button).
BUTTON_PADDING = 20
#: A Font Awesome icon at 13 px (at most 1.28 em wide) plus its 4px margin-right.
ICON_WIDTH = 21
#: A checkbox (13px) and its margin-right of 2 * 4px (.widget-checkbox input).
CHECKBOX_WIDTH = 21
#: An indented checkbox's empty label before the box: 80px and its 8px margin.
INDENT_WIDTH = 88
#: Room for rounding and a browser's subpixel layout.
SLACK = 4
#: ipywidgets' widths when the layout gives none: --jp-widgets-inline-width-short (buttons,
#: toggle buttons, upload buttons) and --jp-widgets-inline-width (checkboxes).
DEFAULT_BUTTON_WIDTH = 148
DEFAULT_CHECKBOX_WIDTH = 300


@functools.lru_cache(maxsize=1)
def _font():
    """DejaVu Sans at :data:`FONT_SIZE` (matplotlib's font), or None without Pillow."""
    try:
        import matplotlib
        from PIL import ImageFont

        return ImageFont.truetype(f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf",
                                  FONT_SIZE)
    except (ImportError, OSError):  # pragma: no cover - both come with matplotlib
        return None


def text_pixels(text: str) -> float:
    """Width of ``text`` in px at 13 px, measured with DejaVu Sans (without Pillow: 9 px per
    character, wider than DejaVu's average)."""
    font = _font()
    if font is None:  # pragma: no cover
        return 9.0 * len(text)
    return float(font.getlength(text))


def _px(width) -> float | None:
    """``"90px"`` as 90.0; None for any other width (``""``, ``"auto"``, ``"50%"``)."""
    if isinstance(width, str) and width.endswith("px"):
        try:
            return float(width[:-2])
        except ValueError:
            return None
    return None


def needed_width(control: w.DOMWidget) -> float:
    """The width in px that ``control``'s description needs: a Button, ToggleButton or
    FileUpload (padding, and the icon if it has one; an upload button also shows the number
    of files, " (0)") or a Checkbox (the box before it, and the empty label if indented)."""
    text = getattr(control, "description", "") or ""
    if isinstance(control, w.Checkbox):
        indent = INDENT_WIDTH if control.indent else 0
        return text_pixels(text) + CHECKBOX_WIDTH + indent + SLACK
    if isinstance(control, w.FileUpload):
        text += " (0)"  # ipywidgets 8 shows the number of files after the text: "Upload (0)"
    icon = ICON_WIDTH if getattr(control, "icon", "") else 0
    return text_pixels(text) + BUTTON_PADDING + icon + SLACK


def _fit(control, default: float):
    minimum = _px(control.layout.width)
    minimum = default if minimum is None else minimum

    def refit(_change=None):
        control.layout.width = f"{max(minimum, math.ceil(needed_width(control))):g}px"

    refit()
    control.observe(refit, names=["description", "icon"])
    return control


def fit_button(button):
    """Make a Button, ToggleButton or FileUpload at least as wide as its description (and
    icon) needs, never narrower than its layout width (148px when it has none). Returns the
    button."""
    return _fit(button, DEFAULT_BUTTON_WIDTH)


def fit_checkbox(checkbox: w.Checkbox) -> w.Checkbox:
    """Make a Checkbox at least as wide as its box and description need, never narrower than
    its layout width (300px when it has none). Returns the checkbox."""
    return _fit(checkbox, DEFAULT_CHECKBOX_WIDTH)
