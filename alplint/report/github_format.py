"""GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""

from __future__ import annotations

from alplint.report import Report
from alplint.report.text_format import summary_line


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions toolkit does, so it stays on one line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for result in report.results:
        for problem in result.problems:
            properties = {
                "file": problem.path,
                "line": problem.line,
                "col": problem.column,
                "endLine": problem.end_line,
                "endColumn": problem.end_column,
                "title": f"{problem.code} {report.rules[problem.code].name}",
            }
            listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
            lines.append(f"::{problem.severity} {listed}::{escape_data(report.translate(problem.message))}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
