"""The command line: paths, stdin, formats, selection, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alplint.cli import main
from tests.conftest import CLOSING_SEED, EXPERIMENT_TAGS, SEED_FILES, SOLUTION_SEED

Capture = pytest.CaptureFixture[str]


def _json(capsys: Capture, *args: str) -> tuple[int, dict]:
    status = main(["--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_text_report_lines_and_summary(capsys: Capture) -> None:
    status = main([str(CLOSING_SEED)])
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        f'{CLOSING_SEED}:46:3: error ALP501 Learning-cycle stage "Sense" has no percentage (cycle-stage-missing)'
    )
    assert "Checked 1 file (1 form): 4 errors, 1 warning." in out
    assert status == 1


def test_folder_is_walked_and_non_forms_are_skipped(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "README.md").write_text("# Forms of our lab\n\nSee the folders.\n")
    (tmp_path / "notes.rst").write_text(EXPERIMENT_TAGS)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "form.md").write_text("# Broken")
    sub = tmp_path / "2024"
    sub.mkdir()
    (sub / "form.md").write_text(EXPERIMENT_TAGS)
    (sub / "other.txt").write_text(EXPERIMENT_TAGS.replace("2024", "2018"))
    status, document = _json(capsys, str(tmp_path))
    assert [Path(f["path"]).relative_to(tmp_path).as_posix() for f in document["files"]] == [
        "2024/form.md",
        "2024/other.txt",
    ]
    assert document["summary"]["skipped"] == 1
    assert document["summary"]["forms"] == 2
    assert status == 1


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
    assert {p["code"] for p in document["files"][0]["problems"]} == {"ALP501"}
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
    assert len(document["files"][0]["problems"]) == 5
    assert status == 1


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
    assert len(out.splitlines()) == 35


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
    assert json.loads(target.read_text())["summary"]["warnings"] == 1


def test_python_dash_m_and_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alplint", "--format", "json", *map(str, SEED_FILES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["errors"] == 7
    assert result.stderr == ""


def test_each_seed_alone_exit_codes(capsys: Capture) -> None:
    assert [main([str(seed)]) for seed in SEED_FILES] == [1, 1, 0]
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
