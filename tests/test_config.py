"""Configuration files: finding them, reading them, refusing mistakes, and what they change in a run."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest

from alplint.config import (
    CONFIG_SCHEMA,
    Config,
    ConfigError,
    ConfigResolver,
    find_config,
    load_config,
    merge,
    resolve_config,
)
from alplint.engine import Linter
from alplint.globs import path_matches
from alplint.rules import Catalog, Option, Rule
from tests.conftest import OPENING_SEED, SOLUTION_SEED, as_draft

# The same settings in each of the three formats.
YAML_SETTINGS = """\
select: [ALL]
ignore: [ALP5, unknown-tag, ALP603]
severity:
  ALP601: error
  image-alt-text: error
  ALP2: warning
per-file-ignores:
  "draft-*.md": [ALP401]
  "archive/*.md": [ALP6]
include: ["*.md"]
exclude: [drafts, "old/*"]
schema-dirs: [my-schemas]
schema-map:
  "closing/*": learningplan-closing
location:
  tolerance-km: 3
questions:
  placeholder-words: [n/a, tbd]
"""

TOML_SETTINGS = """\
select = ["ALL"]
ignore = ["ALP5", "unknown-tag", "ALP603"]
include = ["*.md"]
exclude = ["drafts", "old/*"]
schema-dirs = ["my-schemas"]

[severity]
ALP601 = "error"
image-alt-text = "error"
ALP2 = "warning"

[per-file-ignores]
"draft-*.md" = ["ALP401"]
"archive/*.md" = ["ALP6"]

[schema-map]
"closing/*" = "learningplan-closing"

[location]
tolerance-km = 3

