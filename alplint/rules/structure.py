"""Reading the file (ALP1): what must hold before a form can be checked at all.

The parser reports these as values while it reads (it never stops at the
first broken line); ALP101 comes from decoding the file and ALP105 from
choosing its template, both before any other rule runs; ALP106 and ALP107
come from reading the suppression comments.

What is a form
    A file is checked when it has the shape of a form: a tag line
    ``[[key:value]]`` or a line that starts like one (``[[``), a near-miss
    tag in its head (``[key:value]``, ``{{key:value}}``, ``- [[key:value]]``),
    or, with every tag deleted, two questions of one template.  Anything
    inside a fenced code block is not read, so a README that shows a tag in
    a code block is still skipped, as are the archive's pages that are not
    forms (``[[type:blog]]``, ``publications``, ``story``, ``tactics``,
    ``tools``, ``principles``, ``skills``: the ``skip-types`` setting).
    Skipped files are counted in the summary.

Suppression comments
    ``<!-- alplint-disable-next-line ALP601 -->`` silences the line under
    it; ``<!-- alplint-disable ALP601 -->`` ... ``<!-- alplint-enable
    ALP601 -->`` the lines between; ``<!-- alplint-disable-file ALP601 -->``
    the whole file.  Rules are named by code, name or prefix, separated by
    spaces or commas; without any, every rule.  ``enable`` with rules
    enables just those again, even after a ``disable`` of every rule.  Text
    after ``--`` is a reason and silences nothing.  The comment must stand
    on a line of its own, outside code blocks.

ALP101 unreadable-file
    The file cannot be decoded as text: it is not UTF-8 (with or without a
    byte-order mark) or UTF-16 with a byte-order mark, or it is binary.  The
    message says where the first bad byte is.  Save the file as UTF-8.
    Other files are still checked.

Failing example (bytes, saved in Latin-1)::

    # Caf\\xe9
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Café
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP102 missing-title
    The first non-blank line must be the title, a ``# Title`` heading: it
    is how the form is named in the archive.  A title written on the line
    after a lone ``#`` shows as an empty title: ``--fix`` moves it up.

Failing example::

    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP103 malformed-tag
    A line that starts like a tag (``[[``) but is not ``[[key:value]]``:
    no colon, no closing ``]]``, or a key that is not lower-case letters and
    ``_`` (an invisible character or a space in the key is named, and
    deleted by ``--fix``).  Among the tags at the top of the form, a
    near-miss such as ``[key:value]``, ``{{key:value}}`` or ``- [[key:value]]``
    is one too (``--fix`` writes ``[[key:value]]``).  The platform does not
    read such a line as a tag.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:markets]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:markets]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP104 unbalanced-group
    A ``<div class="group">`` without its ``</div>``, or a ``</div>`` that
    closes nothing.  An unclosed group is taken to end at the next group,
    question or section heading, so the rest of the form is still checked.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > What did you learn?

    <div class="group">

    > Sense

    25%

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > What did you learn?

    <div class="group">

    > Sense

    25%

    </div>

ALP105 unknown-form
    alplint cannot tell which template the form follows: there is no
    ``[[type:...]]`` tag, the type is not one a schema knows, or the form
    has none of the questions of its type's templates.  Only the generic
    checks run (title, tag syntax, locations, Markdown).

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experimint]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP106 invalid-directive
    A comment that starts with ``alplint`` but cannot be obeyed: an
    unknown verb (``alplint-disable-nextline``), an unknown rule
    (``ALP4O1``), a comment that is no directive (``alplint disable``), or
    one written on a line with other text.  It silences nothing: a misspelt
    verb no longer silences every rule for the rest of the file.  The
    message names the wrong word and the closest right one.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    <!-- alplint-disable-nextline ALP601 -->
    ![A street market](https://example.org/market.png)

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    <!-- alplint-disable-next-line ALP601 -->
    ![](https://example.org/market.png)

ALP107 unused-suppression
    A suppression comment, or one of the rules it names, that silenced
    nothing: the problem it was written for is gone, or it stands one line
    too far from it.  Off by default (select it, or ``ALL``); a comment
    that silenced nothing is deleted by ``--fix``.  Rules that do not run
    are not judged, and this rule's problems cannot be suppressed.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    <!-- alplint-disable-next-line ALP601 -->
    ![A street market](https://example.org/market.png)

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    <!-- alplint-disable-next-line ALP601 -->
    ![](https://example.org/market.png)

ALP108 control-character
    An invisible control character in the text, such as U+0002 left
    inside words by text copied from a PDF (``--fix`` deletes it, or
    writes a space for a line or page break character), or a carriage
    return hidden inside a title, a tag, a heading or a question line,
    which splits the line in two on the site.  (Inside an answer a
    carriage return is read as the line break it was meant to be.)
    No-break and zero-width spaces are harmless and not reported.

Failing example (bytes, a control character)::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    Sold at the National Uni\\x02versity.

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    Sold at the National University.

ALP109 unclosed-code-block
    A fenced code block (a line of three or more backticks or tildes) that
    no fence closes: the site shows the rest of the form as code.  alplint
    reads the rest of the form as text, so it is still checked.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    ```
    price = 3

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

    > Notes

    ```
    price = 3
    ```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from alplint.model import Form
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.template import Binding

RULES = (
    Rule("ALP101", "unreadable-file", "error", "The file cannot be decoded as text"),
    Rule(
        "ALP102", "missing-title", "error", "The first non-blank line is not a # Title heading", fixable=True
    ),
    Rule(
        "ALP103",
        "malformed-tag",
        "error",
        "A line that starts like a tag but is not [[key:value]]",
        fixable=True,
    ),
    Rule("ALP104", "unbalanced-group", "error", "A group without its </div>, or a stray </div>"),
    Rule("ALP105", "unknown-form", "error", "No template of a known form type fits the form"),
    Rule("ALP106", "invalid-directive", "warning", "An alplint comment with an unknown verb or rule"),
    Rule(
        "ALP107",
        "unused-suppression",
        "warning",
        "A suppression comment that silenced nothing (off by default)",
        fixable=True,
        default=False,
    ),
    Rule(
        "ALP108", "control-character", "warning", "An invisible control character in the text", fixable=True
    ),
    Rule("ALP109", "unclosed-code-block", "error", "A code block (```) that is never closed"),
)
OPTIONS: Mapping[str, Option] = {}


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    for error in form.errors:
        repair = error.repair
        fix = None
        if repair is not None:
            edits = tuple(Edit.replace(span, content) for span, content in repair.edits)
            fix = Fix(repair.description, "safe" if repair.safe else "unsafe", edits)
        yield Problem.at(
            error.span,
            error.code,
            error.message,
            fix=fix,
            subject=error.subject or error.message,
            mistake=error.mistake,
        )
