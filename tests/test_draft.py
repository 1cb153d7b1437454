from __future__ import annotations

import pytest

from alplint.draft import find_template, render_draft, template_names
from alplint.engine import Linter
from alplint.errors import ConfigError
from alplint.schema import SchemaSet
from alplint.template import Template

SCHEMAS = SchemaSet.load()
# What an untouched draft still lacks: empty tags, unanswered questions, stage percentages.
EXPECTED_CODES = {
    "experiment": {"ALP203"},
    "learningplan-closing": {"ALP203", "ALP401", "ALP501"},
    "learningplan-opening": {"ALP203", "ALP401"},
    "solution": {"ALP203", "ALP401"},
}


def _required_questions(template: Template) -> set[str]:
    texts: set[str] = set()
    for question in template.questions:
        if question.subquestions:
            texts |= {child.text for child in question.subquestions if child.required}
        elif question.required and question.kind != "learning-cycle":
            texts.add(question.text)
    return texts


def test_every_template_has_a_draft_test() -> None:
    assert set(template_names(SCHEMAS)) == set(EXPECTED_CODES)


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_an_untouched_draft_reports_only_what_the_author_must_fill_in(linter: Linter, name: str) -> None:
    template = SCHEMAS.by_name[name]
    result = linter.lint_text(render_draft(template), f"{name}.md")

    assert result.template == name
    assert {problem.code for problem in result.problems} == EXPECTED_CODES[name]
    empty_tags = {problem.subject for problem in result.problems if problem.code == "ALP203"}
    assert empty_tags == {f"{key}:" for key in template.declared_tags if key != "type"}
    unanswered = {problem.subject for problem in result.problems if problem.code == "ALP401"}
    assert unanswered == _required_questions(template)


def test_the_closing_draft_asks_for_every_stage(linter: Linter) -> None:
    result = linter.lint_text(render_draft(SCHEMAS.by_name["learningplan-closing"]), "closing.md")
    stages = [problem.subject.split("\n")[1] for problem in result.problems if problem.code == "ALP501"]
    assert stages == ["Sense", "Explore", "Test", "Grow"]


def test_the_tag_block_follows_the_exporter(linter: Linter) -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"])
    head = draft.split("## ", 1)[0]

    assert head == (
        "# Write the title here\n"
        "\n"
        "[[focal_point:]]\n"
        "\n"
        "[[year:]]\n"
        "\n"
        "[[type:learningplan]]\n"
        "\n"
        "[[datasources:]]\n"
        "[[methods:]]\n"
        "[[sdgs:]]\n"
        "[[thematic_areas:]]\n"
        "[[country:]]\n"
        "[[latlng:]]\n"
    )


def test_sections_questions_instructions_and_groups_are_written_as_the_exporter_does() -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"])

    assert "## Challenge classification\n****\n\n## Partners\n****\n" in draft
    assert (
        '> Challenge type: If you are working on multiple challenges, please indicate if this is your "big bet" '
        'or "exploratory" challenge.\n\nPlease note: we ask you to only submit a maximum of 3 challenges - '
        "1x Big Bet, 2x Exploratory. Each challenge must be submitted individually.\n\n"
    ) in draft
    assert '<div class="group">\n\n> What sector does our partner belong to?\n\n</div>\n' in draft
    assert draft.endswith("help you grow this challenge?\n")


def test_a_draft_without_sections_starts_its_questions_after_the_tags() -> None:
    draft = render_draft(SCHEMAS.by_name["solution"])

    assert "## " not in draft
    assert (
        "[[gender:]]\n[[sdgs:]]\n[[thematic_areas:]]\n[[country:]]\n[[latlng:]]\n\n> Title of the innovation\n"
        in draft
    )


def test_a_filled_in_draft_passes(linter: Linter) -> None:
    """The draft's places for answers are where alplint looks for them."""
    lines = render_draft(SCHEMAS.by_name["learningplan-closing"]).split("\n")
    values = {
        "focal_point": "ana@undp.org",
        "year": "2024",
        "datasources": "surveys",
        "methods": "pilots",
        "sdgs": "13. Climate action",
        "thematic_areas": "land management",
        "country": "Mongolia",
        "latlng": "47.92,106.92",
    }
    filled: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("[[") and line.endswith(":]]"):
            line = f"{line[:-2]}{values[line[2:-3]]}]]"
        filled.append(line)
        opens_groups = index + 2 < len(lines) and lines[index + 2].startswith("<div")
        if line.startswith("> ") and not opens_groups:
            filled += ["", "25%" if line[2:] in ("Sense", "Explore", "Test", "Grow") else "An answer."]
    filled[0] = "# Rangeland monitoring"

    result = linter.lint_text("\n".join(filled), "filled.md")

    assert result.problems == []


def test_find_template_by_name() -> None:
    assert find_template(SCHEMAS, "solution") is SCHEMAS.by_name["solution"]
    assert find_template(SCHEMAS, " Solution ") is SCHEMAS.by_name["solution"]


def test_no_template_name_lists_the_templates() -> None:
    with pytest.raises(ConfigError) as caught:
        find_template(SCHEMAS, None)
    assert str(caught.value) == (
        "--new needs the name of a template: one of "
        "experiment, learningplan-closing, learningplan-opening, solution"
    )


def test_an_unknown_template_name_suggests_the_closest() -> None:
    with pytest.raises(ConfigError) as caught:
        find_template(SCHEMAS, "learningplan-closin")
    assert str(caught.value) == (
        '--new: there is no template "learningplan-closin"; did you mean "learningplan-closing"? '
        "the templates are experiment, learningplan-closing, learningplan-opening, solution"
    )


def test_an_unrecognisable_template_name_lists_them_without_a_guess() -> None:
    with pytest.raises(
        ConfigError, match=r'^--new: there is no template "zzz"; the templates are experiment,'
    ):
        find_template(SCHEMAS, "zzz")


def test_checklists_name_their_options_in_a_comment_the_author_can_answer_under(linter: Linter) -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"])
    hint = (
        "<!-- Choose one or more of: Sense, Explore, Test, Grow. "
        'Write each on its own line, such as "- Sense". -->\n'
    )
    assert '<!-- Choose one of: Big bet, Exploratory. Write it on a line such as "- Big bet". -->' in draft
    assert hint in draft

    answered = linter.lint_text(draft.replace(hint, hint + "\n- Explore\n- Test\n"), "opening.md")

    stage_question = "To what stage(s) in the learning cycle does your learning question relate?"
    assert stage_question not in {problem.subject.split("\n")[0] for problem in answered.problems}
    assert len(answered.problems) == len(linter.lint_text(draft, "opening.md").problems) - 1
