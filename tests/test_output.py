"""Reports that cannot lie: honest summaries, escaped form text and file names, the report written safely.

Every test here runs the command line as a user does (``main`` or a
subprocess), so it checks what is printed, not a helper.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest

from alplint.cli import main
from alplint.engine import Linter
from tests.conftest import EXPERIMENT_TAGS, ROOT
from tests.test_rule_docs import DOCUMENTED, _examples

Capture = pytest.CaptureFixture[str]

NOT_UTF8_NAME = b"r\xe9union-\xff.md"  # Latin-1 "é" and a byte no encoding uses: not UTF-8
SWAPPED = EXPERIMENT_TAGS.replace("[[latlng:19.43,-99.13]]", "[[latlng:-99.13,19.43]]")
# Two problems silenced by comments (one by code, one by a bare comment), two left to list.
SUPPRESSED_TWO = """\
# Street markets
[[focal_point:ana@undp.org]]
<!-- alplint-disable-next-line ALP207 -->
[[year:2024.]]
[[type:experiment]]
<!-- alplint-disable-next-line -->
[[country:Mexico,]]
[[latlng:19.43,-99.13]]
[[focal_point:bob@undp.org.]]
"""
# A tag that, printed raw, erases the error line and prints a green verdict of its own.
ESCAPE_SEQUENCES = "\x1b[2K\x1b[1A\x1b[32mAll good\x9b0m"


def _alplint(
    *args: str, cwd: Path, encoding: str = "utf-8:strict", timeout: float | None = None
) -> subprocess.CompletedProcess[bytes]:
    """alplint in a subprocess, its stdout encoded as ``encoding`` says (``PYTHONIOENCODING``)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "alplint", "--no-color", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False, timeout=timeout)


# --- issue 10, item 7: the summary says what was checked and what was hidden -------------------------


def test_an_empty_folder_finds_no_forms_rather_than_no_problems(tmp_path: Path, capsys: Capture) -> None:
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Checked 0 files: no forms found.\n"


def test_a_folder_of_non_forms_finds_no_forms(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "README.md").write_text("# Forms of our lab\n\nSee the folders.\n")
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Checked 1 file (0 forms, 1 skipped as not forms): no forms found.\n"


def test_the_summary_counts_what_suppression_comments_and_the_baseline_hide(
    tmp_path: Path, capsys: Capture
) -> None:
    form = tmp_path / "form.md"
    form.write_text(SUPPRESSED_TWO)
    baseline = tmp_path / "baseline.json"
    assert main([str(form)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Checked 1 file (1 form): 1 error, 1 warning (2 hidden by suppression comments); 1 fixable with --fix."
    )
    assert main(["--write-baseline", str(baseline), str(form)]) == 0
    capsys.readouterr()
    assert main(["--baseline", str(baseline), str(form)]) == 0
    assert capsys.readouterr().out == (
        "Checked 1 file (1 form): no problems found (2 hidden by suppression comments, 2 by the baseline).\n"
    )
    assert main(["--baseline", str(baseline), "--format", "json", str(form)]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    # A superset of the summary's old keys.
    assert {"files", "forms", "skipped", "errors", "warnings", "fixable", "notes"} <= summary.keys()
    assert (summary["suppressed"], summary["baselined"], summary["errors"]) == (2, 2, 0)


def test_the_summary_counts_a_baseline_alone(tmp_path: Path, capsys: Capture) -> None:
    form = tmp_path / "form.md"
    form.write_text(EXPERIMENT_TAGS.replace("2024", "2024."))
    baseline = tmp_path / "baseline.json"
    main(["--write-baseline", str(baseline), str(form)])
    capsys.readouterr()
    main(["--baseline", str(baseline), str(form)])
    assert (
        capsys.readouterr().out == "Checked 1 file (1 form): no problems found (1 hidden by the baseline).\n"
    )


# --- item 16: what a form holds is shown, never obeyed by the terminal --------------------------------


@pytest.mark.parametrize("output_format", ["text", "github", "junit"])
def test_escape_sequences_in_a_form_are_shown_escaped(
    output_format: str, tmp_path: Path, capsys: Capture
) -> None:
    form = tmp_path / "form.md"
    form.write_text(EXPERIMENT_TAGS.replace("Mexico", f"Mexico{ESCAPE_SEQUENCES}"), encoding="utf-8")
    assert main(["--format", output_format, str(form)]) == 1
    out = capsys.readouterr().out
    assert not any(character in out for character in "\x1b\x9b")
    assert "Mexico\\x1b[2K\\x1b[1A\\x1b[32mAll good\\x9b0m" in out


def test_bidirectional_overrides_in_a_form_are_shown_escaped(tmp_path: Path, capsys: Capture) -> None:
    form = tmp_path / "form.md"
    form.write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexico\u202eooc"), encoding="utf-8")
    main([str(form)])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "Mexico\\u202eooc" in out


# --- item 17: a file name that is not UTF-8 ------------------------------------------------------------


@pytest.fixture
def oddly_named(tmp_path: Path) -> Path:
    """A folder holding one form whose name is not UTF-8 (with a fixable problem)."""
    folder = tmp_path / "forms"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), NOT_UTF8_NAME), "wb") as handle:
            handle.write(EXPERIMENT_TAGS.replace("2024", "2024.").encode())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    return folder


