"""Settings for a run: what the command line and configuration files ask for.

Where the settings come from
----------------------------
``--config FILE`` names one file (any of the formats below, told apart by
its name).  Without it, alplint looks in the current folder, then in each
parent folder up to the root of the file system, and uses the first folder
that has one of, in this order of preference:

1. ``.alplint.yaml`` (or ``.alplint.yml``)
2. ``.alplint.toml``
3. ``pyproject.toml`` with a ``[tool.alplint]`` table (a ``pyproject.toml``
   without one is passed over, as ruff does).

Only that one file is read: settings are not combined across folders.  When
no file is found, the defaults apply.  Command-line options win over the
file: ``--select`` replaces the file's ``select`` and also drops its
``ignore`` (an explicit choice on the command line is obeyed as written, as
in ruff); ``--ignore`` adds to the file's ``ignore`` and ``--schema-dir`` to
its ``schema-dirs``.

Keys
----
``select``, ``ignore``
    lists of rule codes (``ALP601``), names (``image-alt-text``), prefixes
    (``ALP6``) or ``ALL``.  Without ``select``, every rule runs but those
    off by default (ALP107); ``ALL``, a prefix or a code selects them too.
``severity``
    ``{selector: error | warning | note}``; a note is counted in the summary, not listed.
``per-file-ignores``
    ``{glob: [selectors]}``: rules silenced for the files the glob matches.
``include``
    file-name globs of the files taken from folders (default ``*.md``, ``*.txt``).
``exclude``
    globs of files and folders to skip.
``schema-dirs``
    extra folders of template schemas, relative to the configuration file.
``schema-map``
    ``{glob: template name}``: the template for the files the glob matches.
``skip-types``
    the ``[[type:...]]`` values of pages that are not forms, skipped like
    READMEs and counted in the summary (default: the archive's ``blog``,
    ``publications``, ``story``, ``tactics``, ``tools``, ``principles``,
    ``skills``).  ``skip-types: []`` checks every page.
a family of rules (``location``, ``questions``...)
    that family's options, e.g. ``location: {tolerance-km: 3}`` in YAML or
    ``[tool.alplint.location]`` with ``tolerance-km = 3`` in TOML.

Globs
-----
A glob without ``/`` (``draft-*.md``, ``archive``) matches a file or folder
name anywhere.  A glob with ``/`` that does not start with ``*`` or ``/``
(``archive/2019/*.md``) is relative to the folder of the configuration file,
wherever alplint is run from: it is stored anchored there, as an absolute
glob.  Other globs (``*/drafts/*``) are kept as written and matched against
the path as given.  ``path_matches`` is how a path is tested against one.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from types import ModuleType
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from alplint.errors import ConfigError
from alplint.model import NON_FORM_TYPES
from alplint.problem import Severity

__all__ = [
    "CONFIG_FILE_NAMES",
    "CONFIG_SCHEMA",
    "Config",
    "ConfigError",
    "KnownRules",
    "find_config",
    "load_config",
    "merge",
    "path_matches",
    "resolve_config",
]


@dataclass(frozen=True, slots=True)
class Config:
    # None: the default selection (every rule but those off by default).
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    schema_dirs: tuple[str, ...] = ()
    schema_map: Mapping[str, str] = field(default_factory=dict)
    skip_types: tuple[str, ...] = NON_FORM_TYPES
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The configuration file these settings were read from; None for the defaults.
    path: str | None = None


# In each folder, the first of these that exists (and, for pyproject.toml, has [tool.alplint]) wins.
CONFIG_FILE_NAMES = (".alplint.yaml", ".alplint.yml", ".alplint.toml", "pyproject.toml")

_SELECTORS = {
    "type": "array",
    "description": "a list of rule codes, names or prefixes, such as [ALP6, unknown-tag]",
    "items": {"type": "string", "minLength": 1, "description": "a rule code, name or prefix such as ALP601"},
}
_GLOBS = {
    "type": "array",
    "description": 'a list of globs, such as ["archive/*", "*.txt"]',
    "items": {"type": "string", "minLength": 1, "description": "a glob such as archive/*.md"},
}

CONFIG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "alplint configuration",
    "description": "a table of settings",
    "type": "object",
    "propertyNames": {"type": "string", "description": "a key written as text"},
    "properties": {
        "select": _SELECTORS,
        "ignore": _SELECTORS,
        "severity": {
            "type": "object",
            "description": "a table of rules and severities, such as {ALP601: error}",
            "propertyNames": {"type": "string", "description": "a rule code, name or prefix"},
            "additionalProperties": {"enum": ["error", "warning", "note"]},
        },
        "per-file-ignores": {
            "type": "object",
            "description": 'a table of globs and the rules they silence, such as {"archive/*": [ALP205]}',
            "propertyNames": {"type": "string", "minLength": 1, "description": "a glob"},
            "additionalProperties": _SELECTORS,
        },
        "include": _GLOBS,
        "exclude": _GLOBS,
        "schema-dirs": {
            "type": "array",
            "description": "a list of folders of schema files, such as [schemas]",
            "items": {"type": "string", "minLength": 1, "description": "a folder name"},
        },
        "schema-map": {
            "type": "object",
            "description": 'a table of globs and template names, such as {"closing/*": learningplan-closing}',
            "propertyNames": {"type": "string", "minLength": 1, "description": "a glob"},
            "additionalProperties": {"type": "string", "minLength": 1, "description": "a template name"},
        },
        "skip-types": {
            "type": "array",
            "description": "a list of page types that are not forms, such as [blog, story]",
            "items": {"type": "string", "minLength": 1, "description": "a page type such as blog"},
        },
    },
    # Every other key is the name of a family of rules; which names exist is checked against the rules.
    "additionalProperties": {
        "type": "object",
        "description": "a table of options, such as {tolerance-km: 3}",
        "propertyNames": {"type": "string", "description": "an option name"},
    },
}

_KEYS = tuple(CONFIG_SCHEMA["properties"])


@dataclass(frozen=True, slots=True)
class KnownRules:
    """What a configuration may name: each rule's code and name, each family's options and defaults."""

    names: Mapping[str, str]
    options: Mapping[str, Mapping[str, Any]]

    @classmethod
    def from_families(cls, families: Mapping[str, ModuleType]) -> KnownRules:
        return cls(
            names={rule.code: rule.name for module in families.values() for rule in module.RULES},
            options={family: dict(module.OPTIONS) for family, module in families.items()},
        )

    @classmethod
    def builtin(cls) -> KnownRules:
        # Imported here: the rules import the model, and the engine imports this module.
        from alplint.rules import load_families

        return cls.from_families(load_families())

    def selects_something(self, selector: str) -> bool:
        """Whether a selector names at least one rule, as the engine reads selectors."""
        from alplint.rules import select_codes

        return bool(select_codes(selector, self.names))

    def unknown(self, place: str, selector: str, *, name_it: bool = True) -> ConfigError:
        """The error for a selector that names no rule, with the closest code or name."""
        close = difflib.get_close_matches(selector.strip(), [*self.names, *self.names.values()], n=1)
        hint = f'; did you mean "{close[0]}"?' if close else "; see alplint --list-rules"
        what = f"unknown rule {_quote(selector)}" if name_it else "unknown rule"
        return ConfigError(f"{place}: {what}{hint}")


# --- finding ---------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The configuration file for a run started in ``start``, or None.

    Looks in ``start`` and then each parent folder up to the root of the file
    system (as ruff does; alplint has no per-user configuration).
    """
    folder = start.resolve()
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILE_NAMES:
            candidate = candidate_folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_alplint_table(candidate):
                return candidate
    return None


