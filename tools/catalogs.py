"""Keep alplint's translation catalogs (``alplint/locale``) in step with the source.

    python tools/catalogs.py           # extract, update the .po files, compile the .mo files, list what is left
    python tools/catalogs.py --check   # change nothing; exit 1 when a catalog is out of date or incomplete

What is translated, all extracted here with Babel (``pip install babel``, in the ``test`` extra):

- every ``_("...")`` and ``ngettext("...", "...", n)`` in ``alplint/`` (a comment starting
  ``# Translators:`` just above the call is shown to translators);
- each rule's one-line summary (``Rule(summary=...)``, shown by ``--list-rules`` and the reports);
- each paragraph of each rule's explanation in its family's docstring (``--explain``, the HTML
  report), and the captions of its examples; the examples themselves are forms and stay in English.

The template ``alplint/locale/alplint.pot`` lists them; ``alplint/locale/<lang>/LC_MESSAGES/alplint.po``
holds each language's translations, and ``alplint.mo`` beside it is the compiled catalog alplint
reads (committed, so that a checkout and the wheel need no build step; ``tests/test_catalogs.py`` fails
when a ``.mo`` is not the compilation of its ``.po``).  After updating, translate the entries listed
as missing or fuzzy (a fuzzy entry is an old translation of a message whose English changed: check
it and remove the ``#, fuzzy`` line), then run this tool again to compile.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alplint.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, doc_paragraphs  # noqa: E402
from alplint.rules import load_families, rule_docs  # noqa: E402

KEYWORDS = {"_": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("Translators:",)
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")
# The plural rules of gettext's tradition (CLDR's third form, for millions, is of no use here).
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);", "fr": "nplurals=2; plural=(n > 1);"}
WIDTH = 100
BRACE_FORMAT = "python-brace-format"


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def fields(text: str) -> set[str]:
    """The named fields of a ``str.format`` template (``{count:,}`` names ``count``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


MessageId = str | tuple[str, ...]


def _source_messages() -> Iterator[tuple[MessageId, str, list[str]]]:
    """The templates of the ``_`` and ``ngettext`` calls, with where they are and their comments."""
    package = ROOT / "alplint"
    extracted = extract_from_dir(
        package, [("**.py", "python")], keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    )
    for filename, _line, message, comments, _context in extracted:
        yield message, _relative(package / filename), list(comments)


def _rule_messages() -> Iterator[tuple[MessageId, str, list[str]]]:
    """Each rule's summary, the paragraphs of its explanation and the captions of its examples."""
    for family, module in load_families().items():
        where = f"alplint/rules/{family}.py"
        for rule in module.RULES:
            yield rule.summary, where, [f"Summary of {rule.code} {rule.name} (--list-rules, reports)."]
        for section in rule_docs(module).values():
            paragraphs, captions = doc_paragraphs(section)
            for number, paragraph in enumerate(paragraphs, 1):
                yield (
                    paragraph,
                    where,
                    [
                        f"{section.splitlines()[0]}: paragraph {number} of its explanation (--explain). "
                        "Keep the ``literal`` spans as they are."
                    ],
                )
            for caption in captions:
                yield (
                    caption,
                    where,
                    ["The caption of a rule's example (--explain); the example stays in English."],
                )


def extract() -> Catalog:
    """The template catalog: every message of the source and of the rules' documentation."""
    catalog = Catalog(project="alplint", domain=DOMAIN, fuzzy=False)
    catalog.header_comment = (
        "# The messages of alplint to translate: written by tools/catalogs.py, do not edit.\n#"
    )
    # One location per file (no line numbers): they would change with every edit and clutter merges.
    nowhere: Any = None
    for text, where, comments in [*_source_messages(), *_rule_messages()]:
        if not text or (isinstance(text, tuple) and not all(text)):
            continue
        existing = catalog.get(text)
        if existing is not None:
            if (where, nowhere) not in existing.locations:
                existing.locations.append((where, nowhere))
            existing.auto_comments.extend(
                comment for comment in comments if comment not in existing.auto_comments
            )
            continue
        flags = (BRACE_FORMAT,) if isinstance(text, tuple) or fields(text) else ()
        catalog.add(text, locations=[(where, nowhere)], auto_comments=comments, flags=flags)
    for message in catalog:
        message.flags.discard("python-format")  # Babel guesses it from a "%"; alplint uses {fields}
    return catalog


def _ids(catalog: Iterable[Message]) -> set[str | tuple[str, ...]]:
    return {
        message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id
    }


def message_ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """The ids of a catalog's messages (a plural message's id is its singular and plural pair)."""
    return _ids(catalog)


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True, include_previous=True)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _without_dates(text: bytes) -> bytes:
    return b"\n".join(
        line
        for line in text.split(b"\n")
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By'))
    )


