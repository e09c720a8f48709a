"""The canvas editor: a thin view over :mod:`welfarelab.canvas` (modules m04 and m07).

One text box per block, laid out like the printed canvas; the model
(:class:`~welfarelab.canvas.SocialBusinessModelCanvas` or
:class:`~welfarelab.canvas.BusinessModelCanvas`) does everything else: which blocks are
empty, the Markdown, the one-page figure, and saving and loading the JSON file.
"""

from __future__ import annotations

import html
import json
import os

import ipywidgets as w

from .. import canvas as model
from ..i18n import N_, _
from . import _base, _fit, _saved

#: The names of the two canvases for ``kind``; the model's own KIND strings work too.
KINDS = {
    "social": model.SocialBusinessModelCanvas,
    "business": model.BusinessModelCanvas,
}

#: The file name offered for saving and downloading (marked for the catalog; the Dutch
#: catalog keeps it, so the notebooks of both languages load the same file).
DEFAULT_FILE_NAME = N_("my-canvas.json")

#: A canvas file is a few kilobytes; anything much bigger is not one.
MAX_UPLOAD_BYTES = _saved.MAX_UPLOAD_BYTES

#: What the editor saves, as the shared file messages name it ("a saved canvas file").
WHAT = N_("canvas")

#: Grid rows per grid unit of the canvas: the SBMC's value propositions are 2/3 unit high.
_ROWS_PER_UNIT = 3
_ROW_HEIGHT = "50px"
#: Rows of the top two bands: a block of a third of a band (two rows) is then 148 px high,
#: enough for its title and the grey question of "Social value proposition".
_TALL_ROW_HEIGHT = "72px"

#: The Rising You case (seed section 4, in our own words): a social enterprise that coaches
#: young refugees through climbing ("We climb / We rise / We shine") towards jobs at height.
RISING_YOU = {
    "title": N_("Rising You: We climb, we rise, we shine"),
    "blocks": {
        "key_resources": [
            N_("Climbing clubs and climbing walls"),
            N_("Coaches for climbing and for work at height"),
            N_("A network of companies with vacancies"),
            N_("The talents, resilience and drive of the young people themselves"),
        ],
        "key_activities": [
            N_("We climb: climbing clubs where young people are coached in climbing and, "
               "informally, learn soft skills such as communication"),
            N_("We rise: professional training for climbers who want to make climbing their "
               "job"),
            N_("We shine: matching trained 'height potentials' with companies"),
            N_("Keeping the organisation running: finding customers, partners and funding"),
        ],
        "partners_key_stakeholders": [
            N_("Companies with hard-to-fill vacancies for work at height"),
            N_("Climbing halls and clubs"),
            N_("Organisations that work with refugees and newcomers"),
            N_("Training and certification partners for safe work at height"),
        ],
        "type_of_intervention": [
            N_("A training and coaching programme built on experiential learning: from hobby "
               "to profession"),
            N_("Young people show their talent and motivation at work, instead of passing a "
               "CV-and-interview selection"),
        ],
        "beneficiary_segments": [
            N_("Young refugees and young people with a migration background looking for work "
               "(in 2020 about 2 in 3 refugees in Belgium had no job; many others had a "
               "low-valued job)"),
        ],
        "customer_segments": [
            N_("Companies looking for trained, motivated workers at height: for temporary "
               "assignments, outsourcing or permanent hiring"),
        ],
        "channels": [
            N_("Climbing clubs open to young people; word of mouth between peers"),
            N_("Refugee and integration organisations"),
            N_("Direct contact with companies; try-outs on the work floor"),
        ],
        "social_value_proposition": [
            N_("Starts from resilience, independence and drive, not from what people lack"),
            N_("A meaningful, challenging job and a lever for integration"),
            N_("A bridge between refugees and employers"),
        ],
        "impact_measures": [
            N_("Young people in the climbing clubs; trainees who finish the training"),
            N_("Trainees in a job after 6 and 12 months, and the kind of contract"),
            N_("Self-confidence and soft skills, asked before and after"),
        ],
        "customer_value_proposition": [
            N_("Trained and motivated workers for hard-to-fill vacancies"),
            N_("See candidates at work instead of judging a CV and an interview"),
        ],
        "cost_structure": [
            N_("Coaches and trainers; climbing halls and equipment"),
            N_("Safety training and certificates"),
            N_("Job coaching and matching with companies; overheads"),
        ],
        "surplus": [
            N_("Reinvested in the mission: more climbing clubs and training places"),
        ],
        "revenue": [
            N_("Companies pay for the training of their future employees"),
            N_("Fees for temporary work and outsourcing"),
            N_("Grants and subsidies for integration and training (shares: to estimate in "
               "m05)"),
        ],
    },
}