[questions]
placeholder-words = ["n/a", "tbd"]
"""


def _as_pyproject(toml: str) -> str:
    """The TOML settings moved under [tool.alplint], as they are written in pyproject.toml."""
    lines = ["[project]", 'name = "forms"', "", "[tool.alplint]"]
    for line in toml.splitlines():
        lines.append(f"[tool.alplint.{line[1:-1]}]" if line.startswith("[") else line)
    return "\n".join(lines) + "\n"


SETTINGS_FILES = {
    ".alplint.yaml": YAML_SETTINGS,
    ".alplint.yml": YAML_SETTINGS,
    ".alplint.toml": TOML_SETTINGS,
    "pyproject.toml": _as_pyproject(TOML_SETTINGS),
}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


# --- the schema of the settings ----------------------------------------------------------------


def test_config_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(CONFIG_SCHEMA)


# --- finding the file --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS_FILES))
def test_find_config_in_the_current_folder(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, SETTINGS_FILES[name])
    assert find_config(tmp_path) == path.resolve()


def test_find_config_searches_upward_from_a_subfolder(tmp_path: Path) -> None:
    path = _write(tmp_path, ".alplint.yaml", "select: [ALP6]\n")
    deep = tmp_path / "forms" / "2025" / "zambia"
    deep.mkdir(parents=True)
    assert find_config(deep) == path.resolve()


def test_find_config_prefers_yaml_then_toml_then_pyproject_in_one_folder(tmp_path: Path) -> None:
    pyproject = _write(tmp_path, "pyproject.toml", "[tool.alplint]\n")
    assert find_config(tmp_path) == pyproject.resolve()
    toml = _write(tmp_path, ".alplint.toml", "")
    assert find_config(tmp_path) == toml.resolve()
    yml = _write(tmp_path, ".alplint.yml", "")
    assert find_config(tmp_path) == yml.resolve()
    yaml = _write(tmp_path, ".alplint.yaml", "")
    assert find_config(tmp_path) == yaml.resolve()


def test_the_nearest_folder_wins_over_a_preferred_name_further_up(tmp_path: Path) -> None:
    _write(tmp_path, ".alplint.yaml", "")
    nearer = _write(tmp_path / "forms", "pyproject.toml", "[tool.alplint]\nselect = ['ALP6']\n")
    assert find_config(tmp_path / "forms") == nearer.resolve()


def test_a_pyproject_without_an_alplint_table_is_passed_over(tmp_path: Path) -> None:
    parent = _write(tmp_path, ".alplint.toml", "select = ['ALP6']\n")
    _write(tmp_path / "package", "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    _write(tmp_path / "broken", "pyproject.toml", "[tool.alplint\n")
    assert find_config(tmp_path / "package") == parent.resolve()
    assert find_config(tmp_path / "broken") == parent.resolve()


def test_find_config_finds_nothing_in_folders_without_settings(tmp_path: Path) -> None:
    empty = tmp_path / "a" / "b"
    empty.mkdir(parents=True)
    _write(tmp_path / "a", "pyproject.toml", "[project]\nname = 'x'\n")
    # Whatever lies above the test's folder is not the test's to control; nothing inside it counts.
    assert find_config(empty) == find_config(tmp_path.parent)


# --- reading each key --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS_FILES))
def test_every_key_is_read_from_each_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-schemas").mkdir()
    path = _write(tmp_path, name, SETTINGS_FILES[name])
    root = tmp_path.resolve().as_posix()

    config = load_config(path)

    assert config.path == str(path)
    assert config.select == ("ALL",)
    assert config.ignore == ("ALP5", "unknown-tag", "ALP603")
    assert config.severity == {"ALP601": "error", "image-alt-text": "error", "ALP2": "warning"}
    assert config.per_file_ignores == {"draft-*.md": ("ALP401",), f"{root}/archive/*.md": ("ALP6",)}
    assert config.include == ("*.md",)
    assert config.exclude == ("drafts", f"{root}/old/*")
    assert config.schema_dirs == (str((tmp_path / "my-schemas").resolve()),)
    assert config.schema_map == {f"{root}/closing/*": "learningplan-closing"}
    assert config.options == {
        "location": {"tolerance-km": 3.0},
        "questions": {"placeholder-words": ["n/a", "tbd"]},
    }
    assert isinstance(config.options["location"]["tolerance-km"], float)


def test_an_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, ".alplint.yaml", "# nothing yet\n")
    assert load_config(path) == Config(path=str(path))


def test_schema_dirs_are_relative_to_the_configuration_file_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").mkdir()
    path = _write(tmp_path, ".alplint.yaml", "schema-dirs: [schemas]\n")
    monkeypatch.chdir(_write(tmp_path / "forms", "x.md", "").parent)
    assert load_config(path).schema_dirs == (str((tmp_path / "schemas").resolve()),)


def test_globs_without_a_folder_or_starting_with_a_star_are_kept_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, ".alplint.yaml", 'exclude: ["drafts", "drafts/", "*/tmp/*", "*.bak"]\n')
    assert load_config(path).exclude == ("drafts", "drafts/", "*/tmp/*", "*.bak")


def test_a_configuration_named_with_config_is_used_instead_of_the_one_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, ".alplint.yaml", "select: [ALP6]\n")
    _write(tmp_path / "ci", "strict.toml", "select = ['ALP4']\n")
    assert resolve_config(None, tmp_path, {}).select == ("ALP6",)
    assert resolve_config("ci/strict.toml", tmp_path, {}).select == ("ALP4",)


def test_a_missing_config_file_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"missing\.yaml: no such configuration file"):
        resolve_config("missing.yaml", tmp_path, {})


def test_a_config_file_of_an_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "alplint.ini", "[alplint]\n")
    assert "cannot tell the format" in _error(path)


def test_a_pyproject_named_with_config_must_have_an_alplint_table(tmp_path: Path) -> None:
    path = _write(tmp_path, "pyproject.toml", "[tool.ruff]\n")
    assert "has no [tool.alplint] table" in _error(path)


# --- command line over file --------------------------------------------------------------------


def test_merge_select_replaces_the_files_selection_and_its_ignores() -> None:
    from_file = Config(select=("ALP4",), ignore=("ALP401",), severity={"ALP6": "error"})
    merged = merge(from_file, {"select": ("ALP401", "ALP6")})
    assert (merged.select, merged.ignore, merged.severity) == (("ALP401", "ALP6"), (), {"ALP6": "error"})


def test_merge_ignore_adds_to_the_files_ignores() -> None:
    merged = merge(Config(select=("ALP4",), ignore=("ALP401",)), {"ignore": ("ALP403",)})
    assert (merged.select, merged.ignore) == (("ALP4",), ("ALP401", "ALP403"))


def test_merge_select_and_ignore_together_keep_only_the_command_lines_ignores() -> None:
    merged = merge(Config(ignore=("ALP401",)), {"select": ("ALP4",), "ignore": ("ALP403",)})
    assert (merged.select, merged.ignore) == (("ALP4",), ("ALP403",))


def test_merge_adds_schema_dirs_after_the_files_and_replaces_other_settings() -> None:
    from_file = Config(schema_dirs=("/forms/schemas",), include=("*.md",))
    merged = merge(from_file, {"schema_dirs": ("extra",), "include": ("*.txt",)})
    assert (merged.schema_dirs, merged.include) == (("/forms/schemas", "extra"), ("*.txt",))


def test_merge_refuses_a_setting_that_does_not_exist() -> None:
    with pytest.raises(TypeError, match="selct"):
        merge(Config(), {"selct": ("ALP4",)})


def test_resolve_config_applies_the_command_line_over_the_file_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, ".alplint.toml", "ignore = ['ALP205']\n[location]\ntolerance-km = 2\n")
    config = resolve_config(None, tmp_path, {"ignore": ("ALP603",)})
    assert config.ignore == ("ALP205", "ALP603")
    assert config.options == {"location": {"tolerance-km": 2.0}}


def test_an_unknown_rule_on_the_command_line_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r'^--ignore: unknown rule "ALP61"; did you mean "ALP601"\?'):
        resolve_config(None, tmp_path, {"ignore": ("ALP61",)})


# --- mistakes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".alplint.yaml", "selct: [ALP6]\n", '.alplint.yaml: unknown key "selct"; did you mean "select"?'),
        (
            ".alplint.yaml",
            "per_file_ignores: {}\n",
            '.alplint.yaml: unknown key "per_file_ignores"; did you mean "per-file-ignores"?',
        ),
        (".alplint.toml", "colour = true\n", '.alplint.toml: unknown key "colour"; the keys are select,'),
        (
            "pyproject.toml",
            "[tool.alplint.severity]\nALP61 = 'error'\n",
            'pyproject.toml [tool.alplint] severity.ALP61: unknown rule; did you mean "ALP601"?',
        ),
        (
            ".alplint.yaml",
            "select: [ALP601, image-alt-txt]\n",
            '.alplint.yaml select[1]: unknown rule "image-alt-txt"; did you mean "image-alt-text"?',
        ),
        (".alplint.yaml", "ignore: [ALP999]\n", '.alplint.yaml ignore[0]: unknown rule "ALP999"'),
        (
            ".alplint.yaml",
            "per-file-ignores:\n  'archive/*': [ALP2O5]\n",
            '.alplint.yaml per-file-ignores["archive/*"][0]: unknown rule "ALP2O5"; did you mean "ALP205"?',
        ),
        (
            ".alplint.yaml",
            "severity: {ALP601: eror}\n",
            '.alplint.yaml severity.ALP601: the text "eror" is not a severity; expected "error", "warning" or "note"; '
            'did you mean "error"?',
        ),
        (
            ".alplint.toml",
            "[location]\ntolerence-km = 3\n",
            '.alplint.toml location.tolerence-km: unknown option; did you mean "tolerance-km"?',
        ),
        (
            ".alplint.yaml",
            "cycle: {tolerance-km: 3}\n",
            ".alplint.yaml cycle.tolerance-km: unknown option; it belongs to the location rules",
        ),
        (
            ".alplint.yaml",
            "markdown: {width: 3}\n",
            ".alplint.yaml markdown.width: unknown option; the markdown rules",
        ),
        (
            ".alplint.yaml",
            "location: {tolerance-km: 3 km}\n",
            '.alplint.yaml location.tolerance-km: expected a number from 0 to 20000 (such as 5.0), found the text "3 km"',
        ),
        (
            "pyproject.toml",
            "[tool.alplint.location]\ntolerance-km = true\n",
            "pyproject.toml [tool.alplint] location.tolerance-km: expected a number",
        ),
        (
            ".alplint.yaml",
            "questions: {placeholder-words: [n/a, 0]}\n",
            '.alplint.yaml questions.placeholder-words[1]: expected text (such as "N/A"), found the number 0',
        ),
        (
            ".alplint.yaml",
            "questions: {placeholder-words: n/a}\n",
            ".alplint.yaml questions.placeholder-words: expected a list of text",
        ),
        (
            ".alplint.yaml",
            "select: ALP6\n",
            ".alplint.yaml select: expected a list of rule codes, names or prefixes, such as [ALP6, unknown-tag], "
            'found the text "ALP6"',
        ),
        (".alplint.yaml", "location: 3\n", ".alplint.yaml location: expected a table of options"),
        (".alplint.yaml", "- select\n", ".alplint.yaml: expected a table of settings, found a list"),
        (
            ".alplint.yaml",
            "schema-dirs: [nowhere]\n",
            '.alplint.yaml schema-dirs[0]: the folder "nowhere" does not exist',
        ),
        (".alplint.yaml", "exclude: ['']\n", ".alplint.yaml exclude[0]: is empty; expected a glob"),
    ],
)
def test_a_mistake_names_the_file_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    message = _error(_write(tmp_path, name, text))
    assert message.startswith(expected), message


def test_broken_yaml_gives_the_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.yaml", "select: [ALP6]\nseverity:\n  ALP601: [error\n")
    assert _error(path).startswith(".alplint.yaml:4:1: this is not valid YAML: ")


def test_a_glob_starting_with_a_star_must_be_quoted_in_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.yaml", "per-file-ignores:\n  *.txt: [ALP205]\n")
    message = _error(path)
    assert message.startswith(".alplint.yaml:2:"), message
    assert message.endswith("put globs that start with * in quotes")


@pytest.mark.parametrize("name", [".alplint.toml", "pyproject.toml"])
def test_broken_toml_gives_the_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, name, "[tool.alplint]\nselect = [ALP6]\n")
    assert _error(path).startswith(f"{name}:2:11: this is not valid TOML: invalid value")


def test_toml_broken_at_its_end_gives_the_last_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.toml", 'ignore = ["ALP205"]\nselect = ["ALP6",\n')
    assert _error(path).startswith(".alplint.toml:2: this is not valid TOML: ")


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / ".alplint.yaml"
    path.write_bytes("select: [ALP6]  # café\n".encode("latin-1"))
    assert _error(path).startswith(".alplint.yaml: not UTF-8 text")


def _made_up(options: dict[str, Option]) -> Catalog:
    """A catalogue of one family, "made", with one rule, ALP901 made-up-rule."""
    family = SimpleNamespace(
        RULES=(Rule("ALP901", "made-up-rule", "error", "Made up"),), OPTIONS=options, check=None
    )
    return Catalog({"made": family})


def test_errors_are_found_against_the_rules_given() -> None:
    rules = _made_up({"depth": Option("integer", 2)})
    assert rules.select("made-up-rule") == rules.select("alp9") == {"ALP901"}
    assert not rules.select("ALP601")


def test_a_rules_catalogue_checks_option_names_and_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rules = _made_up({"depth": Option("integer", 2)})
    path = _write(tmp_path, ".alplint.yaml", "made: {depth: 2.5}\n")
    with pytest.raises(
        ConfigError, match=r"made\.depth: expected a whole number \(such as 2\), found the number 2\.5"
    ):
        load_config(path, rules)
    _write(tmp_path, ".alplint.yaml", "made: {depth: 4}\nselect: [made-up-rule]\n")
    assert load_config(path, rules).options == {"made": {"depth": 4}}


# --- globs and paths ---------------------------------------------------------------------------


def test_an_anchored_glob_matches_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = _write(tmp_path / "archive" / "2019", "old.md", "")
    pattern = f"{tmp_path.resolve().as_posix()}/archive/*"
    monkeypatch.chdir(tmp_path)
    assert path_matches("archive/2019/old.md", pattern)
    monkeypatch.chdir(tmp_path / "archive")
    assert path_matches("2019/old.md", pattern)
    assert path_matches(str(form), pattern)
    assert not path_matches(str(tmp_path / "current" / "new.md"), pattern)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("forms/draft-zambia.md", "draft-*.md", True),
        ("forms/zambia.md", "draft-*.md", False),
        ("forms/drafts/zambia.md", "drafts", True),
        ("forms/drafts/zambia.md", "drafts/", True),
        ("forms/drafts-old/zambia.md", "drafts", False),
        ("forms/drafts/zambia.md", "forms/drafts", True),
        ("a/b/tmp/zambia.md", "*/tmp/*", True),
        ("forms/zambia.md", "*.md", True),
        ("forms/zambia.txt", "*.md", False),
    ],
)
def test_path_matches(path: str, pattern: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected


# --- what a configuration changes in a run -----------------------------------------------------


def _lint(config: Config, *paths: Path) -> Counter[tuple[str, str, str]]:
    linter = Linter(config)
    return Counter(
        (Path(problem.path).name, problem.code, problem.severity)
        for path in paths
        for problem in linter.lint_file(str(path)).problems
    )


def _copy(seed: Path, folder: Path, name: str) -> Path:
    """The seed as a hand-written draft: it keeps per-image ALP601 and the SDG label's ALP208 (notes in exports)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(as_draft(seed))
    return folder / name


