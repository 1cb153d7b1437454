"""Running the rules over forms.

The engine owns everything between a file and its problems that is not a
rule: decoding (ALP101), choosing the template (ALP105), which rules run and
at which severity, per-file ignores and suppression comments.  It knows no
rule's internals: it reads each family's declared ``RULES`` and ``OPTIONS``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from alplint.config import Config, ConfigError, check_schema_map, path_matches
from alplint.model import Comment, Form, Span
from alplint.parse import looks_like_form, parse
from alplint.problem import Problem, Severity
from alplint.rules import Rule, load_families, option_defaults, select_codes
from alplint.schema import SchemaSet
from alplint.source import SourceText, Unreadable, decode, discover, read

UNREADABLE = "ALP101"
UNKNOWN_FORM = "ALP105"


@dataclass(slots=True)
class FileResult:
    """One file's outcome.  ``notes`` counts, by code, the problems whose severity is ``note``:
    what the platform writes the same way into every form is summed up, not listed."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    # Problems silenced by suppression comments (a baseline's are counted by the baseline).
    suppressed: int = 0
    form_type: str | None = None
    template: str | None = None
    # Which version of the template the form matched; None for a template of the authors' own.
    version: str | None = None
    is_form: bool = True
    title: str | None = None
    # Each location as written: country, latlng and the line of the country (or of the latlng).
    locations: tuple[tuple[str, str, int], ...] = ()
    # The source lines around each problem, by line number: all a reporter may quote.
    excerpt: Mapping[int, str] = field(default_factory=dict)
    source: SourceText | None = None
    form: Form | None = None

    @property
    def errors(self) -> int:
        return sum(problem.severity == "error" for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)


