"""Template versions recognised by question text; headings as labs really write them; own templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alplint.config import Config
from alplint.engine import Linter
from alplint.parse import parse
from alplint.problem import Problem
from alplint.schema import SchemaSet
from alplint.template import FormKeys, Template
from tests.conftest import codes
from tests.forms import filled_form

Lint = Callable[[str], list[Problem]]
SCHEMAS = SchemaSet.load()
VERSIONS = [version for family in SCHEMAS.by_name.values() for version in family.versions]
FIXTURES = Path(__file__).parent / "fixtures"
OPENING = (FIXTURES / "valid-learningplan-opening.md").read_text(encoding="utf-8")
ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "sdg-commons" / "pages"


def _questions(lint: Lint, text: str) -> list[Problem]:
    return [p for p in lint(text) if p.code.startswith(("ALP1", "ALP4", "ALP5"))]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def _version(text: str) -> tuple[str | None, str | None]:
    template = SCHEMAS.choose(parse(text)).template
    return (template.name, template.version) if template else (None, None)


# --- versions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS, ids=lambda version: version.display_name)
def test_an_export_of_each_version_reports_only_what_the_export_cannot_carry(
    linter: Linter, version: Template
) -> None:
    text = filled_form(version, draft=False)
    result = linter.lint_text(text, "export.md")

    assert (result.template, result.version) == (version.name, version.version)
    # A radio list's answer is dropped, unless the export carries it in its tag (an experiment's cost).
    tagged = {tag.key for tag in parse(text).tags if tag.value.strip()}
    radio = any(
        q.kind == "radio" and q.required and q.answer_tag not in tagged
        for top in version.questions
        for q in (top, *top.children)
    )
    cycle = any(q.kind == "learning-cycle" for q in version.questions)
    assert sorted(codes(result.problems)) == ["ALP407"] * radio + ["ALP504"] * cycle


def test_opening_version_1_is_recognised_by_its_typo() -> None:
    v1 = _replace(
        OPENING, "> Please state the name of the partner:", "> Please state the name of the Parter:"
    )
    assert _version(OPENING) == ("learningplan-opening", "2")
    assert _version(v1) == ("learningplan-opening", "1")


def test_opening_version_1_reports_nothing_of_version_2(lint: Lint) -> None:
    v1 = _replace(
        OPENING, "> Please state the name of the partner:", "> Please state the name of the Parter:"
    )
    assert _questions(lint, v1) == []


def test_versions_are_recognised_by_question_never_by_heading() -> None:
    v1 = _replace(
        OPENING, "> Please state the name of the partner:", "> Please state the name of the Parter:"
    )
    for heading in ("## Title", "## Partners", "## Closing"):
        v1 = _replace(v1, heading + "\n", "## Sección\n")
    assert _version(v1) == ("learningplan-opening", "1")


def test_a_form_mixing_versions_is_judged_against_the_closest(lint: Lint) -> None:
    """A 2023 experiment holding one question of 2024: judged as 2023, the extra question ignored."""
    (v2023,) = [v for v in VERSIONS if v.name == "experiment" and v.version == "2023"]
    text = filled_form(v2023, draft=True).replace(
        "## Design\n",
        "> What action learning plan is this activity related to?\n\nAn answer.\n\n## Design\n",
        1,
    )
    assert _version(text) == ("experiment", "2023")
    assert _questions(lint, text) == []


def test_the_closest_version_is_the_one_the_form_lacks_least_of() -> None:
    """ "Who led the solution" is also a question of the 2024 template; the 2023 one still fits best."""
    text = (
        "# Urban farms\n[[focal_point:ana@undp.org]]\n[[year:2023]]\n[[type:solution]]\n"
        "[[country:Canada]]\n[[latlng:56.13,-106.35]]\n\n"
        "> Title of the Solution\n\nUrban farms\n\n> Images\n\n![A farm](https://example.org/f.png)\n\n"
        "> Type of the Solution\n\nFood\n\n> Description of the solution\n\nRooftop farms.\n\n"
        "> Who led the solution\n\nThe city\n\n> Other Notes\n\nNone yet.\n"
    )
    assert _version(text) == ("solution", "solution-2023")


# --- solutions of a template of their own -------------------------------------------------------

OWN_SOLUTION = """\
# Recycling collection service
[[focal_point:ana@undp.org]]
[[year:2021]]
[[type:solution]]
[[country:Egypt]]
[[latlng:26.82,30.8]]

