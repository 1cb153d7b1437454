"""alplint in a repository of forms: the pre-commit hook, the GitHub Actions job and a baseline adoption.

Every example the README shows lives in docs/examples and is exercised here as it is written: the
pre-commit configurations are installed in throwaway git repositories of forms and run by the real
pre-commit (the tests marked ``integration``, which need PyPI to build the hook's environment), the
workflow's commands and the adoption script are run in throwaway folders.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from alplint import __version__
from alplint.cli import main
from alplint.report.sarif_format import INFORMATION_URI
from tests.conftest import ROOT, SEED_FILES, SOLUTION_SEED

EXAMPLES = ROOT / "docs" / "examples"
PRE_COMMIT_EXAMPLE = EXAMPLES / "pre-commit-config.yaml"
BASELINE_PRE_COMMIT_EXAMPLE = EXAMPLES / "pre-commit-config-baseline.yaml"
WORKFLOW_EXAMPLE = EXAMPLES / "github-workflow.yml"
ADOPTION_EXAMPLE = EXAMPLES / "adopt-with-baseline.sh"
README_SECTION = "## Using alplint in a repository of forms"
BASELINE_FILE = ".alplint-baseline.json"
RELEASE_TAG = f"v{__version__}"
# The alplint and pre-commit commands of the environment that runs the tests (not resolved: in a
# virtual environment, python is a link out of it).
TOOLS = Path(sys.executable).parent

VALID_FORM = (ROOT / "tests" / "fixtures" / "valid-solution.md").read_text(encoding="utf-8")
YEAR_TAG = "[[year:2025]]\n"
BROKEN_FORM = VALID_FORM.replace(YEAR_TAG, "", 1)
OLD_BROKEN_EXPORT = "old-export-without-year.md"
README_TEXT = "# Forms of our lab\n\nOne form per file, as exported from the [SDG Commons](https://sdg-innovation-commons.org).\n"
REPORT_LINE = re.compile(r"^(?P<path>\S+):\d+:\d+: (?:error|warning) (?P<code>ALP\d{3}) ", re.MULTILINE)
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _run(
    command: Sequence[str | Path], cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a command; its stdout and stderr together, as a terminal shows them."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def _git(repository: Path, env: Mapping[str, str], *arguments: str) -> str:
    result = _run(["git", *arguments], repository, env)
    assert result.returncode == 0, result.stdout
    return result.stdout


def _reported(output: str) -> list[tuple[str, str]]:
    """The (path, code) of each problem line of alplint's text report."""
    return [(match["path"], match["code"]) for match in REPORT_LINE.finditer(output)]


def _commit_count(repository: Path, env: Mapping[str, str]) -> int:
    return int(_git(repository, env, "rev-list", "--count", "HEAD"))


