"""Markdown that readers will see broken (ALP6).

These rules read the answers only: the title, the tags and the template's
own instruction text (including continuation paragraphs) are left alone.

ALP601 image-alt-text
    An image with empty alt text or the exporter's ``Missing alt text``:
    people using screen readers learn nothing from it.  Describe the image
    in the brackets.

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
    A literal HTML entity in an answer (``&amp;``, ``&lt;``, ``&gt;``,
    ``&quot;``, ``&#39;``): the platform escaped what the author typed, and
    readers see the code.  The fix writes the character.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Partners

    Research &amp; development

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Partners

    Research & development
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from alplint.model import Form, Span
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.template import Binding, answer_blocks

RULES = (
    Rule("ALP601", "image-alt-text", "warning", "An image without a real description (alt text)"),
    Rule("ALP602", "malformed-link", "warning", "A link Markdown cannot render: spaces or several URLs"),
    Rule(
        "ALP603",
        "escaped-entity",
        "warning",
        "A literal HTML entity such as &amp; in an answer",
        fixable=True,
    ),
)
OPTIONS: Mapping[str, Option] = {}

_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)]*)\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)]*)\)")
_ENTITY = re.compile(r"&(?P<name>amp|lt|gt|quot|apos|#39|#x27);")
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "#39": "'", "#x27": "'"}
_EXPORTER_ALT = "missing alt text"
# A title may follow the URL: [text](url "title").
_TITLED_TARGET = re.compile(r"\S+\s+(\"[^\"]*\"|'[^']*')")


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    for block in answer_blocks(form, binding):
        for offset, line in enumerate(block.lines):
            number = block.span.line + offset
            yield from _images(line, number)
            yield from _links(line, number)
            yield from _entities(line, number)


def _span(number: int, start: int, end: int) -> Span:
    return Span(number, start + 1, number, end + 1)


def _images(line: str, number: int) -> Iterator[Problem]:
    for match in _IMAGE.finditer(line):
        alt = match["alt"].strip()
        if alt and alt.casefold() != _EXPORTER_ALT:
            continue
        found = f'"{alt}"' if alt else "empty"
        yield Problem.at(
            _span(number, match.start(), match.end()),
            "ALP601",
            f"This image's description (alt text) is {found}: describe what the image shows "
            "between the brackets, for readers who cannot see it",
            subject=match["target"].strip(),
        )


def _links(line: str, number: int) -> Iterator[Problem]:
    for match in _LINK.finditer(line):
        target = match["target"].strip()
        if not any(character.isspace() for character in target) or _TITLED_TARGET.fullmatch(target):
            continue
        urls = target.split()
        several = sum(url.startswith(("http://", "https://", "www.")) for url in urls) > 1
        why = f"holds {len(urls)} URLs" if several else "has spaces"
        yield Problem.at(
            _span(number, match.start(), match.end()),
            "ALP602",
            f"This link's target {why}, so readers will not see a link: "
            "write one [text](url) per URL, without spaces in the URL",
            subject=target,
        )


def _entities(line: str, number: int) -> Iterator[Problem]:
    for match in _ENTITY.finditer(line):
        character = _CHARACTERS[match["name"]]
        span = _span(number, match.start(), match.end())
        shown = f'"{character}"'
        yield Problem.at(
            span,
            "ALP603",
            f'"{match.group()}" will show as code, not as {shown}: write {shown} instead',
            fix=Fix(f"Write {shown}", "safe", (Edit.replace(span, character),)),
            subject=match.group(),
        )
