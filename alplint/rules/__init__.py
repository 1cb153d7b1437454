"""The rule families.

Each module here is one family: its docstring documents every rule in it
(what, why, a failing and a passing example), ``RULES`` declares the rules
and ``OPTIONS`` the family's options (each an ``Option``: its default and
the values a configuration may give it), and
``check(form, binding, options)`` yields the family's problems.  A check
knows nothing of files, configuration or output (``binding`` is the
form matched against its template, None when no template applies); the engine decides which
rules run, at which severity, and where their problems are printed.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any, Protocol

from alplint.model import Form
from alplint.problem import Applicability, Problem, Severity
from alplint.template import Binding


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's public contract.  ``default`` is False for a rule that runs only when asked for
    (``--select ALL``, its code, name or prefix), as ruff's rules outside its default selection."""

    code: str
    name: str
    severity: Severity
    summary: str
    fixable: bool = False
    # Whether --fix applies the rule's fix ("safe") or only --fix --unsafe-fixes ("unsafe").
    fix_applicability: Applicability = "safe"
    # Whether the rule runs when nothing selects it by name (ruff's "preview"-like opt-in rules do not).
    default: bool = True


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a family: its default, whose type is the option's (a list's items take the type of
    its first item), and the range or the choices a configuration may give it."""

    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


def option_defaults(options: Mapping[str, Option]) -> dict[str, Any]:
    """Each option's default, by name: what a check sees when nothing is configured."""
    return {name: option.default for name, option in options.items()}


class Family(Protocol):
    __doc__: str | None
    RULES: tuple[Rule, ...]
    OPTIONS: Mapping[str, Option]

    def check(self, form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]: ...


def select_codes(selector: str, names: Mapping[str, str]) -> set[str]:
    """The codes a selector names (a code, a rule name, a prefix such as ``ALP5``, or ``ALL``).

    ``names`` maps each code to its rule name; an empty set means the selector names no rule.
    """
    wanted = selector.strip()
    upper = wanted.upper()
    if upper in ("ALL", "ALP"):
        return set(names)
    if upper in names:
        return {upper}
    by_name = [code for code, name in names.items() if name == wanted.lower()]
    if by_name:
        return set(by_name)
    return {code for code in names if code.startswith(upper)} if upper.startswith("ALP") else set()


FAMILY_MODULES = ("structure", "tags", "location", "questions", "cycle", "markdown")


def load_families() -> dict[str, ModuleType]:
    """Every family module by name, in report order."""
    return {name: import_module(f"alplint.rules.{name}") for name in FAMILY_MODULES}


_HEADING = re.compile(r"^(ALP\d{3}) [a-z-]+$", re.MULTILINE)


def rule_docs(module: ModuleType) -> dict[str, str]:
    """Each rule's section of its family's docstring, by code (heading line included)."""
    doc = inspect.cleandoc(module.__doc__ or "")
    headings = list(_HEADING.finditer(doc))
    sections: dict[str, str] = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(doc)
        sections[heading[1]] = doc[heading.start() : end].strip()
    return sections
