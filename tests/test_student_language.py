"""The student edition's language choice (issue 17): `python start.py --taal nl` makes Dutch
JupyterLab's default display language (locale nl_NL of jupyterlab-language-pack-nl-NL) and opens
the Dutch course index; `--language en` switches back."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools" / "student"))
import start as launcher
import student_settings

OVERRIDE = Path("share/jupyter/lab/settings/overrides.d/welfarelab-language.json")


def _locale(prefix: Path) -> str:
    data = json.loads((prefix / OVERRIDE).read_text(encoding="utf-8"))
    return data["@jupyterlab/translation-extension:plugin"]["locale"]


def test_language_setting_writes_the_locale_and_switches_back(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "tools/student/student_settings.py"),
                           "--prefix", str(tmp_path), "--language", "nl"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _locale(tmp_path) == "nl_NL"
    # the other settings are still written beside it
    widgets = tmp_path / "share/jupyter/lab/settings/overrides.d/welfarelab-student.json"
    assert json.loads(widgets.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"] == \
        {"saveState": True}
    student_settings.language_default(tmp_path, "en")
    assert _locale(tmp_path) == "default"
    with pytest.raises(ValueError, match="language must be one of en, nl"):
        student_settings.language_default(tmp_path, "fr")


def test_the_locale_is_a_setting_of_the_pinned_jupyterlab():
    """JupyterLab's own schema for the plugin has the ``locale`` property we set."""
    import jupyterlab

    schemas = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/translation-extension"
    schema = json.loads((schemas / "plugin.json").read_text(encoding="utf-8"))
    assert schema["properties"]["locale"]["type"] == "string", jupyterlab.__version__


def test_dutch_start_opens_the_dutch_index(tmp_path):
    (tmp_path / "notebooks" / "nl").mkdir(parents=True)
    cmd = launcher.lab_command(Path("py"), tmp_path, 8890, open_browser=False, language="nl")
    # no Dutch index in this folder yet: the English one opens
    assert "--LabApp.default_url=/lab/tree/notebooks/index.ipynb" in cmd
    (tmp_path / "notebooks" / "nl" / "index.ipynb").write_text("{}")
    cmd = launcher.lab_command(Path("py"), tmp_path, 8890, open_browser=False, language="nl")
    assert "--LabApp.default_url=/lab/tree/notebooks/nl/index.ipynb" in cmd
    assert (REPO / launcher.INDEXES["nl"]).is_file()  # the course ships it
    helped = subprocess.run([sys.executable, str(REPO / "tools/student/start.py"), "--help"],
                            capture_output=True, text=True, check=False)
    assert "--taal" in helped.stdout and "--language" in helped.stdout
    bad = subprocess.run([sys.executable, str(REPO / "tools/student/start.py"), "--taal", "de"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
