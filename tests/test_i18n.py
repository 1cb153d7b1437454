"""Translatable messages: English text that remembers how to be translated."""

from __future__ import annotations

import gettext
import pickle

from alplint.i18n import Message, _, ngettext, translate

_WORDS = {
    'The tag "{key}" has no value{hint}': 'La etiqueta "{key}" no tiene valor{hint}',
    '; did you mean "{name}"?': '; ¿quiso decir "{name}"?',
}


class _Spanish(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _WORDS.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return {1: "{count} imagen"}.get(n, "{count} imágenes")


def test_a_message_is_its_english_text() -> None:
    message = _(
        'The tag "{key}" has no value{hint}', key="year", hint=_('; did you mean "{name}"?', name="x")
    )
    assert message == 'The tag "year" has no value; did you mean "x"?'
    assert isinstance(message, str) and f"{message}" == str(message)


def test_translation_keeps_quoted_values_and_nests() -> None:
    message = _('The tag "{key}" has no value{hint}', key="año", hint=_('; did you mean "{name}"?', name="x"))
    assert message.render(_Spanish()) == 'La etiqueta "año" no tiene valor; ¿quiso decir "x"?'


def test_plural_forms_follow_the_count() -> None:
    assert ngettext("{count} image", "{count} images", 1, count=1) == "1 image"
    assert ngettext("{count} image", "{count} images", 3, count=3) == "3 images"
    assert ngettext("{count} image", "{count} images", 3, count=3).render(_Spanish()) == "3 imágenes"


def test_plain_text_and_english_pass_through() -> None:
    assert translate("plain", "es") == "plain"
    message = _("Hello {name}", name="Ana")
    assert translate(message, "en") == "Hello Ana"
    # No catalog for a language: English, not an error.
    assert translate(message, "xx") == "Hello Ana"


def test_messages_survive_pickling() -> None:
    # Worker processes send problems back to the parent: a message must keep its template.
    message = _("Hello {name}", name="Ana")
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Message) and copy == message and copy.template == "Hello {name}"


def test_a_message_is_still_a_str_with_every_str_method() -> None:
    # A plural message remembered its number as "count", which hid str.count on every message.
    message = ngettext("{count} image, {name}", "{count} images, {name}", 3, count=3, name="a, b")
    assert message.count(",") == 2
    assert _("a, b").count(",") == 1
