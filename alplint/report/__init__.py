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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from alplint.i18n import ENGLISH, _, translate, translate_text

if TYPE_CHECKING:
    from alplint.problem import Problem
    from alplint.result import FileResult
    from alplint.rules import Catalog, Rule

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
    return json_piece(document) + "\n"


def json_piece(value: object, depth: int = 0) -> str:
    """``value`` as ``json_text`` writes it at ``depth`` levels of indentation inside a document
    (without the final line break), so that a long document can be written a piece at a time."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if depth and "\n" in text:
        text = text.replace("\n", "\n" + "  " * depth)
    return json_safe(text)


def json_safe(text: str) -> str:
    """JSON text with the characters ``json_text`` escapes escaped (a valid UTF-8 document that
    cannot drive a terminal)."""
    if text.isascii() and "\x7f" not in text:
        return text  # the one unsafe ASCII character is DEL (json.dumps escapes the controls below it)
    # json.dumps puts characters like these only inside strings, where an escape means the same.
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


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
    def of(cls, results: Iterable[FileResult], skipped: int, baselined: int = 0) -> Summary:
        """The totals of ``results``; ``baselined`` is how many problems the baseline took out of them."""
        tally = Tally()
        for result in results:
            tally.add(result)
        return tally.summary(skipped, baselined)

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


class Tally:
    """The totals of results added one at a time, so that a run need not keep its results to count them."""

    __slots__ = (
        "errors",
        "files",
        "fixable",
        "forms",
        "note_count",
        "note_forms",
        "suppressed",
        "unsafe",
        "warnings",
    )

    def __init__(self) -> None:
        self.files = self.forms = self.errors = self.warnings = 0
        self.fixable = self.unsafe = self.suppressed = 0
        self.note_count: Counter[str] = Counter()
        self.note_forms: Counter[str] = Counter()

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.forms += result.readable
        self.suppressed += result.suppressed
        for problem in result.problems:
            if problem.severity == "error":
                self.errors += 1
            elif problem.severity == "warning":
                self.warnings += 1
            if problem.fix is not None:
                if problem.fix.applicability == "safe":
                    self.fixable += 1
                elif problem.fix.applicability == "unsafe":
                    self.unsafe += 1
        if result.notes:
            # Counter.update checks its argument's type on every call: plain additions cost less.
            note_count, note_forms = self.note_count, self.note_forms
            for code, count in result.notes.items():
                note_count[code] += count
                note_forms[code] += 1

    def summary(self, skipped: int, baselined: int = 0) -> Summary:
        return Summary(
            files=self.files + skipped,
            forms=self.forms,
            skipped=skipped,
            errors=self.errors,
            warnings=self.warnings,
            fixable=self.fixable,
            notes={code: (self.note_count[code], self.note_forms[code]) for code in sorted(self.note_count)},
            unsafe_fixable=self.unsafe,
            suppressed=self.suppressed,
            baselined=baselined,
        )


@dataclass(slots=True)
class Report:
    """Everything a reporter may show: the checked files (skipped ones excluded) and the totals.

    A report written as the forms are checked has ``results`` that can be read once, and its
    ``summary`` is complete only once they have been read: a format's ``chunks`` reads the
    summary after the results (the text, JSON and GitHub formats do).  A format that declares
    ``RESULTS_READ_IN_PASSES`` (SARIF, JUnit, HTML) is given the results kept on disk: a
    ``Sequence`` it reads in passes, one after the other, each keeping no more than a file's
    worth, with the summary complete from the start.
    """

    results: Iterable[FileResult]
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


class RuleHelp(Mapping[str, str]):
    """Each rule's documentation by code (``Catalog.help``), read from the families' docstrings only
    when a reporter asks for it (SARIF and HTML do; the text and JSON reports never pay for it)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._texts: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = self._catalog.help
        return self._texts

    def __getitem__(self, code: str) -> str:
        return self._read()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


Reporter = Callable[[Report], str]
Chunks = Callable[[Report], Iterable[str]]

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def get_reporter(name: str) -> Reporter:
    """The ``render`` function of a format, imported only when it is used."""
    module = import_module(f"alplint.report.{name}_format")
    render: Reporter = module.render
    return render


def streams(name: str) -> bool:
    """Whether a format writes its report as the forms are checked: it has ``chunks`` that read the
    results once (a format whose ``chunks`` read them in passes is given the results kept on disk)."""
    module = import_module(f"alplint.report.{name}_format")
    return hasattr(module, "chunks") and not getattr(module, "RESULTS_READ_IN_PASSES", False)


def get_writer(name: str) -> Chunks:
    """A format's report as pieces of text in order: its ``chunks`` when it writes the report as it
    reads the results (memory stays flat however many forms; every format does), else its
    ``render``'s one piece."""
    module = import_module(f"alplint.report.{name}_format")
    chunks: Chunks | None = getattr(module, "chunks", None)
    if chunks is not None:
        return chunks
    render: Reporter = module.render
    return lambda report: [render(report)]
