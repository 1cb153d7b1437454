"""Applying fixes: edits placed exactly, texts encoded back byte for byte.

A fix touches only the characters it repairs.  Positions are mapped on the
decoded text the rules saw, then the text is encoded back with the file's
own byte-order mark and encoding; line endings are never normalised.  Fixes
whose edits overlap an edit already taken wait for the next round: the form
is linted again and the fixes the new text still needs are applied, until
nothing changes (as ruff does).  This module knows no rule and no engine:
re-linting is a function the caller passes in.  Files are written by
``alplint.atomic.write_file``.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from alplint.digest import blake2b
from alplint.i18n import _, ngettext
from alplint.parse import line_break
from alplint.problem import Applicability, Edit, Fix, Problem
from alplint.source import SourceText

# Fixes of one round may make room for others, and some take several rounds (a value escaped
# fifteen times over loses one escape a round).  Fixes that undo each other are caught when a
# text comes back; the cap stops fixes that would keep changing the text without coming back.
MAX_FIX_ROUNDS = 100

Relint = Callable[[str], Sequence[Problem]]


class _LineIndex:
    """Turns (line, column) into offsets, numbering lines as the parser does.

    Only ``\\n`` ends a line (``\\r`` in a file without ``\\n``); a ``\\r`` at the
    end of a line belongs to its line ending, so no column reaches it: a column past the visible end of a
    line stops before the line ending, and a line past the last one means
    the end of the text.  Lines are found as far down as an edit asks (edits are mostly near the
    top, where the tags stand), not all at once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.line_break = line_break(text)
        self.starts: list[int] = [0]

    def _start(self, line: int) -> int | None:
        """Where ``line`` starts, or None when the text has fewer lines."""
        starts = self.starts
        while len(starts) < line:
            found = self.text.find(self.line_break, starts[-1])
            if found < 0:
                return None
            starts.append(found + 1)
        return starts[line - 1]

    def offset(self, line: int, column: int) -> int:
        if line < 1 or column < 1:
            raise ValueError(f"an edit position must be 1-based, not line {line}, column {column}")
        start = self._start(line)
        if start is None:
            return self.length
        end = self.text.find(self.line_break, start)
        if end < 0:
            end = self.length
        visible = end - start - (end > start and self.text[end - 1] == "\r")
        return start + min(column - 1, visible)


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
    problems of the final text.  ``converged`` is False when fixes bring
    back a text they had already reached (they undo each other: the text is
    kept where that circle began) or are still pending after ``max_rounds``.
    """
    applied: Counter[str] = Counter()
    current, current_problems = text, list(problems)
    # What had been applied on reaching each text, and its problems: ``start`` for the text read,
    # ``standing`` for ``current`` and, by digest (forms can be large), ``passed`` for the texts in
    # between.  Most forms take one round: they need no digest.
    start = (Counter[str](), current_problems)
    standing = start
    passed: dict[bytes, tuple[Counter[str], list[Problem]]] = {}
    for round_number in range(max_rounds):
        fixable = [problem for problem in current_problems if is_applicable(problem.fix, unsafe=unsafe)]
        if not fixable:
            break
        new_text, positions = _apply_indexed(current, [problem.fix for problem in fixable if problem.fix])
        if new_text == current:
            break
        applied.update(fixable[position].code for position in positions)
        earlier = start if new_text == text else passed.get(_digest(new_text)) if passed else None
        if earlier is not None:
            # The fixes go round in circles: keep the text where the circle began, none of the circle.
            applied_then, problems_then = earlier
            return FixResult(path, text, new_text, dict(applied_then), problems_then, converged=False)
        if round_number:
            passed[_digest(current)] = standing
        current, current_problems = new_text, list(relint(new_text))
        standing = (applied.copy(), current_problems)
    else:
        pending = any(is_applicable(problem.fix, unsafe=unsafe) for problem in current_problems)
        return FixResult(path, text, current, dict(applied), current_problems, converged=not pending)
    return FixResult(path, text, current, dict(applied), current_problems)


def _digest(text: str) -> bytes:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def encode_like(source: SourceText, text: str) -> bytes:
    """``text`` as the file's bytes: the same byte-order mark and the same encoding."""
    return source.bom + text.encode(source.encoding)