def _same(path: Path, text: bytes) -> bool:
    """Whether ``path`` holds ``text``, the dates of a catalog's header aside."""
    return path.exists() and _without_dates(path.read_bytes()) == _without_dates(text)


def merged(template: Catalog, language: str) -> Catalog:
    """The language's catalog updated to the template: new messages empty, changed ones fuzzy.

    Its dates are those of the file on disk unless its messages changed.
    """
    path = po_path(language)
    if path.exists():
        catalog = read(path, language)
        dates = catalog.creation_date, catalog.revision_date
    else:
        catalog = Catalog(locale=language, project="alplint", domain=DOMAIN, fuzzy=False)
        catalog.header_comment = f"# {language} translations of alplint.\n#"
        dates = template.creation_date, datetime.now(UTC)
    catalog.update(template, update_header_comment=False)
    catalog.mime_headers = [
        (name, PLURAL_FORMS[language] if name == "Plural-Forms" else value)
        for name, value in catalog.mime_headers
    ]
    catalog.creation_date, catalog.revision_date = dates
    if not _same(path, _po_text(catalog)):
        catalog.creation_date, catalog.revision_date = template.creation_date, datetime.now(UTC)
    return catalog


@dataclass(frozen=True, slots=True)
class Gap:
    """One entry a language still lacks, or gets wrong."""

    language: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.language}: {self.reason}: {self.msgid!r}"


def gaps(catalog: Catalog, language: str) -> list[Gap]:
    """What is missing or wrong in a language's catalog: empty, fuzzy, fields that differ from the
    English, and what Babel's own checkers find (plural forms, printf placeholders)."""
    found: list[Gap] = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ("",))
        shown = ids[0]
        if message.fuzzy:
            found.append(Gap(language, shown, "fuzzy (check the translation, then remove the fuzzy flag)"))
        elif not all(strings):
            found.append(Gap(language, shown, "not translated"))
            continue
        if BRACE_FORMAT in message.flags:
            wanted = set().union(*(fields(text) for text in ids))
            for text in strings:
                if fields(text) != wanted:
                    found.append(Gap(language, shown, f"fields {sorted(fields(text))}, not {sorted(wanted)}"))
        for error in message.check(catalog):
            found.append(Gap(language, shown, str(error)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is out of date"
    )
    args = parser.parse_args(argv)
    template = extract()
    if TEMPLATE.exists():
        # The template keeps its date while its messages stay the same.
        previous = read(TEMPLATE)
        if message_ids(previous) == message_ids(template):
            template.creation_date = previous.creation_date
    stale: list[str] = []
    missing: list[Gap] = []
    outputs: list[tuple[Path, bytes]] = [(TEMPLATE, _po_text(template))]
    for language in TRANSLATED:
        catalog = merged(template, language)
        outputs.append((po_path(language), _po_text(catalog)))
        outputs.append((mo_path(language), mo_bytes(catalog)))
        missing += gaps(catalog, language)
    for path, text in outputs:
        if _same(path, text):
            continue
        if args.check:
            stale.append(_relative(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
            print(f"wrote {_relative(path)}")
    for gap in missing:
        print(gap)
    if stale:
        print("out of date (run python tools/catalogs.py): " + ", ".join(stale))
    print(f"{len(template) - 1} messages; {len(missing)} entries to translate or check")
    return 1 if stale or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
