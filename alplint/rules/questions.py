"""Questions and answers (ALP4): every question of the template, answered.

Questions are matched to the template by their text (case, spacing, quotes
and HTML entities ignored), wherever they stand in the form; a question
reworded only slightly still counts.  The text also tells which version of
its template a form follows (``schema.SchemaSet.choose``): the version that
knows most of its questions, less the required ones it lacks; a form that
mixes versions is judged against the closest.  A solution (a form type whose
labs design their own templates) whose questions match no known version
follows a template of its own: alplint cannot tell which questions it needs,
so this family says nothing about it (its tags, locations and Markdown are
still checked; an empty answer there is, in the archive, one the export
could not carry).  The continuation paragraphs of a multi-paragraph
instruction ("Please note: ...") belong to the template, so an answer made
only of them is no answer.

Drafts and exports.  The platform's export never carries the answers to
radio-list questions (``kind: radio`` in the schema): in an exported form
they are reported once per form (ALP407, a warning).  A draft written by
hand says so with the comment ``<!-- alplint-draft -->`` under its title
(``alplint --new`` writes it); there each unanswered radio list is an
ALP401 error, like any other question.

ALP401 unanswered-question
    A required question of the template has an empty answer (a checklist
    with nothing ticked, a lone ``- ``, is empty too).  In a draft, this
    includes radio-list questions.

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
    A required question of the template is not in the form at all.  In an
    export, answer it on the platform: an export may leave out a question
    that was never answered there.  In a draft, it was deleted or reworded
    beyond recognition: copy it back from the template (``alplint --new
    TEMPLATE`` prints one).

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
    A section heading the template requires is absent.  A heading line that
    is there stands for its section whatever it reads (translated, lower
    case, empty, repeated once per learning question) when the section's
    questions follow it; a heading without questions of its own is
    recognised by its text or by its place between its neighbours.  The
    questions are still recognised where they stand, so only the heading is
    reported.  A section absent with all its questions (a form that stops
    early) is reported by its missing required questions (ALP402) alone.

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
    ## Énoncé du défi
    ****
    ## Classement du défi
    ****
    ## Partners
    ****
    ## Learning questions
    ****
    ## Closing
    ****

ALP407 answer-not-exported
    Radio-list answers left empty in an exported form: the platform's export
    never carries them under their question ("Challenge type", a partner's
    sector, whether the partner is new to UNDP, an experiment's status and
    estimated cost).  An experiment's status and cost are exported as the
    tags ``experiment_status`` and ``total_cost`` instead (``answer-tag`` in
    the schema): where the tag holds a value, the answer is there.  One
    warning per form names those missing.  Check them on the platform; for an
    archive of exports, ignore ALP407.  A draft written by hand carries
    ``<!-- alplint-draft -->`` under its title and must answer them (ALP401).

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

    > Challenge type: If you are working on multiple challenges, please indicate if this is your "big bet" or "exploratory" challenge.

    Please note: we ask you to only submit a maximum of 3 challenges - 1x Big Bet, 2x Exploratory. Each challenge must be submitted individually.

Passing example::

    # Rangeland monitoring
    <!-- alplint-draft -->
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:learningplan]]
    [[datasources:surveys]]
    [[methods:pilots]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]
    ## Challenge statement
    ****

    > Challenge type: If you are working on multiple challenges, please indicate if this is your "big bet" or "exploratory" challenge.

    Please note: we ask you to only submit a maximum of 3 challenges - 1x Big Bet, 2x Exploratory. Each challenge must be submitted individually.

    - Big bet
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alplint.i18n import _, ngettext
from alplint.model import Form, Section, Span
from alplint.problem import Problem
from alplint.rules import Option, Rule
from alplint.suggest import closest
from alplint.template import (
    CHOICE_KINDS,
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
    Rule(
        "ALP407",
        "answer-not-exported",
        "warning",
        "Radio-list answers the platform's export drops, once per exported form",
    ),
)
OPTIONS: Mapping[str, Option] = {
    "placeholder-words": Option(
        "text", ["N/A", "NA", "TBD", "TBC", "TODO", "-", "...", "?", "xxx", "lorem ipsum"], many=True
    ),
}

_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+(?P<value>.*?)\s*")
# A checklist with nothing ticked is exported as a lone "- ".
_EMPTY_ITEM = re.compile(r"\s*[-*+]\s*")
_LOREM = "lorem ipsum"


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    if binding is None or binding.template.own:
        return  # a template of the authors' own says nothing of which questions a form needs
    placeholders = _placeholders(tuple(options.get("placeholder-words", ())))
    placed = _place_sections(form, binding)
    yield from _missing_sections(form, binding, placed)
    not_exported: list[tuple[TemplateQuestion, Span]] = []
    for wanted in binding.template.questions:
        question = binding.questions.get(wanted)
        if question is None:
            if not wanted.required:
                continue
            where = _where_missing(form, binding, wanted, placed)
            if _export_drops(wanted, form):
                _add_unless_tagged(not_exported, wanted, where, form)
            else:
                yield _missing(wanted, where, form)
            continue
        if wanted.kind == "learning-cycle":
            continue  # its stages are the cycle family's
        if wanted.subquestions:
            for child in wanted.subquestions:
                node = binding.child(wanted, child)
                if node is None:
                    if not child.required:
                        continue
                    if _export_drops(child, form):
                        _add_unless_tagged(not_exported, child, question.text_span, form)
                    else:
                        yield _missing(child, question.text_span, form)
                    continue
                yield from _answer_problems(
                    child, child_answer(node), child_span(node), placeholders, form, not_exported
                )
            continue
        answer = binding.answer(wanted)
        assert answer is not None
        yield from _answer_problems(wanted, answer, question.text_span, placeholders, form, not_exported)
    if not_exported:
        yield _not_exported(not_exported)


@dataclass(frozen=True, slots=True)
class _Placeholders:
    """The placeholder words, normalised, and how long an answer may be and still be one."""

    keys: frozenset[str]
    # Placeholders are short: a longer answer need not be normalised to know it is none.
    longest: int


@functools.lru_cache(maxsize=8)
def _placeholders(words: tuple[str, ...]) -> _Placeholders:
    keys = frozenset(normalise(word) for word in words)
    return _Placeholders(keys, max(map(len, keys), default=0) * 2 + 16)


def _place_sections(form: Form, binding: Binding) -> dict[int, Section]:
    """Where each template section stands in the form, by the index of the template section.

    A heading that reads as the template's stands for its section.  Any other heading stands for
    the section of the first question that follows it, whatever it reads (translated, lower
    case, empty, repeated once per learning question).  A heading without questions of its own
    (or whose questions are all absent) is found by its place: a heading that stands for no
    section, between the headings of the sections before and after it.
    """
    sections = binding.template.sections
    by_heading = {section.key: index for index, section in reversed(list(enumerate(sections)))}
    index_of = {id(wanted): index for index, section in enumerate(sections) for wanted in section.questions}
    section_of_question = {
        id(question): index_of[id(wanted)]
        for wanted, question in binding.questions.items()
        if id(wanted) in index_of
    }
    stands_for: list[int | None] = []
    placed: dict[int, Section] = {}
    for section in form.sections:
        index = by_heading.get(normalise(section.heading))
        if index is None or index in placed:
            index = next(
                (section_of_question[id(q)] for q in section.questions if id(q) in section_of_question), None
            )
        stands_for.append(index)
        if index is not None:
            placed.setdefault(index, section)
    for index in range(len(sections)):
        if index in placed:
            continue
        before = max(
            (p for p, other in enumerate(stands_for) if other is not None and other < index), default=-1
        )
        after = min(
            (p for p, other in enumerate(stands_for) if other is not None and other > index),
            default=len(stands_for),
        )
        free = next((p for p in range(before + 1, after) if stands_for[p] is None), None)
        if free is not None:
            stands_for[free] = index
            placed[index] = form.sections[free]
    return placed


def _missing_sections(form: Form, binding: Binding, placed: Mapping[int, Section]) -> Iterator[Problem]:
    for index, section in enumerate(binding.template.sections):
        if not section.required or index in placed:
            continue
        found = [binding.questions[q] for q in section.questions if q in binding.questions]
        if section.questions and not found:
            # None of its questions is there either (a form that stops early): the missing required
            # ones are ALP402's, one problem each; a heading alone adds no mistake to them.
            continue
        span = found[0].span if found else form.title_span
        if found:
            message = _(
                'The section "{section}" is missing: add the heading "## {section}", before "{question}"',
                section=section.heading,
                question=shorten(found[0].text, 40),
            )
        else:
            message = _(
                'The section "{section}" is missing: add the heading "## {section}"', section=section.heading
            )
        yield Problem.at(span, "ALP406", message, subject=f"section:{section.heading}")


def _where_missing(
    form: Form, binding: Binding, wanted: TemplateQuestion, placed: Mapping[int, Section]
) -> Span:
    for index, section in enumerate(binding.template.sections):
        if any(question is wanted for question in section.questions):
            return placed[index].span if index in placed else form.title_span
    return form.title_span


def _missing(wanted: TemplateQuestion, span: Span, form: Form) -> Problem:
    if form.origin == "export":
        message = _(
            "The question {question} is not in the form: answer it on the platform (an export may leave "
            "out a question that was never answered there)",
            question=wanted.label,
        )
    else:
        message = _(
            "The question {question} is missing from the form (deleted, or reworded beyond "
            "recognition); copy it back from the template",
            question=wanted.label,
        )
    return Problem.at(span, "ALP402", message, subject=wanted.text, question=wanted.text)


def _not_exported(questions: Sequence[tuple[TemplateQuestion, Span]]) -> Problem:
    names = ", ".join(f'"{shorten(wanted.text, 45)}"' for wanted, _span in questions)
    message = ngettext(
        "The answer to {questions} is not in the form: the platform's export drops radio-list answers. "
        "Check it on the platform, or ignore ALP407 for an archive of exports; a draft written by hand "
        'says so with "<!-- alplint-draft -->" under its title, and must answer it',
        "The answers to {questions} are not in the form: the platform's export drops radio-list answers. "
        "Check them on the platform, or ignore ALP407 for an archive of exports; a draft written by hand "
        'says so with "<!-- alplint-draft -->" under its title, and must answer them',
        len(questions),
        questions=names,
    )
    subject = "\n".join(wanted.text for wanted, _span in questions)
    return Problem.at(questions[0][1], "ALP407", message, subject=subject)


def _export_drops(wanted: TemplateQuestion, form: Form) -> bool:
    """Whether the form is an export, which never writes a radio list's answer under its question."""
    return wanted.kind == "radio" and form.origin == "export"


