"""The README's examples work as written: the two set-up commands, the configuration, the comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alplint.cli import main
from alplint.config import load_config
from alplint.engine import Linter
from tests.conftest import EXPERIMENT_TAGS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def test_readme_opens_with_the_two_commands() -> None:
    first_block = _blocks("sh")[0].splitlines()
    assert first_block == ["pip install . && alplint seeds/", 'pip install -e ".[test]" && pytest']
    assert README.index("```sh") < README.index("\n## ")
    assert first_block[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_sample_report_is_what_alplint_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's first report is the real one: its text says truthfully what command 1 shows."""
    (sample,) = [block for block in _blocks("text") if block.startswith("$ alplint seeds/")]
    command, *expected = sample.splitlines()
    monkeypatch.chdir(ROOT)
    status = main(command.split()[2:])
    assert capsys.readouterr().out.splitlines() == expected
    assert status == 0 and main(["seeds/"]) == 0
    assert "exits 0" in README[: README.index(sample)]


@pytest.mark.parametrize(("language", "name"), [("yaml", ".alplint.yaml"), ("toml", "pyproject.toml")])
def test_configuration_examples_load(language: str, name: str, tmp_path: Path) -> None:
    (example,) = [block for block in _blocks(language) if name in block.splitlines()[0]]
    (tmp_path / "our-schemas").mkdir()
    path = tmp_path / name
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    assert "ALP602" in config.ignore
    assert config.severity
    assert config.options["location"]["tolerance-km"] == 3
    linter = Linter(config)
    assert linter.severity["ALP601"] == "error"
    assert "ALP602" not in linter.enabled


def test_suppression_example_silences_what_it_says(tmp_path: Path) -> None:
    (example,) = _blocks("markdown")
    text = EXPERIMENT_TAGS + "\n" + example.replace("-->\n> What sector", "-->\n> What sector")
    text = text.replace(
        "> What sector does our partner belong to?\n",
        "> What sector does our partner belong to?\n\n![](x.png)\n",
    )
    problems = Linter().lint_text(text, "form.md").problems
    assert [p.code for p in problems] == [
        "ALP601"
    ]  # the image after the question: the comment covers one line
    assert problems[0].line == text.splitlines().index("![](x.png)") + 1


def test_new_without_a_template_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--new"]) == 2
    err = capsys.readouterr().err
    for name in ("experiment", "learningplan-closing", "learningplan-opening", "solution"):
        assert name in err


def test_readme_states_the_python_version_pyproject_requires() -> None:
    # Issue 10, item 29.
    import tomllib

    required = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    assert required == ">=3.11"
    assert "alplint needs Python 3.11 or later." in README


def test_readme_documents_every_command_line_option() -> None:
    from alplint.cli import build_parser

    options = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    table = README[README.index("### Options") : README.index("### Rules")]
    missing = sorted(option for option in options if f"`{option}" not in table)
    assert not missing, f"README.md's table of options lacks {missing}"


def test_readme_lists_the_folders_skipped_by_default() -> None:
    from alplint.source import DEFAULT_EXCLUDE

    section = README[README.index("Folders are walked recursively") : README.index("The JSON report")]
    for name in DEFAULT_EXCLUDE:
        if not name.startswith("."):
            assert f"`{name}`" in section, name
