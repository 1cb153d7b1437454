"""The command line: parse the options into ``CommandLine``, hand them to the runner
(``alplint.runner``), pick a reporter, choose the exit code.

Start-up is kept cheap: ``--version`` and ``--help`` import neither the rules nor the engine, nor
jsonschema or yaml; a run imports what it needs when it needs it.
"""

from __future__ import annotations

import argparse
import errno
import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from alplint import __version__

# As typing.TYPE_CHECKING, without importing typing (see the module's documentation).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from alplint.options import CommandLine
    from alplint.report import Report, Summary
    from alplint.result import FileResult
    from alplint.rules import Rule
    from alplint.runner import Run, Runner

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2
# Objects allocated between two runs of the cyclic garbage collector's youngest generation (Python's
# default is 700).  A run allocates millions of short-lived objects, nearly all freed by reference
# counting, and with the default the collector walks them (and the cache's entries) so often that it
# takes a tenth of a run; the garbage it is there for, cycles, is only a few megabytes between runs.
COLLECTOR_THRESHOLD = 100_000

# The formats a person reads: they speak the reader's language even when only the environment names it.
READ_BY_PEOPLE = ("text", "html")
# The languages alplint speaks (``alplint.i18n.LANGUAGES``, which a test keeps equal to this).
LANGUAGES = ("en", "es", "fr")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        from alplint.errors import ConfigError
        from alplint.i18n import _

        raise ConfigError(_("{message} (see alplint --help)", message=_argparse_message(message)))

    def format_help(self) -> str:
        # Written only when asked for: the folders skipped by default are the source module's.
        if self.epilog is None:
            from alplint.exclusions import DEFAULT_EXCLUDE

            self.epilog = _EPILOG.format(
                skipped=", ".join(name for name in DEFAULT_EXCLUDE if not name.startswith("."))
            )
        return super().format_help()


_EPILOG = (
    "Folders are searched for *.md and *.txt, following symbolic links, skipping hidden folders, "
    "virtual environments, {skipped}, what the configuration's exclude names and what git ignores. Each form "
    "is checked with its closest configuration (.alplint.yaml, .alplint.toml or pyproject.toml with "
    "[tool.alplint], in its folder or above); the command line wins over it. Results are cached in "
    ".alplint_cache beside that configuration (or in the current folder). Exit codes: 0 no errors, 1 errors "
    "(or warnings with --strict), 2 a usage, configuration, schema or I/O error."
)
# The report formats (``alplint.report.FORMATS``, which a test keeps equal to this).
FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def _argparse_message(message: str) -> str:
    """argparse's commonest messages, in words that can be translated (the rest as argparse writes them)."""
    import re

    from alplint.i18n import _

    if message.startswith("unrecognized arguments: "):
        return _("unknown option or argument: {arguments}", arguments=message.split(": ", 1)[1])
    argument = re.fullmatch(r"argument (?P<option>\S+): (?P<rest>.*)", message, re.DOTALL)
    if argument is None:
        return message
    option, rest = argument["option"], argument["rest"]
    choice = re.fullmatch(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", rest, re.DOTALL)
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
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="forms or folders to check (default: ., or stdin with --stdin-filename); - reads stdin",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout"
    )
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
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="check with N processes (default: the machine's cores; 1 checks in this process). "
        "The report is the same whatever N",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache of results (.alplint_cache)"
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="keep the cache in DIR (default: ALPLINT_CACHE_DIR, else .alplint_cache beside the configuration)",
    )
    parser.add_argument("--version", action="version", version=f"alplint {__version__}")
    return parser


def _fix_label(rule: Rule) -> str:
    """Whether and how --fix repairs a rule's problems, as --list-rules and --explain say it."""
    from alplint.i18n import _

    if not rule.fixable:
        return ""
    if rule.fix_applicability == "safe":
        return _("fix (safe)")
    return _("fix (unsafe, with --unsafe-fixes)")


