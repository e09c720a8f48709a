"""Building blocks that give every calculator the same look and the same error handling."""

from __future__ import annotations

import base64
import html
import os

import ipywidgets as w

from ..validation import parse_number

LABEL_WIDTH = "230px"
INPUT_WIDTH = "440px"


def grading() -> bool:
    """True while nbgrader validates or autogrades (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def grading_placeholder(name: str) -> w.HTML:
    """What a calculator shows while nbgrader runs: nothing to compute, nothing to slow grading."""
    return w.HTML(f"<i>The {html.escape(name)} is switched off while nbgrader grades.</i>")


def number_box(label: str, value, unit: str = "") -> w.Text:
    """A text box for a number; its label carries the unit, e.g. 'investment (EUR)'."""
    text = f"{label} ({unit})" if unit else label
    return w.Text(value=str(value), description=text, continuous_update=False,
                  style={"description_width": LABEL_WIDTH}, layout=w.Layout(width=INPUT_WIDTH))


def percent_slider(label: str, share: float) -> w.FloatSlider:
    """A slider in percent (0-100) for a share; convert with ``slider.value / 100`` once."""
    return w.FloatSlider(value=round(share * 100, 1), min=0, max=100, step=1,
                         description=f"{label} (%)", readout_format=".0f",
                         continuous_update=False, style={"description_width": LABEL_WIDTH},
                         layout=w.Layout(width=INPUT_WIDTH))


def read_number(box: w.Text, field: str, owner: str | None = None) -> float:
    """The number typed in ``box``; raises ValueError naming ``field`` if it is not a number."""
    return parse_number(box.value, field, owner)


def message_html(text: str, kind: str = "error") -> str:
    """HTML for a readable message inside a widget (never a traceback)."""
    colour = {"error": "#D55E00", "info": "#0072B2"}[kind]
    icon = {"error": "⚠", "info": "ℹ"}[kind]
    return (f'<div role="alert" style="border-left:4px solid {colour};padding:4px 8px;'
            f'margin:4px 0"><b>{icon} {"Please check your input" if kind == "error" else ""}'
            f"</b><br>{html.escape(text)}</div>")


def show_figure(output: w.Output, fig) -> None:
    """Replace what ``output`` shows with ``fig`` and free the figure's memory."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    output.clear_output(wait=True)
    with output:
        display(fig)
    plt.close(fig)


def calculator_layout(inputs, message, summary, chart, extras=()) -> w.VBox:
    """The one look of every calculator: inputs on the left, the result beside them (so a
    change shows at once), the chart below across the full width, then any extras."""
    left = w.VBox(list(inputs), layout=w.Layout(width="470px"))
    right = w.VBox([w.HTML("<b>Result</b>"), message, summary],
                   layout=w.Layout(flex="1 1 300px", min_width="300px", padding="0 0 0 12px"))
    top = w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
    return w.VBox([top, chart, *extras])


def download_link(payload: bytes, filename: str, mime: str = "application/json",
                  label: str | None = None, style: str = "") -> str:
    """An HTML link that downloads ``payload`` as ``filename`` from the browser itself.

    The bytes travel in a ``data:`` URI, so it works on Binder and in any JupyterLab, with no
    file on the server. Used by every widget that saves a student's work (canvas, theory of
    change, pitch, capstone plan).
    """
    data = base64.b64encode(bytes(payload)).decode("ascii")
    text = label or f"⬇ Download {filename}"
    return (f'<a download="{html.escape(filename)}" href="data:{mime};base64,{data}" '
            f'style="{style}">{html.escape(text)}</a>')


def uploaded_files(value) -> list[tuple[str, bytes]]:
    """(name, content) of each file in the value of an ipywidgets ``FileUpload``.

    ipywidgets 8 gives a tuple of dicts with "name" and "content" (a memoryview); ipywidgets 7
    gave a dict of name -> {"content": bytes, "metadata": ...}. Both are read.
    """
    if not value:
        return []
    if isinstance(value, dict):  # ipywidgets 7
        return [(str(name), bytes(item["content"])) for name, item in value.items()]
    return [(str(item.get("name") or "upload.json"), bytes(item["content"])) for item in value]
