"""ALP2: tags checked against the form's schema, at the line and column of the tag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alplint.config import Config
from alplint.engine import Linter
from alplint.problem import Problem
from alplint.schema import builtin_schema_dir
from tests.conftest import EXPERIMENT_TAGS, SOLUTION_SEED, codes

Lint = Callable[[str], list[Problem]]
SOLUTION = SOLUTION_SEED.read_text(encoding="utf-8").replace("innequalities", "inequalities")


def _solution_codes(lint: Lint, old: str, new: str) -> list[Problem]:
    assert old in SOLUTION
    return [p for p in lint(SOLUTION.replace(old, new, 1)) if p.code.startswith("ALP2")]


def test_alp201_missing_tag_reported_at_title(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("[[year:2024]]\n", ""))
    assert codes(problems) == ["ALP201"]
    assert problems[0].line == 1
    assert '"year"' in problems[0].message


def test_alp201_learning_plans_need_datasources_and_methods(lint: Lint) -> None:
    text = EXPERIMENT_TAGS.replace("experiment]]", "learningplan]]") + (
        "\n> Please provide a name for your action learning plan.\n\nA name\n"
    )
    missing = sorted(p.message.split('"')[1] for p in lint(text) if p.code == "ALP201")
    assert missing == ["datasources", "methods"]


def test_alp201_missing_latlng_is_not_a_missing_tag(lint: Lint) -> None:
    assert "ALP201" not in codes(lint(EXPERIMENT_TAGS.replace("[[latlng:19.43,-99.13]]\n", "")))


def test_alp201_all_present_passes(lint: Lint) -> None:
    assert lint(EXPERIMENT_TAGS) == []


def test_alp202_repeated_single_valued_tag(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[year:2025]]\n", "[[year:2025]]\n[[year:2024]]\n")
    assert codes(problems) == ["ALP202"]
    assert problems[0].line == 6


def test_alp202_exact_repeat_is_only_a_duplicate(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[year:2025]]\n", "[[year:2025]]\n[[year:2025]]\n")
    assert codes(problems) == ["ALP206"]


def test_alp203_empty_value(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[thematic_areas:health]]", "[[thematic_areas:  ]]")
    assert codes(problems) == ["ALP203"]
    assert problems[0].line == 13


def test_alp203_empty_required_value_is_one_problem(lint: Lint) -> None:
    assert codes(_solution_codes(lint, "[[focal_point:salome.nakazwe@undp.org]]", "[[focal_point:]]")) == [
        "ALP203"
    ]


# A year no other test lints, so that no value is in the tags family's cache with the real year.
FROZEN_YEAR = 2100


@pytest.fixture
def frozen_year(monkeypatch: pytest.MonkeyPatch) -> int:
    """The current year, the same for the test and the linter even across New Year's midnight."""
    monkeypatch.setattr("alplint.schema.current_year", lambda: FROZEN_YEAR)
    return FROZEN_YEAR


def test_alp204_invalid_values(lint: Lint, frozen_year: int) -> None:
    current = frozen_year
    cases = {
        ("[[year:2025]]", "[[year:2018]]"): "2019",
        ("[[year:2025]]", f"[[year:{current + 1}]]"): "current year",
        ("[[year:2025]]", "[[year:25]]"): "4-digit year",
        ("[[focal_point:salome.nakazwe@undp.org]]", "[[focal_point:salome at undp]]"): "e-mail",
        ("[[sdgs:3. Good health and well-being]]", "[[sdgs:18. Space]]"): "1 to 17",
        ("[[type:solution]]", "[[type:Solution]]"): '"solution"',
    }
    for (old, new), expected in cases.items():
        problems = _solution_codes(lint, old, new)
        assert codes(problems) == ["ALP204"], new
        assert expected in problems[0].message, problems[0].message
        assert problems[0].column == new.index(":") + 2


def test_alp204_current_year_passes(lint: Lint, frozen_year: int) -> None:
    year = frozen_year
    assert _solution_codes(lint, "[[year:2025]]", f"[[year:{year}]]") == []


def test_alp205_unknown_tag_with_did_you_mean(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[gender:female]]", "[[gender:female]]\n[[datasource:surveys]]")
    assert codes(problems) == ["ALP205"]
    assert 'did you mean "datasources"' not in problems[0].message  # solutions declare no datasources
    problems = _solution_codes(lint, "[[thematic_areas:health]]", "[[thematic_area:health]]")
    assert codes(problems) == ["ALP205"]
    assert 'did you mean "thematic_areas"' in problems[0].message
    assert (problems[0].line, problems[0].column) == (13, 3)


def test_alp205_experiments_allow_unknown_tags(lint: Lint) -> None:
    assert lint(EXPERIMENT_TAGS + "[[platform_status:published]]\n") == []


