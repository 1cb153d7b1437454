"""``Template.bind``: which question of the form is which question of the template, and its answer.

Every question rule reads the form through a ``Binding``; these tests pin the matching itself, on
templates built here, so that a change to it shows here first rather than in some rule's output.
"""

from __future__ import annotations

from typing import Any

from alplint.model import Group, Question
from alplint.parse import parse
from alplint.schema import SchemaSet, TagValidation, TemplateVersions
from alplint.template import (
    FUZZY_QUESTION_RATIO,
    Binding,
    Template,
    TemplateQuestion,
    TemplateSection,
    child_answer,
)

WHY = TemplateQuestion('Why does the "problem" matter?', "Context")
WHO = TemplateQuestion("Who are the partners of this learning plan?", "Context")
NOTE = "Please note: write one paragraph per partner."
PARTNERS = TemplateQuestion("List the partners", "Context", continuation=(NOTE,))
SECTOR = TemplateQuestion("What sector does the partner belong to?", "Context")
SIZE = TemplateQuestion("How large is the partner?", "Context")
GROUPS = TemplateQuestion("About the partner", "Context", kind="groups", subquestions=(SECTOR, SIZE))
CHALLENGE = TemplateQuestion("What is the challenge?", "Context")
STAGES = TemplateQuestion(
    "Where are you in the learning cycle?", "Context", kind="learning-cycle", stages=("Explore", "Test")
)


def _template(*questions: TemplateQuestion, version: str | None = None, name: str = "plan") -> Template:
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    return Template(
        name=name,
        title=name,
        form_type="learningplan",
        path=f"{name}.yaml",
        sections=(TemplateSection("Context", questions=questions),),
        questions=questions,
        tag_schema=schema,
        tag_validation=TagValidation(schema),
        version=version,
    )


def _form(body: str) -> str:
    return f"# A plan\n[[type:learningplan]]\n\n## Context\n****\n\n{body}"


def _bind(template: Template, body: str) -> Binding:
    return template.bind(parse(_form(body)))


def _answer(binding: Binding, wanted: TemplateQuestion) -> str | None:
    answer = binding.answer(wanted)
    return None if answer is None else answer.text


def test_a_question_matches_whatever_its_case_spacing_quotes_and_entities() -> None:
    binding = _bind(_template(WHY, WHO), "> why does  the “problem” matter?\n\nBecause.\n")
    assert isinstance(binding.questions[WHY], Question)
    assert _answer(binding, WHY) == "Because."
    assert binding.answer(WHO) is None  # absent: None, not an empty answer
    entity = _bind(_template(WHY), "> Why does the &quot;problem&quot; matter?\n\nBecause.\n")
    assert _answer(entity, WHY) == "Because."


def test_a_question_reworded_a_little_still_matches_and_a_different_one_does_not() -> None:
    reworded = _bind(_template(WHO), "> Who are the partners of the learning plan?\n\nThe city.\n")
    assert _answer(reworded, WHO) == "The city."
    other = _bind(_template(WHO), "> Who pays for the plan?\n\nThe city.\n")
    assert other.answer(WHO) is None


def test_the_reworded_match_takes_the_closest_missing_question_above_the_ratio() -> None:
    assert FUZZY_QUESTION_RATIO == 0.85
    one = TemplateQuestion("What did the team learn in the first month?", None)
    two = TemplateQuestion("What did the team learn in the second month?", None)
    binding = _bind(_template(one, two), "> What did the team learn in the second mnth?\n\nA lot.\n")
    assert binding.answer(one) is None
    assert _answer(binding, two) == "A lot."


def test_a_question_asked_twice_binds_to_its_first_occurrence() -> None:
    binding = _bind(
        _template(WHY),
        "> Why does the problem matter?\n\nFirst.\n\n> Why does the problem matter?\n\nSecond.\n",
    )
    assert _answer(binding, WHY) == "First."


