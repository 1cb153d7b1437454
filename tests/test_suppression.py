"""Suppression comments: next line, block, whole file; by code, by name, by prefix, or all; ALP106, ALP107."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from alplint.config import Config
from alplint.engine import Linter
from alplint.parse import parse
from alplint.problem import Problem
from tests.conftest import EXPERIMENT_TAGS, codes

Lint = Callable[[str], list[Problem]]
IMAGE = "![](https://x.org/a.png)"
ENTITY = "R&amp;amp;D"


def _form(*answer_lines: str) -> str:
    return EXPERIMENT_TAGS + "\n> Notes\n\n" + "\n".join(answer_lines) + "\n"


def test_without_comments_both_are_reported(lint: Lint) -> None:
    assert codes(lint(_form(IMAGE, ENTITY))) == ["ALP601", "ALP603"]


def test_disable_next_line_by_code(lint: Lint) -> None:
    problems = lint(_form("<!-- alplint-disable-next-line ALP601 -->", IMAGE, "", IMAGE))
    assert [(p.code, p.line) for p in problems] == [("ALP601", 13)]


def test_disable_next_line_by_name_leaves_other_codes(lint: Lint) -> None:
    problems = lint(_form("<!-- alplint-disable-next-line escaped-entity -->", IMAGE + " " + ENTITY))
    assert codes(problems) == ["ALP601"]


def test_disable_next_line_without_codes_silences_all(lint: Lint) -> None:
    assert lint(_form("<!-- alplint-disable-next-line -->", IMAGE + " " + ENTITY)) == []


def test_block_disable_and_enable(lint: Lint) -> None:
    text = _form(
        "<!-- alplint-disable ALP601 -->",
        "",
        IMAGE,
        "",
        "<!-- alplint-enable ALP601 -->",
        "",
        IMAGE,
    )
    problems = lint(text)
    assert [(p.code, p.line) for p in problems] == [("ALP601", 16)]


def test_block_by_prefix_runs_to_the_end_when_not_enabled(lint: Lint) -> None:
    text = _form("<!-- alplint-disable ALP6 -->", "", IMAGE, "", ENTITY)
    assert lint(text) == []


def test_enable_of_one_code_keeps_the_others_disabled(lint: Lint) -> None:
    text = _form(
        "<!-- alplint-disable ALP601, ALP603 -->",
        IMAGE + " " + ENTITY,
        "<!-- alplint-enable image-alt-text -->",
        IMAGE + " " + ENTITY,
    )
    assert [(p.code, p.line) for p in lint(text)] == [("ALP601", 13)]


def test_disable_file_by_code_anywhere_in_the_form(lint: Lint) -> None:
    text = _form(IMAGE, ENTITY, "", "<!-- alplint-disable-file ALP603 -->")
    assert codes(lint(text)) == ["ALP601"]


def test_disable_file_silences_tag_problems_too(lint: Lint) -> None:
    text = "<!-- alplint-disable-file unknown-tag -->\n" + EXPERIMENT_TAGS.replace("experiment", "solution")
    text = text.replace("[[country:Mexico]]", "[[color:blue]]\n[[country:Mexico]]")
    assert "ALP205" not in codes(lint(text))


def test_unknown_code_in_a_comment_silences_nothing_and_is_reported(lint: Lint) -> None:
    problems = lint(_form("<!-- alplint-disable-next-line ALP999 -->", IMAGE))
    assert codes(problems) == ["ALP106", "ALP601"]
    assert 'Unknown rule "ALP999"' in problems[0].message


def test_ordinary_comments_are_not_answers_or_directives(lint: Lint) -> None:
    assert codes(lint(_form("<!-- a note for the editor -->", IMAGE))) == ["ALP601"]


# --- directives that cannot be obeyed (ALP106) -------------------------------------------------------


def test_a_misspelt_verb_silences_nothing_and_says_which_word_is_wrong(lint: Lint) -> None:
    for verb, meant in (("disable-nextline", "disable-next-line"), ("disable-line", "disable-next-line")):
        text = _form(f"<!-- alplint-{verb} ALP601 -->", IMAGE, "", IMAGE)
        problems = lint(text)
        assert codes(problems) == ["ALP106", "ALP601", "ALP601"], verb
        assert f'"alplint-{verb}"' in problems[0].message
        assert f'did you mean "alplint-{meant}"' in problems[0].message
        assert (problems[0].line, problems[0].column) == (10, 6)


def test_an_unknown_rule_is_reported_at_its_word_and_known_ones_still_apply(lint: Lint) -> None:
    problems = lint(_form("<!-- alplint-disable-next-line ALP4O1, ALP601 -->", IMAGE))
    assert codes(problems) == ["ALP106"]
    assert 'Unknown rule "ALP4O1"' in problems[0].message and 'did you mean "ALP401"' in problems[0].message
    assert problems[0].column == 32


def test_a_comment_that_is_no_directive_is_reported(lint: Lint) -> None:
    problems = lint(_form("<!-- alplint disable ALP601 -->", IMAGE))
    assert codes(problems) == ["ALP106", "ALP601"]
    assert "no alplint directive" in problems[0].message


def test_a_directive_sharing_its_line_is_ignored_and_reported(lint: Lint) -> None:
    problems = lint(_form(IMAGE + " <!-- alplint-disable-next-line -->", IMAGE))
    assert codes(problems) == ["ALP601", "ALP106", "ALP601"]


def test_a_reason_after_two_dashes_is_not_a_rule(lint: Lint) -> None:
    assert lint(_form("<!-- alplint-disable-next-line ALP601 -- the exporter's placeholder -->", IMAGE)) == []


def test_directives_in_a_code_block_are_not_read(lint: Lint) -> None:
    text = _form("```", "<!-- alplint-disable -->", "```", "", IMAGE)
    assert codes(lint(text)) == ["ALP601"]


# --- disable and enable ----------------------------------------------------------------------------


def test_enabling_one_rule_after_a_bare_disable_keeps_the_others_disabled(lint: Lint) -> None:
    text = _form(
        "<!-- alplint-disable -->",
        IMAGE + " " + ENTITY,
        "<!-- alplint-enable ALP601 -->",
        IMAGE + " " + ENTITY,
        "<!-- alplint-enable -->",
        IMAGE + " " + ENTITY,
    )
    assert [(p.code, p.line) for p in lint(text)] == [("ALP601", 13), ("ALP601", 15), ("ALP603", 15)]


def test_disabling_again_after_an_enable(lint: Lint) -> None:
    text = _form(
        "<!-- alplint-disable -->",
        "<!-- alplint-enable ALP601 -->",
        "<!-- alplint-disable ALP601 -->",
        IMAGE + " " + ENTITY,
    )
    assert lint(text) == []


# --- counting what was silenced, and what silenced nothing (ALP107) ---------------------------------


def _linter(*select: str) -> Linter:
    return Linter(Config(select=select or None))


def test_every_silenced_problem_is_counted() -> None:
    text = _form("<!-- alplint-disable-file ALP603 -->", IMAGE + " " + ENTITY + " " + ENTITY)
    result = _linter().lint_text(text, "x.md")
    assert codes(result.problems) == ["ALP601"] and result.suppressed == 2


def test_unused_suppressions_are_off_by_default() -> None:
    text = _form("<!-- alplint-disable-next-line ALP601 -->", "", IMAGE)
    assert codes(_linter().lint_text(text, "x.md").problems) == ["ALP601"]
    assert codes(_linter("ALL").lint_text(text, "x.md").problems) == ["ALP107", "ALP601"]
    assert codes(_linter("ALP6", "unused-suppression").lint_text(text, "x.md").problems) == [
        "ALP107",
        "ALP601",
    ]
    bare = _form("<!-- alplint-disable-next-line -->", "", IMAGE)
    assert codes(_linter("ALP107").lint_text(bare, "x.md").problems) == ["ALP107"]


def test_an_unused_suppression_is_deleted_by_its_fix() -> None:
    text = _form(IMAGE, "<!-- alplint-disable-file ALP603 -->")
    (unused,) = [p for p in _linter("ALL").lint_text(text, "x.md").problems if p.code == "ALP107"]
    assert unused.line == 11 and "silenced nothing" in unused.message
    assert unused.fix is not None and unused.fix.applicability == "safe"
    assert [(e.line, e.column, e.end_line, e.end_column) for e in unused.fix.edits] == [(11, 1, 12, 1)]


def test_the_rules_of_a_suppression_that_silenced_nothing_are_named() -> None:
    text = _form("<!-- alplint-disable-next-line ALP601, ALP603 -->", IMAGE)
    (unused,) = _linter("ALL").lint_text(text, "x.md").problems
    assert unused.code == "ALP107" and unused.message.startswith('"ALP603" silenced nothing')
    assert unused.column == 40


def test_suppressions_of_rules_that_do_not_run_are_not_judged() -> None:
    text = _form("<!-- alplint-disable-next-line ALP401 -->", IMAGE)
    assert codes(_linter("ALP6", "ALP107").lint_text(text, "x.md").problems) == ["ALP601"]


def test_used_suppressions_and_enables_are_not_reported() -> None:
    text = _form("<!-- alplint-disable ALP601 -->", IMAGE, "<!-- alplint-enable ALP601 -->")
    assert _linter("ALL").lint_text(text, "x.md").problems == []


# --- time ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("piece", "kept"),
    [
        (f"<!-- alplint-disable ALP603 -->\n{ENTITY}\n<!-- alplint-enable ALP603 -->\n{ENTITY}\n\n", 4000),
        (f"<!-- alplint-disable-next-line ALP603 -->\n{ENTITY}\n<!-- alplint-disable-file ALP601 -->\n", 0),
    ],
    ids=["disable and enable", "next line and file"],
)
def test_suppression_is_linear_in_comments_and_problems(piece: str, kept: int) -> None:
    # 8,000 comments and 8,000 problems once took 7 s, comparing every problem with every range.
    text = _form("".join(piece for _ in range(4000)))
    linter = _linter("ALP6")
    form = parse(text)
    problems = [p for name, module in linter.active_families for p in module.check(form, None, {})]
    problems = (problems * 2)[:8000]
    assert len(form.directives) == 8000 and len(problems) == 8000
    start = time.perf_counter()
    reported, _notes, suppressed = linter._finish("x.md", problems, form)
    assert time.perf_counter() - start < 2.5
    assert (len(reported), suppressed) == (kept, 8000 - kept)