def test_alp206_duplicate_value_with_fix(lint: Lint) -> None:
    problems = _solution_codes(
        lint, "[[thematic_areas:health]]", "[[thematic_areas:health]]\n[[thematic_areas: Health ]]"
    )
    # One mistake: the untidy repeat is deleted, not tidied (ALP207 is its second reading).
    assert codes(problems) == ["ALP206"]
    duplicate = next(p for p in problems if p.code == "ALP206")
    assert duplicate.line == 14
    assert duplicate.fix is not None and duplicate.fix.applicability == "safe"
    assert duplicate.fix.edits[0].line == 14 and duplicate.fix.edits[0].end_line == 15


def test_alp207_untidy_values(lint: Lint) -> None:
    for value, tidy in (("green transition,", "green transition"), (" health", "health"), ("a  b.", "a b")):
        problems = _solution_codes(lint, "[[thematic_areas:health]]", f"[[thematic_areas:{value}]]")
        assert codes(problems) == ["ALP207"], value
        assert problems[0].fix is not None
        assert problems[0].fix.edits[0].content == tidy


def test_alp207_untidy_year_is_not_also_invalid(lint: Lint) -> None:
    assert codes(_solution_codes(lint, "[[year:2025]]", "[[year:2025.]]")) == ["ALP207"]


def test_alp208_near_miss_with_fix(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[sdgs:10. Reduced inequalities]]", "[[sdgs:10. Reduced inequality]]")
    assert codes(problems) == ["ALP208"]
    assert problems[0].fix is not None
    assert problems[0].fix.edits[0].content == "10. Reduced inequalities"


def test_alp210_platform_label_in_an_export_is_a_note(linter: Linter) -> None:
    result = linter.lint_text(SOLUTION.replace("10. Reduced inequalities", "10. Reduced innequalities"))
    assert [p for p in result.problems if p.code.startswith("ALP2")] == []
    assert result.notes["ALP210"] == 1


def test_alp210_platform_label_in_a_draft_is_alp208_with_fix(lint: Lint) -> None:
    draft = SOLUTION.replace("10. Reduced inequalities", "10. Reduced innequalities").replace(
        "\n", "\n<!-- alplint-draft -->\n", 1
    )
    problems = [p for p in lint(draft) if p.code.startswith("ALP2")]
    assert codes(problems) == ["ALP208"]
    assert problems[0].fix is not None
    assert problems[0].fix.edits[0].content == "10. Reduced inequalities"


def test_alp210_only_goal_10_has_a_platform_label() -> None:
    from alplint.rules.tags import PLATFORM_SDG_LABELS, SDG_GOALS

    assert set(PLATFORM_SDG_LABELS) == {10}
    assert PLATFORM_SDG_LABELS[10] != SDG_GOALS[10]


def test_alp208_format_fixed_when_number_clear(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[sdgs:10. Reduced inequalities]]", "[[sdgs:10 Reduced Inequalities]]")
    assert codes(problems) == ["ALP208"]
    assert problems[0].fix is not None


def test_alp208_wrong_name_for_the_number_has_no_fix(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[sdgs:10. Reduced inequalities]]", "[[sdgs:10. Climate action]]")
    assert codes(problems) == ["ALP208"]
    assert problems[0].fix is None
    assert "goal 13" in problems[0].message


def test_alp208_official_names_pass(lint: Lint) -> None:
    for value in ("16. Peace, justice & strong institutions", "5. gender EQUALITY"):
        assert _solution_codes(lint, "[[sdgs:10. Reduced inequalities]]", f"[[sdgs:{value}]]") == []


def test_alp203_required_tag_is_not_told_to_be_deleted(lint: Lint) -> None:
    problems = _solution_codes(lint, "[[year:2025]]", "[[year: ]]")
    empty = [p for p in problems if p.code == "ALP203"]
    assert len(empty) == 1
    assert "delete" not in empty[0].message
    optional = _solution_codes(lint, "[[thematic_areas:health]]", "[[thematic_areas:]]")
    assert "delete the line" in optional[0].message


def test_alp206_repeated_location_pairs_are_not_duplicates(lint: Lint) -> None:
    text = EXPERIMENT_TAGS + "[[country:Mexico]]\n[[latlng:19.43,-99.13]]\n"
    assert lint(text) == []


def test_alp206_still_reports_other_repeated_tags(lint: Lint) -> None:
    text = EXPERIMENT_TAGS + "[[thematic_areas:water]]\n[[thematic_areas:Water]]\n"
    assert codes(lint(text)) == ["ALP206"]


def test_alp207_not_for_a_latlng_that_tidying_leaves_invalid(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("19.43,-99.13", "14.08,"))
    assert codes(problems) == ["ALP301"]
    assert '"14.08,"' in problems[0].message


