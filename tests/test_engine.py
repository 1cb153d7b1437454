"""The engine's own decisions: which reading of a mistake is reported, and notes counted apart."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from alplint.config import Config
from alplint.engine import Linter
from alplint.model import Form, Span
from alplint.problem import Problem
from alplint.report import Report, Summary
from alplint.report.text_format import render

FORM = """# Street markets
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Mexico]]
[[latlng:19.43,-99.13]]
"""


def _family(*problems: Problem) -> Any:
    def check(form: Form, binding: object, options: Mapping[str, Any]) -> Iterator[Problem]:
        yield from problems

    return SimpleNamespace(check=check)


def _lint(config: Config, *problems: Problem) -> list[Problem]:
    linter = Linter(config)
    linter.active_families = [("location", _family(*problems))]
    linter.options["location"] = {}
    return linter.lint_text(FORM).problems


SPAN = Span(6, 10, 6, 22)
SWAPPED = Problem.at(SPAN, "ALP304", "swapped", mistake="latlng:6")
OUT_OF_RANGE = Problem.at(SPAN, "ALP302", "out of range", mistake="latlng:6")


def test_the_first_reading_of_a_mistake_is_reported() -> None:
    assert [p.code for p in _lint(Config(), SWAPPED, OUT_OF_RANGE)] == ["ALP304"]


def test_disabling_the_first_reading_reports_the_next() -> None:
    assert [p.code for p in _lint(Config(ignore=("ALP304",)), SWAPPED, OUT_OF_RANGE)] == ["ALP302"]


def test_problems_without_a_mistake_key_are_all_reported() -> None:
    plain = Problem.at(SPAN, "ALP305", "outside")
    assert [p.code for p in _lint(Config(), plain, plain)] == ["ALP305", "ALP305"]


def test_a_suppressed_first_reading_silences_the_mistake() -> None:
    linter = Linter(Config())
    text = FORM.replace("[[latlng", "<!-- alplint-disable-next-line ALP304 -->\n[[latlng")
    moved = [p.with_(line=7, end_line=7) for p in (SWAPPED, OUT_OF_RANGE)]
    linter.active_families = [("location", _family(*moved))]
    assert linter.lint_text(text).problems == []


def test_notes_are_counted_not_listed() -> None:
    config = Config(severity={"ALP601": "note"})
    image = Problem.at(SPAN, "ALP601", "placeholder")
    linter = Linter(config)
    linter.active_families = [("markdown", _family(image, image))]
    result = linter.lint_text(FORM)
    assert result.problems == []
    assert result.notes == {"ALP601": 2}
    summary = Summary.of([result, result], 0)
    assert summary.notes == {"ALP601": (4, 2)}
    assert summary.as_dict()["notes"] == {"ALP601": {"count": 4, "forms": 2}}
    report = Report([result], Summary.of([result], 0), linter.catalog.rules, {}, {}, "0")
    text = render(report)
    assert "ALP601 image-alt-text" in text and "2 in 1 form" in text


def test_a_result_keeps_what_reporters_need_and_no_more() -> None:
    text = FORM + "\n> Evidence\n\n![](https://example.org/a.png)\n"
    result = Linter(Config()).lint_text(text, "x.md")
    assert result.title == "Street markets"
    assert result.locations == (("Mexico", "19.43,-99.13", 5),)
    (problem,) = [p for p in result.problems if p.code == "ALP601"]
    assert sorted(result.excerpt) == [problem.line - 2, problem.line - 1, problem.line]
    assert result.excerpt[problem.line].startswith("![](")


def test_the_draft_marker_makes_a_draft() -> None:
    from alplint.parse import parse

    assert parse(FORM).origin == "export"
    assert parse(FORM.replace("[[focal", "<!-- alplint-draft -->\n[[focal")).origin == "draft"


def test_suppressed_problems_are_counted() -> None:
    text = (
        FORM + "\n> Evidence\n\n<!-- alplint-disable-next-line ALP601 -->\n![](https://example.org/a.png)\n"
    )
    result = Linter(Config()).lint_text(text, "x.md")
    assert [p.code for p in result.problems] == [] and result.suppressed == 1
