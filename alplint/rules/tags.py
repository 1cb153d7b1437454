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
    in; a tag the form does not need may also be deleted.

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
    The fix deletes the later line.  Repeated ``country``/``latlng`` pairs
    are not duplicates: the exporter writes one pair per location, and two
    places in one country get the same pair (the country's centre point).

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
    as a different one in the archive's statistics.  The fix tidies it.  A
    web address only loses the spaces around it: its last ``.`` may belong
    to it.  A
    ``latlng`` that tidying would not make valid (``14.08,``) is ALP301's
    alone: one mistake, one problem.

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
    official name.  In an export, the platform's own label for a goal is
    ALP210's instead.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[sdgs:10. Reduced inequality]]
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

ALP209 tag-unreadable-by-site
    The archive site's page script recognises a tag only when everything
    between ``[[`` and ``]]`` is an unaccented letter, a digit, ``_``, white
    space or one of ``: . - / … & ( ) " ' , @ % ~ # =``.  Any other
    character (an accented letter, ``?``, a curly apostrophe, a backslash)
    leaves the tag on the page as raw text and out of the site's lists and
    filters.  The message names the characters at fault.  A warning: the
    platform itself reads the tag, but the archive loses it.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:economía circular]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[thematic_areas:economia circular]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP210 platform-sdg-label
    The platform's own label for a goal where it differs from the official
    name: every export that tags SDG 10 says ``10. Reduced innequalities``,
    because that is how the platform spells it.  No author can change it,
    so it is a note (counted in the summary, not listed).  Of the 17 labels
    the platform writes, only goal 10's differs from the official name.  In
    a hand-written draft the same value is ALP208, with its fix.

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
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from alplint.geo.coordinates import parse_latlng
from alplint.i18n import Message, _, ngettext
from alplint.model import Form, Tag
from alplint.problem import Edit, Fix, Problem
from alplint.quickcheck import ANNOTATIONS
from alplint.rules import Option, Rule
from alplint.suggest import closest
from alplint.template import Binding, Template

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
    Rule(
        "ALP209",
        "tag-unreadable-by-site",
        "warning",
        "A tag with a character the archive site's page script does not accept",
    ),
    Rule(
        "ALP210", "platform-sdg-label", "note", "The platform's own misspelt label for an SDG, in an export"
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
# The platform's labels that differ from the official names, as every export writes them (the
# archive's 17 distinct sdgs values: the other 16 are the official names).
PLATFORM_SDG_LABELS = {10: "Reduced innequalities"}
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
# What the archive site's page script (public/js/parsers.mjs, gh-pages) accepts between [[ and ]]:
# /\[\[[\w:.\-\/\d\s…&\(\)\"'_,@%~#=]*\]\]/ -- JavaScript's \w is ASCII only, its \s is Unicode white space.
_SITE_WHITE_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)
SITE_TAG_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
    + ":.-/…&()\"',@%~#="
    + _SITE_WHITE_SPACE
)
_SITE_UNREADABLE = re.compile("[^" + re.escape("".join(sorted(SITE_TAG_CHARACTERS))) + "]")


@lru_cache(maxsize=8192)
def tidy(value: str) -> str:
    """The value without stray spaces and trailing list punctuation; a web address loses spaces only
    (its last "." or "," may belong to it, as in a link to a text fragment)."""
    stripped = value.strip()
    if stripped.startswith(("http://", "https://", "www.")):
        return stripped
    tidied = _INNER_SPACES.sub(" ", stripped)
    while tidied and tidied[-1] in ",;.":
        tidied = tidied[:-1].rstrip()
    return tidied


def _comparable(value: str) -> str:
    return tidy(value).casefold()


# Longer runs of digits are no number a tag's schema means (and int() refuses 4,300 digits and more).
_MAX_DIGITS = 18


def _reads_numbers(property_schema: Any) -> bool:
    """Whether a tag's schema allows its values to be integers (``year``: ``type: [integer, string]``)."""
    items = property_schema.get("items") if isinstance(property_schema, Mapping) else None
    kind = items.get("type") if isinstance(items, Mapping) else None
    return kind == "integer" or (isinstance(kind, list) and "integer" in kind)


