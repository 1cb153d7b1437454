"""JUnit XML for CI test dashboards (GitLab, Jenkins, Azure): one test case per form.

A form fails when it has errors and passes with warnings only.  Each failing
form gets a single ``<failure>`` listing all its problems, because Jenkins,
GitLab and most dashboards show only the first ``<failure>`` of a test case;
a passing form's warnings go to ``<system-out>``.  Problems are listed as in
the text report (``[*]`` and ``[?]`` mark what ``--fix`` and ``--fix
--unsafe-fixes`` repair), with text from forms and file names escaped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import TYPE_CHECKING

from alplint.i18n import _, ngettext
from alplint.problem import Problem
from alplint.report import Report, fix_marker, shown
from alplint.report.text_format import summary_line

if TYPE_CHECKING:
    from alplint.result import FileResult

# Characters XML 1.0 cannot hold at all, not even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("", text)


def _problem_line(problem: Problem, report: Report) -> str:
    name = report.rules[problem.code].name
    marker = fix_marker(problem)
    return (
        f"{shown(problem.path)}:{problem.line}:{problem.column}: {problem.severity} {problem.code}"
        f"{' ' + marker if marker else ''} {shown(report.translate(problem.message))} ({name})"
    )


def _testcase(result: FileResult, report: Report) -> ElementTree.Element:
    path = xml_text(shown(result.path))
    testcase = ElementTree.Element("testcase", {"classname": "alplint", "name": path, "file": path})
    listing = xml_text("\n".join(_problem_line(problem, report) for problem in result.problems))
    errors = [problem for problem in result.problems if problem.severity == "error"]
    if errors:
        first = errors[0]
        counts = ngettext("{count:,} error", "{count:,} errors", len(errors), count=len(errors))
        if result.warnings:
            counts = _(
                "{errors}, {warnings}",
                errors=counts,
                warnings=ngettext(
                    "{count:,} warning", "{count:,} warnings", result.warnings, count=result.warnings
                ),
            )
        failure = ElementTree.SubElement(
            testcase,
            "failure",
            {
                "type": ",".join(dict.fromkeys(problem.code for problem in errors)),
                "message": xml_text(
                    shown(
                        report.translate(
                            _(
                                "{counts}; first on line {line}: {code} {message}",
                                counts=counts,
                                line=first.line,
                                code=first.code,
                                message=first.message,
                            )
                        )
                    )
                ),
            },
        )
        failure.text = listing
    elif result.problems:
        ElementTree.SubElement(testcase, "system-out").text = listing
    return testcase


# The results are read in passes (the failures counted, then the test cases written), never kept.
RESULTS_READ_IN_PASSES = True

# Where the test cases go in the document: a test case is two levels in (``testsuites``, ``testsuite``).
_PLACE = "alplint-testcases"
_CASE_LEVEL = 2
_CASE_SEPARATOR = "\n" + "  " * _CASE_LEVEL


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The document ``ElementTree.indent`` and ``tostring`` write, a test case at a time: the failures
    are counted in a first pass over the results, the test cases written in a second."""
    failures = sum(result.errors > 0 for result in report.results)
    tests = report.summary.files - report.summary.skipped
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", {"name": "alplint", **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": "alplint", **counts})
    ElementTree.SubElement(suite, _PLACE)
    ElementTree.SubElement(suite, "system-out").text = xml_text(summary_line(report))
    ElementTree.indent(suites)
    before, after = ElementTree.tostring(suites, encoding="unicode").split(f"<{_PLACE} />")
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n{before}'
    separator = ""
    for result in report.results:
        testcase = _testcase(result, report)
        ElementTree.indent(testcase, level=_CASE_LEVEL)
        yield separator + ElementTree.tostring(testcase, encoding="unicode")
        separator = _CASE_SEPARATOR
    # Without test cases, the suite's first child is its system-out, indented once.
    yield (after if separator else after.removeprefix(_CASE_SEPARATOR)) + "\n"