EXAMPLES = {"rising-you": ("social", RISING_YOU)}


def example_data(name: str) -> tuple[str, dict]:
    """The example ``name`` of :data:`EXAMPLES` in the language in use.

    Args:
        name: an example's key, e.g. ``"rising-you"``.

    Returns:
        ``(kind, {"title": str, "blocks": {block id: list of texts}})``: the texts translated
        now (so ``set_language`` before the call decides), the block ids unchanged.

    Raises:
        KeyError: no example of that name.
    """
    kind, data = EXAMPLES[name]
    return kind, {"title": _(data["title"]),
                  "blocks": {block_id: [_(note) for note in notes]
                             for block_id, notes in data["blocks"].items()}}


def _canvas_class(kind):
    """The canvas class for ``kind`` ("social", "business", a model KIND or a class)."""
    if isinstance(kind, type) and issubclass(kind, model._Canvas) and kind.BLOCKS:
        return kind
    if isinstance(kind, str):
        key = kind.strip().lower()
        if key in KINDS:
            return KINDS[key]
        for cls in KINDS.values():
            if key == cls.KIND:
                return cls
    raise ValueError(
        _("kind must be \"social\" (the Social Business Model Canvas, 13 blocks) or "
          "\"business\" (the Business Model Canvas, 9 blocks), not {value}.").format(
            value=repr(kind))
    )


def _grid_area(block: model.Block) -> str:
    """CSS grid-area "row-start / column-start / row-end / column-end" for a block's box."""
    x, y, width, height = block.box
    top = round((model.GRID_HEIGHT - (y + height)) * _ROWS_PER_UNIT) + 1
    bottom = round((model.GRID_HEIGHT - y) * _ROWS_PER_UNIT) + 1
    return f"{top} / {round(x) + 1} / {bottom} / {round(x + width) + 1}"


_upload_files = _base.uploaded_files


