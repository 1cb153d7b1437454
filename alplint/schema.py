"""Loading the schema files: checked against the meta-schema, compiled once per run."""

from __future__ import annotations

import datetime
import difflib
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError as JsonSchemaError
from jsonschema.exceptions import ValidationError

from alplint.errors import SchemaError
from alplint.model import Form
from alplint.template import Template, TemplateQuestion, TemplateSection, normalise
from alplint.yamlload import load_yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SUBQUESTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "required": {"type": "boolean"},
    },
}

QUESTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "required": {"type": "boolean"},
        "kind": {"enum": ["text", "choice", "choices", "learning-cycle", "groups"]},
        "options": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "max-length": {"type": "integer", "minimum": 1},
        "continuation": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "subquestions": {"type": "array", "items": SUBQUESTION},
        "stages": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    },
    "allOf": [
        {
            "if": {"properties": {"kind": {"const": "learning-cycle"}}, "required": ["kind"]},
            "then": {"required": ["stages"]},
        },
        {
            "if": {"properties": {"kind": {"const": "groups"}}, "required": ["kind"]},
            "then": {"required": ["subquestions"]},
        },
    ],
}

META_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "alplint schema file",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "form-type", "tags", "template"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "title": {"type": "string"},
        "form-type": {"type": "string", "pattern": "^[a-z_]+$"},
        "tags": {
            "type": "object",
            "required": ["type", "properties"],
            "properties": {"type": {"const": "object"}, "properties": {"type": "object"}},
        },
        "template": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "sections": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["heading"],
                        "properties": {
                            "heading": {"type": "string", "minLength": 1},
                            "required": {"type": "boolean"},
                            "questions": {"type": "array", "items": QUESTION},
                        },
                    },
                },
                "questions": {"type": "array", "items": QUESTION},
            },
        },
    },
}


def _not_after_current_year(
    validator: Any, enabled: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not enabled or not isinstance(instance, int):
        return
    current = datetime.date.today().year
    if instance > current:
        yield ValidationError(f"{instance} is after the current year {current}")


TagValidator = validators.extend(Draft202012Validator, {"x-not-after-current-year": _not_after_current_year})


@functools.cache
def _meta_validator() -> Draft202012Validator:
    return Draft202012Validator(META_SCHEMA)


def builtin_schema_dir() -> Path:
    """The schemas shipped with alplint: inside the package when installed, at the top of a checkout otherwise."""
    package = Path(__file__).resolve().parent
    installed = package / "schemas"
    return installed if installed.is_dir() else package.parent / "schemas"


def _place(path: Iterable[Any]) -> str:
    place = ""
    for part in path:
        place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
    return place


def _line_of(text: str, path: Sequence[Any]) -> int | None:
    """The line where a value sits in a YAML document, found by walking its node tree."""
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def load_template(path: Path) -> Template:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(shown, "", f"cannot be read ({error})") from None
    try:
        document = load_yaml(text)  # refuses aliases: an alias bomb would expand into every message
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise SchemaError(shown, place, f"not valid YAML: {reason}") from None
    meta_errors = sorted(_meta_validator().iter_errors(document), key=lambda e: list(e.path))
    if meta_errors:
        error = meta_errors[0]
        line = _line_of(text, list(error.absolute_path))
        where = _place(error.absolute_path) or "top level"
        raise SchemaError(shown, f"line {line}, {where}" if line else where, error.message)
    try:
        TagValidator.check_schema(document["tags"])
    except JsonSchemaError as error:
        inner = ["tags", *error.absolute_path]
        line = _line_of(text, inner)
        raise SchemaError(
            shown, f"line {line}, {_place(inner)}" if line else _place(inner), error.message
        ) from None
    return _build(document, shown)


def _question(data: Mapping[str, Any], section: str | None) -> TemplateQuestion:
    return TemplateQuestion(
        text=data["text"],
        section=section,
        required=data.get("required", True),
        kind=data.get("kind", "text"),
        options=tuple(data.get("options", ())),
        max_length=data.get("max-length"),
        continuation=tuple(data.get("continuation", ())),
        subquestions=tuple(_question(sub, section) for sub in data.get("subquestions", ())),
        stages=tuple(data.get("stages", ())),
    )


def _build(document: Mapping[str, Any], path: str) -> Template:
    body = document["template"]
    sections = tuple(
        TemplateSection(
            heading=section["heading"],
            required=section.get("required", True),
            questions=tuple(_question(q, section["heading"]) for q in section.get("questions", ())),
        )
        for section in body.get("sections", ())
    )
    questions = tuple(_question(q, None) for q in body.get("questions", ())) + tuple(
        question for section in sections for question in section.questions
    )
    by_key: dict[str, TemplateQuestion] = {}
    for question in questions:
        if question.key in by_key:
            raise SchemaError(path, "template", f'the question "{question.text}" is declared twice')
        by_key[question.key] = question
    return Template(
        name=document["name"],
        title=document.get("title", document["name"]),
        form_type=document["form-type"],
        path=path,
        sections=sections,
        questions=questions,
        tag_schema=document["tags"],
        tag_validator=TagValidator(document["tags"]),
        question_by_key=by_key,
    )


@dataclass(frozen=True, slots=True)
class Choice:
    """The template chosen for a form, or why there is none (ALP105)."""

    template: Template | None
    reason: str = ""


class SchemaSet:
    """Every template known to this run, by name and by form type."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.by_name: dict[str, Template] = {}
        self.by_type: dict[str, list[Template]] = {}
        for template in templates:
            # A user's schema of the same name replaces the built-in one.
            previous = self.by_name.get(template.name)
            if previous is not None:
                self.by_type[previous.form_type].remove(previous)
            self.by_name[template.name] = template
            self.by_type.setdefault(template.form_type, []).append(template)

    @classmethod
    def load(cls, extra_dirs: Sequence[str | Path] = ()) -> SchemaSet:
        folders = [builtin_schema_dir(), *map(Path, extra_dirs)]
        templates: list[Template] = []
        for folder in folders:
            if not folder.is_dir():
                raise SchemaError(str(folder), "", "is not a folder of schema files")
            templates.extend(load_template(path) for path in sorted(folder.glob("*.yaml")))
        return cls(templates)

    def choose(self, form: Form, override: str | None = None) -> Choice:
        if override is not None:
            return Choice(self.by_name.get(override), f'no schema is named "{override}"')
        form_type = form.form_type
        if form_type is None:
            return Choice(
                None, "The form has no [[type:...]] tag, so alplint cannot tell which template it follows"
            )
        candidates = self.by_type.get(form_type.lower())
        if not candidates:
            known = sorted(self.by_type)
            close = difflib.get_close_matches(form_type.lower(), known, n=1, cutoff=0.6)
            hint = (
                f'did you mean "{close[0]}"?'
                if close
                else "expected one of " + ", ".join(f'"{k}"' for k in known)
            )
            return Choice(None, f'The form type "{form_type}" is not one alplint knows; {hint}')
        if len(candidates) == 1:
            return Choice(candidates[0])
        scored = [
            (template.count_matches(form), -index, template) for index, template in enumerate(candidates)
        ]
        best, _, template = max(scored, key=lambda item: item[:2])
        if best == 0:
            names = ", ".join(f'"{t.name}"' for t in candidates)
            return Choice(
                None,
                f"The {form_type} has none of the questions of its templates ({names}), "
                "so alplint cannot tell which one it follows",
            )
        return Choice(template)


__all__ = ["Choice", "SchemaError", "SchemaSet", "load_template", "normalise"]