def test_groups_bind_to_the_sub_questions_by_their_instruction() -> None:
    body = (
        "> About the partner\n\n"
        '<div class="group">\n> How large is the partner?\n\nTwelve people.\n</div>\n\n'
        '<div class="group">\n> what sector does the partner belong to?\n\nGovernment\n</div>\n'
    )
    binding = _bind(_template(GROUPS), body)
    sector, size = binding.child(GROUPS, SECTOR), binding.child(GROUPS, SIZE)
    assert isinstance(sector, Group) and isinstance(size, Group)
    assert child_answer(sector).text == "Government"
    assert child_answer(size).text == "Twelve people."
    assert binding.child(GROUPS, WHY) is None


def test_stages_written_as_plain_questions_after_their_parent_are_its_children() -> None:
    # Hand-written drafts write a learning cycle's stages as questions of their own.
    body = (
        "> Where are you in the learning cycle?\n\n> Explore\n\n60%\n\n> Test\n\n40%\n\n> Who pays?\n\nUs.\n"
    )
    binding = _bind(_template(STAGES), body)
    explore, test = STAGES.children
    assert [child.text for child in STAGES.children] == ["Explore", "Test"]
    assert child_answer(binding.child(STAGES, explore)).text == "60%"  # type: ignore[arg-type]
    assert child_answer(binding.child(STAGES, test)).text == "40%"  # type: ignore[arg-type]


def test_continuation_paragraphs_of_the_instruction_are_not_the_answer() -> None:
    body = f"> List the partners\n\n{NOTE}\n\nThe city.\n\nThe university.\n"
    binding = _bind(_template(PARTNERS), body)
    assert _answer(binding, PARTNERS) == "The city.\n\nThe university."
    assert [block.text for block in binding.answer_blocks()] == ["The city.", "The university."]
    only_the_note = _bind(_template(PARTNERS), f"> List the partners\n\n{NOTE}\n")
    assert only_the_note.answer(PARTNERS).is_empty  # type: ignore[union-attr]


def test_an_answer_written_inside_the_questions_quote_is_its_answer_when_nothing_else_is() -> None:
    inside = _bind(_template(WHY), "> Why does the problem matter?\n> Because it does.\n")
    assert _answer(inside, WHY) == "Because it does."
    below = _bind(_template(WHY), "> Why does the problem matter?\n\n> Because it does.\n\n> And more.\n")
    assert _answer(below, WHY) == "Because it does.\n\nAnd more."
    # A quoted line that is another question of the template is that question, not an answer.
    stops = _bind(
        _template(WHY, WHO),
        "> Why does the problem matter?\n\n> Who are the partners of this learning plan?\n",
    )
    assert stops.answer(WHY).is_empty  # type: ignore[union-attr]
    assert stops.answer(WHO) is not None
    written = _bind(_template(WHY), "> Why does the problem matter?\n\nIt does.\n\n> A quote of a partner.\n")
    assert _answer(written, WHY) == "It does."


def _versions(*versions: Template) -> SchemaSet:
    return SchemaSet([TemplateVersions("plan", "learningplan", "plan.yaml", versions)])


def test_the_version_that_knows_the_most_of_the_forms_questions_is_chosen() -> None:
    first = _template(CHALLENGE, WHO, version="1")
    second = _template(CHALLENGE, PARTNERS, version="2")
    schemas = _versions(first, second)
    form = parse(
        _form(
            "> What is the challenge?\n\nIt does.\n\n> Who are the partners of this learning plan?\n\nUs.\n"
        )
    )
    choice = schemas.choose(form)
    assert choice.template is first
    assert choice.binding is not None and choice.binding.template is first
    # On a tie the later (current) version wins.
    tie = parse(_form("> What is the challenge?\n\nIt does.\n"))
    assert schemas.choose(tie).template is second


def test_a_version_is_chosen_by_its_questions_not_by_the_order_of_the_file() -> None:
    first = _template(CHALLENGE, WHO, version="1")
    second = _template(CHALLENGE, PARTNERS, version="2")
    form = parse(_form("> List the partners\n\nThe city.\n"))
    assert _versions(first, second).choose(form).template is second
    assert _versions(second, first).choose(form).template is second
