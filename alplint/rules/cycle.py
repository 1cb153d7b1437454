"""The learning cycle (ALP5): how the time was shared between Sense, Explore, Test, Grow.

The closing learning plan asks how much of the lab's time went to each
stage; each stage's group holds one percentage (``25%``, ``25``, ``25 %``,
``12.5%`` or ``12,5 %``) and the four must add up to 100.

ALP501 cycle-stage-missing
    A stage has no percentage, or its group is missing altogether.  One
    problem per stage, at the stage.

Failing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    </div>

Passing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    25%

    </div>

    <div class="group">

    > Explore

    25%

    </div>

    <div class="group">

    > Test

    25%

    </div>

    <div class="group">

    > Grow

    25%

    </div>

ALP502 cycle-invalid-percentage
    A stage's answer is not a single number from 0 to 100 (with an optional
    ``%`` and ``.`` or ``,`` decimals).

Failing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    about a quarter

    </div>

Passing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    12,5 %

    </div>

ALP503 cycle-sum
    Every stage has a valid percentage but they do not add up to 100; the
    message shows the sum.  Reported only when every stage is valid, so one
    mistake gives one problem.

Failing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    30%

    </div>

    <div class="group">

    > Explore

    30%

    </div>

    <div class="group">

    > Test

    30%

    </div>

    <div class="group">

    > Grow

    20%

    </div>

Passing example::

    # Barrio Intercambia
    [[focal_point:ana@undp.org]]
    [[year:2021]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
    ## Learnings on your challenge
    ****

    > For this frontier challenge, how much of your time did you dedicate to the stages in the learning cycle? Please make sure that your answers adds up to 100%.

    <div class="group">

    > Sense

    30%

    </div>

    <div class="group">

    > Explore

    30%

    </div>

    <div class="group">

    > Test

    20%

    </div>

    <div class="group">

    > Grow

    20%

    </div>
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from alplint.model import Form
from alplint.problem import Problem
from alplint.rules import Option, Rule
from alplint.template import Binding, TemplateQuestion, child_answer, child_span

RULES = (
    Rule("ALP501", "cycle-stage-missing", "error", "A learning-cycle stage has no percentage"),
    Rule("ALP502", "cycle-invalid-percentage", "error", "A stage's answer is not a number from 0 to 100"),
    Rule("ALP503", "cycle-sum", "error", "The stages' percentages do not add up to 100"),
)
OPTIONS: Mapping[str, Option] = {}

_PERCENTAGE = re.compile(r"(?P<number>\d{1,3}(?:[.,]\d+)?)\s*%?")
# Decimal percentages such as 33.3 + 33.3 + 33.4 are exact in intent, not in binary.
_TOLERANCE = 1e-6


def parse_percentage(text: str) -> float | None:
    match = _PERCENTAGE.fullmatch(text.strip())
    if match is None:
        return None
    value = float(match["number"].replace(",", "."))
    return value if 0 <= value <= 100 else None


def _format(value: float) -> str:
    return f"{value:g}"


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    if binding is None:
        return
    for wanted in binding.template.questions:
        if wanted.kind == "learning-cycle" and wanted in binding.questions:
            yield from _cycle(binding, wanted)


def _cycle(binding: Binding, wanted: TemplateQuestion) -> Iterator[Problem]:
    question = binding.questions[wanted]
    values: list[tuple[str, float]] = []
    for stage in wanted.stages:
        node = binding.child(wanted, TemplateQuestion(stage, wanted.section))
        if node is None:
            yield Problem.at(
                question.text_span,
                "ALP501",
                f'Learning-cycle stage "{stage}" is missing: add a group "> {stage}" '
                "with its percentage after this question",
                subject=f"{wanted.text}\n{stage}",
            )
            continue
        answer = child_answer(node)
        span = child_span(node)
        if answer.is_empty:
            yield Problem.at(
                span,
                "ALP501",
                f'Learning-cycle stage "{stage}" has no percentage',
                subject=f"{wanted.text}\n{stage}",
            )
            continue
        value = parse_percentage(answer.text)
        if value is None:
            yield Problem.at(
                answer.blocks[0].span,
                "ALP502",
                f'Learning-cycle stage "{stage}" must be one number from 0 to 100 such as "25%"; '
                f'it is "{answer.text.strip()[:40]}"',
                subject=f"{wanted.text}\n{stage}",
            )
            continue
        values.append((stage, value))
    if len(values) != len(wanted.stages):
        return
    total = sum(value for _, value in values)
    if abs(total - 100) > _TOLERANCE:
        terms = " + ".join(f"{stage} {_format(value)}" for stage, value in values)
        yield Problem.at(
            question.text_span,
            "ALP503",
            f"The learning-cycle percentages add up to {_format(total)}, not 100: "
            f"{terms} = {_format(total)}, expected 100",
            subject=wanted.text,
        )
