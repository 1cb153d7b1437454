"""A quick "is this valid?" for the schemas of common shape, so that a run over valid forms does not
import jsonschema (a fifth of a second of every start-up).

``compile_check(schema)`` gives a check only when the schema uses nothing but the keywords below (and
annotations). The check answers True only when jsonschema (Draft 2020-12 with alplint's
``x-not-after-current-year``) would find the instance valid; False means "invalid, or not known": the
caller then asks jsonschema, whose errors give the messages. It knows the instances a tag set or a
configuration is made of (text, integers, booleans, null, lists and tables of them) and answers False
for any other (a float, a date), so that JSON Schema's subtleties of numbers are jsonschema's alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

NOT_AFTER_CURRENT_YEAR = "x-not-after-current-year"
# Keywords jsonschema does not validate with (besides alplint's own ``x-`` annotations).
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$comment",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}
_KNOWN = (str, int, type(None), list, dict)  # bool is an int


def _known(value: Any) -> bool:
    """Whether the checks know ``value``'s kind (a float or a date is left to jsonschema)."""
    return isinstance(value, _KNOWN)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _equal_scalar(allowed: Any, value: Any) -> bool:
    """jsonschema's ``equal(allowed, value)`` for a known scalar ``value``: 1 is not True, "1" is not 1."""
    if isinstance(value, str):
        return isinstance(allowed, str) and allowed == value
    if isinstance(value, bool) or value is None:
        return allowed is value
    return isinstance(allowed, int | float) and not isinstance(allowed, bool) and allowed == value


def _unique(values: list[Any]) -> bool | None:
    """Whether the values are distinct as jsonschema counts them; None when they are not all text or
    integers (jsonschema's rules for booleans, lists and tables are its own)."""
    if not all(isinstance(value, str) or _integer(value) for value in values):
        return None
    return len(set(values)) == len(values)


def _type(value: Any, schema: Mapping[str, Any]) -> Check | None:
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str) and name in _TYPES for name in names):
        return None
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda instance: any(test(instance) for test in tests)


def _enum(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, list):
        return None
    allowed = tuple(value)
    return lambda instance: (
        not isinstance(instance, list | dict) and any(_equal_scalar(each, instance) for each in allowed)
    )


def _const(value: Any, schema: Mapping[str, Any]) -> Check | None:
    return lambda instance: not isinstance(instance, list | dict) and _equal_scalar(value, instance)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _min_length(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not _number(value):
        return None
    return lambda instance: not isinstance(instance, str) or len(instance) >= value


def _pattern(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, str):
        return None
    try:
        # jsonschema calls re.search(pattern, instance): the same engine, flags and semantics.
        search = re.compile(value).search
    except re.error:
        return None
    return lambda instance: not isinstance(instance, str) or search(instance) is not None


def _minimum(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not _number(value):
        return None
    return lambda instance: not _integer(instance) or instance >= value


def _not_after_current_year(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not value:
        return _always
    from alplint import schema as schema_module  # read at check time: the tests set the year

    return lambda instance: not _integer(instance) or instance <= schema_module.current_year()


def _min_items(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not _number(value):
        return None
    return lambda instance: not isinstance(instance, list) or len(instance) >= value


def _max_items(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not _number(value):
        return None
    return lambda instance: not isinstance(instance, list) or len(instance) <= value


def _unique_items(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not value:
        return _always
    return lambda instance: not isinstance(instance, list) or _unique(instance) is True


def _items(value: Any, schema: Mapping[str, Any]) -> Check | None:
    item = compile_check(value)
    if item is None:
        return None
    return lambda instance: not isinstance(instance, list) or all(item(each) for each in instance)


def _required(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, list):
        return None
    names = tuple(value)
    return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)


def _properties(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, Mapping):
        return None
    checks: list[tuple[Any, Check]] = []
    for name, subschema in value.items():
        check = compile_check(subschema)
        if check is None:
            return None
        if check is not _always:
            checks.append((name, check))
    return lambda instance: (
        not isinstance(instance, dict)
        or all(check(instance[name]) for name, check in checks if name in instance)
    )


def _additional_properties(value: Any, schema: Mapping[str, Any]) -> Check | None:
    declared = schema.get("properties", {})
    if not isinstance(declared, Mapping):
        return None
    check = compile_check(value)
    if check is None:
        return None
    return lambda instance: (
        not isinstance(instance, dict)
        or all(check(item) for key, item in instance.items() if key not in declared)
    )


def _property_names(value: Any, schema: Mapping[str, Any]) -> Check | None:
    check = compile_check(value)
    if check is None:
        return None
    return lambda instance: not isinstance(instance, dict) or all(check(key) for key in instance)


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any]], Check | None]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minLength": _min_length,
    "pattern": _pattern,
    "minimum": _minimum,
    NOT_AFTER_CURRENT_YEAR: _not_after_current_year,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "items": _items,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
}


def compile_check(schema: Any) -> Check | None:
    """A quick check of ``schema`` (True: valid as jsonschema judges it), or None when the schema uses a
    keyword the quick checks do not know."""
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, Mapping):
        return None
    checks: list[Check] = []
    for name, value in schema.items():
        if name in ANNOTATIONS or (name.startswith("x-") and name != NOT_AFTER_CURRENT_YEAR):
            continue
        build = _KEYWORDS.get(name)
        check = build(value, schema) if build is not None else None
        if check is None:
            return None
        if check is not _always:
            checks.append(check)
    if not checks:
        return _known
    if len(checks) == 1:
        only = checks[0]
        return lambda instance: _known(instance) and only(instance)
    return lambda instance: _known(instance) and all(check(instance) for check in checks)
