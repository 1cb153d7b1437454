"""Text -> ``Form``.

The only module that reads a form's text.  It never raises on bad input:
what it cannot make sense of becomes a ``StructureError`` (ALP102-104) and
parsing goes on, so that one mistake gives one problem.  It knows nothing
of schemas: telling a multi-paragraph instruction from its answer is the
template's job (``template.Binding``).
"""

from __future__ import annotations

import re

from alplint.model import (
    DRAFT_MARKER,
    Block,
    Comment,
    Form,
    Group,
    Location,
    Question,
    Section,
    Span,
    StructureError,
    Tag,
    Title,
)

_TAG = re.compile(r"\[\[(?P<key>[^:\]]*):(?P<value>.*)\]\]")
_KEY = re.compile(r"[a-z_]+")
_GROUP_OPEN = re.compile(r'<div\s+class\s*=\s*["\']group["\']\s*>', re.IGNORECASE)
_GROUP_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--(.*?)-->")
_LEAD = re.compile(r"\*{2,}")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only ``\\n`` ends a line, a ``\\r`` before it is dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _content_span(number: int, line: str) -> Span:
    start = len(line) - len(line.lstrip())
    return Span(number, start + 1, number, max(len(line.rstrip()), start + 1) + 1)


class _Parser:
    def __init__(self, path: str, text: str) -> None:
        self.form = Form(path=path, text=text, lines=split_lines(text))
        self.section: Section | None = None
        self.question: Question | None = None
        self.group: Group | None = None
        self.paragraph: list[str] = []
        self.paragraph_start = 0
        self.after_heading = False

    def parse(self) -> Form:
        lines = self.form.lines
        body_start = self._read_title(lines)
        for index in range(body_start, len(lines)):
            self._read_line(index + 1, lines[index])
        self._end_paragraph()
        if self.group is not None:
            self._unclosed_group("the end of the file")
        self.form.locations = _pair_locations(self.form.tags)
        if any(comment.text.split(None, 1)[:1] == [DRAFT_MARKER] for comment in self.form.comments):
            self.form.origin = "draft"
        return self.form

    def _read_title(self, lines: list[str]) -> int:
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            stripped = line.strip()
            if stripped.startswith("# ") and stripped[2:].strip():
                self.form.title = Title(stripped[2:].strip(), _content_span(index + 1, line))
                return index + 1
            self.form.errors.append(
                StructureError(
                    "ALP102",
                    f'The form must start with its title, a line such as "# My title"; '
                    f'the first line here is "{_quote(stripped)}"',
                    _content_span(index + 1, line),
                )
            )
            return index
        self.form.errors.append(
            StructureError(
                "ALP102",
                'The form is empty: it must start with a title such as "# My title"',
                Span(1, 1, 1, 2),
            )
        )
        return len(lines)

    def _read_line(self, number: int, line: str) -> None:
        stripped = line.strip()
        after_heading, self.after_heading = self.after_heading, False
        if not stripped:
            self._end_paragraph()
        elif stripped.startswith("[["):
            self._end_paragraph()
            self._read_tag(number, line)
        elif stripped.startswith("## ") or stripped == "##":
            self._end_paragraph()
            self._read_heading(number, line)
        elif after_heading and _LEAD.fullmatch(stripped):
            pass
        elif _GROUP_OPEN.fullmatch(stripped):
            self._end_paragraph()
            self._open_group(number, line)
        elif _GROUP_CLOSE.fullmatch(stripped):
            self._end_paragraph()
            self._close_group(number, line)
        elif stripped.startswith(">"):
            self._end_paragraph()
            self._read_instruction(number, line)
        elif (comment := _COMMENT.fullmatch(stripped)) is not None:
            self._end_paragraph()
            self.form.comments.append(Comment(comment.group(1).strip(), _content_span(number, line)))
        else:
            if not self.paragraph:
                self.paragraph_start = number
            self.paragraph.append(line)

    def _read_tag(self, number: int, line: str) -> None:
        stripped = line.strip()
        offset = len(line) - len(line.lstrip()) + 1
        span = _content_span(number, line)
        match = _TAG.fullmatch(stripped)
        problem = None
        if match is None:
            if not stripped.endswith("]]"):
                problem = (
                    f'The tag "{_quote(stripped)}" is not closed: a tag is one whole line "[[key:value]]"'
                )
            else:
                problem = f'The tag "{_quote(stripped)}" has no ":" between its key and its value: write "[[key:value]]"'
        elif not _KEY.fullmatch(match["key"]):
            key = match["key"]
            hint = re.sub(r"[^a-z_]+", "_", key.strip().lower()).strip("_")
            better = f'; did you mean "{hint}"?' if hint and hint != key else ""
            problem = f'The tag key "{key}" is not valid: keys are lower-case letters and "_" only{better}'
        if problem is not None:
            self.form.errors.append(StructureError("ALP103", problem, span, subject=stripped))
            return
        assert match is not None
        key_start = offset + 2
        value_start = key_start + len(match["key"]) + 1
        value = match["value"]
        self.form.tags.append(
            Tag(
                key=match["key"],
                value=value,
                span=span,
                key_span=Span(number, key_start, number, value_start - 1),
                value_span=Span(number, value_start, number, value_start + len(value)),
            )
        )

    def _read_heading(self, number: int, line: str) -> None:
        if self.group is not None:
            self._unclosed_group(f"the section heading on line {number}")
        heading = line.strip()[2:].strip()
        self.section = Section(heading, _content_span(number, line))
        self.form.sections.append(self.section)
        self.question = None
        self.after_heading = True

    def _open_group(self, number: int, line: str) -> None:
        if self.group is not None:
            self._unclosed_group(f"the next group on line {number}")
        self.group = Group(span=_content_span(number, line), instruction=None, instruction_span=None)
        if self.question is not None:
            self.question.groups.append(self.group)

    def _close_group(self, number: int, line: str) -> None:
        if self.group is None:
            self.form.errors.append(
                StructureError(
                    "ALP104",
                    'This "</div>" closes no group: there is no open <div class="group"> before it; delete it',
                    _content_span(number, line),
                    subject="stray </div>",
                )
            )
            return
        opened = self.group.span
        self.group.span = Span(opened.line, opened.column, number, len(line.rstrip()) + 1)
        self._finish_group()

    def _unclosed_group(self, where: str) -> None:
        assert self.group is not None
        self.group.closed = False
        self.form.errors.append(
            StructureError(
                "ALP104",
                f'This <div class="group"> has no "</div>": it ends at {where}; add "</div>" on a line of its own',
                self.group.span,
                subject="unclosed group",
            )
        )
        self._finish_group()

    def _finish_group(self) -> None:
        group, self.group = self.group, None
        if group is None or self.question is None:
            return
        if group.instruction:
            self.question.subquestions.append(group)
        else:
            self.question.parts.append(group)

    def _read_instruction(self, number: int, line: str) -> None:
        start = line.index(">") + 1
        if line[start : start + 1] == " ":
            start += 1
        text = line[start:].strip()
        text_column = start + 1 + (len(line[start:]) - len(line[start:].lstrip()))
        text_span = Span(number, text_column, number, text_column + max(len(text), 1))
        if self.group is not None:
            if self.group.instruction is None and not self.group.blocks:
                self.group.instruction = text
                self.group.instruction_span = text_span
                return
            self._unclosed_group(f"the question on line {number}")
        question = Question(
            text=text,
            span=_content_span(number, line),
            text_span=text_span,
            section=self.section,
        )
        self.question = question
        self.form.questions.append(question)
        if self.section is not None:
            self.section.questions.append(question)

    def _end_paragraph(self) -> None:
        if not self.paragraph:
            return
        lines = tuple(self.paragraph)
        last = self.paragraph_start + len(lines) - 1
        block = Block(lines, Span(self.paragraph_start, 1, last, len(lines[-1]) + 1))
        self.paragraph = []
        if self.group is not None:
            self.group.blocks.append(block)
        elif self.question is not None:
            self.question.blocks.append(block)


def _pair_locations(tags: list[Tag]) -> list[Location]:
    locations: list[Location] = []
    pending: Tag | None = None
    for tag in tags:
        if tag.key == "country":
            if pending is not None:
                locations.append(Location(pending, None))
            pending = tag
        elif tag.key == "latlng":
            locations.append(Location(pending, tag))
            pending = None
        elif pending is not None:
            locations.append(Location(pending, None))
            pending = None
    if pending is not None:
        locations.append(Location(pending, None))
    return locations


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse(text: str, path: str = "<string>") -> Form:
    """Parse a form's decoded text (any newline style; a leading BOM is ignored)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(path, text).parse()


def looks_like_form(text: str) -> bool:
    """A file is a form when it has at least one tag line (READMEs have none)."""
    return any(line.lstrip().startswith("[[") for line in text.split("\n"))
