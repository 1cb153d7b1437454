"""The rule families, and the catalogue of their rules.

Each module here is one family: its docstring documents every rule in it
(what, why, a failing and a passing example), ``RULES`` declares the rules
and ``OPTIONS`` the family's options (each an ``Option``: its type, its
default and the values a configuration may give it), and
``check(form, binding, options)`` yields the family's problems.  A check
knows nothing of files, configuration or output (``binding`` is the
form matched against its template, None when no template applies); the engine decides which
rules run, at which severity, and where their problems are printed.

The families are listed once, in ``load_families``, and typed as ``Family``:
mypy checks every module against that protocol.  ``Catalog`` is the one
catalogue of their rules, read by the engine, the configuration, the command
line and the reporters.

What the families declare (their rules and options) is also written, by
``tools/build_rules_doc.py``, to ``declarations.json`` beside them, with a
digest of this folder's sources: the built-in catalogue reads it instead of
importing the families (their checks, the parser, the templates), which a
run whose every file is cached never needs.  A file written from other
sources than the ones here is not used: the families are imported instead.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from alplint.digest import blake2b
from alplint.errors import ConfigError
from alplint.i18n import _, clip
from alplint.problem import Applicability, Problem, Severity
from alplint.suggest import closest

if TYPE_CHECKING:
    from alplint.model import Form
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


# The types an option's value may have, as a configuration file writes them.
OptionType = Literal["boolean", "integer", "number", "text"]
OPTION_TYPES: Mapping[OptionType, tuple[type, ...]] = {
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "text": (str,),
}


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a family: its type, its default, and the range or the choices a configuration
    may give it.  ``many``: the option is a list of values of that type.

    A declaration that contradicts itself (a default of another type, a default out of its range)
    fails when its family is imported, so no configuration is ever checked against it.
    """

    type: OptionType
    default: Any
    many: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        values = self.default if self.many else [self.default]
        if self.many and not isinstance(values, list):
            raise TypeError(f"a list option's default must be a list, not {self.default!r}")
        if not all(self.accepts(value) for value in values):
            raise TypeError(f"the default {self.default!r} is not allowed by its own declaration")

    def fits(self, value: object) -> bool:
        """Whether one value is of the option's type (``true`` is no number, ``1`` no boolean)."""
        if isinstance(value, bool) != (self.type == "boolean"):
            return False
        return isinstance(value, OPTION_TYPES[self.type])

    def accepts(self, value: object) -> bool:
        """Whether one value is of the option's type, within its range and among its choices."""
        if not self.fits(value):
            return False
        if isinstance(value, str):
            return bool(value.strip()) and (not self.choices or value in self.choices)
        if isinstance(value, int | float) and not isinstance(value, bool):
            too_low = self.minimum is not None and value < self.minimum
            too_high = self.maximum is not None and value > self.maximum
            return not (too_low or too_high or value != value)  # NaN is neither
        return True


def option_defaults(options: Mapping[str, Option]) -> dict[str, Any]:
    """Each option's default, by name: what a check sees when nothing is configured."""
    return {name: option.default for name, option in options.items()}


class Family(Protocol):
    """What a rule family module provides.  Every module of ``load_families`` is checked against it
    by mypy (a module satisfies a protocol by its top-level names)."""

    @property
    def RULES(self) -> Sequence[Rule]: ...

    @property
    def OPTIONS(self) -> Mapping[str, Option]: ...

    def check(self, form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]: ...


@functools.cache
def load_families() -> Mapping[str, Family]:
    """Every family by name, in report order: the registry.  A new family is added here.

    The modules are imported on first use, so that ``alplint --version`` and ``--help`` import no rule.
    """
    from alplint.rules import cycle, location, markdown, questions, structure, tags

    registry: dict[str, Family] = {
        "structure": structure,
        "tags": tags,
        "location": location,
        "questions": questions,
        "cycle": cycle,
        "markdown": markdown,
    }
    return MappingProxyType(registry)


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


_HEADING = re.compile(r"^(ALP\d{3}) [a-z-]+$", re.MULTILINE)


def rule_docs(family: Family) -> dict[str, str]:
    """Each rule's section of its family's docstring, by code (heading line included)."""
    doc = inspect.cleandoc(family.__doc__ or "")
    headings = list(_HEADING.finditer(doc))
    sections: dict[str, str] = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(doc)
        sections[heading[1]] = doc[heading.start() : end].strip()
    return sections


# What a family declares: its rules and its options (all the catalogue needs to know of it).
Declared = tuple[Sequence[Rule], Mapping[str, Option]]

DECLARATIONS_FILE = os.path.join(os.path.dirname(__file__), "declarations.json")


