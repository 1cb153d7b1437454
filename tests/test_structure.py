"""ALP1: reading the file, the title, tag syntax, groups, the form's template, raw text, code blocks."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from alplint.engine import Linter
from alplint.fix import fix_loop
from alplint.parse import parse
from alplint.problem import Problem
from tests.conftest import EXPERIMENT_TAGS, SOLUTION_SEED, codes

Lint = Callable[[str], list[Problem]]


def test_alp101_latin1_names_line_and_byte(linter: Linter) -> None:
    data = EXPERIMENT_TAGS.encode("utf-8") + "\n> Notes\n\nCaf\u00e9 con le\u00f1a\n".encode("latin-1")
    (problem,) = linter.lint_bytes(data, "draft.md").problems
    assert problem.code == "ALP101"
    assert problem.line == 10
    assert problem.column == 4
    assert "0xE9" in problem.message and "line 10" in problem.message
    assert "UTF-8" in problem.message


def test_alp101_binary_file(linter: Linter) -> None:
    (problem,) = linter.lint_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.md").problems
    assert problem.code == "ALP101"


def test_alp101_utf16_without_bom_is_unreadable(linter: Linter) -> None:
    (problem,) = linter.lint_bytes(EXPERIMENT_TAGS.encode("utf-16-le"), "draft.md").problems
    assert problem.code == "ALP101"


def test_alp101_passes_utf8_utf8_bom_and_utf16_bom(linter: Linter) -> None:
    for data in (
        EXPERIMENT_TAGS.encode("utf-8"),
        codecs.BOM_UTF8 + EXPERIMENT_TAGS.encode("utf-8"),
        codecs.BOM_UTF16_LE + EXPERIMENT_TAGS.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + EXPERIMENT_TAGS.encode("utf-16-be"),
    ):
        assert linter.lint_bytes(data, "draft.md").problems == []


def test_alp102_missing_title(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("# Street markets\n", "\n\n"))
    assert codes(problems) == ["ALP102"]
    assert problems[0].line == 3


def test_alp102_heading_of_the_wrong_level(lint: Lint) -> None:
    assert codes(lint(EXPERIMENT_TAGS.replace("# Street", "## Street"))) == ["ALP102"]


def test_alp102_title_after_blank_lines_passes(lint: Lint) -> None:
    assert lint("\n\n" + EXPERIMENT_TAGS) == []


def test_alp103_each_kind_of_malformed_tag(lint: Lint) -> None:
    for broken, hint in (
        ("[[thematic_areas:markets]", "not closed"),
        ("[[thematic_areas markets]]", 'no ":"'),
        ("[[Thematic Areas:markets]]", 'did you mean "thematic_areas"'),
    ):
        problems = lint(EXPERIMENT_TAGS + broken + "\n")
        assert codes(problems) == ["ALP103"], broken
        assert hint in problems[0].message
        assert problems[0].line == 7


def test_alp103_value_may_hold_colons_spaces_and_accents(lint: Lint) -> None:
    # A well-formed tag for alplint; only the archive site cannot read the accent (ALP209).
    assert [p.code for p in lint(EXPERIMENT_TAGS + "[[thematic_areas:Économie: circulaire / 2.0]]\n")] == [
        "ALP209"
    ]


def test_alp104_unclosed_group_is_one_problem(lint: Lint) -> None:
    text = (
        EXPERIMENT_TAGS
        + '\n> Stages\n\n<div class="group">\n\n> Sense\n\n25%\n\n> Next question\n\nAn answer.\n'
    )
    problems = lint(text)
    assert codes(problems) == ["ALP104"]
    assert problems[0].line == 10
    form = parse(text)
    assert [q.text for q in form.questions] == ["Stages", "Next question"]
    assert form.questions[1].blocks[0].text == "An answer."


def test_alp104_stray_closing_div(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS + "\n> Notes\n\nText\n\n</div>\n")
    assert codes(problems) == ["ALP104"]
    assert problems[0].line == 12


def test_alp104_balanced_groups_pass(lint: Lint) -> None:
    text = EXPERIMENT_TAGS + '\n> Evidence\n\n<div class="group">\n\n> \n\nText part\n\n</div>\n'
    assert lint(text) == []


def test_alp104_unclosed_group_in_a_template_form_does_not_cascade(linter: Linter) -> None:
    seed = SOLUTION_SEED.read_text(encoding="utf-8")
    broken = seed.replace("> Images\n", '> Images\n\n<div class="group">\n', 1)
    problems = linter.lint_text(broken, "solution.md").problems
    assert [p.code for p in problems if p.severity == "error"] == ["ALP104"]


def test_alp105_no_type(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("[[type:experiment]]\n", ""))
    assert codes(problems) == ["ALP105"]
    assert "no [[type:...]] tag" in problems[0].message


def test_alp105_unknown_type_with_did_you_mean(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("experiment]]", "experimint]]"))
    assert codes(problems) == ["ALP105"]
    assert 'did you mean "experiment"' in problems[0].message
    assert problems[0].line == 4


def test_alp105_learning_plan_matching_no_template(lint: Lint) -> None:
    text = EXPERIMENT_TAGS.replace("experiment]]", "learningplan]]") + "\n> Some other question\n\nAnswer\n"
    problems = lint(text)
    assert codes(problems) == ["ALP105"]
    assert "none of the questions" in problems[0].message


def test_alp105_known_type_passes(lint: Lint) -> None:
    assert "ALP105" not in codes(lint(EXPERIMENT_TAGS))


def _fixed(linter: Linter, text: str) -> str:
    result = linter.lint_text(text, "x.md")
    return fix_loop(
        "x.md", text, result.problems, lambda new: linter.lint_text(new, "x.md").problems
    ).fixed_text


def test_alp102_title_on_the_line_after_the_hash_is_moved_up(linter: Linter) -> None:
    text = EXPERIMENT_TAGS.replace("# Street markets\n", "# \r\nStreet markets\n\n")
    (problem,) = linter.lint_text(text, "x.md").problems
    assert (problem.code, problem.line) == ("ALP102", 1)
    assert _fixed(linter, text) == EXPERIMENT_TAGS.replace("# Street markets\n", "# Street markets\n\n")


def test_alp103_near_miss_tags_are_fixed(linter: Linter) -> None:
    broken = EXPERIMENT_TAGS.replace("[[country:Mexico]]", "[country:Mexico]").replace(
        "[[year:2024]]", "- [[year:2024]]"
    )
    assert codes(linter.lint_text(broken, "x.md").problems).count("ALP103") == 2
    assert _fixed(linter, broken) == EXPERIMENT_TAGS


def test_alp108_control_characters_are_deleted(linter: Linter) -> None:
    text = EXPERIMENT_TAGS + "\n> Notes\n\nUni\x02versity\x0bof\x9e Peru\n"
    (problem,) = linter.lint_text(text, "x.md").problems
    assert problem.code == "ALP108" and problem.severity == "warning"
    assert _fixed(linter, text) == EXPERIMENT_TAGS + "\n> Notes\n\nUniversity of Peru\n"


def test_alp108_a_carriage_return_in_a_question_line(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS + "\n> What did\r you learn?\n\nAn answer.\n")
    assert codes(problems) == ["ALP108"]
    assert 'after "What did"' in problems[0].message


def test_alp109_unclosed_code_block_does_not_hide_the_rest(lint: Lint) -> None:
    text = EXPERIMENT_TAGS + "\n> Notes\n\n```\ncode\n\n> Evidence\n\n![](https://example.org/a.png)\n"
    assert codes(lint(text)) == ["ALP109", "ALP601"]
