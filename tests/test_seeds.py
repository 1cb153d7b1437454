"""Golden tests: alplint's exact report on the three real forms (``seeds/``), in every encoding they may come in."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from alplint.cli import main
from alplint.engine import Linter
from tests.conftest import CLOSING_SEED, OPENING_SEED, SOLUTION_SEED

EXPECTED = {
    CLOSING_SEED.name: [
        (34, 1, "ALP602"),
        # The export drops the learning-cycle percentages: one warning, not an error per stage.
        (40, 3, "ALP504"),
    ],
    OPENING_SEED.name: [
        (19, 18, "ALP207"),
        (22, 18, "ALP207"),
        # The export drops radio-list answers: one warning naming the three questions.
        (40, 3, "ALP407"),
    ],
    # The exporter's "Missing alt text" (ALP604) and the platform's SDG 10 label (ALP210) are notes.
    SOLUTION_SEED.name: [],
}
TEMPLATES = {
    CLOSING_SEED.name: ("learningplan-closing", "1"),
    OPENING_SEED.name: ("learningplan-opening", "2"),
    SOLUTION_SEED.name: ("solution", "innovation-2025"),
}
SEEDS = [CLOSING_SEED, OPENING_SEED, SOLUTION_SEED]


def _report(linter: Linter, data: bytes, name: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in linter.lint_bytes(data, name).problems]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.name)
def test_exact_report(seed: Path, linter: Linter) -> None:
    assert _report(linter, seed.read_bytes(), seed.name) == EXPECTED[seed.name]


def test_questions_named_in_messages(linter: Linter) -> None:
    (message,) = [p.message for p in linter.lint_file(str(OPENING_SEED)).problems if p.code == "ALP407"]
    assert '"Challenge type: If you are working on..."' in message
    assert '"What sector does our partner belong to?"' in message
    assert '"Is this a new and unusual partner for UNDP?"' in message
    assert "the platform's export drops radio-list answers" in message


def test_the_seeds_as_drafts_report_each_unanswered_radio_list_and_stage(linter: Linter) -> None:
    """A draft written by hand must answer what an export cannot carry: ALP401 and ALP501 as before."""

    def as_draft(seed: Path) -> list[tuple[int, str]]:
        text = seed.read_text(encoding="utf-8")
        title, _, rest = text.partition("\n")
        result = linter.lint_text(f"{title}\n<!-- alplint-draft -->\n{rest}", seed.name)
        return [(p.line - 1, p.code) for p in result.problems if p.code[:4] in ("ALP4", "ALP5")]

    assert as_draft(OPENING_SEED) == [(40, "ALP401"), (146, "ALP401"), (171, "ALP401")]
    assert as_draft(CLOSING_SEED) == [(46, "ALP501"), (56, "ALP501"), (66, "ALP501"), (76, "ALP501")]


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


VARIANTS = {
    "crlf": _crlf,
    "bom": lambda data: codecs.BOM_UTF8 + data,
    "bom-crlf": lambda data: codecs.BOM_UTF8 + _crlf(data),
    "utf16-le": lambda data: codecs.BOM_UTF16_LE + data.decode("utf-8").encode("utf-16-le"),
    "utf16-be-crlf": lambda data: codecs.BOM_UTF16_BE + _crlf(data).decode("utf-8").encode("utf-16-be"),
    "no-final-newline": lambda data: data.rstrip(b"\n"),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.name)
def test_encodings_and_line_endings_give_the_same_report(seed: Path, variant: str, linter: Linter) -> None:
    data = VARIANTS[variant](seed.read_bytes())
    assert _report(linter, data, seed.name) == EXPECTED[seed.name]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.name)
def test_json_report_and_exit_code(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--format", "json", str(seed)])
    document = json.loads(capsys.readouterr().out)
    (entry,) = document["files"]
    assert entry["path"] == str(seed)
    assert (entry["template"], entry["version"]) == TEMPLATES[seed.name]
    assert [(p["line"], p["column"], p["code"]) for p in entry["problems"]] == EXPECTED[seed.name]
    assert status == 0  # what the export cannot carry is a warning, and nothing else is an error


def test_all_seeds_together(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--format", "json", *map(str, SEEDS)])
    document = json.loads(capsys.readouterr().out)
    assert [Path(entry["path"]).name for entry in document["files"]] == [seed.name for seed in SEEDS]
    assert document["summary"] == {
        "files": 3,
        "forms": 3,
        "skipped": 0,
        "errors": 0,
        "warnings": 5,
        "fixable": 2,
        "notes": {"ALP210": {"count": 1, "forms": 1}, "ALP604": {"count": 3, "forms": 3}},
        "unsafe_fixable": 0,
        "suppressed": 0,
        "baselined": 0,
    }
    assert status == 0


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (Path(__file__).parent / "fixtures").glob("valid-*.md"))
)
def test_forms_written_to_their_template_give_no_problem(name: str, linter: Linter) -> None:
    path = Path(__file__).parent / "fixtures" / name
    result = linter.lint_file(str(path))
    assert result.problems == []
    assert result.template == name.removeprefix("valid-").removesuffix(".md").partition("@")[0]