def test_alp207_for_a_latlng_that_tidying_makes_valid(lint: Lint) -> None:
    problems = lint(EXPERIMENT_TAGS.replace("19.43,-99.13", "19.43,-99.13,"))
    assert codes(problems) == ["ALP207"]


def test_alp209_characters_the_site_cannot_read(lint: Lint) -> None:
    text = EXPERIMENT_TAGS + (
        "[[thematic_areas:economía circular]]\n"
        "[[consent:https://x.org/form?id=3]]\n"
        "[[thematic_areas:women\u2019s rights]]\n"
        "[[thematic_areas:zero\u200bwidth]]\n"
        "[[thematic_areas:R&D (data) - \"open\", 'x' @ 50% ~ #1 = …/x]]\n"
    )
    problems = [p for p in lint(text) if p.code == "ALP209"]
    assert [(p.line, p.column) for p in problems] == [(7, 1), (8, 1), (9, 1), (10, 1)]
    assert ['"í"' in problems[0].message, '"?"' in problems[1].message] == [True, True]
    assert '"\u2019"' in problems[2].message
    assert "U+200B" in problems[3].message


def test_alp209_agrees_with_the_site_regex() -> None:
    import re

    from alplint.rules.tags import SITE_TAG_CHARACTERS

    # The archive site's own pattern (public/js/parsers.mjs), with JavaScript's ASCII \w and Unicode \s.
    js_space = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
    site = re.compile(f"[A-Za-z0-9_:.\\-/{js_space}…&()\"'_,@%~#=]")
    for code in range(0x30000):
        character = chr(code)
        assert (site.fullmatch(character) is not None) == (character in SITE_TAG_CHARACTERS), hex(code)


def test_schema_errors_are_cached_with_an_identical_report(linter: Linter) -> None:
    from alplint.rules import tags

    text = SOLUTION.replace("[[year:2025]]", "[[year:1999]]")
    first = linter.lint_text(text).problems
    second = linter.lint_text(text).problems
    assert first == second
    assert "ALP204" in codes(first)
    cache = tags._PROPERTY_ERRORS
    assert 0 < len(cache._entries) <= cache.LIMIT


def test_alp207_shows_when_the_duplicate_rule_is_ignored() -> None:
    from alplint.config import Config

    text = SOLUTION.replace(
        "[[thematic_areas:health]]", "[[thematic_areas:health]]\n[[thematic_areas: Health ]]"
    )
    found = Linter(Config(ignore=("ALP206",))).lint_text(text).problems
    assert [p.code for p in found if p.code.startswith("ALP2")] == ["ALP207"]


def test_alp203_an_empty_extra_line_of_a_required_tag_may_be_deleted(lint: Lint) -> None:
    text = EXPERIMENT_TAGS.replace("experiment]]", "learningplan]]") + (
        "[[datasources:surveys]]\n[[datasources:]]\n[[methods:mapping]]\n"
        "\n> Please provide a name for your action learning plan.\n\nA name\n"
    )
    (problem,) = [p for p in lint(text) if p.code == "ALP203"]
    assert "delete the line" in problem.message


def test_alp207_a_web_address_keeps_its_last_dot(lint: Lint) -> None:
    url = "https://x.org/page#:~:text=five%20strategies,smart%20growth."
    assert lint(EXPERIMENT_TAGS + f"[[consent:{url}]]\n") == []
    problems = lint(EXPERIMENT_TAGS + f"[[consent:{url} ]]\n")
    assert codes(problems) == ["ALP207"]
    assert problems[0].fix is not None and problems[0].fix.edits[0].content == url


_VALUES = {
    "focal_point": ["ana@undp.org", "ana at undp", ""],
    "year": [2024, 2031, "20x4", 1999],
    "type": ["solution", "experiment", "learningplan"],
    "sdgs": ["13. Climate action", "18. Space", "x"],
    "country": ["Mexico"],
    "datasources": ["surveys"],
    "unknown_key": ["x"],
}


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(["solution", "experiment", "learningplan-opening", "learningplan-closing"]),
    st.dictionaries(
        st.sampled_from(sorted(_VALUES)),
        st.lists(st.integers(0, 3), min_size=0, max_size=3),
        max_size=6,
    ),
)
def test_cached_schema_errors_equal_the_validators_own(
    linter: Linter, name: str, drawn: dict[str, list[int]]
) -> None:
    from alplint.rules import tags

    template = linter.schemas.by_name[name].current
    instance = {
        key: [_VALUES[key][index % len(_VALUES[key])] for index in indexes] for key, indexes in drawn.items()
    }
    expected = sorted(
        (tuple(map(str, error.absolute_path)), str(error.validator), error.message)
        for error in template.tag_validator.iter_errors(instance)
    )
    for _round in range(2):  # computed, then from the cache
        found = sorted(
            (tuple(map(str, e.path)), e.validator, e.message) for e in tags._schema_errors(template, instance)
        )
        assert found == expected


