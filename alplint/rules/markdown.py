"""Markdown that readers will see broken (ALP6).

These rules read the text readers see: the answers, and text outside any
question (a pad written without questions, text above the first one).  The
title, the tags and the template's own instruction text (including
continuation paragraphs) are left alone.
Every check here scans its text once, left to right: a line of 1 MB costs
about as much as a thousand lines of 1 kB.

ALP601 image-alt-text
    An image with empty alt text: people using screen readers learn
    nothing from it.  Describe the image in the brackets.  In a
    hand-written draft the exporter's placeholder ``Missing alt text``
    counts as empty too; in an export it is ALP604's, once per form.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Evidence

    ![](https://example.org/market.png)

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Evidence

    ![Stalls on a street in Mexico City](https://example.org/market.png)

ALP602 malformed-link
    A link whose target has spaces or several URLs: Markdown does not
    render it as a link, readers see the brackets.  Write one link per URL.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Blog

    [our blog](https://example.org/en https://example.org/es)

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Blog

    [our blog](https://example.org/en) and [en español](https://example.org/es)

ALP603 escaped-entity
    An HTML entity that readers see as code instead of the character it
    stands for.  A single escape is fine: every CommonMark renderer, the
    archive site's included, shows ``&amp;`` as "&" and ``&lt;`` as "<".
    Two things are not: a double escape (``&amp;amp;``, ``&amp;lt;``), which
    shows as "&amp;" and "&lt;", and an entity inside a code span
    (`` `&amp;` ``), which shows as written.  The fix removes one layer of
    escaping only, and never writes markup: ``&amp;lt;script&amp;gt;``
    becomes ``&lt;script&gt;``, which readers see as "<script>".

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Partners

    Research &amp;amp; development

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Partners

    Research &amp; development

ALP604 platform-alt-text
    Images in an export whose description is the exporter's placeholder
    ``Missing alt text``: the platform keeps no image descriptions, so the
    exporter writes this on every image and no author can change it in a
    form.  Said once per form, as a note (counted in the summary, not
    listed).  A hand-written draft gets ALP601 per image instead.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Evidence

    ![Missing alt text](https://example.org/market.png)

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Evidence

    ![Stalls on a street in Mexico City](https://example.org/market.png)
"""

from __future__ import annotations

import html
import html.entities
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from alplint.i18n import _, ngettext
from alplint.model import Block, Form, Span
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.template import Binding, answer_blocks

RULES = (
    Rule("ALP601", "image-alt-text", "warning", "An image without a description (alt text)"),
    Rule("ALP602", "malformed-link", "warning", "A link Markdown cannot render: spaces or several URLs"),
    Rule(
        "ALP603",
        "escaped-entity",
        "warning",
        "An HTML entity readers see as code: a double escape, or one inside a code span",
        fixable=True,
    ),
    Rule(
        "ALP604",
        "platform-alt-text",
        "note",
        'Images with the exporter\'s "Missing alt text" placeholder, once per form',
    ),
)
OPTIONS: Mapping[str, Option] = {}

