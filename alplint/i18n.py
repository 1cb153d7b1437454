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
singular or plural template by a count.  Catalogs are gettext ``.mo`` files
in ``alplint/locale``, compiled with Babel from the ``.po`` files kept in the
repository; ``pybabel extract`` finds every template by the names ``_`` and
``ngettext``.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "alplint"


class Message(str):
    """The English text of a message, with what it takes to translate it."""

    template: str
    plural: str | None
    # The number that chose the plural form (not ``count``, which would hide ``str.count``).
    number: int | None
    args: Mapping[str, object]

    def render(self, catalog: gettext.NullTranslations) -> str:
        """The message in the catalog's language (English when the catalog lacks it)."""
        if self.plural is None or self.number is None:
            template = catalog.gettext(self.template)
        else:
            template = catalog.ngettext(self.template, self.plural, self.number)
        return template.format(**{name: _render(value, catalog) for name, value in self.args.items()})


def _render(value: object, catalog: gettext.NullTranslations) -> object:
    return value.render(catalog) if isinstance(value, Message) else value


def _make(template: str, plural: str | None, count: int | None, args: Mapping[str, object]) -> Message:
    chosen = template if plural is None or count == 1 else plural
    message = Message(chosen.format(**args))
    message.template = template
    message.plural = plural
    message.number = count
    message.args = dict(args)
    return message


# Longer values quoted in a message (a 350 KB tag value, a whole schema) are cut to this many characters.
CLIP_LIMIT = 80


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
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translate(message: str, language: str) -> str:
    """``message`` in ``language``; text that is not a ``Message`` is returned as it is."""
    if not isinstance(message, Message) or language == "en":
        return str(message)
    return message.render(catalog(language))


__all__ = ["CLIP_LIMIT", "Message", "_", "catalog", "clip", "ngettext", "translate"]
