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
from . import _base

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

    def __init__(self, text: str = EXAMPLE):
        self.result = None
        self.missing = None
        self.text = w.Textarea(value=text, placeholder=",".join(teamwork.CSV_COLUMNS),
                               continuous_update=False,
                               layout=w.Layout(width="100%", height="160px"))
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Upload CSV")
        self.message = w.HTML()
        self.table = w.HTML(layout=w.Layout(max_height="360px", overflow="auto"))
        self.missing_html = w.HTML()
        self.download = w.HTML()
        intro = w.HTML("<b>Peer feedback: paste the form export</b> (columns: "
                       + html.escape(", ".join(teamwork.CSV_COLUMNS))
                       + "; ratings 1-5; comma or semicolon)")
        self.widget = w.VBox([intro, self.text, self.upload, self.message,
                              w.HTML("<b>Per student</b>"), self.table, self.missing_html,
                              self.download])
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
                f"{name} is not a UTF-8 text file: save the export as 'CSV UTF-8' and try again.")

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
            self.message.value = _base.message_html(f"Unexpected problem: {err}")
            raise
        self.result, self.missing = summary, missing
        self.message.value = ""
        self.table.value = summary[_SHOWN].to_html(index=False, escape=True, border=0,
                                                   na_rep="–", float_format=lambda v: f"{v:.2f}")
        if missing:
            items = "".join(f"<li>team {html.escape(t)}: {html.escape(a)} about {html.escape(b)}"
                            "</li>" for t, a, b in missing)
            self.missing_html.value = (f"<b>Forms still missing ({len(missing)})</b>"
                                       f"<ul>{items}</ul>")
        else:
            self.missing_html.value = "<b>Every member rated every member.</b>"
        self.download.value = _base.download_link(summary.to_csv(index=False).encode("utf-8"),
                                                  "peer-feedback-summary.csv", "text/csv")


def peer_feedback_counter(text: str = EXAMPLE):
    """Show the peer-feedback counter (teamwork notebook).

    Args:
        text: the CSV text to start with; default: a small made-up example of one team.

    Returns:
        The ipywidgets box to display; while nbgrader grades, a short note instead.
    """
    if _base.grading():
        return _base.grading_placeholder("peer-feedback counter")
    return PeerFeedbackCounter(text).widget
