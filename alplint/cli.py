"""The command line: build a configuration, run the engine, pick a reporter, choose the exit code."""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from alplint import __version__
from alplint.config import Config, ConfigResolver
from alplint.errors import ConfigError, UsageError
from alplint.i18n import ENGLISH, LANGUAGES, Message, _, language_from_environment, translate, translate_text
from alplint.report import FORMATS, Report, Summary, get_reporter
from alplint.source import DEFAULT_EXCLUDE, TooLarge, discover, display_path, read_stdin

if TYPE_CHECKING:
    from alplint.engine import FileResult, Linter
    from alplint.fix import FixResult
    from alplint.rules import Rule

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


# The formats a person reads: they speak the reader's language even when only the environment names it.
READ_BY_PEOPLE = ("text", "html")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(_("{message} (see alplint --help)", message=_argparse_message(message)))


_ARGUMENT = re.compile(r"argument (?P<option>\S+): (?P<rest>.*)", re.DOTALL)
_INVALID_CHOICE = re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.DOTALL)


def _argparse_message(message: str) -> str:
    """argparse's commonest messages, in words that can be translated (the rest as argparse writes them)."""
    if message.startswith("unrecognized arguments: "):
        return _("unknown option or argument: {arguments}", arguments=message.split(": ", 1)[1])
    argument = _ARGUMENT.fullmatch(message)
    if argument is None:
        return message
    option, rest = argument["option"], argument["rest"]
    choice = _INVALID_CHOICE.fullmatch(rest)
    if choice is not None:
        return _(
            "{option}: {value} is not one of {choices}",
            option=option,
            value=choice["value"],
            choices=choice["choices"],
        )
    if rest == "expected one argument":
        return _("{option} needs a value", option=option)
    return message


def _codes(value: str) -> list[str]:
    codes = [part.strip() for part in value.split(",")]
    if not all(codes):
        # As ruff: an empty selector is a mistake (a shell variable that was not set), never "no rules".
        raise argparse.ArgumentTypeError(
            f'empty rule selector in "{value}": name rules by code (ALP601), name or prefix (ALP6)'
        )
    return codes


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="alplint",
        description="Check the Markdown forms of the UNDP Accelerator Labs against their templates.",
        epilog="Folders are searched for *.md and *.txt, following symbolic links, skipping hidden "
        "files and folders, virtual environments, "
        + ", ".join(name for name in DEFAULT_EXCLUDE if not name.startswith("."))
        + ", what the configuration's exclude names and what git ignores. Each form is checked with "
        "its closest configuration (.alplint.yaml, .alplint.toml or pyproject.toml with [tool.alplint], "
        "in its folder or above); the command line wins over it. Exit codes: 0 no errors, 1 errors "
        "(or warnings with --strict), 2 a usage, configuration, schema or I/O error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="forms or folders to check (default: ., or stdin with --stdin-filename); - reads stdin",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--select",
        type=_codes,
        action="append",
        metavar="CODES",
        help="only these rules (codes, names or prefixes, comma-separated)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="read settings from FILE (.alplint.yaml, .alplint.toml or pyproject.toml) for every form, "
        "instead of each form's closest configuration (found upward from the form's folder)",
    )
    parser.add_argument("--ignore", type=_codes, action="append", metavar="CODES", help="skip these rules")
    parser.add_argument(
        "--schema-dir", action="append", metavar="DIR", help="also load the schema files in DIR (repeatable)"
    )
    parser.add_argument("--fix", action="store_true", help="repair what can be repaired safely, in place")
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that need a human check (ALP304 swaps latitude and longitude)",
    )
    parser.add_argument(
        "--diff", action="store_true", help="print what --fix would change, as a diff; write nothing"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    parser.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="read a form from stdin and report it as NAME (its configuration is NAME's closest)",
    )
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="skip files and folders named on the command line that exclude (or the default exclusions) "
        "names too, as the pre-commit hook does; without it, what is named is checked",
    )
    parser.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip what git ignores (.gitignore, .git/info/exclude) when walking folders "
        "(default: the configuration's respect-gitignore, true)",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of messages and reports: en, es or fr (default: the configuration's lang, "
        "else LANGUAGE, LC_ALL, LC_MESSAGES or LANG for text and html, else English; json, sarif, "
        "junit and github messages stay English unless --lang or lang asks)",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list every rule and exit (--format text or json)"
    )
    parser.add_argument("--explain", metavar="CODE", help="explain one rule (code or name) and exit")
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print counts per rule and per question instead of the problems (--format text or json)",
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only the problems not recorded in FILE")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's problems in FILE and exit")
    parser.add_argument(
        "--new", nargs="?", const="", metavar="TEMPLATE", help="print a blank draft of TEMPLATE and exit"
    )
    parser.add_argument("--version", action="version", version=f"alplint {__version__}")
    return parser


