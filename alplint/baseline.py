"""Baselines: adopting alplint on an archive that already has thousands of problems.

``--write-baseline FILE`` records the problems of today; ``--baseline FILE``
then reports only the problems that are not in it.  A problem is recorded by
its file, its code and what it is about (``Problem.subject``: a tag's key and
value, a question's text), never by its line, so editing a form elsewhere
does not bring its old problems back.  The same key can occur several times in
one form (three ``&amp;`` in the answers); the baseline keeps how many, and
a form that later has more reports the ones beyond that count.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from alplint import __version__
from alplint.errors import ConfigError
from alplint.problem import Problem

if TYPE_CHECKING:
    from alplint.engine import FileResult

BASELINE_VERSION = 1

# (code, subject) within one file.
ProblemKey = tuple[str, str]


def normalise_path(path: str) -> str:
    """A file's key in a baseline: forward slashes, relative or absolute as it was given."""
    return PurePath(path).as_posix()


def problem_key(problem: Problem) -> ProblemKey:
    return (problem.code, problem.subject or problem.message)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The problems known when the baseline was written, counted by file, code and subject."""

    counts: Mapping[str, Mapping[ProblemKey, int]]

    @classmethod
    def of(cls, results: Sequence[FileResult]) -> Baseline:
        counts: dict[str, Counter[ProblemKey]] = {}
        for result in results:
            if result.problems:
                file_counts = counts.setdefault(normalise_path(result.path), Counter())
                file_counts.update(problem_key(problem) for problem in result.problems)
        return cls(counts)

    @property
    def total(self) -> int:
        return sum(sum(file_counts.values()) for file_counts in self.counts.values())

    def filter(self, result: FileResult) -> FileResult:
        """The result without the problems the baseline knows; the last ones of a key beyond its count stay."""
        known = self.counts.get(normalise_path(result.path))
        if not known:
            return result
        by_key: dict[ProblemKey, list[Problem]] = {}
        for problem in sorted(result.problems, key=lambda problem: problem.sort_key):
            by_key.setdefault(problem_key(problem), []).append(problem)
        new = {id(problem) for key, problems in by_key.items() for problem in problems[known.get(key, 0) :]}
        return replace(result, problems=[problem for problem in result.problems if id(problem) in new])

    def as_json(self) -> str:
        files = {
            path: [
                {"code": code, "subject": subject, "count": count}
                for (code, subject), count in sorted(file_counts.items())
            ]
            for path, file_counts in sorted(self.counts.items())
        }
        document = {"version": BASELINE_VERSION, "alplint": __version__, "files": files}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str | os.PathLike[str], results: Sequence[FileResult]) -> int:
    """Record the problems of ``results`` in ``path`` (replaced atomically); returns how many were recorded."""
    baseline = Baseline.of(results)
    target = Path(path)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ConfigError(f"cannot write the baseline file {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(baseline.as_json())
        # mkstemp makes the file private; a baseline is shared like any file of the repository.
        os.chmod(temporary, _file_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write the baseline file {target}: {error.strerror or error}") from None
    return baseline.total


def _file_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline written by ``write_baseline``; any problem with the file is a ConfigError."""
    shown = os.fspath(path)
    rewrite = f"write it again with --write-baseline {shown}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"the baseline file {shown} does not exist; create it with --write-baseline {shown}"
        ) from None
    except IsADirectoryError:
        raise ConfigError(f"the baseline file {shown} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the baseline file {shown} is not UTF-8 text; {rewrite}") from None
    except OSError as error:
        raise ConfigError(f"cannot read the baseline file {shown}: {error.strerror or error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"the baseline file {shown} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); {rewrite}"
        ) from None
    return Baseline(_counts(document, shown, rewrite))


def _counts(document: Any, shown: str, rewrite: str) -> dict[str, Counter[ProblemKey]]:
    def broken(what: str) -> ConfigError:
        return ConfigError(f"the baseline file {shown} is not an alplint baseline: {what}; {rewrite}")

    if not isinstance(document, dict) or "files" not in document:
        raise broken('expected an object with "version" and "files"')
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise broken(f'its "version" is {json.dumps(version)}, this alplint reads version {BASELINE_VERSION}')
    files = document["files"]
    if not isinstance(files, dict):
        raise broken('"files" must map each file to its problems')
    counts: dict[str, Counter[ProblemKey]] = {}
    for file_path, entries in files.items():
        if not isinstance(entries, list):
            raise broken(f'the entry of "{file_path}" must be a list of problems')
        file_counts = counts.setdefault(normalise_path(file_path), Counter())
        for index, entry in enumerate(entries):
            where = f'problem {index + 1} of "{file_path}"'
            if not isinstance(entry, dict):
                raise broken(f"{where} must be an object with code, subject and count")
            code, subject, count = entry.get("code"), entry.get("subject"), entry.get("count")
            if not isinstance(code, str) or not isinstance(subject, str):
                raise broken(f'{where} needs a text "code" and "subject"')
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise broken(f'{where} needs a "count" of 1 or more')
            file_counts[(code, subject)] += count
    return counts


__all__ = ["Baseline", "load_baseline", "normalise_path", "problem_key", "write_baseline"]
