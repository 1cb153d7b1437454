"""Finding form files and turning their bytes into text (or into ALP101).

Paths
-----
Every path alplint hands on (``discover``'s, ``SourceText.path``,
``FileResult.path``) is a ``str`` as Python's ``os`` functions give it: a
file name that is not valid UTF-8 keeps its bytes as lone surrogates
(``surrogateescape``), so the same string opens, reads and rewrites the file.
Such a string cannot be encoded as UTF-8: whatever prints or stores a path
(reports, baselines, messages) shows ``display_path(path)``, where each byte
that is not UTF-8 is written ``\\xNN``.  A valid name is shown unchanged.

Reading
-------
Only regular files are read (a named pipe would wait forever, a device such
as ``/dev/zero`` never ends; a symbolic link may point at either), and never
more than ``MAX_FORM_BYTES``: ``read_limited`` opens without blocking, checks
what it opened, and reads one byte past the limit at most.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from alplint.exclusions import DEFAULT_EXCLUDE
from alplint.globs import EntryGlobs, name_matches, path_matches
from alplint.i18n import _

if TYPE_CHECKING:
    from alplint.gitignore import FolderRules, GitIgnore

FORM_SUFFIXES = (".md", ".txt")
# Forms are tens of kilobytes; anything this large is not one, and reading it whole would hurt.
MAX_FORM_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded file; ``encoding`` and ``bom`` say how to write it back byte for byte."""

    path: str
    text: str
    encoding: str
    bom: bytes

    @classmethod
    def of_text(cls, path: str, text: str) -> SourceText:
        """Text that was decoded already (a notebook's, a test's): a leading byte-order mark is dropped,
        as ``decode`` drops it from bytes, so that no later layer meets one."""
        return cls(path, text.removeprefix("\ufeff"), "utf-8", b"")


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that is not text alplint can read: reported as ALP101 at ``line``."""

    path: str
    message: str
    line: int = 1
    column: int = 1


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: str) -> SourceText | Unreadable:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is ALP101."""
    bom, encoding = b"", "utf-8"
    for candidate, name in _BOMS:
        if data.startswith(candidate):
            bom, encoding = candidate, name
            break
    body = data[len(bom) :]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        return _undecodable(path, body, error, encoding, len(bom))
    if "\x00" in text:
        position = text.index("\x00")
        line = text.count("\n", 0, position) + 1
        return Unreadable(
            path,
            _(
                "The file holds binary data (a NUL character on line {line}), not text: "
                "a form must be a text file saved as UTF-8",
                line=line,
            ),
            line,
        )
    return SourceText(path, text, encoding, bom)


def _undecodable(
    path: str, body: bytes, error: UnicodeDecodeError, encoding: str, bom_length: int
) -> Unreadable:
    position = error.start
    line = body.count(b"\n", 0, position) + 1
    line_start = body.rfind(b"\n", 0, position) + 1
    column = position - line_start + 1
    bad = body[position : position + 1].hex().upper()
    return Unreadable(
        path,
        _(
            "The file is not valid {encoding} text: byte 0x{byte} on line {line} "
            "(byte {column} of the line, offset {offset} in the file) cannot be read. "
            "It was probably saved in another encoding (such as Latin-1 or Windows-1252): "
            "save it as UTF-8",
            encoding=encoding.upper(),
            byte=bad,
            line=line,
            column=column,
            offset=position + bom_length,
        ),
        line,
        column,
    )