@pytest.fixture(scope="session")
def tool_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment where git and pre-commit see nothing of the machine's or the user's settings.

    One pre-commit cache for the whole session, so that the hook's environment is built once.
    """
    home = tmp_path_factory.mktemp("tool-home")
    empty_git_config = home / "gitconfig"
    empty_git_config.write_text("", encoding="utf-8")
    # Inside a git hook, GIT_DIR and GIT_INDEX_FILE would point every git command at the outer repository.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GIT_", "PRE_COMMIT")) and name != "SKIP"
    }
    return {
        **inherited,
        "PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "PRE_COMMIT_COLOR": "never",
        "GIT_CONFIG_GLOBAL": str(empty_git_config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "alplint tests",
        "GIT_AUTHOR_EMAIL": "alplint-tests@example.org",
        "GIT_COMMITTER_NAME": "alplint tests",
        "GIT_COMMITTER_EMAIL": "alplint-tests@example.org",
    }


@pytest.fixture(scope="session")
def alplint_release(tmp_path_factory: pytest.TempPathFactory, tool_env: dict[str, str]) -> tuple[Path, str]:
    """This checkout as pre-commit clones it: a repository holding the working tree in one commit, and that commit.

    Uncommitted and new files are included (the ones .gitignore does not exclude), so the hook under test
    is the one in the working tree.
    """
    listing = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT, tool_env)
    if listing.returncode != 0:
        pytest.skip(f"pre-commit clones alplint with git, and {ROOT} is not a git checkout")
    release = tmp_path_factory.mktemp("alplint-release")
    for name in filter(None, listing.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out, as it will be
            target = release / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(release, tool_env, "init", "--quiet")
    _git(release, tool_env, "add", "--all")
    _git(release, tool_env, "commit", "--quiet", "--message", "alplint under test")
    return release, _git(release, tool_env, "rev-parse", "HEAD").strip()


def _pointed_at(example: Path, release: tuple[Path, str]) -> str:
    """The example configuration, its repo: and rev: naming the checkout under test instead of the release."""
    text = example.read_text(encoding="utf-8")
    published_repo, published_rev = f"repo: {INFORMATION_URI}\n", f"rev: {RELEASE_TAG}\n"
    assert text.count(published_repo) == 1, f"{example.name} must name {INFORMATION_URI} once"
    assert text.count(published_rev) == 1, f"{example.name} must name the release {RELEASE_TAG} once"
    path, commit = release
    return text.replace(published_repo, f"repo: {path}\n").replace(published_rev, f"rev: {commit}\n")


@pytest.fixture
def forms_repository(tmp_path: Path, tool_env: dict[str, str]) -> Path:
    """A git repository of forms, nothing committed yet: a README and one form without problems."""
    repository = tmp_path / "forms-repository"
    repository.mkdir()
    _git(repository, tool_env, "init", "--quiet")
    (repository / "README.md").write_text(README_TEXT, encoding="utf-8")
    (repository / "forms").mkdir()
    (repository / "forms" / "clean-solution.md").write_text(VALID_FORM, encoding="utf-8")
    return repository


def _install_hook(repository: Path, configuration: str, env: Mapping[str, str]) -> None:
    (repository / ".pre-commit-config.yaml").write_text(configuration, encoding="utf-8")
    installed = _run(["pre-commit", "install"], repository, env)
    assert installed.returncode == 0, installed.stdout


def _archive_repository(tmp_path: Path, env: Mapping[str, str]) -> Path:
    """A repository of forms exported years ago, committed before alplint: the real forms, with their problems."""
    repository = tmp_path / "archive-repository"
    (repository / "archive").mkdir(parents=True)
    _git(repository, env, "init", "--quiet")
    (repository / "README.md").write_text(README_TEXT, encoding="utf-8")
    for seed in SEED_FILES:
        shutil.copyfile(seed, repository / "archive" / seed.name)
    # The seeds hold warnings only (what the export drops is no error): an old export with an error too.
    (repository / "archive" / OLD_BROKEN_EXPORT).write_text(BROKEN_FORM, encoding="utf-8")
    _git(repository, env, "add", "--all")
    _git(repository, env, "commit", "--quiet", "--message", "The archive")
    return repository


def _workflow() -> dict[Any, Any]:
    workflow = yaml.safe_load(WORKFLOW_EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def _workflow_steps() -> list[dict[str, Any]]:
    (job,) = _workflow()["jobs"].values()
    return job["steps"]


def _workflow_alplint_commands() -> list[str]:
    """The workflow's alplint commands; its one other command installs the release the examples name."""
    install, *commands = [step["run"] for step in _workflow_steps() if "run" in step]
    assert install == f'pip install "alplint @ git+{INFORMATION_URI}@{RELEASE_TAG}"'
    assert commands and all(command.startswith("alplint ") for command in commands), commands
    return commands