def _list_rules(output_format: str, language: str) -> str:
    import json

    from alplint.i18n import translate, translate_text
    from alplint.report import SEVERITY_WORDS
    from alplint.rules import Catalog

    catalog = Catalog.builtin()
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
    from alplint.errors import ConfigError
    from alplint.i18n import _, translate, translate_doc, translate_text
    from alplint.report import SEVERITY_WORDS
    from alplint.rules import Catalog

    catalog = Catalog.builtin()
    codes = catalog.resolve(selector, "--explain")
    if len(codes) != 1:
        raise ConfigError(
            _('--explain takes one rule; "{selector}" names {count}', selector=selector, count=len(codes))
        )
    (code,) = codes
    rule = catalog.rules[code]
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
    docs = catalog.help
    section = translate_doc(docs[code], language) if code in docs else translate_text(rule.summary, language)
    first, newline, rest = section.partition("\n")
    return f"{header}\n{rest if newline else first}\n"


def parse_options(argv: Sequence[str] | None = None) -> CommandLine:
    """The command line as a typed object; contradictory options are a ``ConfigError``."""
    args = build_parser().parse_args(argv)  # --help and --version end here, having imported nothing
    from alplint.errors import ConfigError
    from alplint.i18n import _
    from alplint.options import CommandLine, Options

    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(
            _("--jobs takes a number of processes, 1 or more; {jobs} is not one", jobs=args.jobs)
        )
    options = Options(
        paths=tuple(args.paths),
        config=args.config,
        select=tuple(code for group in args.select for code in group) if args.select else None,
        ignore=tuple(code for group in args.ignore or () for code in group),
        schema_dirs=tuple(args.schema_dir or ()),
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
        stdin_filename=args.stdin_filename,
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        baseline=args.baseline,
        jobs=args.jobs,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
        output_file=args.output_file,
    )
    command = CommandLine(
        options,
        output_format=args.format,
        output_file=args.output_file,
        strict=args.strict,
        exit_zero=args.exit_zero,
        color=not args.no_color
        and not args.output_file
        and "NO_COLOR" not in os.environ
        and sys.stdout.isatty(),
        statistics=args.statistics,
        write_baseline=args.write_baseline,
        list_rules=args.list_rules,
        explain=args.explain,
        new=args.new,
        lang=args.lang,
    )
    _check(command)
    return command


def _check(command: CommandLine) -> None:
    """Options that contradict each other, or that need another option to mean anything."""
    from alplint.errors import ConfigError
    from alplint.i18n import _

    options = command.options
    if options.unsafe_fixes and not options.fixing:
        raise ConfigError(_("--unsafe-fixes only widens --fix or --diff: add one of them"))
    if options.stdin_filename and options.paths and "-" not in options.paths:
        raise ConfigError(
            _(
                "--stdin-filename names the form read from standard input: add - to read it, "
                "or drop --stdin-filename to check the paths"
            )
        )
    for option, wanted in (("--list-rules", command.list_rules), ("--statistics", command.statistics)):
        if wanted and command.output_format not in ("text", "json"):
            raise ConfigError(
                _(
                    "{option} prints text or json; drop --format {format}",
                    option=option,
                    format=command.output_format,
                )
            )
    if options.baseline and command.write_baseline:
        raise ConfigError(
            _("use --baseline or --write-baseline, not both: --write-baseline records every problem")
        )


def _write_output(
    command: CommandLine, chunks: Iterable[str], checked_form: Callable[[], str | None] | None = None
) -> None:
    """Print the output, or write it to --output-file as it comes.

    ``checked_form``, asked once the output has ended, names the checked form that --output-file
    is, if it is one: the report is then not written, and the form is left as it was.
    """
    from alplint.errors import ConfigError
    from alplint.i18n import _
    from alplint.report import shown

    if not command.output_file:
        encoding = sys.stdout.encoding or "utf-8"
        for chunk in chunks if sys.stdout.isatty() else _batched(chunks):
            try:
                sys.stdout.write(chunk)
            except UnicodeEncodeError:
                # A terminal that cannot show some character: escape it rather than fail.
                sys.stdout.write(chunk.encode(encoding, "backslashreplace").decode(encoding))
        return
    name = shown(command.output_file)

    def encoded() -> Iterator[bytes]:
        for chunk in _batched(chunks):
            yield chunk.encode("utf-8", "surrogateescape")
        form = checked_form() if checked_form is not None else None
        if form is not None:
            raise ConfigError(
                _(
                    "--output-file {path} is the form {form}, which was just checked: "
                    "the report would replace it; name another file",
                    path=name,
                    form=shown(form),
                )
            )

    from alplint.atomic import write_stream

    try:
        # Written into its temporary file as the run goes: the report is never held whole in memory.
        write_stream(command.output_file, encoded())
    except OSError as error:
        raise ConfigError(
            _("cannot write the report to {path}: {reason}", path=name, reason=error.strerror or str(error))
        ) from None


