"""``--new TEMPLATE``: a blank draft of a template, for an author to fill in.

The draft has the exporter's layout (title, tag block, sections, questions,
groups) with every value left empty, so that linting it untouched reports
exactly what the author still has to write: empty tags (ALP203), unanswered
questions (ALP401) and learning-cycle stages without a percentage (ALP501),
and never a structural problem.  Only the ``type`` tag is filled in, because
it tells alplint which template the draft follows, and the draft follows the
template's current version (the last in its schema file).  A checklist
question carries its options in an HTML comment, which neither readers nor
alplint's answer checks see.

Drafts and exports: under its title the draft carries the comment
``<!-- alplint-draft -->``, which tells alplint that the form was written by
hand.  The platform's export never carries radio-list answers nor the
learning-cycle percentages, so in an exported form (any form without the
comment) alplint reports their absence once per form, as warnings (ALP407,
ALP504); in a draft each unanswered one is an error (ALP401, ALP501), since
its author can and must fill it in.  Keep the comment while drafting; an
author who starts a draft from an exported form adds it by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from alplint.errors import UsageError
from alplint.i18n import ENGLISH, _, translate
from alplint.model import DRAFT_MARKER
from alplint.schema import SchemaSet
from alplint.suggest import closest
from alplint.template import CHOICE_KINDS, Template, TemplateQuestion

# The exporter writes these first, each followed by a blank line.
LEADING_TAGS = ("focal_point", "year", "type")
LOCATION_TAGS = ("country", "latlng")
GROUP_OPEN = '<div class="group">'
GROUP_CLOSE = "</div>"
# An empty title is a structural error (ALP102), so the draft says what belongs there.
TITLE_PLACEHOLDER = _("Write the title here")


def render_draft(template: Template, language: str = ENGLISH) -> str:
    """A blank form of ``template``, as text with ``\\n`` line endings.

    The title's placeholder and the comments are in ``language``; the
    headings and questions are the template's, as the platform writes them.
    """
    title = translate(TITLE_PLACEHOLDER, language)
    lines = [f"# {title}", f"<!-- {DRAFT_MARKER} -->", "", *_tag_block(template)]
    unsectioned = [question for question in template.questions if question.section is None]
    if unsectioned:
        lines.append("")
    for question in unsectioned:
        lines += _question(question, language)
    for section in template.sections:
        lines += [f"## {section.heading}", "****", ""]
        for question in section.questions:
            lines += _question(question, language)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _tag_block(template: Template) -> Iterator[str]:
    declared = template.declared_tags
    for key in LEADING_TAGS:
        if key in declared:
            yield f"[[{key}:{template.form_type if key == 'type' else ''}]]"
            yield ""
    others = sorted(key for key in declared if key not in LEADING_TAGS and key not in LOCATION_TAGS)
    for key in others:
        yield f"[[{key}:]]"
    if "country" in declared:
        yield "[[country:]]"
        if "latlng" in declared:
            yield "[[latlng:]]"


def _question(question: TemplateQuestion, language: str) -> Iterator[str]:
    yield f"> {question.text}"
    yield ""
    for paragraph in question.continuation:
        yield paragraph
        yield ""
    hint = _choice_hint(question, language)
    if hint:
        yield hint
        yield ""
    for child in question.children:
        yield from (GROUP_OPEN, "", f"> {child.text}", "")
        child_hint = _choice_hint(child, language)
        if child_hint:
            yield from (child_hint, "")
        yield from (GROUP_CLOSE, "")
    if not question.children:
        yield ""


def _choice_hint(question: TemplateQuestion, language: str) -> str | None:
    """The options of a checklist, in a comment: readers of the rendered form never see it, nor does alplint."""
    options = question.options
    if question.kind not in CHOICE_KINDS or not options:
        return None
    if any("--" in option for option in options):
        return None  # "--" would end the comment early
    listed = ", ".join(options)
    example = f'"- {options[0]}"'
    if question.kind == "choices":
        hint = _(
            "<!-- Choose one or more of: {options}. Write each on its own line, such as {example}. -->",
            options=listed,
            example=example,
        )
    else:
        hint = _(
            "<!-- Choose one of: {options}. Write it on a line such as {example}. -->",
            options=listed,
            example=example,
        )
    return translate(hint, language)


def template_names(schemas: SchemaSet) -> list[str]:
    return sorted(schemas.by_name)


def find_template(schemas: SchemaSet, name: str | None) -> Template:
    """The current version of the template ``--new`` names; a missing or unknown name is a
    ``UsageError`` listing the templates."""
    names = template_names(schemas)
    listed = ", ".join(names)
    if not name or not name.strip():
        raise UsageError(_("--new needs the name of a template: one of {names}", names=listed))
    wanted = name.strip()
    template = schemas.by_name.get(wanted) or schemas.by_name.get(wanted.lower())
    if template is not None:
        return template.current
    close = closest(wanted, names)
    hint = _('did you mean "{name}"? ', name=close[0]) if close else ""
    raise UsageError(
        _(
            '--new: there is no template "{name}"; {hint}the templates are {names}',
            name=wanted,
            hint=hint,
            names=listed,
        )
    )


__all__ = ["find_template", "render_draft", "template_names"]
