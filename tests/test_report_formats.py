"""The sarif, github and junit reports: valid for their consumers, escaped, and faithful to the problems."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from alplint import __version__
from alplint.cli import main
from alplint.engine import FileResult, Linter
from alplint.problem import Edit, Fix, Problem
from alplint.report import json_text, shown
from alplint.report.github_format import escape_data, escape_property
from alplint.report.github_format import render as render_github
from alplint.report.junit_format import render as render_junit
from alplint.report.sarif_format import FINGERPRINT_KEY, help_markdown
from alplint.report.sarif_format import render as render_sarif
from alplint.report.text_format import summary_line
from tests.conftest import ROOT, report_of

Capture = pytest.CaptureFixture[str]

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
CLOSING = "seeds/000_0895e367f9611072.txt"
OPENING = "seeds/learningplan-opening-2025-mongolia.md"
SOLUTION = "seeds/solution-2025-zambia.md"


def _problem(**changes: Any) -> Problem:
    defaults: dict[str, Any] = {
        "path": "forms/a.md",
        "line": 3,
        "column": 2,
        "end_line": 3,
        "end_column": 9,
        "code": "ALP603",
        "severity": "warning",
        "message": '"&amp;" will show as code, not as "&": write "&" instead',
        "subject": "&amp;",
    }
    return Problem(**(defaults | changes))


def _result(*problems: Problem, path: str = "forms/a.md") -> FileResult:
    return FileResult(path=path, problems=list(problems), form_type="solution", template="solution")


def _cli(capsys: Capture, monkeypatch: pytest.MonkeyPatch, output_format: str) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    status = main(["--format", output_format, "--no-color", "seeds"])
    return status, capsys.readouterr().out


def _valid_sarif(document: dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator_class.check_schema(SARIF_SCHEMA)
    validator_class(SARIF_SCHEMA).validate(document)


# SARIF


def test_sarif_of_the_seeds_is_valid_and_locates_every_problem(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, linter: Linter
) -> None:
    status, out = _cli(capsys, monkeypatch, "sarif")
    document = json.loads(out)
    _valid_sarif(document)
    assert status == 0  # the seeds hold warnings only
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    expected = [
        (problem.path, problem.code, problem.line, problem.column, problem.end_line, problem.end_column)
        for result in linter.lint_paths([str(ROOT / "seeds")])
        for problem in result.problems
    ]
    found = [
        (
            location["artifactLocation"]["uri"],
            result["ruleId"],
            location["region"]["startLine"],
            location["region"]["startColumn"],
            location["region"]["endLine"],
            location["region"]["endColumn"],
        )
        for result in run["results"]
        for location in (result["locations"][0]["physicalLocation"],)
    ]
    assert [entry[1:] for entry in found] == [entry[1:] for entry in expected]
    assert {entry[0] for entry in found} == {CLOSING, OPENING}  # the solution seed has notes only
    cycle_lines = [entry[2] for entry in found if entry[0] == CLOSING and entry[1] == "ALP504"]
    assert cycle_lines == [40]
    unanswered = [entry[2] for entry in found if entry[0] == OPENING and entry[1] == "ALP407"]
    assert unanswered == [40]
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == [CLOSING, OPENING, SOLUTION]
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_rules_carry_their_documentation(linter: Linter) -> None:
    document = json.loads(render_sarif(report_of([], linter)))
    _valid_sarif(document)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "alplint"
    assert driver["version"] == __version__
    assert [rule["id"] for rule in driver["rules"]] == list(linter.catalog.rules)
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    cycle = by_id["ALP501"]
    assert cycle["name"] == "cycle-stage-missing"
    assert cycle["shortDescription"]["text"] == "A learning-cycle stage has no percentage"
    assert cycle["fullDescription"]["text"].startswith("A stage has no percentage, or its group is missing")
    assert "Failing example::" in cycle["help"]["text"]
    assert "```text\n# Barrio Intercambia\n" in cycle["help"]["markdown"]
    assert cycle["helpUri"].endswith("docs/rules.md#alp501")
    assert cycle["defaultConfiguration"] == {"level": "error"}
    assert cycle["properties"]["tags"] == ["cycle"]
    assert by_id["ALP601"]["defaultConfiguration"] == {"level": "warning"}
    assert by_id["ALP601"]["properties"]["tags"] == ["markdown"]


def test_sarif_result_points_at_its_rule_and_uses_the_configured_level(linter: Linter) -> None:
    problem = _problem(code="ALP601", severity="error", message="An image without alt text", fix=None)
    document = json.loads(render_sarif(report_of([_result(problem)], linter)))
    _valid_sarif(document)
    run = document["runs"][0]
    (result,) = run["results"]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "ALP601"
    assert result["level"] == "error"
    assert result["message"] == {"text": "An image without alt text"}
    assert "fixes" not in result


def test_sarif_fix_becomes_a_valid_replacement(linter: Linter) -> None:
    replace = _problem(
        fix=Fix('Write "&"', "safe", (Edit(3, 2, 3, 9, "&"),)),
    )
    delete = _problem(
        code="ALP206",
        line=7,
        column=1,
        end_line=7,
        end_column=30,
        subject="thematic_areas:climate",
        message="The thematic_areas value is given twice",
        fix=Fix("Delete the repeated line", "safe", (Edit.delete_line(7),)),
    )
    document = json.loads(render_sarif(report_of([_result(replace, delete)], linter)))
    _valid_sarif(document)
    first, second = document["runs"][0]["results"]
    (fix,) = first["fixes"]
    assert fix["description"] == {"text": 'Write "&"'}
    assert fix["properties"] == {"applicability": "safe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "forms/a.md"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 9},
            "insertedContent": {"text": "&"},
        }
    ]
    # Deleting a line spans to the start of the next one and inserts nothing.
    assert second["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 7, "startColumn": 1, "endLine": 8, "endColumn": 1}}
    ]


def test_sarif_fix_from_a_real_form_is_valid(linter: Linter) -> None:
    title, rest = (ROOT / SOLUTION).read_text(encoding="utf-8").split("\n", 1)
    # As a hand-written draft the platform's SDG 10 label is ALP208, with its fix.
    result = linter.lint_text(f"{title}\n<!-- alplint-draft -->\n{rest}", "drafts/zambia.md")
    fixable = [problem for problem in result.problems if problem.fix is not None]
    assert fixable, "the solution seed has a fixable SDG"
    document = json.loads(render_sarif(report_of([result], linter)))
    _valid_sarif(document)
    with_fixes = [entry for entry in document["runs"][0]["results"] if "fixes" in entry]
    assert len(with_fixes) == len(fixable)
    replacement = with_fixes[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"] == {"text": "10. Reduced inequalities"}
    assert replacement["deletedRegion"]["startLine"] == 11  # one line below the draft marker


def test_sarif_uris_are_percent_encoded_references(linter: Linter, tmp_path: Path) -> None:
    relative = _problem(path="labs/São Paulo/form #1.md")
    absolute = _problem(path=str(tmp_path / "a b.md"))
    document = json.loads(
        render_sarif(
            report_of(
                [_result(relative, path=relative.path), _result(absolute, path=absolute.path)],
                linter,
            )
        )
    )
    _valid_sarif(document)
    first, second = (
        entry["locations"][0]["physicalLocation"]["artifactLocation"]
        for entry in document["runs"][0]["results"]
    )
    assert first == {"uri": "labs/S%C3%A3o%20Paulo/form%20%231.md", "uriBaseId": "%SRCROOT%", "index": 0}
    assert second["uri"] == (tmp_path / "a b.md").as_uri()
    assert "uriBaseId" not in second
    assert second["index"] == 1


def test_sarif_fingerprints_survive_line_moves_and_tell_repeats_apart(linter: Linter) -> None:
    def fingerprints(*problems: Problem) -> list[str]:
        document = json.loads(render_sarif(report_of([_result(*problems)], linter)))
        return [entry["partialFingerprints"][FINGERPRINT_KEY] for entry in document["runs"][0]["results"]]

    (before,) = fingerprints(_problem(line=3, end_line=3))
    (after,) = fingerprints(_problem(line=40, end_line=40))
    assert before == after
    (other_subject,) = fingerprints(_problem(subject="&lt;"))
    assert other_subject != before
    first, repeat = fingerprints(_problem(line=3, end_line=3), _problem(line=9, end_line=9))
    assert first == before
    assert repeat != first


def test_help_markdown_unindents_prose_and_fences_examples() -> None:
    doc = (
        "ALP999 made-up-rule\n"
        "    What the rule finds, on two\n"
        "    lines, with ``code``.\n"
        "\n"
        "Failing example::\n"
        "\n"
        "    # Title\n"
        "    ```\n"
        "\n"
        "    [[year:2024]]\n"
        "\n"
        "Passing example::\n"
        "\n"
        "    # Title"
    )
    assert help_markdown(doc) == (
        "**ALP999 made-up-rule**\n\n"
        "What the rule finds, on two lines, with ``code``.\n\n"
        "Failing example:\n\n"
        "````text\n# Title\n```\n\n[[year:2024]]\n````\n\n"
        "Passing example:\n\n"
        "```text\n# Title\n```"
    )


# GitHub


def test_github_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"


def test_github_line_escapes_path_title_and_message(linter: Linter) -> None:
    # A line break from a form is shown as \n: a message stays one line, as in the text report.
    problem = _problem(
        path="forms/a,b:c.md",
        code="ALP501",
        severity="error",
        message='Stage "Sense": 50%\nexpected a number',
    )
    report = report_of([_result(problem, path=problem.path)], linter)
    first, summary = render_github(report).splitlines()
    assert first == (
        "::error file=forms/a%2Cb%3Ac.md,line=3,col=2,endLine=3,endColumn=9,"
        'title=ALP501 cycle-stage-missing::Stage "Sense": 50%25\\nexpected a number'
    )
    assert summary == summary_line(report)


def test_github_report_of_the_seeds(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = _cli(capsys, monkeypatch, "github")
    lines = out.splitlines()
    assert status == 0
    assert lines[-1] == "Checked 3 files (3 forms): 0 errors, 5 warnings; 2 fixable with --fix."
    annotations = lines[:-1]
    assert all(line.startswith(("::error file=seeds/", "::warning file=seeds/")) for line in annotations)
    assert sum(line.startswith("::error ") for line in annotations) == 0
    assert sum(line.startswith("::warning ") for line in annotations) == 5
    assert any(
        line.startswith(
            f"::warning file={CLOSING},line=40,col=3,endLine=40,endColumn=159,"
            "title=ALP504 cycle-not-exported::The learning-cycle percentages (Sense, Explore, Test, Grow)"
        )
        for line in annotations
    )


# JUnit


def _junit(text: str) -> ElementTree.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ElementTree.fromstring(text.encode("utf-8"))


def _testcases(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_junit_report_of_the_seeds(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = _cli(capsys, monkeypatch, "junit")
    root = _junit(out)
    assert status == 0
    (suite,) = root.iter("testsuite")
    assert suite.get("name") == "alplint"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "0", "0")
    cases = _testcases(root)
    assert set(cases) == {CLOSING, OPENING, SOLUTION}
    assert all(case.get("classname") == "alplint" for case in cases.values())

    # The seeds have warnings only: they pass, and their warnings are still shown.
    assert cases[CLOSING].find("failure") is None
    listing = cases[CLOSING].findtext("system-out", "").splitlines()
    assert len(listing) == 2
    assert listing[1].startswith(f"{CLOSING}:40:3: warning ALP504 The learning-cycle percentages")

    # The solution seed has notes only (ALP604, ALP210): it passes with nothing listed.
    assert cases[SOLUTION].find("failure") is None
    warnings = cases[SOLUTION].findtext("system-out", "").splitlines()
    assert len(warnings) == 0
    assert all(": warning ALP" in line for line in warnings)


def test_junit_counts_and_a_clean_form(linter: Linter) -> None:
    failing = _result(
        _problem(code="ALP401", severity="error", message="The question has no answer"),
        _problem(code="ALP501", severity="error", message="A stage has no percentage", line=8),
        path="forms/failing.md",
    )
    clean = _result(path="forms/clean.md")
    root = _junit(render_junit(report_of([failing, clean], linter)))
    (suite,) = root.iter("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = _testcases(root)
    (failure,) = cases["forms/failing.md"].findall("failure")
    assert failure.get("type") == "ALP401,ALP501"
    assert failure.get("message") == "2 errors; first on line 3: ALP401 The question has no answer"
    assert list(cases["forms/clean.md"]) == []


def test_junit_stays_well_formed_with_characters_xml_cannot_hold(linter: Linter) -> None:
    problem = _problem(
        path="forms/odd\x0bname.md",
        code="ALP101",
        severity="error",
        message='Byte \x00 and escape \x1b[31m and <tag> & "quotes"\ud800',
    )
    root = _junit(render_junit(report_of([_result(problem, path=problem.path)], linter)))
    (case,) = root.iter("testcase")
    # Shown escaped, as in the text report, rather than dropped: nothing is lost, nothing obeyed.
    assert case.get("name") == "forms/odd\\x0bname.md"
    failure = case.find("failure")
    assert failure is not None
    shown = 'Byte \\x00 and escape \\x1b[31m and <tag> & "quotes"\\ud800'
    assert failure.get("message", "").endswith(shown)
    assert f"{shown} (unreadable-file)" in (failure.text or "")


# Escaping shared by every format


def test_shown_escapes_what_a_terminal_would_obey_and_bytes_that_are_not_utf8() -> None:
    assert shown("plain, é, 中文, \u200f") == "plain, é, 中文, \u200f"  # text and marks stay as they are
    assert shown("a\x1b[31mb\x07\x9b\x7f") == "a\\x1b[31mb\\x07\\x9b\\x7f"
    assert shown("one\ttwo\nthree\r") == "one\\ttwo\\nthree\\r"
    assert shown("abc\u202edcba\u2066\u2028") == "abc\\u202edcba\\u2066\\u2028"
    assert shown(os.fsdecode(b"r\xe9union.md")) == "r\\xe9union.md"


def test_json_text_is_valid_utf8_and_loses_nothing() -> None:
    document = {"path": os.fsdecode(b"forms/r\xe9union-\xff.md"), "message": "\x1b[2K \x9b \u202e é"}
    text = json_text(document)
    encoded = text.encode("utf-8")  # strict: would fail on a lone surrogate
    assert b"\x1b" not in encoded and "\u202e".encode() not in encoded
    assert json.loads(encoded.decode("utf-8")) == document
    assert os.fsencode(json.loads(text)["path"]) == b"forms/r\xe9union-\xff.md"
