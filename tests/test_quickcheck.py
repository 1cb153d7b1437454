"""``alplint.quickcheck``: its verdict is jsonschema's wherever it gives one, so that a run over valid forms
need not import jsonschema; and a one-form run over a valid form does not."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alplint.config import CONFIG_SCHEMA
from alplint.quickcheck import compile_check
from alplint.schema import SchemaSet, tag_validator_class

ROOT = Path(__file__).resolve().parents[1]

# Text that the keywords tell apart: digits, e-mail addresses, numbered goals, spaces, astral characters
# (minLength counts code points), and whatever else hypothesis draws.
_TEXT = st.one_of(
    st.sampled_from(
        ["", "x", "2024", "20x4", "0999", "ana@undp.org", "ana at undp", "13. Climate action", "18. Space"]
    ),
    st.sampled_from(["solution", "experiment", "learningplan", "a b", "\U0001f600", "é", "1", "True"]),
    st.text(max_size=6),
    st.from_regex(r"\d{1,5}", fullmatch=True),
)
_INTEGER = st.one_of(st.integers(-3, 3), st.integers(2015, 2035), st.integers())
# What a tag set or a configuration is made of, where the quick verdict must equal jsonschema's.
_SCALAR = st.one_of(_TEXT, _INTEGER, st.booleans(), st.none())
_KNOWN = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(_TEXT, st.sampled_from(["a", "b"])), inner, max_size=4),
    ),
    max_leaves=10,
)
# Anything JSON or YAML gives: floats too, on which the quick check may only say "not known".
_ANY = st.recursive(
    st.one_of(_SCALAR, st.floats(allow_nan=True), st.sampled_from([1.0, 0.0, 2020.0, 2020.5])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=10,
)


def _text_or_integers(values: Any) -> bool:
    return isinstance(values, list) and all(
        isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)) for value in values
    )


def _exact(schema: Any, instance: Any) -> bool:
    """Whether the quick check must give jsonschema's verdict on ``instance`` (not merely a safe one):
    everywhere but a list or table compared by enum or const, and uniqueItems over lists of other than
    text and integers (jsonschema's own rules for those)."""
    if not isinstance(schema, Mapping):
        return True
    if isinstance(instance, list | dict) and ("enum" in schema or "const" in schema):
        return False
    if schema.get("uniqueItems") and isinstance(instance, list) and not _text_or_integers(instance):
        return False
    items = schema.get("items")
    if isinstance(instance, list) and not all(_exact(items, each) for each in instance):
        return False
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        for key, value in instance.items():
            inner = properties.get(key, schema.get("additionalProperties", True))
            if not _exact(inner, value) or not _exact(schema.get("propertyNames", True), key):
                return False
    return True


def _compare(schema: Any, instance: Any, exact: bool = True) -> None:
    check = compile_check(schema)
    assert check is not None
    valid = tag_validator_class()(schema).is_valid(instance)
    quick = check(instance)
    if quick:
        assert valid, f"quick check says valid, jsonschema does not: {instance!r}"
    if exact and _exact(schema, instance):
        assert quick == valid, f"quick {quick}, jsonschema {valid}: {instance!r}"


# One schema for each keyword the quick check knows, and a few together.
KEYWORD_SCHEMAS: dict[str, Any] = {
    "type string": {"type": "string"},
    "type integer": {"type": "integer"},
    "type number": {"type": "number"},
    "type boolean": {"type": "boolean"},
    "type null": {"type": "null"},
    "type array": {"type": "array"},
    "type object": {"type": "object"},
    "type list": {"type": ["integer", "string"]},
    "enum": {"enum": ["a", 1, True, None, 2.0, "1", [1], {"a": 1}]},
    "enum of false and zero": {"enum": [False, 0]},
    "const": {"const": 1},
    "const true": {"const": True},
    "const text": {"const": "learningplan"},
    "minLength": {"minLength": 2},
    "pattern": {"pattern": r"^\d{4}$"},
    "pattern searched": {"pattern": r"([1-9]|1[0-7])(?![0-9])"},
    "minimum": {"minimum": 2019},
    "minimum float": {"minimum": 0.5},
    "x-not-after-current-year": {"x-not-after-current-year": True},
    "x-not-after-current-year off": {"x-not-after-current-year": False},
    "minItems": {"minItems": 1},
    "maxItems": {"maxItems": 1},
    "uniqueItems": {"uniqueItems": True},
    "uniqueItems off": {"uniqueItems": False},
    "items": {"items": {"type": "string", "minLength": 1}},
    "items false": {"items": False},
    "required": {"required": ["a", "b"]},
    "properties": {"properties": {"a": {"type": "integer"}, "b": True, "c": False}},
    "additionalProperties false": {"properties": {"a": True}, "additionalProperties": False},
    "additionalProperties schema": {"properties": {"a": True}, "additionalProperties": {"type": "array"}},
    "propertyNames": {"propertyNames": {"minLength": 1, "pattern": "^[a-z]"}},
    "annotations": {"title": "t", "description": "d", "x-expected": "e", "$comment": "c"},
    "empty": {},
    "year": {
        "type": ["integer", "string"],
        "minLength": 1,
        "pattern": r"^\d{4}$",
        "minimum": 2019,
        "x-not-after-current-year": True,
    },
    "tag array": {
        "type": "array",
        "minItems": 1,
        "maxItems": 2,
        "uniqueItems": True,
        "items": {"type": "string"},
    },
}


@pytest.mark.parametrize("name", sorted(KEYWORD_SCHEMAS))
@settings(max_examples=100, deadline=None)
@given(instance=st.one_of(_SCALAR, st.lists(_SCALAR, max_size=4), _KNOWN))
def test_quick_verdict_is_jsonschemas_for_each_keyword(name: str, instance: Any) -> None:
    _compare(KEYWORD_SCHEMAS[name], instance)


@pytest.mark.parametrize("name", sorted(KEYWORD_SCHEMAS))
@settings(max_examples=30, deadline=None)
@given(instance=_ANY)
def test_quick_verdict_valid_only_when_jsonschema_agrees(name: str, instance: Any) -> None:
    _compare(KEYWORD_SCHEMAS[name], instance, exact=False)


@pytest.mark.parametrize(
    "instance",
    [True, False, 1.0, 2020.0, [1, True], ["1", 1], [1, 1.0], [[1], [True]], [{"a": 1}, {"a": True}], 1, "1"],
)
@pytest.mark.parametrize("name", ["type integer", "enum", "const", "uniqueItems", "minimum", "year"])
def test_quick_verdict_on_json_schemas_subtleties(name: str, instance: Any) -> None:
    """bool is no integer, 1 equals 1.0 but not True, "1" is not 1: named here, not left to chance."""
    _compare(KEYWORD_SCHEMAS[name], instance, exact=False)


@pytest.mark.parametrize(
    "schema",
    [
        {"format": "email"},
        {"maxLength": 3},
        {"$ref": "#/$defs/a", "$defs": {"a": {}}},
        {"items": {"contains": {"const": 1}}},
        {"properties": {"a": {"if": {}}}},
        {"additionalProperties": False, "patternProperties": {"^x": {}}},
        {"type": "decimal"},
        {"pattern": "("},
    ],
)
def test_other_keywords_are_left_to_jsonschema(schema: Any) -> None:
    assert compile_check(schema) is None


def test_the_year_is_read_when_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    check = compile_check({"x-not-after-current-year": True})
    assert check is not None
    monkeypatch.setattr("alplint.schema.current_year", lambda: 2030)
    assert check(2030) and not check(2031)
    monkeypatch.setattr("alplint.schema.current_year", lambda: 2020)
    assert not check(2021)


_BUILTIN = SchemaSet.load()
_TAG_SCHEMAS = {name: family.current.tag_schema for name, family in sorted(_BUILTIN.by_name.items())}
_TAG_VALUES = st.lists(st.one_of(_TEXT, _INTEGER), max_size=3)


@pytest.mark.parametrize("name", sorted(_TAG_SCHEMAS))
@settings(max_examples=150, deadline=None)
@given(
    drawn=st.dictionaries(
        st.one_of(
            st.sampled_from(["focal_point", "year", "type", "country", "datasources", "methods", "sdgs"]),
            st.sampled_from(["latlng", "thematic_areas", "unknown_key"]),
            st.text(max_size=4),
        ),
        _TAG_VALUES,
        max_size=8,
    ),
    valid_base=st.booleans(),
)
def test_quick_verdict_is_jsonschemas_for_each_builtin_tag_schema(
    name: str, drawn: dict[str, list[Any]], valid_base: bool
) -> None:
    schema = _TAG_SCHEMAS[name]
    form_type = next(iter(schema["properties"]["type"]["items"].get("enum", ["x"])), "x")
    form_type = schema["properties"]["type"]["items"].get("const", form_type)
    # Half the sets start from a valid one, so that valid sets are drawn as often as invalid ones.
    base: dict[str, list[Any]] = {}
    if valid_base:
        for key in schema.get("required", ()):
            base[key] = ["ana@undp.org"] if key == "focal_point" else [2024] if key == "year" else ["x"]
        if "type" in base:
            base["type"] = [form_type]
    instance = {**base, **drawn}
    _compare(schema, instance)
    for key, property_schema in schema["properties"].items():
        if key in instance:
            _compare(property_schema, instance[key])
            for value in instance[key]:
                _compare(property_schema.get("items", True), value)


def _run_one_form(form: Path) -> subprocess.CompletedProcess[str]:
    """``alplint FORM`` in a fresh interpreter, which says at exit whether jsonschema and yaml were imported."""
    script = (
        "import sys\n"
        "from alplint.cli import main\n"  # what `alplint` runs (which then ends the process at once)
        "main([sys.argv[1]])\n"
        "print('jsonschema' in sys.modules, 'yaml' in sys.modules, file=sys.stderr)\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "ALPLINT_CACHE_DIR"}
    return subprocess.run(
        [sys.executable, "-c", script, str(form)],
        capture_output=True,
        text=True,
        cwd=form.parent,  # the cache is kept there
        env={**environment, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def test_a_one_form_run_over_a_valid_form_does_not_import_jsonschema(tmp_path: Path) -> None:
    """The pre-commit case: the schemas were checked by an earlier run, the form was just edited."""
    form = tmp_path / "plan.md"
    form.write_text(
        (ROOT / "seeds" / "000_0895e367f9611072.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    first = _run_one_form(form)  # reads and checks the schema files: yaml and jsonschema
    assert first.stderr.strip().splitlines()[-1] == "True True", first.stderr
    form.write_text(form.read_text(encoding="utf-8") + "\nEdited once.\n", encoding="utf-8")
    done = _run_one_form(form)
    assert "ALP2" not in done.stdout, done.stdout  # the form's tags are valid
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr


def test_a_one_form_run_over_invalid_tags_reports_them_as_before(tmp_path: Path) -> None:
    form = tmp_path / "plan.md"
    text = (ROOT / "seeds" / "000_0895e367f9611072.txt").read_text(encoding="utf-8")
    form.write_text(text, encoding="utf-8")
    _run_one_form(form)
    form.write_text(text.replace("[[type:", "[[year:20x4]]\n[[type:", 1), encoding="utf-8")
    done = _run_one_form(form)
    assert 'ALP204 The year value "20x4" is not valid' in done.stdout, done.stdout
    assert done.stderr.strip().splitlines()[-1] == "True False", done.stderr


_SELECTOR = st.one_of(st.sampled_from(["ALP6", "unknown-tag", "ALP601", ""]), _TEXT)
_CONFIG_VALUE = st.one_of(
    st.lists(_SELECTOR, max_size=3),
    st.dictionaries(_SELECTOR, st.one_of(st.sampled_from(["error", "warning", "note"]), _SCALAR), max_size=3),
    st.dictionaries(_SELECTOR, st.one_of(st.lists(_SELECTOR, max_size=2), _SCALAR), max_size=3),
    st.sampled_from(["en", "es", "fr", "de"]),
    _SCALAR,
    st.floats(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(sorted(CONFIG_SCHEMA["properties"])),
            st.sampled_from(["tags", "location", "markdown"]),
            _TEXT,
            st.integers(0, 2),
        ),
        _CONFIG_VALUE,
        max_size=5,
    )
)
def test_quick_verdict_is_jsonschemas_for_the_configuration(data: dict[Any, Any]) -> None:
    _compare(CONFIG_SCHEMA, data)


def test_a_valid_configuration_is_read_without_jsonschema(tmp_path: Path) -> None:
    form = tmp_path / "plan.md"
    form.write_text(
        (ROOT / "seeds" / "000_0895e367f9611072.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    config = tmp_path / ".alplint.toml"
    config.write_text(
        'ignore = ["ALP6"]\nrespect-gitignore = true\n[severity]\nALP504 = "note"\n', encoding="utf-8"
    )
    _run_one_form(form)
    form.write_text(form.read_text(encoding="utf-8") + "\nEdited once.\n", encoding="utf-8")
    done = _run_one_form(form)
    assert "no problems found" in done.stdout, done.stdout  # the configuration was applied
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr
    config.write_text('ignore = ["ALP6"]\nrespect-gitignore = "yes"\n', encoding="utf-8")
    done = _run_one_form(form)
    assert 'respect-gitignore: expected true or false, found the text "yes"' in done.stderr, done.stderr
