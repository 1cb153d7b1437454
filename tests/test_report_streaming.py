"""Every format writes its report as it reads the results (issue 9: memory flat however many forms).

SARIF, JUnit and HTML read the results kept on disk in passes, one after the other, and write each
form as they read it: their pieces joined are the document their whole-document form gives.
"""

from __future__ import annotations

import dataclasses
import json
import re
import weakref
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import pytest

from alplint.engine import FileResult, Linter
from alplint.report import (
    FORMATS,
    Report,
    get_writer,
    html_format,
    json_text,
    junit_format,
    sarif_format,
    streams,
)
from alplint.report.text_format import summary_line
from tests.conftest import ROOT, report_of

PASSES_FORMATS = ("sarif", "junit", "html")
SEEDS = sorted((ROOT / "seeds").iterdir())
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*.md"))


def _results(linter: Linter, paths: Sequence[Path]) -> list[FileResult]:
    return [linter.lint_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) for path in paths]


def _many(linter: Linter, copies: int) -> list[FileResult]:
    """The seeds' results again and again, each copy under its own folder."""
    seeds = _results(linter, SEEDS)
    many = []
    for copy in range(copies):
        for result in seeds:
            path = f"forms/{copy:03d}/{Path(result.path).name}"
            problems = [dataclasses.replace(problem, path=path) for problem in result.problems]
            many.append(dataclasses.replace(result, path=path, problems=problems))
    return many


# The whole documents, made as the formats made them before they streamed.


def _whole_sarif(report: Report) -> str:
    results = list(report.results)
    rule_index = {code: index for index, code in enumerate(report.rules)}
    run = {
        "tool": {
            "driver": {
                "name": "alplint",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": sarif_format.INFORMATION_URI,
                "rules": [sarif_format._rule_descriptor(rule, report) for rule in report.rules.values()],
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "artifacts": [
            {
                "location": sarif_format._artifact_location(result.path),
                "roles": ["analysisTarget"],
                "sourceLanguage": "markdown",
            }
            for result in results
        ],
        "results": [
            sarif_format._result(problem, rule_index[problem.code], index, fingerprint, report)
            for index, result in enumerate(results)
            for problem, fingerprint in zip(
                result.problems, sarif_format._fingerprints(result.problems), strict=True
            )
        ],
    }
    return json_text({"$schema": sarif_format.SCHEMA_URI, "version": "2.1.0", "runs": [run]})


def _whole_junit(report: Report) -> str:
    results = list(report.results)
    tests = report.summary.files - report.summary.skipped
    failures = sum(result.errors > 0 for result in results)
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", {"name": "alplint", **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": "alplint", **counts})
    suite.extend(junit_format._testcase(result, report) for result in results)
    ElementTree.SubElement(suite, "system-out").text = junit_format.xml_text(summary_line(report))
    ElementTree.indent(suites)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{ElementTree.tostring(suites, encoding="unicode")}\n'


def _whole_html_data(report: Report) -> str:
    page_labels = {name: report.translate(text) for name, text in html_format.labels().items()}
    tables = html_format._Tables(report)
    try:
        forms = [tables.form(result) for result in report.results]
        data = {
            "labels": page_labels,
            "rules": tables.rules,
            "strings": list(tables.strings),
            "countries": tables.places.countries,
            "points": tables.places.points,
            "forms": forms,
        }
    finally:
        tables.strings.close()
    return html_format.script_json(data)