@pytest.mark.parametrize("output_format", ["text", "github", "junit"])
def test_a_name_that_is_not_utf8_is_shown_by_its_bytes(output_format: str, oddly_named: Path) -> None:
    run = _alplint("--format", output_format, "forms", cwd=oddly_named.parent)
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    out = run.stdout.decode("utf-8")  # strict: the report is valid UTF-8
    assert "forms/r\\xe9union-\\xff.md" in out


@pytest.mark.parametrize("encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_json_is_valid_utf8_and_names_the_file_exactly(encoding: str, oddly_named: Path) -> None:
    run = _alplint("--format", "json", "forms", cwd=oddly_named.parent, encoding=encoding)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout.decode("utf-8"))
    (entry,) = document["files"]
    # The escapes (\udcXX) read back as the name os.fsdecode gives: the file can be opened by it.
    assert os.fsencode(entry["path"]) == b"forms/" + NOT_UTF8_NAME
    assert (oddly_named.parent / entry["path"]).is_file()


def test_sarif_is_valid_utf8_and_its_uri_encodes_the_name_bytes(oddly_named: Path) -> None:
    run = _alplint("--format", "sarif", "forms", cwd=oddly_named.parent)
    assert run.returncode == 0, run.stderr
    document: dict[str, Any] = json.loads(run.stdout.decode("utf-8"))
    (artifact,) = document["runs"][0]["artifacts"]
    uri = artifact["location"]["uri"]
    assert uri == "forms/r%E9union-%FF.md"
    assert unquote_to_bytes(uri) == b"forms/" + NOT_UTF8_NAME
    absolute = _alplint("--format", "sarif", str(oddly_named), cwd=oddly_named.parent)
    (artifact,) = json.loads(absolute.stdout.decode("utf-8"))["runs"][0]["artifacts"]
    assert unquote_to_bytes(artifact["location"]["uri"]).endswith(b"/forms/" + NOT_UTF8_NAME)


def test_a_baseline_of_a_name_that_is_not_utf8_round_trips(oddly_named: Path) -> None:
    written = _alplint("--write-baseline", "baseline.json", "forms", cwd=oddly_named.parent)
    assert written.returncode == 0, written.stderr
    baseline = (oddly_named.parent / "baseline.json").read_bytes()
    baseline.decode("utf-8")  # strict
    used = _alplint("--baseline", "baseline.json", "forms", cwd=oddly_named.parent)
    assert used.stdout.decode() == "Checked 1 file (1 form): no problems found (1 hidden by the baseline).\n"


def test_the_diff_of_a_name_that_is_not_utf8_quotes_it_as_git_does(oddly_named: Path) -> None:
    run = _alplint("--diff", "forms", cwd=oddly_named.parent)
    assert run.returncode == 1, run.stderr
    headers = run.stdout.decode("ascii").splitlines()[:2]
    assert headers == ['--- "a/forms/r\\351union-\\377.md"', '+++ "b/forms/r\\351union-\\377.md"']


def test_fixing_a_name_that_is_not_utf8(oddly_named: Path) -> None:
    run = _alplint("--fix", "forms", cwd=oddly_named.parent)
    assert run.returncode == 0, run.stderr
    fixed = Path(os.fsdecode(os.path.join(os.fsencode(oddly_named), NOT_UTF8_NAME)))
    assert "[[year:2024]]" in fixed.read_text()