def sources_digest() -> str | None:
    """A digest of this folder's modules (the families and this one), None when one cannot be read."""
    folder = os.path.dirname(__file__)
    digest = blake2b(digest_size=16)
    try:
        for name in sorted(name for name in os.listdir(folder) if name.endswith(".py")):
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
            for part in (name.encode("utf-8", "surrogateescape"), data):
                digest.update(len(part).to_bytes(8, "little"))
                digest.update(part)
    except OSError:
        return None
    return digest.hexdigest()


def declarations_document(families: Mapping[str, Family]) -> dict[str, Any]:
    """What ``DECLARATIONS_FILE`` holds for alplint's ``families`` (as ``load_families`` gives them)."""
    return {
        "sources": sources_digest(),
        "families": {
            name: {
                "rules": [dataclasses.asdict(rule) for rule in module.RULES],
                "options": {key: dataclasses.asdict(option) for key, option in module.OPTIONS.items()},
            }
            for name, module in families.items()
        },
    }


def read_declarations(path: str = DECLARATIONS_FILE) -> dict[str, Declared] | None:
    """The families' declarations as ``path`` holds them; None when it cannot be read or was written
    from other sources than this folder's (the families are then imported to know them)."""
    try:
        with open(path, "rb") as handle:
            document = json.loads(handle.read())
        if document["sources"] != sources_digest():
            return None
        return {
            name: (
                tuple(Rule(**rule) for rule in family["rules"]),
                {
                    key: Option(**{**option, "choices": tuple(option["choices"])})
                    for key, option in family["options"].items()
                },
            )
            for name, family in document["families"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class Catalog:
    """Every rule of every family: found by code, name or prefix, with its family, its options and
    its documentation.  The one catalogue: the engine, the configuration, ``--list-rules``,
    ``--explain`` and the reporters read it.

    Made of family modules, or of what alplint's families declared alone (``declared``): the
    modules are then imported (``load_families``) when a check or a rule's documentation needs them.
    """

    def __init__(
        self, families: Mapping[str, Family] | None = None, *, declared: Mapping[str, Declared] | None = None
    ) -> None:
        if declared is None:
            if families is None:
                raise TypeError("a catalogue needs its families or what they declared")
            declared = {name: (module.RULES, module.OPTIONS) for name, module in families.items()}
        self._families = families
        self.rules: dict[str, Rule] = {}
        self.family_of: dict[str, str] = {}
        for family, (rules, _options) in declared.items():
            for rule in rules:
                if rule.code in self.rules:
                    raise ValueError(f"{rule.code} is declared by {self.family_of[rule.code]} and {family}")
                self.rules[rule.code] = rule
                self.family_of[rule.code] = family
        self.names = {code: rule.name for code, rule in self.rules.items()}
        self.options: dict[str, Mapping[str, Option]] = {
            family: options for family, (_rules, options) in declared.items()
        }

    @property
    def families(self) -> Mapping[str, Family]:
        if self._families is None:
            self._families = load_families()
        return self._families

    @staticmethod
    @functools.cache
    def builtin() -> Catalog:
        """alplint's own rules, catalogued once per process (from ``DECLARATIONS_FILE`` when it is
        up to date: the families are imported when first needed)."""
        declared = read_declarations()
        return Catalog(declared=declared) if declared is not None else Catalog(load_families())

    def select(self, selector: str) -> set[str]:
        """The codes a selector names; empty when it names none."""
        return select_codes(selector, self.names)

    def resolve(self, selector: str, where: str) -> set[str]:
        """The codes a selector names: a code, a rule name, a prefix (``ALP5``) or ``ALL``; a
        ``ConfigError`` saying ``where`` it was written when it names none."""
        codes = self.select(selector)
        if codes:
            return codes
        raise self.unknown(where, selector)

    def resolve_all(self, selectors: Iterable[str], where: str) -> set[str]:
        codes: set[str] = set()
        for selector in selectors:
            codes |= self.resolve(selector, where)
        return codes

    def hint(self, selector: str) -> str:
        """The closest code or rule name to a selector that names none, as a did-you-mean."""
        close = closest(selector, self.rules) or closest(selector, self.names.values())
        return _('; did you mean "{close}"?', close=close[0]) if close else _("; see alplint --list-rules")

    def unknown(self, where: str, selector: str, *, name_it: bool = True) -> ConfigError:
        """The error for a selector that names no rule (``name_it``: quote it), with the closest one."""
        if name_it:
            return ConfigError(
                _(
                    '{where}: unknown rule "{selector}"{hint}',
                    where=where,
                    selector=clip(selector),
                    hint=self.hint(selector),
                )
            )
        return ConfigError(_("{where}: unknown rule{hint}", where=where, hint=self.hint(selector)))

    @functools.cached_property
    def help(self) -> dict[str, str]:
        """Each rule's documentation (its section of its family's docstring), by code."""
        return {code: text for module in self.families.values() for code, text in rule_docs(module).items()}
