"""One self-contained HTML page for authors and maintainers.

The page opens from disk with no network: its style sheet and script are
inlined from ``html/`` and everything about the forms travels as one JSON
document in a ``<script type="application/json">`` element, which the
script inserts as text (``textContent``), never as markup, so whatever a
form holds is shown as the characters it is.  The parts that do not depend
on the filters are drawn here as static markup: the summary, the charts of
problems by rule and by template, and the world map (``world_map``); the
script fills in the filters, the map's points and the forms, a page at a
time as they scroll into view, so the archive's thousands of forms stay
quick to open.  A Content-Security-Policy lets only this page's own style
sheet and script run and forbids every request.

Every label is written through ``alplint.i18n._``, translated into the
report's language and handed to the script with the data; the page's
``lang`` attribute names the language, so the script writes numbers as the
page does.  Strings that repeat (messages, rule help, templates, countries)
are stored once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import sqlite3
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from alplint.fix import apply_edits
from alplint.geo.countries import english_name, resolve_country
from alplint.i18n import _, format_number, ngettext, translate_doc
from alplint.problem import Edit, Fix, Problem
from alplint.report import Report
from alplint.report.world_map import WIDTH, project, world

if TYPE_CHECKING:
    from alplint.result import FileResult

ASSETS = Path(__file__).resolve().parent / "html"
# Lines of source shown around a problem, and the most lines of a long span shown at each end.
CONTEXT_LINES = 2
# Long lines (answers are whole paragraphs on one line) are cut to this many characters around
# each end of a problem's span; lines no span touches keep their first ``PLAIN_LINE_CHARS``.
AROUND_SPAN_CHARS = 80
PLAIN_LINE_CHARS = 160
LONG_LINE_CHARS = 2 * AROUND_SPAN_CHARS + 40
# The codes whose problem says that a form's point lies outside its declared country.
OUTSIDE_COUNTRY_CODES = frozenset({"ALP304", "ALP305"})
_LATLNG = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*,\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*")
SEVERITIES = ("error", "warning")
# How many of the strings met last are looked up in memory rather than in the table on disk.
RECENT_STRINGS = 4096


def _kept(*names: str) -> dict[str, str]:
    """Arguments that leave a label's fields in place, for the script to fill in (``{shown}``)."""
    return {name: "{" + name + "}" for name in names}


def labels() -> dict[str, str]:
    """Every label of the page, by the name the script and the markup use."""
    return {
        "title": _("alplint report"),
        "skip": _("Skip to the forms"),
        "nav": _("Parts of this report"),
        "summary": _("Summary"),
        "forms": _("Forms checked"),
        "errors": _("Errors"),
        "warnings": _("Warnings"),
        "fixable": _("Fixable"),
        "fixable_hint": _("alplint --fix repairs these"),
        "skipped": _("Files that are not forms"),
        "notes": _('Counted, not listed (severity "note")'),
        "charts": _("Problems by rule and by template"),
        "by_rule": _("Problems by rule"),
        "by_template": _("Problems by template"),
        "chart_help": _("Choose a bar to show only those problems."),
        "as_table": _("The same numbers as a table"),
        "rule": _("Rule"),
        "template": _("Template"),
        "no_template": _("No template"),
        "no_problems_chart": _("No problems to chart."),
        "map": _("Where the forms say they are"),
        "map_help": _(
            "Each dot is a place forms give as their location, larger when more forms give it; the "
            "countries they name are outlined. An orange dot with a dark ring lies outside its country. "
            "Choose a dot to show only that country's forms."
        ),
        "map_label": _("World map of the forms' locations"),
        "map_legend_inside": _("In its country"),
        "map_legend_outside": _("Outside its country"),
        "map_point": _("{country} at {latlng}: forms {count}", **_kept("country", "latlng", "count")),
        "map_point_outside": _(
            "{country} at {latlng}: forms {count}, outside the country: {message}",
            **_kept("country", "latlng", "count", "message"),
        ),
        "map_status": _(
            "Forms on the map: {located} of {shown}; places: {places}", **_kept("located", "shown", "places")
        ),
        "outside_title": _("Points outside their country"),
        "outside_none": _("No point lies outside its country."),
        "country": _("Country"),
        "latlng": _("Latitude, longitude"),
        "what": _("What alplint says"),
        "form_count": _("Forms"),
        "filters": _("Filter the forms"),
        "severity": _("Severity"),
        "all": _("All"),
        "error": _("Error"),
        "warning": _("Warning"),
        "search": _("Search"),
        "search_hint": _("title, file, message or country"),
        "clear": _("Clear the filters"),
        "status": _(
            "Forms shown: {shown} of {total}; problems shown: {problems}",
            **_kept("shown", "total", "problems"),
        ),
        "more": _("Show more forms"),
        "no_match": _("No form matches these filters."),
        "noscript": _("The list of forms needs JavaScript; the summary, charts and map above do not."),
        "file": _("File"),
        "type": _("Type"),
        "version": _("{template} (version {version})", **_kept("template", "version")),
        "countries": _("Countries"),
        "line": _("line {line}", **_kept("line")),
        "repair": _("How to repair:"),
        "by_hand": _("By hand: the rule's explanation below has a failing and a passing example."),
        "safe_fix": _("alplint --fix does this for you."),
        "unsafe_fix": _("Check it first: alplint --fix --unsafe-fixes does this."),
        "before": _("Before"),
        "after": _("After"),
        "removed": _("(the line is removed)"),
        "about_rule": _("About {code} {name}", **_kept("code", "name")),
        "source": _("Lines {first} to {last} of the form", **_kept("first", "last")),
        "gap": _("lines left out"),
        "cut": _("text left out"),
    }


