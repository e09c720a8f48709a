"""Start the WELFARE lab course on Windows, macOS or Linux: ``python start.py``.

    python start.py                    open the course in JupyterLab (Ctrl+C stops it)
    python start.py --port 8890        on another port (default 8888, or the next free one)
    python start.py --taal nl          de cursus in het Nederlands: JupyterLab in het Nederlands,
                                       geopend op notebooks/nl/index.ipynb (--language nl; en
                                       switches back); Validate and the Assignments tab of
                                       nbgrader stay English (nbgrader has no translations)
    python start.py --update NEW.zip   take a newer edition (a file or an https:// address):
                                       new notebooks arrive, notebooks you changed are kept

The first start makes a private Python environment in ``.venv`` beside this file from the
exact pins in ``environment.yml`` (a few minutes, needs the internet once), installs the course
package, turns nbgrader's instructor tools off and widget-state saving on
(``tools/student_settings.py``). Later starts reuse it, and rebuild it only when
``environment.yml`` or ``pyproject.toml`` changed (after an update). Then JupyterLab opens on
``notebooks/index.ipynb``.

Needs Python 3.11 or newer (nbgrader 0.9.6 needs 3.11). This script uses the standard library
only, because it runs before anything is installed; no ``make`` and no shell are needed. On
Windows, if ``python`` is not 3.11: ``py -3.11 start.py``.

Messages. What this script prints is in the student's language: ``--taal nl`` (or the language
saved at an earlier start) makes its progress, errors, the "open this address" lines and
``--help`` (argparse's own words too) Dutch. The Dutch texts are in the course's message
catalog, ``welfarelab/locale/nl/LC_MESSAGES/welfarelab.mo`` (domain ``welfarelab``; Babel's
``tools/i18n.py`` extracts this file's ``_()``/``N_()`` messages through ``babel.cfg`` and
compiles the catalog, which the edition ships in its ``welfarelab/`` folder), read here with
the standard library's ``gettext``, which reads a compiled .mo without Babel: this script runs
before the course environment (and so Babel and welfarelab) exists. Without the catalog the
messages stay English. What stays English: the lines of pip and of JupyterLab itself.

Updates follow one rule, like nbgitpuller's "local changes are never lost" merge
(nbgitpuller.readthedocs.io, topic/automatic-merging.html): a file of the course that you never
changed is replaced by its new version; a file you changed is left as it is, and the new
version is put beside it as ``<name>.<new version><suffix>`` (for example
``m06-sroi.2026-03-01.ipynb``); a new file, or one you deleted, arrives; nothing is deleted. What the course
shipped is recorded in ``edition-manifest.json`` (SHA-256 of every file), which is how "you
changed it" is told apart from "the course changed it".
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import venv
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
MIN_PYTHON = (3, 11)
MANIFEST = "edition-manifest.json"
INDEX = "notebooks/index.ipynb"
#: The course index per language (the Dutch edition's own, issue 17).
INDEXES = {"en": INDEX, "nl": "notebooks/nl/index.ipynb"}
# The same pattern as the course repository's tools/requirements_from_env.sh: the exact
# `name==version` pins of environment.yml's pip: section (conda's own entries have no `==`).
PIN = re.compile(r"^\s*-\s*([A-Za-z0-9_.\-\[\],]+==[^\s#]+)")
# An update zip is the lecturer's, but it is opened with care all the same.
MAX_UPDATE_BYTES = 1024 ** 3
MAX_UPDATE_FILES = 20_000
# datetime.UTC is Python 3.11+; timezone.utc lets an older Python reach the version message.
UTC = timezone.utc  # noqa: UP017


# ---- the student's language ------------------------------------------------------------------

#: The gettext domain of the course's catalogs (welfarelab/locale/<lang>/LC_MESSAGES/).
DOMAIN = "welfarelab"
_messages: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the language chosen with :func:`use_language` (English by default).
    Placeholders are named (``{name}``) and filled in after translation."""
    return _messages.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog (Babel extracts it) without translating it here."""
    return message


#: argparse's own words that a student can meet with this command line (Python 3.11's
#: Lib/argparse.py, exactly as it spells them), marked so the catalog holds their translation.
#: argparse translates them with ``gettext``; :func:`use_language` hands it this catalog.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"),
    N_("unrecognized arguments: %s"), N_("ambiguous option: %(option)s could match %(matches)s"),
)


_ARGPARSE_GETTEXT = (getattr(argparse, "_", gettext.gettext),
                     getattr(argparse, "ngettext", gettext.ngettext))


def _locale_dirs(root: Path) -> list[Path]:
    """Where the catalogs may be: ``root/welfarelab/locale`` (the student edition), and in the
    course repository (this file in ``tools/student/``) the repository's ``welfarelab/locale``."""
    folders = [Path(root) / "welfarelab" / "locale"]
    if Path(root).name == "student" and Path(root).parent.name == "tools":
        folders.append(Path(root).parent.parent / "welfarelab" / "locale")
    return folders


