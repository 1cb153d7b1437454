"""``--statistics``: what an archive's problems add up to, for analysts.

First how often each rule fires and in how many forms; then, for the
question rules, how many of a template's forms have the problem with each
question.  The per-question lines are sorted by that share, so a question
unanswered in every form of a template (the exporter dropping radio-list
answers, say) leads the list instead of hiding among thousands of lines.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alplint.template import shorten

if TYPE_CHECKING:
    from alplint.engine import FileResult
    from alplint.rules import Rule

# The rules whose subject is a question of the template (ALP405: the question, then the choice).
QUESTION_CODES = frozenset({"ALP401", "ALP402", "ALP403", "ALP404", "ALP405"})
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


def question_counts(results: Sequence[FileResult]) -> list[QuestionCount]:
    """The question rules' problems by question and template, the largest share of forms first."""
    template_forms: Counter[str] = Counter(result.template for result in results if result.template)
    forms: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        if result.template is None:
            continue
        keys = {
            (problem.code, problem.subject.split("\n", 1)[0], result.template)
            for problem in result.problems
            if problem.code in QUESTION_CODES and problem.subject
        }
        forms.update(keys)
    counts = [
        QuestionCount(code, question, template, count, template_forms[template])
        for (code, question, template), count in forms.items()
    ]
    return sorted(counts, key=lambda row: (-row.share, -row.forms, row.template, row.code, row.question))


def _number(value: int) -> str:
    return f"{value:,}"


def render_statistics(results: Sequence[FileResult], rules: Mapping[str, Rule]) -> str:
    """The text ``--statistics`` prints: a table by rule, then the question rules by question."""
    forms = [result for result in results if result.is_form]
    by_rule = rule_counts(forms, rules)
    affected = sum(bool(result.problems) for result in forms)
    total = sum(row.problems for row in by_rule)
    if not by_rule:
        return f"No problems in {_number(len(forms))} forms.\n"
    lines = ["Problems by rule:"]
    count_width = max(len("problems"), *(len(_number(row.problems)) for row in by_rule))
    forms_width = max(len("forms"), *(len(_number(row.forms)) for row in by_rule))
    lines.append(f"  {'problems':>{count_width}}  {'forms':>{forms_width}}  rule")
    for row in by_rule:
        name = f" {row.name}" if row.name else ""
        lines.append(
            f"  {_number(row.problems):>{count_width}}  {_number(row.forms):>{forms_width}}  {row.code}{name}"
        )
    by_question = question_counts(forms)
    if by_question:
        lines += ["", "Questions, by the share of their template's forms with the problem:"]
        for row in by_question:
            every = ", in every form" if row.in_every_form else ""
            lines.append(
                f"{row.code} {shorten(row.question, QUESTION_WIDTH)}: {_number(row.forms)} of "
                f"{_number(row.template_forms)} {row.template} forms{every}"
            )
    lines += ["", f"{_number(total)} problems in {_number(affected)} of {_number(len(forms))} forms."]
    return "\n".join(lines) + "\n"


def render_statistics_json(results: Sequence[FileResult], rules: Mapping[str, Rule]) -> str:
    """The same counts as ``render_statistics``, as JSON (``--statistics --format json``)."""
    forms = [result for result in results if result.is_form]
    by_rule = rule_counts(forms, rules)
    document = {
        "rules": [dataclasses.asdict(row) for row in by_rule],
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
]
