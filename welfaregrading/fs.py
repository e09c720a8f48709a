"""Safe file handling for folders a student's code could have touched.

A grading kernel may plant symbolic links, named pipes (FIFOs), hard links or huge file trees in
the folder it works in. Everything here looks at such a folder with ``os.lstat`` (links are never
followed, a FIFO is never opened) and copies, reads or removes it without ever going through a
link:

- :func:`scan_tree`: the first reason a folder is unsafe (a link, a FIFO, a socket, a device, a
  hard link, too many files or bytes), or None;
- :func:`copy_tree`: ``shutil.copytree`` after :func:`scan_tree`, with links kept as links (and
  then refused) and every file opened with ``O_NOFOLLOW``;
- :func:`read_limited`: a file's bytes, refused if it is not an ordinary file or too big;
- :func:`remove`: a file, link or folder removed without following a link;
- :func:`json_depth`: how deeply a JSON text nests, without parsing it (no RecursionError).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from itertools import accumulate
from pathlib import Path


class UnsafeTree(Exception):
    """A folder holds something the grader must not follow, open or copy; ``str(err)`` says
    what, in words for a lecturer."""


def _kind(mode: int) -> str | None:
    """What an unsafe file is, in words (None for an ordinary file or folder)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "a special file"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def scan_tree(folder: Path, max_files: int = 0, max_bytes: int = 0,
              hard_links: bool = False) -> str | None:
    """The first reason ``folder`` is unsafe to copy, read or grade, or None.

    Unsafe: the folder itself or anything in it is a symbolic link, a named pipe, a socket or a
    device; a file has more than one hard link (unless ``hard_links``, for the lecturer's own
    folders); the folder holds more than ``max_files``
    files and folders or more than ``max_bytes`` bytes (0: no limit). Only ``os.lstat`` and
    ``os.scandir`` are used, so nothing is followed or opened, and the walk stops at the
    limit (a tree of a million files is not walked whole).
    """
    folder = Path(folder)
    try:
        top = os.lstat(folder)
    except FileNotFoundError:
        return f"the folder {folder.name} does not exist"
    if not stat.S_ISDIR(top.st_mode):
        return (f"{folder.name} is {_kind(top.st_mode) or 'a file'}, not a folder; a "
                "submission may hold only ordinary files and folders")
    count = size = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            names = []
            with os.scandir(current) as entries:
                for entry in entries:  # a folder of a million files is not listed whole
                    names.append(entry.name)
                    if max_files and count + len(names) > max_files:
                        break
        except OSError as err:
            return f"the folder {current.relative_to(folder)} cannot be read ({err.strerror})"
        for name in sorted(names):
            path = current / name
            rel = path.relative_to(folder).as_posix()
            try:
                st = os.lstat(path)
            except OSError as err:
                return f"{rel} cannot be examined ({err.strerror})"
            kind = _kind(st.st_mode)
            if kind == "a symbolic link":
                try:
                    target = os.readlink(path)
                except OSError:
                    target = "?"
                return (f"{rel} is a symbolic link (to {target}); the grader never follows "
                        "links: a submission may hold only ordinary files and folders")
            if kind:
                return (f"{rel} is {kind}; a submission may hold only ordinary files and "
                        "folders")
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1 and not hard_links:
                return (f"{rel} is a hard link (the same file is stored under {st.st_nlink} "
                        "names); a submission may hold only ordinary files and folders")
            count += 1
            if max_files and count > max_files:
                return (f"it holds more than {max_files} files and folders (the limit, "
                        "c.SubmissionLimits.max_files)")
            if stat.S_ISDIR(st.st_mode):
                stack.append(path)
            else:
                size += st.st_size
                if max_bytes and size > max_bytes:
                    return (f"its files hold more than {_megabytes(max_bytes)} (the limit, "
                            "c.SubmissionLimits.max_bytes)")
    return None


def check_tree(folder: Path, max_files: int = 0, max_bytes: int = 0, what: str = "") -> None:
    """Raise :class:`UnsafeTree` with the reason if :func:`scan_tree` finds one."""
    problem = scan_tree(folder, max_files, max_bytes)
    if problem:
        raise UnsafeTree(f"{what}: {problem}" if what else problem)


