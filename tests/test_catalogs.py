"""The translation catalogs: up to date with the source, complete, faithful to the English, compiled.

When a test here fails after a change or a merge, run ``python tools/catalogs.py``: it updates the
catalogs and lists what is left to translate in ``alplint/locale/{es,fr}/LC_MESSAGES/alplint.po``;
translate it, run the tool again to compile, and commit the ``.pot``, ``.po`` and ``.mo`` files.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

from tests.conftest import ROOT

TOOL = ROOT / "tools" / "catalogs.py"
UPDATE = "run python tools/catalogs.py, translate what it lists, run it again and commit alplint/locale"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("alplint_catalogs_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


catalogs = _load_tool()
LANGUAGES = catalogs.TRANSLATED


@pytest.fixture(scope="module")
def template() -> Catalog:
    extracted: Catalog = catalogs.extract()
    return extracted


def _catalog(language: str) -> Catalog:
    catalog: Catalog = catalogs.read(catalogs.po_path(language), language)
    return catalog


def _entries(language: str) -> Iterator[tuple[list[str], list[str]]]:
    """Each translated message's English texts and its translations."""
    for message in _catalog(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        yield ids, strings


def _shown(ids: object) -> str:
    return "\n  ".join(sorted(repr(item)[:120] for item in ids))  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_messages_of_the_source(template: Catalog, language: str) -> None:
    # Re-extracted in memory: a new _() message, a reworded one or a new rule fails here until the
    # catalogs are updated; a message that no longer exists must leave the catalog too.
    wanted = catalogs.message_ids(template)
    present = catalogs.message_ids(_catalog(language))
    missing, stale = wanted - present, present - wanted
    assert not missing, f"{len(missing)} messages missing from {language} ({UPDATE}):\n  {_shown(missing)}"
    assert not stale, (
        f"{len(stale)} messages of {language} no longer in the source ({UPDATE}):\n  {_shown(stale)}"
    )


def test_template_is_up_to_date(template: Catalog) -> None:
    written = catalogs.read(catalogs.TEMPLATE)
    assert catalogs.message_ids(written) == catalogs.message_ids(template), UPDATE


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_fields(language: str) -> None:
    # No empty or fuzzy entry; the same {fields} as the English; Babel's checkers (plural forms,
    # printf placeholders) find nothing.
    gaps = catalogs.gaps(_catalog(language), language)
    assert not gaps, f"{len(gaps)} entries to fix ({UPDATE}):\n" + "\n".join(map(str, gaps))


def test_field_check_finds_a_renamed_or_missing_field() -> None:
    catalog = Catalog(locale="es")
    catalog.add(
        "The tag {key} has no value", "La etiqueta {clave} no tiene valor", flags=[catalogs.BRACE_FORMAT]
    )
    catalog.add("{count:,} forms", "formularios", flags=[catalogs.BRACE_FORMAT])
    catalog.add("Checked", "", flags=[])
    reasons = sorted(gap.reason for gap in catalogs.gaps(catalog, "es"))
    assert reasons == ["fields ['clave'], not ['key']", "fields [], not ['count']", "not translated"]


# What a translation must carry over exactly: literal spans of the documentation, options, codes,
# tags (``[[key:value]]``, with its colon: "between [[ and ]]" is prose) and comments a form holds.
_LITERALS = re.compile(
    r"``.+?``|(?<![\w-])--[a-z][a-z-]*|\bALP\d{3}\b|\[\[[^\]]*:[^\]]*\]\]|<!-- alplint-[a-z-]+ -->"
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_literal_text(language: str) -> None:
    changed = []
    for ids, strings in _entries(language):
        wanted = set(_LITERALS.findall(ids[-1]))
        for text in strings:
            if set(_LITERALS.findall(text)) != wanted:
                changed.append(f"{ids[0]!r}: {sorted(wanted ^ set(_LITERALS.findall(text)))}")
    assert not changed, "\n".join(changed)


def test_french_uses_french_spacing_before_double_punctuation() -> None:
    # A no-break space before ":", a narrow no-break space before ";", "?" and "!", never a plain
    # space (a line could break before the sign).
    wrong = [
        f"{ids[0]!r}: {text!r}"
        for ids, strings in _entries("fr")
        for text in strings
        if re.search(r" [:;?!](\s|$)", text) or re.search(r"\w[;?!](\s|$)", text)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_the_po_file(language: str) -> None:
    # alplint reads the .mo; it must be the compilation of the .po kept beside it.
    compiled = catalogs.mo_bytes(_catalog(language))
    assert catalogs.mo_path(language).read_bytes() == compiled, UPDATE


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_starts_with_a_glossary_for_translators(language: str) -> None:
    comment = _catalog(language).header_comment
    assert ("Glosario" if language == "es" else "Glossaire") in comment
    assert "{count:,}" in comment


def _translatable_calls(path: Path) -> Iterator[str]:
    """The English text of every ``_()`` and ``ngettext()`` call written with a literal, as Python sees it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def test_every_translatable_call_is_extracted(template: Catalog) -> None:
    # Babel does not look inside f-strings: a _() there would never be translated.
    extracted = {
        message_id if isinstance(message_id, str) else message_id[0]
        for message_id in catalogs.message_ids(template)
    }
    lost = sorted(
        f"{path.relative_to(ROOT)}: {text!r}"
        for path in (ROOT / "alplint").rglob("*.py")
        for text in _translatable_calls(path)
        if text not in extracted
    )
    assert not lost, "move these _() calls out of f-strings:\n" + "\n".join(lost)


def test_rule_documentation_is_in_the_catalog(template: Catalog) -> None:
    from alplint.i18n import doc_paragraphs
    from alplint.rules import load_families, rule_docs

    ids = catalogs.message_ids(template)
    for module in load_families().values():
        assert {rule.summary for rule in module.RULES} <= ids
        for section in rule_docs(module).values():
            paragraphs, captions = doc_paragraphs(section)
            assert paragraphs and set(paragraphs) <= ids and set(captions) <= ids


def test_catalog_files_are_committed() -> None:
    # The wheel is built from a clean clone: the compiled catalogs must be in git, not only on disk.
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "alplint/locale"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    wanted = {"alplint/locale/alplint.pot"} | {
        f"alplint/locale/{language}/LC_MESSAGES/alplint.{suffix}"
        for language in LANGUAGES
        for suffix in ("po", "mo")
    }
    assert wanted <= set(listed), sorted(wanted - set(listed))


def test_tool_check_passes() -> None:
    checked = subprocess.run(
        [sys.executable, str(TOOL), "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 entries to translate or check" in checked.stdout
