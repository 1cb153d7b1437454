"""The run behind the command line, as flake8's ``Application``: which files, each linted with the
linter of its configuration, fixed, filtered by the baseline, in parallel and cached.

``Runner(options).run()`` gives a ``Run``: the results of the forms in discovery order (kept on
disk, so memory stays flat however large the archive), their totals, and what fixing did.  The
command line (``alplint.cli``) only parses options into ``Options``, calls the runner and hands the
run to a reporter.

Parallelism: with ``jobs`` above one, files are checked by worker processes in chunks, at most a
few chunks ahead of the one being collected, and collected in the order they were found, so the
results are the same, byte for byte, as with ``jobs=1``, which checks in this process.  A run with
fewer than ``CHUNK`` files to check never starts the workers.  A cached file (``alplint.cache``) is
answered here without a worker; only the files that need linting are sent to one, and what it
found is stored in the cache here, which writes each folder's index once the run has moved past
the folder (or when it ends).
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, overload

from alplint.config import Config, ConfigResolver
from alplint.errors import ConfigError, UsageError
from alplint.i18n import _
from alplint.options import Options
from alplint.report import Summary, Tally, shown
from alplint.result import FileResult
from alplint.rules import Catalog
from alplint.source import SourceText, TooLarge, decode, discover, display_path, read, read_stdin

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from alplint.baseline import Baseline
    from alplint.cache import Cache, Pending, Record
    from alplint.engine import Linter
    from alplint.problem import Fix

# Files sent to a worker at a time, and chunks in flight per worker: enough to keep both busy,
# few enough that results waiting to be collected stay a handful.
CHUNK = 32
AHEAD_PER_JOB = 4


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def make_resolver(options: Options) -> ConfigResolver:
    """Each form's configuration (its closest, or ``--config``'s) with the command line's settings on top."""
    return ConfigResolver(options.config, Path.cwd(), options.overrides())


class Linters:
    """One linter per configuration, built when a form first needs it (schemas are compiled per linter)."""

    def __init__(self, resolver: ConfigResolver, cache: Cache | None = None) -> None:
        self.resolver = resolver
        self.cache = cache
        self._built: dict[str | None, Linter] = {}
        # Each folder's configuration, by the folder as written (the current folder does not change in a run).
        self._by_folder: dict[str, Config] = {}

    def of(self, config: Config) -> Linter:
        linter = self._built.get(config.path)
        if linter is None:
            from alplint.engine import Linter  # a run whose every file is cached builds none

            schemas = None
            if self.cache is not None:
                from alplint.schema import SchemaSet

                schemas = SchemaSet.load(config.schema_dirs, self.cache.schemas)
            linter = self._built[config.path] = Linter(config, schemas)
        return linter

    def config_for_file(self, path: str) -> Config:
        # The path up to its last separator decides os.path.dirname, for less.
        folder = path[: path.rfind(os.sep) + 1] if os.altsep is None else os.path.dirname(path)
        config = self._by_folder.get(folder)
        if config is None:
            config = self._by_folder[folder] = self.resolver.for_file(path)
        return config

    def for_file(self, path: str) -> Linter:
        return self.of(self.config_for_file(path))


@dataclass(slots=True)
class FileOutcome:
    """What checking one file gave: its result and, with ``--fix`` or ``--diff``, what fixing did."""

    result: FileResult
    fixed: int = 0
    changed: bool = False
    diff: str = ""
    # Warnings for standard error (a fix that did not settle, a file that could not be written).
    warnings: tuple[str, ...] = ()
    # For a form read from standard input: the bytes to write to standard output (fixed or not).
    output: bytes | None = None
    # What the cache needs to remember ``result`` (the process that owns the cache stores it).
    record: Record | None = None