EXPORTER_ALT = "missing alt text"
# A title may follow the URL: [text](url "title").
_TITLED_TARGET = re.compile(r"\S+\s+(\"[^\"]*\"|'[^']*')")
# An entity as CommonMark reads it (a name, or a decimal or hexadecimal code), escaped once more or not.
_ENTITY = re.compile(r"&(?:amp;)?(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
# ``&amp;`` and the entity it hides, through every further ``amp;`` (``&amp;amp;lt;`` is one
# mistake, ``&lt;`` escaped twice over): readers see that entity instead of its character.
_DOUBLE_ESCAPE = re.compile(r"&amp;(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    blocks = [*answer_blocks(form, binding), *form.loose_blocks]
    # In the order of their lines: ALP604 stands at the form's first placeholder image.
    yield from _check_blocks(form, sorted(blocks, key=lambda block: block.span.line))


def _check_blocks(form: Form, blocks: Iterable[Block]) -> Iterator[Problem]:
    draft = form.origin == "draft"
    placeholder_images: list[Span] = []
    for block in blocks:
        text = block.text
        # Most paragraphs hold no link, no image and no entity: one search each tells.
        for offset, line in enumerate(block.lines if "](" in text else ()):
            if "](" not in line:
                continue
            number = block.span.line + offset
            for bracket in _bracketed(line):
                if not bracket.image:
                    yield from _link(bracket, number)
                    continue
                alt = bracket.text.strip()
                placeholder = alt.casefold() == EXPORTER_ALT
                if placeholder and not draft:
                    placeholder_images.append(_span(number, bracket.start, bracket.end))
                elif placeholder or not alt:
                    yield _missing_alt(bracket, number, alt)
        if "&" in text:
            yield from _entities(block, text)
    if placeholder_images:
        count = len(placeholder_images)
        yield Problem.at(
            placeholder_images[0],
            "ALP604",
            ngettext(
                'The image has the exporter\'s placeholder description "Missing alt text": the platform '
                "keeps no image descriptions, so the export writes it on every image",
                '{count} images have the exporter\'s placeholder description "Missing alt text": the '
                "platform keeps no image descriptions, so the export writes it on every image",
                count,
                count=count,
            ),
            subject="Missing alt text",
        )


def _span(number: int, start: int, end: int) -> Span:
    return Span(number, start + 1, number, end + 1)


@dataclass(frozen=True, slots=True)
class _Bracket:
    """``[text](target)`` or ``![text](target)`` on one line; ``start`` and ``end`` are 0-based offsets."""

    image: bool
    text: str
    target: str
    start: int
    end: int


def _bracketed(line: str) -> Iterator[_Bracket]:
    """Every link and image of a line, in one pass.

    A pattern such as ``\\[[^\\]]*\\]\\([^)]*\\)`` tried at every ``[`` reads
    to the end of the line each time it finds no ``)``: quadratic in the
    line.  Here each ``](`` is paired with the last ``[`` before it (after
    the previous ``]``) and with the first ``)`` after it, and the search
    for ``)`` is shared by all the ``](`` before that ``)``.
    """
    floor = 0  # the text of a link starts after the last "]" seen
    close = -1
    position = 0
    while True:
        middle = line.find("](", position)
        if middle < 0:
            return
        if close < middle + 2:
            close = line.find(")", middle + 2)
            if close < 0:
                return  # no ")" after this "](", so none after any later one either
        opening = line.rfind("[", floor, middle)
        if opening < 0 or line.find("]", opening, middle) >= 0:
            floor = middle + 1
            position = middle + 1
            continue
        image = opening > 0 and line[opening - 1] == "!"
        start = opening - 1 if image else opening
        yield _Bracket(image, line[opening + 1 : middle], line[middle + 2 : close], start, close + 1)
        floor = close + 1
        position = close + 1


def _missing_alt(bracket: _Bracket, number: int, alt: str) -> Problem:
    if alt:
        message = _(
            'This image\'s description (alt text) is the placeholder "{alt}": describe what the image '
            "shows between the brackets, for readers who cannot see it",
            alt=alt,
        )
    else:
        message = _(
            "This image has no description (alt text): describe what the image shows between the "
            "brackets, for readers who cannot see it"
        )
    return Problem.at(
        _span(number, bracket.start, bracket.end),
        "ALP601",
        message,
        subject=bracket.target.strip(),
    )


def _link(bracket: _Bracket, number: int) -> Iterator[Problem]:
    target = bracket.target.strip()
    if not any(character.isspace() for character in target) or _TITLED_TARGET.fullmatch(target):
        return
    addresses = sum(word.startswith(("http://", "https://", "www.")) for word in target.split())
    if addresses > 1:
        message = _(
            "This link's target holds {count} web addresses, so readers will not see a link: "
            "write one [text](address) per address",
            count=addresses,
        )
    else:
        message = _(
            "This link's target has spaces, so readers will not see a link: "
            "write the address without spaces, as [text](address)"
        )
    yield Problem.at(
        _span(number, bracket.start, bracket.end),
        "ALP602",
        message,
        subject=target,
    )


def _entities(block: Block, text: str) -> Iterator[Problem]:
    """Entities readers see as written: double escapes anywhere, any entity inside a code span.

    ``text`` is the block's text."""
    line_starts = [0]
    for line in block.lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    spans = _code_spans(text)
    reported_until = 0
    for code_start, code_end in [*spans, (len(text), len(text))]:
        # Outside code spans, up to the next one: double escapes only.
        for match in _DOUBLE_ESCAPE.finditer(text, reported_until, code_start):
            if _is_entity(_innermost(match.group())):
                yield _entity_problem(block, line_starts, match.start(), match.end(), match.group(), False)
        for match in _ENTITY.finditer(text, code_start, code_end):
            written = match.group()
            double = written.startswith("&amp;") and written != "&amp;"
            if _is_entity("&" + written[len("&amp;") :] if double else written):
                yield _entity_problem(block, line_starts, match.start(), match.end(), written, True)
        reported_until = code_end


def _innermost(written: str) -> str:
    """The entity a chain of escapes hides: ``&amp;amp;lt;`` hides ``&lt;``, ``&amp;amp;amp;`` hides ``&amp;``."""
    rest = written[len("&amp;") :]
    while rest.startswith("amp;") and rest != "amp;":
        rest = rest[len("amp;") :]
    return "&" + rest


def _fully_unescaped(text: str) -> str:
    """The character an entity escaped any number of times stands for."""
    while (unescaped := html.unescape(text)) != text:
        text = unescaped
    return text


def _is_entity(written: str) -> bool:
    """Whether CommonMark reads ``written`` (``&...;``, ``&amp;`` prefixes stripped) as an entity."""
    inner = written[1:-1]
    if inner.startswith("#"):
        return True
    return f"{inner};" in html.entities.html5


def _entity_problem(
    block: Block, line_starts: list[int], start: int, end: int, written: str, in_code: bool
) -> Problem:
    line_index = bisect_right(line_starts, start) - 1
    column = start - line_starts[line_index]
    span = _span(block.span.line + line_index, column, column + (end - start))
    if in_code:
        double = written.startswith("&amp;") and written != "&amp;"
        replacement = "&" + written[len("&amp;") :] if double else _unescaped(written)
        message = _(
            '"{entity}" is between backticks, where readers see it exactly as written: write "{replacement}"',
            entity=written,
            replacement=replacement,
        )
    else:
        replacement = "&" + written[len("&amp;") :]
        message = _(
            '"{entity}" is escaped too often: readers see "{shown}" instead of "{character}". '
            'Write "{replacement}", one escape less',
            entity=written,
            shown=replacement,
            character=_fully_unescaped(replacement),
            replacement=replacement,
        )
    return Problem.at(
        span,
        "ALP603",
        message,
        fix=Fix(
            _('Write "{replacement}"', replacement=replacement),
            "safe",
            (Edit.replace(span, replacement),),
        ),
        subject=written,
    )


def _unescaped(entity: str) -> str:
    """The text one entity stands for, peeling one layer: ``&amp;lt;`` -> ``&lt;``, ``&lt;`` -> ``<``."""
    inner = entity[1:-1]
    if inner.startswith(("#x", "#X")):
        return chr(int(inner[2:], 16)) if int(inner[2:], 16) <= 0x10FFFF else "\ufffd"
    if inner.startswith("#"):
        return chr(int(inner[1:])) if int(inner[1:]) <= 0x10FFFF else "\ufffd"
    if inner in _CHARACTERS:
        return _CHARACTERS[inner]
    return html.entities.html5.get(f"{inner};", entity)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """The code spans of a paragraph as CommonMark reads them: (start, end) of their content.

    A span opens with a run of backticks (a backslash before it takes its
    first backtick away) and closes at the next run of exactly the same
    length.  For each length, one forward pointer finds the next run of
    that length, so the scan stays linear.
    """
    runs: list[tuple[int, int, bool]] = []  # start, length, escaped by a backslash
    index = 0
    while (found := text.find("`", index)) >= 0:
        end = found
        while end < len(text) and text[end] == "`":
            end += 1
        backslashes = 0
        while found - backslashes > 0 and text[found - backslashes - 1] == "\\":
            backslashes += 1
        runs.append((found, end - found, backslashes % 2 == 1))
        index = end
    by_length: dict[int, list[int]] = {}
    for number, (_start, run_length, _escaped) in enumerate(runs):
        by_length.setdefault(run_length, []).append(number)
    pointers = dict.fromkeys(by_length, 0)
    spans: list[tuple[int, int]] = []
    covered = 0
    for number, (start, run_length, escaped) in enumerate(runs):
        if start < covered:
            continue
        opener_start, opener_length = (start + 1, run_length - 1) if escaped else (start, run_length)
        same = by_length.get(opener_length, [])
        pointer = pointers.get(opener_length, 0)
        while pointer < len(same) and same[pointer] <= number:
            pointer += 1
        pointers[opener_length] = pointer
        if opener_length == 0 or pointer == len(same):
            continue
        closer_start = runs[same[pointer]][0]
        spans.append((opener_start + opener_length, closer_start))
        covered = closer_start + opener_length
    return spans
