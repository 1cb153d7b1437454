"""ALP6: Markdown that readers will see broken, in answers only.

What ALP603 claims readers see is checked against a real CommonMark
renderer (markdown-it-py, a test-only dependency).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from alplint.engine import Linter
from alplint.fix import apply_edits
from alplint.problem import Problem
from tests.conftest import EXPERIMENT_TAGS, OPENING_SEED, codes

Lint = Callable[[str], list[Problem]]
COMMONMARK = MarkdownIt("commonmark")
ANSWER_LINE = 10


def _answer(text: str) -> str:
    return EXPERIMENT_TAGS + "\n> Notes\n\n" + text + "\n"


def _draft(text: str) -> str:
    lines = _answer(text).split("\n")
    return "\n".join([lines[0], "<!-- alplint-draft -->", *lines[1:]])


def _seen(markdown: str) -> str:
    """The text a reader sees when CommonMark renders ``markdown``."""
    rendered = COMMONMARK.renderInline(markdown)
    without_tags = "".join(part.split(">", 1)[-1] for part in rendered.split("<"))
    return html.unescape(without_tags)


# ALP601 / ALP604: images


def test_alp601_empty_alt_text(lint: Lint) -> None:
    problems = lint(_answer("![](https://x.org/b.png) and ![  ](https://x.org/c.png)"))
    assert codes(problems) == ["ALP601", "ALP601"]
    assert [(p.line, p.column) for p in problems] == [(ANSWER_LINE, 1), (ANSWER_LINE, 30)]
    assert "no description" in problems[0].message


def test_alp604_exporter_placeholder_is_one_note_per_form(linter: Linter) -> None:
    text = _answer("![Missing alt text](https://x.org/a.png)\n\n![Missing alt text](https://x.org/b.png)")
    result = linter.lint_text(text)
    assert codes(result.problems) == []
    assert result.notes == {"ALP604": 1}


def test_alp604_message_counts_the_images() -> None:
    from alplint.model import Block, Form, Span
    from alplint.rules import markdown

    block = Block(("![Missing alt text](a) ![Missing alt text](b)",), Span(3, 1, 3, 10))
    form = Form("f.md", "", [])
    problems = list(markdown._check_blocks(form, [block]))
    assert codes(problems) == ["ALP604"]
    assert problems[0].message.startswith("2 images have the exporter's placeholder")
    assert (problems[0].line, problems[0].column) == (3, 1)


def test_alp601_placeholder_in_a_draft_is_reported_per_image(linter: Linter) -> None:
    text = _draft("![Missing alt text](https://x.org/a.png) ![Missing alt text](https://x.org/b.png)")
    result = linter.lint_text(text)
    assert codes(result.problems) == ["ALP601", "ALP601"]
    assert "placeholder" in result.problems[0].message
    assert not result.notes


def test_alp601_described_image_passes(lint: Lint) -> None:
    assert lint(_answer("![A herder with a tablet](https://x.org/a.png)")) == []


# ALP602: links


def test_alp602_two_urls_in_one_link(lint: Lint) -> None:
    problems = lint(_answer("[a b](https://x.org/a https://x.org/b)"))
    assert codes(problems) == ["ALP602"]
    assert "2 web addresses" in problems[0].message


def test_alp602_counts_the_web_addresses_not_the_words(lint: Lint) -> None:
    """As the archive has them: addresses with words and pasted markup between them."""
    problems = lint(_answer("[links](https://x.org/a <br> and also https://x.org/b <div></div>)"))
    assert codes(problems) == ["ALP602"]
    assert "2 web addresses" in problems[0].message


def test_markdown_outside_any_question_is_read(lint: Lint) -> None:
    """A pad written without questions (2,488 solutions of the archive) is text readers see all the same."""
    text = (
        EXPERIMENT_TAGS
        + "\nOur pad, with no question.\n\n[a b](https://x.org/a https://x.org/b)\n\nR&amp;amp;D\n"
    )
    assert codes(lint(text)) == ["ALP602", "ALP603"]


def test_the_placeholder_note_stands_at_the_first_image_of_the_form() -> None:
    from alplint.parse import parse
    from alplint.rules import markdown

    text = EXPERIMENT_TAGS + (
        "\n![Missing alt text](https://x.org/a.png)\n\n> Notes\n\n![Missing alt text](https://x.org/b.png)\n"
    )
    (note,) = markdown.check(parse(text), None, {})
    assert (note.code, note.line) == ("ALP604", EXPERIMENT_TAGS.count("\n") + 2)
    assert str(note.message).startswith("2 images")


def test_alp602_space_in_target(lint: Lint) -> None:
    assert codes(lint(_answer("[report](https://x.org/my report.pdf)"))) == ["ALP602"]


def test_alp602_links_with_titles_pass(lint: Lint) -> None:
    assert lint(_answer('[report](https://x.org/report.pdf "The report") and [x](https://x.org)')) == []


def test_alp602_link_text_starts_at_the_last_bracket(lint: Lint) -> None:
    problems = lint(_answer("see [x [a b](https://x.org/a b)"))
    assert [(p.code, p.column) for p in problems] == [("ALP602", 8)]


# ALP603: entities readers see as code


def test_alp603_single_escapes_show_as_characters(lint: Lint) -> None:
    text = "R&amp;D &lt;b&gt; &quot;x&quot; it&#39;s"
    assert _seen(text) == 'R&D <b> "x" it\'s'
    assert lint(_answer(text)) == []


def test_alp603_double_escapes_with_a_one_layer_fix(lint: Lint) -> None:
    text = "R&amp;amp;D &amp;lt;script&amp;gt; &amp;nbsp;"
    problems = lint(_answer(text))
    assert codes(problems) == ["ALP603"] * 4
    first = problems[0]
    assert (first.column, first.end_column) == (2, 11)
    assert [p.fix.edits[0].content for p in problems if p.fix] == ["&amp;", "&lt;", "&gt;", "&nbsp;"]
    for problem in problems:
        # The renderer really shows the entity the message says readers see.
        assert problem.subject.replace("&amp;", "&", 1) in _seen(text)


def test_alp603_entity_in_a_code_span(lint: Lint) -> None:
    text = "Use `a &amp; b` and ``x &lt; y`` but not &amp; here"
    assert _seen(text) == "Use a &amp; b and x &lt; y but not & here"
    problems = lint(_answer(text))
    assert [(p.subject, p.fix.edits[0].content if p.fix else None) for p in problems] == [
        ("&amp;", "&"),
        ("&lt;", "<"),
    ]
    assert "between backticks" in problems[0].message


def test_alp603_code_span_across_lines_of_a_paragraph(lint: Lint) -> None:
    problems = lint(_answer("Start `code\nwith &amp; inside` end"))
    assert [(p.code, p.line, p.column) for p in problems] == [("ALP603", ANSWER_LINE + 1, 6)]


def test_alp603_unmatched_backticks_are_not_code(lint: Lint) -> None:
    text = "a ` b &amp; c `` d"
    assert _seen(text) == "a ` b & c `` d"
    assert lint(_answer(text)) == []


def test_alp603_plain_ampersand_passes(lint: Lint) -> None:
    assert lint(_answer("R&D and AT&T; &amp without semicolon &amp;foo;")) == []


def test_alp603_triple_escape_loses_one_layer_per_fix(linter: Linter) -> None:
    text = _answer("Tom &amp;amp;amp; Jerry")
    fixed, _ = apply_edits(text, [p.fix for p in linter.lint_text(text).problems if p.fix])
    assert "Tom &amp;amp; Jerry" in fixed


def test_alp603_instruction_text_is_never_reported(lint: Lint) -> None:
    problems = [p for p in lint(OPENING_SEED.read_text(encoding="utf-8")) if p.code == "ALP603"]
    assert problems == []


def test_alp6_ignores_title_and_tags(lint: Lint) -> None:
    text = (
        EXPERIMENT_TAGS.replace("# Street markets", "# Streets &amp;amp; markets")
        + "[[methods:R&amp;amp;D]]\n"
    )
    assert "ALP603" not in codes(lint(text))


_PIECES = st.sampled_from(
    [
        "&amp;",
        "&amp;amp;",
        "&amp;lt;",
        "&lt;",
        "&gt;",
        "&amp;gt;",
        "`",
        "``",
        "div",
        "<",
        ">",
        " ",
        "a",
        "/",
        ";",
        "&",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_alp603_fix_never_adds_a_problem_or_markup(linter: Linter, body: str) -> None:
    text = _answer("x " + body)
    before = linter.lint_text(text).problems
    fixed, _ = apply_edits(text, [p.fix for p in before if p.fix])
    after = linter.lint_text(fixed).problems
    assert {(p.code, p.subject) for p in after} <= {(p.code, p.subject) for p in before} | {
        (p.code, p.subject.replace("&amp;", "&", 1)) for p in before
    }
    # The fix never turns text into HTML tags: whatever rendered as text still does.
    assert COMMONMARK.renderInline(fixed).count("<") - COMMONMARK.renderInline(text).count("<") <= 0


# Linear time: a line of 160 KB or 1 MB of unclosed links or images


@pytest.mark.parametrize(
    ("unit", "size"),
    [("[a](", 160_000), ("![a](", 160_000), ("[a](", 1_000_000), ("![a](", 1_000_000), ("&amp;", 1_000_000)],
)
def test_one_huge_line_is_linted_in_linear_time(linter: Linter, unit: str, size: int) -> None:
    text = _answer(unit * (size // len(unit)))
    started = time.perf_counter()
    linter.lint_text(text)
    # Generous: the linear scan takes well under a second; the old patterns took minutes.
    assert time.perf_counter() - started < 5


def test_alp603_a_chain_of_escapes_is_one_mistake_named_by_the_entity_it_hides(linter: Linter) -> None:
    """``&amp;amp;div;`` is "÷" escaped twice over, not "&" escaped twice followed by text (found by Hypothesis)."""
    (problem,) = [p for p in linter.lint_text(_answer("x &amp;amp;div;")).problems if p.code == "ALP603"]
    assert problem.subject == "&amp;amp;div;"
    assert 'instead of "÷"' in problem.message
    assert problem.fix is not None and problem.fix.edits[0].content == "&amp;div;"
