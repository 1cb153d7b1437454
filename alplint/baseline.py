"""Baselines: adopting alplint on an archive that already has thousands of problems.

``--write-baseline FILE`` records the problems of today; ``--baseline FILE``
then reports only the problems that are not in it.  A problem is recorded by
its file, its code and what it is about (``Problem.subject``: a tag's key and
value, a question's text), never by its line, so editing a form elsewhere
does not bring its old problems back.  The same key can occur several times in
one form (three ``&amp;`` in the answers); the baseline keeps how many, and
a form that later has more reports the ones beyond that count.

The file is written by ``alplint.atomic.write_file``: through a symbolic
link, never over a device or a pipe.  A file name that is not UTF-8 is
recorded with ``\\udcXX`` escapes for its bytes (``json_text``), so the file
stays UTF-8 and the name reads back as the same name.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from alplint import __version__
from alplint.atomic import write_file
from alplint.errors import BaselineError
from alplint.i18n import _
from alplint.problem import Problem
from alplint.report import json_text, shown

if TYPE_CHECKING:
    from alplint.result import FileResult

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

    def filter_all(self, results: Sequence[FileResult]) -> tuple[list[FileResult], int]:
        """Every result filtered, and how many problems the baseline hid (the summary says so)."""
        filtered = [self.filter(result) for result in results]
        hidden = sum(
            len(before.problems) - len(after.problems)
            for before, after in zip(results, filtered, strict=True)
        )
        return filtered, hidden

    def as_json(self) -> str:
        files = {
            path: [
                {"code": code, "subject": subject, "count": count}
                for (code, subject), count in sorted(file_counts.items())
            ]
            for path, file_counts in sorted(self.counts.items())
        }
        document = {"version": BASELINE_VERSION, "alplint": __version__, "files": files}
        return json_text(document)


def write_baseline(path: str | os.PathLike[str], results: Sequence[FileResult]) -> int:
    """Record the problems of ``results`` in ``path`` (replaced atomically); returns how many were recorded."""
    baseline = Baseline.of(results)
    shown_path = shown(os.fspath(path))
    try:
        write_file(os.fspath(path), baseline.as_json().encode("utf-8"))
    except OSError as error:
        raise BaselineError(
            _(
                "cannot write the baseline file {path}: {reason}",
                path=shown_path,
                reason=error.strerror or str(error),
            )
        ) from None
    return baseline.total


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline written by ``write_baseline``; any problem with the file is a ``BaselineError``."""
    name = shown(os.fspath(path))
    rewrite = _("write it again with --write-baseline {path}", path=name)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            _("the baseline file {path} does not exist; create it with --write-baseline {path}", path=name)
        ) from None
    except IsADirectoryError:
        raise BaselineError(_("the baseline file {path} is a folder, not a file", path=name)) from None
    except UnicodeDecodeError:
        raise BaselineError(
            _("the baseline file {path} is not UTF-8 text; {rewrite}", path=name, rewrite=rewrite)
        ) from None
    except OSError as error:
        raise BaselineError(
            _(
                "cannot read the baseline file {path}: {reason}",
                path=name,
                reason=error.strerror or str(error),
            )
        ) from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise BaselineError(
            _("the baseline file {path} is nested too deeply to be an alplint baseline", path=name)
        ) from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            _(
                "the baseline file {path} is not valid JSON (line {line}, column {column}: {reason}); {rewrite}",
                path=name,
                line=error.lineno,
                column=error.colno,
                reason=error.msg,
                rewrite=rewrite,
            )
        ) from None
    return Baseline(_counts(document, name, rewrite))


def _counts(document: Any, name: str, rewrite: str) -> dict[str, Counter[ProblemKey]]:
    def broken(what: str) -> BaselineError:
        return BaselineError(
            _(
                "the baseline file {path} is not an alplint baseline: {what}; {rewrite}",
                path=name,
                what=what,
                rewrite=rewrite,
            )
        )

    if not isinstance(document, dict) or "files" not in document:
        raise broken(_('expected an object with "version" and "files"'))
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise broken(
            _(
                'its "version" is {found}, this alplint reads version {version}',
                found=shown(json.dumps(version)),
                version=BASELINE_VERSION,
            )
        )
    files = document["files"]
    if not isinstance(files, dict):
        raise broken(_('"files" must map each file to its problems'))
    counts: dict[str, Counter[ProblemKey]] = {}
    for file_path, entries in files.items():
        if not isinstance(entries, list):
            raise broken(_('the entry of "{file}" must be a list of problems', file=shown(file_path)))
        file_counts = counts.setdefault(normalise_path(file_path), Counter())
        for index, entry in enumerate(entries):
            where = _('problem {number} of "{file}"', number=index + 1, file=shown(file_path))
            if not isinstance(entry, dict):
                raise broken(_("{where} must be an object with code, subject and count", where=where))
            code, subject, count = entry.get("code"), entry.get("subject"), entry.get("count")
            if not isinstance(code, str) or not isinstance(subject, str):
                raise broken(_('{where} needs a text "code" and "subject"', where=where))
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise broken(_('{where} needs a "count" of 1 or more', where=where))
            file_counts[(code, subject)] += count
    return counts


__all__ = ["Baseline", "load_baseline", "normalise_path", "problem_key", "write_baseline"]