def _instance_value(value: str, numbers: bool) -> str | int:
    """A tag's value as its schema reads it: digits are the number they write where the schema allows
    integers (so that ``minimum`` applies), text otherwise."""
    return int(value) if numbers and value.isdecimal() and len(value) <= _MAX_DIGITS else value


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    template = binding.template if binding is not None else None
    required = _required_keys(template)
    # Each value tidied once, in the order of form.tags.
    tidied = [tidy(tag.value) for tag in form.tags]
    blank = [tag for tag, value in zip(form.tags, tidied, strict=True) if not value]
    filled = {tag.key for tag, value in zip(form.tags, tidied, strict=True) if value}
    for tag in blank:
        # A required tag must not be deleted, unless another line of the same key holds a value.
        if tag.key in required and tag.key not in filled:
            message = _('The tag "{key}" has no value: write its value after the colon', key=tag.key)
        else:
            message = _(
                'The tag "{key}" has no value: write one after the colon, or delete the line', key=tag.key
            )
        yield Problem.at(tag.span, "ALP203", message, subject=f"{tag.key}:")
    duplicates = list(_duplicates(form, tidied))
    yield from duplicates
    yield from _untidy(form, tidied, {problem.line for problem in duplicates})
    if template is not None:
        yield from _schema_problems(form, tidied, template, {id(tag) for tag in blank})
    yield from _sdgs(form, tidied)
    yield from _unreadable_by_site(form, tidied)


def _required_keys(template: Template | None) -> frozenset[str]:
    if template is None:
        return frozenset()
    return _required_by_schema(template)


@lru_cache(maxsize=64)
def _required_by_schema(template: Template) -> frozenset[str]:
    schema = template.tag_schema
    keys = set(schema.get("required", ()))
    for key, property_schema in schema.get("properties", {}).items():
        if isinstance(property_schema, Mapping) and property_schema.get("minItems", 0) >= 1:
            keys.add(key)
    return frozenset(keys)


def _untidy(form: Form, values: list[str], duplicate_lines: set[int]) -> Iterator[Problem]:
    """ALP207; on a line that repeats an earlier tag it is a second reading of that mistake (ALP206's),
    and so it is where a hidden line break splits the value (ALP108's, from the parser)."""
    for tag, tidied in zip(form.tags, values, strict=True):
        if not tidied or tidied == tag.value:
            continue
        if tag.key == "latlng" and parse_latlng(tidied) is None:
            continue  # still no location once tidied: ALP301 reports it, quoting what was written
        yield Problem.at(
            tag.value_span,
            "ALP207",
            _(
                'The {key} value "{value}" has stray spaces or punctuation; write "{tidied}"',
                key=tag.key,
                value=tag.value,
                tidied=tidied,
            ),
            fix=Fix(_('Write "{tidied}"', tidied=tidied), "safe", (Edit.replace(tag.value_span, tidied),)),
            subject=f"{tag.key}:{tidied}",
            mistake=tag.mistake if tag.span.line in duplicate_lines or "\r" in tag.value else "",
        )


def _duplicates(form: Form, values: list[str]) -> Iterator[Problem]:
    # The exporter writes one country/latlng pair per location: two places in one country repeat it.
    paired = {
        id(tag)
        for location in form.locations
        if location.country is not None and location.latlng is not None
        for tag in (location.country, location.latlng)
    }
    seen: dict[tuple[str, str], Tag] = {}
    for tag, tidied in zip(form.tags, values, strict=True):
        if not tidied or id(tag) in paired:
            continue
        value = tidied.casefold()
        first = seen.setdefault((tag.key, value), tag)
        if first is not tag:
            if tag.value == first.value:
                message = _(
                    'The tag "{key}: {value}" repeats line {line}; delete this line',
                    key=tag.key,
                    value=tidied,
                    line=first.span.line,
                )
            else:
                message = _(
                    'The tag "{key}: {value}" repeats "{first}" of line {line}, written with other spacing, '
                    "case or punctuation; delete this line",
                    key=tag.key,
                    value=tag.value,
                    first=first.value,
                    line=first.span.line,
                )
            yield Problem.at(
                tag.span,
                "ALP206",
                message,
                fix=Fix(_("Delete the repeated tag line"), "safe", (Edit.delete_line(tag.span.line),)),
                subject=f"{tag.key}:{tidied}",
                mistake=tag.mistake,
            )