def _has_alplint_table(pyproject: Path) -> bool:
    # A broken pyproject.toml belongs to someone else's tool: it is only an error when named by --config.
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "alplint" in tool


# --- reading ---------------------------------------------------------------------------


def load_config(path: Path, rules: KnownRules | None = None) -> Config:
    """The settings in one configuration file, checked against the rules that exist.

    ``rules`` defaults to alplint's own rules.  A mistake in the file is a
    ``ConfigError`` naming the file, the key and what to write instead.
    """
    rules = rules or KnownRules.builtin()
    display = _display(path)
    if not path.is_file():
        raise ConfigError(f"{display}: no such configuration file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{display}: not UTF-8 text (byte {error.start + 1}); save it as UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{display}: cannot be read ({error.strerror})") from None

    if path.name == "pyproject.toml":
        document = _parse_toml(text, display)
        tool = document.get("tool", {})
        where = f"{display} [tool.alplint]"
        if not isinstance(tool, dict) or "alplint" not in tool:
            raise ConfigError(f"{display}: has no [tool.alplint] table; add one, or name another file")
        data = tool["alplint"]
    elif path.suffix == ".toml":
        where, data = display, _parse_toml(text, display)
    elif path.suffix in (".yaml", ".yml"):
        where, data = display, _parse_yaml(text, display)
    else:
        raise ConfigError(
            f"{display}: alplint cannot tell the format of this file; name it .alplint.yaml, "
            ".alplint.toml or pyproject.toml"
        )
    return _build(data, where, path.parent.resolve(), rules, str(path))


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith(f"..{os.sep}..") else relative