def _language(command: CommandLine, configured: str | None) -> str:
    """The language of what a reader sees: --lang, the configuration's lang, else the environment's.

    The machine-readable formats stay in English unless --lang or lang asks: a script that reads
    them must not change with the terminal's language.
    """
    if command.lang or configured:
        return str(command.lang or configured)
    from alplint.i18n import ENGLISH, language_from_environment

    return language_from_environment() if command.output_format in READ_BY_PEOPLE else ENGLISH


def run(argv: Sequence[str] | None = None) -> int:
    command = parse_options(argv)
    if command.list_rules or command.explain or command.new is not None:
        from alplint.runner import make_resolver

        config = make_resolver(command.options).default
        language = _language(command, config.lang)
        if command.new is not None:
            from alplint.draft import find_template, render_draft
            from alplint.schema import SchemaSet

            template = find_template(SchemaSet.load(config.schema_dirs), command.new)
            _write_output(command, [render_draft(template, language)])
        elif command.list_rules:
            sys.stdout.write(_list_rules(command.output_format, language))
        else:
            sys.stdout.write(_explain(str(command.explain), language))
        return EXIT_OK
    from alplint.runner import Runner

    runner = Runner(command.options)
    return _lint(command, runner, _language(command, runner.resolver.default.lang))


def _lint(command: CommandLine, runner: Runner, language: str) -> int:
    """Run, write what the run found as the command line asks, and choose the exit code.

    The text, JSON and GitHub reports are written as the forms are checked; the other outputs
    (SARIF, JUnit, HTML, statistics, a baseline, a diff) from the results kept on disk.
    """
    from alplint.report import Report, RuleHelp, Summary, get_writer, streams
    from alplint.runner import Run

    options = command.options
    catalog = runner.catalog

    def report_of(results: Iterable[FileResult], summary: Summary) -> Report:
        return Report(
            results=results,
            summary=summary,
            rules=catalog.rules,
            rule_help=RuleHelp(catalog),
            family_of=catalog.family_of,
            version=__version__,
            color=command.color,
            language=language,
        )

    if streams(command.output_format) and not (options.diff or command.write_baseline or command.statistics):
        done = Run(None, Summary.of([], 0))
        report = report_of([], done.summary)

        def results() -> Iterator[FileResult]:
            yield from runner.results(done)
            report.summary = done.summary

        report.results = results()
        _write_report(command, runner, get_writer(command.output_format)(report), done)
    else:
        done = runner.run()
    try:
        if done.results is not None:
            _finish_kept(command, runner, done, report_of, language)
        return _exit_status(command, done, language)
    finally:
        if done.results is not None:
            done.results.close()


def _finish_kept(
    command: CommandLine,
    runner: Runner,
    done: Run,
    report_of: Callable[[Iterable[FileResult], Summary], Report],
    language: str,
) -> None:
    """The outputs written from the results kept on disk: a diff, a baseline, statistics, the other formats."""
    from alplint.i18n import _, ngettext, translate
    from alplint.report import get_writer

    assert done.results is not None
    if command.options.diff:
        _write_output(command, done.diffs, lambda: done.output_is_form)
    elif command.write_baseline:
        from alplint.baseline import write_baseline
        from alplint.report import shown

        recorded = write_baseline(command.write_baseline, done.results)
        forms = len(done.results)
        recorded_line = _(
            "Recorded {problems} of {forms} in {path}.",
            problems=ngettext("{count:,} problem", "{count:,} problems", recorded, count=recorded),
            forms=ngettext("{count:,} form", "{count:,} forms", forms, count=forms),
            path=shown(command.write_baseline),
        )
        print(translate(recorded_line, language))
    elif command.statistics:
        from alplint.statistics import render_statistics, render_statistics_json

        rules = runner.catalog.rules
        if command.output_format == "json":
            statistics = render_statistics_json(done.results, rules)
        else:
            statistics = render_statistics(done.results, rules, language)
        _write_report(command, runner, [statistics], done)
    else:
        _write_report(
            command, runner, get_writer(command.output_format)(report_of(done.results, done.summary)), done
        )


