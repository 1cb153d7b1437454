"""Questions and answers (ALP4): every question of the template, answered.

Questions are matched to the template by their text (case, spacing, quotes
and HTML entities ignored), wherever they stand in the form; a question
reworded only slightly still counts.  The continuation paragraphs of a
multi-paragraph instruction ("Please note: ...") belong to the template, so
an answer made only of them is no answer.

ALP401 unanswered-question
    A required question of the template has an empty answer.

Failing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    > Do you have a prototype for your innovation?

    - yes

Passing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    Kiosks that charge phones from a solar panel.

    > Do you have a prototype for your innovation?

    - yes

ALP402 missing-question
    A required question of the template is not in the form at all: it was
    deleted, or reworded beyond recognition.  Copy it back from the
    template (``alplint --new TEMPLATE`` prints one).

Failing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Do you have a prototype for your innovation?

    - yes

Passing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    Kiosks that charge phones from a solar panel.

    > Do you have a prototype for your innovation?

    - yes

ALP403 placeholder-answer
    A required question answered only with a placeholder (``N/A``, ``TBD``,
    ``TODO``, ``-``, ``...``, ``?``, ``xxx``, ``lorem ipsum``): the form
    looks complete but says nothing.  The words are the option
    ``placeholder-words``.

Failing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    TBD

    > Do you have a prototype for your innovation?

    - yes

Passing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    Kiosks that charge phones from a solar panel.

    > Do you have a prototype for your innovation?

    - yes

ALP404 answer-too-long
    An answer longer than the template allows, such as the "tweet" summary
    of the opening learning plan (280 characters, counted as a reader sees
    them: ``&amp;`` is one character).

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]
    ## Challenge statement
    ****

    > Short “tweet” summary: We would like to tweet what you are working on, can you summarize your challenge in a maximum of 280 characters?

    Rangelands cover most of the country and are degrading fast; herders, banks and ministries lack shared, verifiable data on pasture health and carbon, so green loans and carbon markets cannot reach them. We link field photos and satellite pixels through machine learning to fill that gap now.

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]
    ## Challenge statement
    ****

    > Short “tweet” summary: We would like to tweet what you are working on, can you summarize your challenge in a maximum of 280 characters?

    Linking field photos and satellite pixels to give herders and banks verifiable rangeland carbon data.

ALP405 invalid-choice
    A checklist answer that is not one of the template's options (compared
    case-insensitively), or several options where only one may be chosen.

Failing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    Kiosks that charge phones from a solar panel.

    > Do you have a prototype for your innovation?

    - yess

Passing example::

    # Solar kiosks
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:solution]]
    [[country:Zambia]]
    [[latlng:-15.39,28.32]]

    > Title of the innovation

    Solar kiosks

    > Brief description of the innovation

    Kiosks that charge phones from a solar panel.

    > Do you have a prototype for your innovation?

    - Yes

ALP406 missing-section
    A section heading the template requires is absent.  Its questions are
    still recognised where they stand, so only the heading is reported.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

    > Please provide a name for your action learning plan.

    Rangeland monitoring

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]
    ## Title
    ****

    > Please provide a name for your action learning plan.

    Rangeland monitoring
    ## Challenge statement
    ****
    ## Challenge classification
    ****
    ## Partners
    ****
    ## Learning questions
    ****
    ## Closing
    ****
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from alplint.model import Form, Span
from alplint.problem import Problem
from alplint.rules import Option, Rule
from alplint.template import (
    Answer,
    Binding,
    TemplateQuestion,
    child_answer,
    child_span,
    normalise,
    shorten,
)

RULES = (
    Rule("ALP401", "unanswered-question", "error", "A required question has an empty answer"),
    Rule("ALP402", "missing-question", "error", "A required question of the template is not in the form"),
    Rule("ALP403", "placeholder-answer", "warning", "A required question answered only with a placeholder"),
    Rule("ALP404", "answer-too-long", "error", "An answer longer than the template allows"),
    Rule("ALP405", "invalid-choice", "error", "A checklist answer that is not one of the template's options"),
    Rule("ALP406", "missing-section", "error", "A section heading the template requires is absent"),
)
OPTIONS: Mapping[str, Option] = {
    "placeholder-words": Option(["N/A", "NA", "TBD", "TBC", "TODO", "-", "...", "?", "xxx", "lorem ipsum"]),
}

_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+(?P<value>.*?)\s*")
_LOREM = "lorem ipsum"


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    if binding is None:
        return
    placeholders = {normalise(word) for word in options.get("placeholder-words", ())}
    yield from _sections(form, binding)
    for wanted in binding.template.questions:
        question = binding.questions.get(wanted)
        if question is None:
            if wanted.required:
                yield _missing(wanted, _where_missing(form, wanted))
            continue
        if wanted.kind == "learning-cycle":
            continue  # its stages are the cycle family's
        if wanted.subquestions:
            for child in wanted.subquestions:
                node = binding.child(wanted, child)
                if node is None:
                    if child.required:
                        yield _missing(child, question.text_span)
                    continue
                yield from _answer_problems(child, child_answer(node), child_span(node), placeholders)
            continue
        answer = binding.answer(wanted)
        assert answer is not None
        yield from _answer_problems(wanted, answer, question.text_span, placeholders)


def _sections(form: Form, binding: Binding) -> Iterator[Problem]:
    present = {normalise(section.heading) for section in form.sections}
    for section in binding.template.sections:
        if not section.required or normalise(section.heading) in present:
            continue
        found = [binding.questions[q] for q in section.questions if q in binding.questions]
        span = found[0].span if found else form.title_span
        before = f', before "{shorten(found[0].text, 40)}"' if found else ""
        yield Problem.at(
            span,
            "ALP406",
            f'The section "{section.heading}" is missing: add the heading "## {section.heading}"{before}',
            subject=f"section:{section.heading}",
        )


def _where_missing(form: Form, wanted: TemplateQuestion) -> Span:
    if wanted.section is not None:
        key = normalise(wanted.section)
        for section in form.sections:
            if normalise(section.heading) == key:
                return section.span
    return form.title_span


def _missing(wanted: TemplateQuestion, span: Span) -> Problem:
    return Problem.at(
        span,
        "ALP402",
        f"The question {wanted.label} is missing from the form (deleted, or reworded beyond "
        "recognition); copy it back from the template",
        subject=wanted.text,
    )


def _answer_problems(
    wanted: TemplateQuestion, answer: Answer, span: Span, placeholders: set[str]
) -> Iterator[Problem]:
    if answer.is_empty:
        if wanted.required:
            yield Problem.at(
                span, "ALP401", f"The question {wanted.label} has no answer", subject=wanted.text
            )
        return
    if wanted.required and _is_placeholder(answer.text, placeholders):
        yield Problem.at(
            answer.blocks[0].span,
            "ALP403",
            f'The answer to {wanted.label} is only a placeholder ("{shorten(answer.text, 30)}"); '
            "write the real answer",
            subject=wanted.text,
        )
        return
    if wanted.max_length is not None:
        length = len(html.unescape(answer.text))
        if length > wanted.max_length:
            yield Problem.at(
                answer.blocks[0].span,
                "ALP404",
                f"The answer to {wanted.label} has {length} characters; "
                f"at most {wanted.max_length} are allowed, so cut {length - wanted.max_length}",
                subject=wanted.text,
            )
    if wanted.kind in ("choice", "choices"):
        yield from _choices(wanted, answer)


def _is_placeholder(text: str, placeholders: set[str]) -> bool:
    # Placeholders are short: a long answer need not be normalised to know it is none.
    longest = max(map(len, placeholders), default=0) * 2 + 16
    if len(text) > longest and not text.lstrip()[: len(_LOREM)].casefold().startswith(_LOREM):
        return False
    key = normalise(text)
    if key in placeholders:
        return True
    return _LOREM in placeholders and key.startswith(_LOREM)


def _chosen(answer: Answer) -> list[tuple[str, Span]]:
    """The selected options: ``- option`` lines, or the plain lines of a short answer."""
    chosen: list[tuple[str, Span]] = []
    for block in answer.blocks:
        for offset, line in enumerate(block.lines):
            if not line.strip():
                continue
            number = block.span.line + offset
            item = _LIST_ITEM.fullmatch(line)
            value = item["value"] if item else line.strip()
            column = (item.start("value") if item else len(line) - len(line.lstrip())) + 1
            chosen.append((value, Span(number, column, number, column + max(len(value), 1))))
    return chosen


def _choices(wanted: TemplateQuestion, answer: Answer) -> Iterator[Problem]:
    chosen = _chosen(answer)
    if wanted.options:
        options = {normalise(option): option for option in wanted.options}
        for value, span in chosen:
            if normalise(value) in options:
                continue
            yield Problem.at(
                span,
                "ALP405",
                f'"{shorten(value, 40)}" is not an option of {wanted.label}; '
                f"{_did_you_mean(value, wanted.options)}",
                subject=f"{wanted.text}\n{value}",
            )
    if wanted.kind == "choice" and len(chosen) > 1:
        value, span = chosen[1]
        yield Problem.at(
            span,
            "ALP405",
            f"Only one option may be chosen for {wanted.label}; it has {len(chosen)}",
            subject=f"{wanted.text}\n{value}",
        )


def _did_you_mean(value: str, options: Sequence[str]) -> str:
    by_key = {option.casefold(): option for option in options}
    close = difflib.get_close_matches(value.casefold(), list(by_key), n=1, cutoff=0.6)
    listed = ", ".join(f'"{option}"' for option in options)
    if close:
        return f'did you mean "{by_key[close[0]]}"? (options: {listed})'
    return f"choose one of {listed}"
