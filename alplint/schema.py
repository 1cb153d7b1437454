"""Loading the schema files: checked against the meta-schema, compiled once per run."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from alplint.config import builtin_schema_dir as builtin_schema_dir  # beside the schema-dirs setting
from alplint.errors import SchemaError
from alplint.i18n import _
from alplint.model import Form
from alplint.quickcheck import Check, compile_check
from alplint.suggest import closest
from alplint.template import Binding, FormKeys, Template, TemplateQuestion, TemplateSection, normalise

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


class CheckedSchemas(Protocol):
    """Schema documents already checked, by their text (``alplint.cache.SchemaCache``): a run that
    finds its schemas there neither parses the YAML nor checks it against the meta-schema again."""

    def get(self, text: str) -> Any: ...
    def put(self, text: str, document: Any) -> None: ...


_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}}
# What a question and a sub-question (a group's question) both declare.
_ASKED = {
    "text": {"type": "string", "minLength": 1},
    "required": {"type": "boolean"},
    "options": _TEXTS,
}
_ANSWER_KINDS = ["text", "choice", "choices", "radio"]

SUBQUESTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {**_ASKED, "kind": {"enum": _ANSWER_KINDS}},
}

QUESTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        **_ASKED,
        "kind": {"enum": [*_ANSWER_KINDS, "learning-cycle", "groups"]},
        "max-length": {"type": "integer", "minimum": 1},
        # The tag in which an export carries a radio list's answer (experiment_status).
        "answer-tag": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "continuation": _TEXTS,
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

TEMPLATE = {
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
                    # Some templates really have an empty heading ("## "): it may be declared.
                    "heading": {"type": "string"},
                    "required": {"type": "boolean"},
                    "questions": {"type": "array", "items": QUESTION},
                },
            },
        },
        "questions": {"type": "array", "items": QUESTION},
    },
}

META_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "alplint schema file",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "form-type", "tags"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "title": {"type": "string"},
        "form-type": {"type": "string", "pattern": "^[a-z_]+$"},
        # Forms of this type may follow templates their authors designed: one whose questions match
        # no version is checked for everything but its questions' membership of a template.
        "own-templates": {"type": "boolean"},
        "tags": {
            "type": "object",
            "required": ["type", "properties"],
            "properties": {"type": {"const": "object"}, "properties": {"type": "object"}},
        },
        # One template, or its versions (the current one last), which share the file's tags.
        "template": TEMPLATE,
        "versions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["version", "template"],
                "properties": {
                    "version": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$"},
                    "title": {"type": "string"},
                    "template": TEMPLATE,
                },
            },
        },
    },
}


def current_year() -> int:
    """This year by the machine's clock (``x-not-after-current-year``); the tests set it."""
    return datetime.date.today().year