class Checker:
    """Checks one file at a time: read, look up the cache, lint, fix.  One per process."""

    def __init__(self, options: Options, resolver: ConfigResolver | None = None) -> None:
        self.options = options
        cache = None
        if options.cache:
            from alplint.cache import open_cache

            cache = open_cache(options.cache_dir, (resolver or make_resolver(options)).default)
        self.cache = cache
        self.linters = Linters(resolver or make_resolver(options), cache)

    def cached(self, path: str) -> FileOutcome | None:
        """The outcome of an unchanged file from the cache, when nothing else needs doing to it."""
        if self.cache is None:
            return None
        result = self.cache.lookup(path, self.linters.config_for_file(path))
        if result is None or (self.options.fixing and self._fixable(result)):
            return None
        return FileOutcome(result)

    def _fixable(self, result: FileResult) -> bool:
        from alplint.fix import is_applicable

        unsafe = self.options.unsafe_fixes
        return any(is_applicable(problem.fix, unsafe=unsafe) for problem in result.problems)

    def check(self, path: str) -> FileOutcome:
        """Check one file (and, with ``--fix``, write it fixed)."""
        return self.check_all([path])[0]

    def check_all(self, paths: Iterable[str]) -> list[FileOutcome]:
        """Check files in order.  With ``--fix``, the fixed files are written together once the
        others are checked (``atomic.write_files``: the disk waits a few times a batch, not twice
        a file), up to ``CHUNK`` at a time.

        Each file is still read as checking the files one at a time would find it: another name
        for a file waiting to be written (a link) is read only once the waiting files are written,
        and an error that stops the checking writes them first.
        """
        outcomes: list[FileOutcome] = []
        writes: list[_Write] = []
        try:
            for path in paths:
                if writes and _identity(path) in {write.identity for write in writes} - {None}:
                    self._write(writes)
                outcomes.append(self._check(path, writes))
                if len(writes) >= CHUNK:
                    self._write(writes)
        finally:
            self._write(writes)
        return outcomes

    def _check(self, path: str, writes: list[_Write]) -> FileOutcome:
        linter = self.linters.for_file(path)
        pending = self.cache.begin(path) if self.cache is not None else None
        source = read(path)
        if not isinstance(source, SourceText):
            return FileOutcome(linter.lint_source(source, path))
        if self.options.fix and not self.options.diff:
            # A form with a fix to apply is linted whole once fixed: its first lint need not be whole.
            result, whole = linter.lint_to_fix(source, self._applies)
        else:
            result, whole = linter.lint_source(source, path), True
        if self.options.fixing:
            outcome = self._fix(linter, source, result, stdin=False)
            if isinstance(outcome, _Write):
                outcome.remember, outcome.whole = pending, whole
                writes.append(outcome)
                return outcome.outcome
        else:
            outcome = FileOutcome(result)
        if outcome.result is result:
            # Reported as it was read (nothing was fixed), so from a whole lint, and cached: only
            # then, as a file that fixing rewrote is not the one checked (it is checked anew next time).
            if not whole:
                outcome.result = result = linter.lint_source(source, path)
            if self.cache is not None and pending is not None:
                outcome.record = self.cache.record(pending, linter.config, source)
        return outcome

    def _applies(self, fix: Fix | None) -> bool:
        from alplint.fix import is_applicable

        return is_applicable(fix, unsafe=self.options.unsafe_fixes)

    def _write(self, writes: list[_Write]) -> None:
        """Write the fixed files waiting in ``writes``; a file that cannot be written keeps its problems."""
        if not writes:
            return
        from alplint.atomic import write_files

        waiting = writes[:]
        writes.clear()
        results = write_files([(write.path, write.data, write.original) for write in waiting])
        for write, written in zip(waiting, results, strict=True):
            if written is True:
                continue
            if isinstance(written, OSError):
                message = _(
                    "{path} was not fixed: it cannot be written ({reason})",
                    path=shown(write.path),
                    reason=written.strerror or str(written),
                )
            else:
                message = _(
                    "{path} was not fixed: it changed on disk while alplint was checking it; "
                    "run alplint --fix again",
                    path=shown(write.path),
                )
            outcome = write.outcome
            checked = write.checked if write.whole else write.linter.lint_source(write.source, write.path)
            outcome.result, outcome.fixed, outcome.changed = checked, 0, False
            outcome.warnings = (*outcome.warnings, message)
            if self.cache is not None and write.remember is not None:
                outcome.record = self.cache.record(write.remember, write.linter.config, write.source)

    def remember(self, outcome: FileOutcome) -> None:
        """Store a checked file's result in the cache, whichever process checked it."""
        if self.cache is not None and outcome.record is not None:
            self.cache.store(outcome.record, outcome.result)
            outcome.record = None

    def save(self) -> None:
        if self.cache is not None:
            self.cache.save()

    def check_stdin(self, data: bytes, name: str) -> FileOutcome:
        """A form read from standard input; with ``--fix`` its bytes go back to standard output."""
        linter = self.linters.for_file(name)
        source = decode(data, name)
        result = linter.lint_source(source, name)
        if not self.options.fixing:
            return FileOutcome(result)
        if not isinstance(source, SourceText):
            return FileOutcome(result, output=None if self.options.diff else data)
        outcome = self._fix(linter, source, result, stdin=True)
        assert isinstance(outcome, FileOutcome)  # its fixed bytes go to standard output, not to a file
        if outcome.output is None and not self.options.diff:
            outcome.output = data
        return outcome

    def _fix(
        self, linter: Linter, source: SourceText, result: FileResult, *, stdin: bool
    ) -> FileOutcome | _Write:
        """Fix one form (with ``--diff``, only work the fixes out).  The form's text lives only here
        and, for a fixed file, in the ``_Write`` returned for ``check_all`` to write with others."""
        from alplint import fix

        if not self._fixable(result):
            return FileOutcome(result)
        last = [result]

        def relint(text: str) -> list[Any]:
            last.append(linter.lint_text(text, result.path))
            return last[-1].problems

        loop = fix.fix_loop(
            result.path, source.text, result.problems, relint, unsafe=self.options.unsafe_fixes
        )
        warnings = () if loop.converged else (fix.unsettled_warning(shown(result.path)),)
        if not loop.changed:
            return FileOutcome(result, warnings=warnings)
        fixed = sum(loop.applied.values())
        if self.options.diff:
            diff = fix.unified_diff(loop.path, loop.original_text, loop.fixed_text)
            return FileOutcome(result, fixed, True, diff, warnings)
        # The last lint is of the fixed text: its excerpt and places are the ones now on disk.
        after = replace(last[-1], problems=list(loop.remaining))
        fixed_bytes = fix.encode_like(source, loop.fixed_text)
        if stdin:
            return FileOutcome(after, fixed, True, warnings=warnings, output=fixed_bytes)
        return _Write(
            FileOutcome(after, fixed, True, warnings=warnings),
            result,
            fixed_bytes,
            fix.encode_like(source, source.text),
            _identity(result.path),
            linter,
            source,
        )