# --- item 22: the report file ------------------------------------------------------------------------


def test_the_report_never_replaces_a_form_it_checked(tmp_path: Path, capsys: Capture) -> None:
    form = tmp_path / "form.md"
    form.write_text(SWAPPED)
    assert main(["--output-file", str(form), str(tmp_path)]) == 2
    assert "is the form" in capsys.readouterr().err
    assert form.read_text() == SWAPPED
    link = tmp_path / "report.txt"
    link.symlink_to(form)
    assert main(["--output-file", str(link), str(form)]) == 2
    assert form.read_text() == SWAPPED


def test_a_report_file_that_is_not_a_form_may_be_found_among_the_inputs(
    tmp_path: Path, capsys: Capture
) -> None:
    # The report of the last run lies in the checked folder: it is not a form, so it is replaced.
    (tmp_path / "form.md").write_text(SWAPPED)
    report = tmp_path / "report.txt"
    report.write_text("Checked 1 file (1 form): 1 error, 0 warnings.\n")
    assert main(["--output-file", str(report), str(tmp_path)]) == 1
    assert "1 skipped as not forms" in report.read_text()


def _limit_file_size() -> None:
    # Writes past 200 bytes fail with EFBIG, as they would with ENOSPC on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_report_that_cannot_be_written_leaves_the_old_one_whole(tmp_path: Path) -> None:
    (tmp_path / "form.md").write_text(SWAPPED)
    report = tmp_path / "report.json"
    report.write_text('{"the": "last report"}\n')
    run = subprocess.run(
        [sys.executable, "-m", "alplint", "--format", "json", "--output-file", str(report), "form.md"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
        preexec_fn=_limit_file_size,
    )
    assert run.returncode == 2
    assert b"cannot write the report to" in run.stderr and b"Traceback" not in run.stderr
    assert report.read_text() == '{"the": "last report"}\n'
    assert sorted(path.name for path in tmp_path.iterdir()) == ["form.md", "report.json"]


def test_a_report_file_keeps_its_mode(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "form.md").write_text(EXPERIMENT_TAGS)
    report = tmp_path / "report.txt"
    report.write_text("old\n")
    report.chmod(0o640)
    assert main(["--output-file", str(report), str(tmp_path / "form.md")]) == 0
    assert report.read_text() == "Checked 1 file (1 form): no problems found.\n"
    assert report.stat().st_mode & 0o777 == 0o640


def test_the_report_is_not_written_into_a_pipe_or_a_device(tmp_path: Path) -> None:
    (tmp_path / "form.md").write_text(EXPERIMENT_TAGS)
    os.mkfifo(tmp_path / "pipe")
    # Before, alplint opened the pipe and waited for ever for a reader.
    run = _alplint("--output-file", "pipe", "form.md", cwd=tmp_path, timeout=60)
    assert run.returncode == 2
    assert b"it is a named pipe, not a regular file" in run.stderr
    assert (tmp_path / "pipe").is_fifo()


# --- item 24: unsafe fixes can be discovered ------------------------------------------------------------


@pytest.fixture
def swapped(tmp_path: Path) -> Path:
    form = tmp_path / "swapped.md"
    form.write_text(SWAPPED)
    return form


def test_the_text_report_marks_an_unsafe_fix_apart(swapped: Path, capsys: Capture) -> None:
    assert main([str(swapped)]) == 1
    first, summary = capsys.readouterr().out.splitlines()
    assert f"{swapped}:6:10: error ALP304 [?] Location" in first
    assert summary == "Checked 1 file (1 form): 1 error, 0 warnings; 1 fixable with --fix --unsafe-fixes."


def test_safe_and_unsafe_fixes_are_counted_apart(swapped: Path, capsys: Capture) -> None:
    swapped.write_text(SWAPPED.replace("2024", "2024."))
    main([str(swapped)])
    out = capsys.readouterr().out.splitlines()
    assert " ALP207 [*] " in out[0] and " ALP304 [?] " in out[1]
    assert out[-1] == (
        "Checked 1 file (1 form): 1 error, 1 warning; 1 fixable with --fix; 1 more fixable with --unsafe-fixes."
    )


def test_fix_says_what_only_unsafe_fixes_would_repair(swapped: Path, capsys: Capture) -> None:
    assert main(["--fix", str(swapped)]) == 1
    assert capsys.readouterr().err == "No problems fixed; 1 fixable with --unsafe-fixes.\n"
    swapped.write_text(SWAPPED.replace("2024", "2024."))
    main(["--fix", str(swapped)])
    assert capsys.readouterr().err == "Fixed 1 problem in 1 file; 1 more fixable with --unsafe-fixes.\n"
    main(["--diff", str(swapped)])
    assert capsys.readouterr().err == "No problems to fix; 1 fixable with --unsafe-fixes.\n"
    assert main(["--fix", "--unsafe-fixes", str(swapped)]) == 0
    assert capsys.readouterr().err == "Fixed 1 problem in 1 file.\n"


def test_json_sarif_github_and_junit_tell_unsafe_fixes_apart(swapped: Path, capsys: Capture) -> None:
    main(["--format", "json", str(swapped)])
    document = json.loads(capsys.readouterr().out)
    assert document["files"][0]["problems"][0]["fix"]["applicability"] == "unsafe"
    assert (document["summary"]["fixable"], document["summary"]["unsafe_fixable"]) == (0, 1)
    main(["--format", "sarif", str(swapped)])
    (fix,) = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]["fixes"]
    assert fix["properties"] == {"applicability": "unsafe"}
    assert "only by alplint --fix --unsafe-fixes" in fix["description"]["text"]
    main(["--format", "github", str(swapped)])
    annotation = capsys.readouterr().out.splitlines()[0]
    assert annotation.endswith("(alplint --fix --unsafe-fixes can repair this; check the result)")
    main(["--format", "junit", str(swapped)])
    assert " ALP304 [?] Location" in capsys.readouterr().out


