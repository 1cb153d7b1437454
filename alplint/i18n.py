"""Messages that can be shown in English, Spanish or French.

A rule writes a message as ``_('The tag "{key}" has no value', key=tag.key)``.
The result is the English text, a plain ``str`` to everything that prints,
compares or stores it, that also remembers its template and arguments, so a
reporter can show it in another language with ``translate``.  Arguments may
be messages themselves (a did-you-mean hint): they are translated too.
Values quoted from the form (a country, a question) are arguments, so they
stay as the form has them.

Templates use ``str.format`` fields with names (``{key}``), never positions,
so a translation may put them in another order; ``ngettext`` chooses the
singular or plural template by a count.  A number written ``{count:,}`` is
grouped as the reader's language groups it (``12,345``, ``12.345``,
``12\u202f345``).  Catalogs are gettext ``.mo`` files in ``alplint/locale``,
compiled with Babel from the ``.po`` files kept next to them;
``tools/catalogs.py`` extracts every template (the calls of ``_`` and
``ngettext``, the rules' summaries and the explanations in their
docstrings), updates the ``.po`` files and compiles them.

Which language: ``--lang`` or the configuration's ``lang`` when given, else
the environment as gettext reads it (``language_from_environment``).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "alplint"
# The languages alplint speaks; English is the language of the templates themselves.
LANGUAGES = ("en", "es", "fr")
ENGLISH = "en"
# Where gettext looks for the reader's language, in its order: the first one set decides.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Message(str):
    """The English text of a message, with what it takes to translate it."""

    template: str
    plural: str | None
    plural_count: int | None
    args: Mapping[str, object]

    def render(self, catalog: gettext.NullTranslations, language: str = ENGLISH) -> str:
        """The message in the catalog's language (English when the catalog lacks it).

        ``language`` tells how numbers written ``{count:,}`` are grouped.
        """
        if self.plural is None or self.plural_count is None:
            template = catalog.gettext(self.template)
        else:
            template = catalog.ngettext(self.template, self.plural, self.plural_count)
        return template.format(
            **{name: _render(value, catalog, language) for name, value in self.args.items()}
        )


def _render(value: object, catalog: gettext.NullTranslations, language: str) -> object:
    if isinstance(value, Message):
        return value.render(catalog, language)
    if language != ENGLISH and isinstance(value, int | float) and not isinstance(value, bool):
        return _Number(value, language)
    return value


# How each language writes numbers: the group separator, the decimal mark, and how many digits
# the integer part needs before it is grouped (CLDR's minimumGroupingDigits: Spanish writes 1234
# but 12.345, as browsers do).  French groups with a narrow no-break space.
_NUMBERS = {"en": (",", ".", 4), "es": (".", ",", 5), "fr": ("\u202f", ",", 4)}


def format_number(value: float, language: str, spec: str = ",") -> str:
    """``value`` formatted by ``spec`` (as ``format`` does), its digits grouped and its decimal mark
    as ``language`` writes them when ``spec`` asks for grouping with ``,``."""
    text = format(value, spec)
    if "," not in spec:
        return text
    group, decimal, shortest = _NUMBERS.get(language, _NUMBERS[ENGLISH])
    whole = re.search(r"[\d,]+", text)
    if whole is None:
        return text
    digits = whole[0].replace(",", "")
    grouped = whole[0] if len(digits) >= shortest else digits
    return text[: whole.start()] + grouped.replace(",", group) + text[whole.end() :].replace(".", decimal)


class _Number:
    """A number argument in a translated message, formatted the reader's way (``{count:,}``)."""

    __slots__ = ("language", "value")

    def __init__(self, value: float, language: str) -> None:
        self.value = value
        self.language = language

    def __format__(self, spec: str) -> str:
        return format_number(self.value, self.language, spec)


def _make(template: str, plural: str | None, count: int | None, args: Mapping[str, object]) -> Message:
    # Whatever a rule quotes, a message stays a line: a 350 KB tag value is not echoed whole.
    args = {
        name: clip(value, QUOTE_LIMIT)
        if isinstance(value, str) and not isinstance(value, Message) and len(value) > QUOTE_LIMIT
        else value
        for name, value in args.items()
    }
    chosen = template if plural is None or count == 1 else plural
    message = Message(chosen.format(**args))
    message.template = template
    message.plural = plural
    message.plural_count = count
    message.args = dict(args)
    return message


# Longer values quoted in a message (a 350 KB tag value, a whole schema) are cut to this many characters.
CLIP_LIMIT = 80
# No value is quoted in a message at more than this length, whichever rule writes it.
QUOTE_LIMIT = 240


