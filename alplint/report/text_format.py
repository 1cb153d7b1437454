"""The default report: one line per problem, then a summary line."""

from __future__ import annotations

from alplint.i18n import Message, _, ngettext
from alplint.report import SEVERITY_WORDS, Report, Summary

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"


def _checked(summary: Summary) -> Message:
    files = ngettext("Checked {count:,} file", "Checked {count:,} files", summary.files, count=summary.files)
    forms = ngettext("{count:,} form", "{count:,} forms", summary.forms, count=summary.forms)
    if summary.skipped:
        forms = _("{forms}, {skipped:,} skipped as not forms", forms=forms, skipped=summary.skipped)
    return _("{files} ({forms})", files=files, forms=forms)


def _found(summary: Summary) -> Message:
    if summary.errors or summary.warnings:
        return _(
            "{errors}, {warnings}",
            errors=ngettext("{count:,} error", "{count:,} errors", summary.errors, count=summary.errors),
            warnings=ngettext(
                "{count:,} warning", "{count:,} warnings", summary.warnings, count=summary.warnings
            ),
        )
    return _("no problems found")


def summary_line(report: Report) -> str:
    """``Checked 3 files (3 forms): 7 errors, 12 warnings; 6 fixable with --fix.``, in the report's language."""
    summary = report.summary
    line = _("{checked}: {found}", checked=_checked(summary), found=_found(summary))
    if summary.fixable:
        fixable = ngettext(
            "{count:,} fixable with --fix",
            "{count:,} fixable with --fix",
            summary.fixable,
            count=summary.fixable,
        )
        line = _("{line}; {fixable}", line=line, fixable=fixable)
    return report.translate(_("{line}.", line=line))


def notes_lines(report: Report) -> list[str]:
    """What was counted but not listed: the problems whose severity is ``note``."""
    if not report.summary.notes:
        return []
    lines = [
        _('Counted, not listed (severity "note"; set it to "warning" in the configuration to list them):')
    ]
    for code, (count, forms) in report.summary.notes.items():
        rule = report.rules.get(code)
        in_forms = ngettext(
            "{count:,} in {forms:,} form", "{count:,} in {forms:,} forms", forms, count=count, forms=forms
        )
        if rule is None:
            lines.append(_("  {code}: {counted}", code=code, counted=in_forms))
        else:
            lines.append(
                _(
                    "  {code} {name}: {summary}: {counted}",
                    code=code,
                    name=rule.name,
                    summary=report.summary_of(code),
                    counted=in_forms,
                )
            )
    return [report.translate(line) for line in lines]


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
                f"{paint(report.translate(SEVERITY_WORDS[problem.severity]), colour)} "
                f"{paint(problem.code, colour)}{fixable} {report.translate(problem.message)} {paint(f'({name})', _DIM)}"
            )
    lines.append(summary_line(report))
    lines.extend(notes_lines(report))
    return "\n".join(lines) + "\n"
