from __future__ import annotations

import pytest

from alplint.draft import find_template, render_draft, template_names
from alplint.engine import Linter
from alplint.errors import UsageError
from alplint.model import DRAFT_MARKER
from alplint.parse import parse
from alplint.schema import SchemaSet
from alplint.template import Template
from tests.forms import filled_form

SCHEMAS = SchemaSet.load()
VERSIONS = [version for family in SCHEMAS.by_name.values() for version in family.versions]
# What an untouched draft still lacks: empty tags, unanswered questions, stage percentages.
EXPECTED_CODES = {
    "experiment": {"ALP203", "ALP401"},
    "learningplan-closing": {"ALP203", "ALP401"},
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
    template = SCHEMAS.by_name[name].current
    result = linter.lint_text(render_draft(template), f"{name}.md")

    assert (result.template, result.version) == (name, template.version)
    assert {problem.code for problem in result.problems} == EXPECTED_CODES[name]
    empty_tags = {problem.subject for problem in result.problems if problem.code == "ALP203"}
    assert empty_tags == {f"{key}:" for key in template.declared_tags if key != "type"}
    unanswered = {problem.subject for problem in result.problems if problem.code == "ALP401"}
    assert unanswered == _required_questions(template)


def test_a_draft_says_it_is_one_so_radio_lists_and_stages_are_asked_for(linter: Linter) -> None:
    """Under its title the draft carries the marker: what an export cannot carry is then an error."""
    draft = render_draft(SCHEMAS.by_name["learningplan-closing"].versions[0])
    assert draft.startswith(f"# Write the title here\n<!-- {DRAFT_MARKER} -->\n\n")
    assert parse(draft).origin == "draft"

    result = linter.lint_text(draft, "closing.md")

    stages = [problem.subject.split("\n")[1] for problem in result.problems if problem.code == "ALP501"]
    assert stages == ["Sense", "Explore", "Test", "Grow"]
    assert not {"ALP407", "ALP504"} & {problem.code for problem in result.problems}


def test_the_same_blank_form_without_the_marker_is_read_as_an_export(linter: Linter) -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"].current)
    export = draft.replace(f"<!-- {DRAFT_MARKER} -->\n", "")

    codes = [problem.code for problem in linter.lint_text(export, "opening.md").problems]

    assert codes.count("ALP407") == 1
    radio = {"Challenge type", "What sector does our partner belong to?", "Is this a new and unusual partner"}
    unanswered = [p.subject for p in linter.lint_text(export, "opening.md").problems if p.code == "ALP401"]
    assert not [subject for subject in unanswered if any(subject.startswith(text) for text in radio)]


def test_the_tag_block_follows_the_exporter(linter: Linter) -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"].current)
    head = draft.split("## ", 1)[0]

    assert head == (
        "# Write the title here\n"
        "<!-- alplint-draft -->\n"
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
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"].current)

    assert "## Challenge classification\n****\n\n## Partners\n****\n" in draft
    assert (
        '> Challenge type: If you are working on multiple challenges, please indicate if this is your "big bet" '
        'or "exploratory" challenge.\n\nPlease note: we ask you to only submit a maximum of 3 challenges - '
        "1x Big Bet, 2x Exploratory. Each challenge must be submitted individually.\n\n"
    ) in draft
    assert '<div class="group">\n\n> What sector does our partner belong to?\n\n</div>\n' in draft
    assert "help you grow this challenge?\n\n\n> END OF ACTION LEARNING PLAN: Thank you!" in draft


def test_a_draft_without_sections_starts_its_questions_after_the_tags() -> None:
    draft = render_draft(SCHEMAS.by_name["solution"].versions[0])

    assert "## " not in draft
    assert (
        "[[consent:]]\n[[gender:]]\n[[sdgs:]]\n[[thematic_areas:]]\n[[country:]]\n[[latlng:]]\n\n"
        "> Title of the innovation\n" in draft
    )


def test_an_empty_heading_of_the_template_is_written_empty() -> None:
    draft = render_draft(SCHEMAS.by_name["experiment"].current)
    assert "\n## \n****\n\n## Design\n" in draft


@pytest.mark.parametrize("version", VERSIONS, ids=lambda version: version.display_name)
def test_a_filled_in_draft_passes(linter: Linter, version: Template) -> None:
    """The draft's places for answers are where alplint looks for them, in every version."""
    result = linter.lint_text(filled_form(version, draft=True), "filled.md")

    assert result.problems == []
    assert (result.template, result.version) == (version.name, version.version)


def test_find_template_by_name_gives_its_current_version() -> None:
    assert find_template(SCHEMAS, "solution") is SCHEMAS.by_name["solution"].current
    assert find_template(SCHEMAS, " Solution ") is SCHEMAS.by_name["solution"].current
    assert find_template(SCHEMAS, "learningplan-opening").version == "2"


def test_no_template_name_lists_the_templates() -> None:
    with pytest.raises(UsageError) as caught:
        find_template(SCHEMAS, None)
    assert str(caught.value) == (
        "--new needs the name of a template: one of "
        "experiment, learningplan-closing, learningplan-opening, solution"
    )


def test_an_unknown_template_name_suggests_the_closest() -> None:
    with pytest.raises(UsageError) as caught:
        find_template(SCHEMAS, "learningplan-closin")
    assert str(caught.value) == (
        '--new: there is no template "learningplan-closin"; did you mean "learningplan-closing"? '
        "the templates are experiment, learningplan-closing, learningplan-opening, solution"
    )


def test_an_unrecognisable_template_name_lists_them_without_a_guess() -> None:
    with pytest.raises(
        UsageError, match=r'^--new: there is no template "zzz"; the templates are experiment,'
    ):
        find_template(SCHEMAS, "zzz")


def test_checklists_name_their_options_in_a_comment_the_author_can_answer_under(linter: Linter) -> None:
    draft = render_draft(SCHEMAS.by_name["learningplan-opening"].current)
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