def test_a_severity_from_the_file_changes_a_problems_severity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    form = _copy(SOLUTION_SEED, tmp_path, "zambia.md")
    before = _lint(Config(select=("ALP601",)), form)
    assert before == {("zambia.md", "ALP601", "warning"): 3}
    config = load_config(
        _write(tmp_path, ".alplint.yaml", "severity: {image-alt-text: error}\nselect: [ALP6]\n")
    )
    assert _lint(config, form) == {("zambia.md", "ALP601", "error"): 3}


def test_per_file_ignores_silence_a_code_for_matching_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    draft = _copy(SOLUTION_SEED, tmp_path / "forms", "draft-zambia.md")
    final = _copy(SOLUTION_SEED, tmp_path / "forms", "zambia.md")
    config = load_config(
        _write(tmp_path, ".alplint.yaml", "per-file-ignores:\n  'draft-*.md': [image-alt-text]\n")
    )
    problems = _lint(config, draft, final)
    assert problems[("zambia.md", "ALP601", "warning")] == 3
    assert not any(code == "ALP601" for name, code, _ in problems if name == "draft-zambia.md")
    assert problems[("draft-zambia.md", "ALP208", "warning")] == 1


def test_a_per_file_ignore_with_a_folder_is_anchored_at_the_config_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "pyproject.toml", "[tool.alplint.per-file-ignores]\n'archive/*' = ['ALP6']\n")
    archived = _copy(SOLUTION_SEED, tmp_path / "archive", "zambia-2019.md")
    # A folder of the same name elsewhere is not the one the configuration names.
    elsewhere = _copy(SOLUTION_SEED, tmp_path / "forms" / "archive", "zambia-2025.md")
    monkeypatch.chdir(tmp_path / "forms")
    config = resolve_config(None, Path.cwd(), {})
    problems = _lint(config, archived, elsewhere)
    assert not any(code.startswith("ALP6") for name, code, _ in problems if name == "zambia-2019.md")
    assert problems[("zambia-2019.md", "ALP208", "warning")] == 1
    assert problems[("zambia-2025.md", "ALP601", "warning")] == 3