def _not_after_current_year(
    validator: Any, enabled: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not enabled or not isinstance(instance, int):
        return
    current = current_year()
    if instance > current:
        yield ValidationError(_("{value} is after the current year {year}", value=instance, year=current))


@functools.cache
def tag_validator_class() -> Any:
    """The validator of a template's tags: JSON Schema 2020-12 and alplint's own keywords."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"x-not-after-current-year": _not_after_current_year}
    )


class TagValidation:
    """How one schema file's tags are validated: a quick check of each of its schemas, compiled the first
    time it is asked for (``alplint.quickcheck``), and the jsonschema validator, built (and jsonschema
    imported) only when a quick check cannot say the tags are valid."""

    __slots__ = ("_checks", "_validator", "schema")

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self._validator: Any = None
        # Each schema's check, by its id; the schema is kept with it so that the id stays its own.
        self._checks: dict[int, tuple[Any, Check | None]] = {}

    @property
    def validator(self) -> Any:
        """The jsonschema validator of the tags (``Draft202012Validator`` and alplint's keywords)."""
        if self._validator is None:
            self._validator = tag_validator_class()(self.schema)
        return self._validator

    def valid(self, schema: Any, instance: Any) -> bool:
        """True when ``instance`` is certainly valid against ``schema`` (a schema of this file that lives
        as long as the run); False when it is not, or when only jsonschema can tell."""
        entry = self._checks.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = (schema, compile_check(schema))
            self._checks[id(schema)] = entry
        check = entry[1]
        return check is not None and check(instance)


@functools.cache
def _meta_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(META_SCHEMA)


def _place(path: Iterable[Any]) -> str:
    place = ""
    for part in path:
        place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
    return place


def load_schema_file(path: Path, checked: CheckedSchemas | None = None) -> TemplateVersions:
    """Every version of the template one schema file declares, checked and compiled."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(shown, "", _("cannot be read ({error})", error=error)) from None
    document = checked.get(text) if checked is not None else None
    if document is None:
        document = _checked_document(text, shown)
        if checked is not None:
            checked.put(text, document)
    return _build(document, shown)


def _checked_document(text: str, shown: str) -> Any:
    """A schema file's document, checked against the meta-schema (``SchemaError`` with its line if not)."""
    import yaml
    from jsonschema.exceptions import SchemaError as JsonSchemaError

    from alplint.yamlload import line_of, load_yaml

    try:
        document = load_yaml(text)  # bounded: an alias bomb is refused before it expands
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = _("line {line}", line=mark.line + 1) if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise SchemaError(shown, place, _("not valid YAML: {reason}", reason=reason)) from None
    meta_errors = sorted(_meta_validator().iter_errors(document), key=lambda e: list(e.path))
    if meta_errors:
        first = meta_errors[0]
        line = line_of(text, list(first.absolute_path))
        where = _place(first.absolute_path) or _("top level")
        raise SchemaError(
            shown, _("line {line}, {where}", line=line, where=where) if line else where, first.message
        )
    if ("template" in document) == ("versions" in document):
        raise SchemaError(
            shown,
            "top level",
            _('declare either "template" (one template) or "versions" (several), not both'),
        )
    try:
        tag_validator_class().check_schema(document["tags"])
    except JsonSchemaError as error:
        inner = ["tags", *error.absolute_path]
        line = line_of(text, inner)
        raise SchemaError(
            shown,
            _("line {line}, {where}", line=line, where=_place(inner)) if line else _place(inner),
            error.message,
        ) from None
    return document


def _question(data: Mapping[str, Any], section: str | None) -> TemplateQuestion:
    return TemplateQuestion(
        text=data["text"],
        section=section,
        required=data.get("required", True),
        kind=data.get("kind", "text"),
        options=tuple(data.get("options", ())),
        max_length=data.get("max-length"),
        answer_tag=data.get("answer-tag"),
        continuation=tuple(data.get("continuation", ())),
        subquestions=tuple(_question(sub, section) for sub in data.get("subquestions", ())),
        stages=tuple(data.get("stages", ())),
    )


@dataclass(frozen=True, slots=True)
class TemplateVersions:
    """Every version of one template, as its schema file declares them (the current one last).

    ``own`` stands in for the forms of the type whose questions match no version, when the
    file allows templates of the authors' own design (``own-templates: true``).
    """

    name: str
    form_type: str
    path: str
    versions: tuple[Template, ...]
    own: Template | None = None

    @property
    def current(self) -> Template:
        return self.versions[-1]


def _build(document: Mapping[str, Any], path: str) -> TemplateVersions:
    name = document["name"]
    title = document.get("title", name)
    declared = document.get("versions") or [{"template": document["template"]}]
    tag_validation = TagValidation(document["tags"])
    versions: list[Template] = []
    seen: set[str] = set()
    for entry in declared:
        version = entry.get("version")
        if version is not None:
            if version in seen:
                raise SchemaError(
                    path, "versions", _('the version "{version}" is declared twice', version=version)
                )
            seen.add(version)
        sections, questions = _body(entry["template"], path)
        versions.append(
            Template(
                name=name,
                title=entry.get("title", f"{title} ({version})" if version else title),
                form_type=document["form-type"],
                path=path,
                sections=sections,
                questions=questions,
                tag_schema=document["tags"],
                tag_validation=tag_validation,
                version=version,
            )
        )
    own = None
    if document.get("own-templates", False):
        own = Template(
            name=name,
            title=title,
            form_type=document["form-type"],
            path=path,
            sections=(),
            questions=(),
            tag_schema=document["tags"],
            tag_validation=tag_validation,
            own=True,
        )
    return TemplateVersions(name, document["form-type"], path, tuple(versions), own)


def _body(
    body: Mapping[str, Any], path: str
) -> tuple[tuple[TemplateSection, ...], tuple[TemplateQuestion, ...]]:
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
    keys: set[str] = set()
    for question in questions:
        if question.key in keys:
            raise SchemaError(
                path, "template", _('the question "{question}" is declared twice', question=question.text)
            )
        keys.add(question.key)
    return sections, questions


@dataclass(frozen=True, slots=True)
class Choice:
    """The template version chosen for a form and the form bound to it, or why there is none (ALP105)."""

    template: Template | None
    reason: str = ""
    binding: Binding | None = None


class SchemaSet:
    """Every template known to this run, by name and by form type."""

    def __init__(self, templates: Iterable[TemplateVersions]) -> None:
        self.by_name: dict[str, TemplateVersions] = {}
        self.by_type: dict[str, list[TemplateVersions]] = {}
        for template in templates:
            # A user's schema of the same name replaces the built-in one.
            previous = self.by_name.get(template.name)
            if previous is not None:
                self.by_type[previous.form_type].remove(previous)
            self.by_name[template.name] = template
            self.by_type.setdefault(template.form_type, []).append(template)

    @classmethod
    def load(cls, extra_dirs: Sequence[str | Path] = (), checked: CheckedSchemas | None = None) -> SchemaSet:
        """The built-in schemas and those of ``extra_dirs`` (``checked``: the ones known to be valid)."""
        folders = [builtin_schema_dir(), *map(Path, extra_dirs)]
        templates: list[TemplateVersions] = []
        for folder in folders:
            if not folder.is_dir():
                raise SchemaError(str(folder), "", _("is not a folder of schema files"))
            templates.extend(load_schema_file(path, checked) for path in sorted(folder.glob("*.yaml")))
        return cls(templates)

    def most_questions_known(self, form: Form) -> int:
        """The most of the form's questions that one version of one known template asks."""
        keys = FormKeys.of(form)
        return max(
            (version.count_matches(keys) for known in self.by_name.values() for version in known.versions),
            default=0,
        )

    def choose(self, form: Form, override: str | None = None) -> Choice:
        """The version closest to the form (by question text only), and the form bound to it."""
        keys = FormKeys.of(form)
        if override is not None:
            named = self.by_name.get(override)
            if named is None:
                return Choice(None, _('no schema is named "{name}"', name=override))
            version = _closest(named.versions, keys, strict=False) or named.current
            return Choice(version, binding=version.bind(form, keys))
        form_type = form.form_type
        if form_type is None:
            return Choice(
                None, _("The form has no [[type:...]] tag, so alplint cannot tell which template it follows")
            )
        candidates = self.by_type.get(form_type.lower())
        if not candidates:
            known = sorted(self.by_type)
            close = closest(form_type, known)
            hint = (
                _('did you mean "{name}"?', name=close[0])
                if close
                else _("expected one of {names}", names=", ".join(f'"{k}"' for k in known))
            )
            return Choice(
                None, _('The form type "{type}" is not one alplint knows; {hint}', type=form_type, hint=hint)
            )
        own = next((family.own for family in candidates if family.own is not None), None)
        versions = [version for family in candidates for version in family.versions]
        template = _closest(versions, keys, strict=own is not None) or own
        if template is None:
            names = ", ".join(f'"{family.name}"' for family in candidates)
            return Choice(
                None,
                _(
                    "The {type} has none of the questions of its templates ({names}), "
                    "so alplint cannot tell which one it follows",
                    type=form_type,
                    names=names,
                ),
            )
        return Choice(template, binding=template.bind(form, keys))


def _closest(versions: Sequence[Template], keys: FormKeys, *, strict: bool) -> Template | None:
    """The version closest to the form: the most of the form's questions it knows, less the
    required ones the form lacks; on a tie, the one the form lacks least of, then the later one.
    ``strict``: the version must know at least half of the form's questions and the form must hold
    at least half of the version's required ones, or the form follows a template of its own."""
    best: tuple[int, int, int] | None = None
    chosen: Template | None = None
    for index, template in enumerate(versions):
        matched = template.count_matches(keys)
        if matched == 0:
            continue
        lacking = len(template.required_keys - keys.all)
        if strict and (2 * matched < len(keys.all) or 2 * lacking > len(template.required_keys)):
            continue
        score = (matched - lacking, -lacking, index)
        if best is None or score > best:
            best, chosen = score, template
    return chosen


__all__ = [
    "Choice",
    "SchemaError",
    "SchemaSet",
    "TemplateVersions",
    "load_schema_file",
    "normalise",
]
