"""The customer-journey map editor (module m03): a thin view over :mod:`welfarelab.journey`.

One row of boxes per stage (name, who the person deals with, channel, feeling score,
touchpoints, actions, thoughts, pain points, opportunities). The model
(:class:`~welfarelab.journey.Journey`) does everything else: the checks, the moment of truth,
the handovers, the stages with a pain point and no opportunity, the emotional curve and the
JSON file. Saving and loading follow the canvas editor (:mod:`welfarelab.widgets.canvas`):
a file in the notebook's folder, a download link, an upload button.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import journey as model
from ..i18n import N_, _, _ngettext
from . import _base, _fit, _inputs, _saved

#: The file name offered for saving and downloading (the same in every language; marked so
#: that the placeholder that shows it goes through the catalogs).
DEFAULT_FILE_NAME = N_("my-journey.json")

#: A journey file is a few kilobytes; anything much bigger is not one.
MAX_UPLOAD_BYTES = _saved.MAX_UPLOAD_BYTES

#: How the list fields (touchpoints, pain points, opportunities) are typed in one box.
SEPARATOR = ";"

_LIST_FIELDS = ("touchpoints", "pain_points", "opportunities")
_TEXT_FIELDS = ("name", "actor", "channel", "actions", "thoughts")
# Labels and placeholders of a stage's boxes: English, marked for the catalogs, shown with _().
_LABELS = {
    "name": N_("stage"), "actor": N_("deals with"), "channel": N_("channel"),
    "touchpoints": N_("touchpoints"), "actions": N_("does"), "thoughts": N_("thinks / says"),
    "pain_points": N_("pain points"), "opportunities": N_("opportunities"),
}
_PLACEHOLDERS = {
    "name": N_("short name of the stage"), "actor": N_("who: a worker, a service (or empty)"),
    "channel": N_("desk, phone, home visit, website ..."),
    "touchpoints": N_("waiting room; intake form (separate with ;)"),
    "actions": N_("what the person does"), "thoughts": N_("in the person's words"),
    "pain_points": N_("what goes wrong (separate with ;)"),
    "opportunities": N_("what we could improve (separate with ;)"),
}
# The column headers of the table under the editor (the model's columns stay English: code
# reads them; people read these).
_TABLE_HEADERS = {
    "stage": N_("stage"), "actor": N_("actor"), "channel": N_("channel"),
    "touchpoints": N_("touchpoints"), "emotion": N_("emotion"), "feeling": N_("feeling"),
    "pain points": N_("pain points"), "opportunities": N_("opportunities"),
}
_STYLE = {"description_width": "110px"}


def _split(text: str) -> list[str]:
    """The items typed in one box, separated by ';' (empty items dropped by the model)."""
    return [part.strip() for part in (text or "").split(SEPARATOR)]


class JourneyMap:
    """Edit a customer-journey map stage by stage and see its emotional curve.

    Attributes (for notebooks and tests):
        persona, title: Text boxes.
        rows: one dict per stage, in order, with a Text per field ("name", "actor",
            "channel", "touchpoints", "actions", "thoughts", "pain_points",
            "opportunities"; the list fields separated by ";"), the IntSlider "emotion"
            (-2 to +2) and the Button "remove".
        add_button: adds a stage at the end.
        journey: the model built from the boxes (a new object on every read; raises the
            model's error when a box is wrong).
        result: the last valid Journey, or None after a problem.
        summary: HTML with the moment of truth, the handovers and the stages with a pain
            point and no opportunity. table: HTML with the stages.
        message: HTML with a problem (in words) or a note after saving or loading.
        chart_out: the emotional curve (kept and redrawn by ``_base.LiveChart``); chart_view
            is that LiveChart, or None with ``chart=False``.
        file_name, save_button, download, upload, load_path, load_button: as in the canvas
            editor.
        widget: the whole editor, to display.
    """

    def __init__(self, journey: model.Journey | None = None, chart: bool = True):
        if journey is None:
            journey = model.gbo_example()[0]
        if not isinstance(journey, model.Journey):
            raise TypeError(_("journey must be a Journey (welfarelab.journey), not "
                              "{kind}.").format(kind=type(journey).__name__))
        self._quiet = False
        self.result: model.Journey | None = None
        self.rows: list[dict] = []
        self.persona = w.Text(description=_("persona"), continuous_update=False, style=_STYLE,
                              placeholder=_("whose journey, e.g. household with unpaid bills"),
                              layout=w.Layout(width="520px"))
        self.title = w.Text(description=_("title"), continuous_update=False, style=_STYLE,
                            placeholder=_("optional"), layout=w.Layout(width="520px"))
        self.persona.observe(self._on_change, names="value")
        self.title.observe(self._on_change, names="value")
        self.rows_box = w.VBox()
        self.add_button = w.Button(description=_("Add a stage"), icon="plus",
                                   layout=w.Layout(width="160px"))
        self.add_button.on_click(lambda _: self.add_stage())
        self.message = w.HTML()
        self.files = _saved.SavedFiles(self.message, N_("journey"), DEFAULT_FILE_NAME,
                                       MAX_UPLOAD_BYTES)
        self.summary = w.HTML()
        self.table = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))
        self.chart_view = _base.LiveChart(self.chart_out, (7.5, 3.8)) if chart else None

        self.file_name = w.Text(value=DEFAULT_FILE_NAME, description=_("File name"),
                                continuous_update=False, style={"description_width": "80px"},
                                layout=w.Layout(width="300px"))
        self.save_button = w.Button(description=_("Save"), icon="save", button_style="primary",
                                    tooltip=_("Save the journey as a file in this folder"),
                                    layout=w.Layout(width="90px"))
        self.download = w.HTML()
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description=_("Upload a saved journey"),
                                   layout=w.Layout(width="220px"))
        self.load_path = w.Text(value="", placeholder=_(DEFAULT_FILE_NAME),
                                description=_("or a file in this folder"),
                                style={"description_width": "150px"},
                                layout=w.Layout(width="380px"))
        self.load_button = w.Button(description=_("Load"), icon="folder-open",
                                    layout=w.Layout(width="90px"))
        for button in (self.add_button, self.save_button, self.upload, self.load_button):
            _fit.fit_button(button)  # as wide as its text in every language ("Bewaren")
        self.file_name.observe(self._on_change, names="value")
        self.save_button.on_click(lambda _: self.save())
        self.load_button.on_click(lambda _: self.load_file(self.load_path.value))
        self.upload.observe(self._on_upload, names="value")

        files = w.VBox([
            w.HBox([self.file_name, self.save_button, self.download],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox([self.upload, self.load_path, self.load_button],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
        ])
        self.widget = w.VBox([
            w.HTML("<b>" + html.escape(_("Customer-journey map")) + "</b> " + html.escape(_(
                "(one row per stage, in order; feeling: -2 very bad to +2 very good; separate "
                "several touchpoints, pain points or opportunities with ;)"))),
            self.persona, self.title, self.rows_box, self.add_button,
            w.HTML("<b>" + html.escape(_("Result")) + "</b>"), self.message, self.summary,
            self.chart_out, self.table,
            files,
        ], layout=w.Layout(width="100%", overflow_x="auto"))
        self.set_journey(journey)

    # ------------------------------------------------------------------ the form

    def _make_row(self, stage: model.Stage | None = None) -> dict:
        row: dict = {}
        for key in _TEXT_FIELDS + _LIST_FIELDS:
            value = "" if stage is None else getattr(stage, key)
            if key in _LIST_FIELDS:
                value = f"{SEPARATOR} ".join(value)
            row[key] = w.Text(value=value, description=_(_LABELS[key]),
                              placeholder=_(_PLACEHOLDERS[key]), continuous_update=False,
                              style=_STYLE, layout=w.Layout(width="360px"))
        row["emotion"] = w.IntSlider(value=0 if stage is None else stage.emotion,
                                     min=model.EMOTION_MIN, max=model.EMOTION_MAX,
                                     description=_("feeling"), continuous_update=False,
                                     style=_STYLE, layout=w.Layout(width="300px"))
        _inputs.slider_view(row["emotion"], "{:+d}", "30px")
        row["remove"] = w.Button(icon="trash", tooltip=_("remove this stage"),
                                 layout=w.Layout(width="40px"))
        row["remove"].on_click(lambda _, row=row: self.remove_stage(self.rows.index(row)))
        for key, control in row.items():
            if key != "remove":
                control.observe(self._on_change, names="value")
        return row

    def _row_box(self, index: int, row: dict) -> w.Widget:
        left = w.VBox([row["name"], row["actor"], row["channel"],
                       _inputs.view(row["emotion"])])
        right = w.VBox([row["touchpoints"], row["actions"], row["thoughts"],
                        row["pain_points"], row["opportunities"]])
        head = w.HTML("<b>" + html.escape(_("Stage {n}").format(n=index + 1)) + "</b>",
                      layout=w.Layout(width="70px"))
        return w.HBox([head, left, right, row["remove"]],
                      layout=w.Layout(flex_flow="row wrap", border="1px solid #ccc",
                                      padding="2px", margin="2px 0"))

    def _show_rows(self) -> None:
        self.rows_box.children = [self._row_box(i, r) for i, r in enumerate(self.rows)]

    def add_stage(self, stage: model.Stage | None = None) -> dict:
        """Add a stage at the end (empty, or filled from ``stage``) and update."""
        row = self._make_row(stage)
        self.rows.append(row)
        self._show_rows()
        if not self._quiet:
            self.update()
        return row

    def remove_stage(self, index: int) -> None:
        """Remove the stage at ``index`` (0 is the first) and update."""
        del self.rows[index]
        self._show_rows()
        self.update()

    @property
    def journey(self) -> model.Journey:
        """The journey as typed: a new model object (raises the model's error if a box is
        wrong)."""
        stages = []
        for i, row in enumerate(self.rows, start=1):
            values = {key: row[key].value for key in _TEXT_FIELDS}
            if not values["name"].strip():
                raise ValueError(_("Stage {n} has no name: type a short name in its box "
                                   "'{box}', or remove it with its bin.").format(
                                       n=i, box=_(_LABELS["name"])))
            values.update({key: _split(row[key].value) for key in _LIST_FIELDS})
            values["emotion"] = row["emotion"].value
            stages.append(model.Stage(**values))
        return model.Journey(persona=self.persona.value, title=self.title.value,
                             stages=stages)

    def set_journey(self, journey: model.Journey) -> None:
        """Fill the form with ``journey`` (replacing every stage) and update once."""
        if not isinstance(journey, model.Journey):
            raise TypeError(_("set_journey needs a Journey, not {kind}.").format(
                kind=type(journey).__name__))
        self._quiet = True
        try:
            self.persona.value = journey.persona
            self.title.value = journey.title
            self.rows = []
            for stage in journey.stages:
                self.add_stage(stage)
        finally:
            self._quiet = False
        self._show_rows()
        self.update()

    def _on_change(self, change=None):
        if not self._quiet:
            self.update()

    def update(self):
        """Read the form; show the figures, the table, the curve and a fresh download link.

        A problem shows in ``message`` (and ``result`` becomes None); an unexpected error
        shows there too and is raised.
        """
        try:
            journey = self.journey
        except (ValueError, TypeError) as err:
            self._failed(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self._failed(_("Unexpected problem: {error}").format(error=err))
            raise
        self.result = journey
        self.message.value = ""
        low = journey.moment_of_truth()
        open_pains = journey.unaddressed_stages()
        def item(head: str, note: str, value: str) -> str:
            return (f"<li><b>{html.escape(head)}</b>" + (f" {html.escape(note)}" if note else "")
                    + f": {html.escape(value)}</li>")

        self.summary.value = (
            "<ul style='margin:2px 0;line-height:1.4'>"
            + item(_("Moment of truth"), _("(lowest feeling)"),
                   f"{low.name} ({low.emotion:+d}, {model.emotion_word(low.emotion)})")
            + item(_("Handovers"), _("(passed on to another actor)"), str(journey.handovers()))
            + item(_("Stages with a pain point and no opportunity yet"), "",
                   ", ".join(open_pains) if open_pains else _("none"))
            + "</ul>")
        frame = journey.to_frame().rename(columns=lambda c: _(_TABLE_HEADERS.get(c, c)))
        self.table.value = frame.to_html(index=False, escape=True, border=0)
        self.download.value = self._download_html(journey)
        if self.chart_view is not None:
            width = max(6.0, 1.6 * len(journey.stages) + 2)
            self.chart_view.show(lambda ax: journey.figure(ax=ax), alt=journey.alt_text(),
                                 size=(width, 3.8), left=min(0.2, 1.2 / width),
                                 key=None)

    def _failed(self, text: str) -> None:
        """Show a problem; no figures, table or chart of a journey that is not valid."""
        self.result = None
        self.message.value = _base.message_html(text)
        self.summary.value = ""
        self.table.value = ""
        if self.chart_view is not None:
            self.chart_view.clear()

    def _download_html(self, journey: model.Journey) -> str:
        return self.files.download_html(journey.to_json().encode("utf-8"), self.file_name.value)

    # ------------------------------------------------------------------ save and load

    def save(self):
        """Save the journey to the file named in ``file_name``, in the current folder.

        Returns:
            The path written, or None (the problem shows in ``message``).
        """
        return self.files.save(self.file_name.value, lambda path: self.journey.save(path))

    def load_file(self, path) -> model.Journey | None:
        """Load a journey file (a name in the current folder, or a path) into the form.

        Returns:
            The journey loaded, or None (the reason shows in ``message``).
        """
        return self.files.load_file(path, model.Journey.load, self._loaded)

    def load_upload(self, value=None) -> model.Journey | None:
        """Load the file uploaded with ``upload`` (or given as a FileUpload value).

        The uploaded name is reduced to its last part and the content is size-checked and
        parsed by the model only: nothing the student sent is trusted beyond that.
        """
        return self.files.load_upload(
            self.upload.value if value is None else value,
            lambda content, name: model.Journey.from_json(content.decode("utf-8")),
            self._loaded)

    def _loaded(self, loaded: model.Journey, name: str) -> model.Journey:
        self.set_journey(loaded)
        self.message.value = _base.message_html(
            _ngettext("Loaded {name}: the journey of “{persona}”, {n} stage.",
                      "Loaded {name}: the journey of “{persona}”, {n} stages.",
                      len(loaded.stages)).format(name=name, persona=loaded.persona,
                                                 n=len(loaded.stages)),
            "info")
        return loaded

    def _on_upload(self, change):
        self.files.on_upload(self.upload, change, self.load_upload)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def journey_map(journey: model.Journey | None = None, example: str | None = "gbo"):
    """Show the customer-journey map editor (module m03).

    Args:
        journey: a :class:`welfarelab.journey.Journey` to start from, or None.
        example: with no ``journey``: ``"gbo"`` (default), the course's illustration of a
            household with unpaid bills at the GBO intake
            (:func:`welfarelab.journey.gbo_example`); ``None`` for one empty stage.

    Returns:
        A :class:`JourneyMap`; as the last line of a cell it shows the editor. Keep it in a
        variable to use what you typed: ``editor.journey`` is the model. While nbgrader
        grades, a short note (an HTML widget) instead: do not use the editor in a graded cell.

    Raises:
        ValueError: an unknown ``example``. TypeError: ``journey`` is not a Journey.
    """
    if _base.grading():
        return _base.grading_placeholder(_("journey map editor"))
    if journey is None:
        if example is None:
            journey = model.Journey(persona=_("my persona"),
                                    stages=[model.Stage(_("first stage"))])
        elif str(example).strip().lower() == "gbo":
            journey = model.gbo_example()[0]
        else:
            raise ValueError(_("There is no example {example}. The example is: gbo.").format(
                example=repr(example)))
    return JourneyMap(journey)