def _add_unless_tagged(
    not_exported: list[tuple[TemplateQuestion, Span]], wanted: TemplateQuestion, where: Span, form: Form
) -> None:
    """Count a radio list's answer as dropped by the export, unless the tag that carries it holds it."""
    if wanted.answer_tag is None or not any(tag.value.strip() for tag in form.tag_values(wanted.answer_tag)):
        not_exported.append((wanted, where))


def _answer_problems(
    wanted: TemplateQuestion,
    answer: Answer,
    span: Span,
    placeholders: _Placeholders,
    form: Form,
    not_exported: list[tuple[TemplateQuestion, Span]],
) -> Iterator[Problem]:
    chosen = _chosen(answer) if wanted.kind in CHOICE_KINDS else None
    if answer.is_empty or chosen == []:
        if not wanted.required:
            return
        if _export_drops(wanted, form):
            _add_unless_tagged(not_exported, wanted, span, form)
            return
        yield Problem.at(
            span,
            "ALP401",
            _("The question {question} has no answer", question=wanted.label),
            subject=wanted.text,
            question=wanted.text,
        )
        return
    if wanted.required and _is_placeholder(answer.text, placeholders):
        yield Problem.at(
            answer.blocks[0].span,
            "ALP403",
            _(
                'The answer to {question} is only a placeholder ("{answer}"); write the real answer',
                question=wanted.label,
                answer=shorten(answer.text, 30),
            ),
            subject=wanted.text,
            question=wanted.text,
        )
        return
    if wanted.max_length is not None:
        length = len(html.unescape(answer.text))
        if length > wanted.max_length:
            yield Problem.at(
                answer.blocks[0].span,
                "ALP404",
                _(
                    "The answer to {question} has {length} characters; at most {limit} are allowed, so cut {excess}",
                    question=wanted.label,
                    length=length,
                    limit=wanted.max_length,
                    excess=length - wanted.max_length,
                ),
                subject=wanted.text,
                question=wanted.text,
            )
    if chosen:
        yield from _choices(wanted, chosen)