def test_list_rules_and_explain_say_which_fixes_are_unsafe(capsys: Capture) -> None:
    main(["--list-rules"])
    rows = {line[:6]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["ALP304"].endswith("[fix (unsafe, with --unsafe-fixes)]")
    assert rows["ALP207"].endswith("[fix (safe)]")
    assert "fix" not in rows["ALP501"]
    main(["--explain", "ALP304"])
    assert capsys.readouterr().out.startswith(
        "ALP304 latlng-swapped (error, fix (unsafe, with --unsafe-fixes): "
        "fixable with --fix --unsafe-fixes; check each change)\n"
    )
    main(["--explain", "ALP207"])
    assert capsys.readouterr().out.startswith(
        "ALP207 untidy-tag-value (warning, fix (safe): fixable with --fix)\n"
    )


def test_each_fixable_rule_declares_the_applicability_its_fixes_have(linter: Linter) -> None:
    """``Rule.fix_applicability`` (what --list-rules shows) matches the fixes its documented failing example gets."""
    seen: set[str] = set()
    for _code, section in DOCUMENTED:
        for problem in linter.lint_bytes(_examples(section)["Failing"], "failing.md").problems:
            if problem.fix is not None:
                rule_of_problem = linter.catalog.rules[problem.code]
                assert rule_of_problem.fixable, problem.code
                assert problem.fix.applicability == rule_of_problem.fix_applicability, problem.code
                seen.add(problem.code)
    # Not every failing example is fixable (an unknowable country), but the unsafe swap is.
    assert {"ALP207", "ALP304"} <= seen


# --- item 15: a message stays a line, whatever the form quotes ----------------------------------------


def test_no_message_echoes_a_huge_value() -> None:
    """A 350 KB value in every kind of tag, a country and a location: each message quotes it cut short."""
    huge = "x" * 350_000
    text = (
        f"# T\n[[focal_point:{huge}]]\n[[year:{huge}]]\n[[type:experiment]]\n[[type:{huge}]]\n"
        f"[[sdgs:10. {huge}]]\n[[methods:{huge}  ]]\n[[methods:{huge}  ]]\n[[consent:{huge}]]\n"
        f"[[unknown_{'y' * 1000}:1]]\n[[country:{huge}]]\n[[latlng:{huge}]]\n\n"
        f"<!-- alplint-disable-next-line {huge} -->\n> Notes\n\n[a]({huge} {huge})\n"
    )
    problems = Linter().lint_text(text, "form.md").problems
    assert {problem.code for problem in problems} >= {"ALP106", "ALP204", "ALP207", "ALP301", "ALP306"}
    assert max(len(problem.message) for problem in problems) < 1_500, max(
        (len(problem.message), problem.code) for problem in problems
    )
