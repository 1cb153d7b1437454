"""Whatever a file holds, alplint answers with problems, never with an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alplint.cli import main
from alplint.config import Config
from alplint.engine import Linter
from alplint.fix import fix_loop
from alplint.parse import parse
from tests.conftest import CLOSING_SEED, OPENING_SEED, SOLUTION_SEED

FRAGMENTS = [
    "# Title",
    "## Partners",
    "****",
    "> ",
    "> Sense",
    "> Title of the innovation",
    '<div class="group">',
    "</div>",
    "[[type:learningplan]]",
    "[[type:solution]]",
    "[[country:Mexico]]",
    "[[latlng:19.4,-99.1]]",
    "[[latlng:abc]]",
    "[[year:",
    "[[:]]",
    "- yes",
    "25%",
    "![](x)",
    "[a](b c)",
    "&amp;",
    "<!-- alplint-disable -->",
    "<!-- alplint-enable ALP601 -->",
    "",
    "\r",
    "\t",
    "\ufeff",
    "```",
    "~~~~ python",
    "- ",
    "> None",
    "> answer inside the quote",
    "#",
    "[country:Peru]",
    "{{year:2024}}",
    "- [[type:solution]]",
    "<div>pasted",
    "Uni\x02versity\x0b",
    "[[thematic_areas:a\rb]]",
    "\u00a0\u200b",
    "<!-- alplint-disable-nextline ALP601 -->",
    "<!-- alplint-disable-next-line ALP4O1 -- why -->",
    "<!-- alplint -->",
    "<!-- alplint-enable -->",
    "text <!-- alplint-disable-file -->",
]
LINES = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30))
SEED_LINES = [
    line
    for seed in (CLOSING_SEED, OPENING_SEED, SOLUTION_SEED)
    for line in seed.read_text("utf-8").splitlines()
]


@pytest.fixture(scope="module")
def shared_linter() -> Linter:
    return Linter()


@pytest.fixture(scope="module")
def everything() -> Linter:
    return Linter(Config(select=("ALL",)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.one_of(LINES, st.sampled_from(SEED_LINES)), max_size=60),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_text_gives_problems_with_valid_positions(
    everything: Linter, lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    result = everything.lint_text(text, "fuzz.md")
    line_count = max(len(parse(text).lines), 1)
    for problem in result.problems:
        assert 1 <= problem.line <= line_count
        assert problem.column >= 1
        assert (problem.end_line, problem.end_column) >= (problem.line, problem.column)
        assert problem.message
    fix_loop(
        "fuzz.md",
        text,
        result.problems,
        lambda new: everything.lint_text(new, "fuzz.md").problems,
        unsafe=True,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_reported(shared_linter: Linter, data: bytes) -> None:
    result = shared_linter.lint_bytes(data, "fuzz.md")
    assert all(problem.code for problem in result.problems)


def test_huge_line_and_many_lines_are_linear(shared_linter: Linter) -> None:
    body = "> Notes\n\n" + ("word " * 200_000) + "\n" + "- item\n" * 50_000
    text = SOLUTION_SEED.read_text("utf-8") + body
    assert shared_linter.lint_text(text, "big.md").problems is not None


def test_unreadable_file_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alplint import source

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    form = tmp_path / "secret.md"
    form.write_text("# x\n[[type:solution]]\n")
    monkeypatch.setattr(source, "open", refuse, raising=False)
    assert main([str(form)]) == 1
    out = capsys.readouterr().out
    assert "ALP101" in out and "Permission denied" in out


def test_file_too_large_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alplint import source

    monkeypatch.setattr(source, "MAX_FORM_BYTES", 100)
    form = tmp_path / "big.md"
    form.write_text("# Big\n[[type:solution]]\n" + "x" * 200)
    assert main([str(form)]) == 1
    out = capsys.readouterr().out
    assert "ALP101" in out and "too large" in out