def _is_placeholder(text: str, placeholders: _Placeholders) -> bool:
    if len(text) > placeholders.longest and not text.lstrip()[: len(_LOREM)].casefold().startswith(_LOREM):
        return False
    key = normalise(text)
    if key in placeholders.keys:
        return True
    return _LOREM in placeholders.keys and key.startswith(_LOREM)


def _chosen(answer: Answer) -> list[tuple[str, Span]]:
    """The selected options: the ``- option`` lines, or the plain lines of an answer without any.

    Unticked items (a lone ``- ``) choose nothing; lines that are not items in an answer that
    has items (an image pasted after the list) are not choices.
    """
    lines = [
        (block.span.line + offset, line)
        for block in answer.blocks
        for offset, line in enumerate(block.lines)
        if line.strip()
    ]
    items = [(number, line, _LIST_ITEM.fullmatch(line)) for number, line in lines]
    listed = any(item is not None or _EMPTY_ITEM.fullmatch(line) for _n, line, item in items)
    chosen: list[tuple[str, Span]] = []
    for number, line, item in items:
        if item is not None:
            value, column = item["value"], item.start("value") + 1
            if not value:
                continue
        elif listed:
            continue
        else:
            value, column = line.strip(), len(line) - len(line.lstrip()) + 1
        chosen.append((value, Span(number, column, number, column + max(len(value), 1))))
    return chosen