@pytest.mark.parametrize(
    ("settings", "kept"),
    [
        ("select: [ALP601]", {"ALP601"}),
        ("select: [image-alt-text, sdg-mismatch]", {"ALP601", "ALP208"}),
        ("select: [ALP2]", {"ALP208"}),
        ("ignore: [ALP601]", {"ALP208"}),
        ("ignore: [sdg-mismatch]", {"ALP601"}),
        ("ignore: [ALP6]", {"ALP208"}),
        ("select: [ALP6, ALP2]\nignore: [image-alt-text]", {"ALP208"}),
        ("select: [alp601]", {"ALP601"}),
    ],
)
def test_select_and_ignore_by_code_name_and_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str, kept: set[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    form = _copy(SOLUTION_SEED, tmp_path, "zambia.md")
    config = load_config(_write(tmp_path, ".alplint.yaml", settings + "\n"))
    assert {code for _, code, _ in _lint(config, form)} == kept


def test_the_command_line_select_wins_over_the_files_ignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    form = _copy(OPENING_SEED, tmp_path, "mongolia.md")
    _write(tmp_path, ".alplint.yaml", "ignore: [ALP401]\n")
    assert "ALP401" not in {code for _, code, _ in _lint(resolve_config(None, tmp_path, {}), form)}
    config = resolve_config(None, tmp_path, {"select": ("ALP401",)})
    assert {code for _, code, _ in _lint(config, form)} == {"ALP401"}


def test_options_from_the_file_reach_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = "[questions]\nplaceholder-words = ['pending']\n[location]\ntolerance-km = 12\n"
    linter = Linter(load_config(_write(tmp_path, ".alplint.toml", text)))
    assert linter.options["questions"]["placeholder-words"] == ["pending"]
    assert linter.options["location"]["tolerance-km"] == 12.0


def test_anchored_globs_work_for_paths_relative_to_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".alplint.yaml").write_text(
        "per-file-ignores: {'archive/*': [ALP6]}\nexclude: ['forms/old']\n"
    )
    for folder in ("archive", "forms/archive", "forms/old"):
        _copy(SOLUTION_SEED, tmp_path / folder, "zambia.md")
    monkeypatch.chdir(tmp_path / "forms")
    linter = Linter(resolve_config(None, Path.cwd(), {}))
    archived = linter.lint_file("../archive/zambia.md")
    assert not any(p.code.startswith("ALP6") for p in archived.problems)
    found = [r.path for r in linter.lint_paths(["."])]
    assert found == ["archive/zambia.md"]
    assert any(p.code == "ALP601" for p in linter.lint_file("archive/zambia.md").problems)


