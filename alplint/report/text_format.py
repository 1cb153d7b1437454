"""The default report: one line per problem, then a summary line.

What comes from a form or a file name is printed through ``shown``, so an
escape sequence in a tag cannot erase the line above or print its own
verdict.  ``[*]`` marks a problem ``--fix`` repairs, ``[?]`` one that only
``--fix --unsafe-fixes`` repairs (the repair needs a human check).
"""

from __future__ import annotations

from collections.abc import Iterator

from alplint.i18n import Message, _, ngettext
from alplint.report import SEVERITY_WORDS, Report, Summary, fix_marker, shown

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"


def _checked(summary: Summary) -> Message:
    files = ngettext("Checked {count:,} file", "Checked {count:,} files", summary.files, count=summary.files)
    if not summary.files:
        return files
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
    if not summary.forms:
        return _("no forms found")
    return _("no problems found")


def _hidden(summary: Summary) -> Message | None:
    """How many problems were not listed because suppression comments or the baseline hide them."""
    if summary.suppressed and summary.baselined:
        return _(
            "{suppressed:,} hidden by suppression comments, {baselined:,} by the baseline",
            suppressed=summary.suppressed,
            baselined=summary.baselined,
        )
    if summary.suppressed:
        return ngettext(
            "{count:,} hidden by suppression comments",
            "{count:,} hidden by suppression comments",
            summary.suppressed,
            count=summary.suppressed,
        )
    if summary.baselined:
        return ngettext(
            "{count:,} hidden by the baseline",
            "{count:,} hidden by the baseline",
            summary.baselined,
            count=summary.baselined,
        )
    return None


def _fixable(summary: Summary) -> Message | None:
    safe, unsafe = summary.fixable, summary.unsafe_fixable
    if safe and unsafe:
        return _(
            "{safe:,} fixable with --fix; {unsafe}",
            safe=safe,
            unsafe=ngettext(
                "{count:,} more fixable with --unsafe-fixes",
                "{count:,} more fixable with --unsafe-fixes",
                unsafe,
                count=unsafe,
            ),
        )
    if safe:
        return ngettext("{count:,} fixable with --fix", "{count:,} fixable with --fix", safe, count=safe)
    if unsafe:
        return ngettext(
            "{count:,} fixable with --fix --unsafe-fixes",
            "{count:,} fixable with --fix --unsafe-fixes",
            unsafe,
            count=unsafe,
        )
    return None


def summary_line(report: Report) -> str:
    """``Checked 3 files (3 forms): 7 errors, 12 warnings; 6 fixable with --fix.`` and its variants."""
    summary = report.summary
    line = _("{checked}: {found}", checked=_checked(summary), found=_found(summary))
    hidden = _hidden(summary)
    if hidden is not None:
        line = _("{line} ({hidden})", line=line, hidden=hidden)
    fixable = _fixable(summary)
    if fixable is not None:
        line = _("{line}; {fixable}", line=line, fixable=fixable)
    return report.translate(_("{line}.", line=line))


def notes_lines(report: Report) -> list[str]:
    """What was counted but not listed: the problems whose severity is ``note``."""
    if not report.summary.notes:
        return []
    lines: list[str] = [
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
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report a form at a time: its problems' lines, then the summary and the notes."""
    paint = (lambda text, code: f"{code}{text}{_RESET}") if report.color else (lambda text, code: text)
    for result in report.results:
        lines = []
        for problem in result.problems:
            colour = _RED if problem.severity == "error" else _YELLOW
            name = report.rules[problem.code].name
            marker = fix_marker(problem)
            lines.append(
                f"{paint(shown(problem.path), _BOLD)}:{problem.line}:{problem.column}: "
                f"{paint(report.translate(SEVERITY_WORDS[problem.severity]), colour)} "
                f"{paint(problem.code, colour)}{' ' + marker if marker else ''} "
                f"{shown(report.translate(problem.message))} {paint(f'({name})', _DIM)}\n"
            )
        if lines:
            yield "".join(lines)
    # The summary comes last, as the verdict; what was counted but not listed comes before it.
    yield "\n".join([*notes_lines(report), summary_line(report)]) + "\n"
