"""Make welfarelab's message catalogs with Babel's own tooling (pybabel extract/update/compile).

    .venv/bin/python tools/i18n.py extract   # welfarelab/**.py -> welfarelab/locale/welfarelab.pot
    .venv/bin/python tools/i18n.py update    # merge the .pot into every <lang>/LC_MESSAGES/*.po
    .venv/bin/python tools/i18n.py compile   # every .po -> .mo (shipped as package data)
    .venv/bin/python tools/i18n.py all       # the three in that order (after changing messages)
    .venv/bin/python tools/i18n.py init fr   # start a catalog for a new language (then translate
                                             # it, run `compile`: set_language("fr") then works)
    .venv/bin/python tools/i18n.py merge nl my.po  # extract + update, then copy the translations
                                             # of a PO fragment (msgid/msgstr pairs) into the nl
                                             # catalog and compile, holding a lock so that
                                             # several translators can merge at the same time

The commands are Babel's command-line frontend (``pybabel``, Babel's documentation "Command-Line
Interface": https://babel.pocoo.org/en/latest/cmdline.html), run with this Python so the
venv's Babel is used; the options live here so that the catalogs are made the same way every
time: the keywords are ``_``, ``N_`` (marked, translated later), ``_ngettext:1,2`` (plural) and
``_p:1c,2``/``Np_:1c,2`` (a message in a context, gettext's msgctxt),
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
KEYWORDS = ["_", "N_", "_ngettext:1,2", "_p:1c,2", "Np_:1c,2"]


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


def merge(lang: str, fragment: Path) -> tuple[int, list[str]]:
    """Copy the translations in the PO file ``fragment`` into ``lang``'s catalog.

    Under an exclusive lock (``welfarelab/locale/.merge.lock``, ``fcntl.flock``) it extracts the
    .pot, updates every catalog, sets ``msgstr`` of each message of the catalog whose ``msgid``
    (and context) has a non-empty translation in ``fragment``, writes the catalog with Babel's
    ``write_po`` and compiles. Messages of the fragment that the code no longer marks are not
    added; their ids are returned so the translator sees them.

    Returns:
        (number of messages set, msgids of the fragment that are not in the catalog).

    Raises:
        FileNotFoundError: ``fragment`` or the language's catalog does not exist.
    """
    import fcntl

    from babel.messages.pofile import read_po, write_po

    target = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not target.is_file():
        raise FileNotFoundError(f"no catalog for language {lang!r}: {target}")
    with open(fragment, "rb") as handle:
        source = read_po(handle, locale=lang)
    with open(LOCALE_DIR / ".merge.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        extract()
        update()
        with open(target, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        done, missing = 0, []
        for message in source:
            if not message.id or not message.string or (
                    isinstance(message.string, tuple) and not all(message.string)):
                continue
            entry = catalog.get(message.id, message.context)
            if entry is None:
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
                continue
            entry.string = message.string
            entry.flags.discard("fuzzy")
            done += 1
        with open(target, "wb") as handle:
            write_po(handle, catalog, width=0, ignore_obsolete=True)
        compile_catalogs()
    return done, missing


def main(argv: list[str]) -> int:
    if argv and argv[0] == "merge":
        if len(argv) != 3:
            print("usage: tools/i18n.py merge <language code> <fragment.po>")
            return 2
        done, missing = merge(argv[1], Path(argv[2]))
        print(f"{done} translations merged into {argv[1]}")
        for text in missing:
            print(f"not marked in the code (skipped): {text!r}")
        return 0
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
