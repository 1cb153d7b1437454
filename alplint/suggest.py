"""Did you mean...? The one way alplint guesses what a mistyped name meant.

Every hint goes through ``closest``: a rule code or name, a configuration key,
an option or its value, a template, a form type, a tag key, a checklist
option, a directive, a country.  The policy:

- names are compared without regard to case (both sides case-folded), and
  the suggestion is written as it is declared;
- a candidate is suggested when difflib's similarity ratio to what was
  written is at least ``CUTOFF`` (0.6, difflib's own default): the closest
  one, or the ``count`` closest, best first;
- a vocabulary of many names that look alike (the world's countries) asks
  for a higher cutoff, so that no hint names the wrong thing
  (``geo.countries``: 0.8).

Each caller words its own sentence (they are translated messages);
``did_you_mean`` is the common ``; did you mean "X"?`` ending.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from alplint.i18n import _

CUTOFF = 0.6


def closest(word: str, candidates: Iterable[str], *, count: int = 1, cutoff: float = CUTOFF) -> list[str]:
    """The candidates closest to ``word`` (at most ``count``, best first), as they are declared."""
    folded = word.strip().casefold()
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        key = candidate.casefold()
        # difflib's first bound, on lengths alone: a long word is then not indexed by difflib
        # for candidates it can never match.
        if _length_bound(len(key), len(folded)) >= cutoff:
            by_folded.setdefault(key, candidate)
    if not by_folded:
        return []
    close = difflib.get_close_matches(folded, list(by_folded), n=count, cutoff=cutoff)
    return [by_folded[match] for match in close]


def _length_bound(length: int, other: int) -> float:
    """``difflib.SequenceMatcher.real_quick_ratio`` of two texts of these lengths, computed alike."""
    total = length + other
    return 2.0 * min(length, other) / total if total else 1.0


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``; did you mean "X"?`` with the closest candidate, or ``""`` when none is close."""
    close = closest(word, candidates)
    return _('; did you mean "{close}"?', close=close[0]) if close else ""


__all__ = ["CUTOFF", "closest", "did_you_mean"]
