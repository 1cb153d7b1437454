from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from alplint import __version__
from alplint.engine import FileResult, Linter
from alplint.problem import Problem
from alplint.report import Report, Summary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CLOSING_SEED = SEEDS / "000_0895e367f9611072.txt"
OPENING_SEED = SEEDS / "learningplan-opening-2025-mongolia.md"
SOLUTION_SEED = SEEDS / "solution-2025-zambia.md"
SEED_FILES = [CLOSING_SEED, OPENING_SEED, SOLUTION_SEED]

# Country names misspelt as authors misspell them, and the name alplint suggests.
MISSPELT_COUNTRIES = [
    ("Mexcio", "Mexico"),
    ("Columbia", "Colombia"),
    ("Phillipines", "Philippines"),
    ("Kazakstan", "Kazakhstan"),
    ("Argentinia", "Argentina"),
]

EXPERIMENT_TAGS = """\
# Street markets
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Mexico]]
[[latlng:19.43,-99.13]]
"""


@pytest.fixture
def refuse_folder(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``refuse_folder(name)``: listing any folder of that name fails as an unreadable folder does."""

    def refuse(name: str) -> None:
        from alplint import source

        real_scandir = os.scandir

        def scandir(path: str) -> object:
            if os.path.basename(path) == name:
                raise PermissionError(13, "Permission denied", path)
            return real_scandir(path)

        monkeypatch.setattr(source.os, "scandir", scandir)

    return refuse


@pytest.fixture(scope="session", autouse=True)
def _cache_of_the_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs of alplint in the tests (and their subprocesses) share one cache, outside the forms' folders."""
    previous = os.environ.get("ALPLINT_CACHE_DIR")
    os.environ["ALPLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("alplint_cache"))
    yield
    if previous is None:
        del os.environ["ALPLINT_CACHE_DIR"]
    else:
        os.environ["ALPLINT_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter()


@pytest.fixture(scope="session")
def lint(linter: Linter) -> Callable[[str], list[Problem]]:
    def run(text: str, path: str = "form.md") -> list[Problem]:
        return linter.lint_text(text, path).problems

    return run


def report_of(results: Sequence[FileResult], linter: Linter) -> Report:
    """What a reporter is given for ``results``, with the linter's catalogue."""
    return Report(
        results=results,
        summary=Summary.of(results, 0),
        rules=linter.catalog.rules,
        rule_help=linter.catalog.help,
        family_of=linter.catalog.family_of,
        version=__version__,
    )


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def as_draft(seed: Path) -> bytes:
    """A seed's bytes as a hand-written draft (``<!-- alplint-draft -->`` under its title): what the
    platform writes into every export (its alt text, its SDG 10 label) is then the author's to fix."""
    title, rest = seed.read_bytes().split(b"\n", 1)
    return title + b"\n<!-- alplint-draft -->\n" + rest


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """alplint speaks the reader's language (LANGUAGE, LC_ALL, ...): tests read English unless they choose.

    ``LANGUAGE`` comes first in gettext's order, so setting it leaves the locale (and the encoding
    of child processes) alone.
    """
    monkeypatch.setenv("LANGUAGE", "en")