def _resolver(args: argparse.Namespace) -> ConfigResolver:
    """Each form's configuration (its closest, or --config's) with the command line's settings on top."""
    overrides: dict[str, object] = {}
    if args.select:
        overrides["select"] = tuple(code for group in args.select for code in group)
    if args.ignore:
        overrides["ignore"] = tuple(code for group in args.ignore for code in group)
    if args.schema_dir:
        overrides["schema_dirs"] = tuple(args.schema_dir)
    if args.respect_gitignore is not None:
        overrides["respect_gitignore"] = args.respect_gitignore
    return ConfigResolver(args.config, Path.cwd(), overrides)


class _Linters:
    """One linter per configuration, built when a form first needs it (schemas are compiled per linter)."""

    def __init__(self, resolver: ConfigResolver) -> None:
        self.resolver = resolver
        self._built: dict[str | None, Linter] = {}

    def of(self, config: Config) -> Linter:
        from alplint.engine import Linter

        linter = self._built.get(config.path)
        if linter is None:
            linter = self._built[config.path] = Linter(config)
        return linter

    def for_file(self, path: str) -> Linter:
        return self.of(self.resolver.for_file(path))

    def lint(self, paths: Sequence[str], force_exclude: bool) -> Iterator[tuple[Linter, FileResult]]:
        """Each form under ``paths``, linted with the linter of its configuration."""
        for path in discover(paths, self.resolver.for_folder, force_exclude=force_exclude):
            linter = self.for_file(path)
            yield linter, linter.lint_file(path)


def _fix_label(rule: Rule) -> str:
    """Whether and how --fix repairs a rule's problems, as --list-rules and --explain say it."""
    if not rule.fixable:
        return ""
    if rule.fix_applicability == "safe":
        return _("fix (safe)")
    return _("fix (unsafe, with --unsafe-fixes)")


