"""The engine's own decisions: what is a form, which reading of a mistake is reported, notes, selection."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from alplint.config import Config
from alplint.engine import Linter
from alplint.fix import fix_loop
from alplint.model import Form, Span
from alplint.parse import parse
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
    assert parse(FORM).origin == "export"
    assert parse(FORM.replace("[[focal", "<!-- alplint-draft -->\n[[focal")).origin == "draft"


def test_suppressed_problems_are_counted() -> None:
    text = (
        FORM + "\n> Evidence\n\n<!-- alplint-disable-next-line ALP601 -->\n![](https://example.org/a.png)\n"
    )
    result = Linter(Config()).lint_text(text, "x.md")
    assert [p.code for p in result.problems] == [] and result.suppressed == 1


# --- what is a form ------------------------------------------------------------------------------------


BLOG = """# Five years of learning
[[type:blog]]
[[country:Peru]]
[[latlng:abc]]

Some article text with R&amp;D.
"""


@pytest.mark.parametrize(
    "kind", ["blog", "publications", "story", "tactics", "tools", "principles", "skills"]
)
def test_pages_that_are_not_forms_are_skipped_by_their_type(kind: str) -> None:
    result = Linter(Config()).lint_text(BLOG.replace("blog", kind), "page.md")
    assert not result.is_form and result.problems == [] and result.form_type == kind


def test_a_method_card_with_several_non_form_types_is_skipped() -> None:
    text = "[[type:principles]]\n[[type:tactics]]\n\n# Negotiation\n\n## Overview\nText\n"
    assert not Linter(Config()).lint_text(text, "card.md").is_form


def test_pages_that_are_not_forms_are_checked_when_asked_for() -> None:
    result = Linter(Config(skip_types=())).lint_text(BLOG, "page.md")
    assert result.is_form and "ALP105" in [p.code for p in result.problems]
    assert Linter(Config(skip_types=("story",))).lint_text(BLOG, "page.md").is_form


def test_a_form_with_a_non_form_type_and_a_form_type_is_checked() -> None:
    assert Linter(Config()).lint_text(FORM.replace("[[year", "[[type:blog]]\n[[year"), "x.md").is_form


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(FORM.replace("[[", "[").replace("]]", "]"), id="single brackets"),
        pytest.param(FORM.replace("[[", "{{").replace("]]", "}}"), id="braces"),
        pytest.param(FORM.replace("[[", "- [["), id="list items"),
        pytest.param(FORM.replace("\n", "\r").replace("[[year:2024]]", "[[year:2024"), id="CR line endings"),
    ],
)
def test_a_broken_form_is_a_form_with_problems(broken: str) -> None:
    result = Linter(Config()).lint_text(broken, "x.md")
    assert result.is_form and result.problems


def test_a_form_whose_tags_were_all_deleted_is_known_by_its_questions() -> None:
    text = "# Street markets\n\n> Title of the innovation\n\nA market\n\n> Brief description of the innovation\n\nText\n"
    result = Linter(Config()).lint_text(text, "x.md")
    assert result.is_form and "ALP105" in [p.code for p in result.problems]


def test_readmes_are_skipped_even_when_they_show_tags_in_a_code_block() -> None:
    readme = "# Our forms\n\nEach form starts with tags:\n\n```\n[[type:solution]]\n[[country:Peru]]\n```\n"
    linter = Linter(Config())
    assert not linter.lint_text(readme, "README.md").is_form
    assert not linter.lint_text(
        "# Our forms\n\nWrite `[[country:Peru]]` under the title.\n", "README.md"
    ).is_form
    assert not linter.lint_text("# Notes\n\n> A quote of a question\n", "notes.md").is_form


# --- code blocks -------------------------------------------------------------------------------------


def test_no_problem_is_reported_or_fixed_inside_a_code_block() -> None:
    text = FORM + "\n> Evidence\n\n```\n![](https://example.org/a.png) R&amp;amp;D \x02\n```\n\nR&amp;amp;D\n"
    problems = Linter(Config()).lint_text(text, "x.md").problems
    assert [(p.code, p.line) for p in problems] == [("ALP603", 14)]


# --- selection -----------------------------------------------------------------------------------------


def test_rules_off_by_default_run_only_when_selected() -> None:
    assert "ALP107" not in Linter(Config()).enabled
    assert "ALP107" in Linter(Config(select=("ALL",))).enabled
    assert "ALP107" in Linter(Config(select=("ALP1",))).enabled
    assert Linter(Config()).enabled == Linter(Config(select=("ALL",))).enabled - {"ALP107"}


# --- every path fills what reporters need ------------------------------------------------------------


def test_every_path_counts_suppressed_problems() -> None:
    linter = Linter(Config())
    assert linter.lint_bytes(b"\xff\xfe\x00", "x.md").suppressed == 0
    assert linter.lint_text(BLOG, "blog.md").suppressed == 0
    text = FORM + "\n> Evidence\n\n<!-- alplint-disable -->\n![](https://example.org/a.png) R&amp;amp;D\n"
    assert linter.lint_text(text, "x.md").suppressed == 2


def test_a_fix_on_a_file_with_cr_line_endings_lands_on_its_line() -> None:
    linter = Linter(Config())
    text = (FORM + "\n> Evidence\n\nR&amp;amp;D\n").replace("\n", "\r")
    result = linter.lint_text(text, "x.md")
    assert [(p.code, p.line) for p in result.problems] == [("ALP603", 10)]
    fixed = fix_loop("x.md", text, result.problems, lambda new: linter.lint_text(new, "x.md").problems)
    assert fixed.fixed_text == text.replace("R&amp;amp;D", "R&amp;D")


ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "sdg-commons" / "pages"


@pytest.mark.integration
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="the SDG Commons archive is not on this machine")
def test_the_archives_pages_that_are_not_forms_are_all_skipped_and_its_forms_all_kept() -> None:
    linter = Linter(Config())
    skipped: Counter[str] = Counter()
    forms = 0
    for page in sorted(ARCHIVE.glob("*.md")):
        text = page.read_bytes().decode("utf-8")
        form = parse(text)
        if set(form.types) <= linter.skip_types:
            result = linter.lint_text(text, str(page))
            assert not result.is_form and result.problems == [], page.name
            skipped[result.form_type or ""] += 1
        else:
            assert linter.is_form(form), page.name
            forms += 1
    assert forms == 7563  # the hidden ".md" included
    assert skipped == {
        "blog": 1535,
        "publications": 214,
        "story": 80,
        "tactics": 55,
        "tools": 52,
        "principles": 40,
        "skills": 40,
    }


def test_skip_types_is_read_from_the_configuration(tmp_path: Path) -> None:
    from alplint.config import load_config

    path = tmp_path / ".alplint.yaml"
    path.write_text("skip-types: [blog]\n", encoding="utf-8")
    assert load_config(path).skip_types == ("blog",)
    assert Config().skip_types == (
        "blog",
        "publications",
        "story",
        "tactics",
        "tools",
        "principles",
        "skills",
    )


def test_a_broken_form_fails_the_run_and_a_readme_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from alplint.cli import main

    broken = tmp_path / "broken.md"
    broken.write_text(FORM.replace("[[", "[").replace("]]", "]"), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# Our forms\n\n```\n[[country:Peru]]\n```\n", encoding="utf-8")
    assert main([str(broken)]) == 1
    assert "ALP103" in capsys.readouterr().out
    assert main([str(readme)]) == 0
