"""Applying fixes: edits placed exactly, files written back byte for byte and atomically.

A fix touches only the characters it repairs.  Positions are mapped on the
decoded text the rules saw, then the text is encoded back with the file's
own byte-order mark and encoding; line endings are never normalised.  Fixes
whose edits overlap an edit already taken wait for the next round: the form
is linted again and the fixes the new text still needs are applied, until
nothing changes (as ruff does).  This module knows no rule and no engine:
re-linting is a function the caller passes in.
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import PurePath

from alplint.parse import line_break
from alplint.problem import Applicability, Edit, Fix, Problem
from alplint.source import SourceText

# Fixes of one round may make room for others; a handful of rounds settles any real form,
# and the cap stops two fixes that undo each other from looping for ever.
MAX_FIX_ROUNDS = 10

Relint = Callable[[str], Sequence[Problem]]


class _LineIndex:
    """Turns (line, column) into offsets, numbering lines as the parser does.

    Only ``\\n`` ends a line (``\\r`` in a file without ``\\n``); a ``\\r`` at the
    end of a line belongs to its line ending, so no column reaches it: a column past the visible end of a
    line stops before the line ending, and a line past the last one means
    the end of the text.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts: list[int] = []
        self.visible_lengths: list[int] = []
        start = 0
        for piece in text.split(line_break(text)):
            self.starts.append(start)
            self.visible_lengths.append(len(piece) - piece.endswith("\r"))
            start += len(piece) + 1

    def offset(self, line: int, column: int) -> int:
        if line < 1 or column < 1:
            raise ValueError(f"an edit position must be 1-based, not line {line}, column {column}")
        if line > len(self.starts):
            return self.length
        return self.starts[line - 1] + min(column - 1, self.visible_lengths[line - 1])


@dataclass(frozen=True, slots=True)
class _Placed:
    start: int
    end: int
    content: str


def _place(index: _LineIndex, edit: Edit) -> _Placed:
    start = index.offset(edit.line, edit.column)
    end = index.offset(edit.end_line, edit.end_column)
    if end < start:
        raise ValueError(f"an edit ends before it starts: {edit}")
    return _Placed(start, end, edit.content)


def _overlaps(first: _Placed, second: _Placed) -> bool:
    if first.start == first.end == second.start == second.end:
        return True  # two insertions at one place: their order would be a guess
    return first.start < second.end and second.start < first.end


def _apply_indexed(text: str, fixes: Sequence[Fix]) -> tuple[str, list[int]]:
    """The text with every fix that fits applied, and the positions (in ``fixes``) of those applied."""
    index = _LineIndex(text)
    candidates: list[tuple[int, list[_Placed]]] = []
    for position, fix in enumerate(fixes):
        placed = sorted((_place(index, edit) for edit in fix.edits), key=lambda edit: (edit.start, edit.end))
        changes = [edit for edit in placed if text[edit.start : edit.end] != edit.content]
        if changes:
            candidates.append((position, changes))
    candidates.sort(key=lambda candidate: (candidate[1][0].start, candidate[1][0].end, candidate[0]))
    accepted: list[_Placed] = []
    accepted_sets: list[list[_Placed]] = []
    applied: list[int] = []
    for position, edits in candidates:
        if edits in accepted_sets:
            # Two problems asking for the very same repair: it is made once and repairs both.
            applied.append(position)
            continue
        conflicting = any(_overlaps(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :]) or any(
            _overlaps(edit, taken) for edit in edits for taken in accepted
        )
        if conflicting:
            continue
        accepted.extend(edits)
        accepted_sets.append(edits)
        applied.append(position)
    accepted.sort(key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    cursor = 0
    for edit in accepted:
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.content)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), sorted(applied)


