"""Tags (ALP2): the ``[[key:value]]`` lines at the top of a form.

Which tags a form needs, how often, and what their values look like comes
from the ``tags`` JSON Schema of the form's schema file; this family runs
that schema and turns each validation error into a problem at the line and
column of the tag concerned (or at the title, for a tag that is missing).
Values are compared tidied: surrounding and doubled spaces and a trailing
``,`` ``;`` ``.`` are an ALP207 matter, not a reason to reject the value too.

ALP201 missing-tag
    A tag the schema requires is absent: every form needs ``focal_point``,
    ``year``, ``type`` and a location (``country`` with its ``latlng``);
    learning plans also need ``datasources`` and ``methods``.  Without them
    the platform cannot file or find the form.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP202 repeated-tag
    A single-valued tag (``year``, ``type``, ``focal_point``) is given more
    than once with different values: which one is meant?

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2023]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP203 empty-tag
    ``[[key:]]``: a tag with nothing after the colon says nothing.  Fill it
    in or delete the line.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas: ]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:land management]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP204 invalid-tag-value
    The value breaks the schema: a year that is not a 4-digit year from
    2019 up to the current year, a focal point that is not an e-mail
    address, an SDG number outside 1-17, a value outside the schema's list.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana at undp]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP205 unknown-tag
    A key the form's schema does not declare, usually a typo
    (``datasource`` for ``datasources``): the platform ignores it, so the
    information is lost.  Experiments carry platform metadata tags and are
    exempt.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[sdg:13. Climate action]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[sdgs:13. Climate action]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP206 duplicate-tag-value
    The same key and value twice (ignoring case and surrounding spaces).
    The fix deletes the later line.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:Climate Finance]]
    [[thematic_areas:climate finance]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:Climate Finance]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP207 untidy-tag-value
    Spaces around the value, doubled spaces inside it, or a trailing ``,``
    ``;`` or ``.`` left over from typing a list: the same value then counts
    as a different one in the archive's statistics.  The fix tidies it.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:green transition,]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:green transition]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP208 sdg-mismatch
    An ``sdgs`` value must be ``N. Name`` with the official name of goal N
    (case and ``and``/``&`` aside).  When the number is clear and the name
    is a near miss (``10. Reduced innequalities``) the fix writes the
    official name.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[sdgs:10. Reduced innequalities]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[sdgs:10. Reduced inequalities]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from alplint.model import Form, Tag
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.template import Binding

RULES = (
    Rule("ALP201", "missing-tag", "error", "A tag the schema requires is absent"),
    Rule("ALP202", "repeated-tag", "error", "A single-valued tag is given more than once"),
    Rule("ALP203", "empty-tag", "error", "A tag has an empty value"),
    Rule("ALP204", "invalid-tag-value", "error", "A tag value breaks the schema"),
    Rule("ALP205", "unknown-tag", "warning", "A tag key the form's schema does not declare"),
    Rule("ALP206", "duplicate-tag-value", "warning", "The same tag and value twice", fixable=True),
    Rule(
        "ALP207",
        "untidy-tag-value",
        "warning",
        "Stray spaces or trailing punctuation in a tag value",
        fixable=True,
    ),
    Rule(
        "ALP208",
        "sdg-mismatch",
        "warning",
        "An SDG that is not written as its official number and name",
        fixable=True,
    ),
)
OPTIONS: Mapping[str, Option] = {}

SDG_GOALS = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
# A name this close to the official one is a typo, safe to repair.
SDG_NEAR_MISS = 0.75

_INNER_SPACES = re.compile(r"\s{2,}")
_SDG = re.compile(r"(?P<number>\d+)\s*(?P<dot>[.)]?)\s*(?P<name>.*)", re.DOTALL)
# Schema keywords whose failure means "a wrong value", reported as ALP204.
_VALUE_KEYWORDS = {
    "pattern",
    "const",
    "enum",
    "type",
    "minimum",
    "maximum",
    "format",
    "x-not-after-current-year",
}


def tidy(value: str) -> str:
    tidied = _INNER_SPACES.sub(" ", value.strip())
    while tidied and tidied[-1] in ",;.":
        tidied = tidied[:-1].rstrip()
    return tidied


def _comparable(value: str) -> str:
    return tidy(value).casefold()


def _instance_value(key: str, value: str) -> str | int:
    return int(value) if key == "year" and value.isdigit() and len(value) == 4 else value


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    blank = [tag for tag in form.tags if not tidy(tag.value)]
    for tag in blank:
        yield Problem.at(
            tag.span,
            "ALP203",
            f'The tag "{tag.key}" has no value: write one after the colon, or delete the line',
            subject=f"{tag.key}:",
        )
    yield from _untidy(form)
    yield from _duplicates(form)
    if binding is not None:
        yield from _schema_problems(form, binding, {id(tag) for tag in blank})
    yield from _sdgs(form)


def _untidy(form: Form) -> Iterator[Problem]:
    for tag in form.tags:
        tidied = tidy(tag.value)
        if tidied and tidied != tag.value:
            yield Problem.at(
                tag.value_span,
                "ALP207",
                f'The {tag.key} value "{tag.value}" has stray spaces or punctuation; write "{tidied}"',
                fix=Fix(f'Write "{tidied}"', "safe", (Edit.replace(tag.value_span, tidied),)),
                subject=f"{tag.key}:{tidied}",
            )


def _duplicates(form: Form) -> Iterator[Problem]:
    seen: dict[tuple[str, str], Tag] = {}
    for tag in form.tags:
        value = _comparable(tag.value)
        if not value:
            continue
        first = seen.setdefault((tag.key, value), tag)
        if first is not tag:
            yield Problem.at(
                tag.span,
                "ALP206",
                f'The tag "{tag.key}: {tidy(tag.value)}" repeats line {first.span.line}; delete this line',
                fix=Fix("Delete the repeated tag line", "safe", (Edit.delete_line(tag.span.line),)),
                subject=f"{tag.key}:{tidy(tag.value)}",
            )


def _schema_problems(form: Form, binding: Binding, blank: set[int]) -> Iterator[Problem]:
    template = binding.template
    by_key: dict[str, list[Tag]] = {}
    for tag in form.tags:
        by_key.setdefault(tag.key, []).append(tag)
    instance = {key: [_instance_value(key, tidy(tag.value)) for tag in tags] for key, tags in by_key.items()}
    properties = template.tag_schema.get("properties", {})
    reported: set[tuple[str, int]] = set()
    reported_keywords: set[str] = set()
    for error in template.tag_validator.iter_errors(instance):
        path = list(error.absolute_path)
        keyword = error.validator
        if not path:
            # jsonschema reports "required" once per missing key, each naming all of them.
            if keyword not in reported_keywords:
                reported_keywords.add(keyword)
                yield from _object_problem(form, error, keyword, instance, by_key, properties)
            continue
        key = path[0]
        tags = by_key.get(key, [])
        if len(path) == 1:
            if keyword == "maxItems":
                yield from _repeated(key, tags, error.validator_value)
            elif keyword == "minItems":
                yield Problem.at(
                    form.title_span,
                    "ALP201",
                    f'The form needs at least {error.validator_value} "{key}" tags; it has {len(tags)}',
                    subject=f"{key}",
                )
            continue
        index = path[1] if isinstance(path[1], int) else 0
        if index >= len(tags) or id(tags[index]) in blank or (key, index) in reported:
            continue
        reported.add((key, index))
        tag = tags[index]
        expected = _expected(properties.get(key, {}), error)
        yield Problem.at(
            tag.value_span,
            "ALP204",
            f'The {key} value "{tidy(tag.value)}" is not valid: expected {expected}',
            subject=f"{key}:{tidy(tag.value)}",
        )


def _expected(property_schema: Mapping[str, Any], error: Any) -> str:
    items = property_schema.get("items", {})
    described = items.get("x-expected") if isinstance(items, Mapping) else None
    if described:
        return str(described)
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return "one of " + ", ".join(f'"{value}"' for value in allowed)
    if error.validator in _VALUE_KEYWORDS:
        return f"a value that matches the schema ({error.message})"
    return error.message


def _repeated(key: str, tags: list[Tag], allowed: int) -> Iterator[Problem]:
    seen: set[str] = set()
    kept = 0
    for tag in tags:
        value = _comparable(tag.value)
        if value in seen:
            continue  # an exact repeat is ALP206's, with a fix
        seen.add(value)
        kept += 1
        if kept > allowed:
            first = tags[0]
            yield Problem.at(
                tag.span,
                "ALP202",
                f'The form gives "{key}" more than once: "{tidy(tag.value)}" here and '
                f'"{tidy(first.value)}" on line {first.span.line}; keep only one',
                subject=f"{key}:{tidy(tag.value)}",
            )


def _object_problem(
    form: Form,
    error: Any,
    keyword: str,
    instance: Mapping[str, Any],
    by_key: Mapping[str, list[Tag]],
    properties: Mapping[str, Any],
) -> Iterator[Problem]:
    if keyword == "required":
        for key in error.validator_value:
            if key not in instance:
                items = properties.get(key, {}).get("items", {})
                example = items.get("x-expected") if isinstance(items, Mapping) else None
                hint = f" ({example})" if example else ""
                yield Problem.at(
                    form.title_span,
                    "ALP201",
                    f'The form has no "{key}" tag; add a line "[[{key}:...]]"{hint}',
                    subject=key,
                )
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        declared = list(properties)
        for key, tags in by_key.items():
            if key in properties:
                continue
            close = difflib.get_close_matches(key, declared, n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else "; known tags: " + ", ".join(declared)
            for tag in tags:
                yield Problem.at(
                    tag.key_span,
                    "ALP205",
                    f'The tag "{key}" is not one this form type uses{hint}',
                    subject=f"{key}",
                )
    else:
        yield Problem.at(form.title_span, "ALP204", f"The tags break the schema: {error.message}")


def _sdg_name_key(name: str) -> str:
    return " ".join(name.replace("&", " and ").casefold().split())


_SDG_KEYS = {_sdg_name_key(name): number for number, name in SDG_GOALS.items()}


def _sdgs(form: Form) -> Iterator[Problem]:
    for tag in form.tag_values("sdgs"):
        value = tidy(tag.value)
        match = _SDG.fullmatch(value)
        if match is None:
            continue  # no goal number at all: the schema's pattern reports it (ALP204)
        number = int(match["number"])
        official = SDG_GOALS.get(number)
        if official is None:
            continue  # a number outside 1-17 is ALP204
        name = match["name"].strip()
        expected = f"{number}. {official}"
        name_key = _sdg_name_key(name)
        if name_key == _sdg_name_key(official) and match["dot"] == "." and value.startswith(f"{number}. "):
            continue
        near = (
            not name
            or name_key == _sdg_name_key(official)
            or (difflib.SequenceMatcher(None, name_key, _sdg_name_key(official)).ratio() >= SDG_NEAR_MISS)
        )
        if near:
            yield Problem.at(
                tag.value_span,
                "ALP208",
                f'The SDG "{value}" is not written as the official goal: write "{expected}"',
                fix=Fix(f'Write "{expected}"', "safe", (Edit.replace(tag.value_span, expected),)),
                subject=f"sdgs:{value}",
            )
            continue
        other = _SDG_KEYS.get(name_key)
        hint = f'; "{name}" is goal {other}, "{other}. {SDG_GOALS[other]}"' if other else ""
        yield Problem.at(
            tag.value_span,
            "ALP208",
            f'The SDG "{value}" does not match: goal {number} is "{expected}"{hint}',
            subject=f"sdgs:{value}",
        )