def _list_rules(output_format: str, language: str) -> str:
    from alplint.engine import Catalog
    from alplint.report import SEVERITY_WORDS
    from alplint.rules import load_families

    catalog = Catalog(load_families())
    if output_format == "json":
        entries = [
            {
                "code": rule.code,
                "name": rule.name,
                "family": catalog.family_of[rule.code],
                "severity": rule.severity,
                "fixable": rule.fixable,
                "fix_applicability": rule.fix_applicability if rule.fixable else None,
                "summary": translate_text(rule.summary, language),
            }
            for rule in catalog.rules.values()
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    severities = {severity: translate(word, language) for severity, word in SEVERITY_WORDS.items()}
    width = max(len(word) for word in severities.values()) + 1
    rows = [
        f"{rule.code}  {rule.name:<26} {severities[rule.severity]:<{width}} "
        f"{translate_text(rule.summary, language)}"
        + (f"  [{translate(_fix_label(rule), language)}]" if rule.fixable else "")
        for rule in catalog.rules.values()
    ]
    return "\n".join(rows) + "\n"


def _explain(selector: str, language: str) -> str:
    from alplint.engine import Catalog
    from alplint.i18n import translate_doc
    from alplint.report import SEVERITY_WORDS
    from alplint.rules import load_families, rule_docs

    catalog = Catalog(load_families())
    codes = catalog.resolve(selector, "--explain")
    if len(codes) != 1:
        raise ConfigError(
            _('--explain takes one rule; "{selector}" names {count}', selector=selector, count=len(codes))
        )
    (code,) = codes
    rule = catalog.rules[code]
    docs = rule_docs(catalog.families[catalog.family_of[code]])
    severity = SEVERITY_WORDS[rule.severity]
    about: str = severity
    if rule.fixable:
        how = (
            _("fixable with --fix")
            if rule.fix_applicability == "safe"
            else _("fixable with --fix --unsafe-fixes; check each change")
        )
        about = _("{severity}, {fix}: {how}", severity=severity, fix=_fix_label(rule), how=how)
    header = f"{rule.code} {rule.name} ({translate(about, language)})"
    section = translate_doc(docs[code], language) if code in docs else translate_text(rule.summary, language)
    first, newline, rest = section.partition("\n")
    return f"{header}\n{rest if newline else first}\n"


def _use_color(args: argparse.Namespace) -> bool:
    return not args.no_color and not args.output_file and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _fix_one(
    result: FileResult, linter: Linter, args: argparse.Namespace, stdin_data: bytes | None
) -> tuple[FileResult, FixResult | None]:
    """Fix one form (with --diff, only work the fixes out): the result to report, and what was fixed.

    A form read from stdin is written to stdout, fixed or not, as ruff does.
    """
    from alplint.atomic import write_file
    from alplint.fix import encode_like, fix_loop, is_applicable, unsettled_warning
    from alplint.report import shown

    source = result.source
    outcome = None
    if source is not None and any(
        is_applicable(problem.fix, unsafe=args.unsafe_fixes) for problem in result.problems
    ):
        outcome = fix_loop(
            result.path,
            source.text,
            result.problems,
            lambda text: linter.lint_text(text, result.path).problems,
            unsafe=args.unsafe_fixes,
        )
        if not outcome.converged:
            print(f"alplint: {unsettled_warning(shown(result.path))}", file=sys.stderr)
    if args.diff or outcome is None or not outcome.changed or source is None:
        if stdin_data is not None and not args.diff:
            sys.stdout.buffer.write(stdin_data)
        return result, outcome
    fixed_bytes = encode_like(source, outcome.fixed_text)
    if stdin_data is not None:
        sys.stdout.buffer.write(fixed_bytes)
        return replace(result, problems=list(outcome.remaining)), outcome
    try:
        written = write_file(result.path, fixed_bytes, original=encode_like(source, source.text))
    except OSError as error:
        reason = error.strerror or str(error)
        message = _(
            "{path} was not fixed: it cannot be written ({reason})", path=shown(result.path), reason=reason
        )
        print(f"alplint: {message}", file=sys.stderr)
        return result, None
    if not written:
        message = _(
            "{path} was not fixed: it changed on disk while alplint was checking it; run alplint --fix again",
            path=shown(result.path),
        )
        print(f"alplint: {message}", file=sys.stderr)
        return result, None
    return replace(result, problems=list(outcome.remaining)), outcome


def _write_output(args: argparse.Namespace, output: str, checked: Sequence[FileResult] = ()) -> None:
    """Print the output, or write it to --output-file, which must not be one of the ``checked`` forms."""
    from alplint.atomic import write_file
    from alplint.report import shown

    if not args.output_file:
        try:
            sys.stdout.write(output)
        except UnicodeEncodeError:
            # A terminal that cannot show some character: escape it rather than fail.
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.write(output.encode(encoding, "backslashreplace").decode(encoding))
        return
    name = shown(args.output_file)
    form = _checked_form_at(args.output_file, checked)
    if form is not None:
        raise ConfigError(
            _(
                "--output-file {path} is the form {form}, which was just checked: "
                "the report would replace it; name another file",
                path=name,
                form=shown(form),
            )
        )
    try:
        write_file(args.output_file, output.encode("utf-8", "surrogateescape"))
    except OSError as error:
        raise ConfigError(
            _("cannot write the report to {path}: {reason}", path=name, reason=error.strerror or str(error))
        ) from None


def _read_stdin() -> bytes:
    try:
        return read_stdin()
    except TooLarge as error:
        raise UsageError(
            _(
                "standard input holds more than {megabytes} MB: too large to be a form",
                megabytes=error.limit // 1024 // 1024,
            )
        ) from None
    except OSError as error:
        raise UsageError(
            _("cannot read standard input: {reason}", reason=error.strerror or str(error))
        ) from None


def _checked_form_at(path: str, checked: Sequence[FileResult]) -> str | None:
    """The checked form that ``path`` names (through links and other spellings), if any."""
    try:
        target = os.stat(path)
    except OSError:
        return None
    for result in checked:
        try:
            form = os.stat(result.path)
        except (OSError, ValueError):
            continue
        if (form.st_dev, form.st_ino) == (target.st_dev, target.st_ino):
            return result.path
    return None


def _lint_all(
    linters: _Linters, args: argparse.Namespace, paths: Sequence[str]
) -> tuple[list[FileResult], int, list[FixResult]]:
    """Lint (and with --fix or --diff, fix) every form: the results, how many files were not forms, the fixes."""
    results: list[FileResult] = []
    fixes: list[FixResult] = []
    skipped = 0
    for path in paths:
        stdin_data = _read_stdin() if path == "-" else None
        if stdin_data is not None:
            name = args.stdin_filename or "-"
            linter = linters.for_file(name)
            found: Iterator[tuple[Linter, FileResult]] = iter([(linter, linter.lint_bytes(stdin_data, name))])
        else:
            found = linters.lint([path], args.force_exclude)
        for linter, result in found:
            if args.fix or args.diff:
                result, outcome = _fix_one(result, linter, args, stdin_data)
                if outcome is not None:
                    fixes.append(outcome)
            if result.is_form:
                results.append(result)
            else:
                skipped += 1
    return results, skipped, fixes


def _check_options(args: argparse.Namespace) -> None:
    """Options that contradict each other, or that need another option to mean anything."""
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise ConfigError(_("--unsafe-fixes only widens --fix or --diff: add one of them"))
    if args.stdin_filename and args.paths and "-" not in args.paths:
        raise ConfigError(
            _(
                "--stdin-filename names the form read from standard input: add - to read it, "
                "or drop --stdin-filename to check the paths"
            )
        )
    for option, wanted in (("--list-rules", args.list_rules), ("--statistics", args.statistics)):
        if wanted and args.format not in ("text", "json"):
            raise ConfigError(
                _("{option} prints text or json; drop --format {format}", option=option, format=args.format)
            )


def _language(args: argparse.Namespace, config: Config) -> str:
    """The language of what a reader sees: --lang, the configuration's lang, else the environment's.

    The machine-readable formats stay in English unless --lang or lang asks: a script that reads
    them must not change with the terminal's language.
    """
    if args.lang or config.lang:
        return str(args.lang or config.lang)
    return language_from_environment() if args.format in READ_BY_PEOPLE else ENGLISH


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _check_options(args)
    if args.list_rules or args.explain:
        language = _language(args, _resolver(args).default)
        sys.stdout.write(
            _list_rules(args.format, language) if args.list_rules else _explain(args.explain, language)
        )
        return EXIT_OK
    if args.new is not None:
        from alplint.draft import find_template, render_draft
        from alplint.schema import SchemaSet

        config = _resolver(args).default
        template = find_template(SchemaSet.load(config.schema_dirs), args.new)
        _write_output(args, render_draft(template, _language(args, config)))
        return EXIT_OK
    if args.baseline and args.write_baseline:
        raise ConfigError(
            _("use --baseline or --write-baseline, not both: --write-baseline records every problem")
        )
    from alplint.rules import rule_docs

    linters = _Linters(_resolver(args))
    linter = linters.of(linters.resolver.default)
    language = _language(args, linters.resolver.default)
    baseline = None
    if args.baseline:
        from alplint.baseline import load_baseline

        # Read before linting, so that a broken baseline stops the run at once.
        try:
            baseline = load_baseline(args.baseline)
        except RecursionError:
            raise ConfigError(
                _(
                    "the baseline file {path} is nested too deeply to be an alplint baseline",
                    path=args.baseline,
                )
            ) from None
    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    missing = [path for path in paths if path != "-" and not os.path.lexists(path)]
    if missing:
        raise ConfigError(_("no such file or folder: {path}", path=display_path(missing[0])))
    results, skipped, fixes = _lint_all(linters, args, paths)
    if args.diff:
        from alplint.fix import summary_line, unified_diff

        diffs = "".join(unified_diff(fix.path, fix.original_text, fix.fixed_text) for fix in fixes)
        _write_output(args, diffs, results)
        unsafe_left = 0 if args.unsafe_fixes else Summary.of(results, skipped).unsafe_fixable
        print(
            translate(summary_line(fixes, dry_run=True, unsafe_left=unsafe_left), language), file=sys.stderr
        )
        return EXIT_PROBLEMS if diffs and not args.exit_zero else EXIT_OK
    if args.write_baseline:
        from alplint.baseline import write_baseline
        from alplint.i18n import ngettext
        from alplint.report import shown

        recorded = write_baseline(args.write_baseline, results)
        problems = ngettext("{count:,} problem", "{count:,} problems", recorded, count=recorded)
        forms = ngettext("{count:,} form", "{count:,} forms", len(results), count=len(results))
        recorded_line = _(
            "Recorded {problems} of {forms} in {path}.",
            problems=problems,
            forms=forms,
            path=shown(args.write_baseline),
        )
        print(translate(recorded_line, language))
        return EXIT_OK
    baselined = 0
    if baseline is not None:
        results, baselined = baseline.filter_all(results)
    help_texts = {
        code: text for module in linter.catalog.families.values() for code, text in rule_docs(module).items()
    }
    report = Report(
        results=results,
        summary=Summary.of(results, skipped, baselined),
        rules=linter.catalog.rules,
        rule_help=help_texts,
        family_of=linter.catalog.family_of,
        version=__version__,
        color=_use_color(args),
        language=language,
    )
    if args.statistics:
        from alplint.statistics import render_statistics, render_statistics_json

        if args.format == "json":
            output = render_statistics_json(results, linter.catalog.rules)
        else:
            output = render_statistics(results, linter.catalog.rules, language)
    else:
        output = get_reporter(args.format)(report)
    if args.fix and "-" in paths and not args.output_file:
        sys.stderr.write(output)  # stdout carries the fixed form
    else:
        _write_output(args, output, results)
    if args.fix:
        from alplint.fix import summary_line

        unsafe_left = 0 if args.unsafe_fixes else report.summary.unsafe_fixable
        print(translate(summary_line(fixes, unsafe_left=unsafe_left), language), file=sys.stderr)
    if args.exit_zero:
        return EXIT_OK
    failing = report.summary.errors or (args.strict and report.summary.warnings)
    return EXIT_PROBLEMS if failing else EXIT_OK


class _ClosedStream(io.TextIOBase):
    """Standard output when alplint was started with it closed: writing to it is an I/O error."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _discard_stdout() -> None:
    # What is still buffered for a standard output that failed would fail again when Python exits.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(devnull)


def _error_language(argv: Sequence[str] | None) -> str:
    """The language of an error that stops the run: --lang when it was given well, else the environment's.

    The configuration's lang is not read: the error may be in the configuration.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        value = argument.split("=", 1)[1] if argument.startswith("--lang=") else None
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        if value in LANGUAGES:
            return value
    return language_from_environment()


def _error_text(error: BaseException, language: str) -> str:
    """An error's message in ``language`` (a ``Message`` is its first argument)."""
    message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], Message) else str(error)
    return translate(message, language)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    try:
        status = run(argv)
        sys.stdout.flush()  # so that a failing standard output fails here, where it can be reported
        return status
    except UsageError as error:
        print(f"alplint: {_error_text(error, _error_language(argv))}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        interrupted = translate(_("interrupted"), _error_language(argv))
        print(f"alplint: {interrupted}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader (such as `head`) went away: nothing left to report to.
        _discard_stdout()
        return EXIT_FAILURE
    except OSError as error:
        # A full disk, a closed standard output: the system's failure, not alplint's.
        reason = error.strerror or str(error)
        if error.filename is None:
            _discard_stdout()
            print(f"alplint: cannot write to standard output: {reason}", file=sys.stderr)
        else:
            print(f"alplint: {display_path(os.fsdecode(error.filename))}: {reason}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:
        print(
            f"alplint: internal error, please report it: {type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