def use_language(language: str, root: Path = HERE) -> str:
    """Speak ``language`` ("en" or "nl") from now on: this script's messages and argparse's.

    Reads ``<locale dir>/<language>/LC_MESSAGES/welfarelab.mo`` with the standard library's
    ``gettext`` (see ``_locale_dirs``). Returns the language in use: ``language``, or "en" when
    it is English or its catalog is not there (then every message stays English). Never raises.
    """
    global _messages
    found, used = None, "en"
    if language != "en":
        for folder in _locale_dirs(root):
            try:
                found = gettext.translation(DOMAIN, localedir=str(folder), languages=[language])
            except OSError:
                continue
            used = language
            break
    _messages = found or gettext.NullTranslations()
    # argparse calls its module-level gettext functions `_` and `ngettext` (``from gettext
    # import gettext as _, ngettext``) when it builds the help and the error messages; in
    # English they are argparse's own again.
    argparse._, argparse.ngettext = ((found.gettext, found.ngettext) if found
                                     else _ARGPARSE_GETTEXT)
    return used


def chosen_language(argv: list[str], root: Path = HERE) -> str:
    """The language asked for on the command line (``--taal nl``, ``--language=nl``; the last
    one counts, as in argparse), else the one saved at an earlier start, else "en". Read before
    argparse runs, so that its help and errors are in that language too."""
    asked = None
    for i, arg in enumerate(argv):
        if arg in ("--taal", "--language") and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith(("--taal=", "--language=")):
            asked = arg.split("=", 1)[1]
    if asked in INDEXES:
        return asked
    return _saved_language(root)


# ---- the environment -------------------------------------------------------------------------

def venv_python(venv_dir: Path) -> Path:
    """The interpreter of a virtual environment: ``Scripts/python.exe`` on Windows, else
    ``bin/python`` (the layout in the Python docs, library/venv.html "How venvs work")."""
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def pins(environment_yml: Path) -> list[str]:
    """The ``name==version`` pins of ``environment_yml``'s ``pip:`` section, in order.

    Raises ``ValueError`` naming the file when it holds no pin (a damaged or wrong file).
    """
    found = [m.group(1) for line in environment_yml.read_text(encoding="utf-8").splitlines()
             if (m := PIN.match(line))]
    if not found:
        raise ValueError(_("{file} lists no `name==version` pins under `pip:`").format(
            file=environment_yml))
    return found


def fingerprint(root: Path) -> str:
    """SHA-256 of what the environment is built from: environment.yml, pyproject.toml and the
    Python version, so a change in any of them rebuilds it."""
    digest = hashlib.sha256(sys.version.encode())
    for name in ("environment.yml", "pyproject.toml"):
        path = root / name
        digest.update(name.encode() + (path.read_bytes() if path.exists() else b""))
    return digest.hexdigest()


def _venv_version(venv_dir: Path) -> tuple[int, ...] | None:
    """(major, minor) of the Python a venv was made with, from its pyvenv.cfg, or None."""
    cfg = venv_dir / "pyvenv.cfg"
    if not cfg.is_file():
        return None
    for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            numbers = re.findall(r"\d+", value)
            return tuple(int(n) for n in numbers[:2]) if len(numbers) >= 2 else None
    return None