# The results are read in two passes, never kept: the first fills the tables the forms refer to
# (strings, places, rules) and counts the charts, the second writes the forms.
RESULTS_READ_IN_PASSES = True


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The page, the forms' data a form at a time.

    The data's tables come before the forms in the page, so a first pass over the results fills them
    (each form's data made and dropped) and a second makes each form's data again, with every string,
    place and rule then already in its table.
    """
    tables = _Tables(report)
    try:
        yield from _page(report, tables)
    finally:
        tables.strings.close()


def _page(report: Report, tables: _Tables) -> Iterator[str]:
    page_labels = {name: report.translate(text) for name, text in labels().items()}
    by_rule: Counter[tuple[str, str]] = Counter()
    by_template: Counter[tuple[str, str]] = Counter()
    for result in report.results:
        tables.form(result)
        for problem in result.problems:
            by_rule[(problem.code, problem.severity)] += 1
            by_template[(result.template or "", problem.severity)] += 1
    style = (ASSETS / "report.css").read_text(encoding="utf-8")
    script = (ASSETS / "report.js").read_text(encoding="utf-8")
    policy = (
        "default-src 'none'; "
        f"style-src {_source_hash(style)}; script-src {_source_hash(script)}; "
        "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    label = _markup_labels(page_labels)
    made_by = report.translate(_("Made by alplint {version}", version=report.version))
    body = "\n".join(
        [
            f'<a class="skip" href="#forms">{label["skip"]}</a>',
            '<header class="page">',
            f"<h1>{label['title']}</h1>",
            f"<p>{html.escape(made_by)}</p>",
            f'<nav aria-label="{label["nav"]}"><ul>'
            f'<li><a href="#summary">{label["summary"]}</a></li>'
            f'<li><a href="#charts">{label["charts"]}</a></li>'
            f'<li><a href="#map">{label["map"]}</a></li>'
            f'<li><a href="#forms">{label["forms"]}</a></li></ul></nav>',
            "</header>",
            "<main>",
            _summary_section(report, label),
            _charts_section(by_rule, by_template, report, label),
            _map_section(tables.places.alpha3, label),
            _forms_section(label),
            "</main>",
        ]
    )
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{report.language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{label['title']}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n{body}\n"
        '<script type="application/json" id="alplint-data">'
    )
    yield f'{{"labels":{script_json(page_labels)},"rules":{script_json(tables.rules)},"strings":['
    separator = ""
    for text in tables.strings:
        yield separator + script_json(text)
        separator = ","
    yield (
        f'],"countries":{script_json(tables.places.countries)},'
        f'"points":{script_json(tables.places.points)},"forms":['
    )
    separator = ""
    for result in report.results:
        yield separator + script_json(tables.form(result))
        separator = ","
    yield f"]}}</script>\n<script>{script}</script>\n</body>\n</html>\n"


def script_json(data: object) -> str:
    """JSON that cannot end or open an element inside ``<script>``, nor a line in old JavaScript."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escaped)
    return text


def _source_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _markup_labels(page_labels: Mapping[str, str]) -> dict[str, str]:
    return {name: html.escape(text) for name, text in page_labels.items()}


class _Strings:
    """A table of strings stored once; the data refers to them by position.

    Messages quote the forms, so a run has about as many distinct strings as problems: the table
    lives in a temporary database on disk (SQLite's own, removed when closed), and only the strings
    met most recently are looked up in memory.
    """

    def __init__(self) -> None:
        self._database = sqlite3.connect("")
        self._database.execute("PRAGMA journal_mode = OFF")
        self._database.execute("CREATE TABLE strings (position INTEGER PRIMARY KEY, text BLOB UNIQUE)")
        self._count = 0
        self._recent: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        index = self._recent.get(text)
        if index is not None:
            return index
        # A file name that is not UTF-8 reaches us with lone surrogates: kept as they are.
        key = text.encode("utf-8", "surrogatepass")
        row = self._database.execute("SELECT position FROM strings WHERE text = ?", (key,)).fetchone()
        if row is None:
            index = self._count
            self._count += 1
            self._database.execute("INSERT INTO strings VALUES (?, ?)", (index, key))
        else:
            index = row[0]
        if len(self._recent) >= RECENT_STRINGS:
            self._recent.clear()
        self._recent[text] = index
        return index

    def __iter__(self) -> Iterator[str]:
        """The strings in order of position."""
        for (key,) in self._database.execute("SELECT text FROM strings ORDER BY position"):
            yield bytes(key).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._database.close()


@dataclass(slots=True)
class _Places:
    """The distinct points on the map and the countries named, each stored once."""

    points: list[list[float]] = field(default_factory=list)
    point_index: dict[tuple[float, float], int] = field(default_factory=dict)
    countries: list[str] = field(default_factory=list)
    country_index: dict[str, int] = field(default_factory=dict)
    # Each spelling is resolved once: an unknown one costs a search for near misses.
    written_index: dict[str, int] = field(default_factory=dict)
    alpha3: dict[int, str] = field(default_factory=dict)

    def country(self, written: str) -> int:
        """The country as alplint writes it in English (or as written when alplint does not know it)."""
        index = self.written_index.get(written)
        if index is None:
            index = self.written_index[written] = self._resolve(written)
        return index

    def _resolve(self, written: str) -> int:
        match = resolve_country(written)
        name = english_name(match.alpha3) if match.alpha3 else written
        index = self.country_index.get(name)
        if index is None:
            index = self.country_index[name] = len(self.countries)
            self.countries.append(name)
            if match.alpha3:
                self.alpha3[index] = match.alpha3
        return index

    def point(self, lat: float, lng: float) -> int:
        index = self.point_index.get((lat, lng))
        if index is None:
            x, y = project(lat, lng)
            index = self.point_index[(lat, lng)] = len(self.points)
            self.points.append([round(x, 1), round(y, 1), lat, lng])
        return index


class _Tables:
    """What the forms' data refer to by position: strings, places and rules, each stored once."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.strings = _Strings()
        self.places = _Places()
        self.rules: list[dict[str, object]] = []
        self._rule_index: dict[str, int] = {}

    def rule(self, code: str) -> int:
        index = self._rule_index.get(code)
        if index is None:
            report = self.report
            index = self._rule_index[code] = len(self.rules)
            rule = report.rules.get(code)
            explanation, examples = rule_help(translate_doc(report.rule_help.get(code, ""), report.language))
            self.rules.append(
                {
                    "code": code,
                    "name": rule.name if rule else "",
                    "summary": report.summary_of(code),
                    "explanation": explanation,
                    "examples": examples,
                }
            )
        return index

    def form(self, result: FileResult) -> dict[str, object]:
        """One form's data, with what it refers to added to the tables."""
        return _form_data(result, self.strings, self.places, self.rule, self.report.translate)


_EXAMPLE_HEADING = re.compile(r"^(\S.*)::[ \t]*$", re.MULTILINE)


def rule_help(help_text: str) -> tuple[str, list[list[str]]]:
    """A rule's explanation (heading line left out, on one line) and its examples as [caption, text]."""
    body = help_text.split("\n", 1)[1] if "\n" in help_text else ""
    headings = list(_EXAMPLE_HEADING.finditer(body))
    explanation = body[: headings[0].start()] if headings else body
    examples = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        examples.append([heading[1], textwrap.dedent(body[heading.end() : end]).strip("\n")])
    return " ".join(explanation.split()), examples


def _form_data(
    result: FileResult,
    strings: _Strings,
    places: _Places,
    rule_of: Callable[[str], int],
    say: Callable[[str], str],
) -> dict[str, object]:
    """One form's entry; ``say`` puts a message in the report's language."""
    excerpt = {number: text.rstrip("\r") for number, text in result.excerpt.items()}
    problems = [_problem_data(problem, excerpt, strings, rule_of, say) for problem in result.problems]
    errors = sum(problem.severity == "error" for problem in result.problems)
    warnings = sum(problem.severity == "warning" for problem in result.problems)
    countries: list[int] = []
    located: list[list[int]] = []
    outside = _outside_messages(result, strings, say)
    for country, latlng, line in result.locations:
        country_index = places.country(country.strip()) if country.strip() else -1
        if country_index >= 0 and country_index not in countries:
            countries.append(country_index)
        point = _point(latlng)
        if point is not None:
            located.append([places.point(*point), country_index, outside.get(line, -1)])
    version = result.version
    entry: dict[str, object] = {
        "p": result.path,
        "t": result.title or "",
        "k": result.form_type or "",
        "m": result.template or "",
        "c": countries,
        "l": located,
        "x": _shown_lines(result.problems, excerpt),
        "q": problems,
        "e": errors,
        "w": warnings,
        "n": strings(say(_counts_text(errors, warnings))),
    }
    if version:
        entry["v"] = str(version)
    return entry


def _counts_text(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return _("No problems found.")
    parts = []
    if errors:
        parts.append(ngettext("{count:,} error", "{count:,} errors", errors, count=errors))
    if warnings:
        parts.append(ngettext("{count:,} warning", "{count:,} warnings", warnings, count=warnings))
    return _("{first}, {second}", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]


def _point(latlng: str) -> tuple[float, float] | None:
    match = _LATLNG.fullmatch(latlng)
    if match is None:
        return None
    lat, lng = float(match[1]), float(match[2])
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _outside_messages(result: FileResult, strings: _Strings, say: Callable[[str], str]) -> dict[int, int]:
    """By location line, the message of the problem that says the point is outside its country.

    The problem stands at the ``latlng``; it belongs to the last location that starts on or before it.
    """
    starts = sorted(line for _, _, line in result.locations)
    found: dict[int, int] = {}
    for problem in result.problems:
        if problem.code not in OUTSIDE_COUNTRY_CODES:
            continue
        owners = [line for line in starts if line <= problem.line]
        if owners:
            found.setdefault(owners[-1], strings(say(problem.message)))
    return found


def _utf16(text: str, column: int) -> int:
    """The position in JavaScript's UTF-16 units of a 1-based column counted in characters."""
    before = text[: max(column - 1, 0)]
    if before.isascii():
        return len(before)
    return len(before.encode("utf-16-le")) // 2


def _shown(problem: Problem) -> Iterable[int]:
    """The line numbers shown for a problem: its lines with context, both ends of a long span."""
    first = problem.line - CONTEXT_LINES
    last = problem.end_line + CONTEXT_LINES
    if last - first <= 4 * CONTEXT_LINES + 2:
        return range(first, last + 1)
    return [
        *range(first, problem.line + CONTEXT_LINES + 1),
        *range(problem.end_line - CONTEXT_LINES, last + 1),
    ]


def _shown_lines(problems: Sequence[Problem], excerpt: Mapping[int, str]) -> list[list[object]]:
    """The lines the problems show, long ones cut to the parts around the spans.

    Each line is ``[number, text]`` or, when cut, ``[number, [[offset, text], ...], length]`` with
    offsets and length in UTF-16 units.
    """
    keep: dict[int, list[tuple[int, int]]] = {}
    for problem in problems:
        for number in _shown(problem):
            text = excerpt.get(number)
            if text is None:
                continue
            spans = keep.setdefault(number, [])
            if not problem.line <= number <= problem.end_line:
                continue
            start = problem.column - 1 if number == problem.line else 0
            end = problem.end_column - 1 if number == problem.end_line else len(text)
            for edge in (start, end):
                spans.append((max(0, edge - AROUND_SPAN_CHARS), edge + AROUND_SPAN_CHARS))
    shown: list[list[object]] = []
    for number in sorted(keep):
        text = excerpt[number]
        if len(text) <= LONG_LINE_CHARS:
            shown.append([number, text])
            continue
        windows = _merge(keep[number] or [(0, PLAIN_LINE_CHARS)], len(text))
        pieces = [[_utf16(text, start + 1), text[start:end]] for start, end in windows]
        shown.append([number, pieces, _utf16(text, len(text) + 1)])
    return shown


def _merge(windows: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        end = min(end, length)
        if merged and start <= merged[-1][1] + 8:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _problem_data(
    problem: Problem,
    excerpt: Mapping[int, str],
    strings: _Strings,
    rule_of: Callable[[str], int],
    say: Callable[[str], str],
) -> list[object]:
    first_text = excerpt.get(problem.line, "")
    last_text = excerpt.get(problem.end_line, "")
    data: list[object] = [
        rule_of(problem.code),
        problem.severity,
        problem.line,
        _utf16(first_text, problem.column),
        problem.end_line,
        _utf16(last_text, problem.end_column),
        strings(say(problem.message)),
    ]
    if problem.fix is not None:
        preview = fix_preview(problem.fix, excerpt)
        fix: list[object] = [strings(say(problem.fix.description)), problem.fix.applicability]
        if preview is not None:
            fix.extend(preview)
        data.append(fix)
    return data


def fix_preview(fix: Fix, excerpt: Mapping[int, str]) -> tuple[list[str], list[str]] | None:
    """The lines a fix changes, before and after, cut around the change; None when not all are quoted."""
    if not fix.edits:
        return None
    first = min(edit.line for edit in fix.edits)
    # An edit that ends at the start of a line (a deleted line) does not touch that line.
    last = max(
        edit.end_line - 1 if edit.end_column == 1 and edit.end_line > edit.line else edit.end_line
        for edit in fix.edits
    )
    if any(number not in excerpt for number in range(first, last + 1)):
        return None
    before = "".join(excerpt[number] + "\n" for number in range(first, last + 1))
    shifted = Fix(
        fix.description,
        fix.applicability,
        tuple(
            Edit(edit.line - first + 1, edit.column, edit.end_line - first + 1, edit.end_column, edit.content)
            for edit in fix.edits
        ),
    )
    after, applied = apply_edits(before, [shifted])
    if not applied:
        return None
    # Both texts end with a line break; a fix that deletes every line leaves none.
    before_text, after_text = _around_change(before.removesuffix("\n"), after.removesuffix("\n"))
    return before_text.split("\n"), after_text.split("\n") if after else []


def _around_change(before: str, after: str) -> tuple[str, str]:
    """Both texts cut to ``AROUND_SPAN_CHARS`` around where they differ, with "…" where cut."""
    if len(before) <= LONG_LINE_CHARS and len(after) <= LONG_LINE_CHARS:
        return before, after
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - AROUND_SPAN_CHARS)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - suffix + AROUND_SPAN_CHARS)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return cut(before), cut(after)


# Static parts of the page -------------------------------------------------------------------


def _summary_section(report: Report, label: Mapping[str, str]) -> str:
    summary = report.summary

    def number(count: int) -> str:
        return format_number(count, report.language)

    cards = [
        ("forms", label["forms"], summary.forms, ""),
        ("errors", label["errors"], summary.errors, ""),
        ("warnings", label["warnings"], summary.warnings, ""),
        ("fixable", label["fixable"], summary.fixable, label["fixable_hint"]),
    ]
    if summary.skipped:
        cards.append(("skipped", label["skipped"], summary.skipped, ""))
    items = "".join(
        f'<div class="card {name}"><dt>{text}</dt><dd data-count="{name}">{number(count)}</dd>'
        + (f'<dd class="hint">{hint}</dd>' if hint else "")
        + "</div>"
        for name, text, count, hint in cards
    )
    notes = ""
    if summary.notes:
        rows = "".join(
            f"<li><code>{html.escape(code)}</code> {html.escape(_rule_name(report, code))}: "
            f"{html.escape(report.translate(_notes_text(count, forms)))}</li>"
            for code, (count, forms) in summary.notes.items()
        )
        notes = f'<h3>{label["notes"]}</h3><ul class="notes">{rows}</ul>'
    return (
        f'<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">{label["summary"]}</h2>'
        f'<dl class="cards">{items}</dl>{notes}</section>'
    )


def _rule_name(report: Report, code: str) -> str:
    rule = report.rules.get(code)
    return rule.name if rule else ""


def _notes_text(count: int, forms: int) -> str:
    return ngettext(
        "{count:,} in {forms:,} form", "{count:,} in {forms:,} forms", forms, count=count, forms=forms
    )


@dataclass(frozen=True, slots=True)
class _Bar:
    key: str
    text: str
    errors: int
    warnings: int

    @property
    def total(self) -> int:
        return self.errors + self.warnings


ROW_HEIGHT = 24
LABEL_WIDTH = 300
CHART_WIDTH = 720


def _charts_section(
    by_rule: Counter[tuple[str, str]],
    by_template: Counter[tuple[str, str]],
    report: Report,
    label: Mapping[str, str],
) -> str:
    """The charts of the problems counted by rule and severity, and by template and severity."""
    rule_bars = [
        _Bar(code, f"{code} {_rule_name(report, code)}", by_rule[(code, "error")], by_rule[(code, "warning")])
        for code in sorted({code for code, _ in by_rule})
    ]
    template_bars = [
        _Bar(
            template or "~",
            template or report.translate(_("No template")),
            by_template[(template, "error")],
            by_template[(template, "warning")],
        )
        for template in sorted({template for template, _ in by_template})
    ]
    rule_bars.sort(key=lambda bar: -bar.total)
    template_bars.sort(key=lambda bar: -bar.total)
    return (
        f'<section id="charts" aria-labelledby="charts-title"><h2 id="charts-title">{label["charts"]}</h2>'
        f'<p class="hint">{label["chart_help"]}</p><div class="charts">'
        + _chart("rule", label["by_rule"], label["rule"], rule_bars, label, report)
        + _chart("template", label["by_template"], label["template"], template_bars, label, report)
        + "</div></section>"
    )


def _chart(
    key: str, title: str, column: str, bars: Sequence[_Bar], label: Mapping[str, str], report: Report
) -> str:
    heading_id = f"chart-{key}"

    def number(count: int) -> str:
        return format_number(count, report.language)

    if not bars:
        return f'<figure><figcaption id="{heading_id}">{title}</figcaption><p>{label["no_problems_chart"]}</p></figure>'
    largest = max(bar.total for bar in bars)
    bar_space = CHART_WIDTH - LABEL_WIDTH - 70
    height = ROW_HEIGHT * len(bars) + 4
    rows = []
    for position, bar in enumerate(bars):
        y = position * ROW_HEIGHT + 2
        # However small, a count is a visible bar.
        error_width = max(bar_space * bar.errors / largest, 2.0) if bar.errors else 0.0
        warning_width = max(bar_space * bar.warnings / largest, 2.0) if bar.warnings else 0.0
        text = html.escape(bar.text)
        name = html.escape(
            report.translate(
                _(
                    "{name}: errors {errors:,}, warnings {warnings:,}",
                    name=bar.text,
                    errors=bar.errors,
                    warnings=bar.warnings,
                )
            )
        )
        href = html.escape(f"#{key}={bar.key}", quote=True)
        rows.append(
            f'<a href="{href}" data-filter="{key}" data-value="{html.escape(bar.key, quote=True)}" aria-label="{name}">'
            f"<title>{name}</title>"
            f'<rect class="row" x="0" y="{y}" width="{CHART_WIDTH}" height="{ROW_HEIGHT - 2}"/>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{text}</text>'
            + (
                f'<rect class="error" x="{LABEL_WIDTH}" y="{y + 3}" width="{error_width:.1f}" height="{ROW_HEIGHT - 8}"/>'
                if bar.errors
                else ""
            )
            + (
                f'<rect class="warning" x="{LABEL_WIDTH + error_width:.1f}" y="{y + 3}" width="{warning_width:.1f}" '
                f'height="{ROW_HEIGHT - 8}"/>'
                if bar.warnings
                else ""
            )
            + f'<text class="count" x="{LABEL_WIDTH + error_width + warning_width + 6:.1f}" y="{y + 16}">{number(bar.total)}</text>'
            "</a>"
        )
    table_rows = "".join(
        f'<tr><th scope="row">{html.escape(bar.text)}</th><td>{number(bar.errors)}</td><td>{number(bar.warnings)}</td></tr>'
        for bar in bars
    )
    return (
        f'<figure class="chart"><figcaption id="{heading_id}">{title}</figcaption>'
        f'<svg viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" '
        f'aria-labelledby="{heading_id}" role="group">{"".join(rows)}</svg>'
        f'<p class="legend"><span class="key error"></span>{label["errors"]} '
        f'<span class="key warning"></span>{label["warnings"]}</p>'
        f'<details><summary>{label["as_table"]}</summary><table><thead><tr><th scope="col">{column}</th>'
        f'<th scope="col">{label["errors"]}</th><th scope="col">{label["warnings"]}</th></tr></thead>'
        f"<tbody>{table_rows}</tbody></table></details></figure>"
    )


def _map_section(declared: Mapping[int, str], label: Mapping[str, str]) -> str:
    shapes = world()
    named = {alpha3 for alpha3 in declared.values()}
    land = "".join(path for alpha3, path in shapes.paths.items() if alpha3 not in named)
    outlines = "".join(
        f'<path class="declared" data-country="{index}" d="{shapes.paths[alpha3]}"/>'
        for index, alpha3 in sorted(declared.items())
        if alpha3 in shapes.paths
    )
    top = shapes.top - 6
    height = shapes.bottom - shapes.top + 12
    return (
        f'<section id="map" aria-labelledby="map-title"><h2 id="map-title">{label["map"]}</h2>'
        f'<p class="hint">{label["map_help"]}</p>'
        f'<figure class="map"><svg id="map-svg" viewBox="0 {top:.0f} {WIDTH:.0f} {height:.0f}" role="group" '
        f'aria-label="{label["map_label"]}">'
        f'<rect class="sea" x="0" y="{top:.0f}" width="{WIDTH:.0f}" height="{height:.0f}"/>'
        f'<path class="land" d="{land}"/><g id="map-countries">{outlines}</g><g id="map-points"></g></svg>'
        f'<figcaption><span class="key inside"></span>{label["map_legend_inside"]} '
        f'<span class="key outside"></span>{label["map_legend_outside"]} '
        '<span id="map-status" role="status"></span></figcaption></figure>'
        f'<h3 id="outside-title">{label["outside_title"]}</h3>'
        '<div id="outside"></div></section>'
    )


def _forms_section(label: Mapping[str, str]) -> str:
    def select(name: str, text: str) -> str:
        return (
            f'<div class="control"><label for="filter-{name}">{text}</label>'
            f'<select id="filter-{name}" name="{name}"><option value="">{label["all"]}</option></select></div>'
        )

    selects = (
        select("severity", label["severity"])
        + select("rule", label["rule"])
        + select("template", label["template"])
        + select("country", label["country"])
    )
    return (
        f'<section id="forms" aria-labelledby="forms-title" tabindex="-1"><h2 id="forms-title">{label["forms"]}</h2>'
        f'<form id="filters" role="search" aria-label="{label["filters"]}">{selects}'
        f'<div class="control search"><label for="filter-q">{label["search"]} '
        f'<span class="hint">({label["search_hint"]})</span></label>'
        '<input type="search" id="filter-q" name="q" autocomplete="off"></div>'
        f'<div class="control"><button type="reset" id="filter-clear">{label["clear"]}</button></div></form>'
        '<p id="status" role="status" aria-live="polite"></p>'
        f"<noscript><p>{label['noscript']}</p></noscript>"
        '<div id="form-list"></div>'
        f'<p><button type="button" id="more" hidden>{label["more"]}</button></p></section>'
    )