def clip(value: str, limit: int = CLIP_LIMIT) -> str:
    """``value`` for quoting in a message: cut to ``limit`` characters (then ``...``) when longer.

    Use it on every value a message quotes from a form or a file: a message
    must stay a line, whatever the value holds.
    """
    return value if len(value) <= limit else value[:limit].rstrip() + "..."


def _(template: str, /, **args: object) -> Message:
    """A message: ``template`` filled in with ``args``, in English, translatable later."""
    return _make(template, None, None, args)


def ngettext(singular: str, plural: str, count: int, /, **args: object) -> Message:
    """A message whose wording depends on a number (``1 image``, ``3 images``)."""
    return _make(singular, plural, count, args)


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The translations into ``language`` (``es``, ``fr``); English (no translation) when there are none."""
    import gettext  # an English run (most runs) reads no catalog

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translate(message: str, language: str) -> str:
    """``message`` in ``language``; text that is not a ``Message`` is returned as it is."""
    if not isinstance(message, Message) or language == ENGLISH:
        return str(message)
    return message.render(catalog(language), language)


def translate_text(text: str, language: str) -> str:
    """A catalog entry that is not a ``Message``: a rule's summary, a paragraph of its explanation."""
    return text if language == ENGLISH else catalog(language).gettext(text)


# --- which language ------------------------------------------------------------------


def supported_language(name: str) -> str | None:
    """The language alplint speaks for a language or locale name, None when it speaks none.

    ``es``, ``es_MX.UTF-8``, ``fr-CA`` and ``fr_FR@euro`` name Spanish and
    French; ``C`` and ``POSIX`` (the locale of scripts) name English.
    """
    code = re.split(r"[_.@-]", name.strip(), maxsplit=1)[0].lower()
    if code in ("c", "posix"):
        return ENGLISH
    return code if code in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The reader's language as gettext finds it, English when alplint does not speak it.

    The first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that
    is set decides, as in Python's ``gettext``; ``LANGUAGE`` may list
    languages in order of preference (``de:fr:es``): the first alplint speaks
    is taken.
    """
    environ = os.environ if environ is None else environ
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            for name in value.split(":"):
                language = supported_language(name) if name else None
                if language is not None:
                    return language
            return ENGLISH
    return ENGLISH


# --- documentation -------------------------------------------------------------------

# A rule's documentation: a heading line, paragraphs, then examples, each a ``Caption::`` line and an
# indented block.  The paragraphs and captions are translated; the examples are forms, kept as written.
_CAPTION = re.compile(r"^(\S.*)::[ \t]*$", re.MULTILINE)
DOC_INDENT = "    "
DOC_WIDTH = 76


def doc_paragraphs(section: str) -> tuple[list[str], list[str]]:
    """The paragraphs (each on one line) and the example captions of one rule's documentation."""
    body = section.split("\n", 1)[1] if "\n" in section else ""
    first = _CAPTION.search(body)
    explanation = body[: first.start()] if first else body
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n[ \t]*\n", explanation) if part.strip()]
    return paragraphs, [match[1] for match in _CAPTION.finditer(body)]


def translate_doc(section: str, language: str) -> str:
    """One rule's documentation (as ``rules.rule_docs`` gives it) with its words in ``language``.

    The heading and the examples stay as written; the paragraphs are
    rewrapped, as the docstrings wrap them.
    """
    if language == ENGLISH or "\n" not in section:
        return section
    import textwrap

    heading, body = section.split("\n", 1)
    first = _CAPTION.search(body)
    examples = body[first.start() :] if first else ""
    paragraphs, _captions = doc_paragraphs(section)
    wrapped = [
        textwrap.fill(
            translate_text(paragraph, language),
            DOC_WIDTH,
            initial_indent=DOC_INDENT,
            subsequent_indent=DOC_INDENT,
            break_on_hyphens=False,
            break_long_words=False,
        )
        for paragraph in paragraphs
    ]
    examples = _CAPTION.sub(lambda match: translate_text(match[1], language) + "::", examples)
    return heading + "\n" + "\n\n".join(wrapped) + ("\n\n" + examples if examples else "")


__all__ = [
    "CLIP_LIMIT",
    "ENGLISH",
    "LANGUAGES",
    "LANGUAGE_VARIABLES",
    "Message",
    "_",
    "catalog",
    "clip",
    "doc_paragraphs",
    "format_number",
    "language_from_environment",
    "ngettext",
    "supported_language",
    "translate",
    "translate_doc",
    "translate_text",
]