# --- issue 10: options in range, templates that exist, globs with .., aliases, closest config -----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "location: {tolerance-km: -5}\n",
            ".alplint.yaml location.tolerance-km: expected a number from 0 to 20000 (such as 5.0), "
            "found the number -5",
        ),
        ("location: {tolerance-km: 25000}\n", "found the number 25000"),
        ("location: {tolerance-km: .nan}\n", "found the number nan"),
        (
            "questions: {placeholder-words: [TBD, '  ']}\n",
            ".alplint.yaml questions.placeholder-words[1]: is empty; expected text",
        ),
    ],
)
def test_an_option_out_of_its_range_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    # Item 12: tolerance-km: -5 was accepted, then every point was "0 km from Peru".
    monkeypatch.chdir(tmp_path)
    message = _error(_write(tmp_path, ".alplint.yaml", text))
    assert expected in message, message


def test_declared_choices_and_ranges_are_checked() -> None:
    rules = _made_up(
        {
            "style": Option("text", "short", choices=("short", "long")),
            "depth": Option("integer", 2, maximum=9),
        }
    )
    with pytest.raises(
        ConfigError,
        match=r'made\.style: the text "shrot" is not one of "short", "long"; did you mean "short"\?',
    ):
        _build_from({"made": {"style": "shrot"}}, rules)
    with pytest.raises(
        ConfigError,
        match=r"made\.depth: expected a whole number of at most 9 \(such as 2\), found the number 10",
    ):
        _build_from({"made": {"depth": 10}}, rules)
    assert _build_from({"made": {"style": "long", "depth": 9}}, rules).options == {
        "made": {"style": "long", "depth": 9}
    }