def _lines_with_endings(text: str) -> list[str]:
    # Only "\n" ends a line here, as in the parser: str.splitlines() would also split on
    # form feeds and Unicode separators and give the diff other line numbers.
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


_GIT_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\t"): "\\t", ord("\n"): "\\n"}


def _diff_name(prefix: str, path: str) -> str:
    """``a/PATH`` for a diff header, quoted as git quotes it when the name needs it.

    A name with control characters, quotes, backslashes or bytes that are not
    UTF-8 (lone surrogates from ``os.fsdecode``) is written in double quotes
    with C escapes of its bytes (``"b/f\\377.md"``), which ``git apply`` and
    GNU ``patch`` read back as the same bytes.
    """
    name = prefix + PurePath(path).as_posix().lstrip("/")
    if not any(ord(c) < 0x20 or c in '"\\\x7f' or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        return name
    escaped = "".join(
        _GIT_ESCAPES.get(byte, f"\\{byte:03o}" if byte < 0x20 or byte >= 0x7F else chr(byte))
        for byte in os.fsencode(name)
    )
    return f'"{escaped}"'


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """The change as a unified diff with ``--- a/PATH`` and ``+++ b/PATH`` headers, as git writes it.

    Every line keeps its own line ending, so a CRLF form shows only the lines
    that changed and the diff applies with ``patch`` or ``git apply``; a last
    line without a line break is marked as git marks it.  An empty string
    when nothing changed.
    """
    if before == after:
        return ""
    output: list[str] = []
    for line in difflib.unified_diff(
        _lines_with_endings(before),
        _lines_with_endings(after),
        fromfile=_diff_name("a/", path),
        tofile=_diff_name("b/", path),
        lineterm="\n",
        n=context,
    ):
        output.append(line)
        if not line.endswith("\n"):
            output.append("\n\\ No newline at end of file\n")
    return "".join(output)


def summary_line(results: Sequence[FixResult], *, dry_run: bool = False, unsafe_left: int = 0) -> str:
    """``Fixed 5 problems in 2 files.`` (``Would fix ...`` for ``--diff``), or that nothing needed fixing.

    ``unsafe_left`` counts the problems whose fix only ``--unsafe-fixes`` applies,
    so that "No problems fixed." never hides an error that a fix could repair.
    """
    # Fixes that cancel out (a loop that did not settle) leave a file unchanged: none is counted.
    fixed = sum(result.fixed_count for result in results if result.changed)
    files = sum(result.changed for result in results)
    return tally_line(fixed, files, dry_run=dry_run, unsafe_left=unsafe_left)


def tally_line(fixed: int, files: int, *, dry_run: bool = False, unsafe_left: int = 0) -> str:
    """``summary_line`` from the totals: ``fixed`` problems in ``files`` changed files."""
    if not fixed:
        done = _("No problems to fix") if dry_run else _("No problems fixed")
    else:
        problems = ngettext("{count:,} problem", "{count:,} problems", fixed, count=fixed)
        forms = ngettext("{count:,} file", "{count:,} files", files, count=files)
        if dry_run:
            done = _("Would fix {problems} in {files}", problems=problems, files=forms)
        else:
            done = _("Fixed {problems} in {files}", problems=problems, files=forms)
    if not unsafe_left:
        return _("{done}.", done=done)
    if fixed:
        hidden = ngettext(
            "{count:,} more fixable with --unsafe-fixes",
            "{count:,} more fixable with --unsafe-fixes",
            unsafe_left,
            count=unsafe_left,
        )
    else:
        hidden = ngettext(
            "{count:,} fixable with --unsafe-fixes",
            "{count:,} fixable with --unsafe-fixes",
            unsafe_left,
            count=unsafe_left,
        )
    return _("{done}; {hidden}.", done=done, hidden=hidden)


def unsettled_warning(shown_path: str) -> str:
    """What to say when the fix loop stopped at its cap with fixes still pending (``converged`` False)."""
    return _(
        "{path}: the fixes did not settle (some undo others, or keep changing the text), so alplint "
        "stopped them; check what it wrote, and please report this",
        path=shown_path,
    )
