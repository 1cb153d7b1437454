"""Schema files: valid against the meta-schema, compiled once, broken ones stop the run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from alplint.cli import main
from alplint.errors import SchemaError
from alplint.parse import parse
from alplint.schema import META_SCHEMA, SchemaSet, builtin_schema_dir, load_schema_file
from tests.conftest import CLOSING_SEED, EXPERIMENT_TAGS, OPENING_SEED, SOLUTION_SEED

SCHEMA_FILES = sorted(builtin_schema_dir().glob("*.yaml"))


def test_the_four_templates_ship() -> None:
    assert [path.stem for path in SCHEMA_FILES] == [
        "experiment",
        "learningplan-closing",
        "learningplan-opening",
        "solution",
    ]


def test_meta_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(META_SCHEMA)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.stem)
def test_every_schema_is_valid(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(META_SCHEMA).iter_errors(document)) == []
    Draft202012Validator.check_schema(document["tags"])
    template = load_schema_file(path)
    assert template.name == path.stem
    assert all(version.name == path.stem for version in template.versions)


def test_question_texts_are_the_exports_own() -> None:
    opening = SchemaSet.load().by_name["learningplan-opening"].current
    seed_questions = {
        line[2:].strip()
        for line in OPENING_SEED.read_text(encoding="utf-8").splitlines()
        if line.startswith("> ")
    }
    for question in opening.questions:
        if question.required:
            assert question.text.replace("&", "&amp;") in seed_questions or question.text in seed_questions


def test_versions_share_their_files_tag_schema() -> None:
    for family in SchemaSet.load().by_name.values():
        assert len({id(version.tag_schema) for version in family.versions}) == 1


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    text = (builtin_schema_dir() / "solution.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "solution.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_broken_template_names_file_place_and_reason(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        "          kind: choice\n          options: ['yes', 'no']",
        "          kind: multiple\n          options: ['yes', 'no']",
    )
    with pytest.raises(SchemaError) as caught:
        SchemaSet.load([folder])
    message = str(caught.value)
    assert "solution.yaml" in message
    assert "versions[0].template.questions[3].kind" in message
    assert "line 78" in message
    assert "'multiple' is not one of" in message


def test_a_file_with_both_template_and_versions_is_refused(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "\nversions:\n", "\ntemplate: {questions: []}\nversions:\n")
    with pytest.raises(SchemaError) as caught:
        SchemaSet.load([folder])
    assert 'either "template"' in str(caught.value)


def test_a_version_declared_twice_is_refused(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "  - version: solution-2023\n", "  - version: innovation-2025\n")
    with pytest.raises(SchemaError) as caught:
        SchemaSet.load([folder])
    assert 'the version "innovation-2025" is declared twice' in str(caught.value)


def test_broken_tag_schema_is_caught(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path, "      minItems: 1\n      maxItems: 1", "      minItems: one\n      maxItems: 1"
    )
    with pytest.raises(SchemaError) as caught:
        SchemaSet.load([folder])
    assert "tags.properties.focal_point.minItems" in str(caught.value)


def test_invalid_yaml_is_caught_with_line(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "form-type: solution", "form-type: [solution")
    with pytest.raises(SchemaError) as caught:
        SchemaSet.load([folder])
    assert "line" in str(caught.value) and "not valid YAML" in str(caught.value)


def test_broken_schema_exits_2_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken(tmp_path, "name: solution", "name: Solution Form")
    form = tmp_path / "form.md"
    form.write_text(EXPERIMENT_TAGS)
    assert main(["--schema-dir", str(folder), str(form)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "solution.yaml" in err and "name" in err and "Traceback" not in err


def test_user_schema_replaces_builtin_of_same_name(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        "        - text: Name of the Innovator\n          required: false",
        "        - text: Name of the Innovator",
    )
    schemas = SchemaSet.load([folder])
    assert len(schemas.by_type["solution"]) == 1
    innovation = schemas.by_name["solution"].versions[0]
    innovator = next(q for q in innovation.questions if q.text == "Name of the Innovator")
    assert innovator.required


def test_a_schema_file_without_versions_still_works(tmp_path: Path) -> None:
    """Users' schema files of one template keep working: one version, named None."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "pilot.yaml").write_text(
        "name: pilot\nform-type: pilot\n"
        "tags: {type: object, properties: {type: {type: array}}}\n"
        "template:\n  questions:\n    - text: What did you test?\n",
        encoding="utf-8",
    )
    schemas = SchemaSet.load([folder])
    (version,) = schemas.by_name["pilot"].versions
    assert version.version is None
    choice = schemas.choose(parse("# P\n[[type:pilot]]\n\n> What did you test?\n\nStalls.\n"))
    assert choice.template is version and choice.binding is not None


@pytest.mark.parametrize(
    ("seed", "name", "version"),
    [
        (OPENING_SEED, "learningplan-opening", "2"),
        (CLOSING_SEED, "learningplan-closing", "1"),
        (SOLUTION_SEED, "solution", "innovation-2025"),
    ],
)
def test_template_and_version_are_chosen_by_the_questions(seed: Path, name: str, version: str) -> None:
    choice = SchemaSet.load().choose(parse(seed.read_text(encoding="utf-8")))
    assert choice.template is not None
    assert (choice.template.name, choice.template.version) == (name, version)
    assert choice.binding is not None and choice.binding.template is choice.template
