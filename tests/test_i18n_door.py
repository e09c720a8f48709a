"""The Dutch student's door (issue 17): ``start.py --taal nl`` speaks Dutch, the edition's README
has a Dutch twin, and a failed check shows its sentence first, then the check cell, in the
notebook's language (in the notebook and in nbgrader's Validate).

start.py is run as a student runs it, in a folder laid out like the edition (start.py beside
``welfarelab/locale``), with flags that stop before the environment is built or JupyterLab
starts (``--help``, a bad ``--port``, ``--update`` of a missing file); the start message itself
is read from ``main()`` with the environment and JupyterLab replaced by stand-ins.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

sys.path.insert(0, str(REPO / "tools" / "student"))
import start as launcher

START = REPO / "tools" / "student" / "start.py"
KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


@pytest.fixture
def folder(tmp_path):
    """A student's course folder: start.py and the course's compiled catalogs, nothing else."""
    shutil.copy(START, tmp_path / "start.py")
    shutil.copytree(REPO / "welfarelab" / "locale", tmp_path / "welfarelab" / "locale",
                    ignore=shutil.ignore_patterns("*.po", "*.pot", ".merge.lock"))
    return tmp_path


def run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "start.py", *args], cwd=folder, capture_output=True,
                          text=True, check=False, timeout=60)


# --- start.py ---------------------------------------------------------------------------------

def test_help_is_dutch_with_taal_nl_and_english_without(folder):
    dutch = run(folder, "--taal", "nl", "--help")
    assert dutch.returncode == 0, dutch.stderr
    assert dutch.stdout.startswith("gebruik: python start.py [-h]")
    for text in ["opties:", "toon deze hulp en stop", "de poort van JupyterLab (standaard 8888",
                 "--update ZIP_OF_ADRES", "Open de cursus WELFARE lab in JupyterLab",
                 "je keuze blijft bewaard"]:
        assert text in " ".join(dutch.stdout.split()), text
    assert "usage" not in dutch.stdout and "show this help" not in dutch.stdout
    english = run(folder, "--help")
    assert english.stdout.startswith("usage: python start.py [-h]")
    assert "show this help message and exit" in english.stdout
    assert "Open the WELFARE lab course in JupyterLab (first time: set it up)." in english.stdout


def test_errors_are_dutch_and_the_exit_codes_unchanged(folder):
    port = run(folder, "--taal=nl", "--port", "0")
    assert port.returncode == 2
    assert port.stderr.splitlines()[-1] == \
        "python start.py: fout: --port moet tussen 1 en 65535 liggen, niet 0"
    typed = run(folder, "--taal", "nl", "--port", "acht")
    assert typed.stderr.splitlines()[-1] == ("python start.py: fout: optie --port: ongeldige "
                                             "waarde 'acht' (verwacht: een getal, int)")
    missing = run(folder, "--taal", "nl", "--update", "nieuw.zip")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Bijwerken gestopt: dit bestand bestaat niet: nieuw.zip"
    english = run(folder, "--update", "nieuw.zip")
    assert english.stderr.strip() == "Update stopped: no such file: nieuw.zip"


def test_the_saved_language_is_used_when_no_taal_is_given(folder):
    (folder / ".venv").mkdir()
    (folder / ".venv" / "welfarelab-language").write_text("nl", encoding="utf-8")
    done = run(folder, "--update", "nieuw.zip")
    assert done.stderr.strip() == "Bijwerken gestopt: dit bestand bestaat niet: nieuw.zip"
    back = run(folder, "--taal", "en", "--update", "nieuw.zip")  # asked beats saved
    assert back.stderr.strip() == "Update stopped: no such file: nieuw.zip"


def test_without_the_catalog_start_py_stays_english(tmp_path):
    shutil.copy(START, tmp_path / "start.py")
    done = run(tmp_path, "--taal", "nl", "--update", "nieuw.zip")
    assert done.stderr.strip() == "Update stopped: no such file: nieuw.zip"


def _older_python() -> str | None:
    """A Python 3.8-3.10 on this machine (pyenv's versions or /usr/bin), or None."""
    for pattern in ("~/.pyenv/versions/3.10*/bin/python", "~/.pyenv/versions/3.9*/bin/python",
                    "~/.pyenv/versions/3.8*/bin/python", "/usr/bin/python3.10"):
        folder = Path(pattern).expanduser()
        found = sorted(Path(folder.anchor).glob(str(folder.relative_to(folder.anchor))))
        if found:
            return str(found[-1])
    return None


def test_an_older_python_gets_the_version_message_in_dutch(folder):
    """Python 3.10 used to stop at ``from datetime import UTC`` with an ImportError before
    start.py could say which Python it needs."""
    older = _older_python()
    if older is None:
        pytest.skip("no Python 3.8-3.10 on this machine")
    done = subprocess.run([older, "start.py", "--taal", "nl"], cwd=folder, capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("Deze cursus heeft Python 3.11 of nieuwer nodig; dit is 3.")
    assert "Installeer Python 3.11 van python.org" in done.stderr


def test_the_start_message_is_dutch(folder, monkeypatch, capsys):
    """main() up to JupyterLab, with the environment and JupyterLab replaced by stand-ins."""
    calls = []
    monkeypatch.setattr(launcher, "HERE", folder)
    monkeypatch.setattr(launcher, "ensure_environment", lambda root: Path("python"))
    monkeypatch.setattr(launcher, "set_language", lambda *args: calls.append(args))
    monkeypatch.setattr(launcher.subprocess, "call", lambda cmd, cwd: calls.append(cmd) or 0)
    (folder / ".venv").mkdir()
    (folder / "notebooks" / "nl").mkdir(parents=True)
    (folder / "notebooks" / "nl" / "index.ipynb").write_text("{}", encoding="utf-8")
    assert launcher.main(["--taal", "nl", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert out == ("\nJupyterLab start met de cursus: de startpagina is notebooks/nl/index.ipynb."
                   "\nOpen in je browser het adres met ?token= dat hieronder verschijnt "
                   "(JupyterLab schrijft zijn eigen meldingen in het Engels).\n"
                   "Stoppen: Ctrl+C (twee keer).\n\n")
    assert "--LabApp.default_url=/lab/tree/notebooks/nl/index.ipynb" in calls[-1]
    # English again afterwards, for this script and for argparse
    assert launcher._("Update stopped: {reason}") == "Update stopped: {reason}"
    import argparse
    assert argparse._("usage: ") == "usage: "
    assert launcher.main(["--taal", "en", "--no-browser"]) == 0
    assert capsys.readouterr().out == (
        "\nStarting JupyterLab on the course: the index is notebooks/index.ipynb.\n"
        "Open the address with ?token= printed below in your browser.\n"
        "Stop with Ctrl+C (twice).\n\n")


# --- the README pair --------------------------------------------------------------------------

def test_the_readme_and_leesmij_link_each_other_at_the_top():
    readme = (REPO / "tools/student/README.md").read_text(encoding="utf-8").splitlines()
    leesmij = (REPO / "tools/student/LEESMIJ.md").read_text(encoding="utf-8").splitlines()
    assert readme[2] == "*Nederlands: lees [LEESMIJ.md](LEESMIJ.md), de handleiding in het " \
        "Nederlands.*"
    assert leesmij[2] == "*English: read [README.md](README.md).*"
    text = "\n".join(leesmij)
    for heading in ["## Python 3.11 installeren (één keer)", "## Starten", "## Van taal wisselen",
                    "## Opdrachten maken en indienen",
                    "## Een nieuwe versie van de cursus, zonder je werk te verliezen"]:
        assert heading in text, heading
    assert "(controlecel: Controles voor deel 1)" in text  # what a failed check shows


# --- the short traceback of a failed check ------------------------------------------------------

def _notebook(language: str, header: str, stub_error: str):
    setup = "import welfarelab\n" + (f"welfarelab.set_language({language!r})\n")

    def meta(grade_id, *, solution=False, grade=False, points=None):
        md = {"grade": grade, "grade_id": grade_id, "locked": not solution,
              "schema_version": 3, "solution": solution, "task": False}
        if points is not None:
            md["points"] = points
        return {"nbgrader": md}

    return new_notebook(cells=[
        new_code_cell(setup, metadata=meta("setup")),
        new_code_cell("share_paid = 25", metadata=meta("p1-answer", solution=True)),
        new_code_cell(f"# {header}\nfrom welfarelab.checks import answered, number\n"
                      "answered('Part 1', 'share_paid')\n"
                      "number('share_paid', share_paid, share=True)\nprint('ok')",
                      metadata=meta("p1", grade=True, points=1)),
        new_code_cell(stub_error, metadata=meta("p2-answer", solution=True)),
        new_code_cell("from welfarelab.checks import answered\nanswered('Part 2', 'total')",
                      metadata=meta("p2", grade=True, points=1)),
    ], metadata=KERNEL)


CASES = {
    "en": ("Checks for part 1",
           ["share_paid looks like a percentage: write it as a share, a number from 0 to",
            "1 (35 % is 0.35).", "(check cell: Checks for part 1)"],
           "(check cell: the cell above this message)"),
    "nl": ("Controles voor deel 1",
           ["share_paid lijkt een percentage: schrijf het als aandeel, een getal van 0",
            "tot 1 (35 % is in Python 0.35).", "(controlecel: Controles voor deel 1)"],
           "(controlecel: de cel boven deze melding)"),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_a_failed_check_shows_the_sentence_then_the_check_cell(language, tmp_path):
    header, lines, no_header = CASES[language]
    nb = _notebook(language, header, "raise NotImplementedError")
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    (error,) = [o for o in nb.cells[2].outputs if o.output_type == "error"]
    assert error.ename == "CheckFailed"
    assert error.traceback == lines
    (error,) = [o for o in nb.cells[4].outputs if o.output_type == "error"]
    assert error.traceback[-1] == no_header  # a check cell without a comment line


@pytest.mark.parametrize("language", sorted(CASES))
def test_validate_starts_with_the_sentence_and_ends_with_the_check_cell(language, tmp_path):
    from nbgrader.validator import Validator

    header, lines, _no_header = CASES[language]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(_notebook(language, header, "total = 3"), str(path))
    result = Validator().validate(str(path))
    assert list(result) == ["failed"], result
    (failed,) = result["failed"]  # Part 2 passes
    assert failed["source"].startswith(f"# {header}\n")
    assert failed["raw_error"].splitlines() == lines