_OBJECT_SCHEMAS = {
    # Judged on the keys alone: cached by the list of keys, in the form's order.
    "closed": {
        "type": "object",
        "required": ["type", "year"],
        "additionalProperties": False,
        "properties": {"type": {"type": "array"}, "year": {"type": "array"}, "country": {"type": "array"}},
    },
    # Its message quotes the values: never cached.
    "counted": {"type": "object", "maxProperties": 2, "properties": {"type": {"type": "array"}}},
    # Reads the values (of a key no property declares, and through "if"): never cached.
    "values": {
        "type": "object",
        "additionalProperties": {"type": "array", "maxItems": 1},
        "if": {"properties": {"type": {"contains": {"const": "experiment"}}}},
        "then": {"required": ["country"]},
        "properties": {"type": {"type": "array"}, "year": {"type": "array"}},
    },
}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(_OBJECT_SCHEMAS)),
    st.lists(
        st.tuples(
            st.sampled_from(["type", "year", "country", "zone", "misc"]),
            st.lists(st.sampled_from(["experiment", "solution", "x"]), max_size=2),
        ),
        max_size=5,
        unique_by=lambda pair: pair[0],
    ),
)
def test_cached_object_errors_equal_the_validators_own(name: str, pairs: list[tuple[str, list[str]]]) -> None:
    """The errors of the whole set of tags, cached by their keys when the schema reads nothing else."""
    from types import SimpleNamespace

    from jsonschema import Draft202012Validator

    from alplint.rules import tags
    from alplint.schema import TagValidation

    schema = _OBJECT_SCHEMAS[name]
    validation = TagValidation(schema)
    template = SimpleNamespace(
        tag_schema=schema, tag_validation=validation, tag_validator=validation.validator
    )
    instance = dict(pairs)
    expected = [
        (tuple(error.absolute_path), str(error.validator), error.message)
        for error in Draft202012Validator(
            {**schema, "properties": dict.fromkeys(schema["properties"], True)}
        ).iter_errors(instance)
    ]
    for _round in range(2):  # computed, then (for "closed") from the cache
        found = [(e.path, e.validator, e.message) for e in tags._object_errors(template, instance)]  # type: ignore[arg-type]
        assert found == expected


def test_a_hidden_line_break_in_a_value_is_one_mistake(lint: Lint) -> None:
    """The carriage return is the cause (ALP108, from the parser); its spacing is not a second problem."""
    text = EXPERIMENT_TAGS.replace(
        "[[country:", "[[thematic_areas:satellite imagery\r weather]]\n[[country:", 1
    )
    assert [p.code for p in lint(text) if p.code in ("ALP108", "ALP207")] == ["ALP108"]
    ignoring = Linter(Config(ignore=("ALP108",)))
    assert [p.code for p in ignoring.lint_text(text, "x.md").problems] == ["ALP207"]


def test_a_year_of_other_digits_is_invalid_not_a_crash(lint: Lint) -> None:
    # "²".isdigit() is true but int("²") raises: the year "²²²²" stopped the run with a ValueError.
    for year in ("²²²²", "٢٠٢٤x", "9" * 5000):
        problems = _solution_codes(lint, "[[year:2025]]", f"[[year:{year}]]")
        assert "ALP204" in codes(problems), year


def test_digits_are_read_as_a_number_wherever_the_schema_allows_integers(tmp_path: Path) -> None:
    # No tag key is special: a tag of a user's schema whose items may be integers gets "minimum" too.
    folder = tmp_path / "schemas"
    folder.mkdir()
    text = (builtin_schema_dir() / "experiment.yaml").read_text(encoding="utf-8")
    declared = "    latlng:\n      type: array\n      items: {type: string, minLength: 1}\n"
    assert declared in text
    sample = "    participants:\n      type: array\n      items: {type: [integer, string], pattern: '^[0-9]+$', minimum: 10}\n"
    (folder / "experiment.yaml").write_text(text.replace(declared, declared + sample), encoding="utf-8")
    linter = Linter(Config(schema_dirs=(str(folder),)))

    def problems(value: str) -> list[str]:
        form = f"{EXPERIMENT_TAGS}[[participants:{value}]]\n"
        return [p.code for p in linter.lint_text(form).problems if p.code.startswith("ALP2")]

    assert problems("50") == []
    assert problems("5") == ["ALP204"]  # below its minimum, which applies to numbers only
    assert problems("five") == ["ALP204"]
