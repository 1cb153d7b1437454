"""Machine-readable report; the shape is a public contract (README, "For maintainers": the JSON report).

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
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from alplint.report import Report, json_piece, json_safe

if TYPE_CHECKING:
    from alplint.problem import Fix
    from alplint.result import FileResult


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The document ``{"version", "files", "summary"}``, one file at a time, as ``json_text`` writes it."""
    yield '{\n  "version": ' + json_piece(report.version, 1) + ',\n  "files": ['
    separator = "\n    "
    for result in report.results:
        yield separator + _file_piece(result, report)
        separator = ",\n    "
    closing = "]" if separator == "\n    " else "\n  ]"
    yield closing + ',\n  "summary": ' + json_piece(report.summary.as_dict(), 1) + "\n}\n"


def file_entry(result: FileResult, report: Report) -> dict[str, object]:
    """One file of the document, as a value (``_file_piece`` writes the same text faster)."""
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
                "message": report.translate(problem.message),
                "fix": problem.fix.as_dict() if problem.fix is not None else None,
            }
            for problem in result.problems
        ],
    }


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


# The keys of a file, a problem, its fix and an edit of the fix, each on its line at its depth in the
# document (see ``json_piece``): a file is an item of "files" (depth 2), a problem an item of its
# "problems", an edit an item of its fix's "edits".
_FILE, _PROBLEM, _FIX, _EDIT = "\n      ", "\n          ", "\n            ", "\n                "


def _file_piece(result: FileResult, report: Report) -> str:
    """``json_piece(file_entry(result, report), 2)``, written directly: json's indenting encoder is
    pure Python, and the archive's report has tens of thousands of problems."""
    head = (
        f'{{{_FILE}"path": {_text(result.path)},{_FILE}"type": {_text(result.form_type)},'
        f'{_FILE}"template": {_text(result.template)},{_FILE}"version": {_text(result.version)},'
        f'{_FILE}"problems": '
    )
    if not result.problems:
        return json_safe(head + "[]\n    }")
    problems = []
    for problem in result.problems:
        fix = "null" if problem.fix is None else _fix_piece(problem.fix)
        problems.append(
            f'\n        {{{_PROBLEM}"code": {_text(problem.code)},'
            f'{_PROBLEM}"name": {_text(report.rules[problem.code].name)},'
            f'{_PROBLEM}"severity": {_text(problem.severity)},'
            f'{_PROBLEM}"line": {int(problem.line)},{_PROBLEM}"column": {int(problem.column)},'
            f'{_PROBLEM}"end_line": {int(problem.end_line)},{_PROBLEM}"end_column": {int(problem.end_column)},'
            f'{_PROBLEM}"message": {_text(report.translate(problem.message))},{_PROBLEM}"fix": {fix}\n        }}'
        )
    return json_safe(head + "[" + ",".join(problems) + "\n      ]\n    }")


def _fix_piece(fix: Fix) -> str:
    """``json_piece(fix.as_dict(), 5)``, written directly (as ``_file_piece`` writes its file)."""
    edits = "[]"
    if fix.edits:
        items = [
            f'\n              {{{_EDIT}"line": {int(edit.line)},{_EDIT}"column": {int(edit.column)},'
            f'{_EDIT}"end_line": {int(edit.end_line)},{_EDIT}"end_column": {int(edit.end_column)},'
            f'{_EDIT}"content": {_text(edit.content)}\n              }}'
            for edit in fix.edits
        ]
        edits = "[" + ",".join(items) + "\n            ]"
    return (
        f'{{{_FIX}"description": {_text(fix.description)},{_FIX}"applicability": {_text(fix.applicability)},'
        f'{_FIX}"edits": {edits}\n          }}'
    )
