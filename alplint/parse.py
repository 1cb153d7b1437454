"""Text -> ``Form``.

The only module that reads a form's text.  It never raises on bad input:
what it cannot make sense of becomes a ``StructureError`` and parsing goes
on, so that one mistake gives one problem.  It knows nothing of schemas:
telling a multi-paragraph instruction from its answer is the template's job
(``template.Binding``).

Lines are numbered as an editor numbers them: only ``\\n`` ends a line (a
``\\r`` before it belongs to the line ending), except in a file that has no
``\\n`` at all, whose lines end with ``\\r`` (old Mac line endings).  A bare
``\\r`` inside a line is a character of that line, so every column maps to
the text byte for byte (``fix.py`` relies on it).

Raw text as typed is read as the site shows it: no-break spaces around a
title, a heading or a question are spaces; zero-width spaces are ignored in
titles, headings and questions; ``> None`` is how the export writes an
empty ``>`` line; a lone ``- `` is the export's checklist with nothing
ticked, not an answer; ``<div>`` ... ``</div>`` pasted into an answer is
text.  What the site cannot show as meant is reported with its cause:
a title on the line after ``# `` (ALP102), control characters and line
breaks hidden inside a line (ALP108), a code block never closed (ALP109).
Nothing inside a fenced code block is read as a tag, a question or a
directive.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from alplint.i18n import Message, _, ngettext
from alplint.model import (
    Block,
    Comment,
    Directive,
    Form,
    Group,
    Location,
    Question,
    Repair,
    Section,
    Span,
    StructureError,
    Tag,
    Title,
)

_TAG = re.compile(r"\[\[(?P<key>[^:\]]*):(?P<value>.*)\]\]")
_KEY = re.compile(r"[a-z_]+")
# A tag whose key is valid: what ``_TAG`` matches when ``_KEY`` matches its key, in one pass.
_VALID_TAG = re.compile(r"\[\[(?P<key>[a-z_]+):(?P<value>.*)\]\]")
# Where one tag ends and the next begins on the same line ("]] [[key:"): the gap is captured.
_TAG_AFTER_TAG = re.compile(r"(?<=\]\])(\s*)(?=\[\[[^\]:]*:)")
_GROUP_OPEN = re.compile(r'<div\s+class\s*=\s*["\']group["\']\s*>', re.IGNORECASE)
_GROUP_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)
_PASTED_DIV_OPEN = re.compile(r"<div\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--((?:(?!-->).)*)-->")
_LEAD = re.compile(r"\*{2,}")
# The first characters of lines that may be more than text (a tag, a heading, a group, a comment...).
_MARKS = frozenset("[#*<-{+")
# A tag written almost right: [key:value], {{key:value}}, {key:value}, [key:value]] or a list item
# "- [[key:value]]".  Only lower-case keys, and not a URL, so that a README's "[Note: ...]" or
# "[https://...]" is no tag.
_NEAR_TAG = re.compile(
    r"(?P<open>\[|\{\{?|[-*+]\s+\[\[)\s*(?P<key>[a-z][a-z_]*)\s*:(?!//)(?P<value>.*?)(?P<close>\]\]?|\}\}?)"
)
# A fence of three or more backticks or tildes, indented by at most three spaces.
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)")
# Characters no one types on purpose: C0 and C1 controls (tab, line feed and carriage return aside),
# and a carriage return inside a line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n|\Z)")
# The same, searched first without the carriage return (a regex without alternatives scans fast).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BARE_CR = re.compile(r"\r(?!\n|\Z)")
# The same C0 controls (and DEL) as bytes of UTF-8, marked 1 in a translation table, and the C1 controls
# (U+0080 to U+009F) as UTF-8: searching the encoded text costs a fraction of the character class.
_C0_CONTROL_BYTES = bytes(
    1 if code in range(0x00, 0x09) or code in (0x0B, 0x0C) or code in range(0x0E, 0x20) or code == 0x7F else 0
    for code in range(256)
)
_C1_CONTROL_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# Controls that stand for a break between words: a space keeps the words apart.
_BREAKS = frozenset("\r\x0b\x0c\x85\x1c\x1d\x1e\x1f")
# Invisible characters that are never meaningful in a title, a heading or a question.  (Zero-width
# joiners are left alone: some scripts and emoji need them.)
_INVISIBLE = str.maketrans("", "", "\u200b\u2060\ufeff")
_INVISIBLE_OR_SPACE = re.compile(r"[\u200b\u2060\ufeff\u00a0\s]")
_NONE_INSTRUCTION = "None"
_DIRECTIVE_PREFIX = "alplint"
_DIRECTIVE_WORD = re.compile(r"[^\s,]+")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def line_break(text: str) -> str:
    """What ends a line in ``text``: ``\\n`` (also for ``\\r\\n``), or ``\\r`` in a file without ``\\n``."""
    return "\r" if "\r" in text and "\n" not in text else "\n"


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only ``\\n`` ends a line, a ``\\r`` before it is dropped.

    A text with ``\\r`` and no ``\\n`` (old Mac line endings) is split on ``\\r``.
    """
    if "\r" not in text:
        lines = text.split("\n")
    elif "\n" not in text:
        lines = text.split("\r")
    else:
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def code_spans(line: str) -> list[tuple[int, int]]:
    """Where inline code spans (`` `code` ``) stand in a line: 0-based start and end offsets."""
    if "`" not in line:
        return []
    return [match.span() for match in _CODE_SPAN.finditer(line)]


