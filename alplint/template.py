"""What a form should contain (from its schema), and how a form lines up with it.

``schema.py`` builds ``Template``s from the schema files; ``Template.bind``
matches a parsed ``Form`` against one, question by question, so that every
rule sees the same answer to "which question is this, and what did the
author answer?".
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from alplint.model import Block, Form, Group, Question, Span

QuestionKind = Literal["text", "choice", "choices", "learning-cycle", "groups"]

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
# A question reworded this little is still the template's question.
FUZZY_QUESTION_RATIO = 0.85


def normalise(text: str) -> str:
    """The comparison key of a question or choice: case, spacing, quotes and entities ignored."""
    return _SPACES.sub(" ", html.unescape(text).translate(_QUOTES)).strip().casefold()


def shorten(text: str, limit: int = 60) -> str:
    """A question's text cut at a word boundary, for messages."""
    text = _SPACES.sub(" ", html.unescape(text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "..."


@dataclass(frozen=True, slots=True)
class TemplateQuestion:
    text: str
    section: str | None
    required: bool = True
    kind: QuestionKind = "text"
    options: tuple[str, ...] = ()
    max_length: int | None = None
    continuation: tuple[str, ...] = ()
    subquestions: tuple[TemplateQuestion, ...] = ()
    stages: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return normalise(self.text)

    @property
    def label(self) -> str:
        """How messages name the question: its shortened text and its section."""
        where = f' in section "{self.section}"' if self.section else ""
        return f'"{shorten(self.text)}"{where}'


@dataclass(frozen=True, slots=True)
class TemplateSection:
    heading: str
    required: bool = True
    questions: tuple[TemplateQuestion, ...] = ()


@dataclass(frozen=True, slots=True)
class Template:
    """One template of a form type, compiled from its schema file once per run."""

    name: str
    title: str
    form_type: str
    path: str
    sections: tuple[TemplateSection, ...]
    questions: tuple[TemplateQuestion, ...]
    tag_schema: Mapping[str, Any]
    tag_validator: Any = field(compare=False, repr=False)
    question_by_key: Mapping[str, TemplateQuestion] = field(compare=False, repr=False, default_factory=dict)

    @property
    def declared_tags(self) -> tuple[str, ...]:
        return tuple(self.tag_schema.get("properties", {}))

    def count_matches(self, form: Form) -> int:
        return sum(normalise(question.text) in self.question_by_key for question in form.questions)

    def bind(self, form: Form) -> Binding:
        return Binding.of(self, form)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the author answered to one (sub-)question of the template."""

    blocks: tuple[Block, ...]

    @property
    def is_empty(self) -> bool:
        return not any(line.strip() for block in self.blocks for line in block.lines)

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Binding:
    """A form matched against a template.

    ``questions`` maps each template question found in the form to the form's
    question; ``subquestions`` does the same for the groups of a question
    (and the stages of a learning cycle).  Answers exclude the continuation
    paragraphs of multi-paragraph instructions.
    """

    template: Template
    form: Form
    questions: Mapping[TemplateQuestion, Question]
    subquestions: Mapping[tuple[TemplateQuestion, TemplateQuestion], Group | Question]
    extra_questions: tuple[Question, ...]

    @classmethod
    def of(cls, template: Template, form: Form) -> Binding:
        matched: dict[TemplateQuestion, Question] = {}
        unmatched: list[Question] = []
        for question in form.questions:
            wanted = template.question_by_key.get(normalise(question.text))
            if wanted is not None and wanted not in matched:
                matched[wanted] = question
            else:
                unmatched.append(question)
        extra = _match_reworded(template.questions, matched, unmatched)
        subquestions: dict[tuple[TemplateQuestion, TemplateQuestion], Group | Question] = {}
        for wanted, question in matched.items():
            children = wanted.subquestions or tuple(
                TemplateQuestion(stage, wanted.section) for stage in wanted.stages
            )
            if children:
                subquestions.update(_bind_children(wanted, children, question, form))
        return cls(template, form, matched, subquestions, tuple(extra))

    def answer(self, wanted: TemplateQuestion) -> Answer | None:
        """The answer to a top-level template question, or None if the question is absent."""
        question = self.questions.get(wanted)
        if question is None:
            return None
        return Answer(tuple(_strip_continuation(question.answer_blocks, wanted.continuation)))

    def child(self, parent: TemplateQuestion, wanted: TemplateQuestion) -> Group | Question | None:
        return self.subquestions.get((parent, wanted))

    def answer_blocks(self) -> Iterator[Block]:
        """Every block of every answer in the form, instruction paragraphs excluded."""
        by_question = {id(question): wanted for wanted, question in self.questions.items()}
        for question in self.form.questions:
            wanted = by_question.get(id(question))
            continuation = wanted.continuation if wanted else ()
            yield from _strip_continuation(question.blocks, continuation)
            for group in question.groups:
                yield from group.blocks


def answer_blocks(form: Form, binding: Binding | None) -> Iterator[Block]:
    """Every answer block of a form, whether or not it has a template."""
    if binding is not None:
        yield from binding.answer_blocks()
        return
    for question in form.questions:
        yield from question.blocks
        for group in question.groups:
            yield from group.blocks


def _strip_continuation(blocks: list[Block], continuation: tuple[str, ...]) -> list[Block]:
    if not continuation:
        return list(blocks)
    remaining = list(blocks)
    keys = [normalise(paragraph) for paragraph in continuation]
    while remaining and keys and normalise(remaining[0].text) == keys[0]:
        remaining.pop(0)
        keys.pop(0)
    return remaining


def _match_reworded(
    wanted: tuple[TemplateQuestion, ...],
    matched: dict[TemplateQuestion, Question],
    unmatched: list[Question],
) -> list[Question]:
    """Pair questions reworded a little with the template questions still missing."""
    missing = [question for question in wanted if question not in matched]
    if not missing or not unmatched:
        return unmatched
    extra: list[Question] = []
    for question in unmatched:
        key = normalise(question.text)
        scored = [
            (difflib.SequenceMatcher(None, key, candidate.key).ratio(), index)
            for index, candidate in enumerate(missing)
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= FUZZY_QUESTION_RATIO:
            matched[missing.pop(best[1])] = question
        else:
            extra.append(question)
    return extra


def _bind_children(
    parent: TemplateQuestion,
    children: tuple[TemplateQuestion, ...],
    question: Question,
    form: Form,
) -> Iterator[tuple[tuple[TemplateQuestion, TemplateQuestion], Group | Question]]:
    by_key = {child.key: child for child in children}
    found: set[TemplateQuestion] = set()
    for group in question.subquestions:
        child = by_key.get(normalise(group.instruction or ""))
        if child is not None and child not in found:
            found.add(child)
            yield (parent, child), group
    # Hand-written drafts write the stages as plain questions right after the parent.
    if len(found) < len(children):
        position = next(i for i, q in enumerate(form.questions) if q is question)
        for following in form.questions[position + 1 :]:
            child = by_key.get(normalise(following.text))
            if child is None or child in found:
                break
            found.add(child)
            yield (parent, child), following


def child_answer(node: Group | Question) -> Answer:
    if isinstance(node, Group):
        return Answer(tuple(node.blocks))
    return Answer(tuple(node.answer_blocks))


def child_span(node: Group | Question) -> Span:
    if isinstance(node, Group):
        return node.instruction_span or node.span
    return node.text_span
