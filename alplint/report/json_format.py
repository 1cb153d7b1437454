"""Machine-readable report; the shape is a public contract (CLI.md).

Each file names the template it was checked against (``template``, such as
``learningplan-opening``) and the version of it the form matched
(``version``, such as ``"2"``): null for a template without versions, and for
a form of a type whose authors may design their own templates (a solution)
whose questions match none of the known ones.

The output is valid UTF-8 whatever the file names hold: a name that is not
UTF-8 keeps its bytes as ``\\udcXX`` escapes (see ``json_text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from alplint.report import Report, json_piece

if TYPE_CHECKING:
    from alplint.engine import FileResult


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The document ``{"version", "files", "summary"}``, one file at a time, as ``json_text`` writes it."""
    yield '{\n  "version": ' + json_piece(report.version, 1) + ',\n  "files": ['
    separator = "\n    "
    for result in report.results:
        yield separator + json_piece(_file(result, report), 2)
        separator = ",\n    "
    closing = "]" if separator == "\n    " else "\n  ]"
    yield closing + ',\n  "summary": ' + json_piece(report.summary.as_dict(), 1) + "\n}\n"


def _file(result: FileResult, report: Report) -> dict[str, object]:
    return {
        "path": result.path,
        "type": result.form_type,
        "template": result.template,
        "version": result.version,
        "problems": [
            {
                "code": problem.code,
                "name": report.rules[problem.code].name,
                "severity": problem.severity,
                "line": problem.line,
                "column": problem.column,
                "end_line": problem.end_line,
                "end_column": problem.end_column,
                "message": problem.message,
                "fix": problem.fix.as_dict() if problem.fix is not None else None,
            }
            for problem in result.problems
        ],
    }
