"""The one-page pitch builder: a thin view over :mod:`welfarelab.pitch` (module m07).

Load a Social Business Model Canvas saved in module m04 (upload the file, or type its name),
and the builder drafts the six parts of a pitch from it, with the figures of your SROI and
break-even results. Edit the parts in the text boxes: a word count per part and the
structure checks of :meth:`welfarelab.pitch.Pitch.check` update as you type. Draw the
one-page pitch sheet, and download the pitch (JSON) and the sheet (PNG) with a link that works
on Binder too. The model does everything else; this module only reads the form.

Import it directly: ``from welfarelab.widgets.pitch import pitch_builder``.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import tempfile
from pathlib import Path

import ipywidgets as w

from .. import canvas as canvas_model
from .. import pitch as model
from ..i18n import N_, _, babel_locale, number_text
from ..validation import parse_number
from . import _base, _fit, _saved

#: The file name offered for saving and downloading the pitch.
DEFAULT_FILE_NAME = "my-pitch.json"

#: A canvas or pitch file is a few kilobytes; anything much bigger is not one.
MAX_UPLOAD_BYTES = _saved.MAX_UPLOAD_BYTES

#: What one unit of the break-even point is, unless the student types another word (English,
#: marked for the catalogs: the unit box starts with it in the language in use).
DEFAULT_UNIT = N_("participants")

#: The figures that have a box in the form, in order, with the label shown (English, marked
#: for the catalogs; shown in the language in use).
FIGURE_BOXES = {
    "sroi_ratio": N_("SROI ratio (x : 1)"),
    "break_even_units": N_("break-even point (units a year)"),
    "investment": N_("investment (EUR)"),
    "present_value": N_("social value, present value (EUR)"),
}


def _figure_number(typed: str, label: str) -> float:
    """A figure typed for the pitch: none of them is a percentage or below zero, so "35%" or
    "-5" is refused with what to type instead of read as 35 or -5 (issue 14).

    Raises:
        ValueError: the text is not a number (see :func:`welfarelab.validation.parse_number`),
            holds a % or is negative; the message names the figure and says what to type.
    """
    label = _(label)
    name = label.split(" (")[0]
    example = number_text(2.3)
    if "%" in typed:
        raise ValueError(_("{name} is not a percentage: type the number from your calculator "
                           "without %, for example {example} (you typed {typed}).").format(
                               name=name, example=example, typed=repr(typed.strip())))
    value = parse_number(typed, label, example=example)
    if value < 0:
        raise ValueError(_("{name} cannot be negative: type the number from your calculator, "
                           "for example {example} (you typed {typed}).").format(
                               name=name, example=example, typed=repr(typed.strip())))
    return value


def _figure_text(value) -> str:
    if value is None:
        return ""
    value = float(value)
    # in Dutch the Belgian way (2,3), so that the box reads it back as the same number
    if abs(value) < 1e6 and value == round(value, 4):
        return f"{value:g}" if babel_locale() is None else number_text(value, "g")
    return number_text(value, ".2f")


class PitchBuilder:
    """Build a one-page pitch from a canvas and your calculator results.

    Attributes (for notebooks and tests):
        pitch: the :class:`welfarelab.pitch.Pitch` as typed in the form (a new object on every
            read; raises ValueError for a figure that is not a number).
        sroi_result, break_even_result: the calculator results the figures are checked
            against (None when not given).
        title_box: the name of the idea. boxes: one Textarea per part, keyed by part id.
        counts: one HTML per part with its word count against the limit.
        figure_boxes: one Text per figure of :data:`FIGURE_BOXES` (empty = not quoted).
        status: HTML with the structure checks (✓ / ✗ and what to fix).
        report: the last :class:`welfarelab.pitch.PitchCheck`, or None after a bad input.
        message: HTML with a problem (in words, never a traceback) or a note after loading
            or saving (the "every part is a draft" note clears once no part is a draft).
        unit_box: what one unit of the break-even point is, in the plural (default
            "participants"); used in the drafted sentence and the results line.
        example_results: True while the results given with the canvas or pitch the builder
            was made with are in use. Loading another canvas or pitch drops them (they belong
            to the example, not to your idea): then ``sroi_result`` and ``break_even_result``
            are None until you give your own (``set_results(...)`` or a new builder).
        upload, load_path, load_button: load a canvas (or a saved pitch) JSON file.
        draw_button, figure_out, png_link: draw the pitch sheet; the link downloads it as PNG.
        markdown_toggle, markdown_view: the pitch as Markdown, kept up to date.
        file_name, save_button, download: save the pitch in this folder; the link downloads
            the same JSON (it works on Binder too).
        widget: the whole builder, to display.
    """

    def __init__(self, canvas=None, sroi_result=None, break_even_result=None, pitch=None):
        if canvas is not None and pitch is not None:
            raise ValueError(_("Give either a canvas (to draft a pitch from) or a pitch, not "
                               "both."))
        model._check_results(sroi_result, break_even_result)
        self.sroi_result = sroi_result
        self.break_even_result = break_even_result
        self.report = None
        self._quiet = False
        self._draft_notice = False
        # results given together with a canvas or pitch belong to that example
        self.example_results = ((canvas is not None or pitch is not None)
                                and (sroi_result is not None or break_even_result is not None))
        self._dropped_note = ""
        self._initial = True

        style = {"description_width": "175px"}  # "one unit of break-even is" needs 170px
        intro = html.escape(_(
            "Load the canvas you saved in module m04: the builder drafts the six parts from "
            "it. Rewrite every part in your own words, within its word limit (remove {mark}), "
            "then draw the sheet. A box is read when you click outside it.")).replace(
                "{mark}", f"<code>{model.DRAFT_MARK}</code>")
        self.heading = w.HTML(
            "<h3 style='margin:4px 0'>" + html.escape(_("One-page pitch builder")) + "</h3>"
            f"<div style='line-height:1.3;font-size:12px'>{intro}</div>")
        # buttons as wide as their text in every language (issue 17: "Bewaren" and "Openen"
        # were cut with "…" at 90px); the English widths stay as they were
        self.upload = _fit.fit_button(w.FileUpload(accept=".json,application/json",
                                                   multiple=False,
                                                   description=_("Upload a canvas or pitch"),
                                                   layout=w.Layout(width="240px")))
        self.load_path = w.Text(value="", placeholder=_("my-canvas.json"),
                                description=_("or a file in this folder"), style=style,
                                layout=w.Layout(width="400px"))
        self.load_button = _fit.fit_button(w.Button(
            description=_("Load"), icon="folder-open",
            tooltip=_("Load the canvas or pitch file named on the left"),
            layout=w.Layout(width="90px")))
        self.unit_box = w.Text(value=_(DEFAULT_UNIT), description=_("one unit of break-even is"),
                               continuous_update=False, style=style,
                               tooltip=_("what you count, in the plural: participants, "
                                         "trainees, intakes, meals..."),
                               layout=w.Layout(width="400px"))
        self.results_line = w.HTML(self._results_html())
        self.title_box = w.Text(description=_("Name of your idea"), continuous_update=False,
                                placeholder=_("e.g. Rising You"), style=style,
                                layout=w.Layout(width="560px"))
        self.boxes: dict[str, w.Textarea] = {}
        self.counts: dict[str, w.HTML] = {}
        cells = []
        for number, part in enumerate(model.PARTS, start=1):
            box = w.Textarea(value="", placeholder=part.shown_prompt, continuous_update=False,
                             layout=w.Layout(width="100%", height="120px"))
            count = w.HTML()
            self.boxes[part.id] = box
            self.counts[part.id] = count
            limit = _("(at most {n} words)").format(n=part.max_words)
            title = w.HTML(f"<b>{number}. {html.escape(part.shown_title)}</b> "
                           f"<span style='font-size:11px;color:#555'>{html.escape(limit)}"
                           "</span>")
            cells.append(w.VBox([w.HBox([title, count], layout=w.Layout(
                justify_content="space-between")), box], layout=w.Layout(
                border=f"2px solid {part.colour}", padding="2px 6px", margin="2px")))
        self.grid = w.GridBox(cells, layout=w.Layout(
            grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"))
        self.figure_boxes = {
            # 235px: "social value, present value (EUR)" was cut with "…" at 210px (issue 14)
            name: w.Text(value="", description=_(label), continuous_update=False,
                         placeholder=_("type a number, then press Enter"),
                         style={"description_width": "235px"}, layout=w.Layout(width="365px"))
            for name, label in FIGURE_BOXES.items()}
        self.status = w.HTML()
        self.message = w.HTML()
        self.files = _saved.SavedFiles(self.message, N_("pitch"), DEFAULT_FILE_NAME,
                                       MAX_UPLOAD_BYTES)

        self.draw_button = _fit.fit_button(w.Button(
            description=_("Draw the pitch sheet"), icon="image",
            tooltip=_("Draw the one-page pitch sheet (a few seconds)"),
            layout=w.Layout(width="200px")))
        self.markdown_toggle = _fit.fit_button(w.ToggleButton(
            value=False, description=_("Show as Markdown"), icon="file-text",
            layout=w.Layout(width="180px")))
        self.file_name = w.Text(value=DEFAULT_FILE_NAME, description=_("File name"),
                                continuous_update=False, style={"description_width": "80px"},
                                layout=w.Layout(width="300px"))
        self.save_button = _fit.fit_button(w.Button(
            description=_("Save"), icon="save", button_style="primary",
            tooltip=_("Save the pitch as a file in this folder"),
            layout=w.Layout(width="90px")))
        self.download = w.HTML()
        self.markdown_view = w.HTML()
        self.figure_note = w.HTML()
        self.figure_out = w.Output()
        self.png_link = w.HTML()

        for control in [self.title_box, *self.boxes.values(), *self.figure_boxes.values(),
                        self.markdown_toggle, self.file_name]:
            control.observe(self._on_change, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.unit_box.observe(self._on_unit, names="value")
        self.load_button.on_click(lambda _: self.load_file(self.load_path.value))
        self.draw_button.on_click(lambda _: self.draw())
        self.save_button.on_click(lambda _: self.save())

        self.widget = w.VBox([
            self.heading,
            w.HBox([self.upload, self.load_path, self.load_button],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.results_line, self.unit_box, self.title_box, self.grid,
            w.HTML("<b>" + html.escape(_("Figures you quote")) + "</b> " + html.escape(_(
                "(leave a box empty if the pitch does not quote it; each must also be written "
                "in the text)"))),
            w.HBox([w.VBox(list(self.figure_boxes.values())[:2]),
                    w.VBox(list(self.figure_boxes.values())[2:])],
                   layout=w.Layout(flex_flow="row wrap")),
            self.message, self.status,
            w.HBox([self.draw_button, self.markdown_toggle]),
            w.HBox([self.file_name, self.save_button, self.download],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.markdown_view, self.figure_note, self.figure_out, self.png_link,
        ], layout=w.Layout(width="100%"))

        if pitch is not None:
            if isinstance(pitch, (str, os.PathLike)):
                self.update()
                self.load_file(pitch)
            elif isinstance(pitch, model.Pitch):
                self.set_pitch(pitch)
            else:
                raise TypeError(_("pitch must be a Pitch or the name of a saved pitch file, "
                                  "not {kind}.").format(kind=type(pitch).__name__))
        elif canvas is not None:
            if isinstance(canvas, (str, os.PathLike)):
                self.update()
                self.load_file(canvas)
            else:
                self.set_pitch(model.Pitch.from_canvas(canvas, sroi_result, break_even_result,
                                                       unit=self.unit))
        else:
            self.update()
        self._initial = False

    # ------------------------------------------------------------------ the form

    @property
    def unit(self) -> str:
        """What one unit of the break-even point is, in the plural (the unit box)."""
        return self.unit_box.value.strip() or _(DEFAULT_UNIT)

    def _on_unit(self, change=None):
        self.results_line.value = self._results_html()

    def set_results(self, sroi_result=None, break_even_result=None) -> None:
        """Use your own calculator results: the figures are checked against them from now on.

        Raises:
            TypeError: a result of the wrong kind (not from ``sroi(...)`` or
                ``break_even(...)``).
        """
        model._check_results(sroi_result, break_even_result)
        self.sroi_result = sroi_result
        self.break_even_result = break_even_result
        self.example_results = False
        self._dropped_note = ""
        self.results_line.value = self._results_html()
        self.update()

    def _drop_example_results(self) -> str:
        """Forget the example's results (after loading another canvas or pitch)."""
        if not self.example_results:
            return ""
        self.sroi_result = None
        self.break_even_result = None
        self.example_results = False
        self._dropped_note = _(
            "The example's calculator results were dropped: they belong to the example, "
            "not to your idea. There are no calculator results of your own yet.")
        self.results_line.value = self._results_html()
        return " " + self._dropped_note

    def _results_html(self) -> str:
        parts = []
        if self.sroi_result is not None:
            parts.append(_("SROI ratio {ratio} (investment {investment})").format(
                ratio=model.format_figure("sroi_ratio", self.sroi_result.ratio),
                investment=model.format_figure("investment", self.sroi_result.investment)))
        if self.break_even_result is not None:
            parts.append(_("break-even {units} {unit} a year (exactly {exact})").format(
                units=number_text(self.break_even_result.units_rounded, ",.0f"),
                unit=html.escape(self.unit),
                exact=number_text(self.break_even_result.units, ",.2f")))
        if not parts:
            lead = (_("No calculator results of your own yet") if self._dropped_note else
                    _("No calculator results were given"))
            codes = [("<code>my_break_even = break_even(fixed_costs=..., price=..., "
                      "variable_cost=..., subsidy=...)</code>"),
                     "<code>my_sroi = sroi([...], investment=...)</code>",
                     ("<code>pitch_builder(canvas=\"my-canvas.json\", sroi_result=my_sroi, "
                      "break_even_result=my_break_even)</code>")]
            text = html.escape(_(
                "{lead}: the figures you quote cannot be compared with a calculation, so the "
                "check flags them. Give your own results with the ready-to-edit cell under this "
                "builder: {code1}, {code2}, then {code3}.")).replace(
                    "{lead}", "<b>" + html.escape(lead) + "</b>")
            for number, code in enumerate(codes, start=1):
                text = text.replace(f"{{code{number}}}", code)
            return ("<div style='font-size:12px;border-left:4px solid #E69F00;padding:2px 6px'>"
                    f"{text}</div>")
        return ("<div style='font-size:12px'>" + html.escape(_(
            "Your calculator results: {results}.").format(results="; ".join(parts)))
            + "</div>")

    @property
    def pitch(self) -> model.Pitch:
        """The pitch as typed in the form (raises ValueError naming a bad figure)."""
        figures = {}
        for name, box in self.figure_boxes.items():
            if box.value.strip():
                figures[name] = _figure_number(box.value, FIGURE_BOXES[name])
        return model.Pitch(title=self.title_box.value, figures=figures,
                           **{pid: box.value for pid, box in self.boxes.items()})

    def set_pitch(self, pitch: model.Pitch) -> None:
        """Fill the form with ``pitch`` (figures without a box are not shown)."""
        if not isinstance(pitch, model.Pitch):
            raise TypeError(_("set_pitch needs a Pitch, not {kind}.").format(
                kind=type(pitch).__name__))
        self._quiet = True
        try:
            self.title_box.value = pitch.title
            for pid, box in self.boxes.items():
                box.value = pitch[pid]
            for name, box in self.figure_boxes.items():
                box.value = _figure_text(pitch.figures.get(name))
        finally:
            self._quiet = False
        self.update()

    def _on_change(self, change=None):
        if not self._quiet:
            self.update()

    def update(self):
        """Read the form; show the word counts, the checks, the Markdown and a fresh download
        link. Input problems show in ``message``; any other error shows there and is raised."""
        for part in model.PARTS:
            n = model.word_count(self.boxes[part.id].value)
            colour = "#D55E00" if n > part.max_words or n < model.MIN_WORDS else "#009E73"
            words = _("{n} / {limit} words").format(n=n, limit=part.max_words)
            self.counts[part.id].value = (f"<span style='color:{colour};font-size:12px'>"
                                          f"{html.escape(words)}</span>")
        try:
            pitch = self.pitch
            report = pitch.check(self.sroi_result, self.break_even_result)
            markdown = pitch.to_markdown() if self.markdown_toggle.value else ""
            data = pitch.to_dict()
        except (ValueError, TypeError) as err:
            self.report = None
            self.status.value = ""
            self.message.value = _base.message_html(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.report = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        if self.message.value and _("Please check your input") in self.message.value:
            self.message.value = ""
        if self._draft_notice and not pitch.drafts():
            # the "Loaded ... Every part is a draft" notice is stale once the parts are rewritten
            self._draft_notice = False
            self.message.value = (_base.message_html(self._dropped_note, "info")
                                  if self._dropped_note else "")
        self.report = report
        self.status.value = self._status_html(report)
        self.markdown_view.value = (
            "<details open><summary>" + html.escape(_(
                "The pitch as Markdown (select and copy it into a Markdown cell)"))
            + "</summary><pre style='white-space:pre-wrap;border:1px solid #ccc;"
            f"padding:6px'>{html.escape(markdown)}</pre></details>" if markdown else "")
        self.download.value = self._download_html(data)

    @staticmethod
    def _status_html(report: model.PitchCheck) -> str:
        lines = report.lines()
        checks = "<br>".join(html.escape(line) for line in lines[:5])
        rest = [line for line in lines[6:] if line and line != _("To fix:")]
        items = "".join(f"<li>{html.escape(line.lstrip('- '))}</li>" for line in rest)
        colour = "#009E73" if report.ok else "#E69F00"
        return (f"<div style='border-left:4px solid {colour};padding:4px 8px;margin:4px 0'>"
                "<b>" + html.escape(_("Structure checks")) + f"</b><br>{checks}"
                + (f"<ul style='margin:4px 0'>{items}</ul>" if not report.ok else
                   "<br><b>" + html.escape(_("All structure checks pass.")) + "</b>")
                + "</div>")

    def _download_html(self, data: dict) -> str:
        payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return self.files.download_html(payload, self.file_name.value)

    # ------------------------------------------------------------------ figure, save, load

    def draw(self):
        """Draw the one-page pitch sheet below the form, with a link to download it as PNG."""
        self.draw_button.disabled = True
        self.draw_button.description = _("Drawing…")
        try:
            fig = self.pitch.to_figure()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110)
            _base.show_figure(self.figure_out, fig)
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
            stem = Path(self.files.safe_name(self.file_name.value)).stem
            label = _("⬇ Download the sheet as {name}").format(name=f"{stem}.png")
            self.png_link.value = (f'<a download="{html.escape(stem)}.png" '
                                   f'href="data:image/png;base64,{png}">{html.escape(label)}</a>')
            self.figure_note.value = (
                "<div style='font-size:12px;line-height:1.3'>" + html.escape(_(
                    "Figure: your pitch on one page: the six parts in two columns with their "
                    "word counts, and on the right the figures you quote as big numbers (with a "
                    "bar comparing one euro invested with the social value it creates, when you "
                    "quote the SROI ratio). Press the button again after changes.")) + "</div>")
        except (ValueError, TypeError) as err:
            self.message.value = _base.message_html(str(err))
        except Exception as err:
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        finally:
            self.draw_button.disabled = False
            self.draw_button.description = _("Draw the pitch sheet")

    def save(self):
        """Save the pitch to the file named in ``file_name``; returns the path, or None (the
        problem shows in ``message``)."""
        return self.files.save(self.file_name.value, lambda path: self.pitch.save(path),
                               after=self.update)

    def _read(self, path: Path, shown_name: str):
        """Read a canvas or pitch file; return a Pitch, or None with the reason in message."""
        try:
            data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except json.JSONDecodeError:
            self.message.value = _base.message_html(_(
                "Cannot load {name}: it is not a canvas or pitch file (not valid JSON).").format(
                    name=repr(shown_name)))
            return None
        kind = data.get("kind") if isinstance(data, dict) else None
        try:
            if kind == model.KIND:
                return model.Pitch.from_dict(data)
            if kind == canvas_model.SocialBusinessModelCanvas.KIND:
                canvas = canvas_model.SocialBusinessModelCanvas.from_dict(data)
                if not self._initial and self.example_results:
                    return model.Pitch.from_canvas(canvas, unit=self.unit)
                return model.Pitch.from_canvas(canvas, self.sroi_result, self.break_even_result,
                                               unit=self.unit)
            if kind == canvas_model.BusinessModelCanvas.KIND:
                raise ValueError(_("this is a Business Model Canvas (9 blocks); a pitch is "
                                   "drafted from a Social Business Model Canvas (13 blocks)."))
            raise ValueError(_("it is not a canvas or pitch file (its \"kind\" should be "
                               "'{canvas}' or '{pitch}').").format(
                                   canvas=canvas_model.SocialBusinessModelCanvas.KIND,
                                   pitch=model.KIND))
        except (ValueError, TypeError) as err:
            self.message.value = _base.message_html(_("Cannot load {name}: {error}").format(
                name=repr(shown_name), error=err))
            return None

    def load_file(self, path) -> model.Pitch | None:
        """Load a canvas (drafts a new pitch) or a saved pitch from a file in this folder.

        Returns:
            The pitch now in the form, or None (the reason shows in ``message``).
        """
        return self.files.load_file(
            path, lambda typed: self._read(Path(typed), Path(typed).name), self._loaded,
            empty_hint=_("Type the name of a canvas file saved in module m04 (such as "
                         "'my-canvas.json') or of a saved pitch, or upload one with the "
                         "button."))

    def load_upload(self, value=None) -> model.Pitch | None:
        """Load the file uploaded with ``upload`` (or given as a FileUpload value)."""
        return self.files.load_upload(
            self.upload.value if value is None else value, self._read_upload, self._loaded,
            too_big=_("Cannot load {name}: it is {size} bytes, far too big to be a canvas or "
                      "pitch file."))

    def _read_upload(self, content: bytes, name: str):
        with tempfile.TemporaryDirectory(prefix="welfarelab-upload-") as folder:
            path = Path(folder) / "upload.json"
            path.write_bytes(content)
            return self._read(path, name)

    def _loaded(self, loaded, name: str):
        if loaded is None:
            return None
        dropped = "" if self._initial else self._drop_example_results()
        drafted = " " + _("Every part is a draft: rewrite it.") if loaded.drafts() else ""
        self.set_pitch(loaded)
        self._draft_notice = bool(drafted)
        self.message.value = _base.message_html(
            _("Loaded {name}.").format(name=name) + drafted + dropped, "info")
        return loaded

    def _on_upload(self, change):
        self.files.on_upload(self.upload, change, self.load_upload)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def pitch_builder(canvas=None, sroi_result=None, break_even_result=None, pitch=None):
    """Show the one-page pitch builder (module m07).

    Args:
        canvas: optional Social Business Model Canvas to draft from: a
            :class:`welfarelab.canvas.SocialBusinessModelCanvas` or the name of a canvas file
            saved in module m04. You can also load one later with the upload button.
        sroi_result: optional :class:`welfarelab.impact.SROIResult` (module m06): its ratio
            is drafted as a figure and the figures you type are checked against it (an ask
            that quotes its investment is flagged: ask for the funding gap, see
            :func:`welfarelab.pitch.funding_gap`).
        break_even_result: optional :class:`welfarelab.finance.BreakEvenResult` (module m04),
            likewise for the break-even point.
        pitch: optional :class:`welfarelab.pitch.Pitch` (or the name of a saved pitch file) to
            continue; give a canvas or a pitch, not both.

    Returns:
        A :class:`PitchBuilder`; as the last line of a cell it shows the builder. Keep it in a
        variable to use what you typed: ``builder.pitch`` is the pitch object. While nbgrader
        grades, a short note (an HTML widget) instead, so the builder never slows grading: do
        not use ``builder.pitch`` in a graded cell.

    Raises:
        TypeError: a result of the wrong kind, or a canvas that is not a social canvas.
        ValueError: both a canvas and a pitch given.
    """
    if _base.grading():
        return _base.grading_placeholder("pitch builder")
    return PitchBuilder(canvas=canvas, sroi_result=sroi_result,
                        break_even_result=break_even_result, pitch=pitch)