class Catalog:
    """Every rule of every family, found by code, name or prefix."""

    def __init__(self, families: Mapping[str, ModuleType]) -> None:
        self.families = families
        self.rules: dict[str, Rule] = {}
        self.family_of: dict[str, str] = {}
        for family, module in families.items():
            for rule in module.RULES:
                self.rules[rule.code] = rule
                self.family_of[rule.code] = family
        self.names = {code: rule.name for code, rule in self.rules.items()}
        self.by_name = {name: code for code, name in self.names.items()}

    def resolve(self, selector: str, where: str = "") -> set[str]:
        """The codes a selector names: a code, a rule name, a prefix (``ALP5``) or ``ALL``."""
        codes = select_codes(selector, self.names)
        if codes:
            return codes
        close = difflib.get_close_matches(selector.strip(), [*self.rules, *self.by_name], n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else "; see alplint --list-rules"
        raise ConfigError(f'{where}unknown rule "{selector}"{hint}')

    def resolve_all(self, selectors: Iterable[str], where: str = "") -> set[str]:
        codes: set[str] = set()
        for selector in selectors:
            codes |= self.resolve(selector, where)
        return codes


_DIRECTIVE = re.compile(
    r"alplint-(?P<verb>disable-next-line|disable-file|disable|enable)\b(?P<rules>.*)", re.DOTALL
)


@dataclass(frozen=True, slots=True)
class _Suppressions:
    """Where suppression comments silence which codes (``None`` = every code)."""

    whole_file: frozenset[str] | None
    lines: Mapping[int, frozenset[str] | None]
    ranges: tuple[tuple[int, int, frozenset[str] | None], ...]
    all_file: bool

    def silences(self, problem: Problem) -> bool:
        if self.all_file or (self.whole_file is not None and problem.code in self.whole_file):
            return True
        if problem.line in self.lines:
            codes = self.lines[problem.line]
            if codes is None or problem.code in codes:
                return True
        return any(
            start <= problem.line <= end and (codes is None or problem.code in codes)
            for start, end, codes in self.ranges
        )


def _known_codes(catalog: Catalog, words: Iterable[str]) -> Iterator[str]:
    # A typo in a comment must not stop the run, nor silence every rule.
    for word in words:
        try:
            yield from catalog.resolve(word)
        except ConfigError:
            continue


def _suppressions(comments: Sequence[Comment], catalog: Catalog, last_line: int) -> _Suppressions:
    whole: set[str] = set()
    all_file = False
    lines: dict[int, frozenset[str] | None] = {}
    ranges: list[tuple[int, int, frozenset[str] | None]] = []
    open_ranges: list[tuple[int, frozenset[str] | None]] = []
    for comment in comments:
        match = _DIRECTIVE.match(comment.text)
        if match is None:
            continue
        words = [word for word in re.split(r"[\s,]+", match["rules"]) if word]
        codes = frozenset(_known_codes(catalog, words)) if words else None
        verb = match["verb"]
        if verb == "disable-next-line":
            lines[comment.span.line + 1] = codes
        elif verb == "disable-file":
            if codes is None:
                all_file = True
            else:
                whole |= codes
        elif verb == "disable":
            open_ranges.append((comment.span.line, codes))
        else:
            closing = codes
            for start, opened in list(open_ranges):
                if closing is None or opened is None or opened <= closing:
                    ranges.append((start, comment.span.line, opened))
                    open_ranges.remove((start, opened))
                elif opened & closing:
                    ranges.append((start, comment.span.line, opened))
                    open_ranges.remove((start, opened))
                    open_ranges.append((comment.span.line, opened - closing))
    ranges.extend((start, last_line, codes) for start, codes in open_ranges)
    return _Suppressions(frozenset(whole), lines, tuple(ranges), all_file)


class Linter:
    """Lints forms with one configuration; schemas are loaded and compiled once, here."""

    def __init__(self, config: Config | None = None, schemas: SchemaSet | None = None) -> None:
        self.config = config or Config()
        self.catalog = Catalog(load_families())
        self.schemas = schemas or SchemaSet.load(self.config.schema_dirs)
        check_schema_map(self.config, self.schemas.by_name)
        self.enabled = self.catalog.resolve_all(self.config.select, "select: ") - self.catalog.resolve_all(
            self.config.ignore, "ignore: "
        )
        self.severity: dict[str, Severity] = {
            code: rule.severity for code, rule in self.catalog.rules.items()
        }
        for selector, severity in self.config.severity.items():
            for code in self.catalog.resolve(selector, "severity: "):
                self.severity[code] = severity
        self.per_file_ignores = [
            (pattern, frozenset(self.catalog.resolve_all(codes, f"per-file-ignores {pattern}: ")))
            for pattern, codes in self.config.per_file_ignores.items()
        ]
        self.options: dict[str, dict[str, Any]] = {}
        for family, module in self.catalog.families.items():
            self.options[family] = {**option_defaults(module.OPTIONS), **self.config.options.get(family, {})}
        self.active_families = [
            (name, module)
            for name, module in self.catalog.families.items()
            if any(rule.code in self.enabled for rule in module.RULES)
        ]

    def lint_text(self, text: str, path: str = "<string>") -> FileResult:
        """Lint decoded text (a leading byte-order mark is ignored)."""
        if text.startswith("\ufeff"):
            text = text[1:]
        return self._lint(SourceText(path, text, "utf-8", b""))

    def lint_bytes(self, data: bytes, path: str) -> FileResult:
        return self._lint_decoded(decode(data, path), path)

    def lint_file(self, path: str) -> FileResult:
        return self._lint_decoded(read(path), path)

    def lint_paths(self, paths: Sequence[str]) -> Iterator[FileResult]:
        for path in discover(paths, lambda folder: self.config):
            yield self.lint_file(path)

    def _lint_decoded(self, source: SourceText | Unreadable, path: str) -> FileResult:
        if isinstance(source, Unreadable):
            problem = Problem.at(
                Span(source.line, source.column, source.line, source.column + 1),
                UNREADABLE,
                source.message,
                subject="unreadable",
            )
            problems, notes, _suppressed = self._finish(path, [problem], None)
            return FileResult(path, problems, notes)
        return self._lint(source)

    def _lint(self, source: SourceText) -> FileResult:
        path = source.path
        if not looks_like_form(source.text):
            return FileResult(path, is_form=False, source=source)
        form = parse(source.text, path)
        choice = self.schemas.choose(form, self._mapped_template(path))
        template = choice.template
        problems: list[Problem] = []
        if template is None:
            type_tag = form.tag_values("type")
            span = type_tag[0].value_span if type_tag else form.title_span
            problems.append(Problem.at(span, UNKNOWN_FORM, choice.reason, subject=form.form_type or ""))
        binding = choice.binding
        for name, module in self.active_families:
            problems.extend(module.check(form, binding, self.options[name]))
        kept, notes, suppressed = self._finish(path, problems, form)
        return FileResult(
            path,
            kept,
            notes,
            suppressed,
            form_type=form.form_type,
            template=template.name if template else None,
            version=template.version if template else None,
            title=form.title.text if form.title else None,
            locations=tuple(
                (
                    location.country.value if location.country else "",
                    location.latlng.value if location.latlng else "",
                    location.line,
                )
                for location in form.locations
            ),
            excerpt=_excerpt(form.lines, kept),
            source=source,
            form=form,
        )

    def _mapped_template(self, path: str) -> str | None:
        for pattern, template in self.config.schema_map.items():
            if path_matches(path, pattern):
                return template
        return None

    def _finish(
        self, path: str, problems: list[Problem], form: Form | None
    ) -> tuple[list[Problem], Counter[str], int]:
        """The problems to report, in order; the count of notes by code; how many were suppressed."""
        ignored: frozenset[str] = frozenset()
        for pattern, codes in self.per_file_ignores:
            if path_matches(path, pattern):
                ignored |= codes
        suppressions = _suppressions(form.comments, self.catalog, len(form.lines)) if form else None
        kept: list[Problem] = []
        notes: Counter[str] = Counter()
        read_mistakes: set[str] = set()
        suppressed = 0
        for problem in problems:
            if problem.code not in self.enabled or problem.code in ignored:
                continue
            if problem.mistake:
                # The first enabled reading of a mistake stands for it, even when suppressed.
                if problem.mistake in read_mistakes:
                    continue
                read_mistakes.add(problem.mistake)
            if suppressions is not None and suppressions.silences(problem):
                suppressed += 1
                continue
            severity = self.severity[problem.code]
            if severity == "note":
                notes[problem.code] += 1
                continue
            kept.append(problem.with_(path=path, severity=severity))
        kept.sort(key=lambda problem: problem.sort_key)
        return kept, notes, suppressed


EXCERPT_CONTEXT = 2


def _excerpt(lines: Sequence[str], problems: Sequence[Problem]) -> dict[int, str]:
    """The lines each problem spans, with ``EXCERPT_CONTEXT`` lines around them."""
    wanted: set[int] = set()
    for problem in problems:
        first = max(1, problem.line - EXCERPT_CONTEXT)
        last = min(len(lines), problem.end_line + EXCERPT_CONTEXT)
        wanted.update(range(first, last + 1))
    return {number: lines[number - 1] for number in sorted(wanted)}


def lint_text(text: str, path: str | None = None, config: Config | None = None) -> list[Problem]:
    """The problems of one form's text: the public, pure entry point for notebooks and services."""
    return Linter(config).lint_text(text, path or "<string>").problems


def lint_paths(paths: Sequence[str], config: Config | None = None) -> list[FileResult]:
    """Every form under the given files and folders, linted."""
    return list(Linter(config).lint_paths(paths))
