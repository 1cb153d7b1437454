"""SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDE viewers).

Positions map one to one: SARIF lines and columns are 1-based, ``endColumn``
is the column just past the region like ours, and our columns count
characters, which SARIF calls ``unicodeCodePoints``.

A file name that is not UTF-8 keeps its bytes: URIs percent-encode the
bytes of the name itself.  A fix says whether ``--fix`` applies it
(``properties.applicability`` ``safe``) or only ``--fix --unsafe-fixes``
(``unsafe``, and its description then says so in words for the viewer).
A file given twice on the command line is two artifacts, each of its
results pointing to its own (the report is written a file at a time).
"""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alplint.i18n import _
from alplint.problem import Edit, Fix, Problem
from alplint.report import Report, json_piece
from alplint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/undp-accelerator-labs/alplint"
RULES_DOC_URI = f"{INFORMATION_URI}/blob/main/docs/rules.md"
# Results keyed on what they are about, not on their line, so that code scanning
# keeps an alert open (and does not reopen a dismissed one) when lines move.
FINGERPRINT_KEY = "alplintSubject/v1"

_LITERAL_BLOCK_INTRO = re.compile(r"::\s*$")


# The results are read in passes (the artifacts, then the results), never kept: the command line
# gives this format the results kept on disk, which can be read more than once.
RESULTS_READ_IN_PASSES = True

# The run's lists, one item at a time, at their depth in the document as ``json_text`` writes it.
_ITEM = "\n        "
_LIST_END = "\n      ]"


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The document ``{"$schema", "version", "runs": [run]}`` as ``json_text`` writes it, a file at a time:
    the run's ``artifacts`` in one pass over the results, its ``results`` in a second."""
    rule_index = {code: index for index, code in enumerate(report.rules)}
    tool = {
        "driver": {
            "name": "alplint",
            "version": report.version,
            "semanticVersion": report.version,
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(rule, report) for rule in report.rules.values()],
        }
    }
    yield (
        f'{{\n  "$schema": {json_piece(SCHEMA_URI, 1)},\n  "version": "2.1.0",\n  "runs": [\n    {{'
        f'\n      "tool": {json_piece(tool, 3)},'
        f'\n      "invocations": {json_piece([{"executionSuccessful": True}], 3)},'
        '\n      "columnKind": "unicodeCodePoints",\n      "artifacts": ['
    )
    separator = _ITEM
    for result in report.results:
        artifact = {
            "location": _artifact_location(result.path),
            "roles": ["analysisTarget"],
            "sourceLanguage": "markdown",
        }
        yield separator + json_piece(artifact, 4)
        separator = "," + _ITEM
    yield ("]" if separator == _ITEM else _LIST_END) + ',\n      "results": ['
    separator = _ITEM
    for artifact_index, result in enumerate(report.results):
        pieces = []
        for problem, fingerprint in zip(result.problems, _fingerprints(result.problems), strict=True):
            pieces.append(
                separator
                + json_piece(
                    _result(problem, rule_index[problem.code], artifact_index, fingerprint, report), 4
                )
            )
            separator = "," + _ITEM
        if pieces:
            yield "".join(pieces)
    yield ("]" if separator == _ITEM else _LIST_END) + "\n    }\n  ]\n}\n"


def help_uri(code: str) -> str:
    """Where a rule is documented; anchored by code, which never changes, unlike a rule's name."""
    return f"{RULES_DOC_URI}#{code.lower()}"


def _rule_descriptor(rule: Rule, report: Report) -> dict[str, Any]:
    doc = report.rule_help.get(rule.code, f"{rule.code} {rule.name}\n{rule.summary}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _description(doc) or rule.summary},
        "help": {"text": doc, "markdown": help_markdown(doc)},
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": [report.family_of[rule.code]] if rule.code in report.family_of else []},
    }


def _description(doc: str) -> str:
    """The paragraph under a rule's heading: what it finds and why, without the examples."""
    _heading, _, body = doc.partition("\n")
    paragraph = body.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def help_markdown(doc: str) -> str:
    """A rule's doc section (reStructuredText-like docstring) as Markdown.

    The heading becomes bold, indented prose is unindented (Markdown would
    read it as code), and each ``Example::`` literal block becomes a fenced
    code block.
    """
    heading, _, body = doc.partition("\n")
    parts = [f"**{heading.strip()}**"]
    paragraph: list[str] = []
    code: list[str] | None = None

    def flush_paragraph() -> None:
        if paragraph:
            parts.append(" ".join(paragraph))
            paragraph.clear()

    for line in body.splitlines():
        if code is not None:
            if not line.strip() or line[:1].isspace():
                code.append(line)
                continue
            parts.append(_fenced(code))
            code = None
        if not line.strip():
            flush_paragraph()
        elif _LITERAL_BLOCK_INTRO.search(line):
            paragraph.append(_LITERAL_BLOCK_INTRO.sub(":", line.strip()))
            flush_paragraph()
            code = []
        else:
            paragraph.append(line.strip())
    flush_paragraph()
    if code is not None:
        parts.append(_fenced(code))
    return "\n\n".join(parts)


def _fenced(lines: list[str]) -> str:
    content = textwrap.dedent("\n".join(lines)).strip("\n")
    longest_run = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest_run + 1)
    return f"{fence}text\n{content}\n{fence}"


def _artifact_location(path: str) -> dict[str, str]:
    """A URI for a path as given on the command line: relative paths stay relative to the checkout.

    The URI encodes the name's own bytes (``os.fsencode``), so a name that is
    not UTF-8 is percent-encoded byte for byte rather than lost.
    """
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(path.replace(os.sep, "/")), safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fingerprints(problems: list[Problem]) -> list[str]:
    """One stable key per problem; repeats of the same key in a file are numbered in order."""
    seen: Counter[str] = Counter()
    keys = []
    for problem in problems:
        about = problem.subject or problem.message
        key = "\0".join((problem.path, problem.code, about)).encode("utf-8", "surrogateescape")
        digest = hashlib.sha256(key).hexdigest()
        seen[digest] += 1
        keys.append(f"{digest[:32]}:{seen[digest]}")
    return keys


def _fix_description(fix: Fix) -> str:
    if fix.applicability == "safe":
        return fix.description
    return _(
        "{description} (unsafe: applied only by alplint --fix --unsafe-fixes; check the result)",
        description=fix.description,
    )


def _fix(path: str, fix: Fix, artifact: int) -> dict[str, Any]:
    return {
        "description": {"text": _fix_description(fix)},
        "artifactChanges": [
            {
                "artifactLocation": {**_artifact_location(path), "index": artifact},
                "replacements": [_replacement(edit) for edit in fix.edits],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    replacement: dict[str, Any] = {
        "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column)
    }
    if edit.content:
        replacement["insertedContent"] = {"text": edit.content}
    return replacement


def _result(problem: Problem, rule: int, artifact: int, fingerprint: str, report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": problem.code,
        "ruleIndex": rule,
        "level": problem.severity,
        "message": {"text": report.translate(problem.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {**_artifact_location(problem.path), "index": artifact},
                    "region": _region(problem.line, problem.column, problem.end_line, problem.end_column),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if problem.fix is not None:
        result["fixes"] = [_fix(problem.path, problem.fix, artifact)]
    return result
