"""The command line: paths, stdin, formats, selection, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from alplint.cli import main
from alplint.rules import load_families
from tests.conftest import CLOSING_SEED, EXPERIMENT_TAGS, SEED_FILES, SOLUTION_SEED, as_draft

Capture = pytest.CaptureFixture[str]


def _json(capsys: Capture, *args: str) -> tuple[int, dict]:
    status = main(["--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_text_report_lines_and_summary(capsys: Capture) -> None:
    status = main([str(CLOSING_SEED)])
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        f"{CLOSING_SEED}:40:3: warning ALP504 The learning-cycle percentages (Sense, Explore, Test, Grow) "
    )
    assert "Checked 1 file (1 form): 0 errors, 2 warnings." in out
    assert status == 0


def test_folder_is_walked_and_non_forms_are_skipped(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "README.md").write_text("# Forms of our lab\n\nSee the folders.\n")
    (tmp_path / "notes.rst").write_text(EXPERIMENT_TAGS)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "form.md").write_text("# Broken")
    (tmp_path / ".md").write_text(EXPERIMENT_TAGS)  # a form exported without a title: hidden, still a form
    (tmp_path / ".notes.rst").write_text(EXPERIMENT_TAGS)
    sub = tmp_path / "2024"
    sub.mkdir()
    (sub / "form.md").write_text(EXPERIMENT_TAGS)
    (sub / "other.txt").write_text(EXPERIMENT_TAGS.replace("2024", "2018"))
    status, document = _json(capsys, str(tmp_path))
    assert [Path(f["path"]).relative_to(tmp_path).as_posix() for f in document["files"]] == [
        ".md",
        "2024/form.md",
        "2024/other.txt",
    ]
    assert document["summary"]["skipped"] == 1
    assert document["summary"]["forms"] == 3
    assert status == 1


def test_the_command_writes_all_its_output_and_its_status_before_it_ends(
    tmp_path: Path, capsys: Capture
) -> None:
    """``alplint`` ends its process without the interpreter's own ending: nothing may be lost."""
    for index in range(100):  # a report far larger than any buffer on the way
        (tmp_path / f"form-{index:02d}.md").write_bytes(CLOSING_SEED.read_bytes())
    (tmp_path / "untitled.md").write_text("[[type:experiment]]\n", encoding="utf-8")  # an error: status 1
    arguments = ["--no-cache", "--format", "json", str(tmp_path)]
    status, document = _json(capsys, *arguments)
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    for command in ([sys.executable, "-m", "alplint"], [str(Path(sys.executable).with_name("alplint"))]):
        if not Path(command[-1]).exists() and command[-1] != "alplint":
            continue  # the console script is beside the interpreter only in an installed environment
        done = subprocess.run(
            [*command, *arguments], capture_output=True, text=True, check=False, env=buffered
        )
        assert done.returncode == status == 1, done.stderr
        assert json.loads(done.stdout) == document
        assert len(done.stdout) > 65536 and done.stderr == ""


def test_no_problems_exit_zero(tmp_path: Path, capsys: Capture) -> None:
    form = tmp_path / "form.md"
    form.write_text(EXPERIMENT_TAGS)
    assert main([str(form)]) == 0
    assert capsys.readouterr().out == "Checked 1 file (1 form): no problems found.\n"


def test_warnings_only_exit_zero_unless_strict(tmp_path: Path, capsys: Capture) -> None:
    # As a hand-written draft the solution seed has warnings only (ALP601, ALP208).
    title, rest = SOLUTION_SEED.read_text(encoding="utf-8").split("\n", 1)
    draft = tmp_path / "draft.md"
    draft.write_text(f"{title}\n<!-- alplint-draft -->\n{rest}", encoding="utf-8")
    assert main([str(draft)]) == 0
    assert main(["--strict", str(draft)]) == 1
    capsys.readouterr()


def test_exit_zero(capsys: Capture) -> None:
    assert main(["--exit-zero", str(CLOSING_SEED)]) == 0
    capsys.readouterr()


