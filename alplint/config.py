"""Settings for a run: what the command line and configuration files ask for.

Where the settings come from
----------------------------
Each file is checked with the configuration closest to it, as in ruff: the
first folder, from the file's own folder upward to the root of the file
system, that has one of, in this order of preference,

1. ``.alplint.yaml`` (or ``.alplint.yml``)
2. ``.alplint.toml``
3. ``pyproject.toml`` with a ``[tool.alplint]`` table (a ``pyproject.toml``
   without one is passed over, as ruff does).

Only that one file applies to the file: settings are not combined across
folders.  A file with no configuration above it takes the one found the same
way from the current folder, else the defaults.  ``--config FILE`` names
one file (any of the formats above, told apart by its name) for every file,
and no other is looked for.  While walking a folder, each subfolder's
``include``, ``exclude`` and ``respect-gitignore`` are those of its closest
configuration.  Command-line options win over every file: ``--select``
replaces the file's ``select`` and also drops its ``ignore`` (an explicit
choice on the command line is obeyed as written, as in ruff); ``--ignore``
adds to the file's ``ignore``, ``--schema-dir`` to its ``schema-dirs``, and
``--no-respect-gitignore`` turns ``respect-gitignore`` off.

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
    globs of files and folders to skip, on top of the folders always skipped
    (``source.DEFAULT_EXCLUDE``: ``.git``, ``.venv``, ``venv``, ``node_modules``,
    ``build``, ``dist``, ``site-packages``...; and any virtual environment).
``respect-gitignore``
    skip what git ignores (``.gitignore``, ``.git/info/exclude``); default true.
``schema-dirs``
    extra folders of template schemas, relative to the configuration file.
``schema-map``
    ``{glob: template name}``: the template for the files the glob matches.
``skip-types``
    the ``[[type:...]]`` values of pages that are not forms, skipped like
    READMEs and counted in the summary (default: the archive's ``blog``,
    ``publications``, ``story``, ``tactics``, ``tools``, ``principles``,
    ``skills``).  ``skip-types: []`` checks every page.
``lang``
    ``en``, ``es`` or ``fr``: the language of messages and reports, as
    ``--lang`` (which wins over it).  Read from the run's configuration (the
    one ``--config`` names or the one found from the current folder), not
    per form.  Without it, text and HTML follow the environment (``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``) and the other formats stay English.
a family of rules (``location``, ``questions``...)
    that family's options, e.g. ``location: {tolerance-km: 3}`` in YAML or
    ``[tool.alplint.location]`` with ``tolerance-km = 3`` in TOML.  Each
    family declares its options (``rules.Option``): type, range, choices.

Globs are described in ``alplint.globs``; a glob with a folder is relative
to the configuration file's folder.  YAML files are read by
``alplint.yamlload``, which refuses aliases that expand beyond reason.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alplint.errors import ConfigError
from alplint.globs import GlobError, anchor
from alplint.i18n import LANGUAGES, clip
from alplint.problem import Severity
from alplint.quickcheck import Check, compile_check
from alplint.source import NotRegularFile, TooLarge, display_path, read_limited
from alplint.suggest import did_you_mean

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

    from alplint.rules import Catalog, Option

# The ``[[type:...]]`` values of the archive's pages that are not forms (articles, interview
# transcripts, method cards): they are skipped like READMEs unless the configuration asks for them.
NON_FORM_TYPES = ("blog", "publications", "story", "tactics", "tools", "principles", "skills")


def builtin_schema_dir() -> Path:
    """The schemas shipped with alplint: inside the package when installed, at the top of a checkout otherwise."""
    package = Path(__file__).resolve().parent
    installed = package / "schemas"
    return installed if installed.is_dir() else package.parent / "schemas"


__all__ = [
    "CONFIG_FILE_NAMES",
    "CONFIG_SCHEMA",
    "NON_FORM_TYPES",
    "Config",
    "ConfigError",
    "ConfigResolver",
    "builtin_schema_dir",
    "check_schema_map",
    "find_config",
    "load_config",
    "merge",
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
    respect_gitignore: bool = True
    schema_dirs: tuple[str, ...] = ()
    schema_map: Mapping[str, str] = field(default_factory=dict)
    skip_types: tuple[str, ...] = NON_FORM_TYPES
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The language of messages and reports, when the configuration names one.
    lang: str | None = None
    # The configuration file these settings were read from; None for the defaults.
    path: str | None = None


# In each folder, the first of these that exists (and, for pyproject.toml, has [tool.alplint]) wins.
CONFIG_FILE_NAMES = (".alplint.yaml", ".alplint.yml", ".alplint.toml", "pyproject.toml")
# A configuration is a few hundred bytes; a pyproject.toml a few kilobytes.
MAX_CONFIG_BYTES = 1024 * 1024

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
        "respect-gitignore": {"type": "boolean", "description": "true or false"},
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
        "lang": {"enum": list(LANGUAGES), "description": "a language: en, es or fr"},
    },
    # Every other key is the name of a family of rules; which names exist is checked against the rules.
    "additionalProperties": {
        "type": "object",
        "description": "a table of options, such as {tolerance-km: 3}",
        "propertyNames": {"type": "string", "description": "an option name"},
    },
}

_KEYS = tuple(CONFIG_SCHEMA["properties"])


def _builtin_rules() -> Catalog:
    # Imported here: reading a configuration needs the rules' names, --version does not.
    from alplint.rules import Catalog

    return Catalog.builtin()


# --- finding ---------------------------------------------------------------------------


def _config_in(folder: Path) -> Path | None:
    """The configuration file of one folder, or None."""
    for name in CONFIG_FILE_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_alplint_table(candidate)):
            return candidate
    return None


def find_config(start: Path) -> Path | None:
    """The configuration file for a run started in ``start``, or None.

    Looks in ``start`` and then each parent folder up to the root of the file
    system (as ruff does; alplint has no per-user configuration).
    """
    folder = start.resolve()
    for candidate_folder in (folder, *folder.parents):
        found = _config_in(candidate_folder)
        if found is not None:
            return found
    return None


def _has_alplint_table(pyproject: Path) -> bool:
    # A broken pyproject.toml belongs to someone else's tool: it is only an error when named by --config.
    import tomllib  # here: most runs read no TOML

    try:
        data = tomllib.loads(read_limited(str(pyproject), MAX_CONFIG_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "alplint" in tool


# --- reading ---------------------------------------------------------------------------


def load_config(path: Path, rules: Catalog | None = None) -> Config:
    """The settings in one configuration file, checked against the rules that exist.

    ``rules`` defaults to alplint's own rules.  A mistake in the file is a
    ``ConfigError`` naming the file, the key and what to write instead.
    """
    rules = rules or _builtin_rules()
    display = _display(path)
    try:
        raw = read_limited(str(path), MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"{display}: no such configuration file") from None
    except NotRegularFile as error:
        raise ConfigError(f"{display}: this is {error.kind}, not a configuration file") from None
    except TooLarge:
        limit = MAX_CONFIG_BYTES // 1024
        raise ConfigError(f"{display}: larger than {limit} KB, too large to be a configuration") from None
    except OSError as error:
        raise ConfigError(f"{display}: cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{display}: not UTF-8 text (byte {error.start + 1}); save it as UTF-8") from None

    try:
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
    except RecursionError:
        raise ConfigError(f"{display}: nested too deeply to be a configuration") from None


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return display_path(str(path))
    return display_path(str(path) if relative.startswith(f"..{os.sep}..") else relative)


def _parse_toml(text: str, display: str) -> dict[str, Any]:
    import tomllib

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


def _parse_yaml(text: str, display: str) -> Any:
    import yaml

    from alplint.yamlload import AliasError, TooDeep, load_yaml

    try:
        data = load_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        prefix = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
        # "*.md: solution" reads as a YAML alias, the commonest slip in schema-map and per-file-ignores.
        slip = not isinstance(error, AliasError | TooDeep) and "alias" in f"{error.context} {error.problem}"
        hint = "; put globs that start with * in quotes" if slip else ""
        raise ConfigError(f"{prefix}: this is not valid YAML: {error.problem}{hint}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{display}: this is not valid YAML: {error}") from None
    return {} if data is None else data


# --- checking --------------------------------------------------------------------------


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    # jsonschema is imported when a configuration is not valid, for the message.
    import jsonschema

    return jsonschema.Draft202012Validator(CONFIG_SCHEMA)


@functools.cache
def _quick_check() -> Check | None:
    # None only if CONFIG_SCHEMA came to use a keyword the quick checks do not know (a test says not).
    return compile_check(CONFIG_SCHEMA)


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
    return f'"{clip(value)}"' if isinstance(value, str) else clip(repr(value))


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes or no)"
    if isinstance(value, int | float):
        return f"the number {clip(str(value))}"
    if isinstance(value, str):
        return f'the text "{clip(value)}"' if value else "empty text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _schema_error(error: ValidationError, where: str) -> ConfigError:
    # Only the error's place, schema and instance are read: jsonschema's own message quotes the whole
    # instance, however large.
    place = _key_path(error.absolute_path)
    prefix = f"{where} {place}" if place else where
    if error.validator == "enum":
        values: list[str] = list(error.validator_value)  # type: ignore[arg-type]  # an enum's values
        choices = [f'"{choice}"' for choice in values]
        allowed = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
        hint = did_you_mean(clip(str(error.instance)), values)
        what = "a language alplint speaks" if place == "lang" else "a severity"
        return ConfigError(f"{prefix}: {_describe(error.instance)} is not {what}; expected {allowed}{hint}")
    expected = error.schema.get("description", "something else") if isinstance(error.schema, dict) else ""
    if "propertyNames" in error.schema_path:
        return ConfigError(f"{prefix}: the key {_quote(error.instance)} is not text; expected {expected}")
    if error.validator == "minLength":
        return ConfigError(f"{prefix}: is empty; expected {expected}")
    return ConfigError(f"{prefix}: expected {expected}, found {_describe(error.instance)}")


def _build(data: Any, where: str, root: Path, rules: Catalog, origin: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table of settings, found {_describe(data)}")
    for key in data:
        if isinstance(key, str) and (key in _KEYS or key in rules.options):
            continue
        hint = did_you_mean(clip(str(key)), [*_KEYS, *rules.options])
        families = ", ".join(rules.options)
        if not hint:
            hint = f"; the keys are {', '.join(_KEYS)} and the rule families {families}"
        raise ConfigError(f"{where}: unknown key {_quote(key)}{hint}")
    quick = _quick_check()
    if quick is None or not quick(data):
        from jsonschema.exceptions import best_match

        problem = best_match(_validator().iter_errors(data))
        if problem is not None:
            raise _schema_error(problem, where)

    def check_selectors(selectors: Iterable[str], *place: Any) -> tuple[str, ...]:
        for index, selector in enumerate(selectors):
            if not rules.select(selector):
                raise rules.unknown(f"{where} {_key_path([*place, index])}", selector)
        return tuple(selectors)

    def anchored(pattern: str, *place: Any) -> str:
        try:
            return anchor(pattern, root)
        except GlobError as error:
            raise ConfigError(f"{where} {_key_path(place)}: {error}") from None

    settings: dict[str, Any] = {"path": origin}
    if "select" in data:
        settings["select"] = check_selectors(data["select"], "select")
    if "ignore" in data:
        settings["ignore"] = check_selectors(data["ignore"], "ignore")
    severity: dict[str, Severity] = {}
    for selector, level in data.get("severity", {}).items():
        if not rules.select(selector):
            raise rules.unknown(f"{where} {_key_path(['severity', selector])}", selector, name_it=False)
        severity[selector] = level
    if severity:
        settings["severity"] = severity
    per_file_ignores: dict[str, tuple[str, ...]] = {}
    for pattern, selectors in data.get("per-file-ignores", {}).items():
        glob = anchored(pattern, "per-file-ignores", pattern)
        checked = check_selectors(selectors, "per-file-ignores", pattern)
        per_file_ignores[glob] = per_file_ignores.get(glob, ()) + checked
    if per_file_ignores:
        settings["per_file_ignores"] = per_file_ignores
    if "include" in data:
        settings["include"] = tuple(data["include"])
    if "exclude" in data:
        settings["exclude"] = tuple(
            anchored(pattern, "exclude", index) for index, pattern in enumerate(data["exclude"])
        )
    if "respect-gitignore" in data:
        settings["respect_gitignore"] = data["respect-gitignore"]
    if "schema-dirs" in data:
        settings["schema_dirs"] = tuple(
            _schema_dir(folder, root, f"{where} {_key_path(['schema-dirs', index])}")
            for index, folder in enumerate(data["schema-dirs"])
        )
    if "lang" in data:
        settings["lang"] = data["lang"]
    if "schema-map" in data:
        settings["schema_map"] = {
            anchored(pattern, "schema-map", pattern): name for pattern, name in data["schema-map"].items()
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
        raise ConfigError(
            f'{where}: the folder "{clip(folder)}" does not exist (looked for {display_path(str(resolved))})'
        )
    return str(resolved)


_TYPE_WORDS: dict[str, str] = {
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "text": "text",
}


def _expected(option: Option) -> str:
    words = _TYPE_WORDS[option.type]
    low, high = option.minimum, option.maximum
    if option.type in ("integer", "number"):
        if low is not None and high is not None:
            words += f" from {low:g} to {high:g}"
        elif low is not None:
            words += f" of at least {low:g}"
        elif high is not None:
            words += f" of at most {high:g}"
    return words


def _family_options(family: str, given: Mapping[str, Any], rules: Catalog, where: str) -> dict[str, Any]:
    declared = rules.options[family]
    checked: dict[str, Any] = {}
    for name, value in given.items():
        place = f"{where} {_key_path([family, name])}"
        if name not in declared:
            owners = [other for other, options in rules.options.items() if name in options]
            if owners:
                hint = f"; it belongs to the {owners[0]} rules: write it under {owners[0]}"
            elif declared:
                hint = did_you_mean(clip(name), declared) or "; the options are " + ", ".join(declared)
            else:
                hint = f"; the {family} rules have no options"
            raise ConfigError(f"{place}: unknown option{hint}")
        checked[name] = _option_value(declared[name], value, place)
    return checked


def _option_value(option: Option, value: Any, place: str) -> Any:
    """``value`` checked against the option's declaration: its type, range and choices."""
    if not option.many:
        return _scalar_value(option, option.default, value, place)
    example = option.default[0] if option.default else ""
    if not isinstance(value, list):
        raise ConfigError(
            f"{place}: expected a list of {_TYPE_WORDS[option.type]} (such as {_example(option.default)}), "
            f"found {_describe(value)}"
        )
    return [_scalar_value(option, example, entry, f"{place}[{index}]") for index, entry in enumerate(value)]


