"""The service-blueprint editor (module m03): a thin view over :mod:`welfarelab.journey`.

One tab per step of the service: its name, what the person does, the physical evidence
(separated by commas) and three lanes, frontstage, backstage and support, with one
"actor: action" per line. The model (:class:`~welfarelab.journey.Blueprint`, after Shostack
1984 and Bitner, Ostrom & Morgan 2008) does everything else: the checks, the count of
interactions and of handovers across the line of visibility, the drawing and the JSON file.
It follows the journey-map editor (:mod:`welfarelab.widgets.journey`): a change rebuilds the
model, a problem shows in words, and saving and loading work as in the canvas editor (a file in
the notebook's folder, a download link, an upload button).
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import journey as model
from ..i18n import N_, _
from . import _base, _fit, _saved

#: The file name offered for saving and downloading (the same in every language; marked so
#: that the placeholder that shows it goes through the catalogs).
DEFAULT_FILE_NAME = N_("my-blueprint.json")

#: A blueprint file is a few kilobytes; anything much bigger is not one.
MAX_UPLOAD_BYTES = _saved.MAX_UPLOAD_BYTES

#: How the evidence items are typed in one box, and how an actor is split from the action.
EVIDENCE_SEPARATOR = ","
ACTOR_SEPARATOR = ":"

LANES = ("frontstage", "backstage", "support")
_STYLE = {"description_width": "130px"}


def _lane_labels() -> dict[str, str]:
    """The label of each lane box, in the current language."""
    return {"frontstage": _("frontstage"), "backstage": _("backstage"),
            "support": _("support")}


def _evidence(text: str) -> list[str]:
    """The evidence items typed in one box, separated by commas (empty ones dropped)."""
    return [part.strip() for part in (text or "").split(EVIDENCE_SEPARATOR) if part.strip()]


def _lane(text: str, lane: str, step: int) -> list[tuple[str, str]]:
    """The (actor, action) pairs typed in a lane box, one "actor: action" per line.

    Raises:
        ValueError: a line without ":", naming the step (1 is the first) and the lane.
    """
    pairs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if ACTOR_SEPARATOR not in line:
            raise ValueError(_(
                "Step {step}, lane {lane}, line {line}: {text} has no ':'. Write one "
                "'actor: action' per line, e.g. 'OCMW social worker: checks the file'."
            ).format(step=step, lane=_lane_labels()[lane], line=number,
                     text=repr(line.strip())))
        actor, action = line.split(ACTOR_SEPARATOR, 1)
        pairs.append((actor.strip(), action.strip()))
    return pairs


def _lane_text(actions) -> str:
    return "\n".join(f"{a.actor}{ACTOR_SEPARATOR} {a.action}" for a in actions)


class BlueprintEditor:
    """Edit a service blueprint step by step and see its drawing.

    Attributes (for notebooks and tests):
        title: Text box.
        steps: one dict per step, in order, with the Text boxes "name", "customer_action",
            "evidence" (separated by commas) and the Textarea boxes "frontstage",
            "backstage", "support" (one "actor: action" per line).
        tabs: one tab per step. add_button adds a step at the end; remove_button removes the
            step whose tab is open.
        blueprint: the model built from the boxes (a new object on every read; raises the
            model's error, or a line without ":" naming its lane).
        result: the last valid Blueprint, or None after a problem.
        summary: HTML with the steps, the interactions and the handovers across the line of
            visibility. alt: HTML with the drawing's text alternative.
        message: HTML with a problem (in words) or a note after saving or loading.
        chart_out: the drawing (``_base.show_figure``), or nothing with ``chart=False``.
        file_name, save_button, download, upload, load_path, load_button: as in the journey
            map editor.
        widget: the whole editor, to display.
    """

    def __init__(self, blueprint: model.Blueprint | None = None, chart: bool = True):
        if blueprint is None:
            blueprint = model.gbo_example()[1]
        if not isinstance(blueprint, model.Blueprint):
            raise TypeError(_("blueprint must be a Blueprint (welfarelab.journey), not "
                              "{kind}.").format(kind=type(blueprint).__name__))
        self._quiet = False
        self._chart = chart
        self.result: model.Blueprint | None = None
        self.steps: list[dict] = []
        self.title = w.Text(description=_("title"), continuous_update=False, style=_STYLE,
                            placeholder=_("optional"), layout=w.Layout(width="520px"))
        self.title.observe(self._on_change, names="value")
        self.tabs = w.Tab()
        self.add_button = w.Button(description=_("Add a step"), icon="plus",
                                   layout=w.Layout(width="160px"))
        self.remove_button = w.Button(description=_("Remove this step"), icon="trash",
                                      layout=w.Layout(width="180px"))
        self.add_button.on_click(lambda _b: self.add_step())
        self.remove_button.on_click(lambda _b: self.remove_step(self.tabs.selected_index or 0))
        self.message = w.HTML()
        self.files = _saved.SavedFiles(self.message, N_("blueprint"), DEFAULT_FILE_NAME,
                                       MAX_UPLOAD_BYTES)
        self.summary = w.HTML()
        self.alt = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="300px"))

        self.file_name = w.Text(value=DEFAULT_FILE_NAME, description=_("File name"),
                                continuous_update=False, style={"description_width": "80px"},
                                layout=w.Layout(width="300px"))
        self.save_button = w.Button(description=_("Save"), icon="save", button_style="primary",
                                    tooltip=_("Save the blueprint as a file in this folder"),
                                    layout=w.Layout(width="90px"))
        self.download = w.HTML()
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description=_("Upload a saved blueprint"),
                                   layout=w.Layout(width="220px"))
        self.load_path = w.Text(value="", placeholder=_(DEFAULT_FILE_NAME),
                                description=_("or a file in this folder"),
                                style={"description_width": "170px"},
                                layout=w.Layout(width="400px"))
        self.load_button = w.Button(description=_("Load"), icon="folder-open",
                                    layout=w.Layout(width="90px"))
        for button in (self.add_button, self.remove_button, self.save_button, self.upload,
                       self.load_button):
            _fit.fit_button(button)  # as wide as its text in every language ("Bewaren")
        self.file_name.observe(self._on_change, names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load_file(self.load_path.value))
        self.upload.observe(self._on_upload, names="value")

        files = w.VBox([
            w.HBox([self.file_name, self.save_button, self.download],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox([self.upload, self.load_path, self.load_button],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
        ])
        intro = _("Service blueprint (one tab per step, in order; separate several pieces of "
                  "evidence with a comma; in the lanes, one 'actor: action' per line)")
        self.widget = w.VBox([
            w.HTML("<b>" + html.escape(intro) + "</b>"),
            self.title, self.tabs, w.HBox([self.add_button, self.remove_button]),
            w.HTML("<b>" + html.escape(_("Result")) + "</b>"), self.message, self.summary,
            self.alt, self.chart_out,
            files,
        ], layout=w.Layout(width="100%", overflow_x="auto"))
        self.set_blueprint(blueprint)

    # ------------------------------------------------------------------ the form

    def _make_step(self, step: model.BlueprintStep | None = None) -> dict:
        box: dict = {}
        texts = {"name": (_("step"), _("short name of the step")),
                 "customer_action": (_("the person does"), _("what the person does")),
                 "evidence": (_("evidence"), _("letter, form (separate with ,)"))}
        for key, (label, placeholder) in texts.items():
            value = "" if step is None else getattr(step, key)
            if key == "evidence":
                value = f"{EVIDENCE_SEPARATOR} ".join(value)
            box[key] = w.Text(value=value, description=label, placeholder=placeholder,
                              continuous_update=False, style=_STYLE,
                              layout=w.Layout(width="520px"))
        for lane, label in _lane_labels().items():
            box[lane] = w.Textarea(value="" if step is None else _lane_text(getattr(step, lane)),
                                   description=label, continuous_update=False, style=_STYLE,
                                   placeholder=_("actor: action (one per line)"),
                                   layout=w.Layout(width="520px", height="80px"))
        for control in box.values():
            control.observe(self._on_change, names="value")
        return box

    def _show_steps(self) -> None:
        selected = self.tabs.selected_index
        self.tabs.children = [w.VBox([s[k] for k in ("name", "customer_action", "evidence",
                                                     *LANES)]) for s in self.steps]
        self._titles()
        if self.steps:
            self.tabs.selected_index = min(selected or 0, len(self.steps) - 1)
        self.remove_button.disabled = len(self.steps) <= 1

    def _titles(self) -> None:
        """Each tab is titled with its step's name (or "Step n" while the name is empty)."""
        for i, box in enumerate(self.steps):
            self.tabs.set_title(i, box["name"].value.strip() or _("Step {n}").format(n=i + 1))

    def add_step(self, step: model.BlueprintStep | None = None) -> dict:
        """Add a step at the end (empty, or filled from ``step``), open its tab and update."""
        box = self._make_step(step)
        self.steps.append(box)
        self._show_steps()
        if not self._quiet:
            self.tabs.selected_index = len(self.steps) - 1
            self.update()
        return box

    def remove_step(self, index: int) -> None:
        """Remove the step at ``index`` (0 is the first) and update; the last one stays.

        Raises:
            IndexError: no step at ``index``.
        """
        if not 0 <= index < len(self.steps):
            raise IndexError(_("There is no step {index}; the steps are 0 to {last}.").format(
                index=index, last=len(self.steps) - 1))
        if len(self.steps) <= 1:
            self.message.value = _base.message_html(
                _("A blueprint needs at least one step: change this one instead."))
            return
        del self.steps[index]
        self._show_steps()
        self.update()

    @property
    def blueprint(self) -> model.Blueprint:
        """The blueprint as typed: a new model object (raises the model's error if a box is
        wrong, or ValueError naming the lane of a line without ':')."""
        steps = []
        for i, box in enumerate(self.steps, start=1):
            steps.append(model.BlueprintStep(
                name=box["name"].value, customer_action=box["customer_action"].value,
                evidence=_evidence(box["evidence"].value),
                **{lane: _lane(box[lane].value, lane, i) for lane in LANES}))
        return model.Blueprint(steps=steps, title=self.title.value)

    def set_blueprint(self, blueprint: model.Blueprint) -> None:
        """Fill the form with ``blueprint`` (replacing every step) and update once.

        Raises:
            TypeError: ``blueprint`` is not a Blueprint.
        """
        if not isinstance(blueprint, model.Blueprint):
            raise TypeError(_("set_blueprint needs a Blueprint, not {kind}.").format(
                kind=type(blueprint).__name__))
        self._quiet = True
        try:
            self.title.value = blueprint.title
            self.steps = []
            for step in blueprint.steps:
                self.add_step(step)
        finally:
            self._quiet = False
        self.tabs.selected_index = 0
        self._show_steps()
        self.update()

    def _on_change(self, change=None):
        if not self._quiet:
            self.update()

    def update(self):
        """Read the form; show the summary, the drawing with its alt text and a fresh
        download link. A problem shows in ``message`` (and ``result`` becomes None); an
        unexpected error shows there too and is raised."""
        try:
            blueprint = self.blueprint
        except (ValueError, TypeError) as err:
            self._failed(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self._failed(_("Unexpected problem: {error}").format(error=err))
            raise
        self.result = blueprint
        self.message.value = ""
        self._titles()
        self.summary.value = html.escape(_(
            "Steps: {steps}; interactions (steps with a frontstage action): {interactions}; "
            "handovers across the line of visibility: {handovers}."
        ).format(steps=len(blueprint.steps), interactions=blueprint.interactions(),
                 handovers=blueprint.handovers_across_visibility()))
        self.download.value = self._download_html(blueprint)
        if self._chart:
            self.alt.value = "<small>" + html.escape(blueprint.alt_text()) + "</small>"
            _base.show_figure(self.chart_out, blueprint.figure())

    def _failed(self, text: str) -> None:
        """Show a problem; no summary or drawing of a blueprint that is not valid."""
        self.result = None
        self.message.value = _base.message_html(text)
        self.summary.value = ""
        self.alt.value = ""
        self.chart_out.clear_output()

    def _download_html(self, blueprint: model.Blueprint) -> str:
        return self.files.download_html(blueprint.to_json().encode("utf-8"),
                                        self.file_name.value)

    # ------------------------------------------------------------------ save and load

    def save(self):
        """Save the blueprint to the file named in ``file_name``, in the current folder.

        Returns:
            The path written, or None (the problem shows in ``message``).
        """
        return self.files.save(self.file_name.value, lambda path: self.blueprint.save(path))

    def load_file(self, path) -> model.Blueprint | None:
        """Load a blueprint file (a name in the current folder, or a path) into the form.

        Returns:
            The blueprint loaded, or None (the reason shows in ``message``).
        """
        return self.files.load_file(path, model.Blueprint.load, self._loaded)

    def load_upload(self, value=None) -> model.Blueprint | None:
        """Load the file uploaded with ``upload`` (or given as a FileUpload value).

        The uploaded name is reduced to its last part and the content is size-checked and
        parsed by the model only: nothing the student sent is trusted beyond that.
        """
        return self.files.load_upload(
            self.upload.value if value is None else value,
            lambda content, name: model.Blueprint.from_json(content.decode("utf-8")),
            self._loaded)

    def _loaded(self, loaded: model.Blueprint, name: str) -> model.Blueprint:
        self.set_blueprint(loaded)
        self.message.value = _base.message_html(
            _("Loaded {name}: a blueprint with {steps} steps.").format(
                name=name, steps=len(loaded.steps)), "info")
        return loaded

    def _on_upload(self, change):
        self.files.on_upload(self.upload, change, self.load_upload)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def blueprint_editor(blueprint: model.Blueprint | None = None, example: str | None = "gbo"):
    """Show the service-blueprint editor (module m03).

    Args:
        blueprint: a :class:`welfarelab.journey.Blueprint` to start from, or None.
        example: with no ``blueprint``: ``"gbo"`` (default), the course's illustration of a
            household with unpaid bills at the GBO intake
            (:func:`welfarelab.journey.gbo_example`); ``None`` for one empty step.

    Returns:
        A :class:`BlueprintEditor`; as the last line of a cell it shows the editor. Keep it in
        a variable to use what you typed: ``editor.blueprint`` is the model. While nbgrader
        grades, a short note (an HTML widget) instead: do not use the editor in a graded cell.

    Raises:
        ValueError: an unknown ``example``. TypeError: ``blueprint`` is not a Blueprint.
    """
    if _base.grading():
        return _base.grading_placeholder(_("service blueprint editor"))
    if blueprint is None:
        if example is None:
            blueprint = model.Blueprint(steps=[model.BlueprintStep(
                _("first step"), customer_action=_("what the person does"))])
        elif str(example).strip().lower() == "gbo":
            blueprint = model.gbo_example()[1]
        else:
            raise ValueError(_("There is no example {example}. The example is: gbo.").format(
                example=repr(example)))
    return BlueprintEditor(blueprint)