def test_select_and_ignore_by_code_name_and_prefix(capsys: Capture) -> None:
    _, document = _json(capsys, "--select", "ALP5", str(CLOSING_SEED))
    assert {p["code"] for p in document["files"][0]["problems"]} == {"ALP504"}
    _, document = _json(capsys, "--select", "malformed-link,ALP603", str(CLOSING_SEED))
    assert {p["code"] for p in document["files"][0]["problems"]} == {"ALP602"}
    status, document = _json(capsys, "--ignore", "ALP5", "--ignore", "escaped-entity", str(CLOSING_SEED))
    assert {p["code"] for p in document["files"][0]["problems"]} == {"ALP602"}
    assert status == 0


def test_unknown_selector_is_a_usage_error(capsys: Capture) -> None:
    assert main(["--select", "ALP61", str(CLOSING_SEED)]) == 2
    err = capsys.readouterr().err
    assert 'unknown rule "ALP61"' in err and "did you mean" in err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    class Stdin:
        buffer = __import__("io").BytesIO(CLOSING_SEED.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    status, document = _json(capsys, "--stdin-filename", "draft.md", "-")
    assert document["files"][0]["path"] == "draft.md"
    assert len(document["files"][0]["problems"]) == 2
    assert status == 0


def test_undecodable_file_does_not_stop_the_others(tmp_path: Path, capsys: Capture) -> None:
    bad = tmp_path / "a-latin1.md"
    bad.write_bytes("# Caf\xe9\n[[type:experiment]]\n".encode("latin-1"))
    status, document = _json(capsys, str(bad), str(SOLUTION_SEED))
    first, second = document["files"]
    assert [p["code"] for p in first["problems"]] == ["ALP101"]
    assert first["problems"][0]["line"] == 1
    assert len(second["problems"]) == 0
    assert status == 1


def test_missing_path_is_a_usage_error(capsys: Capture) -> None:
    assert main(["does-not-exist.md"]) == 2
    assert "no such file or folder: does-not-exist.md" in capsys.readouterr().err


def test_bad_option_is_a_usage_error_without_traceback(capsys: Capture) -> None:
    assert main(["--format", "xml", str(CLOSING_SEED)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alplint: ") and "Traceback" not in err


def test_list_rules(capsys: Capture) -> None:
    assert main(["--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "ALP501  cycle-stage-missing" in out
    assert len(out.splitlines()) == sum(len(module.RULES) for module in load_families().values())


def test_explain_by_code_and_name(capsys: Capture) -> None:
    assert main(["--explain", "ALP501"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALP501 cycle-stage-missing (error)")
    assert "Failing example::" in out and "Passing example::" in out
    assert main(["--explain", "untidy-tag-value"]) == 0
    assert "fixable with --fix" in capsys.readouterr().out
    assert main(["--explain", "ALP5"]) == 2


def test_output_file(tmp_path: Path, capsys: Capture) -> None:
    target = tmp_path / "report.json"
    main(["--format", "json", "--output-file", str(target), str(CLOSING_SEED)])
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text())["summary"]["warnings"] == 2


def test_output_file_has_ruffs_short_form(tmp_path: Path, capsys: Capture) -> None:
    """``alplint --format html -o report.html FILES...``, as the README and ruff's users write it."""
    target = tmp_path / "report.html"
    main(["--format", "html", "-o", str(target), str(CLOSING_SEED)])
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_python_dash_m_and_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alplint", "--format", "json", *map(str, SEED_FILES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"]["errors"] == 0
    assert result.stderr == ""


def test_each_seed_alone_exit_codes(capsys: Capture) -> None:
    assert [main([str(seed)]) for seed in SEED_FILES] == [0, 0, 0]
    capsys.readouterr()


def test_paths_found_from_the_current_folder_have_no_dot_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "form.md").write_text(EXPERIMENT_TAGS.replace("2024", "2018"))
    monkeypatch.chdir(tmp_path)
    _, document = _json(capsys)
    assert [entry["path"] for entry in document["files"]] == ["forms/form.md"]


def test_unwritable_output_file_is_a_usage_error(tmp_path: Path, capsys: Capture) -> None:
    assert main(["--output-file", str(tmp_path / "missing" / "report.json"), str(SOLUTION_SEED)]) == 2
    assert "cannot write the report to" in capsys.readouterr().err


# --- issue 10: the command line, hardened ------------------------------------------------------


def _alplint(
    *args: str, cwd: Path | None = None, stdin: int | None = None, memory: int = 1024**3, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """alplint in a process of its own, its memory capped (a runaway read fails fast instead of swapping)."""

    def cap_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "alplint", *args],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap_memory if sys.platform != "win32" else None,
        check=False,
    )


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("value", ["", "ALP1,,ALP2", " "])
def test_an_empty_rule_selector_is_a_usage_error(option: str, value: str, capsys: Capture) -> None:
    # Item 4: --select "" selected nothing and exited 0.
    assert main([option, value, str(CLOSING_SEED)]) == 2
    assert f"argument {option}: empty rule selector" in capsys.readouterr().err


def test_a_named_file_in_an_excluded_folder_is_checked_unless_force_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    # Item 5: the named file was skipped without a word; ruff checks it unless --force-exclude.
    (tmp_path / ".alplint.yaml").write_text("exclude: [drafts]\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "form.md").write_bytes(CLOSING_SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    status, document = _json(capsys, "drafts/form.md")
    assert status == 0 and [entry["path"] for entry in document["files"]] == ["drafts/form.md"]
    status, document = _json(capsys, "--force-exclude", "drafts/form.md")
    assert status == 0 and document["files"] == []
    status, document = _json(capsys, ".")
    assert status == 0 and document["files"] == []


def test_an_unreadable_subfolder_is_reported_and_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture, refuse_folder: Callable[[str], None]
) -> None:
    # Item 6: it was skipped silently and the run exited 0.
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "form.md").write_bytes(CLOSING_SEED.read_bytes())
    refuse_folder("locked")
    monkeypatch.chdir(tmp_path)
    status, document = _json(capsys, ".")
    assert status == 1
    ((entry,),) = [[file for file in document["files"] if file["path"] == "locked"]]
    assert [problem["code"] for problem in entry["problems"]] == ["ALP101"]
    assert "folder cannot be read" in entry["problems"][0]["message"]


def test_a_symlinked_subfolder_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    # Item 6: symlinked subfolders were not followed.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "form.md").write_text(EXPERIMENT_TAGS)
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "forms" / "linked" / "back").symlink_to(tmp_path / "forms", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "forms")
    _, document = _json(capsys, ".")
    assert [entry["path"] for entry in document["files"]] == ["linked/form.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_called_form_md_does_not_hang_the_run(tmp_path: Path) -> None:
    # Item 13: alplint waited forever for a writer.
    os.mkfifo(tmp_path / "form.md")
    result = _alplint("--format", "json", str(tmp_path), timeout=60)
    assert result.returncode == 1, result.stderr
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["problems"][0]["code"] == "ALP101"
    assert "named pipe" in entry["problems"][0]["message"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_link_to_dev_zero_is_reported_without_reading_it(tmp_path: Path) -> None:
    # Item 13: the size limit read getsize() (0 for a device) and alplint read gigabytes.
    (tmp_path / "form.md").symlink_to("/dev/zero")
    result = _alplint(str(tmp_path / "form.md"), memory=512 * 1024**2, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "ALP101 This is a device, not a regular file" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_stdin_is_read_no_further_than_a_forms_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zeros:
        result = _alplint("-", stdin=zeros.fileno(), memory=512 * 1024**2, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "alplint: standard input holds more than 16 MB: too large to be a form\n"


def _alias_bomb(key: str, levels: int = 9) -> str:
    """Nine lists of nine aliases of the list before: 414 bytes that stand for 387 million strings."""
    items = ['&x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    items += [f"&x{level} [" + ",".join([f"*x{level - 1}"] * 9) + "]" for level in range(1, levels)]
    return f"{key}: [" + ", ".join(items) + "]\n"


def test_an_alias_bomb_in_the_configuration_is_refused_at_once(tmp_path: Path) -> None:
    # Item 15: this file cost 3.3 GB and 93 s before ending in "internal error: MemoryError".
    (tmp_path / ".alplint.yaml").write_text(_alias_bomb("ignore"))
    (tmp_path / "form.md").write_bytes(SOLUTION_SEED.read_bytes())
    result = _alplint("form.md", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("alplint: .alplint.yaml:1:")
    assert "with its aliases (*name) expanded, this file stands for more than 200,000 values" in result.stderr
    assert "internal error" not in result.stderr


def test_an_alias_bomb_in_a_schema_file_is_refused_at_once(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "bomb.yaml").write_text("name: bomb\nform-type: bomb\n" + _alias_bomb("template"))
    result = _alplint("--schema-dir", str(schemas), str(SOLUTION_SEED), timeout=60)
    assert result.returncode == 2
    assert "alias" in result.stderr and "internal error" not in result.stderr


def test_a_huge_value_is_not_echoed_whole_in_a_configuration_error(tmp_path: Path, capsys: Capture) -> None:
    # Item 15: long values were quoted whole in messages.
    (tmp_path / ".alplint.yaml").write_text(f"severity: {{ALP601: {'x' * 350_000}}}\n")
    assert main(["--config", str(tmp_path / ".alplint.yaml"), str(SOLUTION_SEED)]) == 2
    err = capsys.readouterr().err
    assert "is not a severity" in err and len(err) < 400


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are Unicode there")
def test_a_file_name_that_is_not_utf8_is_checked_and_named_readably(tmp_path: Path, capsys: Capture) -> None:
    # Item 17 (discovery and this module's messages; the reports show display_path too).
    name = os.fsdecode(b"caf\xe9.md")
    (tmp_path / name).write_text(EXPERIMENT_TAGS)
    linter_paths = [result.path for result in __import__("alplint").lint_paths([str(tmp_path)])]
    assert linter_paths == [str(tmp_path / name)]
    assert main([str(tmp_path / os.fsdecode(b"missing-\xe9.md"))]) == 2
    assert capsys.readouterr().err.endswith(
        "no such file or folder: " + str(tmp_path) + "/missing-\\xe9.md\n"
    )


def test_a_closed_stdout_is_an_io_error_not_an_internal_error() -> None:
    # Item 18: "internal error, please report it: AttributeError".
    result = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m alplint "{SOLUTION_SEED}" >&-'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == "alplint: cannot write to standard output: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_full_disk_is_an_io_error_not_an_internal_error(output_format: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "alplint", "--format", output_format, str(SOLUTION_SEED)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr == "alplint: cannot write to standard output: No space left on device\n"


def test_a_baseline_nested_too_deeply_is_a_usage_error(tmp_path: Path, capsys: Capture) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["--baseline", str(baseline), str(SOLUTION_SEED)]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_the_configuration_of_each_forms_folder_applies_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    # Item 26: run from one folder up, a repository's .alplint.yaml was silently ignored.
    repository = tmp_path / "repository"
    (repository / "forms").mkdir(parents=True)
    (repository / ".alplint.yaml").write_text("ignore: [ALP6]\n")
    (repository / "forms" / "zambia.md").write_bytes(as_draft(SOLUTION_SEED))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / ".alplint.toml").write_text("select = ['ALP601']\n")
    (tmp_path / "other" / "zambia.md").write_bytes(as_draft(SOLUTION_SEED))
    monkeypatch.chdir(tmp_path)
    _, document = _json(capsys, "repository", "other")
    codes = {entry["path"]: {problem["code"] for problem in entry["problems"]} for entry in document["files"]}
    assert codes == {"repository/forms/zambia.md": {"ALP208"}, "other/zambia.md": {"ALP601"}}
    # --config names one configuration for every form; the command line still wins over it.
    (tmp_path / "strict.yaml").write_text("select: [ALP2]\n")
    _, document = _json(capsys, "--config", "strict.yaml", "repository", "other")
    assert all({p["code"] for p in entry["problems"]} == {"ALP208"} for entry in document["files"])
    _, document = _json(capsys, "--config", "strict.yaml", "--select", "ALP6", "other")
    assert {p["code"] for p in document["files"][0]["problems"]} == {"ALP601"}


def test_a_folders_own_exclude_applies_while_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    (tmp_path / "forms" / "old").mkdir(parents=True)
    (tmp_path / "forms" / ".alplint.yaml").write_text("exclude: [old]\n")
    (tmp_path / "forms" / "old" / "form.md").write_text(EXPERIMENT_TAGS)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "form.md").write_text(EXPERIMENT_TAGS)
    monkeypatch.chdir(tmp_path)
    _, document = _json(capsys, ".")
    assert [entry["path"] for entry in document["files"]] == ["old/form.md"]


def test_a_virtual_environment_next_to_the_forms_is_not_checked(tmp_path: Path, capsys: Capture) -> None:
    # Item 25: alplint . linted the text files of site-packages.
    (tmp_path / "form.md").write_text(EXPERIMENT_TAGS)
    packages = tmp_path / ".venv-3.12" / "lib" / "python3.12" / "site-packages" / "pkg"
    packages.mkdir(parents=True)
    (packages / "LICENSE.txt").write_text("[[x:y]]\n")
    env = tmp_path / "env"
    (env / "lib").mkdir(parents=True)
    (env / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (env / "lib" / "notes.md").write_text("[[x:y]]\n")
    _, document = _json(capsys, str(tmp_path))
    assert [Path(entry["path"]).name for entry in document["files"]] == ["form.md"]


def test_stdin_filename_alone_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    # Item 27: --stdin-filename without - linted the current folder.
    class Stdin:
        buffer = __import__("io").BytesIO(CLOSING_SEED.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    status, document = _json(capsys, "--stdin-filename", "draft.md")
    assert [entry["path"] for entry in document["files"]] == ["draft.md"]
    assert status == 0 and document["files"][0]["problems"]


def test_stdin_filename_with_paths_but_no_dash_is_a_usage_error(capsys: Capture) -> None:
    assert main(["--stdin-filename", "draft.md", str(CLOSING_SEED)]) == 2
    assert "--stdin-filename names the form read from standard input" in capsys.readouterr().err


def test_unsafe_fixes_alone_says_it_needs_fix(capsys: Capture) -> None:
    assert main(["--unsafe-fixes", str(CLOSING_SEED)]) == 2
    assert capsys.readouterr().err == "alplint: --unsafe-fixes only widens --fix or --diff: add one of them\n"


def test_list_rules_as_json(capsys: Capture) -> None:
    assert main(["--list-rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert rules[0] == {
        "code": "ALP101",
        "name": "unreadable-file",
        "family": "structure",
        "severity": "error",
        "fixable": False,
        "fix_applicability": None,
        "summary": "The file cannot be decoded as text",
    }
    assert len(rules) == sum(len(module.RULES) for module in load_families().values())
    assert main(["--list-rules", "--format", "sarif"]) == 2
    assert "--list-rules prints text or json" in capsys.readouterr().err


def test_statistics_as_json(capsys: Capture) -> None:
    assert main(["--statistics", "--format", "json", *map(str, SEED_FILES)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"problems": 5, "forms_with_problems": 2, "forms": 3}
    assert {"code": "ALP504", "name": "cycle-not-exported", "problems": 1, "forms": 1} in document["rules"]
    assert all(
        set(row) >= {"code", "question", "template", "forms", "template_forms"}
        for row in document["questions"]
    )


def test_a_reader_that_goes_away_ends_the_run_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "alplint", "--format", "json", *map(str, SEED_FILES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    assert process.stderr.read() == b""
    assert process.wait() == 2