def _exit_status(command: CommandLine, done: Run, language: str) -> int:
    """What fixing did (on standard error), and the exit code."""
    from alplint.i18n import translate

    options = command.options
    summary = done.summary
    unsafe_left = 0 if options.unsafe_fixes else summary.unsafe_fixable
    if options.diff or options.fix:
        from alplint.fix import tally_line  # a run that fixes nothing need not load the fixer
    if options.diff:
        tally = tally_line(done.fixed, done.files_fixed, dry_run=True, unsafe_left=unsafe_left)
        print(translate(tally, language), file=sys.stderr)
        return EXIT_PROBLEMS if done.diffs and not command.exit_zero else EXIT_OK
    if command.write_baseline:
        return EXIT_OK
    if options.fix:
        tally = tally_line(done.fixed, done.files_fixed, unsafe_left=unsafe_left)
        print(translate(tally, language), file=sys.stderr)
    if command.exit_zero:
        return EXIT_OK
    failing = summary.errors or (command.strict and summary.warnings)
    return EXIT_PROBLEMS if failing else EXIT_OK


# What is written at once when the output is not a terminal: a report comes a file at a time, and a
# write each (a system call each, to a file or to unbuffered output) cost more than making the text.
WRITE_SIZE = 1 << 16


def _batched(chunks: Iterable[str]) -> Iterator[str]:
    """``chunks`` joined into pieces of at least ``WRITE_SIZE`` characters (the last one shorter)."""
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= WRITE_SIZE:
            yield "".join(pending)
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending)


def _write_report(command: CommandLine, runner: Runner, chunks: Iterable[str], done: Run) -> None:
    if command.options.fix and "-" in runner.paths and not command.output_file:
        sys.stderr.writelines(chunks)  # standard output carries the fixed form
    elif command.output_file:
        # Whether it is one of the checked forms is known once the run is over.
        _write_output(command, chunks, lambda: done.output_is_form)
    else:
        _write_output(command, chunks)


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


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    gc.set_threshold(COLLECTOR_THRESHOLD, *gc.get_threshold()[1:])
    try:
        status = run(argv)
        sys.stdout.flush()  # so that a failing standard output fails here, where it can be reported
        return status
    except KeyboardInterrupt:
        from alplint.i18n import _, translate

        interrupted = translate(_("interrupted"), _error_language(argv))
        print(f"alplint: {interrupted}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:
        return _failed(error, argv)


def entry() -> NoReturn:
    """The ``alplint`` command (and ``python -m alplint``): ``main``, then the process ends at once.

    As mypy does, the interpreter's own ending is skipped once the output is flushed: it would free
    every object one by one and collect garbage a last time, a tenth of a run over cached results,
    for a process that is about to end anyway.  alplint leaves nothing for it to do (no ``atexit``
    handler; the output file, the cache and the results kept on disk are closed by ``main``).
    """
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)  # the interpreter's ending then deals with a stream that cannot be flushed
    os._exit(status)


def _error_language(argv: Sequence[str] | None) -> str:
    """The language of an error that stops the run: --lang when it was given well, else the environment's.

    The configuration's lang is not read: the error may be in the configuration.
    """
    from alplint.i18n import language_from_environment

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


def _failed(error: Exception, argv: Sequence[str] | None) -> int:
    """Say why the run stopped, without a traceback (the classes are imported only then)."""
    from alplint.errors import UsageError
    from alplint.i18n import Message, translate

    if isinstance(error, UsageError):
        # A ``Message`` is the error's first argument: it is said in the reader's language.
        message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], Message) else str(error)
        print(f"alplint: {translate(message, _error_language(argv))}", file=sys.stderr)
    elif isinstance(error, BrokenPipeError):
        # The reader (such as `head`) went away: nothing left to report to.
        _discard_stdout()
    elif isinstance(error, OSError):
        # A full disk, a closed standard output: the system's failure, not alplint's.
        reason = error.strerror or str(error)
        if error.filename is None:
            _discard_stdout()
            print(f"alplint: cannot write to standard output: {reason}", file=sys.stderr)
        else:
            from alplint.source import display_path

            print(f"alplint: {display_path(os.fsdecode(error.filename))}: {reason}", file=sys.stderr)
    else:
        print(
            f"alplint: internal error, please report it: {type(error).__name__}: {error}",
            file=sys.stderr,
        )
    return EXIT_FAILURE
