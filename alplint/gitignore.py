"""Which files git ignores: the rules of ``.gitignore`` files, as git applies them.

Inside a git work tree (a folder with a ``.git`` file or folder, and what is
below it), the patterns of ``.git/info/exclude`` and of every ``.gitignore``
from the top of the work tree down to a file's folder apply to it, the
deepest file and the last line winning.  As in git:

- blank lines and lines starting with ``#`` are skipped; trailing spaces are
  dropped unless escaped with ``\\``; a ``\\r`` before the line end is dropped;
- ``!`` re-includes what an earlier pattern excluded, but never a file whose
  folder is excluded (git does not look inside it);
- a pattern ending with ``/`` matches folders only;
- a pattern without ``/`` (ignoring a trailing one) matches a name at any
  depth; any other is relative to the folder of its ``.gitignore`` (a
  leading ``/`` only anchors it);
- ``*``, ``?`` and ``[...]`` (with ``!`` or ``^``, ranges and ``[:alpha:]``
  classes) never match ``/``; ``**/`` matches any number of folders, ``/**``
  everything inside; ``\\`` escapes the next character.

Outside a work tree, ``.gitignore`` files mean nothing to git and are not
read.  The user's global excludes file (``core.excludesFile``) is not read:
it is one person's, not the repository's.  Nested work trees (submodules)
start afresh.  ``tests/test_gitignore.py`` checks all this against git.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# A .gitignore larger than this is read only this far: it is a mistake, not a list of patterns.
MAX_IGNORE_BYTES = 1024 * 1024

_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "\\x21-\\x7e",
    "lower": "a-z",
    "print": "\\x20-\\x7e",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class _Unmatchable(Exception):
    """A pattern git reads but that can never match (an unclosed ``[``, a trailing ``\\``)."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One line of a ``.gitignore``, compiled."""

    regex: re.Pattern[str] | None  # None: the pattern can never match
    negated: bool
    directory_only: bool
    # Matched against the name alone (the pattern has no "/"), else against the path below ``base``.
    name_only: bool
    # The folder of the .gitignore, relative to the top of the work tree ("" at the top).
    base: str

    def matches(self, relative: str, name: str, is_dir: bool) -> bool:
        if self.regex is None or (self.directory_only and not is_dir):
            return False
        if self.name_only:
            return self.regex.fullmatch(name) is not None
        below = relative[len(self.base) + 1 :] if self.base else relative
        return self.regex.fullmatch(below) is not None


def _trim_trailing_spaces(line: str) -> str:
    last_space = None
    index = 0
    while index < len(line):
        char = line[index]
        if char == " ":
            if last_space is None:
                last_space = index
        elif char == "\\":
            index += 1
            if index >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        index += 1
    return line if last_space is None else line[:last_space]


def parse(text: str, base: str = "") -> list[Pattern]:
    """The patterns of one ``.gitignore`` whose folder is ``base`` (relative to the top of the work tree)."""
    patterns: list[Pattern] = []
    for raw in text.removeprefix("\ufeff").split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line or line.startswith("#"):
            continue
        line = _trim_trailing_spaces(line)
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        directory_only = line.endswith("/")
        if directory_only:
            line = line[:-1]
        if not line:
            continue
        name_only = "/" not in line
        patterns.append(Pattern(_compile(line, name_only), negated, directory_only, name_only, base))
    return patterns


def _literal_length(pattern: str) -> int:
    """How many characters come before the first wildcard or backslash (git's ``simple_length``)."""
    for index, char in enumerate(pattern):
        if char in "*?[\\":
            return index
    return len(pattern)


def _compile(pattern: str, name_only: bool) -> re.Pattern[str] | None:
    if not name_only and pattern.startswith("/"):
        pattern = pattern[1:]
    try:
        return re.compile(_translate(pattern, pathname=not name_only), re.DOTALL)
    except _Unmatchable:
        return None


def _translate(pattern: str, *, pathname: bool) -> str:
    """git's wildmatch as a regular expression (``pathname``: wildcards do not match ``/``)."""
    # git matches the literal start of a path pattern first and wildmatches the rest, so "**"
    # right after that start counts as the start of a pattern (a quirk, kept).
    literal_end = _literal_length(pattern) if pathname else -1
    one = "[^/]" if pathname else "."
    out: list[str] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            if index + 1 >= length:
                raise _Unmatchable
            out.append(re.escape(pattern[index + 1]))
            index += 2
        elif char == "*":
            end = index
            while end < length and pattern[end] == "*":
                end += 1
            at_start = index == 0 or pattern[index - 1] == "/" or index == literal_end
            rest = pattern[end:]
            at_end = not rest or rest.startswith(("/", "\\/"))
            if end - index >= 2 and at_start and at_end:
                if not rest:
                    out.append(".*")
                else:
                    out.append("(?:.*/)?")
                    end += 2 if rest.startswith("\\") else 1
            else:
                out.append(f"{one}*")
            index = end
        elif char == "?":
            out.append(one)
            index += 1
        elif char == "[":
            expression, index = _bracket(pattern, index + 1, pathname)
            out.append(expression)
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _bracket(pattern: str, index: int, pathname: bool) -> tuple[str, int]:
    """A ``[...]`` starting after its ``[``: the regular expression and the index after its ``]``."""
    length = len(pattern)
    if index >= length:
        raise _Unmatchable
    negated = pattern[index] in "!^"
    if negated:
        index += 1
    parts: list[str] = []
    previous: str | None = None
    first = True
    while True:
        if index >= length:
            raise _Unmatchable
        char = pattern[index]
        if char == "]" and not first:
            break
        first = False
        if char == "\\":
            index += 1
            if index >= length:
                raise _Unmatchable
            previous = pattern[index]
            parts.append(re.escape(previous))
        elif char == "-" and previous is not None and index + 1 < length and pattern[index + 1] != "]":
            index += 1
            high = pattern[index]
            if high == "\\":
                index += 1
                if index >= length:
                    raise _Unmatchable
                high = pattern[index]
            parts.pop()
            if previous <= high:
                parts.append(f"{re.escape(previous)}-{re.escape(high)}")
            previous = None
        elif char == "[" and pattern.startswith(":", index + 1):
            close = pattern.find("]", index + 2)
            if close < 0:
                raise _Unmatchable
            if pattern[close - 1] != ":" or close - 1 < index + 2:
                # No ":]": a plain "[" in the set.
                previous = "["
                parts.append(re.escape("["))
            else:
                name = pattern[index + 2 : close - 1]
                if name not in _POSIX_CLASSES:
                    raise _Unmatchable
                parts.append(_POSIX_CLASSES[name])
                index = close
                previous = None
        else:
            previous = char
            parts.append(re.escape(char))
        index += 1
    body = "".join(parts)
    slash = "/" if pathname else ""
    if negated:
        return (f"[^{body}{slash}]" if body or slash else "."), index + 1
    if not body:
        return "(?!)", index + 1
    return (f"(?!/)[{body}]" if pathname else f"[{body}]"), index + 1


@dataclass(frozen=True, slots=True)
class FolderRules:
    """The patterns that apply to the entries of one folder (``relative`` to the top of its work tree)."""

    relative: str
    patterns: tuple[Pattern, ...]

    def matches(self, name: str, is_dir: bool) -> bool:
        """Whether the entry ``name`` of the folder is ignored; the last pattern that matches decides."""
        path = f"{self.relative}/{name}" if self.relative else name
        for pattern in reversed(self.patterns):
            if pattern.matches(path, name, is_dir):
                return not pattern.negated
        return False


class GitIgnore:
    """The ignore rules of the work trees that paths are in, each ``.gitignore`` read once.

    Paths may be relative (to the current folder) or absolute.
    """

    def __init__(self) -> None:
        self._tops: dict[str, str | None] = {}
        self._patterns: dict[str, tuple[Pattern, ...]] = {}
        self._ignored_folders: dict[str, bool] = {}

    # Each walks up iteratively and fills its cache on the way back: a tree can be thousands of
    # folders deep, deeper than Python's recursion limit.

    def _top(self, folder: str) -> str | None:
        """The top of the work tree ``folder`` is in (``folder`` itself when it holds ``.git``)."""
        unknown: list[str] = []
        top: str | None = None
        current = folder
        while current not in self._tops:
            unknown.append(current)
            if os.path.lexists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        else:
            top = self._tops[current]
        for visited in unknown:
            self._tops[visited] = top
        return top

    def _folder_patterns(self, folder: str, top: str) -> tuple[Pattern, ...]:
        """The patterns that apply to the entries of ``folder``, shallowest first."""
        missing: list[str] = []
        current = folder
        while current not in self._patterns and current != top:
            missing.append(current)
            current = os.path.dirname(current)
        if current not in self._patterns:  # the top of the work tree: .git/info/exclude, then .gitignore
            exclude = parse(_read(os.path.join(top, ".git", "info", "exclude")))
            self._patterns[top] = tuple(exclude + parse(_read(os.path.join(top, ".gitignore"))))
        patterns = self._patterns[current]
        for below in reversed(missing):
            base = os.path.relpath(below, top).replace(os.sep, "/")
            patterns = patterns + tuple(parse(_read(os.path.join(below, ".gitignore")), base))
            self._patterns[below] = patterns
        return patterns

    def folder(self, folder: str) -> FolderRules | None:
        """The rules for the entries of ``folder``; None outside a work tree."""
        absolute = os.path.abspath(folder)
        top = self._top(absolute)
        if top is None:
            return None
        relative = "" if absolute == top else os.path.relpath(absolute, top).replace(os.sep, "/")
        return FolderRules(relative, self._folder_patterns(absolute, top))

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether the patterns ignore ``path`` itself (the folders above it are not looked at)."""
        folder, name = os.path.split(os.path.abspath(path))
        rules = self.folder(folder) if name else None
        return rules is not None and rules.matches(name, is_dir)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path``: it, or a folder above it in its work tree, is ignored."""
        absolute = os.path.abspath(path)
        folder = os.path.dirname(absolute)
        top = self._top(folder)
        return top is not None and (self._folder_ignored(folder, top) or self.matches(absolute, is_dir))

    def _folder_ignored(self, folder: str, top: str) -> bool:
        """Whether a folder between ``top`` (excluded) and ``folder`` (included) is ignored."""
        missing: list[str] = []
        current = folder
        ignored = False
        while len(current) > len(top):
            if current in self._ignored_folders:
                ignored = self._ignored_folders[current]
                break
            missing.append(current)
            current = os.path.dirname(current)
        for below in reversed(missing):
            ignored = ignored or self.matches(below, True)
            self._ignored_folders[below] = ignored
        return ignored


def _read(path: str) -> str:
    try:
        if not os.path.isfile(path):
            return ""
        with open(path, "rb") as handle:
            return handle.read(MAX_IGNORE_BYTES).decode("utf-8", "surrogateescape")
    except OSError:
        return ""


__all__ = ["MAX_IGNORE_BYTES", "FolderRules", "GitIgnore", "Pattern", "parse"]
