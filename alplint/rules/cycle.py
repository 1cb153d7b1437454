"""The learning cycle (ALP5): how the time was shared between Sense, Explore, Test, Grow.

The closing learning plan (version 1) asks how much of the lab's time went to
each stage; each stage's group holds one percentage (``25%``, ``25``,
``25 %``, ``12.5%`` or ``12,5 %``) and the four must add up to 100.

Drafts and exports.  The platform's export never carries the percentages:
an exported form (one without the comment ``<!-- alplint-draft -->`` under
its title) in which no stage has one gets a single warning (ALP504).  In a
draft written by hand, and in an export that does hold some percentages,
each stage without one is an error (ALP501).  ALP502 and ALP503 apply
wherever there are numbers.

ALP501 cycle-stage-missing
    A stage has no percentage, or its group is missing altogether.  One
    problem per stage, at the stage.

Failing example::

    # Barrio Intercambia
    <!-- alplint-draft -->
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

ALP504 cycle-not-exported
    An exported form whose learning-cycle stages are all empty: the
    platform's export never carries the percentages (all 268 exported
    closing forms of the archive with the stages' groups have them empty).
    One warning per form.  Check them on the platform; for an archive of
    exports, ignore ALP504.  A draft written by hand carries
    ``<!-- alplint-draft -->`` under its title and must fill them in
    (ALP501).

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

    <div class="group">

    > Explore

    </div>

    <div class="group">

    > Test

    </div>

    <div class="group">

    > Grow

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

    40%

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

    10%

    </div>
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from alplint.i18n import _
from alplint.model import Form
from alplint.problem import Problem
from alplint.rules import Option, Rule
from alplint.template import Binding, TemplateQuestion, child_answer, child_span

RULES = (
    Rule("ALP501", "cycle-stage-missing", "error", "A learning-cycle stage has no percentage"),
    Rule("ALP502", "cycle-invalid-percentage", "error", "A stage's answer is not a number from 0 to 100"),
    Rule("ALP503", "cycle-sum", "error", "The stages' percentages do not add up to 100"),
    Rule(
        "ALP504",
        "cycle-not-exported",
        "warning",
        "Learning-cycle percentages the platform's export drops, once per exported form",
    ),
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
    nodes = [(stage, binding.child(wanted, stage)) for stage in wanted.children]
    if binding.form.origin == "export" and all(
        node is None or child_answer(node).is_empty for _stage, node in nodes
    ):
        names = ", ".join(stage.text for stage in wanted.children)
        yield Problem.at(
            question.text_span,
            "ALP504",
            _(
                "The learning-cycle percentages ({stages}) are not in the form: the platform's export "
                "drops them. Check them on the platform, or ignore ALP504 for an archive of exports; a "
                'draft written by hand says so with "<!-- alplint-draft -->" under its title, and must '
                "fill them in",
                stages=names,
            ),
            subject=wanted.text,
        )
        return
    values: list[tuple[str, float]] = []
    for stage, node in nodes:
        subject = f"{wanted.text}\n{stage.text}"
        if node is None:
            yield Problem.at(
                question.text_span,
                "ALP501",
                _(
                    'Learning-cycle stage "{stage}" is missing: after this question, add the line '
                    '"> {stage}" and its percentage below it',
                    stage=stage.text,
                ),
                subject=subject,
            )
            continue
        answer = child_answer(node)
        if answer.is_empty:
            yield Problem.at(
                child_span(node),
                "ALP501",
                _('Learning-cycle stage "{stage}" has no percentage', stage=stage.text),
                subject=subject,
            )
            continue
        value = parse_percentage(answer.text)
        if value is None:
            yield Problem.at(
                answer.blocks[0].span,
                "ALP502",
                _(
                    'Learning-cycle stage "{stage}" must be one number from 0 to 100 such as "25%"; it is "{answer}"',
                    stage=stage.text,
                    answer=answer.text.strip()[:40],
                ),
                subject=subject,
            )
            continue
        values.append((stage.text, value))
    if len(values) != len(nodes):
        return
    total = sum(value for _stage, value in values)
    if abs(total - 100) > _TOLERANCE:
        terms = " + ".join(f"{stage} {_format(value)}" for stage, value in values)
        yield Problem.at(
            question.text_span,
            "ALP503",
            _(
                "The learning-cycle percentages add up to {total}, not 100: {terms} = {total}, expected 100",
                total=_format(total),
                terms=terms,
            ),
            subject=wanted.text,
        )
