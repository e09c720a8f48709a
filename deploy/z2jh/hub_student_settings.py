"""JupyterLab settings for students on the hub: the student edition's, with the Assignments tab.

    python hub_student_settings.py [--prefix PREFIX]

tools/student/student_settings.py (the student edition's settings) turns nbgrader's instructor
tools off, and with them the assignment list, which needs an exchange. On the hub the exchange
exists, so this keeps everything that script writes and switches back on only what a student
uses to fetch and submit: the lab plugin ``@jupyter/nbgrader:assignment-list`` and the server
extension ``nbgrader.server_extensions.assignment_list`` (plugin and extension names of nbgrader
0.9.6, nbgrader/src/index.ts and nbgrader/server_extensions/). formgrader, create assignment,
the course list and the Nbgrader menu stay off and locked. Config files in
jupyter_server_config.d load in name order, so ``zzz-`` comes after the edition's ``zz-``.
Raises ``OSError`` when a file cannot be written.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ASSIGNMENT_PLUGIN = "@jupyter/nbgrader:assignment-list"
ASSIGNMENT_EXTENSION = "nbgrader.server_extensions.assignment_list"


def _student_settings(path: Path):
    spec = importlib.util.spec_from_file_location("student_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def configure(prefix: Path, student_settings: Path) -> list[Path]:
    """Write the student edition's settings into ``prefix``, then re-enable the Assignments tab.

    Returns the files written.
    """
    settings = _student_settings(student_settings)
    written = [settings.widget_state_on(prefix)] + settings.instructor_tools_off(prefix)
    page = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    config = json.loads(page.read_text(encoding="utf-8"))
    for key in ("disabledExtensions", "lockedExtensions"):
        config.get(key, {}).pop(ASSIGNMENT_PLUGIN, None)
    page.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "zzz-welfarelab-hub.json"
    server.write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {ASSIGNMENT_EXTENSION: True}}}, indent=2) + "\n",
        encoding="utf-8")
    return written + [server]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix))
    parser.add_argument("--student-settings", type=Path,
                        default=Path(__file__).resolve().parents[2] / "tools" / "student"
                        / "student_settings.py")
    args = parser.parse_args(argv)
    for path in configure(args.prefix, args.student_settings):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