def _choices(wanted: TemplateQuestion, chosen: list[tuple[str, Span]]) -> Iterator[Problem]:
    if wanted.options:
        options = {normalise(option) for option in wanted.options}
        for value, span in chosen:
            if normalise(value) in options:
                continue
            yield Problem.at(
                span,
                "ALP405",
                _(
                    '"{value}" is not an option of {question}; {hint}',
                    value=shorten(value, 40),
                    question=wanted.label,
                    hint=_did_you_mean(value, wanted.options),
                ),
                subject=f"{wanted.text}\n{value}",
                question=wanted.text,
            )
    if wanted.kind in ("choice", "radio") and len(chosen) > 1:
        value, span = chosen[1]
        yield Problem.at(
            span,
            "ALP405",
            _(
                "Only one option may be chosen for {question}; it has {count}",
                question=wanted.label,
                count=len(chosen),
            ),
            subject=f"{wanted.text}\n{value}",
            question=wanted.text,
        )


@functools.lru_cache(maxsize=4096)
def _did_you_mean(value: str, options: tuple[str, ...]) -> str:
    close = closest(value, options)
    listed = ", ".join(f'"{option}"' for option in options)
    if close:
        return _('did you mean "{option}"? (options: {options})', option=close[0], options=listed)
    return _("choose one of {options}", options=listed)
