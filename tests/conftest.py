from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from alplint.engine import Linter
from alplint.problem import Problem

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CLOSING_SEED = SEEDS / "000_0895e367f9611072.txt"
OPENING_SEED = SEEDS / "learningplan-opening-2025-mongolia.md"
SOLUTION_SEED = SEEDS / "solution-2025-zambia.md"
SEED_FILES = [CLOSING_SEED, OPENING_SEED, SOLUTION_SEED]

EXPERIMENT_TAGS = """\
# Street markets
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Mexico]]
[[latlng:19.43,-99.13]]
"""


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


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def as_draft(seed: Path) -> bytes:
    """A seed's bytes as a hand-written draft (``<!-- alplint-draft -->`` under its title): what the
    platform writes into every export (its alt text, its SDG 10 label) is then the author's to fix."""
    title, rest = seed.read_bytes().split(b"\n", 1)
    return title + b"\n<!-- alplint-draft -->\n" + rest
