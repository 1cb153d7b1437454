"""The default report: one line per problem, then a summary line."""

from __future__ import annotations

from alplint.report import Report

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    summary = report.summary
    checked = f"Checked {_plural(summary.files, 'file')} ({_plural(summary.forms, 'form')}"
    checked += f", {summary.skipped:,} skipped as not forms)" if summary.skipped else ")"
    if not summary.errors and not summary.warnings:
        return f"{checked}: no problems found."
    found = f"{checked}: {_plural(summary.errors, 'error')}, {_plural(summary.warnings, 'warning')}"
    if summary.fixable:
        found += f"; {summary.fixable:,} fixable with --fix"
    return found + "."


def notes_lines(report: Report) -> list[str]:
    """What was counted but not listed: the problems whose severity is ``note``."""
    if not report.summary.notes:
        return []
    lines = ['Counted, not listed (severity "note"; set it to "warning" in the configuration to list them):']
    for code, (count, forms) in report.summary.notes.items():
        rule = report.rules.get(code)
        what = f" {rule.name}: {rule.summary}" if rule else ""
        lines.append(f"  {code}{what}: {count:,} in {_plural(forms, 'form')}")
    return lines


def render(report: Report) -> str:
    paint = (lambda text, code: f"{code}{text}{_RESET}") if report.color else (lambda text, code: text)
    lines = []
    for result in report.results:
        for problem in result.problems:
            colour = _RED if problem.severity == "error" else _YELLOW
            name = report.rules[problem.code].name
            fixable = " [*]" if problem.fix is not None and problem.fix.applicability == "safe" else ""
            lines.append(
                f"{paint(problem.path, _BOLD)}:{problem.line}:{problem.column}: "
                f"{paint(problem.severity, colour)} {paint(problem.code, colour)}{fixable} "
                f"{problem.message} {paint(f'({name})', _DIM)}"
            )
    lines.append(summary_line(report))
    lines.extend(notes_lines(report))
    return "\n".join(lines) + "\n"
