"""Saving, downloading and loading a student's work: one helper for every editor.

The journey map, the service blueprint, the pitch builder (and the canvas editor) each save
their model as a JSON file in the notebook's folder, offer the same file as a download link
(it works on Binder too), and load a saved file, typed by name or uploaded with a button.
:class:`SavedFiles` does that once, with every message through the catalogs
(:mod:`welfarelab.i18n`), so each editor only says what it saves and how to read it back.

Typical use inside an editor::

    self.files = _saved.SavedFiles(self.message, what=N_("journey"),
                                   default_name="my-journey.json")
    self.download.value = self.files.download_html(journey.to_json().encode("utf-8"),
                                                   self.file_name.value)
    self.files.save(self.file_name.value, lambda path: self.journey.save(path))
    self.files.load_file(typed, model.Journey.load, self._loaded)
    self.files.load_upload(value, lambda content, name: model.Journey.from_json(
        content.decode("utf-8")), self._loaded)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..i18n import _, number_text
from . import _base

#: A saved file of an editor is a few kilobytes; anything much bigger is not one.
MAX_UPLOAD_BYTES = 1_000_000


def file_name(typed: str, default_name: str, what: str) -> str:
    """A plain file name in the notebook's folder, ending in ``.json``.

    Args:
        typed: what the student typed, e.g. ``"bills"`` (becomes ``"bills.json"``).
        default_name: the name offered, e.g. ``"my-journey.json"`` (shown in the messages).
        what: what is saved, an English noun marked with ``N_`` (``"journey"``), shown
            translated.

    Returns:
        The file name, e.g. ``"bills.json"``.

    Raises:
        ValueError: the name is empty, or holds a folder (``/`` or ``\\``), in the language in
            use.
    """
    name = (typed or "").strip()
    if not name:
        raise ValueError(_("The file name is empty: type one, such as '{name}'.").format(
            name=default_name))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(_("Type only a file name, such as '{name}', without a folder: the "
                           "{what} is saved in the folder of this notebook. You typed "
                           "{typed}.").format(name=default_name, what=_(what),
                                              typed=repr(name)))
    if not name.lower().endswith(".json"):
        name += ".json"
    return name


def download_link(payload: bytes, name: str, style: str = "margin-left:8px") -> str:
    """An HTML link that downloads ``payload`` (bytes) as ``name``, labelled in the language
    in use ("⬇ Download my-journey.json")."""
    return _base.download_link(payload, name, label=_("⬇ Download {name}").format(name=name),
                               style=style)


class SavedFiles:
    """Save, download and load one editor's files; problems and notes show in ``message``.

    Args:
        message: the editor's HTML widget for problems and notes.
        what: what the editor saves, an English noun marked with ``N_`` (``"journey"``,
            ``"blueprint"``, ``"pitch"``, ``"canvas"``); translated where it is shown.
        default_name: the file name offered, e.g. ``"my-journey.json"``.
        max_bytes: the biggest upload read, in bytes (default 1,000,000).
    """

    def __init__(self, message: w.HTML, what: str, default_name: str,
                 max_bytes: int = MAX_UPLOAD_BYTES):
        self.message = message
        self.what = what
        self.default_name = default_name
        self.max_bytes = max_bytes

    def _problem(self, text: str) -> None:
        self.message.value = _base.message_html(text)

    def file_name(self, typed: str) -> str:
        """:func:`file_name` for this editor (ValueError in words when the name is wrong)."""
        return file_name(typed, self.default_name, self.what)

    def safe_name(self, typed: str) -> str:
        """The typed file name, or the default one when the typed name is not allowed."""
        try:
            return self.file_name(typed)
        except ValueError:
            return self.default_name

    def download_html(self, payload: bytes, typed: str) -> str:
        """A link that downloads ``payload`` under the typed file name (or the default)."""
        return download_link(payload, self.safe_name(typed))

    def save(self, typed: str, write: Callable[[Path], Path],
             after: Callable[[], object] | None = None) -> Path | None:
        """Save with ``write(Path(name))`` in the current folder.

        Args:
            typed: the file name typed in the editor.
            write: writes the model to the path it gets and returns the path written (the
                model's ``save``); its ValueError or TypeError (a model that is not valid)
                shows in ``message``.
            after: called after a good save, before the note (e.g. the editor's update).

        Returns:
            The path written, or None (the problem shows in ``message``).
        """
        try:
            name = self.file_name(typed)
            path = write(Path(name))
        except (ValueError, TypeError) as err:
            self._problem(str(err))
            return None
        except OSError as err:
            self._problem(_("Could not write {name} in this folder: {error}. Use the download "
                            "link instead.").format(name=repr((typed or "").strip()),
                                                    error=err.strerror or err))
            return None
        if after is not None:
            after()
        self.message.value = _base.message_html(_(
            "Saved as {name} in {folder}. On Binder, also click the download link: files "
            "there disappear when the session ends.").format(
                name=name, folder=Path(path).resolve().parent), "info")
        return path

    def load_file(self, path, read: Callable[[str], object],
                  loaded: Callable[[object, str], object], empty_hint: str | None = None):
        """Load a file typed by name (in the current folder) or given as a path.

        Args:
            path: the typed name or a path.
            read: reads the file named by the text it gets and returns the model (the model's
                ``load``); its ValueError or TypeError shows in ``message``. It may also return
                None after showing a problem itself.
            loaded: ``loaded(model, file name)`` puts the model in the editor and returns what
                ``load_file`` returns.
            empty_hint: the message when no name is typed (default: type the name of a saved
                file of this editor, or upload one).

        Returns:
            What ``loaded`` returns, or None (the reason shows in ``message``).
        """
        typed = str(path).strip() if isinstance(path, (str, os.PathLike)) else ""
        if typed == "":
            self._problem(empty_hint or _(
                "Type the name of a saved {what} file, such as '{name}', or upload one with "
                "the button.").format(what=_(self.what), name=self.default_name))
            return None
        try:
            model = read(typed)
        except FileNotFoundError:
            self._problem(_("There is no file called {name} in {folder}. Check the name (upper "
                            "and lower case count), or upload the file with the button.").format(
                                name=repr(typed), folder=Path.cwd()))
            return None
        except IsADirectoryError:
            self._problem(_("{name} is a folder, not a file.").format(name=repr(typed)))
            return None
        except UnicodeDecodeError:
            self._problem(_("{name} is not a text (JSON) file.").format(name=repr(typed)))
            return None
        except OSError as err:
            self._problem(_("Cannot read {name}: {error}.").format(
                name=repr(typed), error=err.strerror or err))
            return None
        except (ValueError, TypeError) as err:
            self._problem(str(err))
            return None
        if model is None:
            return None
        return loaded(model, Path(typed).name)

    def load_upload(self, value, read: Callable[[bytes, str], object],
                    loaded: Callable[[object, str], object], too_big: str | None = None):
        """Load the last file of a ``FileUpload`` value.

        The uploaded name is reduced to its last part and the content is size-checked, then
        parsed by ``read`` only: nothing the student sent is trusted beyond that.

        Args:
            value: the FileUpload's value (ipywidgets 7 or 8).
            read: ``read(content bytes, file name)`` returns the model; its ValueError or
                TypeError shows as "Cannot load <name>: <error>". It may also return None
                after showing a problem itself.
            loaded: ``loaded(model, file name)``, as in :meth:`load_file`.
            too_big: the message for a file over ``max_bytes``, with ``{name}`` and
                ``{size}`` (default: far too big to be a file of this editor).

        Returns:
            What ``loaded`` returns, or None (nothing uploaded, or the reason in ``message``).
        """
        files = _base.uploaded_files(value)
        if not files:
            return None
        name, content = files[-1]
        name = Path(name.replace("\\", "/")).name or "upload.json"
        if len(content) > self.max_bytes:
            template = too_big or _(
                "Cannot load {name}: it is {size} bytes, far too big to be a {what} file. "
                "Upload the .json file you saved from this editor.")
            self._problem(template.format(name=repr(name), what=_(self.what),
                                          size=number_text(len(content), ",.0f")))
            return None
        try:
            model = read(content, name)
        except UnicodeDecodeError:
            self._problem(_("{name} is not a text (JSON) file.").format(name=repr(name)))
            return None
        except (ValueError, TypeError) as err:
            self._problem(_("Cannot load {name}: {error}").format(name=repr(name), error=err))
            return None
        if model is None:
            return None
        return loaded(model, name)

    def on_upload(self, upload: w.FileUpload, change: dict,
                  load: Callable[[object], object]) -> None:
        """The FileUpload observer: ``load(new value)``, then empty the upload so the same
        file can be uploaded again. An unexpected error shows in ``message`` and is raised,
        so it is never swallowed."""
        if not change["new"]:
            return
        try:
            load(change["new"])
        except Exception as err:
            self._problem(_("Unexpected problem: {error}").format(error=err))
            raise
        finally:
            upload.value = ()
