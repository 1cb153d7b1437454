"""Suppression comments: next line, block, whole file; by code, by name, by prefix, or all."""

from __future__ import annotations

from collections.abc import Callable

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


def test_unknown_code_in_a_comment_silences_nothing(lint: Lint) -> None:
    assert codes(lint(_form("<!-- alplint-disable-next-line ALP999 -->", IMAGE))) == ["ALP601"]


def test_ordinary_comments_are_not_answers_or_directives(lint: Lint) -> None:
    assert codes(lint(_form("<!-- a note for the editor -->", IMAGE))) == ["ALP601"]
