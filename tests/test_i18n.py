"""Translatable messages: English text that remembers how to be translated."""

from __future__ import annotations

import gettext
import pickle

import pytest

from alplint.i18n import (
    Message,
    _,
    doc_paragraphs,
    format_number,
    language_from_environment,
    ngettext,
    supported_language,
    translate,
    translate_doc,
    translate_text,
)

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


# ---- Which language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR@euro", "LANG": "es_ES.UTF-8"}, "fr"),
        ({"LC_ALL": "es_AR.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "es"),
        ({"LANGUAGE": "de:fr:es", "LANG": "es_ES.UTF-8"}, "fr"),
        ({"LANGUAGE": "en_GB:fr", "LANG": "es_ES.UTF-8"}, "en"),
        # An empty variable is not set; the first one set decides, even for a language alplint lacks.
        ({"LANGUAGE": "", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANGUAGE": "pt_BR", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "fr-BE"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_language_from_environment_in_gettexts_order(environ: dict[str, str], language: str) -> None:
    assert language_from_environment(environ) == language


@pytest.mark.parametrize(
    ("name", "language"),
    [("es_MX.UTF-8", "es"), ("FR", "fr"), ("fr_FR@euro", "fr"), ("C", "en"), ("pt_BR", None), ("", None)],
)
def test_supported_language(name: str, language: str | None) -> None:
    assert supported_language(name) == language


# ---- Numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize("value", [0, 7, 12_345, 1_234_567, -98_765, 12_345.5])
def test_numbers_are_grouped_as_babel_writes_them(language: str, value: float) -> None:
    from babel.numbers import format_decimal

    assert format_number(value, language, ",") == format_decimal(value, locale=language)


def test_four_digits_are_not_grouped_in_spanish() -> None:
    # CLDR's minimum grouping digits for Spanish, as browsers apply it (the HTML report's script
    # writes its numbers with toLocaleString): 1234, but 12.345.
    assert [format_number(1234, language) for language in ("en", "es", "fr")] == [
        "1,234",
        "1234",
        "1\u202f234",
    ]


def test_a_number_field_follows_the_readers_language() -> None:
    message = ngettext("{count:,} form", "{count:,} forms", 12345, count=12345)
    assert message == "12,345 forms"
    assert message.render(gettext.NullTranslations(), "fr") == "12\u202f345 forms"
    assert message.render(gettext.NullTranslations(), "es") == "12.345 forms"
    # Without a grouping field a number is written as it is: a line, a year.
    assert _("line {line} of {year}", line=1234, year=2024).render(gettext.NullTranslations(), "fr") == (
        "line 1234 of 2024"
    )


# ---- Catalogs ----------------------------------------------------------------------------


def test_catalogs_translate_messages_and_plurals() -> None:
    assert translate(ngettext("{count:,} error", "{count:,} errors", 0, count=0), "fr") == "0 erreur"
    assert translate(ngettext("{count:,} error", "{count:,} errors", 2, count=2), "es") == "2 errores"
    nested = _("{message} (see alplint --help)", message=_("no such file or folder: {path}", path="x.md"))
    assert translate(nested, "es") == "no existe el archivo o la carpeta: x.md (consulte alplint --help)"


def test_catalog_entries_that_are_not_messages() -> None:
    assert translate_text("Passing example", "fr") == "Exemple correct"
    assert translate_text("Passing example", "en") == "Passing example"
    assert translate_text("not a catalog entry", "es") == "not a catalog entry"


# ---- Rule documentation ------------------------------------------------------------------

_SECTION = """\
ALP999 some-rule
    The first paragraph, which
    runs on two lines.

    The second paragraph.

Failing example::

    # Title
    [[year:2024]]

Passing example::

    # Title"""


class _Catalog(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return {
            "The first paragraph, which runs on two lines.": "Le premier paragraphe, "
            + "très " * 20
            + "long.",
            "Failing example": "Exemple fautif",
        }.get(message, message)


def test_doc_paragraphs_are_the_explanation_on_one_line_each() -> None:
    assert doc_paragraphs(_SECTION) == (
        ["The first paragraph, which runs on two lines.", "The second paragraph."],
        ["Failing example", "Passing example"],
    )


def test_translated_doc_keeps_heading_and_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    from alplint import i18n

    monkeypatch.setattr(i18n, "catalog", lambda language: _Catalog())
    translated = translate_doc(_SECTION, "fr")
    heading, rest = translated.split("\n", 1)
    assert heading == "ALP999 some-rule"
    explanation, examples = rest.split("\n\nExemple fautif::\n\n")
    assert all(line.startswith("    ") and len(line) <= 76 for line in explanation.splitlines() if line)
    assert " ".join(explanation.split()).startswith("Le premier paragraphe, très")
    assert examples == "    # Title\n    [[year:2024]]\n\nPassing example::\n\n    # Title"
    assert translate_doc(_SECTION, "en") == _SECTION


def test_a_message_keeps_the_methods_of_str() -> None:
    # Its count of the plural once hid str.count: a message is a str to whatever reads it.
    message = ngettext("{count} line", "{count} lines", 2, count=2)
    assert message.count("l") == 1 and _("a-b-c").count("-") == 2


def test_a_message_is_still_a_str_with_every_str_method() -> None:
    # A plural message remembered its number as "count", which hid str.count on every message.
    message = ngettext("{count} image, {name}", "{count} images, {name}", 3, count=3, name="a, b")
    assert message.count(",") == 2
    assert _("a, b").count(",") == 1