def apply_edits(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply the fixes that do not overlap one another; return the new text and the fixes applied.

    Fixes are taken in the order of their first edit; one whose edits overlap
    an edit already taken is left out (the next round of the fix loop will
    see whether it is still needed).  A fix that would change nothing is not
    counted as applied.
    """
    new_text, applied = _apply_indexed(text, fixes)
    return new_text, [fixes[position] for position in applied]


@dataclass(frozen=True, slots=True)
class FixResult:
    """What fixing one form did: its text before and after, the repairs per code, what is left."""

    path: str
    original_text: str
    fixed_text: str
    applied: Mapping[str, int] = field(default_factory=dict)
    remaining: Sequence[Problem] = ()
    converged: bool = True

    @property
    def changed(self) -> bool:
        return self.fixed_text != self.original_text

    @property
    def fixed_count(self) -> int:
        return sum(self.applied.values())


def is_applicable(fix: Fix | None, *, unsafe: bool) -> bool:
    """Whether ``--fix`` applies this fix: safe ones always, unsafe ones with ``--unsafe-fixes``."""
    allowed: tuple[Applicability, ...] = ("safe", "unsafe") if unsafe else ("safe",)
    return fix is not None and fix.applicability in allowed


def fix_loop(
    path: str,
    text: str,
    problems: Sequence[Problem],
    relint: Relint,
    *,
    unsafe: bool = False,
    max_rounds: int = MAX_FIX_ROUNDS,
) -> FixResult:
    """Apply the fixes of ``problems`` to ``text``, re-lint, and repeat until nothing changes.

    ``problems`` are those of ``text`` as the engine reported them (already
    limited to the selected rules and without the suppressed ones);
    ``relint`` lints a new text the same way.  ``remaining`` holds the
    problems of the final text.  ``converged`` is False when fixes were
    still pending after ``max_rounds`` rounds.
    """
    applied: Counter[str] = Counter()
    current, current_problems = text, list(problems)
    for _ in range(max_rounds):
        fixable = [problem for problem in current_problems if is_applicable(problem.fix, unsafe=unsafe)]
        if not fixable:
            break
        new_text, positions = _apply_indexed(current, [problem.fix for problem in fixable if problem.fix])
        if new_text == current:
            break
        applied.update(fixable[position].code for position in positions)
        current, current_problems = new_text, list(relint(new_text))
    else:
        pending = any(is_applicable(problem.fix, unsafe=unsafe) for problem in current_problems)
        return FixResult(path, text, current, dict(applied), current_problems, converged=not pending)
    return FixResult(path, text, current, dict(applied), current_problems)


def encode_like(source: SourceText, text: str) -> bytes:
    """``text`` as the file's bytes: the same byte-order mark and the same encoding."""
    return source.bom + text.encode(source.encoding)


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _sync_folder(folder: str) -> None:
    # Makes the rename itself durable; folders cannot be opened this way on every system.
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    with suppress(OSError):
        descriptor = os.open(folder, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_atomically(path: str, original: bytes, new: bytes) -> bool:
    """Replace the file's bytes ``original`` by ``new``, all at once; False if it changed meanwhile.

    The new bytes go to a temporary file in the same folder, which is synced
    and then renamed over the file, so a reader sees the old form or the new
    one, never half of each.  The permission bits are kept; a symbolic link
    is followed, so the link stays a link.  If the file on disk no longer
    holds ``original`` (an editor saved it since it was read), nothing is
    written and the result is False.  A read-only file raises
    ``PermissionError`` (renaming over it would work, but would ignore the
    owner's wish); other failures to write raise ``OSError``, after removing
    the temporary file.
    """
    target = os.path.realpath(path)
    if _read_bytes(target) != original:
        return False
    mode = stat.S_IMODE(os.stat(target).st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", path)
    folder = os.path.dirname(target)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".alplint-fix", dir=folder
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        # Checked again as late as possible: the lint and the fixes took time.
        if _read_bytes(target) != original:
            os.unlink(temporary)
            return False
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)
    return True


def _lines_with_endings(text: str) -> list[str]:
    # Only "\n" ends a line here, as in the parser: str.splitlines() would also split on
    # form feeds and Unicode separators and give the diff other line numbers.
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def _diff_name(path: str) -> str:
    return PurePath(path).as_posix().lstrip("/")


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """The change as a unified diff with ``--- a/PATH`` and ``+++ b/PATH`` headers, as git writes it.

    Every line keeps its own line ending, so a CRLF form shows only the lines
    that changed and the diff applies with ``patch`` or ``git apply``; a last
    line without a line break is marked as git marks it.  An empty string
    when nothing changed.
    """
    if before == after:
        return ""
    name = _diff_name(path)
    output: list[str] = []
    for line in difflib.unified_diff(
        _lines_with_endings(before),
        _lines_with_endings(after),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
        lineterm="\n",
        n=context,
    ):
        output.append(line)
        if not line.endswith("\n"):
            output.append("\n\\ No newline at end of file\n")
    return "".join(output)


def summary_line(results: Sequence[FixResult], *, dry_run: bool = False) -> str:
    """``Fixed 5 problems in 2 files.`` (``Would fix ...`` for ``--diff``), or that nothing needed fixing."""
    fixed = sum(result.fixed_count for result in results)
    files = sum(result.changed for result in results)
    if not fixed:
        return "No problems to fix." if dry_run else "No problems fixed."
    verb = "Would fix" if dry_run else "Fixed"
    problems = "problem" if fixed == 1 else "problems"
    forms = "file" if files == 1 else "files"
    return f"{verb} {fixed} {problems} in {files} {forms}."
