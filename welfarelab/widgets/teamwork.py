"""The teamwork notebook's widget: count the peer-feedback forms of a class.

A thin view over :mod:`welfarelab.teamwork`: paste (or upload) the CSV export of the feedback
form, and it shows per student the peers' mean, how many peers rated, the spread, the
self-rating beside it and the flags, plus the forms still missing. Input problems show as a
message inside the widget (naming the row and the column), never as a traceback.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import teamwork
from ..i18n import N_, _, _ngettext, number_text
from . import _base
from .design import _TABLE_STYLE, left_headers

#: A small made-up export (three students of one team) to show how the widget works.
EXAMPLE = """team,rater,ratee,inclusion,influence,intimacy,contribution,reliability,comment
1,Ann,Ann,5,5,5,5,5,
1,Bo,Ann,4,4,4,4,4,listens well
1,Cy,Ann,3,3,3,3,3,
1,Ann,Bo,4,4,4,4,5,
1,Cy,Bo,2,3,4,5,1,late twice
1,Bo,Bo,4,4,4,4,4,
1,Ann,Cy,3,3,3,3,3,
"""

#: The example's two comments, marked for the catalog.
_EXAMPLE_COMMENTS = (N_("listens well"), N_("late twice"))


def example() -> str:
    """:data:`EXAMPLE` in the language in use: the header in that language's column names
    (which :func:`welfarelab.teamwork.read_ratings` reads too) and the comments translated."""
    lines = EXAMPLE.split("\n")
    lines[0] = ",".join(teamwork.csv_columns())
    text = "\n".join(lines)
    for comment in _EXAMPLE_COMMENTS:
        text = text.replace("," + comment + "\n", "," + _(comment) + "\n")
    return text


#: The summary's columns the table shows (their names for people:
#: :func:`welfarelab.teamwork.summary_table`).
_SHOWN = ["team", "student", "peer_raters", "peer_mean", "peer_spread", "self_rating",
          "self_minus_peers", "sa_pa", "flags"]


class PeerFeedbackCounter:
    """Paste or upload the forms' CSV export; see the count per student.

    Attributes (for notebooks and tests):
        text: the CSV text box; upload: a file button for a .csv export.
        result: the last :func:`welfarelab.teamwork.summarise` table, or None.
        missing: the last :func:`welfarelab.teamwork.missing_ratings` list, or None.
        message, table, missing_html, download: HTML widgets; widget: the whole view.
    """

    def __init__(self, text: str | None = None):
        self.result = None
        self.missing = None
        columns = teamwork.csv_columns()
        self.text = w.Textarea(value=example() if text is None else text,
                               placeholder=",".join(columns), continuous_update=False,
                               # 100% plus the box's padding ran past the right edge
                               layout=w.Layout(width="calc(100% - 28px)", height="160px"))
        self.upload = w.FileUpload(accept=".csv", multiple=False, description=_("Upload CSV"))
        self.message = w.HTML()
        self.table = w.HTML(layout=w.Layout(max_height="360px", overflow="auto"))
        self.missing_html = w.HTML()
        self.download = w.HTML()
        intro = w.HTML(_("<b>Peer feedback: paste the form export</b> (columns: {columns}; "
                         "ratings 1-5; comma or semicolon)").format(
            columns=html.escape(", ".join(columns))))
        self.widget = w.VBox([intro, self.text, self.upload, self.message,
                              w.HTML("<b>" + _("Per student") + "</b>"), self.table,
                              self.missing_html, self.download])
        self.text.observe(self._on_change, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.update()

    def _on_change(self, change=None):
        self.update()

    def _on_upload(self, change=None):
        files = _base.uploaded_files(self.upload.value)
        if not files:
            return
        name, content = files[-1]
        try:
            self.text.value = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.message.value = _base.message_html(
                _("{name} is not a UTF-8 text file: save the export as 'CSV UTF-8' and try "
                  "again.").format(name=name))

    def update(self):
        """Count again; problems show in ``message``, other errors raise."""
        try:
            forms = teamwork.read_ratings(self.text.value if "\n" in self.text.value
                                          else self.text.value + "\n")
            summary = teamwork.summarise(forms)
            missing = teamwork.missing_ratings(forms)
        except (ValueError, TypeError) as err:
            self.result = self.missing = None
            self.message.value = _base.message_html(str(err))
            self.table.value = self.missing_html.value = self.download.value = ""
            return
        except Exception as err:
            self.result = self.missing = None
            self.message.value = _base.message_html(
                _("Unexpected problem: {error}").format(error=err))
            raise
        self.result, self.missing = summary, missing
        self.message.value = ""
        shown = teamwork.summary_table(summary[_SHOWN])
        # headers aligned left like the values (pandas puts them right, issue 17)
        self.table.value = _TABLE_STYLE + left_headers(shown.to_html(
            index=False, escape=True, border=0, na_rep="–", classes="welfarelab-table",
            float_format=lambda v: number_text(v, ".2f")))
        if missing:
            items = "".join("<li>" + _("team {team}: {rater} about {ratee}").format(
                team=html.escape(t), rater=html.escape(a), ratee=html.escape(b)) + "</li>"
                for t, a, b in missing)
            self.missing_html.value = ("<b>" + _ngettext(
                "Form still missing ({n})", "Forms still missing ({n})", len(missing)).format(
                n=len(missing)) + f"</b><ul>{items}</ul>")
        else:
            self.missing_html.value = "<b>" + _("Every member rated every member.") + "</b>"
        filename = _("peer-feedback-summary.csv")
        self.download.value = _base.download_link(
            summary.to_csv(index=False).encode("utf-8"), filename, "text/csv",
            label=_("⬇ Download {filename}").format(filename=filename))


def peer_feedback_counter(text: str | None = None):
    """Show the peer-feedback counter (teamwork notebook).

    Args:
        text: the CSV text to start with; default: a small made-up example of one team
            (:func:`example`, its header and comments in the language in use).

    Returns:
        The ipywidgets box to display; while nbgrader grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder(_("peer-feedback counter"))
    return PeerFeedbackCounter(text).widget
