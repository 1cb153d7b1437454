"""What checking one file gave, as the reporters, the cache and the workers pass it on.

Apart from the engine that makes it: a run whose every file is cached builds results without
loading the parser, the templates or any rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from alplint.problem import Problem


@dataclass(slots=True)
class FileResult:
    """One file's outcome, compact: what reporters show, never the form or its text.

    ``notes`` counts, by code, the problems whose severity is ``note``: what the
    platform writes the same way into every form is summed up, not listed.
    ``readable`` is False for a file that could not be read as text (ALP101).
    """

    path: str
    problems: list[Problem] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    # Problems silenced by suppression comments (a baseline's are counted by the baseline).
    suppressed: int = 0
    form_type: str | None = None
    template: str | None = None
    # Which version of the template the form matched; None for a template of the authors' own.
    version: str | None = None
    is_form: bool = True
    title: str | None = None
    # Each location as written: country, latlng and the line of the country (or of the latlng).
    locations: tuple[tuple[str, str, int], ...] = ()
    # The source lines around each problem, by line number: all a reporter may quote.
    excerpt: Mapping[int, str] = field(default_factory=dict)
    readable: bool = True

    def __reduce__(self) -> tuple[type[FileResult], tuple[Any, ...]]:
        # Results cross processes and fill the cache: pickled as their values, without dataclasses'
        # per-object field lookups (see problem._fast_pickle).
        return (FileResult, tuple([getattr(self, name) for name in _RESULT_FIELDS]))

    @property
    def errors(self) -> int:
        return sum(problem.severity == "error" for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)


_RESULT_FIELDS = tuple(field.name for field in fields(FileResult))


__all__ = ["FileResult"]
