"""The parsed form: every node knows where it stands in the source.

Lines and columns are 1-based; columns count characters (not bytes) of the
decoded text, so a position means the same thing whatever the file's
encoding.  ``end_column`` is exclusive: a span over ``abc`` at the start of
line 3 is ``Span(3, 1, 3, 4)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Where a form comes from: the platform's export (the default), or a draft written by hand, which
# says so with the comment ``<!-- alplint-draft -->`` (``alplint --new`` writes it).  What the
# export cannot carry is reported differently in the two.
Origin = Literal["export", "draft"]
DRAFT_MARKER = "alplint-draft"

# The verbs of ``<!-- alplint-VERB ... -->`` comments.
DIRECTIVE_VERBS = ("disable", "enable", "disable-next-line", "disable-file", "draft")


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Tag:
    """A ``[[key:value]]`` line; ``value`` is exactly as written (not stripped)."""

    key: str
    value: str
    span: Span
    key_span: Span
    value_span: Span

    @property
    def mistake(self) -> str:
        """The ``Problem.mistake`` key of what is wrong with this tag line, whichever family reads it."""
        return f"tag:{self.span.line}"


@dataclass(frozen=True, slots=True)
class Location:
    """A ``country`` tag and the ``latlng`` tag right after it (either may be absent)."""

    country: Tag | None
    latlng: Tag | None

    @property
    def line(self) -> int:
        """The line of the country tag, or of the latlng when there is no country."""
        tag = self.country or self.latlng
        return tag.span.line if tag is not None else 0


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of an answer: consecutive non-blank lines, as written.

    ``code`` marks a fenced code block (its fence lines included): text shown
    as written, in which no rule reads Markdown, tags or directives.
    """

    lines: tuple[str, ...]
    span: Span
    code: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class Group:
    """``<div class="group">`` ... ``</div>``.

    ``instruction`` is the text of its ``>`` line: a sub-question, or ``""``
    for an empty ``> `` (then the group is one more part of the answer to the
    question before it), or ``None`` when the group has no ``>`` line.
    """

    span: Span
    instruction: str | None
    instruction_span: Span | None
    blocks: list[Block] = field(default_factory=list)
    # ``>`` lines right under the group's ``>`` line (see ``Question.quoted_answer``).
    quoted_answer: Block | None = None


@dataclass(slots=True)
class Question:
    """A ``> instruction`` line and its answer.

    ``blocks`` is the answer written directly under the question; ``parts``
    are the answer parts in groups with an empty ``>``; ``subquestions`` are
    the groups with an instruction of their own.  Continuation paragraphs of
    a multi-paragraph instruction are still in ``blocks``: only a template
    can tell them apart (see ``schema.Binding``).
    """

    text: str
    span: Span
    text_span: Span
    section: Section | None
    blocks: list[Block] = field(default_factory=list)
    parts: list[Group] = field(default_factory=list)
    subquestions: list[Group] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # ``>`` lines right under the question line, with no blank line between: text the author wrote
    # inside the question's quote (usually the answer), which the site shows as part of the question.
    # Its lines are the text after each ``>``; its span runs from the first line's text to the end of
    # the last line.  It is not an answer block: the template decides whether it counts as one.
    quoted_answer: Block | None = None
    # Lone list markers (``- ``): how the export writes a checklist with nothing ticked.  They are
    # not answer blocks, so such a question has an empty answer.
    empty_checklists: list[Span] = field(default_factory=list)

    @property
    def answer_blocks(self) -> list[Block]:
        """Everything the author wrote as the answer: direct text, then group parts."""
        blocks = list(self.blocks)
        for part in self.parts:
            blocks.extend(part.blocks)
        return blocks


@dataclass(slots=True)
class Section:
    heading: str
    span: Span
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment on a line of its own (suppression directives live here)."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Directive:
    """An ``<!-- alplint-VERB selectors -->`` comment, as written; the engine judges it.

    ``verb`` is the word after ``alplint-`` (``""`` when the comment starts
    with ``alplint`` but has no ``alplint-VERB``); ``selectors`` are the rule
    codes, names or prefixes after it, each with its place; ``reason`` is
    the text after ``--``, which silences nothing.  ``alone`` is False for a
    comment written on a line with other text, which is not obeyed.
    """

    verb: str
    verb_span: Span
    selectors: tuple[tuple[str, Span], ...]
    span: Span
    reason: str = ""
    alone: bool = True


@dataclass(frozen=True, slots=True)
class Repair:
    """How to repair what the parser found: each ``(span, content)`` writes ``content`` in place of ``span``."""

    edits: tuple[tuple[Span, str], ...]
    description: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class StructureError:
    """A problem the parser met while reading the text (ALP102-104, ALP108, ALP109).

    Parse errors are values: the parser never raises on bad input, it records
    what it saw and recovers.
    """

    code: str
    message: str
    span: Span
    subject: str = ""
    repair: Repair | None = None
    # The mistake this problem is one reading of (``Problem.mistake``): a tag's hidden line break is
    # also untidy spacing (ALP207), but the line break is the cause.
    mistake: str = ""


@dataclass(slots=True)
class Form:
    path: str
    text: str
    lines: list[str]
    title: Title | None = None
    tags: list[Tag] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    # Text outside any question: a pad written without questions, or text above the first one. It
    # answers nothing, but readers see it.
    loose_blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    errors: list[StructureError] = field(default_factory=list)
    # Where fenced code blocks stand (fence lines included): no rule reports or fixes inside them.
    code_blocks: list[Span] = field(default_factory=list)
    origin: Origin = "export"

    def tag_values(self, key: str) -> list[Tag]:
        return [tag for tag in self.tags if tag.key == key]

    @property
    def form_type(self) -> str | None:
        types = self.tag_values("type")
        return types[0].value.strip() if types else None

    @property
    def types(self) -> list[str]:
        """Every ``[[type:...]]`` value, trimmed and in lower case."""
        return [tag.value.strip().lower() for tag in self.tags if tag.key == "type"]

    def in_code(self, line: int) -> bool:
        """Whether the line is part of a fenced code block."""
        return any(block.line <= line <= block.end_line for block in self.code_blocks)

    @property
    def title_span(self) -> Span:
        """Where to report what the whole form lacks: its title, else line 1."""
        return self.title.span if self.title else Span(1, 1, 1, 2)
