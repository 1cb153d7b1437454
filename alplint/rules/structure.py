"""Reading the file (ALP1): what must hold before a form can be checked at all.

The parser reports these as values while it reads (it never stops at the
first broken line); ALP101 comes from decoding the file and ALP105 from
choosing its template, both before any other rule runs.

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
    is how the form is named in the archive.

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
    ``_``.  The platform does not read such a line as a tag.

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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from alplint.model import Form
from alplint.problem import Problem
from alplint.rules import Option, Rule
from alplint.template import Binding

RULES = (
    Rule("ALP101", "unreadable-file", "error", "The file cannot be decoded as text"),
    Rule("ALP102", "missing-title", "error", "The first non-blank line is not a # Title heading"),
    Rule("ALP103", "malformed-tag", "error", "A line that starts like a tag but is not [[key:value]]"),
    Rule("ALP104", "unbalanced-group", "error", "A group without its </div>, or a stray </div>"),
    Rule("ALP105", "unknown-form", "error", "No template of a known form type fits the form"),
)
OPTIONS: Mapping[str, Option] = {}


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    for error in form.errors:
        yield Problem.at(error.span, error.code, error.message, subject=error.subject or error.message)