def _build_from(data: dict[str, object], rules: Catalog) -> Config:
    from alplint.config import _build

    return _build(data, ".alplint.yaml", Path("/forms"), rules, "/forms/.alplint.yaml")


def test_every_familys_options_are_declared_with_a_default_of_their_type() -> None:
    for family, options in Catalog.builtin().options.items():
        for name, option in options.items():
            assert isinstance(option, Option), (family, name)
            assert option.minimum is None or option.maximum is None or option.minimum <= option.maximum
            defaults = option.default if option.many else [option.default]
            assert all(option.accepts(value) for value in defaults), (family, name)


@pytest.mark.parametrize(
    ("declaration", "why"),
    [
        (lambda: Option("integer", 2.5), "a default of another type"),
        (lambda: Option("number", True), "a boolean is no number"),
        (lambda: Option("number", 30.0, maximum=20), "a default out of its own range"),
        (lambda: Option("text", "long", choices=("short",)), "a default among none of its choices"),
        (lambda: Option("text", "N/A", many=True), "a list option with one value"),
    ],
)
def test_an_option_that_contradicts_itself_cannot_be_declared(declaration: object, why: str) -> None:
    with pytest.raises(TypeError):
        declaration()  # type: ignore[operator]


def test_a_misspelt_template_in_schema_map_is_a_config_error_with_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 12: every mapped form got ALP105 instead.
    monkeypatch.chdir(tmp_path)
    config = load_config(
        _write(tmp_path, ".alplint.yaml", "schema-map: {'closing/*': learningplan-closng}\n")
    )
    with pytest.raises(
        ConfigError,
        match=r'^\.alplint\.yaml schema-map: no template is named "learningplan-closng"; '
        r'did you mean "learningplan-closing"\?$',
    ):
        Linter(config)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_schema_file_is_a_schema_error_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    # Item 12: "internal error: AttributeError".
    from alplint.cli import main

    (tmp_path / "empty.yaml").write_text(text)
    assert main(["--schema-dir", str(tmp_path), str(SOLUTION_SEED)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"alplint: {tmp_path / 'empty.yaml'}: ") and "internal error" not in err


def test_a_few_yaml_aliases_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.yaml", "select: &mine [ALP6]\nignore: *mine\n")
    config = load_config(path)
    assert config.select == config.ignore == ("ALP6",)


def test_yaml_aliases_that_expand_too_far_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 15: aliases of aliases let a few lines stand for gigabytes.
    monkeypatch.chdir(tmp_path)
    levels = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    path = _write(tmp_path, ".alplint.yaml", "select: [" + ", ".join(levels) + "]\n")
    message = _error(path)
    assert message.startswith(".alplint.yaml:1:")
    assert "this file stands for more than 200,000 values" in message
    assert "quotes" not in message


def test_yaml_nested_too_deeply_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.yaml", "select: " + "[" * 150 + "]" * 150 + "\n")
    assert "nested more than 100 deep" in _error(path)


def test_toml_nested_too_deeply_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, ".alplint.toml", "select = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert _error(path) == ".alplint.toml: nested too deeply to be a configuration"


def test_yaml_aliases_that_expand_too_far_are_refused_in_a_schema_file(tmp_path: Path) -> None:
    from alplint.errors import SchemaError
    from alplint.schema import load_schema_file

    levels = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    schema = tmp_path / "x.yaml"
    schema.write_text("name: x\nform-type: x\nbomb: [" + ", ".join(levels) + "]\n")
    with pytest.raises(SchemaError, match=r"line 3: not valid YAML: with its aliases"):
        load_schema_file(schema)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_as_configuration_does_not_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe.yaml")
    assert (
        _error(tmp_path / "pipe.yaml") == "pipe.yaml: this is a named pipe (FIFO), not a configuration file"
    )


@pytest.mark.parametrize(
    ("key", "pattern", "expected"),
    [
        ("exclude", "../shared/old", "{parent}/shared/old"),
        ("exclude", "forms/../archive/*", "{root}/archive/*"),
        ("exclude", "./drafts/*", "{root}/drafts/*"),
        ("per-file-ignores", "../archive/*", "{parent}/archive/*"),
        ("exclude", "/data/forms/../old", "/data/old"),
    ],
)
def test_dot_dot_in_a_glob_is_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, pattern: str, expected: str
) -> None:
    # Item 23: ".." matched nothing, silently.
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "repo"
    value = f"['{pattern}']" if key == "exclude" else f"{{'{pattern}': [ALP6]}}"
    config = load_config(_write(root, ".alplint.yaml", f"{key}: {value}\n"))
    globs = config.exclude if key == "exclude" else tuple(config.per_file_ignores)
    wanted = expected.format(root=root.resolve().as_posix(), parent=tmp_path.resolve().as_posix())
    assert globs == (wanted,)