class CanvasEditor:
    """Fill in a Social Business Model Canvas (13 blocks) or a Business Model Canvas (9 blocks).

    The form is a view: :attr:`canvas` builds the model from the text boxes, and the model
    says which blocks are empty, writes the Markdown, draws the one-page figure and saves and
    loads the JSON file (:meth:`welfarelab.canvas.load_canvas`). Loading a canvas of the other
    kind switches the form to that kind.

    Attributes (for notebooks and tests):
        canvas: the model object with the current texts (a new object on every read).
        canvas_class: the model class the form shows now.
        title_box: the text box for the name of the idea.
        boxes: one Textarea per block, keyed by block id, in canvas order.
        grid: the GridBox that lays the blocks out like the printed canvas.
        empty_line: HTML with the blocks that are still empty.
        message: HTML with a problem (in words, never a traceback) or a note after saving or
            loading.
        draw_button, figure_out: draw the one-page canvas (it takes a few seconds) into the
            output below the form.
        markdown_toggle, markdown_view: show the canvas as Markdown text, kept up to date.
        file_name, save_button, download: save to a file in the current folder; the
            download link holds the same JSON (it works on Binder too).
        upload, load_path, load_button: bring a saved canvas back (upload a file, or type the
            name of a file in this folder).
        widget: the whole editor, to display.
    """

    def __init__(self, kind="social", canvas=None, example: str | None = None):
        if canvas is not None and example is not None:
            raise ValueError(_("Give either a canvas or an example, not both."))
        start = None
        load_from = None
        if example is not None:
            key = str(example).strip().lower()
            if key not in EXAMPLES:
                raise ValueError(_("There is no example {name}. The examples are: "
                                   "{names}.").format(name=repr(example),
                                                      names=", ".join(EXAMPLES)))
            kind, data = example_data(key)
            start = _canvas_class(kind)(title=data["title"], texts=data["blocks"])
        elif isinstance(canvas, model._Canvas):
            start = canvas
        elif isinstance(canvas, (str, os.PathLike)):
            load_from = canvas
        elif canvas is not None:
            raise TypeError(
                _("canvas must be a SocialBusinessModelCanvas or BusinessModelCanvas, or the "
                  "name of a saved canvas file, not {value} ({kind}).").format(
                    value=repr(canvas), kind=type(canvas).__name__)
            )
        cls = type(start) if start is not None else _canvas_class(kind)

        self._quiet = False  # True while the form is filled from a canvas: update once after
        self._update_failed = False
        self.canvas_class = cls
        self.boxes: dict[str, w.Textarea] = {}
        self.heading = w.HTML()
        self.title_box = w.Text(description=_("Name of your idea"),
                                placeholder=_("e.g. {example}").format(example="Rising You"),
                                continuous_update=False,
                                style={"description_width": "140px"},
                                layout=w.Layout(width="520px"))
        self.grid = w.GridBox(layout=w.Layout(
            grid_template_columns="repeat(10, minmax(0, 1fr))",
            # The top two bands hold the blocks of a third of a band (social value, impact
            # measures, customer value): taller rows there leave room for their question.
            grid_template_rows=f"repeat({round((model.GRID_HEIGHT - 1) * _ROWS_PER_UNIT)}, "
                               f"{_TALL_ROW_HEIGHT}) repeat({_ROWS_PER_UNIT}, {_ROW_HEIGHT})",
            grid_gap="4px", width="100%", min_width="760px"))
        self.empty_line = w.HTML()
        self.message = w.HTML()
        self.files = _saved.SavedFiles(self.message, WHAT, _(DEFAULT_FILE_NAME),
                                       MAX_UPLOAD_BYTES)

        self.draw_button = w.Button(description=_("Draw the one-page canvas"), icon="image",
                                    tooltip=_("Draw the canvas as one page (takes a few "
                                              "seconds)"),
                                    layout=w.Layout(width="230px"))
        self.markdown_toggle = w.ToggleButton(value=False, description=_("Show as Markdown"),
                                              icon="file-text",
                                              tooltip=_("Show the canvas as Markdown text"),
                                              layout=w.Layout(width="180px"))
        self.figure_note = w.HTML()
        self.figure_out = w.Output()
        self.markdown_view = w.HTML()

        self.file_name = w.Text(value=_(DEFAULT_FILE_NAME), description=_("File name"),
                                continuous_update=False, style={"description_width": "80px"},
                                layout=w.Layout(width="300px"))
        self.save_button = w.Button(description=_("Save"), icon="save", button_style="primary",
                                    tooltip=_("Save the canvas as a file in this folder"),
                                    layout=w.Layout(width="90px"))
        self.download = w.HTML()
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description=_("Upload a saved canvas"),
                                   layout=w.Layout(width="220px"))
        self.load_path = w.Text(value="", placeholder=_(DEFAULT_FILE_NAME),
                                description=_("or a file in this folder"),
                                style={"description_width": "150px"},
                                layout=w.Layout(width="380px"))
        self.load_button = w.Button(description=_("Load"), icon="folder-open",
                                    tooltip=_("Load the canvas file named on the left"),
                                    layout=w.Layout(width="90px"))

        for button in (self.draw_button, self.markdown_toggle, self.save_button, self.upload,
                       self.load_button):
            _fit.fit_button(button)  # as wide as its text in every language ("Bewaren")
        self.title_box.observe(self._on_change, names="value")
        self.markdown_toggle.observe(self._on_change, names="value")
        self.file_name.observe(self._on_change, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.draw_button.on_click(lambda _: self.draw())
        self.save_button.on_click(lambda _: self.save())
        self.load_button.on_click(lambda _: self.load_file(self.load_path.value))

        self._build_blocks(cls)
        actions = w.VBox([
            w.HBox([self.draw_button, self.markdown_toggle]),
            w.HBox([self.file_name, self.save_button, self.download],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox([self.upload, self.load_path, self.load_button],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
        ])
        self.widget = w.VBox([
            self.heading, self.title_box, self.grid, self.empty_line, self.message, actions,
            self.markdown_view, self.figure_note, self.figure_out,
        ], layout=w.Layout(width="100%", overflow_x="auto"))

        if start is not None:
            self.set_canvas(start)
        else:
            self.update()
            if load_from is not None:
                self.load_file(load_from)

    # ------------------------------------------------------------------ the form

    def _build_blocks(self, cls) -> None:
        """One titled Textarea per block of ``cls``, placed on the grid like the real canvas."""
        self.canvas_class = cls
        self.boxes = {}
        cells = []
        for block in cls.BLOCKS:
            colour = model._GROUP_COLOURS[block.group]
            box = w.Textarea(value="", placeholder=block.prompt, continuous_update=False,
                             tooltip=f"{block.title}: {block.prompt}",
                             # The inner <textarea> inherits this height: with flex 1 1 0
                             # it fills the block under its title.
                             layout=w.Layout(width="auto", height="100%", flex="1 1 0",
                                             min_height="0", margin="0"))
            box.observe(self._on_change, names="value")
            self.boxes[block.id] = box
            title = w.HTML(f"<div style='line-height:1.2;margin:2px 0'><b>"
                           f"{html.escape(block.title)}</b></div>",
                           layout=w.Layout(margin="0", flex="0 0 auto"))
            cells.append(w.VBox([title, box], layout=w.Layout(
                grid_area=_grid_area(block), border=f"2px solid {colour}", padding="2px 4px",
                overflow="hidden")))
        self.grid.children = cells
        self.heading.value = (f"<h3 style='margin:4px 0'>{html.escape(cls.shown_name())}</h3>"
                              f"<div style='line-height:1.3;font-size:12px'>"
                              f"{html.escape(cls.shown_source())}. "
                              + html.escape(_("Type in the blocks; a grey question tells what "
                                              "belongs there. A block is saved when you click "
                                              "outside it.")) + "</div>")

    @property
    def canvas(self) -> model._Canvas:
        """The canvas as typed in the form: a new model object with the current texts."""
        return self.canvas_class(title=self.title_box.value,
                                 texts={block_id: box.value for block_id, box in
                                        self.boxes.items()})

    def set_canvas(self, canvas: model._Canvas) -> None:
        """Fill the form with ``canvas`` (switching the kind of canvas if needed)."""
        if not isinstance(canvas, model._Canvas):
            raise TypeError(_("set_canvas needs a canvas, not {kind}.").format(
                kind=type(canvas).__name__))
        self._quiet = True
        try:
            if type(canvas) is not self.canvas_class:
                self._build_blocks(type(canvas))
                self.figure_out.clear_output()
                self.figure_note.value = ""
            self.title_box.value = canvas.title
            for block_id, box in self.boxes.items():
                box.value = canvas.texts[block_id]
        finally:
            self._quiet = False
        self.update()

    def _on_change(self, change=None):
        if not self._quiet:
            self.update()

    def update(self):
        """Read the form and show the empty blocks, the Markdown and a fresh download link.

        Problems show in ``message``; an unexpected error shows there too and is raised.
        """
        try:
            canvas = self.canvas
            empty = canvas.empty_blocks()
            markdown = canvas.to_markdown() if self.markdown_toggle.value else ""
            data = canvas.to_dict()
        except (ValueError, TypeError) as err:
            self._update_failed = True
            self.message.value = _base.message_html(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self._update_failed = True
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        if self._update_failed:
            self.message.value = ""
            self._update_failed = False
        self.empty_line.value = self._empty_html(canvas, empty)
        summary = html.escape(_("The canvas as Markdown (select and copy it into a Markdown "
                                "cell)"))
        self.markdown_view.value = (
            f"<details open><summary>{summary}</summary><pre style='white-space:pre-wrap;"
            f"border:1px solid #ccc;padding:6px'>{html.escape(markdown)}</pre></details>"
            if markdown else "")
        self.download.value = self._download_html(data)

    @staticmethod
    def _empty_html(canvas, empty: list[str]) -> str:
        total = len(canvas.BLOCKS)
        if not empty:
            return "<b>✓ " + html.escape(_("All {total} blocks are filled in.").format(
                total=total)) + "</b>"
        titles = ", ".join(html.escape(canvas.block(b).title) for b in empty)
        return "<b>" + html.escape(_("Empty blocks ({empty} of {total}):").format(
            empty=len(empty), total=total)) + f"</b> {titles}"

    def _download_html(self, data: dict) -> str:
        return self.files.download_html(self._json_bytes(data), self.file_name.value)

    @staticmethod
    def _json_bytes(data: dict) -> bytes:
        """The canvas file's bytes, written like :meth:`welfarelab.canvas._Canvas.save`."""
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    # ------------------------------------------------------------------ figure, save, load

    def draw(self):
        """Draw the one-page canvas (``canvas.to_figure()``) below the form."""
        self.draw_button.disabled = True
        self.draw_button.description = _("Drawing…")
        try:
            fig = self.canvas.to_figure()
            _base.show_figure(self.figure_out, fig)
            self.figure_note.value = (
                "<div style='line-height:1.3;font-size:12px'>"
                + html.escape(_("Figure: the canvas on one page, drawn from the texts when you "
                                "pressed the button. Press it again after changes. Long texts "
                                "are shortened with …; the Markdown keeps them whole."))
                + "</div>")
        except (ValueError, TypeError) as err:
            self.message.value = _base.message_html(str(err))
        except Exception as err:
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        finally:
            self.draw_button.disabled = False
            self.draw_button.description = _("Draw the one-page canvas")

    def save(self):
        """Save the canvas to the file named in ``file_name``, in the current folder.

        Returns:
            The path written, or None when the name or the folder was a problem (the problem
            shows in ``message``).
        """
        return self.files.save(self.file_name.value, lambda path: self.canvas.save(path),
                               after=self.update)

    def load_file(self, path) -> model._Canvas | None:
        """Load a canvas file from the current folder (or a path) into the form.

        Returns:
            The canvas loaded, or None when the file could not be read (the reason shows in
            ``message``).
        """
        return self.files.load_file(path, model.load_canvas, self._loaded)

    def load_upload(self, value=None) -> model._Canvas | None:
        """Load the file uploaded with ``upload`` (or given as a FileUpload value). Only the
        file's last name part is used and its size is checked before it is read, in memory.

        Returns:
            The canvas loaded, or None (the reason shows in ``message``).
        """
        return self.files.load_upload(
            self.upload.value if value is None else value,
            lambda content, name: model.canvas_from_text(content.decode("utf-8", "replace")),
            self._loaded)

    def _loaded(self, loaded: model._Canvas, name: str) -> model._Canvas:
        self.set_canvas(loaded)
        filled = len(loaded.BLOCKS) - len(loaded.empty_blocks())
        title = f" “{loaded.title}”" if loaded.title else ""
        self.message.value = _base.message_html(
            _("Loaded {name}: the {canvas}{title}, {filled} of {total} blocks filled "
              "in.").format(name=name, canvas=loaded.shown_name(), title=title, filled=filled,
                            total=len(loaded.BLOCKS)), "info")
        return loaded

    def _on_upload(self, change):
        # an unexpected error shows in the message and is raised; the upload is emptied so
        # the same file can be uploaded again
        self.files.on_upload(self.upload, change, self.load_upload)

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def canvas_editor(kind="social", canvas=None, example: str | None = None):
    """Show the canvas editor (modules m04 and m07).

    Args:
        kind: ``"social"`` for the Social Business Model Canvas (13 blocks, default) or
            ``"business"`` for the Business Model Canvas (9 blocks). Ignored when ``canvas``
            or ``example`` is given: their kind is used.
        canvas: optional canvas to start from: a ``SocialBusinessModelCanvas`` or
            ``BusinessModelCanvas``, or the name of a canvas file saved earlier.
        example: optional ``"rising-you"``: the Social Business Model Canvas of Rising You
            (young refugees coached towards jobs at height), to read and change.

    Returns:
        A :class:`CanvasEditor`; as the last line of a cell it shows the editor. Keep it in a
        variable to use what was typed: ``editor.canvas`` is the canvas object
        (``editor.canvas.to_figure()``, ``editor.canvas.save(...)``); put ``editor.widget``
        inside other ipywidgets. While nbgrader grades, a short note (an HTML widget) instead,
        so the editor never slows grading: do not use ``editor.canvas`` in a graded cell.

    Raises:
        ValueError: an unknown ``kind`` or ``example``.
    """
    if _base.grading():
        return _base.grading_placeholder(_("canvas editor"))
    return CanvasEditor(kind=kind, canvas=canvas, example=example)
