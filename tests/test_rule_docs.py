"""Every rule's documentation carries a failing and a passing example, and both are true."""

from __future__ import annotations

import codecs
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from alplint.config import Config
from alplint.engine import Linter
from alplint.rules import (
    DECLARATIONS_FILE,
    Catalog,
    load_families,
    read_declarations,
    rule_docs,
    sources_digest,
)

_EXAMPLE = re.compile(
    r"^(Failing|Passing) example(?P<bytes> \(bytes[^)]*\))?::\n\n(?P<body>(?:    .*\n|\n)+)", re.MULTILINE
)

FAMILIES = load_families()
_LINTER = Linter(Config(select=("ALL",)))
DOCUMENTED = [(code, section) for module in FAMILIES.values() for code, section in rule_docs(module).items()]


def _examples(section: str) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for match in _EXAMPLE.finditer(section + "\n"):
        body = "\n".join(line[4:] for line in match["body"].rstrip("\n").split("\n")) + "\n"
        data = codecs.escape_decode(body.encode("utf-8"))[0] if match["bytes"] else body.encode("utf-8")
        found[match[1]] = data
    return found


def test_every_rule_is_documented() -> None:
    declared = {rule.code for module in FAMILIES.values() for rule in module.RULES}
    assert declared == {code for code, _ in DOCUMENTED}


@pytest.mark.parametrize(("code", "section"), DOCUMENTED, ids=[code for code, _ in DOCUMENTED])
def test_documented_examples(code: str, section: str) -> None:
    linter = _LINTER  # every rule, those off by default too
    examples = _examples(section)
    assert set(examples) == {"Failing", "Passing"}, f"{code} needs one failing and one passing example"
    failing = linter.lint_bytes(examples["Failing"], "failing.md")
    passing = linter.lint_bytes(examples["Passing"], "passing.md")
    # A note is counted, not listed.
    assert code in [problem.code for problem in failing.problems] + list(failing.notes), failing
    assert code not in [problem.code for problem in passing.problems] + list(passing.notes), passing


def test_the_rule_reference_and_declarations_are_up_to_date() -> None:
    """``docs/rules.md`` and ``alplint/rules/declarations.json`` are generated from the families:
    run ``python tools/build_rules_doc.py``."""
    tool = Path(__file__).resolve().parent.parent / "tools" / "build_rules_doc.py"
    result = subprocess.run(
        [sys.executable, str(tool), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_declared_catalogue_is_the_families_catalogue() -> None:
    declared = read_declarations()
    assert declared is not None, "alplint/rules/declarations.json is missing or out of date"
    from_file, from_modules = Catalog(declared=declared), Catalog(FAMILIES)
    assert list(from_file.rules.items()) == list(from_modules.rules.items())
    assert from_file.family_of == from_modules.family_of and from_file.options == from_modules.options
    assert from_file.families is FAMILIES and from_file.help == from_modules.help


def test_declarations_from_other_sources_are_not_used(tmp_path: Path) -> None:
    document = json.loads(Path(DECLARATIONS_FILE).read_text(encoding="utf-8"))
    stale = tmp_path / "declarations.json"
    for sources in (document["sources"], "0" * 32):
        document["families"]["tags"]["rules"][0]["name"] = "renamed-elsewhere"
        stale.write_text(json.dumps({**document, "sources": sources}), encoding="utf-8")
        read = read_declarations(str(stale))
        assert (read is None) == (sources != sources_digest())
    for broken in ("", "{", '{"sources": 1}', "[]"):
        stale.write_text(broken, encoding="utf-8")
        assert read_declarations(str(stale)) is None
    assert read_declarations(str(tmp_path / "missing.json")) is None
