"""Running the rules over forms.

The engine owns everything between a file and its problems that is not a
rule: decoding (ALP101), choosing the template (ALP105), which rules run and
at which severity, per-file ignores and suppression comments.  It knows no
rule's internals: it reads each family's declared ``RULES`` and ``OPTIONS``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alplint.config import Config, check_schema_map
from alplint.globs import path_matches
from alplint.i18n import _
from alplint.model import DIRECTIVE_VERBS, Directive, Form, Span
from alplint.parse import first_type, has_form_shape, head_types, parse
from alplint.problem import Edit, Fix, Problem, Severity
from alplint.result import FileResult as FileResult  # where the engine's callers have always found it
from alplint.rules import Catalog as Catalog  # the one catalogue, where the command line looks for it
from alplint.rules import option_defaults
from alplint.schema import SchemaSet
from alplint.source import SourceText, Unreadable, decode, discover, read
from alplint.suggest import closest

if TYPE_CHECKING:
    from alplint.template import Template

UNREADABLE = "ALP101"
UNKNOWN_FORM = "ALP105"
INVALID_DIRECTIVE = "ALP106"
UNUSED_SUPPRESSION = "ALP107"
# A text without tags is still a form when it has this many questions of one template.
FORM_QUESTIONS = 2


class _Silencer:
    """One obeyed directive and, for ALP107, which of its selectors silenced something."""

    __slots__ = ("by_selector", "codes", "directive", "used")

    def __init__(self, directive: Directive, selectors: list[tuple[str, Span, frozenset[str]]]) -> None:
        self.directive = directive
        # None: every rule (a directive without selectors).
        self.codes: frozenset[str] | None = None
        if len(selectors) == 1:
            self.codes = selectors[0][2]
        elif selectors:
            self.codes = frozenset().union(*(codes for _word, _span, codes in selectors))
        self.by_selector = selectors
        self.used: set[str] = set()

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


class _RangeState:
    """The rules silenced between ``disable`` and ``enable`` comments, as the comments are passed."""

    def __init__(self) -> None:
        self.every: _Silencer | None = None  # a bare "disable": every rule...
        self.reenabled: set[str] = set()  # ...but these, enabled again since
        self.by_code: dict[str, _Silencer] = {}

    def apply(self, silencer: _Silencer) -> None:
        codes = silencer.codes
        if silencer.directive.verb == "disable":
            if codes is None:
                self.every, self.reenabled = silencer, set()
            else:
                for code in codes:
                    self.by_code[code] = silencer
                    self.reenabled.discard(code)
        elif codes is None:
            self.every, self.reenabled, self.by_code = None, set(), {}
        else:
            for code in codes:
                self.by_code.pop(code, None)
                if self.every is not None:
                    self.reenabled.add(code)

    def silencer(self, code: str) -> _Silencer | None:
        found = self.by_code.get(code)
        if found is None and self.every is not None and code not in self.reenabled:
            found = self.every
        return found


@dataclass(slots=True)
class _Suppressions:
    """The obeyed directives of one form, by kind, in line order."""

    next_line: dict[int, list[_Silencer]] = field(default_factory=dict)
    ranges: list[_Silencer] = field(default_factory=list)
    whole_file: list[_Silencer] = field(default_factory=list)

    @property
    def silencers(self) -> list[_Silencer]:
        every = [s for group in self.next_line.values() for s in group] + self.ranges + self.whole_file
        return sorted(every, key=lambda silencer: silencer.directive.span.line)

    def silenced(self, problems: Sequence[Problem]) -> list[bool]:
        """Which problems a directive silences (each credited to one directive), in one pass by line."""
        result = [False] * len(problems)
        order = sorted(range(len(problems)), key=lambda index: problems[index].line)
        state = _RangeState()
        passed = 0
        file_every = next((s for s in self.whole_file if s.codes is None), None)
        file_by_code: dict[str, _Silencer] = {}
        for silencer in reversed(self.whole_file):
            file_by_code.update(dict.fromkeys(silencer.codes or (), silencer))
        for index in order:
            problem = problems[index]
            while passed < len(self.ranges) and self.ranges[passed].directive.span.line < problem.line:
                state.apply(self.ranges[passed])
                passed += 1
            found = next(
                (s for s in self.next_line.get(problem.line, ()) if s.covers(problem.code)), None
            ) or state.silencer(problem.code)
            if found is None:
                found = file_by_code.get(problem.code, file_every)
            if found is not None:
                found.used.add(problem.code)
                result[index] = True
        return result


def _directive_problem(span: Span, message: str, subject: str) -> Problem:
    return Problem.at(span, INVALID_DIRECTIVE, message, subject=subject)


def _read_directives(
    directives: Sequence[Directive], catalog: Catalog
) -> tuple[_Suppressions, list[Problem]]:
    """The directives to obey, and ALP106 for each one (or each word) that cannot be."""
    suppressions = _Suppressions()
    problems: list[Problem] = []
    resolved: dict[str, frozenset[str]] = {}
    for directive in directives:
        if not directive.alone:
            problems.append(
                _directive_problem(
                    directive.span,
                    _(
                        "This alplint comment shares its line with other text, so it is ignored: "
                        "move it to a line of its own"
                    ),
                    "directive not alone",
                )
            )
            continue
        if directive.verb not in DIRECTIVE_VERBS:
            problems.append(_bad_verb(directive))
            continue
        if directive.verb == "draft":
            for word, span in directive.selectors:
                problems.append(
                    _directive_problem(
                        span,
                        _('"alplint-draft" takes no rules: delete "{word}"', word=word),
                        f"draft:{word}",
                    )
                )
            continue
        selectors: list[tuple[str, Span, frozenset[str]]] = []
        for word, span in directive.selectors:
            codes = resolved.get(word)
            if codes is None:
                codes = resolved[word] = frozenset(catalog.select(word))
            if codes:
                selectors.append((word, span, codes))
                continue
            problems.append(
                _directive_problem(
                    span,
                    _(
                        'Unknown rule "{word}" in this alplint comment{hint}',
                        word=word,
                        hint=catalog.hint(word),
                    ),
                    f"rule:{word}",
                )
            )
        if directive.selectors and not selectors:
            continue  # it names only unknown rules: it silences nothing, rather than everything
        silencer = _Silencer(directive, selectors)
        if directive.verb == "disable-next-line":
            suppressions.next_line.setdefault(directive.span.line + 1, []).append(silencer)
        elif directive.verb == "disable-file":
            suppressions.whole_file.append(silencer)
        else:
            suppressions.ranges.append(silencer)
    return suppressions, problems


# Verbs of other linters' comments (eslint, markdownlint) and the alplint verb meant.  A comment on
# a line of its own cannot mean "this line": it means the next one.
_OTHER_TOOLS_VERBS = {"disable-line": "disable-next-line", "enable-file": "enable"}


def _bad_verb(directive: Directive) -> Problem:
    if not directive.verb:
        return _directive_problem(
            directive.verb_span,
            _(
                'This comment starts with "alplint" but is no alplint directive: write "alplint-" and '
                'one of {verbs}, such as "<!-- alplint-disable-next-line ALP601 -->"',
                verbs=", ".join(DIRECTIVE_VERBS),
            ),
            "directive:",
        )
    written = f"alplint-{directive.verb}"
    known = [f"alplint-{verb}" for verb in DIRECTIVE_VERBS]
    meant = _OTHER_TOOLS_VERBS.get(directive.verb.lower())
    close = [f"alplint-{meant}"] if meant else closest(written, known)
    hint = (
        _('; did you mean "{close}"?', close=close[0])
        if close
        else _("; the directives are {verbs}", verbs=", ".join(known))
    )
    return _directive_problem(
        directive.verb_span,
        _('Unknown alplint directive "{written}", so it silences nothing{hint}', written=written, hint=hint),
        f"directive:{directive.verb}",
    )


def _unused(silencers: Iterable[_Silencer], enabled: Collection[str]) -> Iterator[Problem]:
    """ALP107 for each obeyed suppression, or each of its rules, that silenced nothing."""
    for silencer in silencers:
        directive = silencer.directive
        if directive.verb == "enable":
            continue  # it silences nothing by design
        comment = f"alplint-{directive.verb}"
        if silencer.codes is None:
            if not silencer.used:
                yield _unused_problem(
                    directive, _('This "{comment}" silenced nothing: delete it', comment=comment)
                )
            continue
        judged = [(word, span, codes) for word, span, codes in silencer.by_selector if codes & set(enabled)]
        idle = [(word, span) for word, span, codes in judged if not codes & silencer.used]
        if not idle:
            continue
        if len(idle) == len(silencer.by_selector):
            yield _unused_problem(
                directive, _('This "{comment}" silenced nothing: delete it', comment=comment)
            )
            continue
        for word, span in idle:
            yield Problem.at(
                span,
                UNUSED_SUPPRESSION,
                _('"{word}" silenced nothing here: remove it from the comment', word=word),
                subject=f"unused:{word}",
            )


def _unused_problem(directive: Directive, message: str) -> Problem:
    fix = Fix(_("Delete the comment"), "safe", (Edit.delete_line(directive.span.line),))
    return Problem.at(directive.span, UNUSED_SUPPRESSION, message, fix=fix, subject="unused")


class Linter:
    """Lints forms with one configuration; schemas are loaded and compiled once, here."""

    def __init__(self, config: Config | None = None, schemas: SchemaSet | None = None) -> None:
        self.config = config or Config()
        self.catalog = Catalog.builtin()
        self.schemas = schemas or SchemaSet.load(self.config.schema_dirs)
        check_schema_map(self.config, self.schemas.by_name)
        selected = (
            {code for code, rule in self.catalog.rules.items() if rule.default}
            if self.config.select is None
            else self.catalog.resolve_all(self.config.select, "select")
        )
        self.enabled = selected - self.catalog.resolve_all(self.config.ignore, "ignore")
        self.severity: dict[str, Severity] = {
            code: rule.severity for code, rule in self.catalog.rules.items()
        }
        for selector, severity in self.config.severity.items():
            for code in self.catalog.resolve(selector, "severity"):
                self.severity[code] = severity
        self.per_file_ignores = [
            (pattern, frozenset(self.catalog.resolve_all(codes, f"per-file-ignores {pattern}")))
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
        self.skip_types = frozenset(kind.strip().lower() for kind in self.config.skip_types)
        # The families that can yield a fix (a rule of theirs is declared fixable), by position, when
        # linting a form to fix it can leave the others out (see lint_to_fix).
        fixing = [
            index
            for index, (_name, module) in enumerate(self.active_families)
            if any(rule.fixable for rule in module.RULES)
        ]
        self._fixing_first = (
            fixing
            if len(fixing) < len(self.active_families) and UNUSED_SUPPRESSION not in self.enabled
            else None
        )

    def lint_text(self, text: str, path: str = "<string>") -> FileResult:
        """Lint decoded text (a leading byte-order mark is ignored)."""
        return self._lint(SourceText.of_text(path, text))[0]

    def lint_bytes(self, data: bytes, path: str) -> FileResult:
        return self.lint_source(decode(data, path), path)

    def lint_file(self, path: str) -> FileResult:
        return self.lint_source(read(path), path)

    def lint_paths(self, paths: Sequence[str]) -> Iterator[FileResult]:
        for path in discover(paths, lambda folder: self.config):
            yield self.lint_file(path)

    def is_form(self, form: Form) -> bool:
        """Whether a parsed text is a form to check (else it is skipped, like a README).

        It is one when it has the shape of a form: a tag, a line that starts
        like one, a near-miss tag in its head (``parse.has_form_shape``), or,
        with every tag deleted, at least ``FORM_QUESTIONS`` questions of one
        known template.  A page whose every ``[[type:...]]`` is one of the
        ``skip-types`` (the archive's articles and method cards) is not one.
        """
        if has_form_shape(form):
            types = form.types
            return not types or not all(kind in self.skip_types for kind in types)
        if len(form.questions) < FORM_QUESTIONS:
            return False
        return self.schemas.most_questions_known(form) >= FORM_QUESTIONS

    def lint_source(self, source: SourceText | Unreadable, path: str) -> FileResult:
        """Lint a file as ``source.read`` or ``source.decode`` gave it (ALP101 when it is unreadable)."""
        if isinstance(source, Unreadable):
            problem = Problem.at(
                Span(source.line, source.column, source.line, source.column + 1),
                UNREADABLE,
                source.message,
                subject="unreadable",
            )
            problems, notes, suppressed = self._finish(path, [problem], None)
            return FileResult(path, problems, notes, suppressed, readable=False)
        return self._lint(source)[0]

    def lint_to_fix(
        self, source: SourceText, applies: Callable[[Fix | None], bool]
    ) -> tuple[FileResult, bool]:
        """Lint a form that ``--fix`` is to fix: the result, and whether it is the whole lint.

        The families that can yield a fix (a rule of theirs is declared ``fixable``) run first.
        When their problems hold a fix that ``applies``, the others do not run: the result holds
        the fixing families' problems alone (the second value is False), all that fixing needs.
        A family without a fixable rule yields no fix and no ``mistake`` (its problems could
        neither add a fix, nor hide one as another reading of its mistake, nor move one: the
        problems keep their order), so the fixes are those of the whole lint; the fixed text is
        then linted whole.  Otherwise the result is the whole lint, as ``lint_source`` gives it
        (and always when ALP107, judged on every problem, is enabled).
        """
        return self._lint(source, applies)

    def _lint(
        self, source: SourceText, applies: Callable[[Fix | None], bool] | None = None
    ) -> tuple[FileResult, bool]:
        path = source.path
        # Most pages are forms: their first type tag tells so without reading their head.
        if first_type(source.text) in self.skip_types:
            types = head_types(source.text)
            if types and all(kind in self.skip_types for kind in types):
                return FileResult(path, form_type=types[0], is_form=False), True
        form = parse(source.text, path)
        if not self.is_form(form):
            return FileResult(path, form_type=form.form_type, is_form=False), True
        choice = self.schemas.choose(form, self._mapped_template(path))
        template = choice.template
        problems: list[Problem] = []
        if template is None:
            type_tag = form.tag_values("type")
            span = type_tag[0].value_span if type_tag else form.title_span
            problems.append(Problem.at(span, UNKNOWN_FORM, choice.reason, subject=form.form_type or ""))
        binding = choice.binding
        fixing = self._fixing_first
        if applies is None or fixing is None:
            for name, module in self.active_families:
                problems.extend(module.check(form, binding, self.options[name]))
        else:
            found: list[list[Problem]] = [[] for _family in self.active_families]
            for index in fixing:
                name, module = self.active_families[index]
                found[index] = list(module.check(form, binding, self.options[name]))
            first = [*problems, *(problem for group in found for problem in group)]
            # Directives add problems of their own (ALP106), some with a fix.
            if form.directives or any(applies(problem.fix) for problem in first):
                kept, notes, suppressed = self._finish(path, first, form)
                if any(applies(problem.fix) for problem in kept):
                    return self._result(path, form, template, kept, notes, suppressed), False
            for index, (name, module) in enumerate(self.active_families):
                if index not in fixing:
                    found[index] = list(module.check(form, binding, self.options[name]))
            for group in found:
                problems.extend(group)
        kept, notes, suppressed = self._finish(path, problems, form)
        return self._result(path, form, template, kept, notes, suppressed), True

    def _result(
        self,
        path: str,
        form: Form,
        template: Template | None,
        kept: list[Problem],
        notes: Counter[str],
        suppressed: int,
    ) -> FileResult:
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
        )

    def _mapped_template(self, path: str) -> str | None:
        for pattern, template in self.config.schema_map.items():
            if path_matches(path, pattern):
                return template
        return None

    def _finish(
        self, path: str, problems: list[Problem], form: Form | None
    ) -> tuple[list[Problem], Counter[str], int]:
        """The problems to report, in order; the count of notes by code; how many were suppressed.

        Problems inside code blocks are dropped (no rule reads code); then each
        mistake keeps its first enabled reading; then suppression comments
        silence what they name.  ALP107 (a suppression that silenced nothing)
        is judged last and cannot itself be suppressed by a comment.
        """
        ignored: frozenset[str] = frozenset()
        for pattern, codes in self.per_file_ignores:
            if path_matches(path, pattern):
                ignored |= codes
        enabled = self.enabled - ignored
        suppressions: _Suppressions | None = None
        if form is not None:
            if form.code_blocks:
                problems = _outside_code(problems, form.code_blocks)
            if form.directives:
                suppressions, invalid = _read_directives(form.directives, self.catalog)
                problems = [*problems, *invalid]
        candidates: list[Problem] = []
        read_mistakes: set[str] = set()
        for problem in problems:
            if problem.code not in enabled:
                continue
            if problem.mistake:
                # The first enabled reading of a mistake stands for it, even when suppressed.
                if problem.mistake in read_mistakes:
                    continue
                read_mistakes.add(problem.mistake)
            candidates.append(problem)
        suppressed = 0
        if suppressions is not None:
            silenced = suppressions.silenced(candidates)
            suppressed = sum(silenced)
            candidates = [problem for problem, hidden in zip(candidates, silenced, strict=True) if not hidden]
            if UNUSED_SUPPRESSION in enabled:
                candidates.extend(_unused(suppressions.silencers, enabled))
        kept: list[Problem] = []
        notes: Counter[str] = Counter()
        for problem in candidates:
            severity = self.severity[problem.code]
            if severity == "note":
                notes[problem.code] += 1
                continue
            kept.append(problem.with_(path=path, severity=severity))
        kept.sort(key=lambda problem: problem.sort_key)
        return kept, notes, suppressed


def _outside_code(problems: list[Problem], code_blocks: Sequence[Span]) -> list[Problem]:
    """The problems that do not start inside a fenced code block (blocks in line order)."""
    firsts = [block.line for block in code_blocks]
    kept = []
    for problem in problems:
        position = bisect_right(firsts, problem.line) - 1
        if position < 0 or problem.line > code_blocks[position].end_line:
            kept.append(problem)
    return kept


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