def open_regular(path: Path) -> int:
    """A read-only file descriptor of ``path`` if it is an ordinary file, never following a
    link or blocking on a named pipe; raises :class:`UnsafeTree` otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if os.path.islink(path):
            raise UnsafeTree(f"{Path(path).name} is a symbolic link; the grader never follows "
                             "links") from None
        raise UnsafeTree(f"{Path(path).name} cannot be opened ({err.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise UnsafeTree(f"{Path(path).name} is {_kind(st.st_mode) or 'not an ordinary file'}")
    if st.st_nlink > 1:
        os.close(fd)
        raise UnsafeTree(f"{Path(path).name} is a hard link (stored under {st.st_nlink} names)")
    os.set_blocking(fd, True)
    return fd


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of the ordinary file ``path``; :class:`UnsafeTree` if it is a link, a pipe,
    a device or bigger than ``max_bytes`` (0: no limit)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if max_bytes and size > max_bytes:
            raise UnsafeTree(f"{Path(path).name} is {_megabytes(size)}, over the limit of "
                             f"{_megabytes(max_bytes)}")
        data = fh.read(max_bytes + 1) if max_bytes else fh.read()
    if max_bytes and len(data) > max_bytes:
        raise UnsafeTree(f"{Path(path).name} is over the limit of {_megabytes(max_bytes)}")
    return data


def _copy_regular(src: str, dst: str, *, follow_symlinks: bool = True) -> str:
    """``copy_function`` for :func:`shutil.copytree`: copy an ordinary file's bytes and mode
    bits, opening the source with ``O_NOFOLLOW`` and creating the target (it must not exist)."""
    fd = open_regular(Path(src))
    with os.fdopen(fd, "rb") as fin:
        mode = stat.S_IMODE(os.fstat(fin.fileno()).st_mode) | stat.S_IWUSR | stat.S_IRUSR
        out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                      | getattr(os, "O_CLOEXEC", 0), mode & 0o777)
        with os.fdopen(out, "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dst


def copy_tree(src: Path, dst: Path, max_files: int = 0, max_bytes: int = 0) -> Path:
    """Copy the folder ``src`` to ``dst`` (which must not exist) without following any link.

    ``src`` is checked with :func:`scan_tree` first (:class:`UnsafeTree` if anything in it is
    a link, a pipe, a hard link or over the limits); the copy is ``shutil.copytree`` with
    ``symlinks=True`` and a copy function that opens each file with ``O_NOFOLLOW``, and the
    result is checked again (a partial copy is removed before raising).
    """
    src, dst = Path(src), Path(dst)
    check_tree(src, max_files, max_bytes)
    try:
        shutil.copytree(src, dst, symlinks=True, copy_function=_copy_regular)
        check_tree(dst, max_files, max_bytes)
    except BaseException:
        remove(dst)
        raise
    return dst


def copy_own_folder(src: Path, dst: Path, ignore=None) -> Path:
    """Copy one of the lecturer's folders (``source/<id>``, ``data/``, a release) to ``dst``
    with ``shutil.copytree(symlinks=True)``: a link is never followed, and if there is one
    (or a named pipe, a device) the copy is removed and :class:`UnsafeTree` says where."""
    src, dst = Path(src), Path(dst)
    problem = scan_tree(src, hard_links=True)
    if problem:
        raise UnsafeTree(f"{src}: {problem} (the grading tools copy only ordinary files: put "
                         "the file itself there)")
    shutil.copytree(src, dst, symlinks=True, ignore=ignore, dirs_exist_ok=True)
    return dst


def remove(path: Path) -> None:
    """Remove a file, link or folder at ``path`` (nothing if there is none), never following a
    link: a link is removed itself, a folder with ``shutil.rmtree``, which does not follow
    the links inside it."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply ``text`` (JSON) nests arrays and objects, counted without parsing it, so a
    "nesting bomb" of 100 000 levels is measured instead of raising RecursionError."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(1 if ch in "[{" else -1 for ch in brackets), default=0)
