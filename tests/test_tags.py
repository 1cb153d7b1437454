"""ALP2: tags checked against the form's schema, at the line and column of the tag."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from alplint.problem import Problem
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


def test_alp204_invalid_values(lint: Lint) -> None:
    current = datetime.date.today().year
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


def test_alp204_current_year_passes(lint: Lint) -> None:
    year = datetime.date.today().year
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
    assert sorted(codes(problems)) == ["ALP206", "ALP207"]
    duplicate = next(p for p in problems if p.code == "ALP206")
    assert duplicate.line == 14
    assert duplicate.fix is not None and duplicate.fix.applicability == "safe"
    assert duplicate.fix.edits[0].line == 14 and duplicate.fix.edits[0].end_line == 15


def test_alp207_untidy_values(lint: Lint) -> None:
    for value, tidy in (("green transition,", "green transition"), (" health", "health"), ("a  b;", "a b")):
        problems = _solution_codes(lint, "[[thematic_areas:health]]", f"[[thematic_areas:{value}]]")
        assert codes(problems) == ["ALP207"], value
        assert problems[0].fix is not None
        assert problems[0].fix.edits[0].content == tidy


def test_alp207_untidy_year_is_not_also_invalid(lint: Lint) -> None:
    assert codes(_solution_codes(lint, "[[year:2025]]", "[[year:2025.]]")) == ["ALP207"]


def test_alp208_near_miss_with_fix(lint: Lint) -> None:
    problems = _solution_codes(
        lint, "[[sdgs:10. Reduced inequalities]]", "[[sdgs:10. Reduced innequalities]]"
    )
    assert codes(problems) == ["ALP208"]
    assert problems[0].fix is not None
    assert problems[0].fix.edits[0].content == "10. Reduced inequalities"


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