def _scalar_value(option: Option, example: Any, value: Any, place: str) -> Any:
    expected = f"{_expected(option)} (such as {_example(example)})"
    if option.accepts(value):
        return float(value) if option.type == "number" else value
    if not option.fits(value):
        raise ConfigError(f"{place}: expected {expected}, found {_describe(value)}")
    if isinstance(value, str) and not value.strip():
        raise ConfigError(f"{place}: is empty; expected {expected}")
    if isinstance(value, str):
        hint = did_you_mean(clip(value), option.choices)
        allowed = ", ".join(f'"{choice}"' for choice in option.choices)
        raise ConfigError(f"{place}: {_describe(value)} is not one of {allowed}{hint}")
    raise ConfigError(f"{place}: expected {expected}, found {_describe(value)}")


def _example(default: Any) -> str:
    if isinstance(default, list | tuple):
        return "[" + ", ".join(_example(item) for item in default[:3]) + "]"
    if isinstance(default, str):
        return f'"{default}"'
    if isinstance(default, bool):
        return str(default).lower()
    return str(default)


def check_schema_map(config: Config, templates: Collection[str]) -> None:
    """Refuse a ``schema-map`` that names a template no schema file defines (with a did-you-mean)."""
    for name in config.schema_map.values():
        if name in templates:
            continue
        where = f"{_display(Path(config.path))} schema-map" if config.path else "schema-map"
        hint = did_you_mean(name, templates) or "; the templates are " + ", ".join(sorted(templates))
        raise ConfigError(f"{where}: no template is named {_quote(name)}{hint}")


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