def _run(cmd, **kwargs) -> None:
    """Print and run ``cmd``; raises ``subprocess.CalledProcessError`` when it fails."""
    print("  " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def ensure_environment(root: Path = HERE) -> Path:
    """Build ``root/.venv`` once (again when its fingerprint changed); return its python."""
    venv_dir = root / ".venv"
    python = venv_python(venv_dir)
    stamp = venv_dir / "welfarelab-installed.json"
    want = fingerprint(root)
    if python.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == want:
                return python
        except ValueError:
            pass  # a damaged stamp: install again
    print(_("Setting up the course environment in .venv (first time: a few minutes) ..."),
          flush=True)
    if not (python.exists() and _venv_version(venv_dir) == sys.version_info[:2]):
        venv.EnvBuilder(with_pip=True, clear=venv_dir.exists()).create(venv_dir)
    requirements = venv_dir / "requirements.txt"
    requirements.write_text("\n".join(pins(root / "environment.yml")) + "\n", encoding="utf-8")
    _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([python, "-m", "pip", "install", "--quiet", "-r", requirements])
    # The course package itself (its dependencies are the pins above); editable, so an update
    # of welfarelab/ takes effect without a new install.
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--editable", root])
    _run([python, root / "tools" / "student_settings.py"])
    stamp.write_text(json.dumps({"fingerprint": want}), encoding="utf-8")
    return python


def set_language(python: Path, root: Path, language: str) -> None:
    """JupyterLab's display language in the course environment (``student_settings.py
    --language``: nl_NL for nl, the default for en). Raises CalledProcessError if it fails."""
    _run([python, root / "tools" / "student_settings.py", "--language", language])


def lab_command(python: Path, root: Path, port: int, open_browser: bool = True,
                language: str = "en") -> list[str]:
    """The JupyterLab command: the course folder as root, the index of ``language``'s edition
    (``INDEXES``; the English one when the Dutch index is not there) as the first page."""
    index = INDEXES.get(language, INDEX)
    if not (Path(root) / index).is_file():
        index = INDEX
    cmd = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
           f"--LabApp.default_url=/lab/tree/{index}", "--ip=127.0.0.1", f"--port={port}"]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and some VMs run as root; Jupyter refuses it
    return cmd


# ---- updates ---------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    """Hex SHA-256 of the file at ``path`` (read in 1 MB blocks). Raises ``OSError``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _safe_member(name: str) -> PurePosixPath | None:
    """The path of a zip entry below its top folder, or None if it is not a plain relative
    path (absolute, a drive, ``..``, backslashes): such an entry is refused."""
    if "\\" in name or ":" in name:
        return None
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or any(p in ("..", "") for p in parts):
        return None
    return PurePosixPath(*parts[1:]) if len(parts) > 1 else None


def unpack_edition(zip_path: Path, dest: Path) -> Path:
    """Unpack an edition zip (top folder ``student-edition/``) into ``dest``; return the folder
    that holds its ``edition-manifest.json``.

    Only regular files are written; links and unsafe names are refused. Raises ``ValueError``
    when the zip is not an edition (no manifest), is larger than MAX_UPDATE_BYTES unpacked or
    holds more than MAX_UPDATE_FILES entries, or has an unsafe entry (named).
    """
    if not zipfile.is_zipfile(zip_path):
        raise ValueError(_("{zip} is not a zip file").format(zip=zip_path))
    with zipfile.ZipFile(zip_path) as archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > MAX_UPDATE_FILES:
            raise ValueError(_("{zip}: {count} files, more than {limit}").format(
                zip=zip_path, count=len(entries), limit=MAX_UPDATE_FILES))
        if sum(e.file_size for e in entries) > MAX_UPDATE_BYTES:
            raise ValueError(_("{zip}: more than {limit} bytes unpacked").format(
                zip=zip_path, limit=MAX_UPDATE_BYTES))
        for entry in entries:
            relative = _safe_member(entry.filename)
            is_link = (entry.external_attr >> 16) & 0o170000 == 0o120000
            if relative is None or is_link:
                raise ValueError(_("{zip}: unsafe entry {entry} refused").format(
                    zip=zip_path, entry=repr(entry.filename)))
            target = dest.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    if not (dest / MANIFEST).is_file():
        raise ValueError(_("{zip} is not a course edition: it has no {manifest}").format(
            zip=zip_path, manifest=MANIFEST))
    return dest


