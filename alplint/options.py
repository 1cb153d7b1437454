"""The options of a run, typed: what the command line asks for, as the runner and the CLI read it.

``Options`` is what ``alplint.runner.Runner`` needs to lint and fix; ``CommandLine`` adds what the
command line does with the results (format, output file, exit code).  Kept apart from both so that
parsing the command line imports nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    """What one run is asked to do, as the command line gives it (``alplint.cli.parse_options``)."""

    paths: tuple[str, ...] = ()
    config: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    schema_dirs: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    force_exclude: bool = False
    stdin_filename: str | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    baseline: str | None = None
    # None: as many as the machine lets this process use.
    jobs: int | None = None
    cache: bool = True
    cache_dir: str | None = None
    # A file the report will be written to: the run says whether it is one of the checked forms.
    output_file: str | None = None

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    def overrides(self) -> dict[str, object]:
        """The settings the command line puts on top of every configuration (``config.merge``)."""
        overrides: dict[str, object] = {}
        if self.select is not None:
            overrides["select"] = self.select
        if self.ignore:
            overrides["ignore"] = self.ignore
        if self.schema_dirs:
            overrides["schema_dirs"] = self.schema_dirs
        if self.respect_gitignore is not None:
            overrides["respect_gitignore"] = self.respect_gitignore
        return overrides


@dataclass(frozen=True, slots=True)
class CommandLine:
    """The command line, parsed: the run's options and what to do with its results."""

    options: Options
    output_format: str = "text"
    output_file: str | None = None
    strict: bool = False
    exit_zero: bool = False
    color: bool = False
    statistics: bool = False
    write_baseline: str | None = None
    list_rules: bool = False
    explain: str | None = None
    new: str | None = None
    # --lang: the language of messages and reports, when the command line names one.
    lang: str | None = None
