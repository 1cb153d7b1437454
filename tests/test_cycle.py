"""ALP5: the learning-cycle percentages of the closing learning plan."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from alplint.problem import Problem
from alplint.rules.cycle import parse_percentage
from tests.conftest import CLOSING_SEED, codes

Lint = Callable[[str], list[Problem]]
VALID = (Path(__file__).parent / "fixtures" / "valid-learningplan-closing.md").read_text(encoding="utf-8")


def _with_stages(sense: str, explore: str, test: str, grow: str) -> str:
    text = VALID
    for stage, value in (("Sense", sense), ("Explore", explore), ("Test", test), ("Grow", grow)):
        text = re.sub(rf"(> {stage}\n\n)[^\n]*(\n)", lambda m, v=value: m[1] + v + m[2], text, count=1)
    return text


def _cycle(lint: Lint, text: str) -> list[Problem]:
    return [p for p in lint(text) if p.code.startswith("ALP5")]


@pytest.mark.parametrize("text", ["25%", "25", "25 %", "12.5%", "12,5 %", "0", "100%"])
def test_accepted_percentages(text: str) -> None:
    assert parse_percentage(text) is not None


@pytest.mark.parametrize("text", ["101%", "-5", "25%%", "about 25", "25% 30%", "1/4", ""])
def test_rejected_percentages(text: str) -> None:
    assert parse_percentage(text) is None


def _draft(text: str) -> str:
    title, _, rest = text.partition("\n")
    return f"{title}\n<!-- alplint-draft -->\n{rest}"


def test_alp504_an_export_without_any_percentage_is_one_warning(lint: Lint) -> None:
    """The export drops the percentages: every closing form of the archive has them empty."""
    (problem,) = _cycle(lint, CLOSING_SEED.read_text(encoding="utf-8"))
    assert (problem.code, problem.severity, problem.line, problem.column) == ("ALP504", "warning", 40, 3)
    assert problem.message.startswith(
        "The learning-cycle percentages (Sense, Explore, Test, Grow) are not in the form: "
        "the platform's export drops them."
    )
    assert "ignore ALP504 for an archive of exports" in problem.message


def test_alp504_also_when_the_export_has_no_stage_groups_at_all(lint: Lint) -> None:
    text = re.sub(r'<div class="group">\n\n\n> (Sense|Explore|Test|Grow)\n\n[^\n]*\n\n</div>', "", VALID)
    assert codes(_cycle(lint, text)) == ["ALP504"]
    assert codes(_cycle(lint, _draft(text))) == ["ALP501"] * 4


def test_alp501_in_a_draft_each_empty_stage_at_its_line(lint: Lint) -> None:
    text = CLOSING_SEED.read_text(encoding="utf-8")
    problems = _cycle(lint, _draft(text))
    assert [(p.code, p.line - 1, p.column, p.severity) for p in problems] == [
        ("ALP501", 46, 3, "error"),
        ("ALP501", 56, 3, "error"),
        ("ALP501", 66, 3, "error"),
        ("ALP501", 76, 3, "error"),
    ]
    assert 'stage "Sense" has no percentage' in problems[0].message


def test_alp501_an_export_that_holds_some_percentages_reports_the_empty_stage(lint: Lint) -> None:
    """Some percentages mean the export carried them: a stage left empty is the author's."""
    problems = _cycle(lint, _with_stages("50%", "", "25%", "25%"))
    assert [(p.code, p.severity) for p in problems] == [("ALP501", "error")]
    assert 'stage "Explore" has no percentage' in problems[0].message


def test_alp502_and_alp503_are_the_same_in_an_export_and_a_draft(lint: Lint) -> None:
    for text in (_with_stages("about half", "", "25%", "25%"), _with_stages("30%", "30%", "30%", "20%")):
        assert codes(_cycle(lint, text)) == codes(_cycle(lint, _draft(text)))
    assert codes(_cycle(lint, _with_stages("about half", "", "25%", "25%"))) == ["ALP502", "ALP501"]
    assert codes(_cycle(lint, _with_stages("30%", "30%", "30%", "20%"))) == ["ALP503"]


def test_alp501_missing_group(lint: Lint) -> None:
    text = VALID.replace('<div class="group">\n\n\n> Grow\n\n12.5\n\n</div>', "")
    problems = _cycle(lint, text)
    assert codes(problems) == ["ALP501"]
    assert '"Grow" is missing' in problems[0].message
    assert '"> Grow" and its percentage' in problems[0].message
    assert "group" not in problems[0].message  # the form's markup is no word for its authors
    assert problems[0].line == 40


def test_alp501_stages_written_without_groups_are_found(lint: Lint) -> None:
    head, _, _ = VALID.partition('<div class="group">')
    tail = VALID.split("## Data and Methods", 1)[1]
    text = (
        head
        + "> Sense\n\n25%\n\n> Explore\n\n25%\n\n> Test\n\n25%\n\n> Grow\n\n25%\n\n## Data and Methods"
        + tail
    )
    assert _cycle(lint, text) == []


def test_alp502_invalid_percentage(lint: Lint) -> None:
    problems = _cycle(lint, _with_stages("about a quarter", "30%", "37,5%", "12.5"))
    assert codes(problems) == ["ALP502"]
    assert "about a quarter" in problems[0].message


def test_alp503_sum_shows_the_arithmetic(lint: Lint) -> None:
    problems = _cycle(lint, _with_stages("30%", "30%", "30%", "20%"))
    assert codes(problems) == ["ALP503"]
    assert "Sense 30 + Explore 30 + Test 30 + Grow 20 = 110, expected 100" in problems[0].message


def test_alp503_not_reported_when_a_stage_is_invalid(lint: Lint) -> None:
    assert codes(_cycle(lint, _with_stages("30%", "30%", "", "20%"))) == ["ALP501"]


def test_alp503_decimal_stages_adding_to_100_pass(lint: Lint) -> None:
    assert _cycle(lint, _with_stages("33.3", "33,3 %", "33.4%", "0")) == []
