from __future__ import annotations

from pathlib import Path

import pytest

from alplint.engine import FileResult, Linter
from alplint.statistics import question_counts, render_statistics, rule_counts
from tests.conftest import OPENING_SEED, SOLUTION_SEED

SECTOR_UNANSWERED = "> What sector does our partner belong to?\n\n\n\n</div>"
SECTOR_ANSWERED = "> What sector does our partner belong to?\n\nGovernment\n\n</div>"
TITLE_ANSWERED = "> Title of the innovation\n\nX-Ray Vision Intelligent Assistant for Cancer Detection\n"


@pytest.fixture
def results(linter: Linter, tmp_path: Path) -> list[FileResult]:
    """Three opening drafts (one answers the sector question) and a solution without its title answer."""
    title, _, rest = OPENING_SEED.read_text(encoding="utf-8").partition("\n")
    opening = f"{title}\n<!-- alplint-draft -->\n{rest}"
    assert SECTOR_UNANSWERED in opening
    solution = SOLUTION_SEED.read_text(encoding="utf-8")
    assert TITLE_ANSWERED in solution
    forms = {
        "opening-1.md": opening,
        "opening-2.md": opening,
        "opening-3.md": opening.replace(SECTOR_UNANSWERED, SECTOR_ANSWERED),
        "solution.md": solution.replace(TITLE_ANSWERED, "> Title of the innovation\n\n"),
    }
    for name, text in forms.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [linter.lint_file(str(tmp_path / name)) for name in forms]


def test_rules_are_counted_by_problems_and_forms_most_frequent_first(
    linter: Linter, results: list[FileResult]
) -> None:
    rows = [
        (row.code, row.name, row.problems, row.forms) for row in rule_counts(results, linter.catalog.rules)
    ]

    assert rows == [
        ("ALP401", "unanswered-question", 9, 4),
        ("ALP207", "untidy-tag-value", 6, 3),
        # The drafts' image keeps the platform's placeholder description, the author's to replace.
        ("ALP601", "image-alt-text", 3, 3),
    ]


def test_a_question_unanswered_in_every_form_of_its_template_comes_first(results: list[FileResult]) -> None:
    rows = [
        (row.code, row.question[:30], row.template, row.forms, row.template_forms)
        for row in question_counts(results)
    ]

    assert rows == [
        ("ALP401", "Challenge type: If you are wor", "learningplan-opening version 2", 3, 3),
        ("ALP401", "Is this a new and unusual part", "learningplan-opening version 2", 3, 3),
        ("ALP401", "Title of the innovation", "solution version innovation-2025", 1, 1),
        ("ALP401", "What sector does our partner b", "learningplan-opening version 2", 2, 3),
    ]


def test_the_rendered_statistics_mark_systemic_gaps(linter: Linter, results: list[FileResult]) -> None:
    text = render_statistics(results, linter.catalog.rules)
    lines = text.splitlines()

    assert lines[:3] == [
        "Problems by rule:",
        "  problems  forms  rule",
        "         9      4  ALP401 unanswered-question",
    ]
    questions = lines[
        lines.index("Questions, by the share of their template's forms with the problem:") + 1 :
    ]
    assert questions[:4] == [
        "ALP401 Challenge type: If you are working on multiple challenges, please...: "
        "3 of 3 learningplan-opening version 2 forms, in every form",
        "ALP401 Is this a new and unusual partner for UNDP?: 3 of 3 learningplan-opening version 2 forms, "
        "in every form",
        "ALP401 Title of the innovation: 1 of 1 solution version innovation-2025 forms, in every form",
        "ALP401 What sector does our partner belong to?: 2 of 3 learningplan-opening version 2 forms",
    ]
    versions = lines[lines.index("Forms by template version:") + 1 :]
    assert versions[:2] == ["  3  learningplan-opening version 2", "  1  solution version innovation-2025"]
    assert lines[-1] == "18 problems in 4 of 4 forms."


def test_choices_count_under_their_question(linter: Linter, tmp_path: Path) -> None:
    opening = OPENING_SEED.read_text(encoding="utf-8").replace(
        "\n- Explore\n- Test\n", "\n- Explor\n- Tset\n"
    )
    path = tmp_path / "choices.md"
    path.write_text(opening, encoding="utf-8")
    result = linter.lint_file(str(path))

    rows = [(row.code, row.question, row.forms) for row in question_counts([result]) if row.code == "ALP405"]

    assert rows == [
        ("ALP405", "To what stage(s) in the learning cycle does your learning question relate?", 1)
    ]


def test_large_counts_use_thousands_separators(linter: Linter, results: list[FileResult]) -> None:
    many = [
        FileResult(
            f"form-{index}.md",
            result.problems,
            template=result.template,
            version=result.version,
            form_type=result.form_type,
        )
        for index in range(250)
        for result in results
    ]

    text = render_statistics(many, linter.catalog.rules)

    assert "  2,250  1,000  ALP401 unanswered-question" in text
    assert "What sector does our partner belong to?: 500 of 750 learningplan-opening version 2 forms" in text


def test_no_problems_says_so(linter: Linter) -> None:
    clean = [FileResult("a.md", [], template="solution"), FileResult("b.md", [], template="solution")]
    assert render_statistics(clean, linter.catalog.rules) == "No problems in 2 forms.\n"


def test_questions_are_counted_by_what_the_problem_says_it_is_about_not_by_its_code() -> None:
    from alplint.model import Span
    from alplint.problem import Problem

    span = Span(3, 1, 3, 5)
    about_a_question = Problem.at(span, "ALP901", "made up", subject="anything\nat all", question="Why?")
    not_about_one = Problem.at(span, "ALP401", "made up", subject="Why?")
    results = [
        FileResult("a.md", [about_a_question, not_about_one], template="t", version="1"),
        FileResult("b.md", [], template="t", version="1"),
    ]
    rows = [(row.code, row.question, row.forms, row.template_forms) for row in question_counts(results)]
    assert rows == [("ALP901", "Why?", 1, 2)]
