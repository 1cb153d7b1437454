"""Finding form files and turning their bytes into text (or into ALP101)."""

from __future__ import annotations

import codecs
import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from alplint.config import path_matches

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
            f"The file holds binary data (a NUL character on line {line}), not text: "
            "a form must be a text file saved as UTF-8",
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
        f"The file is not valid {encoding.upper()} text: byte 0x{bad} on line {line} "
        f"(byte {column} of the line, offset {position + bom_length} in the file) cannot be read. "
        "It was probably saved in another encoding (such as Latin-1 or Windows-1252): "
        "save it as UTF-8",
        line,
        column,
    )


def read(path: str) -> SourceText | Unreadable:
    try:
        size = os.path.getsize(path)
        if size > MAX_FORM_BYTES:
            return Unreadable(
                path,
                f"The file is {size / 1024 / 1024:.0f} MB, too large to be a form "
                f"(the limit is {MAX_FORM_BYTES // 1024 // 1024} MB)",
            )
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return Unreadable(path, f"The file cannot be read: {error.strerror or error}")
    return decode(data, path)


def _excluded(path: str, exclude: Sequence[str]) -> bool:
    return any(path_matches(path, pattern) for pattern in exclude)


def discover(
    paths: Iterable[str], *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[str]:
    """Files to check, in a stable order: files named explicitly, and forms found in folders.

    Folders are walked recursively, skipping hidden folders; only ``*.md`` and
    ``*.txt`` (or the ``include`` globs) are taken from them.  A file named on
    the command line is always taken, unless it is excluded.
    """
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, include, exclude)
        elif not _excluded(path, exclude):
            yield path


def _walk(folder: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not _excluded(os.path.join(root, d), exclude)
        )
        for name in files:
            full = os.path.normpath(os.path.join(root, name))
            if name.startswith("."):
                continue
            wanted = (
                any(fnmatch.fnmatch(name, pattern) for pattern in include)
                if include
                else name.endswith(FORM_SUFFIXES)
            )
            if wanted and not _excluded(full, exclude):
                found.append(full)
    yield from sorted(found)