def _parse_toml(text: str, display: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib puts the place in its message: "Invalid value (at line 3, column 9)".
        message = str(error)
        place = re.search(r"\(at (?:line (\d+), column (\d+)|end of document)\)$", message)
        reason = message[: place.start()].strip() if place else message
        if place and place[1]:
            prefix = f"{display}:{place[1]}:{place[2]}"
        elif place:
            prefix = f"{display}:{len(text.splitlines()) or 1}"
        else:
            prefix = display
        raise ConfigError(f"{prefix}: this is not valid TOML: {reason[:1].lower()}{reason[1:]}") from None


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, display: str) -> Any:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader: plain data, never objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        prefix = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
        # "*.md: solution" reads as a YAML alias, the commonest slip in schema-map and per-file-ignores.
        alias = "alias" in f"{error.context} {error.problem}"
        hint = "; put globs that start with * in quotes" if alias else ""
        raise ConfigError(f"{prefix}: this is not valid YAML: {error.problem}{hint}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{display}: this is not valid YAML: {error}") from None
    return {} if data is None else data


# --- checking --------------------------------------------------------------------------

_VALIDATOR = jsonschema.Draft202012Validator(CONFIG_SCHEMA)
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{_quote(part)}]"
    return text


def _quote(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes or no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{value}"' if value else "empty text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _did_you_mean(word: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _schema_error(error: ValidationError, where: str) -> ConfigError:
    place = _key_path(error.absolute_path)
    prefix = f"{where} {place}" if place else where
    if error.validator == "enum":
        choices = [f'"{choice}"' for choice in error.validator_value]
        allowed = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
        hint = _did_you_mean(error.instance, error.validator_value)
        return ConfigError(
            f"{prefix}: {_describe(error.instance)} is not a severity; expected {allowed}{hint}"
        )
    expected = error.schema.get("description", "something else") if isinstance(error.schema, dict) else ""
    if "propertyNames" in error.schema_path:
        return ConfigError(f"{prefix}: the key {error.instance} is not text; expected {expected}")
    if error.validator == "minLength":
        return ConfigError(f"{prefix}: is empty; expected {expected}")
    return ConfigError(f"{prefix}: expected {expected}, found {_describe(error.instance)}")


def _build(data: Any, where: str, root: Path, rules: KnownRules, origin: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table of settings, found {_describe(data)}")
    for key in data:
        if isinstance(key, str) and (key in _KEYS or key in rules.options):
            continue
        hint = _did_you_mean(key, [*_KEYS, *rules.options])
        families = ", ".join(rules.options)
        if not hint:
            hint = f"; the keys are {', '.join(_KEYS)} and the rule families {families}"
        raise ConfigError(f"{where}: unknown key {_quote(key)}{hint}")
    problem = best_match(_VALIDATOR.iter_errors(data))
    if problem is not None:
        raise _schema_error(problem, where)

    def check_selectors(selectors: Iterable[str], *place: Any) -> tuple[str, ...]:
        for index, selector in enumerate(selectors):
            if not rules.selects_something(selector):
                raise rules.unknown(f"{where} {_key_path([*place, index])}", selector)
        return tuple(selectors)

    settings: dict[str, Any] = {"path": origin}
    if "select" in data:
        settings["select"] = check_selectors(data["select"], "select")
    if "ignore" in data:
        settings["ignore"] = check_selectors(data["ignore"], "ignore")
    severity: dict[str, Severity] = {}
    for selector, level in data.get("severity", {}).items():
        if not rules.selects_something(selector):
            raise rules.unknown(f"{where} {_key_path(['severity', selector])}", selector, name_it=False)
        severity[selector] = level
    if severity:
        settings["severity"] = severity
    per_file_ignores: dict[str, tuple[str, ...]] = {}
    for pattern, selectors in data.get("per-file-ignores", {}).items():
        anchored = _anchor(pattern, root)
        checked = check_selectors(selectors, "per-file-ignores", pattern)
        per_file_ignores[anchored] = per_file_ignores.get(anchored, ()) + checked
    if per_file_ignores:
        settings["per_file_ignores"] = per_file_ignores
    if "include" in data:
        settings["include"] = tuple(data["include"])
    if "exclude" in data:
        settings["exclude"] = tuple(_anchor(pattern, root) for pattern in data["exclude"])
    if "schema-dirs" in data:
        settings["schema_dirs"] = tuple(
            _schema_dir(folder, root, f"{where} {_key_path(['schema-dirs', index])}")
            for index, folder in enumerate(data["schema-dirs"])
        )
    if "schema-map" in data:
        settings["schema_map"] = {
            _anchor(pattern, root): name for pattern, name in data["schema-map"].items()
        }
    if "skip-types" in data:
        settings["skip_types"] = tuple(data["skip-types"])
    options = {
        family: _family_options(family, data[family], rules, where)
        for family in rules.options
        if family in data
    }
    if options:
        settings["options"] = options
    return Config(**settings)


def _schema_dir(folder: str, root: Path, where: str) -> str:
    resolved = (root / Path(folder).expanduser()).resolve()
    if not resolved.is_dir():
        raise ConfigError(f'{where}: the folder "{folder}" does not exist (looked for {resolved})')
    return str(resolved)


def _anchor(pattern: str, root: Path) -> str:
    posix = pattern.replace("\\", "/")
    if "/" not in posix.rstrip("/") or posix.startswith(("*", "/")) or PurePath(posix).is_absolute():
        return pattern
    return f"{root.as_posix().rstrip('/')}/{posix.removeprefix('./')}"


_TYPE_WORDS: dict[type, str] = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a table",
}


def _fits(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, list | tuple):
        return isinstance(value, list) and (not default or all(_fits(item, default[0]) for item in value))
    return isinstance(value, type(default))


def _expected(default: Any) -> str:
    if isinstance(default, list | tuple) and default:
        return f"a list of {_TYPE_WORDS.get(type(default[0]), type(default[0]).__name__)}"
    return _TYPE_WORDS.get(type(default), type(default).__name__)


def _family_options(family: str, given: Mapping[str, Any], rules: KnownRules, where: str) -> dict[str, Any]:
    defaults = rules.options[family]
    checked: dict[str, Any] = {}
    for name, value in given.items():
        place = f"{where} {_key_path([family, name])}"
        if name not in defaults:
            owners = [other for other, options in rules.options.items() if name in options]
            if owners:
                hint = f"; it belongs to the {owners[0]} rules: write it under {owners[0]}"
            elif defaults:
                hint = _did_you_mean(name, defaults) or "; the options are " + ", ".join(defaults)
            else:
                hint = f"; the {family} rules have no options"
            raise ConfigError(f"{place}: unknown option{hint}")
        default = defaults[name]
        if isinstance(default, list | tuple) and default and isinstance(value, list):
            for index, item in enumerate(value):
                if not _fits(item, default[0]):
                    expected = f"{_expected(default[0])} (such as {_example(default[0])})"
                    raise ConfigError(f"{place}[{index}]: expected {expected}, found {_describe(item)}")
        if not _fits(value, default):
            expected = f"{_expected(default)} (such as {_example(default)})"
            raise ConfigError(f"{place}: expected {expected}, found {_describe(value)}")
        checked[name] = float(value) if isinstance(default, float) else value
    return checked


def _example(default: Any) -> str:
    if isinstance(default, list | tuple):
        return "[" + ", ".join(_example(item) for item in default[:3]) + "]"
    if isinstance(default, str):
        return f'"{default}"'
    if isinstance(default, bool):
        return str(default).lower()
    return str(default)


# --- combining -------------------------------------------------------------------------


_FIELDS = frozenset(field.name for field in dataclasses.fields(Config))


def merge(from_file: Config, overrides: Mapping[str, Any]) -> Config:
    """The file's settings with the command line's on top.

    ``overrides`` uses ``Config``'s field names.  ``select`` replaces the
    file's selection and drops the file's ``ignore`` (ruff's rule: the
    command line's selection is obeyed as written); ``ignore`` is added to
    the ``ignore`` that remains; ``schema_dirs`` are added after the file's,
    so a template of the same name on the command line wins; any other field
    replaces the file's value.
    """
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise TypeError(f"not settings of a run: {', '.join(sorted(unknown))}")
    merged = from_file
    if "select" in overrides:
        merged = dataclasses.replace(merged, select=tuple(overrides["select"]), ignore=())
    extended = ("ignore", "schema_dirs")
    for name in extended:
        if name in overrides:
            merged = dataclasses.replace(merged, **{name: getattr(merged, name) + tuple(overrides[name])})
    rest = {name: value for name, value in overrides.items() if name not in ("select", *extended)}
    return dataclasses.replace(merged, **rest)


def resolve_config(
    config_path: str | None,
    cwd: Path,
    overrides: Mapping[str, Any],
    rules: KnownRules | None = None,
) -> Config:
    """The settings of a run: ``--config FILE`` or the file found from ``cwd``, then the command line.

    Rule selectors given on the command line (``--select``, ``--ignore``) are
    checked here too, so a typo names the option it came from.
    """
    rules = rules or KnownRules.builtin()
    for option in ("select", "ignore"):
        for selector in overrides.get(option, ()):
            if not rules.selects_something(selector):
                raise rules.unknown(f"--{option}", selector)
    if config_path is not None:
        named = Path(config_path)
        from_file = load_config(named if named.is_absolute() else cwd / named, rules)
    else:
        found = find_config(cwd)
        from_file = load_config(found, rules) if found is not None else Config()
    return merge(from_file, overrides)


def path_matches(path: str, pattern: str) -> bool:
    """Whether a glob of a configuration matches a path.

    A path matches when the glob matches it as given or in its absolute form,
    when the glob names a folder the path is in (``archive/2019`` or
    ``/home/lab/forms/archive``), or, for a glob without ``/``, when it
    matches the file's name or the name of any folder on the path as given.
    """
    posix = PurePath(path).as_posix()
    folder = pattern.rstrip("/") + "/"
    for candidate in (posix, Path(os.path.abspath(path)).as_posix()):
        if fnmatch.fnmatch(candidate, pattern) or candidate.startswith(folder):
            return True
    if "/" in pattern.rstrip("/"):
        return False
    return any(fnmatch.fnmatch(part, pattern.rstrip("/")) for part in PurePath(posix).parts)