class ConfigResolver:
    """The settings for each file and folder of a run: its closest configuration, or ``--config``.

    Each configuration file is read once, and each folder looked up once.
    The command line's ``overrides`` are merged into every configuration
    (see ``merge``), after their rule selectors are checked, so a typo names
    the option it came from.
    """

    def __init__(
        self,
        config_path: str | None,
        cwd: Path,
        overrides: Mapping[str, Any],
        rules: Catalog | None = None,
    ) -> None:
        self.rules = rules or _builtin_rules()
        for option in ("select", "ignore"):
            for selector in overrides.get(option, ()):
                if not self.rules.select(selector):
                    raise self.rules.unknown(f"--{option}", selector)
        self.overrides = overrides
        self._loaded: dict[Path, Config] = {}
        self._closest: dict[str, Path | None] = {}
        self.named: Config | None = None
        if config_path is not None:
            named = Path(config_path)
            self.named = self._load(named if named.is_absolute() else cwd / named)
            self.default = self.named
        else:
            found = find_config(cwd)
            self.default = self._load(found) if found is not None else merge(Config(), overrides)

    def _load(self, path: Path) -> Config:
        config = self._loaded.get(path)
        if config is None:
            config = self._loaded[path] = merge(load_config(path, self.rules), self.overrides)
        return config

    def for_folder(self, folder: str) -> Config:
        """The settings of the files in ``folder``."""
        if self.named is not None:
            return self.named
        found = self._closest_file(os.path.abspath(folder))
        return self._load(found) if found is not None else self.default

    def for_file(self, path: str) -> Config:
        """The settings of one file (a name that does not exist, such as ``--stdin-filename``'s, too)."""
        return self.for_folder(os.path.dirname(path) or ".")

    def _closest_file(self, folder: str) -> Path | None:
        unknown: list[str] = []
        found: Path | None = None
        current = folder
        while True:
            if current in self._closest:
                found = self._closest[current]
                break
            unknown.append(current)
            found = _config_in(Path(current))
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for visited in unknown:
            self._closest[visited] = found
        return found


def resolve_config(
    config_path: str | None,
    cwd: Path,
    overrides: Mapping[str, Any],
    rules: Catalog | None = None,
) -> Config:
    """The settings of a run started in ``cwd``: ``--config FILE`` or the file found from ``cwd``, then
    the command line.  ``ConfigResolver`` gives each file's own."""
    return ConfigResolver(config_path, cwd, overrides, rules).default
