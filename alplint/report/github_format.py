"""GitHub Actions workflow commands: each problem becomes an annotation on the pull request.

Text from a form or a file name goes through ``shown`` first (the log viewer
obeys colour escape sequences), then through the toolkit's own escaping.
A problem that ``--fix`` can repair says so at the end of its message.
"""

from __future__ import annotations

from collections.abc import Iterator

from alplint.i18n import _
from alplint.report import Report, fix_hint, shown
from alplint.report.text_format import summary_line


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions toolkit does, so it stays on one line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """One annotation per problem, a form at a time, then the summary."""
    for result in report.results:
        lines = []
        for problem in result.problems:
            properties = {
                "file": shown(problem.path),
                "line": problem.line,
                "col": problem.column,
                "endLine": problem.end_line,
                "endColumn": problem.end_column,
                "title": f"{problem.code} {report.rules[problem.code].name}",
            }
            listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
            message: str = problem.message
            hint = fix_hint(problem)
            if hint:
                message = _("{message} ({hint})", message=message, hint=hint)
            lines.append(f"::{problem.severity} {listed}::{escape_data(shown(report.translate(message)))}\n")
        if lines:
            yield "".join(lines)
    yield summary_line(report) + "\n"
