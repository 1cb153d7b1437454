"""``--statistics``: what an archive's problems add up to, for analysts.

First how often each rule fires and in how many forms; then how many forms
matched each template and version (a form of a type whose authors design
their own templates, such as a solution, may match none: it is counted
under the template's name alone); then, for the question rules, how many
of a template version's forms have the problem with each question.  The
per-question lines are sorted by that share, so a question unanswered in
every form of a version leads the list instead of hiding among thousands of
lines.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alplint.i18n import ENGLISH, _, format_number, translate
from alplint.template import shorten

if TYPE_CHECKING:
    from alplint.result import FileResult
    from alplint.rules import Rule

QUESTION_WIDTH = 70


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    problems: int
    forms: int


@dataclass(frozen=True, slots=True)
class QuestionCount:
    """How many forms of a template have one question rule's problem with one question."""

    code: str
    question: str
    template: str
    forms: int
    template_forms: int

    @property
    def share(self) -> float:
        return self.forms / self.template_forms if self.template_forms else 0.0

    @property
    def in_every_form(self) -> bool:
        return self.forms == self.template_forms


def rule_counts(results: Sequence[FileResult], rules: Mapping[str, Rule]) -> list[RuleCount]:
    """Each reported rule with its number of problems and of forms, the most frequent first."""
    problems: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    for result in results:
        codes = [problem.code for problem in result.problems]
        problems.update(codes)
        forms.update(set(codes))
    counts = [
        RuleCount(code, rules[code].name if code in rules else "", count, forms[code])
        for code, count in problems.items()
    ]
    return sorted(counts, key=lambda row: (-row.problems, -row.forms, row.code))


def template_label(template: str, version: str | None) -> str:
    """How statistics name a template version: ``learningplan-opening version 2``."""
    return template if version is None else _("{name} version {version}", name=template, version=version)


def _label(result: FileResult) -> str | None:
    return template_label(result.template, result.version) if result.template else None


def template_counts(results: Sequence[FileResult]) -> list[tuple[str, int]]:
    """How many forms matched each template version, the most frequent first."""
    counts = Counter(label for result in results if (label := _label(result)) is not None)
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))


def question_counts(results: Sequence[FileResult]) -> list[QuestionCount]:
    """The question rules' problems by question and template version, the largest share of forms first."""
    template_forms: Counter[str] = Counter(label for result in results if (label := _label(result)))
    forms: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        label = _label(result)
        if label is None:
            continue
        keys = {(problem.code, problem.question, label) for problem in result.problems if problem.question}
        forms.update(keys)
    counts = [
        QuestionCount(code, question, template, count, template_forms[template])
        for (code, question, template), count in forms.items()
    ]
    return sorted(counts, key=lambda row: (-row.share, -row.forms, row.template, row.code, row.question))


def render_statistics(
    results: Sequence[FileResult], rules: Mapping[str, Rule], language: str = ENGLISH
) -> str:
    """The text ``--statistics`` prints: a table by rule, forms by template version, then the
    question rules by question; its words and numbers in ``language``."""

    def _number(value: int) -> str:
        return format_number(value, language)

    def say(message: str) -> str:
        return translate(message, language)

    forms = [result for result in results if result.is_form]
    by_rule = rule_counts(forms, rules)
    affected = sum(bool(result.problems) for result in forms)
    total = sum(row.problems for row in by_rule)
    if not by_rule:
        return say(_("No problems in {count:,} forms.", count=len(forms))) + "\n"
    problems_heading, forms_heading = say(_("problems")), say(_("forms"))
    lines: list[str] = [say(_("Problems by rule:"))]
    count_width = max(len(problems_heading), *(len(_number(row.problems)) for row in by_rule))
    forms_width = max(len(forms_heading), *(len(_number(row.forms)) for row in by_rule))
    rule_heading = say(_("rule"))
    lines.append(f"  {problems_heading:>{count_width}}  {forms_heading:>{forms_width}}  {rule_heading}")
    for row in by_rule:
        name = f" {row.name}" if row.name else ""
        lines.append(
            f"  {_number(row.problems):>{count_width}}  {_number(row.forms):>{forms_width}}  {row.code}{name}"
        )
    by_template = template_counts(forms)
    if by_template:
        lines += ["", say(_("Forms by template version:"))]
        width = max(len(_number(count)) for _label_, count in by_template)
        lines += [f"  {_number(count):>{width}}  {say(label)}" for label, count in by_template]
    by_question = question_counts(forms)
    if by_question:
        lines += ["", say(_("Questions, by the share of their template's forms with the problem:"))]
        for question in by_question:
            values = {
                "code": question.code,
                "question": shorten(question.question, QUESTION_WIDTH),
                "forms": question.forms,
                "total": question.template_forms,
                "template": question.template,
            }
            if question.in_every_form:
                lines.append(
                    say(
                        _(
                            "{code} {question}: {forms:,} of {total:,} {template} forms, in every form",
                            **values,
                        )
                    )
                )
            else:
                lines.append(say(_("{code} {question}: {forms:,} of {total:,} {template} forms", **values)))
    lines += [
        "",
        say(
            _(
                "{count:,} problems in {affected:,} of {forms:,} forms.",
                count=total,
                affected=affected,
                forms=len(forms),
            )
        ),
    ]
    return "\n".join(lines) + "\n"


def render_statistics_json(results: Sequence[FileResult], rules: Mapping[str, Rule]) -> str:
    """The same counts as ``render_statistics``, as JSON (``--statistics --format json``)."""
    forms = [result for result in results if result.is_form]
    by_rule = rule_counts(forms, rules)
    document = {
        "rules": [dataclasses.asdict(row) for row in by_rule],
        "templates": [{"template": label, "forms": count} for label, count in template_counts(forms)],
        "questions": [
            {**dataclasses.asdict(row), "in_every_form": row.in_every_form} for row in question_counts(forms)
        ],
        "summary": {
            "problems": sum(row.problems for row in by_rule),
            "forms_with_problems": sum(bool(result.problems) for result in forms),
            "forms": len(forms),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "QuestionCount",
    "RuleCount",
    "question_counts",
    "render_statistics",
    "render_statistics_json",
    "rule_counts",
    "template_counts",
    "template_label",
]
