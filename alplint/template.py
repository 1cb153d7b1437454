"""What a form should contain (from its schema), and how a form lines up with it.

``schema.py`` builds ``Template``s from the schema files, one per version of
each template; ``Template.bind`` matches a parsed ``Form`` against one,
question by question, so that every rule sees the same answer to "which
question is this, and what did the author answer?".  Everything a template
compares is normalised once per run (``TemplateQuestion.key``), and
everything a form compares once per form (``FormKeys``).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from alplint.i18n import _
from alplint.model import Block, Form, Group, Question, Span

if TYPE_CHECKING:
    from alplint.schema import TagValidation

# "radio": one option picked from a radio list on the platform, whose export never carries the answer.
QuestionKind = Literal["text", "choice", "choices", "radio", "learning-cycle", "groups"]
CHOICE_KINDS = frozenset({"choice", "choices", "radio"})

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
# A question reworded this little is still the template's question.
FUZZY_QUESTION_RATIO = 0.85


def normalise(text: str) -> str:
    """The comparison key of a question or choice: case, spacing, quotes and entities ignored.

    The same questions come back in form after form: each text up to ``_REMEMBERED_LENGTH``
    characters is normalised once, until ``_REMEMBERED`` texts are remembered (then they are
    forgotten all at once, so that memory stays bounded and each call costs the same).
    """
    key = _normalised.get(text)
    if key is not None:
        return key
    key = _SPACES.sub(" ", html.unescape(text).translate(_QUOTES)).strip().casefold()
    if len(text) <= _REMEMBERED_LENGTH:
        if len(_normalised) >= _REMEMBERED:
            _normalised.clear()
        _normalised[text] = key
    return key


_normalised: dict[str, str] = {}
_REMEMBERED = 20_000
_REMEMBERED_LENGTH = 1_000


def shorten(text: str, limit: int = 60) -> str:
    """A question's text cut at a word boundary, for messages."""
    text = _SPACES.sub(" ", html.unescape(text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "..."


@dataclass(frozen=True, slots=True, eq=False)
class TemplateQuestion:
    """One question of a template version.  Compared by identity: each is built once per run.

    ``children`` are its sub-questions, or its learning-cycle stages as questions of their own.
    ``answer_tag`` is the tag in which an export carries the answer of a radio list, which it
    never writes under the question.
    """

    text: str
    section: str | None
    required: bool = True
    kind: QuestionKind = "text"
    options: tuple[str, ...] = ()
    max_length: int | None = None
    answer_tag: str | None = None
    continuation: tuple[str, ...] = ()
    subquestions: tuple[TemplateQuestion, ...] = ()
    stages: tuple[str, ...] = ()
    key: str = field(init=False, repr=False)
    continuation_keys: tuple[str, ...] = field(init=False, repr=False)
    children: tuple[TemplateQuestion, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", normalise(self.text))
        object.__setattr__(self, "continuation_keys", tuple(map(normalise, self.continuation)))
        stages = tuple(TemplateQuestion(stage, self.section) for stage in self.stages)
        object.__setattr__(self, "children", self.subquestions or stages)

    @property
    def label(self) -> str:
        """How messages name the question: its shortened text and its section."""
        if self.section:
            return _('"{question}" in section "{section}"', question=shorten(self.text), section=self.section)
        return _('"{question}"', question=shorten(self.text))


@dataclass(frozen=True, slots=True, eq=False)
class TemplateSection:
    heading: str
    required: bool = True
    questions: tuple[TemplateQuestion, ...] = ()
    key: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", normalise(self.heading))


@dataclass(frozen=True, slots=True, eq=False)
class Template:
    """One version of a template of a form type, compiled from its schema file once per run.

    ``name`` is the template's name, shared by all its versions (``learningplan-opening``);
    ``version`` says which one this is, None for a schema file without versions and for the
    stand-in of the templates a form type's authors design themselves (``own``: no questions).
    ``keys`` holds every question and sub-question text this version recognises.
    """

    name: str
    title: str
    form_type: str
    path: str
    sections: tuple[TemplateSection, ...]
    questions: tuple[TemplateQuestion, ...]
    tag_schema: Mapping[str, Any]
    tag_validation: TagValidation = field(repr=False)
    version: str | None = None
    own: bool = False
    question_by_key: Mapping[str, TemplateQuestion] = field(init=False, repr=False)
    keys: frozenset[str] = field(init=False, repr=False)
    required_keys: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_key = {question.key: question for question in self.questions}
        children = {child.key for question in self.questions for child in question.children}
        object.__setattr__(self, "question_by_key", by_key)
        object.__setattr__(self, "keys", frozenset(by_key) | children)
        object.__setattr__(self, "required_keys", frozenset(q.key for q in self.questions if q.required))

    @property
    def tag_validator(self) -> Any:
        """The jsonschema validator of the tags, built the first time it is needed."""
        return self.tag_validation.validator

    @property
    def declared_tags(self) -> tuple[str, ...]:
        return tuple(self.tag_schema.get("properties", {}))

    @property
    def display_name(self) -> str:
        """The template and its version, as statistics and messages name them."""
        if self.own:
            return _("{name} (a template of its own)", name=self.name)
        if self.version is None:
            return self.name
        return _("{name} version {version}", name=self.name, version=self.version)

    def count_matches(self, keys: FormKeys) -> int:
        """How many of the form's questions and sub-questions this version knows."""
        return len(keys.all & self.keys)

    def bind(self, form: Form, keys: FormKeys | None = None) -> Binding:
        return Binding.of(self, form, keys or FormKeys.of(form))


@dataclass(frozen=True, slots=True)
class FormKeys:
    """The comparison key of each question and sub-question of one form, normalised once.

    ``questions`` follows ``form.questions``; ``groups`` gives the key of each group's
    instruction by the group's identity; ``all`` is every non-empty key, for choosing a version.
    """

    questions: tuple[str, ...]
    groups: Mapping[int, str]
    all: frozenset[str]

    @classmethod
    def of(cls, form: Form) -> FormKeys:
        questions = tuple(normalise(question.text) for question in form.questions)
        groups = {
            id(group): normalise(group.instruction or "")
            for question in form.questions
            for group in question.subquestions
        }
        every = {key for key in questions if key} | {key for key in groups.values() if key}
        return cls(questions, groups, frozenset(every))


@dataclass(frozen=True, slots=True)
class Answer:
    """What the author answered to one (sub-)question of the template."""

    blocks: tuple[Block, ...]

    @property
    def is_empty(self) -> bool:
        for block in self.blocks:
            for line in block.lines:
                if line and not line.isspace():
                    return False
        return True

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Binding:
    """A form matched against a template version.

    ``questions`` maps each template question found in the form to the form's
    question; ``subquestions`` does the same for the groups of a question
    (and the stages of a learning cycle).  Answers exclude the continuation
    paragraphs of multi-paragraph instructions (``answers`` holds them, stripped,
    for the questions that have such paragraphs).  ``keys`` are the form's own.
    """

    template: Template
    form: Form
    questions: Mapping[TemplateQuestion, Question]
    subquestions: Mapping[tuple[TemplateQuestion, TemplateQuestion], Group | Question]
    keys: FormKeys
    stripped: Mapping[int, tuple[Block, ...]] = field(default_factory=dict)
    # Authors who quote their answer ("> My answer") write it as lines the parser reads as
    # questions: those right after a question, that no question of the template reads like.
    quoted: Mapping[int, tuple[Block, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, template: Template, form: Form, keys: FormKeys) -> Binding:
        matched: dict[TemplateQuestion, Question] = {}
        position: dict[int, int] = {}
        unmatched: list[tuple[Question, str]] = []
        for index, (question, key) in enumerate(zip(form.questions, keys.questions, strict=True)):
            position[id(question)] = index
            wanted = template.question_by_key.get(key)
            if wanted is not None and wanted not in matched:
                matched[wanted] = question
            else:
                unmatched.append((question, key))
        _match_reworded(template.questions, matched, unmatched)
        subquestions: dict[tuple[TemplateQuestion, TemplateQuestion], Group | Question] = {}
        stripped: dict[int, tuple[Block, ...]] = {}
        for wanted, question in matched.items():
            if wanted.children:
                subquestions.update(_bind_children(wanted, question, form, keys, position[id(question)]))
            if wanted.continuation_keys:
                stripped[id(question)] = _strip_continuation(question.blocks, wanted.continuation_keys)
        bound = {id(question) for question in matched.values()} | {id(node) for node in subquestions.values()}
        quoted: dict[int, tuple[Block, ...]] = {}
        for wanted, question in matched.items():
            if wanted.children:
                continue
            lines: list[Block] = []
            for following, key in zip(
                form.questions[position[id(question)] + 1 :],
                keys.questions[position[id(question)] + 1 :],
                strict=True,
            ):
                if not key or id(following) in bound or key in template.keys:
                    break
                lines.append(Block((following.text,), following.text_span))
                lines.extend(following.blocks)
            if lines:
                quoted[id(question)] = tuple(lines)
        return cls(template, form, matched, subquestions, keys, stripped, quoted)

    def answer(self, wanted: TemplateQuestion) -> Answer | None:
        """The answer to a top-level template question, or None if the question is absent."""
        question = self.questions.get(wanted)
        if question is None:
            return None
        blocks = self.stripped.get(id(question))
        if blocks is None:
            answer = Answer(tuple(question.answer_blocks))
        else:
            answer = Answer(blocks + tuple(block for part in question.parts for block in part.blocks))
        if answer.is_empty:
            quoted = _quoted(question) + self.quoted.get(id(question), ())
            if quoted:
                return Answer(quoted)
        return answer

    def child(self, parent: TemplateQuestion, wanted: TemplateQuestion) -> Group | Question | None:
        return self.subquestions.get((parent, wanted))

    def answer_blocks(self) -> Iterator[Block]:
        """Every block of every answer in the form, instruction paragraphs excluded."""
        for question in self.form.questions:
            yield from self.stripped.get(id(question), question.blocks)
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


def _strip_continuation(blocks: Sequence[Block], keys: tuple[str, ...]) -> tuple[Block, ...]:
    count = 0
    while count < len(blocks) and count < len(keys) and normalise(blocks[count].text) == keys[count]:
        count += 1
    return tuple(blocks[count:])


def _match_reworded(
    wanted: tuple[TemplateQuestion, ...],
    matched: dict[TemplateQuestion, Question],
    unmatched: list[tuple[Question, str]],
) -> None:
    """Pair questions reworded a little with the template questions still missing (into ``matched``)."""
    missing = [question for question in wanted if question not in matched]
    if not missing or not unmatched:
        return
    matcher = difflib.SequenceMatcher()
    for question, key in unmatched:
        matcher.set_seq2(key)
        best, best_index = 0.0, -1
        for index, candidate in enumerate(missing):
            matcher.set_seq1(candidate.key)
            # The cheap upper bounds first, as difflib.get_close_matches does.
            if (
                matcher.real_quick_ratio() < FUZZY_QUESTION_RATIO
                or matcher.quick_ratio() < FUZZY_QUESTION_RATIO
            ):
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, best_index = ratio, index
        if best >= FUZZY_QUESTION_RATIO:
            matched[missing.pop(best_index)] = question


def _bind_children(
    parent: TemplateQuestion, question: Question, form: Form, keys: FormKeys, position: int
) -> Iterator[tuple[tuple[TemplateQuestion, TemplateQuestion], Group | Question]]:
    by_key = {child.key: child for child in parent.children}
    found: set[str] = set()
    for group in question.subquestions:
        child = by_key.get(keys.groups.get(id(group), ""))
        if child is not None and child.key not in found:
            found.add(child.key)
            yield (parent, child), group
    # Hand-written drafts write the stages as plain questions right after the parent.
    if len(found) < len(by_key):
        for following, key in zip(
            form.questions[position + 1 :], keys.questions[position + 1 :], strict=True
        ):
            child = by_key.get(key)
            if child is None or child.key in found:
                break
            found.add(child.key)
            yield (parent, child), following


def _quoted(node: Group | Question) -> tuple[Block, ...]:
    """An answer written inside the question's own quote (``> Question`` then ``> answer``)."""
    return (node.quoted_answer,) if node.quoted_answer is not None else ()


def child_answer(node: Group | Question) -> Answer:
    answer = Answer(tuple(node.blocks) if isinstance(node, Group) else tuple(node.answer_blocks))
    return Answer(_quoted(node)) if answer.is_empty and node.quoted_answer is not None else answer


def child_span(node: Group | Question) -> Span:
    if isinstance(node, Group):
        return node.instruction_span or node.span
    return node.text_span
