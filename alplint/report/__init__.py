"""Output formats: each module turns a finished run into text, one format each.

Reporters see only the results (paths, templates, problems) and the rule
catalogue; they never parse forms or run rules.

Two helpers keep every report truthful whatever a form or a file name holds:
``shown`` escapes what a terminal or a log viewer would obey instead of
print (escape sequences that erase a line or paint it green, bidirectional
overrides) and the bytes of a file name that are not UTF-8; ``json_text``
writes a document that is valid UTF-8 JSON even then, losing nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from alplint.i18n import ENGLISH, _, translate, translate_text

if TYPE_CHECKING:
    from alplint.engine import FileResult
    from alplint.problem import Problem
    from alplint.rules import Rule

# C0 and C1 control characters (ESC, CSI, BEL, line breaks...), the line and paragraph separators,
# the bidirectional embeddings, overrides and isolates, and lone surrogates: the bytes of a file
# name that are not UTF-8, as os.fsdecode gives them (U+DC80-U+DCFF).
_NOT_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if character in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[character]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the file name's own byte
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` safe to print: control characters, bidirectional controls and undecodable bytes escaped.

    ``\\x1b`` stands for an escape character, ``\\xff`` for a byte of a file
    name that is not UTF-8, ``\\u202e`` for a right-to-left override.
    """
    return _NOT_SHOWN.sub(_escape, text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(document: object) -> str:
    """``document`` as indented JSON that is valid UTF-8, with nothing lost.

    A file name that is not UTF-8 reaches us with lone surrogates
    (``os.fsdecode``); UTF-8 cannot encode them, so they are written as JSON
    escapes (``"\\udcff"``), which a JSON reader in Python turns back into the
    same name.  Control and bidirectional characters are escaped too, so that
    printing the JSON cannot drive a terminal.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    # json.dumps puts characters like these only inside strings, where an escape means the same.
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def fix_marker(problem: Problem) -> str:
    """``[*]`` for a fix ``--fix`` applies, ``[?]`` for one only ``--unsafe-fixes`` applies, else empty."""
    if problem.fix is None:
        return ""
    return "[*]" if problem.fix.applicability == "safe" else "[?]"


def fix_hint(problem: Problem) -> str:
    """The same in words, for reports read outside a terminal (annotations, dashboards)."""
    if problem.fix is None:
        return ""
    if problem.fix.applicability == "safe":
        return _("alplint --fix can repair this")
    return _("alplint --fix --unsafe-fixes can repair this; check the result")


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    forms: int
    skipped: int
    errors: int
    warnings: int
    fixable: int
    # Notes by code: how many there are and in how many forms (counted, never listed).
    notes: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # Problems whose fix only --unsafe-fixes applies (``fixable`` counts the safe ones).
    unsafe_fixable: int = 0
    # Problems not shown: silenced by suppression comments, or known to the baseline.
    suppressed: int = 0
    baselined: int = 0

    @classmethod
    def of(cls, results: Sequence[FileResult], skipped: int, baselined: int = 0) -> Summary:
        """The totals of ``results``; ``baselined`` is how many problems the baseline took out of them."""
        problems = [problem for result in results for problem in result.problems]
        note_count: Counter[str] = Counter()
        note_forms: Counter[str] = Counter()
        for result in results:
            note_count.update(result.notes)
            note_forms.update(result.notes.keys())
        return cls(
            files=len(results) + skipped,
            forms=sum(result.form is not None for result in results),
            skipped=skipped,
            errors=sum(problem.severity == "error" for problem in problems),
            warnings=sum(problem.severity == "warning" for problem in problems),
            fixable=sum(
                problem.fix is not None and problem.fix.applicability == "safe" for problem in problems
            ),
            notes={code: (note_count[code], note_forms[code]) for code in sorted(note_count)},
            unsafe_fixable=sum(
                problem.fix is not None and problem.fix.applicability == "unsafe" for problem in problems
            ),
            suppressed=sum(result.suppressed for result in results),
            baselined=baselined,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "forms": self.forms,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "fixable": self.fixable,
            "notes": {code: {"count": count, "forms": forms} for code, (count, forms) in self.notes.items()},
            "unsafe_fixable": self.unsafe_fixable,
            "suppressed": self.suppressed,
            "baselined": self.baselined,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter may show: the checked files (skipped ones excluded) and the totals."""

    results: Sequence[FileResult]
    summary: Summary
    rules: Mapping[str, Rule]
    rule_help: Mapping[str, str]
    family_of: Mapping[str, str]
    version: str
    color: bool = False
    # The language of the report's words (``en``, ``es``, ``fr``).  The command line gives the
    # machine-readable formats English unless --lang or the configuration's lang asks otherwise.
    language: str = ENGLISH

    def translate(self, message: str) -> str:
        """``message`` (a problem's message, a label) in the report's language."""
        return translate(message, self.language)

    def summary_of(self, code: str) -> str:
        """A rule's one-line summary in the report's language; empty for a code no rule has."""
        rule = self.rules.get(code)
        return translate_text(rule.summary, self.language) if rule else ""


# The severities as a report names them to a reader (the codes and the JSON keep the English words).
SEVERITY_WORDS = {"error": _("error"), "warning": _("warning"), "note": _("note")}


Reporter = Callable[[Report], str]

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def get_reporter(name: str) -> Reporter:
    """The ``render`` function of a format, imported only when it is used."""
    module = import_module(f"alplint.report.{name}_format")
    render: Reporter = module.render
    return render
