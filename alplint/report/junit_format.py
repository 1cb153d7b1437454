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
from typing import TYPE_CHECKING

from alplint.i18n import _, ngettext
from alplint.problem import Problem
from alplint.report import Report, fix_marker, shown
from alplint.report.text_format import summary_line

if TYPE_CHECKING:
    from alplint.engine import FileResult

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


def render(report: Report) -> str:
    failures = sum(result.errors > 0 for result in report.results)
    tests = report.summary.files - report.summary.skipped
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", {"name": "alplint", **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": "alplint", **counts})
    suite.extend(_testcase(result, report) for result in report.results)
    ElementTree.SubElement(suite, "system-out").text = xml_text(summary_line(report))
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