@dataclass(slots=True)
class _Write:
    """A fixed file waiting to be written (``Checker.check_all``), with its outcome once written."""

    outcome: FileOutcome
    # What was checked, to report (and cache) if the file cannot be written: the first lint, or,
    # when it was not whole (``Linter.lint_to_fix``), the linter and source to lint it whole.
    checked: FileResult
    data: bytes
    original: bytes
    identity: tuple[int, int] | None
    linter: Linter
    source: SourceText
    remember: Pending | None = None
    whole: bool = True

    @property
    def path(self) -> str:
        return self.checked.path


# --- workers --------------------------------------------------------------------------------

# The checker of a worker process (and, while workers are forked, the parent's, which they inherit).
_checker: Checker | None = None


# The cyclic garbage collector's thresholds in a worker: Python's defaults.  The main process may
# space its collections out (``alplint.cli`` does, for the results it reads back from the cache and
# the report it writes); a worker parses forms, whose cycles the defaults collect soonest, and the
# workers are the largest processes of a run.
WORKER_COLLECTOR_THRESHOLDS = (700, 10, 10)


def _start_worker(options: Options) -> None:
    import signal

    global _checker
    gc.set_threshold(*WORKER_COLLECTOR_THRESHOLDS)
    # Ctrl-C reaches every process of the group: the parent alone stops the run, and says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _checker is None or _checker.options != options:
        _checker = Checker(options)


def _check_chunk(paths: Sequence[str]) -> list[FileOutcome]:
    assert _checker is not None
    try:
        return _checker.check_all(paths)
    except Exception as error:
        raise _portable(error) from None