def _run_step(command: str, folder: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub runs a step's run: with `bash -e {0}` on Linux runners.
    return _run(["bash", "-e", "-c", command], folder, env)


def _sarif_file() -> str:
    (upload,) = [
        step
        for step in _workflow_steps()
        if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    return upload["with"]["sarif_file"]


def _readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_SECTION in readme, f"README.md has no section {README_SECTION!r}"
    return readme[readme.index(README_SECTION) :]


# --- Offline: the files are what they say ----------------------------------------------------------


def test_readme_shows_every_example_exactly_as_the_tests_run_it() -> None:
    section = _readme_section()
    examples = sorted(path for path in EXAMPLES.iterdir() if path.is_file())
    assert examples == sorted(
        [PRE_COMMIT_EXAMPLE, BASELINE_PRE_COMMIT_EXAMPLE, WORKFLOW_EXAMPLE, ADOPTION_EXAMPLE]
    )
    fence_language = {".yaml": "yaml", ".yml": "yaml", ".sh": "sh"}
    for example in examples:
        block = f"```{fence_language[example.suffix]}\n{example.read_text(encoding='utf-8')}```\n"
        assert block in section, f"README.md must show {example.relative_to(ROOT)} verbatim in a fenced block"


def test_hook_manifest_declares_alplint_for_markdown_and_text_files(tool_env: dict[str, str]) -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    validated = _run(["pre-commit", "validate-manifest", manifest], ROOT, tool_env)
    assert validated.returncode == 0, validated.stdout
    (hook,) = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert hook["id"] == "alplint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is False
    assert hook.get("pass_filenames", True) is True
    # The file pattern alone decides: types: [markdown] would drop the platform's .txt exports.
    assert "types" not in hook and "types_or" not in hook
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    # pre-commit names every staged file: --force-exclude keeps the configuration's exclude in force, and
    # sits in the entry, where a repository's own args: cannot drop it.
    assert shlex.split(hook["entry"]) == ["alplint", "--force-exclude"]
    assert "alplint" in scripts
    files = re.compile(hook["files"])
    for name in ["forms/plan.md", "000_0895e367f9611072.txt", "README.md"]:
        assert files.search(name), name
    for name in ["notes.rst", "forms/plan.md.orig", "map.png", "export.json"]:
        assert not files.search(name), name


@pytest.mark.parametrize(
    "example", [PRE_COMMIT_EXAMPLE, BASELINE_PRE_COMMIT_EXAMPLE], ids=lambda path: path.name
)
def test_pre_commit_examples_name_the_current_release(example: Path, tool_env: dict[str, str]) -> None:
    validated = _run(["pre-commit", "validate-config", example], ROOT, tool_env)
    assert validated.returncode == 0, validated.stdout
    assert "WARNING" not in validated.stdout
    (repository,) = yaml.safe_load(example.read_text(encoding="utf-8"))["repos"]
    assert (repository["repo"], repository["rev"]) == (INFORMATION_URI, RELEASE_TAG)
    assert [hook["id"] for hook in repository["hooks"]] == ["alplint"]


def test_own_hooks_dogfood_alplint_on_the_seeds_with_an_up_to_date_baseline(
    tool_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_path = ROOT / ".pre-commit-config.yaml"
    validated = _run(["pre-commit", "validate-config", config_path], ROOT, tool_env)
    assert validated.returncode == 0, validated.stdout
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    protected = re.compile(config["exclude"])
    for name in ["seeds/solution-2025-zambia.md", "tests/fixtures/valid-solution.md", "tests/data/README.md"]:
        assert protected.search(name), f"the fixers must leave {name} as it is"
    hooks = {hook["id"]: hook for repository in config["repos"] for hook in repository["hooks"]}
    dogfood = hooks["alplint"]
    # python -m alplint runs this checkout's alplint, with its dependencies installed in the hook's environment.
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert dogfood["additional_dependencies"] == dependencies
    assert dogfood["always_run"] is True and dogfood["pass_filenames"] is False
    python, module_flag, module, *arguments = shlex.split(dogfood["entry"])
    assert (python, module_flag, module) == ("python", "-m", "alplint")
    assert arguments == ["--baseline", BASELINE_FILE, "seeds/"]

    monkeypatch.chdir(ROOT)
    assert main(arguments) == 0, capsys.readouterr().out
    fresh = tmp_path / "baseline.json"
    assert main(["--write-baseline", str(fresh), "seeds/"]) == 0
    assert fresh.read_text(encoding="utf-8") == (ROOT / BASELINE_FILE).read_text(encoding="utf-8"), (
        f"the seeds' problems changed: record them again with alplint --write-baseline {BASELINE_FILE} seeds/"
    )


def test_workflow_annotates_the_pull_request_and_writes_valid_sarif(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    (job,) = _workflow()["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    sarif_report, annotations = _workflow_alplint_commands()
    assert f"--output-file {_sarif_file()}" in sarif_report

    folder = tmp_path / "checkout"
    (folder / "forms").mkdir(parents=True)
    (folder / "README.md").write_text(README_TEXT, encoding="utf-8")
    (folder / "forms" / "clean-solution.md").write_text(VALID_FORM, encoding="utf-8")
    (folder / "forms" / "broken-solution.md").write_text(BROKEN_FORM, encoding="utf-8")

    reported = _run_step(sarif_report, folder, tool_env)
    assert reported.returncode == 0, reported.stdout  # the upload still runs when forms have errors
    document = json.loads((folder / _sarif_file()).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator_class(SARIF_SCHEMA).validate(document)
    (run,) = document["runs"]
    assert [result["ruleId"] for result in run["results"]] == ["ALP201"]
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == [
        "forms/broken-solution.md",
        "forms/clean-solution.md",
    ]

    annotated = _run_step(annotations, folder, tool_env)
    assert annotated.returncode == 1, annotated.stdout
    commands = [line for line in annotated.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1
    assert commands[0].startswith("::error file=forms/broken-solution.md,line=1,col=1,")
    assert "title=ALP201 missing-tag::" in commands[0]

    (folder / "forms" / "broken-solution.md").unlink()
    clean = _run_step(annotations, folder, tool_env)
    assert clean.returncode == 0, clean.stdout
    assert "::" not in clean.stdout


def test_adoption_script_records_the_archive_so_only_new_problems_fail(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    repository = _archive_repository(tmp_path, tool_env)
    (repository / ".pre-commit-config.yaml").write_text(
        BASELINE_PRE_COMMIT_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    adopted = _run(["sh", ADOPTION_EXAMPLE], repository, tool_env)
    assert adopted.returncode == 0, adopted.stdout
    assert "ALP201" in adopted.stdout  # the statistics of the archive
    assert (repository / ".git" / "hooks" / "pre-commit").is_file()
    staged = _git(repository, tool_env, "diff", "--cached", "--name-only").split()
    assert sorted(staged) == [".alplint-baseline.json", ".pre-commit-config.yaml"]
    # Keyed as pre-commit names the files: relative to the root, without "./".
    recorded = json.loads((repository / BASELINE_FILE).read_text(encoding="utf-8"))["files"]
    # The solution seed has notes only: nothing of it to record.
    assert sorted(recorded) == sorted(
        [f"archive/{OLD_BROKEN_EXPORT}"] + [f"archive/{s.name}" for s in SEED_FILES if s != SOLUTION_SEED]
    )

    # The README tells to add the baseline to the workflow's alplint commands: then they pass on the archive.
    sarif_report, annotations = _workflow_alplint_commands()
    assert _run_step(annotations, repository, tool_env).returncode == 1
    for command in (sarif_report, annotations):
        with_baseline = command.replace("alplint ", f"alplint --baseline {BASELINE_FILE} ", 1)
        passed = _run_step(with_baseline, repository, tool_env)
        assert passed.returncode == 0, passed.stdout
    sarif = json.loads((repository / _sarif_file()).read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []


# --- Integration: the real pre-commit, building the hook from this checkout ------------------------


@pytest.mark.integration
def test_hook_lets_clean_forms_and_a_readme_through(
    forms_repository: Path, alplint_release: tuple[Path, str], tool_env: dict[str, str]
) -> None:
    _install_hook(forms_repository, _pointed_at(PRE_COMMIT_EXAMPLE, alplint_release), tool_env)
    _git(forms_repository, tool_env, "add", "--all")
    committed = _run(["git", "commit", "--message", "First forms"], forms_repository, tool_env)
    assert committed.returncode == 0, committed.stdout
    assert re.search(r"^alplint\.+Passed$", committed.stdout, re.MULTILINE), committed.stdout

    readme_alone = _run(
        ["pre-commit", "run", "alplint", "--files", "README.md", "--verbose"], forms_repository, tool_env
    )
    assert readme_alone.returncode == 0, readme_alone.stdout
    assert "Checked 1 file (0 forms, 1 skipped as not forms): no forms found." in readme_alone.stdout


@pytest.mark.integration
def test_hook_stops_a_commit_of_broken_forms_with_alplints_report(
    forms_repository: Path, alplint_release: tuple[Path, str], tool_env: dict[str, str]
) -> None:
    _install_hook(forms_repository, _pointed_at(PRE_COMMIT_EXAMPLE, alplint_release), tool_env)
    _git(forms_repository, tool_env, "add", "--all")
    _git(forms_repository, tool_env, "commit", "--quiet", "--message", "First forms")

    (forms_repository / "forms" / "broken-solution.md").write_text(BROKEN_FORM, encoding="utf-8")
    # A platform export: .txt, saved as UTF-16 with a byte-order mark.
    (forms_repository / "forms" / "000_broken_export.txt").write_bytes(BROKEN_FORM.encode("utf-16"))
    with (forms_repository / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nTwo more forms.\n")
    _git(forms_repository, tool_env, "add", "--all")
    refused = _run(["git", "commit", "--message", "More forms"], forms_repository, tool_env)

    assert refused.returncode == 1, refused.stdout
    assert re.search(r"^alplint\.+Failed$", refused.stdout, re.MULTILINE), refused.stdout
    assert sorted(_reported(refused.stdout)) == [
        ("forms/000_broken_export.txt", "ALP201"),
        ("forms/broken-solution.md", "ALP201"),
    ]
    assert 'The form has no "year" tag' in refused.stdout
    assert _commit_count(forms_repository, tool_env) == 1


@pytest.mark.integration
def test_hook_leaves_what_the_configuration_excludes_alone(
    forms_repository: Path, alplint_release: tuple[Path, str], tool_env: dict[str, str]
) -> None:
    # pre-commit names each staged file; without --force-exclude, an excluded folder's forms were checked.
    _install_hook(forms_repository, _pointed_at(PRE_COMMIT_EXAMPLE, alplint_release), tool_env)
    (forms_repository / ".alplint.yaml").write_text("exclude: [drafts]\n", encoding="utf-8")
    (forms_repository / "drafts").mkdir()
    (forms_repository / "drafts" / "unfinished-solution.md").write_text(BROKEN_FORM, encoding="utf-8")
    _git(forms_repository, tool_env, "add", "--all")
    committed = _run(["git", "commit", "--message", "A draft"], forms_repository, tool_env)
    assert committed.returncode == 0, committed.stdout
    assert "ALP201" not in committed.stdout


@pytest.mark.integration
def test_try_repo_runs_this_checkout_on_the_staged_forms(
    forms_repository: Path, alplint_release: tuple[Path, str], tool_env: dict[str, str]
) -> None:
    release, _ = alplint_release
    (forms_repository / "forms" / "broken-solution.md").write_text(BROKEN_FORM, encoding="utf-8")
    _git(forms_repository, tool_env, "add", "--all")
    tried = _run(["pre-commit", "try-repo", release, "alplint"], forms_repository, tool_env)
    assert tried.returncode == 1, tried.stdout
    assert _reported(tried.stdout) == [("forms/broken-solution.md", "ALP201")]


@pytest.mark.integration
def test_adopted_archive_accepts_old_problems_and_stops_new_ones(
    tmp_path: Path, alplint_release: tuple[Path, str], tool_env: dict[str, str]
) -> None:
    repository = _archive_repository(tmp_path, tool_env)
    (repository / ".pre-commit-config.yaml").write_text(
        _pointed_at(BASELINE_PRE_COMMIT_EXAMPLE, alplint_release), encoding="utf-8"
    )
    adopted = _run(["sh", ADOPTION_EXAMPLE], repository, tool_env)
    assert adopted.returncode == 0, adopted.stdout
    _git(repository, tool_env, "commit", "--quiet", "--message", "Adopt alplint")

    # An old form with errors is edited elsewhere: its recorded problems do not stop the commit.
    old_form = repository / "archive" / OLD_BROKEN_EXPORT
    assert _run(["alplint", old_form], repository, tool_env).returncode == 1
    with old_form.open("a", encoding="utf-8") as form:
        form.write("\nThe partners met again in March.\n")
    _git(repository, tool_env, "add", "--all")
    edited = _run(["git", "commit", "--message", "A sentence more"], repository, tool_env)
    assert edited.returncode == 0, edited.stdout
    assert re.search(r"^alplint\.+Passed$", edited.stdout, re.MULTILINE), edited.stdout

    # A new problem in the old form, and a new form with a problem: both stop the commit, alone.
    old_form = repository / "archive" / "learningplan-opening-2025-mongolia.md"
    old_form.write_text(old_form.read_text(encoding="utf-8").replace(YEAR_TAG, "", 1), encoding="utf-8")
    (repository / "archive" / "new-solution.md").write_text(BROKEN_FORM, encoding="utf-8")
    _git(repository, tool_env, "add", "--all")
    refused = _run(["git", "commit", "--message", "New problems"], repository, tool_env)
    assert refused.returncode == 1, refused.stdout
    assert sorted(_reported(refused.stdout)) == [
        ("archive/learningplan-opening-2025-mongolia.md", "ALP201"),
        ("archive/new-solution.md", "ALP201"),
    ]
    assert _commit_count(repository, tool_env) == 3