@dataclass(frozen=True, slots=True)
class _SchemaError:
    """What the report needs of a jsonschema error: it can be cached and reused across forms."""

    path: tuple[str | int, ...]
    validator: str
    validator_value: Any
    message: str


class _PropertyErrors:
    """The errors of each distinct tag value, computed once per run.

    An archive repeats the same tag values in thousands of forms, and
    jsonschema builds several validators for each array it checks.  A tag's
    schema is an array of values: when it says no more than ``type``,
    ``minItems``, ``maxItems`` and ``items`` (annotations aside), each value is
    validated against ``items`` once per run, and the array's own keywords
    only when the count of values breaks them; any other schema is validated
    whole, once per distinct list of values.  The errors of each distinct list
    of values are kept too, so that a list seen before costs one look-up.
    Bounded: at most ``LIMIT`` entries of each kind, the least recently used
    (values) or the oldest (lists) dropped first.
    """

    LIMIT = 8192
    _ARRAY_KEYWORDS = frozenset({"type", "minItems", "maxItems", "items"})

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[int, str, Any], tuple[Any, list[_SchemaError]]] = OrderedDict()
        self._lists: OrderedDict[
            tuple[int, str, tuple[Any, ...], tuple[type, ...]], tuple[Any, list[_SchemaError]]
        ] = OrderedDict()

    def get(self, template: Template, key: str, values: Sequence[Any]) -> list[_SchemaError]:
        property_schema = template.tag_schema["properties"][key]
        # JSON Schema tells 1 from True and 1.0, a tuple of values does not: their types are compared too.
        signature = (id(property_schema), key, tuple(values), tuple(map(type, values)))
        entry = self._lists.get(signature)
        if entry is not None and entry[0] is property_schema:
            return entry[1]
        errors = self._errors(template, key, values, property_schema)
        if len(self._lists) >= self.LIMIT:
            self._lists.popitem(last=False)
        self._lists[signature] = (property_schema, errors)
        return errors

    def _errors(
        self, template: Template, key: str, values: Sequence[Any], property_schema: Any
    ) -> list[_SchemaError]:
        items = property_schema.get("items") if isinstance(property_schema, Mapping) else None
        if not isinstance(items, Mapping) or not self._plain_array(property_schema):
            return self._cached(
                property_schema,
                key,
                tuple(values),
                lambda: self._validate(template, values, property_schema, (key,)),
            )
        errors: list[_SchemaError] = []
        minimum = property_schema.get("minItems", 0)
        maximum = property_schema.get("maxItems", len(values))
        if not minimum <= len(values) <= maximum:
            without_items = {name: value for name, value in property_schema.items() if name != "items"}
            errors.extend(self._validate(template, values, without_items, (key,), quick=False))
        for index, value in enumerate(values):
            item_errors = self._cached(items, "", value, partial(self._validate, template, value, items, ()))
            errors.extend(
                _SchemaError((key, index, *error.path), error.validator, error.validator_value, error.message)
                for error in item_errors
            )
        return errors

    def _plain_array(self, schema: Mapping[str, Any]) -> bool:
        return schema.get("type") == "array" and all(
            name in self._ARRAY_KEYWORDS or name in ANNOTATIONS or name.startswith("x-") for name in schema
        )

    def _cached(
        self, schema: Any, key: str, value: Any, compute: Callable[[], list[_SchemaError]]
    ) -> list[_SchemaError]:
        cache_key = (id(schema), key, (type(value).__name__, value))
        entry = self._entries.get(cache_key)
        if entry is not None and entry[0] is schema:
            self._entries.move_to_end(cache_key)
            return entry[1]
        errors = compute()
        self._entries[cache_key] = (schema, errors)
        if len(self._entries) > self.LIMIT:
            self._entries.popitem(last=False)
        return errors

    @staticmethod
    def _validate(
        template: Template, instance: Any, schema: Any, path: tuple[str | int, ...], quick: bool = True
    ) -> list[_SchemaError]:
        """jsonschema's errors, unless the quick check finds the instance valid (``quick``: the schema
        is one of the template's own, not one made for this call)."""
        if isinstance(instance, tuple):
            instance = list(instance)
        if quick and template.tag_validation.valid(schema, instance):
            return []
        return [
            _SchemaError(
                (*path, *error.absolute_path), str(error.validator), error.validator_value, error.message
            )
            for error in template.tag_validator.descend(instance, schema)
        ]