> Project

A service that links households to informal recyclers.

> Partners

> URL

![](https://example.org/recycling.png)
"""


def test_a_solution_of_its_own_template_is_checked_for_all_but_its_questions(linter: Linter) -> None:
    result = linter.lint_text(OWN_SOLUTION.replace("[[focal_point:ana@undp.org]]\n", ""), "own.md")

    assert (result.template, result.version) == ("solution", None)
    # No missing question, section or template; an empty answer is no proof of a required one.
    assert {"ALP105", "ALP401", "ALP402", "ALP406"}.isdisjoint(codes(result.problems))
    # Tags and Markdown are still checked.
    assert {"ALP201", "ALP601"} <= set(codes(result.problems))


def test_a_solution_without_any_question_follows_a_template_of_its_own(lint: Lint) -> None:
    text = "# Solar kiosks\n[[focal_point:ana@undp.org]]\n[[year:2024]]\n[[type:solution]]\n"
    assert _version(text) == ("solution", None)
    assert not [code for code in codes(lint(text)) if code.startswith("ALP4") or code == "ALP105"]


def test_a_solution_sharing_one_question_with_a_version_is_not_judged_by_it() -> None:
    """ "Images" is asked by many templates: alone it says nothing of which one a form follows."""
    text = OWN_SOLUTION.replace("> Partners\n", "> Images\n")
    assert _version(text) == ("solution", None)


def test_a_learning_plan_without_any_question_is_still_alp105(lint: Lint) -> None:
    text = "# Plan\n[[focal_point:ana@undp.org]]\n[[year:2024]]\n[[type:learningplan]]\n"
    assert "ALP105" in codes(lint(text))


def test_schema_map_names_the_template_and_the_closest_version_is_used() -> None:
    v1 = _replace(
        OPENING, "> Please state the name of the partner:", "> Please state the name of the Parter:"
    )
    choice = SCHEMAS.choose(parse(v1), "learningplan-opening")
    assert choice.template is not None and choice.template.version == "1"
    nothing = SCHEMAS.choose(parse("# X\n[[type:solution]]\n"), "learningplan-closing")
    assert nothing.template is SCHEMAS.by_name["learningplan-closing"].current


def test_choosing_and_binding_normalise_each_question_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the number of versions tried, a form's questions are normalised once (FormKeys)."""
    import alplint.template

    seen: list[str] = []
    original = alplint.template.normalise

    def counting(text: str) -> str:
        seen.append(text)
        return original(text)

    form = parse(OPENING)
    monkeypatch.setattr(alplint.template, "normalise", counting)
    choice = SCHEMAS.choose(form)

    assert choice.binding is not None
    questions = [q.text for q in form.questions] + [
        g.instruction or "" for q in form.questions for g in q.subquestions
    ]
    assert all(seen.count(text) == questions.count(text) for text in questions)


# --- headings -----------------------------------------------------------------------------------

TRANSLATED = {
    "## Title\n": "## Titre\n",
    "## Challenge statement\n": "## Énoncé du défi\n",
    "## Challenge classification\n": "## Classement du défi\n",
    "## Partners\n": "## Les partenaires\n",
    "## Learning questions\n": "## Questions d'apprentissage\n",
    "## Closing\n": "## Fermeture\n",
}


def test_translated_headings_are_no_problem(lint: Lint) -> None:
    text = OPENING
    for old, new in TRANSLATED.items():
        text = _replace(text, old, new)
    assert _questions(lint, text) == []


def test_lower_case_and_empty_headings_are_no_problem(lint: Lint) -> None:
    text = _replace(_replace(OPENING, "## Partners\n", "## partners\n"), "## Closing\n", "##\n")
    assert _questions(lint, text) == []


def test_a_heading_repeated_once_per_learning_question_is_no_problem(lint: Lint) -> None:
    usage = "> Usage of methods:"
    text = _replace(OPENING, usage, "## Learning questions\n****\n\n" + usage)
    assert _questions(lint, text) == []


def test_an_absent_heading_is_still_alp406(lint: Lint) -> None:
    problems = _questions(lint, _replace(OPENING, "## Partners\n****\n", ""))
    assert codes(problems) == ["ALP406"]
    assert problems[0].message.startswith('The section "Partners" is missing: add the heading "## Partners"')


def test_an_absent_heading_without_questions_is_still_alp406(lint: Lint) -> None:
    problems = _questions(lint, _replace(OPENING, "## Challenge classification\n****\n", ""))
    assert codes(problems) == ["ALP406"]
    assert '"## Challenge classification"' in problems[0].message


def test_a_section_absent_with_all_its_questions_is_reported_by_its_questions_alone(lint: Lint) -> None:
    """A form that stops early: its missing required questions are ALP402, each once, and no ALP406."""
    text = OPENING[: OPENING.index("## Closing\n")]
    problems = _questions(lint, text)
    assert "ALP406" not in codes(problems)
    assert "ALP402" in codes(problems)


def test_an_absent_heading_among_translated_ones_is_still_alp406(lint: Lint) -> None:
    text = OPENING
    for old, new in TRANSLATED.items():
        text = _replace(text, old, new)
    problems = _questions(lint, _replace(text, "## Classement du défi\n****\n", ""))
    assert codes(problems) == ["ALP406"]
    assert '"## Challenge classification"' in problems[0].message


def test_a_missing_question_is_placed_at_its_translated_heading(lint: Lint) -> None:
    text = _replace(OPENING, "## Closing\n", "## Fermeture\n")
    early = text.index("> Early leads to grow:")
    problems = _questions(lint, text[:early])
    assert codes(problems) == ["ALP402"]
    assert problems[0].line == text[:early].count("\n", 0, text.index("## Fermeture")) + 1


# --- the archive (skipped when absent) ----------------------------------------------------------


@pytest.mark.integration
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="the SDG Commons archive is not at hand")
def test_the_archive_learning_plans_and_experiments() -> None:
    """On the real archive: every problem of templates and headings is a true one.

    Every form with a question matches a version; no heading that is there is reported missing
    (an ALP406 form has fewer heading lines than its version has sections); no ALP402 comes from a
    version the form mixes in; what the export cannot carry is never an error.
    """
    linter = Linter(Config(select=("ALP1", "ALP4", "ALP5")))
    results = []
    for path in sorted(ARCHIVE.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "[[type:learningplan]]" in text or "[[type:experiment]]" in text:
            results.append((linter.lint_text(text, path.name), parse(text, path.name)))
    assert len(results) > 1000
    for result, form in results:
        found = codes(result.problems)
        assert "ALP501" not in found, result.path
        assert all(p.severity == "warning" for p in result.problems if p.code in ("ALP407", "ALP504"))
        if not form.questions:
            continue
        assert result.version is not None, result.path
        (version,) = [v for v in SCHEMAS.by_name[result.template].versions if v.version == result.version]
        radio = {q.text for top in version.questions for q in (top, *top.children) if q.kind == "radio"}
        assert not [p for p in result.problems if p.code == "ALP401" and p.subject in radio], result.path
        if "ALP406" in found:
            required = sum(section.required for section in version.sections)
            assert len(form.sections) < required, result.path
        if "ALP402" in found:
            others = {key for v in SCHEMAS.by_name[result.template].versions for key in v.keys} - version.keys
            assert not FormKeys.of(form).all & others, result.path


@pytest.mark.integration
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="the SDG Commons archive is not at hand")
def test_every_question_of_every_version_is_written_so_in_the_archive() -> None:
    """The schemas' question texts are the export's own, byte for byte (or with "&" as "&amp;")."""
    written = {
        line.strip()[1:].strip()
        for path in ARCHIVE.glob("*.md")
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
        if line.lstrip().startswith(">")
    }
    texts = {q.text for version in VERSIONS for top in version.questions for q in (top, *top.children)}
    assert not [text for text in texts if text not in written and text.replace("&", "&amp;") not in written]