def test_a_per_file_ignore_reaching_up_with_dot_dot_silences_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy(SOLUTION_SEED, tmp_path / "archive", "zambia.md")
    config = load_config(
        _write(tmp_path / "forms", ".alplint.yaml", "per-file-ignores: {'../archive/*': [ALP6]}\n")
    )
    monkeypatch.chdir(tmp_path / "forms")
    assert not any(code.startswith("ALP6") for _, code, _ in _lint(config, Path("../archive/zambia.md")))


@pytest.mark.parametrize(("pattern", "reason"), [("*/../old", "after a wildcard"), ("..", "names no file")])
def test_dot_dot_that_cannot_be_resolved_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    message = _error(_write(tmp_path, ".alplint.yaml", f"exclude: ['{pattern}']\n"))
    assert message.startswith(f'.alplint.yaml exclude[0]: "{pattern}"') and reason in message


def test_respect_gitignore_is_read_and_the_command_line_overrides_it(tmp_path: Path) -> None:
    path = _write(tmp_path, ".alplint.toml", "respect-gitignore = false\n")
    assert load_config(path).respect_gitignore is False
    assert Config().respect_gitignore is True
    assert resolve_config(None, tmp_path, {"respect_gitignore": True}).respect_gitignore is True


def test_each_folder_takes_its_closest_configuration(tmp_path: Path) -> None:
    top = _write(tmp_path, ".alplint.yaml", "select: [ALP6]\n")
    nested = _write(tmp_path / "forms" / "2024", "pyproject.toml", "[tool.alplint]\nselect = ['ALP4']\n")
    (tmp_path / "forms" / "2023").mkdir()
    resolver = ConfigResolver(None, tmp_path / "forms" / "2023", {"ignore": ("ALP401",)})
    assert resolver.for_folder(str(tmp_path / "forms" / "2024")).path == str(nested)
    assert resolver.for_file(str(tmp_path / "forms" / "2023" / "x.md")).path == str(top)
    assert resolver.for_folder(str(tmp_path / "forms" / "2024")).ignore == ("ALP401",)
    named = ConfigResolver(str(nested), tmp_path, {})
    assert named.for_folder(str(tmp_path)).path == str(nested)


def test_a_form_without_configuration_above_it_takes_the_current_folders(tmp_path: Path) -> None:
    here = _write(tmp_path / "here", ".alplint.yaml", "select: [ALP6]\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if find_config(elsewhere) is not None:
        pytest.skip("a configuration above the test's folder applies to it")
    resolver = ConfigResolver(None, tmp_path / "here", {})
    assert resolver.for_folder(str(elsewhere)).path == str(here.resolve())


def test_reading_no_configuration_does_not_import_jsonschema_or_yaml() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pathlib, alplint.config as c; c.ConfigResolver(None, pathlib.Path('/'), {}); "
        "print(sorted(m for m in ('jsonschema', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
