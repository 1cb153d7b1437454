"""Linear in every input (item 6): no stage of a lint above linear time, whatever the form holds.

Each test lints, through the whole engine with every rule on, a form far larger than any real one,
built so that a stage comparing every part with every other (characters of a line, lines, tags,
questions, problems, comments, groups) would show: the whole input must cost less than
``SLACK`` times what an eighth of it costs (a linear stage costs 8 times as much, a quadratic one
64 times), and less than ``BOUND_SECONDS`` in any case.  Times are CPU seconds, so that a busy
machine does not fail them.  Each test was checked by making the stage it guards quadratic again:
it then failed.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from alplint.config import Config
from alplint.engine import FileResult, Linter
from tests.conftest import EXPERIMENT_TAGS, SOLUTION_SEED

PART = 8  # the input is compared with an eighth of it...
SLACK = 4 * PART  # ...which a linear lint pays 8 times and a quadratic one 64 times
BOUND_SECONDS = 30.0  # and a lint of any of these inputs takes a few seconds at most

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def everything() -> Linter:
    return Linter(Config(select=("ALL",)))


def _cpu_seconds(linter: Linter, text: str) -> tuple[float, FileResult]:
    data = text.encode("utf-8")
    gc.collect()  # what earlier tests left is not this lint's to collect
    started = time.process_time()
    result = linter.lint_bytes(data, "big.md")
    return time.process_time() - started, result


def _lint(linter: Linter, build: Callable[[int], str], count: int) -> FileResult:
    """``build(count)`` linted, in time linear in ``count`` (compared with ``build(count // PART)``)."""
    part, _ = _cpu_seconds(linter, build(count // PART))
    whole, result = _cpu_seconds(linter, build(count))
    assert whole < SLACK * part + 0.5, f"{whole:.2f} s for the whole, {part:.2f} s for 1/{PART} of it"
    assert whole < BOUND_SECONDS, f"{whole:.1f} s of CPU"
    return result


def _answer(body: str) -> str:
    return f"{EXPERIMENT_TAGS}\n> Notes\n\n{body}\n"


def test_an_answer_of_100_kb_on_one_line(everything: Linter) -> None:
    # What a rule looks for in a line, closed and not: links with spaces, images, entities, code
    # spans, comments, HTML.
    piece = (
        "word [a link](https://x.org/a b) ![](i.png) R&amp;amp;D `&lt;` <div> <!-- alplint-x --> [b]( ` <!-- "
    )

    def build(count: int) -> str:
        return _answer((piece * (count // len(piece) + 1))[:count])

    result = _lint(everything, build, 100_000)
    assert {"ALP601", "ALP602", "ALP603"} <= {problem.code for problem in result.problems}


@pytest.mark.parametrize("unit", ["[a](", "![a](", "](", "[", "`", "&amp;", "<!--", "<div>", "[[", "> "])
def test_a_line_of_1_mb_of_one_repeated_piece(everything: Linter, unit: str) -> None:
    _lint(everything, lambda count: _answer(unit * (count // len(unit))), 1_000_000)


def test_a_line_of_100_000_escaped_ampersands(everything: Linter) -> None:
    _lint(everything, lambda count: _answer("&amp;" * count), 100_000)


def test_a_line_of_20_000_double_escapes_is_20_000_problems(everything: Linter) -> None:
    result = _lint(everything, lambda count: _answer("&amp;lt;" * count), 20_000)
    assert len(result.problems) == 20_000


@pytest.mark.parametrize("start", ["# A title ", "[[type:solution]] ", "[[type:solution"])
def test_1_mb_without_a_line_break(everything: Linter, start: str) -> None:
    piece = "word [[country:Mexico]] > A question? R&amp;amp;D "
    _lint(everything, lambda count: start + piece * (count // len(piece)), 1_000_000)


def test_1_mb_with_old_mac_line_breaks(everything: Linter) -> None:
    line = "A line of the answer with R&amp;amp;D\n"

    def build(count: int) -> str:
        return _answer(line * (count // len(line))).replace("\n", "\r")

    assert "\n" not in build(100)
    assert len(_lint(everything, build, 1_000_000).problems) >= 25_000


def test_8_000_suppression_comments_and_8_000_problems(everything: Linter) -> None:
    piece = (
        "<!-- alplint-disable ALP603 -->\nR&amp;amp;D\n<!-- alplint-enable ALP603 -->\n"
        "<!-- alplint-disable-next-line ALP601 -->\n![](a.png)\n\n"
    )
    result = _lint(everything, lambda count: _answer(piece * (count // 2)), 8_000)
    assert result.suppressed == 8_000


def test_20_000_tags(everything: Linter) -> None:
    def build(count: int) -> str:
        return EXPERIMENT_TAGS + "".join(
            f"[[methods:method {index}]]\n[[sdgs:{index % 17 + 1}. A goal]]\n"
            f"[[country:Mexco]]\n[[latlng:{index % 80}.{index:05d},-99.1]]\n[[unknown_{index % 7}:x]]\n"
            for index in range(count // 5)
        )

    assert len(_lint(everything, build, 20_000).problems) > 15_000


def test_20_000_repeated_tags(everything: Linter) -> None:
    result = _lint(
        everything,
        lambda count: EXPERIMENT_TAGS + "[[year:2024]]\n[[methods: Surveys ]]\n" * (count // 2),
        20_000,
    )
    assert len(result.problems) >= 20_000


def test_10_000_questions(everything: Linter) -> None:
    seed = SOLUTION_SEED.read_text(encoding="utf-8")
    known = "> Brief description of the innovation\n\nAn answer.\n\n"

    def build(count: int) -> str:
        questions = "".join(
            f"> Question {index}?\n> Quoted answer\n\n- choice {index}\n\n" for index in range(count)
        )
        return seed + known * (count // 100) + questions

    _lint(everything, build, 10_000)


def test_a_5_mb_form_of_short_lines(everything: Linter) -> None:
    # Mostly answer text, with every other kind of line among it.
    lines = ["Some text", "- an item", "", "> A question?", "", "A <b>line</b>", "## A heading", "****"]
    lines += ["Text", "```", "code", "```", "[[a:b]]", "</div>", '<div class="group">', "> A sub-question"]

    def build(count: int) -> str:
        return _answer(
            "\n".join(lines[index % 20] if index % 20 < len(lines) else "More text" for index in range(count))
        )

    assert len(build(570_000)) > 5_000_000
    _lint(everything, build, 570_000)


def test_deep_and_unbalanced_groups(everything: Linter) -> None:
    def build(count: int) -> str:
        opened = '<div class="group">\n> A sub-question\n\n' * count
        closed = "</div>\n\n" * count
        pasted = "<div>" * (2 * count) + " text " + "</div>" * count
        return _answer(opened + closed + pasted + "\n" + "</div>\n" * count)

    result = _lint(everything, build, 20_000)
    assert sum(problem.code == "ALP104" for problem in result.problems) >= 20_000