def _html_data(page: str) -> str:
    match = re.search(r'<script type="application/json" id="alplint-data">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    return match[1]


def _streamed(name: str, report: Report) -> str:
    return "".join(get_writer(name)(report))


@pytest.mark.parametrize("paths", [SEEDS, FIXTURES, []], ids=["seeds", "fixtures", "none"])
def test_the_streamed_documents_are_the_whole_documents(linter: Linter, paths: Sequence[Path]) -> None:
    report = report_of(_results(linter, paths), linter)
    assert _streamed("sarif", report) == _whole_sarif(report)
    assert _streamed("junit", report) == _whole_junit(report)
    assert _html_data(_streamed("html", report)) == _whole_html_data(report)


def test_a_report_of_many_forms_streams_the_whole_document(linter: Linter) -> None:
    results = _many(linter, 40)
    report = report_of(results, linter)
    sarif = _streamed("sarif", report)
    assert sarif == _whole_sarif(report)
    (run,) = json.loads(sarif)["runs"]
    assert len(run["artifacts"]) == len(results)
    assert [
        item["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for item in run["results"]
    ] == [index for index, result in enumerate(results) for _problem in result.problems]
    assert _streamed("junit", report) == _whole_junit(report)
    page = _streamed("html", report)
    assert _html_data(page) == _whole_html_data(report)
    assert len(json.loads(_html_data(page))["forms"]) == len(results)


class _Tracked(FileResult):
    """A result whose lifetime a test can watch (``FileResult`` has slots, so no weak references)."""


class _LazyResults(Sequence[FileResult]):
    """Results made as they are read, a pass at a time, like the results kept on disk."""

    def __init__(self, results: Sequence[FileResult]) -> None:
        self._results = results
        self.passes = 0
        self.reading = False
        self.position = 0
        self.made: list[weakref.ref[FileResult]] = []

    def alive(self) -> int:
        return sum(made() is not None for made in self.made)

    def __len__(self) -> int:
        return len(self._results)

    @overload
    def __getitem__(self, index: int) -> FileResult: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[FileResult]: ...
    def __getitem__(self, index: int | slice) -> FileResult | Sequence[FileResult]:
        raise AssertionError("the results are read in passes, never by position")

    def __iter__(self) -> Iterator[FileResult]:
        assert not self.reading, "two passes at once"
        self.passes += 1
        self.reading = True
        try:
            for position, result in enumerate(self._results, 1):
                self.position = position
                made = _Tracked(
                    **{field.name: getattr(result, field.name) for field in dataclasses.fields(result)}
                )
                self.made.append(weakref.ref(made))
                yield made
        finally:
            self.reading = False


@pytest.mark.parametrize("name", PASSES_FORMATS)
def test_the_formats_read_the_results_in_passes_a_form_at_a_time(linter: Linter, name: str) -> None:
    results = _many(linter, 5)
    lazy = _LazyResults(results)
    report = report_of(results, linter)
    report.results = lazy
    pieces = []
    most_alive = 0
    written_while_reading = 0
    for piece in get_writer(name)(report):
        pieces.append(piece)
        most_alive = max(most_alive, lazy.alive())
        written_while_reading += lazy.reading and lazy.position < len(results)
    assert lazy.passes == 2
    assert most_alive <= 2  # the form being written (and the one before it, not yet let go)
    assert written_while_reading >= len(results) - 1
    assert len(pieces) > len(results)
    assert "".join(pieces) == _streamed(name, report_of(results, linter))


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_writes_in_chunks(name: str) -> None:
    module: Any = __import__(f"alplint.report.{name}_format", fromlist=["chunks"])
    chunks: Callable[[Report], Any] = module.chunks
    assert get_writer(name) is chunks
    # The command line gives a format that reads in passes the results kept on disk.
    assert streams(name) == (name not in PASSES_FORMATS)


def test_the_html_string_table_keeps_each_string_once_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_format, "RECENT_STRINGS", 2)  # most lookups then go to the table on disk
    strings = html_format._Strings()
    texts = ["a", "b\udcff name not UTF-8", "c\x00d", "a", "é", "b\udcff name not UTF-8", "c\x00d", "é"]
    try:
        assert [strings(text) for text in texts] == [0, 1, 2, 0, 3, 1, 2, 3]
        assert list(strings) == ["a", "b\udcff name not UTF-8", "c\x00d", "é"]
    finally:
        strings.close()


def test_a_page_with_more_strings_than_kept_in_memory_is_the_whole_page(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_format, "RECENT_STRINGS", 3)
    report = report_of(_many(linter, 4), linter)
    assert _html_data(_streamed("html", report)) == _whole_html_data(report)


def test_a_file_given_twice_is_two_sarif_artifacts_each_with_its_results(linter: Linter) -> None:
    (result,) = _results(linter, SEEDS[:1])
    assert result.problems
    (run,) = json.loads(_streamed("sarif", report_of([result, result], linter)))["runs"]
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == [result.path, result.path]
    indices = [
        item["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for item in run["results"]
    ]
    assert indices == [0] * len(result.problems) + [1] * len(result.problems)