def _read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ValueError(_("{path}: 'files' must map each path to its SHA-256").format(path=path))
    return data


def _beside(path: Path, version: str) -> Path:
    """``m06-sroi.ipynb`` -> ``m06-sroi.<version>.ipynb`` (a free name)."""
    tag = re.sub(r"[^A-Za-z0-9.-]+", "-", version).strip("-.") or "new"
    candidate = path.with_name(f"{path.stem}.{tag}{path.suffix}")
    n = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.stem}.{tag}-{n}{path.suffix}")
        n += 1
    return candidate


def _write(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file and an atomic rename, so a link
    at ``target`` is replaced, never followed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".update-")
    os.close(handle)
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _inside(root: Path, folder: Path) -> bool:
    """True if ``folder`` (which may not exist yet) stays inside ``root`` once links in its
    existing part are followed."""
    real_root = root.resolve()
    return folder.resolve() == real_root or real_root in folder.resolve().parents


def apply_update(new: Path, root: Path = HERE) -> dict[str, list[str]]:
    """Bring the edition unpacked in ``new`` into the student's folder ``root``.

    For each file of the new edition (paths from its manifest, checked to be plain relative
    paths inside ``root``): missing here -> copied ("added"); here, unchanged since the course
    shipped it (its SHA-256 equals the old manifest's) -> replaced ("updated"); here and changed
    by the student, or a link or folder -> kept, new version written beside it ("kept"; only
    when the new version differs). Nothing is deleted. The new manifest is saved last.
    Returns the relative paths per outcome ("added", "updated", "kept", "beside").
    Raises ``ValueError`` for a manifest path that is not safe.
    """
    old_files = _read_manifest(root)["files"] if (root / MANIFEST).is_file() else {}
    manifest = _read_manifest(new)
    version = str(manifest.get("version") or datetime.now(UTC).strftime("%Y-%m-%d"))
    report: dict[str, list[str]] = {"added": [], "updated": [], "kept": [], "beside": []}
    for name, new_hash in sorted(manifest["files"].items()):
        relative = _safe_member("top/" + name)
        if relative is None or str(relative) != name:
            raise ValueError(_("{manifest} of the new edition names an unsafe path: {name}")
                             .format(manifest=MANIFEST, name=repr(name)))
        source, target = new / name, root / name
        if not _inside(root, target.parent):
            report["kept"].append(name)  # a folder of the student's that is a link: not ours
            continue
        if not source.is_file() or sha256(source) != new_hash:
            raise ValueError(_("the new edition's {name} does not match its {manifest}").format(
                name=name, manifest=MANIFEST))
        if not target.exists() and not target.is_symlink():
            _write(source, target)
            report["added"].append(name)
            continue
        plain = target.is_file() and not target.is_symlink()
        here = sha256(target) if plain else None
        if here == new_hash:
            continue  # already the new version
        if plain and here == old_files.get(name):
            _write(source, target)
            report["updated"].append(name)
            continue
        report["kept"].append(name)
        if plain and old_files.get(name) == new_hash:
            continue  # the course did not change it: nothing new to put beside it
        beside = _beside(target, version)
        _write(source, beside)
        report["beside"].append(str(beside.relative_to(root).as_posix()))
    _write(new / MANIFEST, root / MANIFEST)
    return report