def _portable(error: Exception) -> Exception:
    """The error as the parent can receive it: the same error when it survives pickling."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        if isinstance(error, UsageError):
            return UsageError(*error.args[:1] or (str(error),))
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


class _Slot:
    """Files in discovery order: the cached outcomes, and the paths a worker (or this process) checks."""

    __slots__ = ("checked", "items", "misses", "pending")

    def __init__(self) -> None:
        self.items: list[FileOutcome | None] = []
        self.misses: list[str] = []
        self.pending: AsyncResult[list[FileOutcome]] | None = None
        self.checked: list[FileOutcome] = []

    def add(self, path: str, cached: FileOutcome | None) -> None:
        self.items.append(cached)
        if cached is None:
            self.misses.append(path)

    def collect(self) -> Iterator[FileOutcome]:
        checked = iter(self.pending.get() if self.pending is not None else self.checked)
        for item in self.items:
            yield item if item is not None else next(checked)


class ResultStore(Sequence[FileResult]):
    """The results of a run in order, pickled to a temporary file so that memory stays flat.

    Reporters read them in passes (a pass at a time); without a temporary folder they stay in memory.
    """

    def __init__(self) -> None:
        self._count = 0
        self._file: IO[bytes] | None = None
        self._memory: list[FileResult] | None = None
        self._pass = 0

    def append(self, result: FileResult) -> None:
        if self._file is None and self._memory is None:
            import tempfile  # (and random) only for the outputs written from kept results

            try:
                self._file = tempfile.TemporaryFile(prefix="alplint-", buffering=0)  # noqa: SIM115 (see close)
            except OSError:
                self._memory = []
        if self._file is not None:
            data = memoryview(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
            end = self._file.seek(0, os.SEEK_END)
            try:
                while data:
                    data = data[self._file.write(data) or 0 :]
            except OSError:
                # A full disk or a file size limit: what is written is read back, the rest kept here.
                self._file.truncate(end)
                self._memory = list(self)
                self._file.close()
                self._file = None
        if self._memory is not None:
            self._memory.append(result)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[FileResult]:
        if self._memory is not None or self._file is None:
            yield from self._memory or ()
            return
        self._pass += 1
        current = self._pass
        self._file.seek(0)
        with open(os.dup(self._file.fileno()), "rb") as reader:
            for _index in range(self._count):
                if self._pass != current:
                    raise RuntimeError("the results were read in two passes at once")
                yield pickle.load(reader)

    @overload
    def __getitem__(self, index: int) -> FileResult: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[FileResult]: ...
    def __getitem__(self, index: int | slice) -> FileResult | Sequence[FileResult]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        for position, result in enumerate(self):
            if position == index:
                return result
        raise IndexError(index)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@dataclass(slots=True)
class Run:
    """A run: the checked forms' results (in order), their totals, what fixing did."""

    results: ResultStore | None
    summary: Summary
    fixed: int = 0
    files_fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    # The checked form that ``Options.output_file`` names, if it names one.
    output_is_form: str | None = None


