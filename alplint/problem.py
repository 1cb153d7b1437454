"""What a rule reports, and how it could be repaired."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from alplint.model import Span

# A "note" is counted in the summary, not listed: what the platform itself writes into every form.
Severity = Literal["error", "warning", "note"]
Applicability = Literal["safe", "unsafe"]


def _fast_pickle(cls: type[Any]) -> type[Any]:
    """Pickle a frozen, slotted dataclass as its class and field values, as a tuple would be.

    Results cross processes (``--jobs``) and are stored in the cache; dataclasses' own pickling
    looks its fields up anew for every object, which costs more than linting a cached form.
    """
    names = tuple(field.name for field in fields(cls))

    def __reduce__(self: Any) -> tuple[type[Any], tuple[Any, ...]]:
        return (cls, tuple([getattr(self, name) for name in names]))

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


@_fast_pickle
@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (1-based, end exclusive) by ``content``."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    @classmethod
    def replace(cls, span: Span, content: str) -> Edit:
        return cls(span.line, span.column, span.end_line, span.end_column, content)

    @classmethod
    def delete_line(cls, line: int) -> Edit:
        """Remove a whole line, its line break included."""
        return cls(line, 1, line + 1, 1, "")

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "content": self.content,
        }


@_fast_pickle
@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "description": self.description,
            "applicability": self.applicability,
            "edits": [edit.as_dict() for edit in self.edits],
        }


@_fast_pickle
@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at one place.

    A rule builds its problems with ``Problem.at``, which leaves ``path``
    empty and ``severity`` unset (``"error"``): the engine fills in the path
    and the severity, the rule's as declared in its ``Rule`` or as configured.  ``subject``
    says what the problem is about independently of its line (a tag's key and
    value, a question's text): baselines and statistics key on it.
    ``mistake`` names one mistake that a family can read several ways (a
    ``latlng`` that is out of range, or swapped): problems sharing it are
    yielded most specific first, and the engine keeps the first whose rule
    is enabled, so disabling one rule shows the next true problem.
    ``question`` is the text of the template question whose answer the
    problem judges (the question rules set it): ``--statistics`` counts
    problems by it.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: Severity
    message: str
    fix: Fix | None = None
    subject: str = ""
    mistake: str = ""
    question: str = ""

    @classmethod
    def at(
        cls,
        span: Span,
        code: str,
        message: str,
        *,
        fix: Fix | None = None,
        subject: str = "",
        mistake: str = "",
        question: str = "",
    ) -> Problem:
        return cls(
            path="",
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            code=code,
            severity="error",  # the engine's to set
            message=message,
            fix=fix,
            subject=subject,
            mistake=mistake,
            question=question,
        )

    def with_(self, **changes: object) -> Problem:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)