def _content_span(number: int, line: str) -> Span:
    start = len(line) - len(line.lstrip())
    return Span(number, start + 1, number, max(len(line.rstrip()), start + 1) + 1)


def _visible(text: str) -> str:
    if "\u200b" in text or "\u2060" in text or "\ufeff" in text:
        text = text.translate(_INVISIBLE)
    return text.strip()


class _FormReader:
    """Reads a form's lines once, top to bottom, into a ``Form`` and its ``StructureError``s."""

    def __init__(self, path: str, text: str) -> None:
        self.form = Form(path=path, text=text, lines=split_lines(text))
        self.section: Section | None = None
        self.question: Question | None = None
        self.group: Group | None = None
        self.paragraph: list[str] = []
        self.paragraph_start = 0
        self.after_heading = False
        # The line of the last ">" line read, to join the ">" lines right under it to its quote.
        self.last_quote = 0
        self.quoted: list[str] = []
        self.quoted_start = self.quoted_column = self.quoted_end = 0
        # <div> opened by HTML pasted into an answer outside groups: their "</div>" lines are text.
        self.pasted_divs = 0
        self.fences: dict[int, int] = {}
        # Until the first line of text: near-miss tags are read as tags only there.
        self.in_head = True

    def parse(self) -> Form:
        lines = self.form.lines
        text = self.form.text
        if "```" in text or "~~~" in text:
            self.fences = self._find_fences(lines)
        index = self._read_title(lines)
        fences = self.fences
        if fences:
            while index < len(lines):
                if index in fences:
                    index = self._read_code_block(index, fences[index])
                    continue
                self._read_line(index + 1, lines[index], lines[index].strip())
                index += 1
        else:
            read_line, add_line = self._read_line, self._add_line
            # Cleared, never replaced, as paragraphs and quotes end.
            paragraph, quoted = self.paragraph, self.quoted
            for number in range(index + 1, len(lines) + 1):
                line = lines[number - 1]
                stripped = line.strip()
                if not stripped:
                    # A blank line, read here: a third of a form's lines are blank.
                    self.after_heading = False
                    if paragraph:
                        self._end_paragraph()
                    if quoted:
                        self._end_quote()
                elif stripped[0] in _MARKS or stripped[0] == ">":
                    read_line(number, line, stripped)
                else:
                    # A line of text, read here: most of an answer's lines.
                    self.after_heading = False
                    if quoted:
                        self._end_quote()
                    add_line(number, line)
        self._end_paragraph()
        self._end_quote()
        if self.group is not None:
            self._unclosed_group(_("the end of the file"))
        self.form.locations = _pair_locations(self.form.tags)
        if any(directive.verb == "draft" and directive.alone for directive in self.form.directives):
            self.form.origin = "draft"
        if _has_control_character(text) or ("\r" in text and _BARE_CR.search(text) is not None):
            self._report_controls()
        return self.form

    # --- the title ---------------------------------------------------------------------------------

    def _read_title(self, lines: list[str]) -> int:
        for index, line in enumerate(lines):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped[:2] in ("# ", "#\t") and _visible(stripped[2:]):
                self.form.title = Title(_visible(stripped[2:]), _content_span(index + 1, line))
                return index + 1
            if stripped == "#":
                return self._title_below(lines, index)
            self.form.errors.append(
                StructureError(
                    "ALP102",
                    _(
                        'The form must start with its title, a line such as "# My title"; '
                        'the first line here is "{line}"',
                        line=_abridged(stripped),
                    ),
                    _content_span(index + 1, line),
                )
            )
            return index
        self.form.errors.append(
            StructureError(
                "ALP102",
                _('The form is empty: it must start with a title such as "# My title"'),
                Span(1, 1, 1, 2),
            )
        )
        return len(lines)

    def _title_below(self, lines: list[str], index: int) -> int:
        """``# `` alone: the title is the next line of text, when it is plain text (not a tag...)."""
        hash_line = lines[index]
        hash_span = _content_span(index + 1, hash_line)
        below = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
        if below is None or lines[below].strip()[:1] in ("[", "#", ">", "<", "{"):
            self.form.errors.append(
                StructureError(
                    "ALP102",
                    _('The title line "#" is empty: write the form\'s title after "# "'),
                    hash_span,
                    subject="empty title",
                )
            )
            return index + 1
        line = lines[below]
        title = _visible(line)
        span = _content_span(below + 1, line)
        self.form.title = Title(title, span)
        after_hash = hash_line.index("#") + 2
        self.form.errors.append(
            StructureError(
                "ALP102",
                _(
                    'The title is on the line after "#", so the site shows an empty title: '
                    'write it on the same line, "# {title}"',
                    title=_abridged(title),
                ),
                hash_span,
                subject="title below #",
                repair=Repair(
                    ((Span(index + 1, after_hash, below + 1, span.column), " "),),
                    _('Move the title up to the "#" line'),
                ),
            )
        )
        return below + 1

    # --- one line ------------------------------------------------------------------------------

    def _read_line(self, number: int, line: str, stripped: str) -> None:
        """One line; ``stripped`` is the line without its surrounding white space."""
        after_heading, self.after_heading = self.after_heading, False
        if not stripped:
            if self.paragraph:
                self._end_paragraph()
            if self.quoted:
                self._end_quote()
            return
        first = stripped[0]
        if first == ">":
            if self.paragraph:
                self._end_paragraph()
            self._read_instruction(number, line)
            return
        if self.quoted:
            self._end_quote()
        if first not in _MARKS:
            self._add_line(number, line)
        elif first == "[" and stripped.startswith("[["):
            if self.paragraph:
                self._end_paragraph()
            self._read_tag(number, line, stripped)
        elif first == "#" and (stripped.startswith("## ") or stripped == "##"):
            if self.paragraph:
                self._end_paragraph()
            self._read_heading(number, line)
        elif first == "*" and after_heading and _LEAD.fullmatch(stripped):
            pass  # the bold rule the export writes under a section heading
        elif first == "<" and self._read_markup(number, line, stripped):
            return
        elif first == "-" and stripped == "-" and line.rstrip() != line:
            # "- " as the export writes an unticked checklist (an author's "-" is a placeholder).
            self._end_paragraph()
            if self.question is not None:
                self.question.empty_checklists.append(_content_span(number, line))
        elif first in "[{-*+" and self._in_head() and (near := _NEAR_TAG.fullmatch(stripped)):
            self._end_paragraph()
            self._near_tag(number, line, near)
        else:
            self._add_line(number, line)

    def _add_line(self, number: int, line: str) -> None:
        """A line of text: one more line of the paragraph being read."""
        self.in_head = False
        if not self.paragraph:
            self.paragraph_start = number
        self.paragraph.append(line)
        if "<" in line:
            self._read_inline_markup(number, line)

    def _in_head(self) -> bool:
        """Before any text, question, section heading or group: where the tags stand."""
        return self.in_head and self.question is None and self.section is None and self.group is None

    def _read_markup(self, number: int, line: str, stripped: str) -> bool:
        """A line starting with "<": a group's div, a comment, or (returns False) text."""
        if _GROUP_OPEN.fullmatch(stripped):
            self._end_paragraph()
            self.pasted_divs = 0
            self._open_group(number, line)
        elif _GROUP_CLOSE.fullmatch(stripped):
            if self.group is None and self.pasted_divs > 0:
                return False  # closes a <div> pasted into the answer: text (counted as such)
            self._end_paragraph()
            self._close_group(number, line)
        elif (comment := _COMMENT.fullmatch(stripped)) is not None:
            self._end_paragraph()
            start = line.index("<!--") + 4
            self.form.comments.append(Comment(comment.group(1).strip(), _content_span(number, line)))
            directive = _directive(comment.group(1), number, start, _content_span(number, line), alone=True)
            if directive is not None:
                self.form.directives.append(directive)
        else:
            return False
        return True

    def _read_inline_markup(self, number: int, line: str) -> None:
        """Pasted ``<div>`` tags, and alplint comments that do not stand on a line of their own."""
        if self.group is None and ("div" in line or "DIV" in line or "Div" in line):
            opened = len(_PASTED_DIV_OPEN.findall(line)) - len(_GROUP_OPEN.findall(line))
            closed = len(_GROUP_CLOSE.findall(line))
            self.pasted_divs = max(0, self.pasted_divs + opened - closed)
        if "<!--" in line and _DIRECTIVE_PREFIX in line.lower():
            spans = code_spans(line)
            for match in _COMMENT.finditer(line):
                if any(start <= match.start() < end for start, end in spans):
                    continue
                span = Span(number, match.start() + 1, number, match.end() + 1)
                directive = _directive(match.group(1), number, match.start() + 4, span, alone=False)
                if directive is not None:
                    self.form.directives.append(directive)

    # --- tags ----------------------------------------------------------------------------------

    def _read_tag(self, number: int, line: str, stripped: str) -> None:
        offset = line.index("[") + 1  # the line starts with white space, then "[["
        if "]]" in stripped[:-2] and self._several_tags(number, offset, stripped):
            return
        valid = _VALID_TAG.fullmatch(stripped)
        if valid is not None:
            self._add_tag(number, offset, valid)
            return
        span = Span(number, offset, number, offset + len(stripped))
        match = _TAG.fullmatch(stripped)
        problem: Message | None = None
        repair = None
        if match is None:
            if not stripped.endswith("]]"):
                problem = _(
                    'The tag "{tag}" is not closed: a tag is one whole line "[[key:value]]"',
                    tag=_abridged(stripped),
                )
            else:
                problem = _(
                    'The tag "{tag}" has no ":" between its key and its value: write "[[key:value]]"',
                    tag=_abridged(stripped),
                )
        elif not _KEY.fullmatch(match["key"]):
            key = match["key"]
            key_span = Span(number, offset + 2, number, offset + 2 + len(key))
            cleaned = _INVISIBLE_OR_SPACE.sub("", key)
            if cleaned != key and _KEY.fullmatch(cleaned):
                hidden = next(character for character in key if _INVISIBLE_OR_SPACE.match(character))
                problem = _(
                    'The tag key "{key}" holds an invisible character or a space ({character}): '
                    'write "{cleaned}"',
                    key=cleaned,
                    character=_character_name(hidden),
                    cleaned=cleaned,
                )
                repair = Repair(((key_span, cleaned),), _('Write "{key}"', key=cleaned))
            else:
                hint = re.sub(r"[^a-z_]+", "_", key.strip().lower()).strip("_")
                better = _('; did you mean "{hint}"?', hint=hint) if hint and hint != key else ""
                problem = _(
                    'The tag key "{key}" is not valid: keys are lower-case letters and "_" only{better}',
                    key=key,
                    better=better,
                )
        if problem is not None:
            self.form.errors.append(StructureError("ALP103", problem, span, subject=stripped, repair=repair))
            return
        assert match is not None
        self._add_tag(number, offset, match)

    def _add_tag(self, number: int, offset: int, match: re.Match[str]) -> None:
        """The tag ``match`` read from a line, its text starting at 1-based column ``offset``."""
        key, value = match.group("key", "value")
        key_start = offset + 2
        value_start = key_start + len(key) + 1
        self.form.tags.append(
            Tag(
                key,
                value,
                Span(number, offset, number, offset + match.end() - match.start()),
                Span(number, key_start, number, value_start - 1),
                Span(number, value_start, number, value_start + len(value)),
            )
        )

    def _several_tags(self, number: int, offset: int, stripped: str) -> bool:
        """Tags written one after the other on a line: each is read, and the line is ALP103."""
        pieces = _TAG_AFTER_TAG.split(stripped)
        if len(pieces) < 2:
            return False
        matches = []
        column = offset
        for piece, gap in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            match = _TAG.fullmatch(piece)
            if match is None:
                return False
            matches.append((column, match, gap))
            column += len(piece) + len(gap)
        newline = "\r\n" if "\r\n" in self.form.text else line_break(self.form.text)
        edits = tuple(
            (Span(number, start + len(match.group()), number, start + len(match.group()) + len(gap)), newline)
            for start, match, gap in matches[:-1]
        )
        for start, match, _gap in matches:
            self._add_tag(number, start, match)
        self.form.errors.append(
            StructureError(
                "ALP103",
                _(
                    "{count} tags are written on one line ({tags}): write each tag on a line of its own",
                    count=len(matches),
                    tags=", ".join(f'"{_abridged(match.group(), 40)}"' for _start, match, _gap in matches),
                ),
                Span(number, offset, number, offset + len(stripped)),
                subject="several tags on one line",
                repair=Repair(edits, _("Write each tag on a line of its own")),
            )
        )
        return True

    def _near_tag(self, number: int, line: str, near: re.Match[str]) -> None:
        stripped = line.strip()
        span = _content_span(number, line)
        tag = f"[[{near['key']}:{near['value']}]]"
        if near["open"][0] in "-*+":
            problem = _(
                'The tag "{tag}" is written as a list item: a tag line starts with "[[", so delete the "{marker}"',
                tag=_abridged(tag),
                marker=near["open"][0],
            )
        else:
            problem = _(
                'The line "{line}" is not a tag: a tag is written with two square brackets on each side, '
                '"{tag}"',
                line=_abridged(stripped),
                tag=_abridged(tag),
            )
        self.form.errors.append(
            StructureError(
                "ALP103",
                problem,
                span,
                subject=stripped,
                repair=Repair(((span, tag),), _('Write "{tag}"', tag=tag)),
            )
        )

    # --- headings, groups, questions -------------------------------------------------------------

    def _read_heading(self, number: int, line: str) -> None:
        if self.group is not None:
            self._unclosed_group(_("the section heading on line {number}", number=number))
        heading = _visible(line.strip()[2:])
        self.section = Section(heading, _content_span(number, line))
        self.form.sections.append(self.section)
        self.question = None
        self.after_heading = True
        self.pasted_divs = 0

    def _open_group(self, number: int, line: str) -> None:
        if self.group is not None:
            self._unclosed_group(_('the next <div class="group"> on line {number}', number=number))
        self.group = Group(span=_content_span(number, line), instruction=None, instruction_span=None)
        if self.question is not None:
            self.question.groups.append(self.group)

    def _close_group(self, number: int, line: str) -> None:
        if self.group is None:
            self.form.errors.append(
                StructureError(
                    "ALP104",
                    _(
                        'This "</div>" closes nothing: there is no <div class="group"> open before it; '
                        "delete it"
                    ),
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
        self.form.errors.append(
            StructureError(
                "ALP104",
                _(
                    'This <div class="group"> has no "</div>": it ends at {where}; '
                    'add "</div>" on a line of its own',
                    where=where,
                ),
                self.group.span,
                subject="unclosed group",
            )
        )
        self._finish_group()

    def _finish_group(self) -> None:
        self._end_quote()
        group, self.group = self.group, None
        if group is None or self.question is None:
            return
        if group.instruction:
            self.question.subquestions.append(group)
        else:
            self.question.parts.append(group)

    def _read_instruction(self, number: int, line: str) -> None:
        if self.last_quote == number - 1 and self._quote_continues():
            start = line.index(">") + 1
            text = line[start:].strip()
            if not self.quoted:
                self.quoted_start = number
                self.quoted_column = start + 1 + len(line[start:]) - len(line[start:].lstrip())
            self.quoted.append(text)
            self.quoted_end = len(line.rstrip()) + 1
            self.last_quote = number
            return
        self._end_quote()
        self.last_quote = number
        start = line.index(">") + 1
        if line[start : start + 1] == " ":
            start += 1
        rest = line[start:]
        text = _visible(rest)
        if text == _NONE_INSTRUCTION:
            text = ""  # the export's way of writing an empty ">"
        text_column = start + 1 + (len(rest) - len(rest.lstrip()))
        text_span = Span(number, text_column, number, text_column + max(len(rest.strip()), 1))
        if self.group is not None:
            if self.group.instruction is None and not self.group.blocks:
                self.group.instruction = text
                self.group.instruction_span = text_span
                return
            self._unclosed_group(_("the question on line {number}", number=number))
        question = Question(text, _content_span(number, line), text_span, self.section)
        self.question = question
        self.form.questions.append(question)
        self.pasted_divs = 0
        if self.section is not None:
            self.section.questions.append(question)

    def _quote_continues(self) -> bool:
        """Whether a ">" line right under the last one belongs to its quote (the question's, or a group's)."""
        if self.group is not None:
            return self.group.instruction is not None and not self.group.blocks
        return self.question is not None and not self.question.blocks

    def _end_quote(self) -> None:
        if not self.quoted:
            return
        lines = tuple(self.quoted)
        last = self.quoted_start + len(lines) - 1
        block = Block(lines, Span(self.quoted_start, self.quoted_column, last, self.quoted_end))
        self.quoted.clear()
        if self.group is not None:
            self.group.quoted_answer = block
        elif self.question is not None:
            self.question.quoted_answer = block

    def _end_paragraph(self) -> None:
        if not self.paragraph:
            return
        lines = tuple(self.paragraph)
        last = self.paragraph_start + len(lines) - 1
        self.paragraph.clear()
        self._add_block(Block(lines, Span(self.paragraph_start, 1, last, len(lines[-1]) + 1)))

    def _add_block(self, block: Block) -> None:
        if self.group is not None:
            self.group.blocks.append(block)
        elif self.question is not None:
            self.question.blocks.append(block)
        else:
            self.form.loose_blocks.append(block)

    # --- code blocks ---------------------------------------------------------------------------

    def _find_fences(self, lines: list[str]) -> dict[int, int]:
        """Each fenced code block's opening line and closing line (0-based indexes).

        A fence is closed by the next fence of the same character, at least as
        long, with nothing after it.  An opening fence never closed is reported
        (ALP109) and read as text, so that the rest of the form is still read.
        """
        found: list[tuple[int, str, int, bool]] = []
        for index, line in enumerate(lines):
            if line[:1] in ("`", "~", " ") and (match := _FENCE.match(line)) is not None:
                fence = match["fence"]
                info = match["info"].strip()
                if fence[0] == "`" and "`" in info:
                    continue  # an inline code span, not a fence
                found.append((index, fence[0], len(fence), bool(info)))
        closers = _closing_fences(found)
        pairs: dict[int, int] = {}
        position = 0
        while position < len(found):
            closer = closers[position]
            index = found[position][0]
            if closer is None:
                self._unclosed_fence(index, lines[index])
                position += 1
                continue
            pairs[index] = found[closer][0]
            position = closer + 1
        return pairs

    def _unclosed_fence(self, index: int, line: str) -> None:
        fence = line.strip()
        marker = fence[: len(fence) - len(fence.lstrip(fence[0]))]
        self.form.errors.append(
            StructureError(
                "ALP109",
                _(
                    'This line "{fence}" starts a block of raw text that no "{fence}" line ends, so the site '
                    'shows the rest of the form as raw text in a box: add a line "{fence}" where the raw '
                    "text ends, or delete this line",
                    fence=marker,
                ),
                _content_span(index + 1, line),
                subject=f"unclosed {marker}",
            )
        )

    def _read_code_block(self, first: int, last: int) -> int:
        self._end_paragraph()
        self._end_quote()
        lines = tuple(self.form.lines[first : last + 1])
        span = Span(first + 1, 1, last + 1, len(lines[-1]) + 1)
        self.form.code_blocks.append(span)
        self._add_block(Block(lines, span, code=True))
        return last + 1

    # --- raw text --------------------------------------------------------------------------------

    def _structural_lines(self) -> set[int]:
        """Lines that hold a title, a tag, a heading or a question: a carriage return there hides a break."""
        form = self.form
        spans = [tag.span for tag in form.tags] + [
            error.span for error in form.errors if error.code == "ALP103"
        ]
        spans += [section.span for section in form.sections] + [question.span for question in form.questions]
        lines = {span.line for span in spans}
        if form.title is not None:
            lines.add(form.title.span.line)
        return lines

    def _report_controls(self) -> None:
        """ALP108: one problem per line that holds control characters (each is deleted by its fix)."""
        text = self.form.text
        separator = line_break(text)
        starts = [0]
        starts.extend(match.end() for match in re.finditer(re.escape(separator), text))
        by_line: dict[int, list[int]] = {}
        structural = self._structural_lines()
        for match in _CONTROL.finditer(text):
            character = match.group()
            if character == "\r" and separator == "\r":
                continue
            number = bisect_right(starts, match.start())
            if character == "\r" and number not in structural:
                continue  # Markdown reads it as a line break inside an answer, as the author meant
            by_line.setdefault(number, []).append(match.start() - starts[number - 1])
        tags = {tag.span.line: tag for tag in self.form.tags}
        for number, columns in by_line.items():
            line = self.form.lines[number - 1]
            breaks = [column for column in columns if line[column] == "\r"]
            if breaks:
                self.form.errors.append(_hidden_breaks(line, number, breaks, tags.get(number)))
            others = [column for column in columns if line[column] != "\r"]
            if others:
                self.form.errors.append(_control_characters(line, number, others))


def _has_control_character(text: str) -> bool:
    """Whether ``_CONTROL_CHARACTER`` is found in the text (lone surrogates, from ``lint_text``, are none)."""
    data = text.encode("utf-8", "surrogatepass")
    return 1 in data.translate(_C0_CONTROL_BYTES) or (
        b"\xc2" in data and _C1_CONTROL_UTF8.search(data) is not None
    )


def _words_before(line: str, column: int, count: int = 3, start: int = 0) -> str:
    """The last words before a 0-based column (none before ``start``), for quoting where something stands."""
    cut = max(start, column - 60)
    words = line[cut:column].split()
    if cut > start and words and not line[cut - 1].isspace():
        words = words[1:]
    return " ".join(words[-count:])


def _words_after(line: str, column: int, count: int = 3) -> str:
    """The first words from a 0-based column."""
    end = column + 60
    words = line[column:end].split()
    if end < len(line) and words and not line[end].isspace():
        words = words[:-1]
    return " ".join(words[:count])


def _hidden_breaks(line: str, number: int, columns: list[int], tag: Tag | None) -> StructureError:
    """ALP108 for the carriage returns hidden in a title, tag, heading or question line."""
    merged: list[tuple[int, int]] = []
    for column in columns:
        start, end = column, column + 1
        while start > 0 and line[start - 1] in " \t":
            start -= 1
        while end < len(line) and line[end] in " \t\r":
            end += 1
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    edits = tuple(
        (Span(number, start + 1, number, end + 1), " " if start > 0 and end < len(line) else "")
        for start, end in merged
    )
    span = Span(number, columns[0] + 1, number, columns[-1] + 2)
    if tag is not None:
        pieces = [piece.strip() for piece in tag.value.split("\r")]
        listed = ", ".join(f'"{_abridged(piece, 40)}"' for piece in pieces if piece)
        message = ngettext(
            'The value of the tag "{key}" holds a hidden line break (a carriage return), which splits it '
            "into {pieces}: if these are separate values, write each in a tag of its own; otherwise "
            "replace the line break with a space",
            'The value of the tag "{key}" holds {count} hidden line breaks (carriage returns), which split '
            "it into {pieces}: if these are separate values, write each in a tag of its own; otherwise "
            "replace the line breaks with spaces",
            len(columns),
            key=tag.key,
            count=len(columns),
            pieces=listed,
        )
        safe = False
    else:
        message = ngettext(
            'This line holds a hidden line break (a carriage return) after "{before}", which splits it in '
            "two on the site: replace it with a space",
            'This line holds {count} hidden line breaks (carriage returns), the first after "{before}", '
            "which split it on the site: replace them with spaces",
            len(columns),
            count=len(columns),
            before=_words_before(line, columns[0], start=len(line) - len(line.lstrip(" \t#>"))),
        )
        safe = True
    return StructureError(
        "ALP108",
        message,
        span,
        subject="control:U+000D",
        repair=Repair(edits, _("Replace the line breaks with spaces"), safe),
        mistake=tag.mistake if tag is not None else "",
    )


def _control_characters(line: str, number: int, columns: list[int]) -> StructureError:
    """ALP108 for the control characters of one line (carriage returns aside)."""
    first = columns[0]
    before, after = _words_before(line, first), _words_after(line, first + 1)
    if before and after:
        place = _('between "{before}" and "{after}"', before=before, after=after)
    elif after:
        place = _('before "{after}"', after=after)
    elif before:
        place = _('after "{before}"', before=before)
    else:
        place = _("on a line of its own")
    names = ", ".join(dict.fromkeys(f"U+{ord(line[column]):04X}" for column in columns))
    if all(line[column] in _BREAKS for column in columns):
        message = ngettext(
            "An invisible line or page break character ({names}) stands {place}: replace it with a space "
            "(such characters come with text copied from a word processor)",
            "{count} invisible line or page break characters ({names}) are in this line, the first {place}: "
            "replace them with spaces (such characters come with text copied from a word processor)",
            len(columns),
            count=len(columns),
            names=names,
            place=place,
        )
    else:
        message = ngettext(
            "An invisible control character ({names}) stands {place}: delete it "
            "(such characters come with text copied from a PDF or another program)",
            "{count} invisible control characters ({names}) are in this line, the first {place}: delete them "
            "(such characters come with text copied from a PDF or another program)",
            len(columns),
            count=len(columns),
            names=names,
            place=place,
        )
    edits = tuple(
        (Span(number, column + 1, number, column + 2), " " if line[column] in _BREAKS else "")
        for column in columns
    )
    return StructureError(
        "ALP108",
        message,
        Span(number, first + 1, number, columns[-1] + 2),
        subject=f"control:{names}",
        repair=Repair(edits, _("Delete the control characters"), True),
    )


def _closing_fences(found: list[tuple[int, str, int, bool]]) -> list[int | None]:
    """For each fence, the position in ``found`` of the first later fence that can close it.

    Read from the end: per fence character, a stack of the nearest closing
    candidates, each longer than every nearer one (a nearer fence as long
    or longer hides a farther one).  Linear but for the binary search.
    """
    closers: list[int | None] = [None] * len(found)
    stacks: dict[str, tuple[list[int], list[int]]] = {"`": ([], []), "~": ([], [])}
    for position in range(len(found) - 1, -1, -1):
        _index, character, length, has_info = found[position]
        positions, negated = stacks[character]
        # ``negated`` holds minus the lengths, bottom (farthest, longest) to top: increasing.
        reach = bisect_right(negated, -length) - 1
        if reach >= 0:
            closers[position] = positions[reach]
        if not has_info:
            while negated and -negated[-1] <= length:
                negated.pop()
                positions.pop()
            negated.append(-length)
            positions.append(position)
    return closers


def _directive(inner: str, number: int, start: int, span: Span, *, alone: bool) -> Directive | None:
    """The directive an HTML comment's text (at 0-based column ``start``) holds, if it is one."""
    if not inner.lstrip().lower().startswith(_DIRECTIVE_PREFIX):
        return None
    body, _separator, reason = inner.partition(" --")
    words = [(match.group(), start + match.start()) for match in _DIRECTIVE_WORD.finditer(body)]
    first, first_column = words[0]
    verb_span = Span(number, first_column + 1, number, first_column + len(first) + 1)
    prefix = _DIRECTIVE_PREFIX + "-"
    verb = first[len(prefix) :] if first.lower().startswith(prefix) and len(first) > len(prefix) else ""
    selectors = tuple(
        (word, Span(number, column + 1, number, column + len(word) + 1)) for word, column in words[1:]
    )
    return Directive(verb, verb_span, selectors, span, reason.strip(), alone)


def _character_name(character: str) -> str:
    if character == "\u00a0":
        return _("a no-break space")
    if character.isspace():
        return _("a space")
    return f"U+{ord(character):04X}"


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


def _abridged(text: str, limit: int = 60) -> str:
    """A line quoted in a message, cut to ``limit`` characters with the ``...`` included."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse(text: str, path: str = "<string>") -> Form:
    """Parse a form's text as ``source`` decoded it (any newline style; no byte-order mark)."""
    return _FormReader(path, text).parse()


def head_types(text: str) -> list[str] | None:
    """The ``[[type:...]]`` values of a page, read from its head only, or None when that cannot tell.

    The head is the first lines that are blank, a title or a tag.  The
    answer is None unless every ``[[type:`` of the text is a tag of the
    head, so it is what ``Form.types`` would be, without reading a long
    page to its end (the archive's method cards carry megabytes of images).
    """
    types: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        stripped = text[start:end].strip()
        start = end + 1
        if not stripped or stripped.startswith("# "):
            continue
        if not stripped.startswith("[["):
            break
        match = _TAG.fullmatch(stripped)
        if match is not None and match["key"] == "type":
            types.append(match["value"].strip().lower())
    if not types or text.count("[[type:") != len(types) or line_break(text) == "\r":
        return None
    return types


def first_type(text: str) -> str | None:
    """The value (trimmed, in lower case) of the tag on the line of the text's first ``[[type:``, if that
    line is a type tag.

    A cheap test before ``head_types``: when ``head_types`` gives values, the first is this one.
    """
    position = text.find("[[type:")
    if position < 0:
        return None
    end = text.find("\n", position)
    line = text[text.rfind("\n", 0, position) + 1 : end if end >= 0 else len(text)].strip()
    match = _TAG.fullmatch(line)
    if match is None or match["key"] != "type":
        return None
    return match["value"].strip().lower()


def has_form_shape(form: Form) -> bool:
    """Whether the text is laid out as a form, by its tags alone.

    True when, outside code blocks, a line is a tag ``[[key:value]]``, starts
    like one (``[[``), or is a near-miss tag in the form's head
    (``[key:value]``, ``{{key:value}}``, ``- [[key:value]]``).  A form whose
    tags were all deleted is recognised by its questions, which takes a
    template: see ``engine.Linter``.
    """
    return bool(form.tags) or any(error.code == "ALP103" for error in form.errors)


__all__ = ["code_spans", "first_type", "has_form_shape", "head_types", "line_break", "parse", "split_lines"]