_PROPERTY_ERRORS = _PropertyErrors()
_OBJECT_SCHEMAS: dict[int, tuple[Mapping[str, Any], Mapping[str, Any], bool]] = {}
# Keywords of the tag schema whose verdict on the set of tags, and its wording, depend on its keys alone
# (in order: jsonschema names unexpected keys in the order of the form), once each property's schema is
# ``true``.  Not so "minProperties", whose message quotes the whole set, values included.
_KEYS_ONLY = ANNOTATIONS | {"$id", "required", "properties", "propertyNames", "dependentRequired"}
# The object errors of each list of keys, for the tag schemas that judge keys alone.
_OBJECT_ERRORS: OrderedDict[tuple[int, tuple[str, ...]], tuple[Mapping[str, Any], list[_SchemaError]]] = (
    OrderedDict()
)


def _object_schema(template: Template) -> tuple[Mapping[str, Any], bool]:
    """The tag schema with each property's own schema replaced by ``true``: the checks of the whole set;
    and whether those checks read the keys of the set alone."""
    schema = template.tag_schema
    cached = _OBJECT_SCHEMAS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1], cached[2]
    object_schema = {**schema, "properties": dict.fromkeys(schema.get("properties", {}), True)}
    keys_only = all(
        name in _KEYS_ONLY
        or (name == "additionalProperties" and isinstance(value, bool))
        or (name == "type" and value == "object")
        for name, value in object_schema.items()
    )
    _OBJECT_SCHEMAS[id(schema)] = (schema, object_schema, keys_only)
    return object_schema, keys_only


def _object_errors(template: Template, instance: Mapping[str, list[Any]]) -> list[_SchemaError]:
    object_schema, keys_only = _object_schema(template)
    signature = (id(object_schema), tuple(instance))
    if keys_only:
        entry = _OBJECT_ERRORS.get(signature)
        if entry is not None and entry[0] is object_schema:
            return entry[1]
    if template.tag_validation.valid(object_schema, instance):
        errors: list[_SchemaError] = []
    else:
        errors = [
            _SchemaError(
                tuple(error.absolute_path), str(error.validator), error.validator_value, error.message
            )
            for error in template.tag_validator.evolve(schema=object_schema).iter_errors(instance)
        ]
    if keys_only:
        if len(_OBJECT_ERRORS) >= _PropertyErrors.LIMIT:
            _OBJECT_ERRORS.popitem(last=False)
        _OBJECT_ERRORS[signature] = (object_schema, errors)
    return errors


def _schema_errors(template: Template, instance: Mapping[str, list[Any]]) -> Iterator[_SchemaError]:
    """The errors ``template.tag_validator.iter_errors(instance)`` gives, each computed once per run."""
    yield from _object_errors(template, instance)
    for key in template.tag_schema.get("properties", {}):
        if key in instance:
            yield from _PROPERTY_ERRORS.get(template, key, instance[key])


