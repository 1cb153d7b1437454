"""Output formats: each module turns a finished run into text, one format each.

Reporters see only the results (paths, templates, problems) and the rule
catalogue; they never parse forms or run rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from alplint.i18n import ENGLISH, _, translate, translate_text

if TYPE_CHECKING:
    from alplint.engine import FileResult
    from alplint.rules import Rule


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    forms: int
    skipped: int
    errors: int
    warnings: int
    fixable: int
    # Notes by code: how many there are and in how many forms (counted, never listed).
    notes: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Sequence[FileResult], skipped: int) -> Summary:
        problems = [problem for result in results for problem in result.problems]
        note_count: Counter[str] = Counter()
        note_forms: Counter[str] = Counter()
        for result in results:
            note_count.update(result.notes)
            note_forms.update(result.notes.keys())
        return cls(
            files=len(results) + skipped,
            forms=sum(result.form is not None for result in results),
            skipped=skipped,
            errors=sum(problem.severity == "error" for problem in problems),
            warnings=sum(problem.severity == "warning" for problem in problems),
            fixable=sum(
                problem.fix is not None and problem.fix.applicability == "safe" for problem in problems
            ),
            notes={code: (note_count[code], note_forms[code]) for code in sorted(note_count)},
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "forms": self.forms,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "fixable": self.fixable,
            "notes": {code: {"count": count, "forms": forms} for code, (count, forms) in self.notes.items()},
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter may show: the checked files (skipped ones excluded) and the totals."""

    results: Sequence[FileResult]
    summary: Summary
    rules: Mapping[str, Rule]
    rule_help: Mapping[str, str]
    family_of: Mapping[str, str]
    version: str
    color: bool = False
    # The language of the report's words (``en``, ``es``, ``fr``).  The command line gives the
    # machine-readable formats English unless --lang or the configuration's lang asks otherwise.
    language: str = ENGLISH

    def translate(self, message: str) -> str:
        """``message`` (a problem's message, a label) in the report's language."""
        return translate(message, self.language)

    def summary_of(self, code: str) -> str:
        """A rule's one-line summary in the report's language; empty for a code no rule has."""
        rule = self.rules.get(code)
        return translate_text(rule.summary, self.language) if rule else ""


# The severities as a report names them to a reader (the codes and the JSON keep the English words).
SEVERITY_WORDS = {"error": _("error"), "warning": _("warning"), "note": _("note")}


Reporter = Callable[[Report], str]

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def get_reporter(name: str) -> Reporter:
    """The ``render`` function of a format, imported only when it is used."""
    module = import_module(f"alplint.report.{name}_format")
    render: Reporter = module.render
    return render
