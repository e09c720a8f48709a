"""The course's JupyterLab settings for students, written into one Python environment.

    python tools/student_settings.py [--prefix PREFIX] [--keep-instructor-tools]

Run by ``start.py`` (on a laptop) and ``postBuild`` (on Binder) with the environment's own
Python, so ``sys.prefix`` is the environment that JupyterLab runs from. Standard library only.
It writes three files under PREFIX (default: ``sys.prefix``), each merged with what is there:

1. ``etc/jupyter/labconfig/page_config.json``: nbgrader's instructor plugins (formgrader,
   create assignment, the course and assignment lists, which need a JupyterHub exchange, and
   the *Nbgrader* menu that opens them) disabled and locked, so students cannot switch them back
   on in the Extension Manager. Validate (``@jupyter/nbgrader:validate-assignment``) stays.
   Format: JupyterLab's "Enabling and Disabling Extensions" (user guide, extensions.html):
   ``disabledExtensions`` / ``lockedExtensions`` in a ``labconfig/page_config.json`` of any
   Jupyter config directory, read by jupyterlab_server's ``config.get_page_config``. The plugin
   ids are those of nbgrader 0.9.6's lab extension (``@jupyter/nbgrader:formgrader`` ...,
   ``@jupyter/nbgrader:menu``, in nbgrader/src/index.ts).
2. ``etc/jupyter/jupyter_server_config.d/zz-welfarelab-student.json``: nbgrader's instructor
   server extensions off (``ServerApp.jpserver_extensions``), so ``/formgrader`` answers 404;
   ``nbgrader.server_extensions.validate_assignment`` stays on. nbgrader's own file
   (``nbgrader.json``) switches them on; config.d files load in name order, so ``zz-`` wins.
3. ``share/jupyter/lab/settings/overrides.d/welfarelab-student.json``: the default of the
   ipywidgets setting ``saveState`` (``@jupyter-widgets/jupyterlab-manager:plugin``) set to
   true, so a saved notebook keeps its widgets' state and a reopened notebook shows its
   calculators instead of "Error displaying widget: model not found"; and JupyterLab's news
   question (``fetchNews`` of ``@jupyterlab/apputils-extension:notification``) answered "Never". Format: JupyterLab's
   "overrides.json" (user guide, directories.html), read from ``{app_settings_dir}/overrides.d``
   by jupyterlab_server's ``settings_utils._get_overrides``.

4. With ``--language nl`` (``start.py --taal nl``): the default of JupyterLab's display language,
   ``locale`` of ``@jupyterlab/translation-extension:plugin`` ("Set the interface display
   language ... Requires corresponding language pack to be installed", the setting's schema in
   JupyterLab 4's ``schemas/@jupyterlab/translation-extension/plugin.json``), set to ``nl_NL``
   (the locale of ``jupyterlab-language-pack-nl-NL``) in
   ``share/jupyter/lab/settings/overrides.d/welfarelab-language.json``; ``--language en`` sets
   it back to ``default``. A language the student picks in Settings → Language is stored in
   their user settings and still wins over this default (JupyterLab's overrides are defaults).
   What stays English: texts that no language pack translates, e.g. nbgrader's Validate button
   and its result dialog and the Assignments tab (nbgrader 0.9.6 ships no translations).

Raises ``OSError`` if a file cannot be written, ``ValueError`` if an existing file there is
not a JSON object (its path is named).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

INSTRUCTOR_PLUGINS = [f"@jupyter/nbgrader:{name}" for name in
                      ("formgrader", "create-assignment", "course-list", "assignment-list", "menu")]
INSTRUCTOR_SERVER_EXTENSIONS = [f"nbgrader.server_extensions.{name}" for name in
                                ("formgrader", "course_list", "assignment_list")]
WIDGET_SETTINGS = {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
                   # JupyterLab's "Would you like to get notified about official Jupyter news?"
                   # pop-up covered the end of the check messages in a tryout (and asks a
                   # question a student cannot judge): "Never" ("false", the setting's schema in
                   # @jupyterlab/apputils-extension/schema/notification.json). No request is made.
                   "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}


def _merge_json(path: Path, update) -> None:
    """Read ``path`` (a JSON object, or nothing), let ``update`` change the dict, write it."""
    data = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        if not isinstance(data, dict):
            raise ValueError(f"{path} must hold a JSON object, not {type(data).__name__}")
    update(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def instructor_tools_off(prefix: Path) -> list[Path]:
    """Disable nbgrader's instructor plugins and server extensions in ``prefix``.

    Returns the two files written. Validate stays on.
    """
    etc = Path(prefix) / "etc" / "jupyter"
    page = etc / "labconfig" / "page_config.json"

    def plugins_off(config):
        for key in ("disabledExtensions", "lockedExtensions"):
            config.setdefault(key, {}).update({plugin: True for plugin in INSTRUCTOR_PLUGINS})

    _merge_json(page, plugins_off)
    server = etc / "jupyter_server_config.d" / "zz-welfarelab-student.json"

    def extensions_off(config):
        config.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {}).update(
            {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS})

    _merge_json(server, extensions_off)
    return [page, server]


def widget_state_on(prefix: Path) -> Path:
    """Make "save widget state in notebooks" the default in ``prefix``; return the file."""
    path = (Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
            / "welfarelab-student.json")

    def save_state(config):
        for plugin, values in WIDGET_SETTINGS.items():
            config.setdefault(plugin, {}).update(values)

    _merge_json(path, save_state)
    return path


#: The languages the course has an edition in, and JupyterLab's locale for each ("default": the
#: server's, English). nl_NL is the locale of jupyterlab-language-pack-nl-NL.
LOCALES = {"en": "default", "nl": "nl_NL"}
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"


def language_default(prefix: Path, language: str) -> Path:
    """Make ``language`` ("en" or "nl") JupyterLab's default display language in ``prefix``;
    return the file written. Raises ValueError for another language (naming the known ones)."""
    if language not in LOCALES:
        raise ValueError(f"language must be one of {', '.join(sorted(LOCALES))}, not {language!r}")
    path = (Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
            / "welfarelab-language.json")

    def set_locale(config):
        config.setdefault(TRANSLATION_PLUGIN, {})["locale"] = LOCALES[language]

    _merge_json(path, set_locale)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix),
                        help="the Python environment to configure (default: this Python's)")
    parser.add_argument("--keep-instructor-tools", action="store_true",
                        help="only turn widget-state saving on (the lecturer's environment)")
    parser.add_argument("--language", choices=sorted(LOCALES), default=None,
                        help="JupyterLab's display language (nl needs the Dutch language pack)")
    args = parser.parse_args(argv)
    written = [widget_state_on(args.prefix)]
    if args.language:
        written.append(language_default(args.prefix, args.language))
    if not args.keep_instructor_tools:
        written += instructor_tools_off(args.prefix)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