class NotRegularFile(OSError):
    """A path that is not a regular file: ``kind`` says what it is ("a folder", "a named pipe")."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{display_path(path)} is {kind}, not a regular file")
        self.kind = kind


class TooLarge(OSError):
    """A file or stream longer than the limit; ``size`` is its size when known (a regular file)."""

    def __init__(self, path: str, limit: int, size: int | None = None) -> None:
        super().__init__(f"{display_path(path)} is larger than {limit} bytes")
        self.limit = limit
        self.size = size


_FOLDER = _("a folder")
_KINDS = (
    (stat.S_ISDIR, _FOLDER),
    (stat.S_ISFIFO, _("a named pipe (FIFO)")),
    (stat.S_ISCHR, _("a device")),
    (stat.S_ISBLK, _("a device")),
    (stat.S_ISSOCK, _("a socket")),
)


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), _("something else"))


def _open_without_blocking(path: str, flags: int) -> int:
    # A named pipe would block open() until a writer came; with O_NONBLOCK it opens at once.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_limited(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises ``NotRegularFile`` (a folder, a pipe, a device...), ``TooLarge``,
    or the ``OSError`` of opening or reading.  A symbolic link is followed,
    and what it points at must be a regular file too.
    """
    try:
        with open(path, "rb", opener=_open_without_blocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise NotRegularFile(path, _kind(info.st_mode))
            if info.st_size > limit:
                raise TooLarge(path, limit, info.st_size)
            # Asking for the size the file has, not for the limit: a read of ``limit`` bytes would
            # allocate (and release) a buffer of ``limit`` bytes for every form.  A file that grew
            # since, or whose size the system does not know, is read on up to the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
    except IsADirectoryError:
        raise NotRegularFile(path, _FOLDER) from None
    if len(data) > limit:  # the file grew, or is one whose size the system does not know (/proc)
        raise TooLarge(path, limit)
    return data


def read_stdin(limit: int = MAX_FORM_BYTES) -> bytes:
    """Standard input's bytes, at most ``limit`` of them (``TooLarge`` beyond)."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise TooLarge("-", limit)
    return data


def _size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.0f} {unit}"
    return f"{size} bytes"


def read(path: str) -> SourceText | Unreadable:
    """A form's text, or why it cannot be read (ALP101)."""
    try:
        data = read_limited(path, MAX_FORM_BYTES)
    except NotRegularFile as error:
        if error.kind == _FOLDER:
            return _folder(path)
        return Unreadable(
            path,
            _(
                "This is {kind}, not a regular file: alplint reads only regular files "
                "(a symbolic link must point at one)",
                kind=error.kind,
            ),
        )
    except TooLarge as error:
        limit = _size(MAX_FORM_BYTES)
        if error.size is None:
            return Unreadable(path, _("The file is larger than {limit}: too large to be a form", limit=limit))
        return Unreadable(
            path,
            _(
                "The file is {size}, too large to be a form (the limit is {limit})",
                size=_size(error.size),
                limit=limit,
            ),
        )
    except OSError as error:
        if os.path.isdir(path):
            return _folder(path)
        return Unreadable(path, _("The file cannot be read: {reason}", reason=error.strerror or str(error)))
    return decode(data, path)


def _folder(path: str) -> Unreadable:
    """A folder where a file was expected: ``discover`` yields the folders it could not list."""
    try:
        with os.scandir(path):
            pass
    except OSError as error:
        return Unreadable(
            path,
            _(
                "The folder cannot be read ({reason}), so the forms in it were not checked",
                reason=error.strerror or str(error),
            ),
        )
    return Unreadable(path, _("This is a folder, not a file"))


def display_path(path: str) -> str:
    """``path`` as text that can be printed or written as UTF-8: each byte that is not UTF-8 as ``\\xNN``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


# --- finding forms ---------------------------------------------------------------------------

# A folder holding this file is a Python virtual environment, whatever its name.
VENV_MARKER = "pyvenv.cfg"


class Selection(Protocol):
    """What a folder's configuration says to take from it (``Config`` is one)."""

    @property
    def include(self) -> tuple[str, ...]: ...
    @property
    def exclude(self) -> tuple[str, ...]: ...
    @property
    def respect_gitignore(self) -> bool: ...


def excluded(path: str, selection: Selection) -> bool:
    """Whether ``exclude`` or the default exclusions name ``path`` or a folder it is in (``--force-exclude``)."""
    return any(path_matches(path, pattern) for pattern in (*DEFAULT_EXCLUDE, *selection.exclude))


def discover(
    paths: Iterable[str], selection_for: Callable[[str], Selection], *, force_exclude: bool = False
) -> Iterator[str]:
    """Files to check, in a stable order: files named explicitly, and forms found in folders.

    ``selection_for(folder)`` gives the settings that apply in a folder (its
    closest configuration).  Folders are walked recursively, following
    symbolic links (each folder is entered once, so a link back up is no
    loop), skipping hidden folders, virtual environments, ``DEFAULT_EXCLUDE``,
    what ``exclude`` names and, when ``respect_gitignore`` is on, what git
    ignores.  Only ``*.md`` and ``*.txt`` (or the ``include`` globs) are taken
    from them.  A folder that cannot be read is yielded like a file, so that
    reading it reports why (ALP101).  A file or folder named explicitly is
    always taken, unless ``force_exclude`` is set and ``exclude`` (or the
    default exclusions) names it or a folder it is in, as in ruff.
    """
    from alplint.gitignore import GitIgnore  # only a walk reads .gitignore files

    gitignore = GitIgnore()
    visited: set[tuple[int, int]] = set()
    for path in paths:
        is_dir = os.path.isdir(path)
        if force_exclude and excluded(path, selection_for(path if is_dir else os.path.dirname(path) or ".")):
            continue
        if is_dir:
            yield from _walk(path, selection_for, gitignore, visited)
        else:
            yield path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


@functools.lru_cache(maxsize=64)
def _exclusions(exclude: tuple[str, ...]) -> EntryGlobs:
    return EntryGlobs((*DEFAULT_EXCLUDE, *exclude))


def _skipped(
    entry: os.DirEntry[str], full: str, is_dir: bool, exclusions: EntryGlobs, ignored: FolderRules | None
) -> bool:
    # A hidden folder is a tool's (.git, .github, caches); a hidden file may be a form: the exporter
    # names files after titles, so a form without a title is ".md".
    if (is_dir and entry.name.startswith(".")) or exclusions.match(full, entry.name):
        return True
    if ignored is not None and ignored.matches(entry.name, is_dir):
        return True
    return is_dir and os.path.exists(os.path.join(full, VENV_MARKER))


def _wanted(name: str, include: tuple[str, ...]) -> bool:
    if include:
        return name_matches(name, include)
    return name.endswith(FORM_SUFFIXES)


def _walk(
    top: str,
    selection_for: Callable[[str], Selection],
    gitignore: GitIgnore,
    visited: set[tuple[int, int]],
) -> Iterator[str]:
    found: list[str] = []
    # Folders reached through a symbolic link wait until every real folder has been walked, so that a
    # link to a folder of the tree does not check it twice, under the link's name.
    folders: list[str] = [top]
    linked: list[str] = []
    while folders or linked:
        folder = folders.pop() if folders else linked.pop(0)
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name, reverse=True)
        except OSError:
            found.append(os.path.normpath(folder))
            continue
        selection = selection_for(folder)
        exclusions = _exclusions(selection.exclude)
        ignored = gitignore.folder(folder) if selection.respect_gitignore else None
        # The folder's files as os.path.normpath writes them, normalising the folder once, not each file.
        normal = os.path.normpath(folder)
        prefix = "" if normal == os.curdir else os.path.join(normal, "")
        for entry in entries:
            full = entry.path
            is_dir = _is_dir(entry)
            if _skipped(entry, full, is_dir, exclusions, ignored):
                continue
            if not is_dir:
                if _wanted(entry.name, selection.include):
                    found.append(prefix + entry.name)
            elif entry.is_symlink():
                linked.append(full)
            else:
                folders.append(full)
    yield from sorted(found)
