"""The globs of a configuration (``exclude``, ``per-file-ignores``, ``schema-map``, ``include``): anchoring
and matching.  Every glob alplint matches is matched here.

A glob without ``/`` (``draft-*.md``, ``archive``) matches a file or folder
name anywhere.  A glob with ``/`` that does not start with ``*`` or ``/``
(``archive/2019/*.md``, ``../shared/old``) is relative to the folder of the
configuration file, wherever alplint is run from: ``anchor`` stores it as an
absolute glob, with ``.`` and ``..`` resolved.  Other globs (``*/drafts/*``)
are kept as written and matched against the path as given and its absolute
form.  ``*`` also matches ``/`` (as in ``fnmatch``).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path, PurePath

_WILDCARDS = frozenset("*?[")


class GlobError(ValueError):
    """A glob that can never match anything, with the reason."""


def anchor(pattern: str, root: Path) -> str:
    """The glob as it is matched: anchored at ``root`` when relative, with ``.`` and ``..`` resolved.

    A ``..`` that follows a wildcard (``*/../old``) cannot be resolved and
    never matches a real path: it is a ``GlobError``, as is a glob that is
    only ``..``.
    """
    posix = pattern.replace("\\", "/")
    if "/" not in posix.rstrip("/"):
        if posix.rstrip("/") in (".", ".."):
            raise GlobError(f'"{pattern}" names no file or folder: write the folder\'s name or path instead')
        return pattern
    if posix.startswith(("*", "/")) or PurePath(posix).is_absolute():
        return _resolve_dots(posix, pattern)
    return _resolve_dots(f"{root.as_posix().rstrip('/')}/{posix.removeprefix('./')}", pattern)


def _resolve_dots(glob: str, pattern: str) -> str:
    parts = glob.split("/")
    if ".." not in parts and "." not in parts:
        return glob
    for index, part in enumerate(parts):
        if part == ".." and any(_WILDCARDS & set(earlier) for earlier in parts[:index]):
            raise GlobError(
                f'"{pattern}" has ".." after a wildcard, which matches no real path: '
                "write the folder without the wildcard, or without the .."
            )
    trailing = "/" if glob.endswith("/") else ""
    return posixpath.normpath(glob) + trailing


def path_matches(path: str, pattern: str) -> bool:
    """Whether a glob of a configuration matches a path.

    A path matches when the glob matches it as given or in its absolute form,
    when the glob names a folder the path is in (``archive/2019`` or
    ``/home/lab/forms/archive``), or, for a glob without ``/``, when it
    matches the file's name or the name of any folder on the path as given.
    """
    posix = PurePath(path).as_posix()
    folder = pattern.rstrip("/") + "/"
    for candidate in (posix, Path(os.path.abspath(path)).as_posix()):
        if fnmatch.fnmatch(candidate, pattern) or candidate.startswith(folder):
            return True
    if "/" in pattern.rstrip("/"):
        return False
    return any(fnmatch.fnmatch(part, pattern.rstrip("/")) for part in PurePath(posix).parts)


def name_matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether a file's name matches one of the ``include`` globs (names only, such as ``*.md``)."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


class EntryGlobs:
    """Globs compiled for testing the files and folders met while walking a folder.

    As ``path_matches``, except that a glob without ``/`` is tested against
    the entry's own name only: the folders above it were tested when the walk
    entered them, and the folder named on the command line is not excluded by
    its name (``alplint build/`` checks ``build``, as ruff does).  Names are
    tested at once (a set of plain names, one regular expression for the
    rest), as every entry of a walk is tested.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        names = [pattern.rstrip("/") for pattern in patterns if "/" not in pattern.rstrip("/")]
        self._plain = frozenset(name for name in names if not _WILDCARDS & set(name))
        wild = [fnmatch.translate(name) for name in names if _WILDCARDS & set(name)]
        self._wild = re.compile("|".join(wild)) if wild else None
        self._paths = tuple(pattern for pattern in patterns if "/" in pattern.rstrip("/"))

    def match(self, path: str, name: str) -> bool:
        """Whether the globs name the entry ``name`` at ``path``."""
        if name in self._plain or (self._wild is not None and self._wild.match(name)):
            return True
        return any(path_matches(path, pattern) for pattern in self._paths)


__all__ = ["EntryGlobs", "GlobError", "anchor", "name_matches", "path_matches"]
