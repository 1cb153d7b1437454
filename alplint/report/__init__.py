"""Output formats: each module turns a finished run into text, one format each.

Reporters see only the results (paths, templates, problems) and the rule
catalogue; they never parse forms or run rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

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

    @classmethod
    def of(cls, results: Sequence[FileResult], skipped: int) -> Summary:
        problems = [problem for result in results for problem in result.problems]
        return cls(
            files=len(results) + skipped,
            forms=sum(result.form is not None for result in results),
            skipped=skipped,
            errors=sum(problem.severity == "error" for problem in problems),
            warnings=sum(problem.severity == "warning" for problem in problems),
            fixable=sum(
                problem.fix is not None and problem.fix.applicability == "safe" for problem in problems
            ),
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "forms": self.forms,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "fixable": self.fixable,
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


Reporter = Callable[[Report], str]

FORMATS = ("text", "json", "sarif", "github", "junit")


def get_reporter(name: str) -> Reporter:
    """The ``render`` function of a format, imported only when it is used."""
    module = import_module(f"alplint.report.{name}_format")
    render: Reporter = module.render
    return render
