"""The theory-of-change builder: a thin view over :class:`welfarelab.impact.TheoryOfChange`.

One text box per stage (one item per line) and one each for the preconditions and the
assumptions; the figure and a
preview follow what is typed. "Save" offers the JSON file as a download link (this works on
Binder too, where there is no file dialog on the server), and "Load a saved file" reads it back.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import impact
from ..i18n import N_, _
from . import _base, _fit

#: The file name the download link offers.
DOWNLOAD_NAME = "theory-of-change.json"

#: Synthetic defaults that tell the story of Rising You (seed, section 4; module m06):
#: young refugees learn to climb, train for jobs at height, and companies pay for the training.
DEFAULT_TOC = {
    "kind": "theory-of-change",
    "version": 1,
    "title": N_("Rising You: young refugees rise through climbing"),
    "inputs": [
        N_("climbing coaches and job coaches"),
        N_("climbing walls and gear of partner climbing clubs"),
        N_("fees from companies that pay for the training of their future workers"),
        N_("start-up grants and volunteers"),
        N_("partners that reach young refugees (reception centres, employment services)"),
    ],
    "activities": [
        N_("We climb: climbing clubs for young refugees, with coaching in climbing and in soft "
         "skills such as communication"),
        N_("We rise: professional training for climbers who want to work at height"),
        N_("We shine: matching trained 'height potentials' with companies for temporary work, "
         "outsourcing or a permanent job"),
        N_("learning on the job instead of selection by CV and interview"),
    ],
    "outputs": [
        N_("young refugees who climb every week"),
        N_("trainees who finish the professional training and earn their certificates"),
        N_("work placements and jobs offered by companies"),
    ],
    "outcomes": [
        N_("more self-confidence, communication skills and a network"),
        N_("trainees find a meaningful, challenging job at height"),
        N_("companies fill hard-to-fill vacancies with trained, motivated workers"),
        N_("companies judge candidates on what they can do, not on a CV"),
    ],
    "impact": [
        N_("young refugees take part in work and society in Belgium (in 2020 about 2 in 3 "
         "refugees in Belgium were out of work)"),
    ],
    "preconditions": [
        N_("young refugees hear of the climbing club and can reach the climbing hall"),
        N_("trainees trust their coaches and keep coming to the club"),
        N_("employers accept a work trial instead of a CV and a job interview"),
        N_("trainees hold the safety certificates that work at height needs"),
    ],
    "assumptions": [
        N_("a shared passion for climbing draws young refugees in and keeps them coming"),
        N_("soft skills learned while climbing carry over to the workplace"),
        N_("companies are willing to pay for training and to hire on shown skills instead of a CV"),
        N_("demand for workers at height stays high"),
        N_("the young people's residence status allows them to take a job"),
    ],
}

_ALL = (*impact.TOC_STAGES, *impact.TOC_EXTRAS)


def default_theory_of_change() -> impact.TheoryOfChange:
    """The Rising You theory of change the builder starts with (a new object each time)."""
    translated = {key: (_(value) if key == "title" else
                        [_(item) for item in value] if isinstance(value, list) else value)
                  for key, value in DEFAULT_TOC.items()}
    return impact.TheoryOfChange.from_dict(translated)


class TheoryOfChangeBuilder:
    """Form for a theory of change; shows it as a chain of boxes and as Markdown.

    The model is :class:`welfarelab.impact.TheoryOfChange`; this class only reads the form,
    builds the model and shows it.

    Attributes (for notebooks and tests):
        title: the title text box.
        stages: dict from stage name (``"inputs"`` ... ``"impact"``, ``"assumptions"``) to its
            Textarea; one item per line.
        toc: the last :class:`~welfarelab.impact.TheoryOfChange` read from the form.
        message: HTML widget with notes (empty stages) and problems (a bad file).
        preview: HTML widget with the theory of change as text, and its Markdown to copy.
        chart_out: Output widget with the figure.
        save_button, download: the "Save" button and the HTML widget that then holds the
            download link (``<a download="theory-of-change.json" href="data:...">``).
        upload: FileUpload for a saved ``.json`` file.
        widget: the whole builder, to display.
    """

    def __init__(self, toc=None, chart: bool = True):
        if toc is None:
            toc = default_theory_of_change()
        elif isinstance(toc, dict):
            toc = impact.TheoryOfChange.from_dict(toc)
        elif not isinstance(toc, impact.TheoryOfChange):
            raise TypeError(_("toc must be a TheoryOfChange(...) (or None for the Rising You "
                              "example), not a {kind}.").format(kind=type(toc).__name__))
        self.chart = chart
        self.toc = None
        self._filling = False
        self.title = w.Text(value=toc.title, description=_("title"), continuous_update=False,
                            style={"description_width": "60px"},
                            layout=w.Layout(width="100%"))
        self.stages = {
            stage: w.Textarea(value="\n".join(toc.items(stage)), rows=4,
                              placeholder=_("{prompt} (one item per line)").format(
                                  prompt=impact.stage_prompt(stage)),
                              continuous_update=False, layout=w.Layout(width="100%"))
            for stage in _ALL
        }
        self.message = w.HTML()
        self.preview = w.HTML()
        self.chart_out = w.Output(layout=w.Layout(min_height="200px"))
        # as wide as their text (issue 17: "Load a saved file" was cut at ipywidgets' 148px,
        # "Bewaard bestand laden" more so)
        self.save_button = _fit.fit_button(w.Button(
            description=_("Save"), icon="download",
            tooltip=_("Make a download link for this theory of change")))
        self.download = w.HTML()
        self.upload = _fit.fit_button(w.FileUpload(accept=".json,application/json",
                                                   multiple=False,
                                                   description=_("Load a saved file")))

        fields = [w.HTML(_("<b>Your theory of change</b> (one item per line)")), self.title]
        for number, stage in enumerate(_ALL, start=1):
            name = (f"{number}. {impact.stage_name(stage)}" if stage not in impact.TOC_EXTRAS
                    else impact.stage_name(stage))
            fields += [w.HTML(f"<b>{html.escape(name)}</b>: "
                              f"{html.escape(impact.stage_prompt(stage))}"), self.stages[stage]]
        inputs = w.VBox(fields, layout=w.Layout(width="420px"))
        files = w.VBox([w.HTML(_("<b>Keep your work</b>: <i>Save</i> makes a link to download "
                                 "the file; <i>Load a saved file</i> reads it back.")),
                        w.HBox([self.save_button, self.upload],
                               layout=w.Layout(flex_flow="row wrap")),
                        self.download])
        right = w.VBox([self.message, files, self.preview],
                       layout=w.Layout(flex="1 1 auto", min_width="320px"))
        self.widget = w.VBox([w.HBox([inputs, right], layout=w.Layout(flex_flow="row wrap")),
                              self.chart_out])

        self.title.observe(self._on_change, names="value")
        for box in self.stages.values():
            box.observe(self._on_change, names="value")
        self.save_button.on_click(self._on_save)
        self.upload.observe(self._on_upload, names="value")
        self.update()

    # ------------------------------------------------------------------ model <-> form

    def read(self) -> impact.TheoryOfChange:
        """The theory of change as typed in the form."""
        return impact.TheoryOfChange(title=self.title.value,
                                     **{stage: self.stages[stage].value for stage in _ALL})

    def fill(self, toc: impact.TheoryOfChange) -> None:
        """Put ``toc`` into the form and show it."""
        self._filling = True
        try:
            self.title.value = toc.title
            for stage in _ALL:
                self.stages[stage].value = "\n".join(toc.items(stage))
        finally:
            self._filling = False
        self.update()

    def _on_change(self, change=None):
        if not self._filling:
            self.update()

    def update(self):
        """Rebuild the theory of change from the form and show it. Errors show in ``message``."""
        try:
            toc = self.read()
        except (ValueError, TypeError) as err:
            self.toc = None
            self.message.value = _base.message_html(str(err))
            return
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.toc = None
            self.message.value = _base.message_html(_("Unexpected problem: {error}").format(
                error=err))
            raise
        self.toc = toc
        empty = toc.empty_stages()
        self.message.value = (_base.message_html(
            _("Still empty: {stages}. Write at least one item in every stage.").format(
                stages=", ".join(_(s) for s in empty)), "info")
            if empty else "")
        self.preview.value = self._preview_html(toc)
        if self.download.value:  # keep an offered link up to date
            self.download.value = self._download_html(toc)
        if self.chart:
            _base.show_figure(self.chart_out, toc.to_figure())

    # ------------------------------------------------------------------ saving and loading

    @staticmethod
    def _download_html(toc: impact.TheoryOfChange) -> str:
        return (_base.download_link(toc.to_json().encode("utf-8"), DOWNLOAD_NAME,
                                    style="font-weight:bold")
                + " <span>{}</span>".format(html.escape(_(
                    "(keep it with your notes; if clicking does not download it, right-click "
                    "and choose “Save link as…”)"))))

    def save(self) -> None:
        """Offer the current theory of change as a download link in ``download``."""
        if self.toc is None:
            self.message.value = _base.message_html(
                _("There is nothing to save yet: fix the problem shown above first."))
            return
        self.download.value = self._download_html(self.toc)

    def _on_save(self, button=None):
        self.save()

    def load_bytes(self, content, name: str | None = None) -> bool:
        """Read a saved file's bytes into the form; a bad file shows a message instead.

        ``name`` is the file's name as messages say it (default: "the file", translated).

        Returns:
            True if the file was loaded, False if it was not (the reason is in ``message``).
        """
        if name is None:
            name = _("the file")
        try:
            text = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError:
            self.message.value = _base.message_html(
                _("Cannot load {name}: it is not a text file. Choose the .json file that 'Save' "
                  "gave you.").format(name=repr(name)))
            return False
        try:
            toc = impact.TheoryOfChange.from_json(text)
        except (ValueError, TypeError) as err:
            self.message.value = _base.message_html(_("Cannot load {name}: {error}").format(
                name=repr(name), error=err))
            return False
        self.fill(toc)
        loaded = _base.message_html(_("Loaded {name}.").format(name=repr(name)), "info")
        self.message.value = loaded + self.message.value
        return True

    def _on_upload(self, change):
        files = change["new"]
        uploaded = _base.uploaded_files(files)
        if not uploaded:
            return
        name, content = uploaded[0]
        try:
            self.load_bytes(content, name)
        except Exception as err:  # shown in the widget, then raised so it is never swallowed
            self.message.value = _base.message_html(_("Unexpected problem: {error}").format(
                error=err))
            raise
        finally:
            if isinstance(files, tuple):
                self.upload.value = ()  # so that the same file can be chosen again

    # ------------------------------------------------------------------ preview

    @staticmethod
    def _preview_html(toc: impact.TheoryOfChange) -> str:
        heading = (_("Theory of change: {title}").format(title=toc.title) if toc.title
                   else _("Theory of change"))
        parts = [f"<h4>{html.escape(heading)}</h4>"]
        for number, stage in enumerate(_ALL, start=1):
            name = (f"{number}. {impact.stage_name(stage)}" if stage not in impact.TOC_EXTRAS
                    else impact.stage_name(stage))
            items = toc.items(stage)
            body = ("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
                    if items else "<p><i>({})</i></p>".format(html.escape(_("nothing yet"))))
            parts.append(f"<b>{html.escape(name)}</b>{body}")
        parts.append("<details><summary>{}</summary><pre>{}</pre></details>".format(
            html.escape(_("Markdown to copy into a text cell or a report")),
            html.escape(toc.to_markdown())))
        return "".join(parts)


def theory_of_change_builder(toc=None):
    """Show the theory-of-change builder (module m06).

    Args:
        toc: optional :class:`welfarelab.impact.TheoryOfChange` (or a dict made by its
            ``to_dict()``) to start from; default: the Rising You example.

    Returns:
        The ipywidgets box to display (the last line of a cell shows it). While nbgrader
        grades, a short note instead, so the builder never slows grading.

    Raises:
        TypeError / ValueError: ``toc`` is not a theory of change.
    """
    if _base.grading():
        return _base.grading_placeholder(_("theory-of-change builder"))
    return TheoryOfChangeBuilder(toc).widget