def update(source: str, root: Path = HERE) -> dict[str, list[str]]:
    """Fetch the edition zip at ``source`` (a file path or an https:// address), unpack it in a
    temporary folder and apply it to ``root`` (see ``apply_update``); print what changed."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if re.match(r"^https?://", source):
            if not source.startswith("https://"):
                raise ValueError(_("update address must start with https://: {source}").format(
                    source=source))
            zip_path = scratch / "edition.zip"
            with urllib.request.urlopen(source, timeout=120) as response, \
                    open(zip_path, "wb") as out:
                shutil.copyfileobj(response, out)
        else:
            zip_path = Path(source).expanduser()
            if not zip_path.is_file():
                raise ValueError(_("no such file: {path}").format(path=zip_path))
        report = apply_update(unpack_edition(zip_path, scratch / "new"), root)
    labels = {"added": N_("new"), "updated": N_("updated"), "kept": N_("yours, kept as it is"),
              "beside": N_("new version beside yours")}
    for key, label in labels.items():
        for name in report[key]:
            print(f"  {_(label)}: {name}")
    print(_("Update done: {added} new, {updated} updated, {kept} of your changed files kept.")
          .format(added=len(report["added"]), updated=len(report["updated"]),
                  kept=len(report["kept"])))
    return report


def _saved_language(root: Path) -> str:
    """The language chosen at an earlier start (``.venv/welfarelab-language``), else "en"."""
    try:
        saved = (root / ".venv" / "welfarelab-language").read_text(encoding="utf-8").strip()
    except OSError:
        return "en"
    return saved if saved in INDEXES else "en"


# ---- main ------------------------------------------------------------------------------------

def main(argv=None) -> int:
    """The command line (see the module docstring); returns the exit code: 0 done, 1 the
    set-up or the update failed (the reason is printed), 2 a Python older than 3.11.
    Every message is in the language asked for (``--taal``) or saved, see ``use_language``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    use_language(chosen_language(argv, HERE), HERE)
    try:
        return _main(argv)
    finally:
        use_language("en")  # argparse's own words again (start is imported by tests)


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python start.py",
        description=_("Open the WELFARE lab course in JupyterLab (first time: set it up)."))
    parser.add_argument("--port", type=int, default=8888,
                        help=_("JupyterLab's port (default 8888; the next free one if taken)"))
    parser.add_argument("--no-browser", action="store_true",
                        help=_("do not open a browser; open the printed address yourself"))
    parser.add_argument("--update", metavar=_("ZIP_OR_URL"),
                        help=_("take a newer edition of the course, keeping your own work"))
    parser.add_argument("--setup-only", action="store_true",
                        help=_("build the environment and stop (no JupyterLab)"))
    parser.add_argument("--taal", "--language", dest="language", choices=sorted(INDEXES),
                        default=None, help=_("nl: de Nederlandstalige cursus en JupyterLab in het "
                                             "Nederlands; en: English (the choice is kept for "
                                             "later starts)"))
    args = parser.parse_args(argv)
    if sys.version_info < MIN_PYTHON:
        print(_("This course needs Python {major}.{minor} or newer; this is {version}. Install "
                "Python 3.11 from python.org (Windows: then run `py -3.11 start.py`).").format(
                    major=MIN_PYTHON[0], minor=MIN_PYTHON[1], version=sys.version.split()[0]),
              file=sys.stderr)
        return 2
    if not 1 <= args.port <= 65535:
        parser.error(_("--port must be between 1 and 65535, not {port}").format(port=args.port))
    if args.update:
        try:
            update(args.update)
        except (ValueError, OSError) as err:
            print(_("Update stopped: {reason}").format(reason=err), file=sys.stderr)
            return 1
        return 0
    try:
        python = ensure_environment(HERE)
    except subprocess.CalledProcessError as err:
        print(_("Setting up failed (exit code {code}); check your internet connection and run "
                "`python start.py` again.").format(code=err.returncode), file=sys.stderr)
        return 1
    except (ValueError, OSError) as err:  # a damaged environment.yml, a disk that is full
        print(_("Setting up failed: {reason}").format(reason=err), file=sys.stderr)
        return 1
    language = args.language or _saved_language(HERE)
    if args.language:
        try:
            set_language(python, HERE, args.language)
        except subprocess.CalledProcessError as err:
            print(_("Setting the language failed (exit code {code}).").format(
                code=err.returncode), file=sys.stderr)
            return 1
        (HERE / ".venv" / "welfarelab-language").write_text(args.language, encoding="utf-8")
    if args.setup_only:
        return 0
    index = INDEXES[language] if (HERE / INDEXES[language]).is_file() else INDEX
    opens = (_("Open the address with ?token= printed below in your browser.")
             if args.no_browser else
             _("Your browser opens it; if not, open the address with ?token= printed below."))
    print("\n" + _("Starting JupyterLab on the course: the index is {index}.").format(index=index)
          + "\n" + opens + "\n" + _("Stop with Ctrl+C (twice).") + "\n", flush=True)
    try:
        return subprocess.call(lab_command(python, HERE, args.port, not args.no_browser,
                                           language), cwd=HERE)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
