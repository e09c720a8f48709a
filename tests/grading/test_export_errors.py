"""A class list that cannot be read stops the export with its own plain message, not with
nbgrader's traceback (a lecturer tryout with a Dutch-language Moodle worksheet read
"Stopped: nbgrader export failed:" and a cut-off traceback, with no way to fix it)."""

import pytest

from welfaregrading.export import _export_failed
from welfaregrading.roster import RosterError, read_roster_file

TRACEBACK = """[ExportApp | ERROR] An error occurred
Traceback (most recent call last):
  File ".venv/lib/python3.11/site-packages/nbgrader/apps/nbgraderapp.py", line 330, in start
    super().start()
  File "welfaregrading/roster.py", line 184, in read_roster
    raise RosterError(
welfaregrading.roster.RosterError: gradebook export cijfers.csv: its header (Identificatie, Volledige naam...) is not a Canvas gradebook export, a Moodle grading worksheet or a Blackboard Grade Centre download. Download it again
"""


def test_a_roster_error_inside_nbgrader_comes_back_as_its_message():
    err = _export_failed(TRACEBACK)
    assert isinstance(err, RosterError)
    assert str(err).startswith("gradebook export cijfers.csv: its header (Identificatie")
    assert "Traceback" not in str(err)


def test_another_failure_keeps_nbgrader_s_output():
    err = _export_failed("Traceback ...\nsqlite3.OperationalError: database is locked\n")
    assert not isinstance(err, RosterError)
    assert str(err).startswith("nbgrader export failed:\nTraceback")


def test_a_worksheet_in_another_language_says_how_to_fix_it(tmp_path):
    sheet = tmp_path / "cijfers.csv"
    sheet.write_text("Identificatie,Volledige naam,E-mailadres,Status,Cijfer\n"
                     "Deelnemer 1,An Janssens,an@example.be,Ingediend,\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"language set to English"):
        read_roster_file(sheet)