def _schema_problems(form: Form, values: list[str], template: Template, blank: set[int]) -> Iterator[Problem]:
    by_key: dict[str, list[Tag]] = {}
    tidied_by_key: dict[str, list[str]] = {}
    for tag, tidied in zip(form.tags, values, strict=True):
        by_key.setdefault(tag.key, []).append(tag)
        tidied_by_key.setdefault(tag.key, []).append(tidied)
    properties = template.tag_schema.get("properties", {})
    instance: dict[str, list[Any]] = {}
    for key in by_key:
        numbers = _reads_numbers(properties.get(key))
        instance[key] = [_instance_value(value, numbers) for value in tidied_by_key[key]]
    reported: set[tuple[str, int]] = set()
    reported_keywords: set[str] = set()
    for error in _schema_errors(template, instance):
        path = error.path
        keyword = error.validator
        if not path:
            # jsonschema reports "required" once per missing key, each naming all of them.
            if keyword not in reported_keywords:
                reported_keywords.add(keyword)
                yield from _object_problem(form, error, keyword, instance, by_key, properties)
            continue
        key = str(path[0])
        tags = by_key.get(key, [])
        if len(path) == 1:
            if keyword == "maxItems":
                yield from _repeated(key, tags, error.validator_value)
            elif keyword == "minItems":
                yield Problem.at(
                    form.title_span,
                    "ALP201",
                    ngettext(
                        'The form needs at least {count} "{key}" tag; it has {found}',
                        'The form needs at least {count} "{key}" tags; it has {found}',
                        int(error.validator_value),
                        count=error.validator_value,
                        key=key,
                        found=len(tags),
                    ),
                    subject=f"{key}",
                )
            continue
        index = path[1] if isinstance(path[1], int) else 0
        if index >= len(tags) or id(tags[index]) in blank or (key, index) in reported:
            continue
        reported.add((key, index))
        tag = tags[index]
        yield Problem.at(
            tag.value_span,
            "ALP204",
            _(
                'The {key} value "{value}" is not valid: expected {expected}',
                key=key,
                value=tidy(tag.value),
                expected=_expected(properties.get(key, {}), error),
            ),
            subject=f"{key}:{tidy(tag.value)}",
        )


def _expected(property_schema: Mapping[str, Any], error: _SchemaError) -> str:
    items = property_schema.get("items", {})
    described = items.get("x-expected") if isinstance(items, Mapping) else None
    if described:
        return str(described)
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return _("one of {values}", values=", ".join(f'"{value}"' for value in allowed))
    if error.validator in _VALUE_KEYWORDS:
        return _("a value that matches the schema ({reason})", reason=error.message)
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
                _(
                    'The form gives "{key}" more than once: "{value}" here and "{first}" on line {line}; '
                    "keep only one",
                    key=key,
                    value=tidy(tag.value),
                    first=tidy(first.value),
                    line=first.span.line,
                ),
                subject=f"{key}:{tidy(tag.value)}",
            )


