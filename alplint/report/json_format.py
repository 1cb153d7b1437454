"""Machine-readable report; the shape is a public contract (README, "For maintainers": the JSON report).

Each file names the template it was checked against (``template``, such as
``learningplan-opening``) and the version of it the form matched
(``version``, such as ``"2"``): null for a template without versions, and for
a form of a type whose authors may design their own templates (a solution)
whose questions match none of the known ones.

The output is valid UTF-8 whatever the file names hold: a name that is not
UTF-8 keeps its bytes as ``\\udcXX`` escapes (see ``json_text``).
"""

from __future__ import annotations

from alplint.report import Report, json_text


def render(report: Report) -> str:
    files = [
        {
            "path": result.path,
            "type": result.form_type,
            "template": result.template,
            "version": result.version,
            "problems": [
                {
                    "code": problem.code,
                    "name": report.rules[problem.code].name,
                    "severity": problem.severity,
                    "line": problem.line,
                    "column": problem.column,
                    "end_line": problem.end_line,
                    "end_column": problem.end_column,
                    "message": report.translate(problem.message),
                    "fix": problem.fix.as_dict() if problem.fix is not None else None,
                }
                for problem in result.problems
            ],
        }
        for result in report.results
    ]
    document = {"version": report.version, "files": files, "summary": report.summary.as_dict()}
    return json_text(document)
