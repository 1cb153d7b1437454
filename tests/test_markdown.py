"""ALP6: Markdown that readers will see broken, in answers only."""

from __future__ import annotations

from collections.abc import Callable

from alplint.problem import Problem
from tests.conftest import EXPERIMENT_TAGS, OPENING_SEED, codes

Lint = Callable[[str], list[Problem]]


def _answer(text: str) -> str:
    return EXPERIMENT_TAGS + "\n> Notes\n\n" + text + "\n"


def test_alp601_missing_and_empty_alt_text(lint: Lint) -> None:
    problems = lint(_answer("![Missing alt text](https://x.org/a.png) and ![](https://x.org/b.png)"))
    assert codes(problems) == ["ALP601", "ALP601"]
    assert [(p.line, p.column) for p in problems] == [(10, 1), (10, 46)]


def test_alp601_described_image_passes(lint: Lint) -> None:
    assert lint(_answer("![A herder with a tablet](https://x.org/a.png)")) == []


def test_alp602_two_urls_in_one_link(lint: Lint) -> None:
    problems = lint(_answer("[a b](https://x.org/a https://x.org/b)"))
    assert codes(problems) == ["ALP602"]
    assert "2 URLs" in problems[0].message


def test_alp602_space_in_target(lint: Lint) -> None:
    assert codes(lint(_answer("[report](https://x.org/my report.pdf)"))) == ["ALP602"]


def test_alp602_links_with_titles_pass(lint: Lint) -> None:
    assert lint(_answer('[report](https://x.org/report.pdf "The report") and [x](https://x.org)')) == []


def test_alp603_entities_with_fix(lint: Lint) -> None:
    problems = lint(_answer("R&amp;D &lt;b&gt; &quot;x&quot; it&#39;s"))
    assert codes(problems) == ["ALP603"] * 6
    first = problems[0]
    assert (first.column, first.end_column) == (2, 7)
    assert first.fix is not None and first.fix.edits[0].content == "&"


def test_alp603_plain_ampersand_passes(lint: Lint) -> None:
    assert lint(_answer("R&D and AT&T; &amp without semicolon")) == []


def test_alp603_instruction_text_is_never_reported(lint: Lint) -> None:
    problems = [p for p in lint(OPENING_SEED.read_text(encoding="utf-8")) if p.code == "ALP603"]
    assert [p.line for p in problems] == [111, 216]


def test_alp6_ignores_title_and_tags(lint: Lint) -> None:
    text = EXPERIMENT_TAGS.replace("# Street markets", "# Streets &amp; markets") + "[[methods:R&amp;D]]\n"
    assert "ALP603" not in codes(lint(text))