def _object_problem(
    form: Form,
    error: _SchemaError,
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
                if example:
                    message = _(
                        'The form has no "{key}" tag; add a line "[[{key}:...]]" ({example})',
                        key=key,
                        example=example,
                    )
                else:
                    message = _('The form has no "{key}" tag; add a line "[[{key}:...]]"', key=key)
                yield Problem.at(form.title_span, "ALP201", message, subject=key)
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        declared = list(properties)
        for key, tags in by_key.items():
            if key in properties:
                continue
            close = _close_keys(key, tuple(declared))
            hint: Message = (
                _('did you mean "{close}"?', close=close[0])
                if close
                else _("known tags: {known}", known=", ".join(declared))
            )
            for tag in tags:
                yield Problem.at(
                    tag.key_span,
                    "ALP205",
                    _('The tag "{key}" is not one this form type uses; {hint}', key=key, hint=hint),
                    subject=f"{key}",
                )
    else:
        yield Problem.at(
            form.title_span, "ALP204", _("The tags break the schema: {reason}", reason=error.message)
        )


@lru_cache(maxsize=1024)
def _close_keys(key: str, declared: tuple[str, ...]) -> list[str]:
    return closest(key, declared)


def _sdg_name_key(name: str) -> str:
    return " ".join(name.replace("&", " and ").casefold().split())


_SDG_KEYS = {_sdg_name_key(name): number for number, name in SDG_GOALS.items()}


def _sdgs(form: Form, values: list[str]) -> Iterator[Problem]:
    export = form.origin == "export"
    for tag, value in zip(form.tags, values, strict=True):
        if tag.key != "sdgs":
            continue
        verdict = _sdg_verdict(value, export)
        if verdict is None:
            continue
        code, message, repair = verdict
        fix = (
            Fix(_('Write "{expected}"', expected=repair), "safe", (Edit.replace(tag.value_span, repair),))
            if repair
            else None
        )
        yield Problem.at(
            tag.value_span,
            code,
            message,
            fix=fix,
            subject=f"sdgs:{value}",
        )


@lru_cache(maxsize=1024)
def _sdg_verdict(value: str, export: bool) -> tuple[str, Message, str] | None:
    """What is wrong with an SDG value (tidied): the code, the message and the repair ("" for none)."""
    match = _SDG.fullmatch(value)
    if match is None:
        return None  # no goal number at all: the schema's pattern reports it (ALP204)
    number = int(match["number"])
    official = SDG_GOALS.get(number)
    if official is None:
        return None  # a number outside 1-17 is ALP204
    name = match["name"].strip()
    expected = f"{number}. {official}"
    name_key = _sdg_name_key(name)
    if name_key == _sdg_name_key(official) and match["dot"] == "." and value.startswith(f"{number}. "):
        return None
    platform_label = PLATFORM_SDG_LABELS.get(number)
    if export and platform_label is not None and value == f"{number}. {platform_label}":
        return (
            "ALP210",
            _(
                'The SDG "{value}" is the platform\'s own label for goal {number}, which every export '
                'writes; the official name is "{expected}"',
                value=value,
                number=number,
                expected=expected,
            ),
            "",
        )
    near = (
        not name
        or name_key == _sdg_name_key(official)
        or (difflib.SequenceMatcher(None, name_key, _sdg_name_key(official)).ratio() >= SDG_NEAR_MISS)
    )
    if near:
        return (
            "ALP208",
            _(
                'The SDG "{value}" is not written as the official goal: write "{expected}"',
                value=value,
                expected=expected,
            ),
            expected,
        )
    other = _SDG_KEYS.get(name_key)
    if other:
        other_expected = f"{other}. {SDG_GOALS[other]}"
        message = _(
            'The SDG "{value}" does not match: goal {number} is "{expected}"; "{name}" is goal {other}, '
            '"{other_expected}"',
            value=value,
            number=number,
            expected=expected,
            name=name,
            other=other,
            other_expected=other_expected,
        )
    else:
        message = _(
            'The SDG "{value}" does not match: goal {number} is "{expected}"',
            value=value,
            number=number,
            expected=expected,
        )
    return "ALP208", message, ""


def _unreadable_by_site(form: Form, values: list[str]) -> Iterator[Problem]:
    for tag, tidied in zip(form.tags, values, strict=True):
        text = f"{tag.key}:{tag.value}"
        at_fault = _unreadable_characters(text) if len(text) <= _CACHED_LENGTH else _characters_at_fault(text)
        if not at_fault:
            continue
        shown = ", ".join(_show_character(character) for character in at_fault)
        yield Problem.at(
            tag.span,
            "ALP209",
            _(
                "The archive site cannot read this tag because of {characters}: its page script accepts only "
                "unaccented letters, digits, spaces and : . - / … & ( ) \" ' , @ % ~ # = between [[ and ]], so "
                "the site shows the tag as text and leaves it out of its lists",
                characters=shown,
            ),
            subject=f"{tag.key}:{tidied}",
        )


# Tags up to this long are judged once per run.
_CACHED_LENGTH = 200


def _characters_at_fault(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_SITE_UNREADABLE.findall(text)))


_unreadable_characters = lru_cache(maxsize=8192)(_characters_at_fault)


def _show_character(character: str) -> str:
    """A character as a message quotes it: invisible and space-like ones by their code point."""
    if character.isprintable() and not character.isspace():
        return f'"{character}"'
    return f"U+{ord(character):04X}"