class Runner:
    """Lints (and fixes) every form the options name, in parallel, through the cache."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.resolver = make_resolver(options)
        self.checker = Checker(options, self.resolver)
        # The default configuration's linter is built first: a broken schema stops the run at once.
        # A run the cache holds results of built it without error: it is built when first needed.
        cache = self.checker.cache
        self._linter: Linter | None = None
        if cache is None or not cache.has_results(self.resolver.default):
            self._linter = self.checker.linters.of(self.resolver.default)
        self.baseline: Baseline | None = None
        if options.baseline:
            from alplint.baseline import load_baseline

            # Read before linting, so that a broken baseline stops the run at once.
            try:
                self.baseline = load_baseline(options.baseline)
            except RecursionError:
                raise ConfigError(
                    _(
                        "the baseline file {path} is nested too deeply to be an alplint baseline",
                        path=options.baseline,
                    )
                ) from None
        self.jobs = options.jobs or available_cores()

    @property
    def linter(self) -> Linter:
        """The linter of the default configuration."""
        if self._linter is None:
            self._linter = self.checker.linters.of(self.resolver.default)
        return self._linter

    @property
    def catalog(self) -> Catalog:
        """The rules (those of every linter: alplint's own), without building a linter."""
        return self._linter.catalog if self._linter is not None else Catalog.builtin()

    @property
    def paths(self) -> list[str]:
        options = self.options
        return list(options.paths) or (["-"] if options.stdin_filename else ["."])

    def run(self, on_warning: Callable[[str], object] | None = None) -> Run:
        """Check every file and keep the forms' results (on disk: memory stays flat)."""
        store = ResultStore()
        run = Run(store, Summary.of([], 0))
        for result in self.results(run, on_warning):
            store.append(result)
        return run

    def results(self, run: Run, on_warning: Callable[[str], object] | None = None) -> Iterator[FileResult]:
        """Each checked form's result, in order, as it comes (the baseline's problems taken out).

        ``run`` gathers what fixing did and, once the results have all been read, their totals
        (``run.summary``).  ``on_warning(text)`` hears each warning as it comes (by default,
        standard error).  Non-forms are counted as skipped, not given.
        """
        paths = self.paths
        missing = [path for path in paths if path != "-" and not os.path.lexists(path)]
        if missing:
            raise ConfigError(_("no such file or folder: {path}", path=display_path(missing[0])))
        warn = on_warning or (lambda text: print(f"alplint: {text}", file=sys.stderr))
        output_identity = _identity(self.options.output_file) if self.options.output_file else None
        tally = Tally()
        skipped = baselined = 0
        for outcome in self.outcomes(paths):
            for warning in outcome.warnings:
                warn(warning)
            if outcome.output is not None:
                sys.stdout.buffer.write(outcome.output)
            if outcome.changed:
                run.fixed += outcome.fixed
                run.files_fixed += 1
            if outcome.diff:
                run.diffs.append(outcome.diff)
            result = outcome.result
            if not result.is_form:
                skipped += 1
                continue
            if (
                output_identity is not None
                and run.output_is_form is None
                and _identity(result.path) == output_identity
            ):
                run.output_is_form = result.path
            if self.baseline is not None:
                before = len(result.problems)
                result = self.baseline.filter(result)
                baselined += before - len(result.problems)
            tally.add(result)
            yield result
        run.summary = tally.summary(skipped, baselined)

    def outcomes(self, paths: Iterable[str]) -> Iterator[FileOutcome]:
        """Each file's outcome, in the order the files are found."""
        slots: deque[_Slot] = deque()
        pool: Pool | None = None
        current = _Slot()
        try:
            for path in paths:
                if path == "-":
                    name = self.options.stdin_filename or "-"
                    current.items.append(self.checker.check_stdin(_read_stdin(), name))
                    continue
                for found in discover(
                    [path], self.resolver.for_folder, force_exclude=self.options.force_exclude
                ):
                    current.add(found, self.checker.cached(found))
                    if len(current.misses) >= CHUNK or len(current.items) >= CHUNK * 8:
                        pool = self._dispatch(current, pool)
                        slots.append(current)
                        current = _Slot()
                        while len(slots) > self.jobs * AHEAD_PER_JOB:
                            yield from self._collect(slots.popleft())
            pool = self._dispatch(current, pool)
            slots.append(current)
            while slots:
                yield from self._collect(slots.popleft())
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
            self.checker.save()

    def _collect(self, slot: _Slot) -> Iterator[FileOutcome]:
        for outcome in slot.collect():
            self.checker.remember(outcome)
            yield outcome

    def _dispatch(self, slot: _Slot, pool: Pool | None) -> Pool | None:
        """Send a slot's files to the workers (started at the first full chunk), or check them here."""
        if not slot.misses:
            return pool
        if pool is None and self.jobs > 1 and len(slot.misses) >= CHUNK:
            pool = self._start_pool()
        if pool is not None:
            slot.pending = pool.apply_async(_check_chunk, (slot.misses,))
        else:
            slot.checked = self.checker.check_all(slot.misses)
        return pool

    def _start_pool(self) -> Pool:
        import multiprocessing

        global _checker
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        # Forked workers inherit this process's checker, its configurations and compiled schemas.
        _checker = self.checker
        try:
            return context.Pool(self.jobs, initializer=_start_worker, initargs=(self.options,))
        finally:
            _checker = None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


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


__all__ = [
    "CHUNK",
    "Checker",
    "FileOutcome",
    "Linters",
    "Options",
    "ResultStore",
    "Run",
    "Runner",
    "available_cores",
    "make_resolver",
]
