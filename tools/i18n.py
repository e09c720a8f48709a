"""Make welfarelab's message catalogs with Babel's own tooling (pybabel extract/update/compile).

    .venv/bin/python tools/i18n.py extract   # welfarelab/**.py -> welfarelab/locale/welfarelab.pot
    .venv/bin/python tools/i18n.py update    # merge the .pot into every <lang>/LC_MESSAGES/*.po
    .venv/bin/python tools/i18n.py compile   # every .po -> .mo (shipped as package data)
    .venv/bin/python tools/i18n.py all       # the three in that order (after changing messages)
    .venv/bin/python tools/i18n.py init fr   # start a catalog for a new language (then translate
                                             # it, run `compile`: set_language("fr") then works)

The commands are Babel's command-line frontend (``pybabel``, Babel's documentation "Command-Line
Interface": https://babel.pocoo.org/en/latest/cmdline.html), run with this Python so the
venv's Babel is used; the options live here so that the catalogs are made the same way every
time: the keywords are ``_``, ``N_`` (marked, translated later) and ``_ngettext:1,2`` (plural),
the files to read are named in ``babel.cfg``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "welfarelab" / "locale"
DOMAIN = "welfarelab"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = ["_", "N_", "_ngettext:1,2"]


def pybabel(*args: str) -> None:
    """Run ``pybabel <args>`` with this interpreter's Babel in the repository root.

    Raises:
        subprocess.CalledProcessError: pybabel failed (its message is on stderr).
    """
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                   check=True)


def extract(output: Path = POT) -> Path:
    """Extract every marked message of welfarelab into ``output`` (a .pot), sorted by file."""
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    pybabel("extract", "-F", "babel.cfg", "--no-default-keywords", *keywords,
            "--project", "welfarelab", "--sort-by-file", "--no-wrap", "-o", str(output), ".")
    return output


def languages() -> list[str]:
    """The languages with a catalog (``welfarelab/locale/<lang>/LC_MESSAGES/welfarelab.po``)."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update() -> None:
    """Merge the .pot into every language's .po (new messages empty, old ones kept)."""
    for lang in languages():
        pybabel("update", "-D", DOMAIN, "-i", str(POT), "-d", str(LOCALE_DIR), "-l", lang,
                "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching")


def compile_catalogs() -> None:
    """Compile every .po into the .mo that welfarelab.i18n loads."""
    pybabel("compile", "-D", DOMAIN, "-d", str(LOCALE_DIR), "--statistics")


def init(lang: str) -> None:
    """Start the catalog of a new language ``lang`` from the .pot."""
    pybabel("init", "-D", DOMAIN, "-i", str(POT), "-d", str(LOCALE_DIR), "-l", lang,
            "--no-wrap")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"extract", "update", "compile", "all", "init"}:
        print(__doc__)
        return 2
    command = argv[0]
    if command == "init":
        if len(argv) != 2:
            print("usage: tools/i18n.py init <language code>")
            return 2
        init(argv[1])
        return 0
    if command in ("extract", "all"):
        extract()
    if command in ("update", "all"):
        update()
    if command in ("compile", "all"):
        compile_catalogs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
