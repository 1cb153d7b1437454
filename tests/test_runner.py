"""The runner: parallel runs give the same report as one process, results stay compact, errors in
workers read like errors in the parent, small runs start no workers, reports stream."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alplint.cli import main
from alplint.engine import FileResult, Linter
from alplint.i18n import Message
from alplint.options import Options
from alplint.problem import Edit, Fix, Problem
from alplint.report import Report, Summary, json_text
from alplint.report.json_format import chunks, file_entry
from alplint.runner import CHUNK, ResultStore, Runner
from tests.conftest import EXPERIMENT_TAGS, ROOT, SEED_FILES

Capture = pytest.CaptureFixture[str]


def _archive(folder: Path, count: int) -> Path:
    """``count`` forms with varied problems (the seeds, and experiments with stray commas and places)."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        if index % 3 == 0:
            data = SEED_FILES[index % len(SEED_FILES)].read_bytes()
        else:
            data = EXPERIMENT_TAGS.replace("2024", f"20{10 + index % 15},").encode()
            if index % 5 == 0:
                data = data.replace(b"19.43,-99.13", b"-99.13,19.43")
        (folder / f"form-{index:04d}.md").write_bytes(data)
    return folder


def _report(capsys: Capture, *args: str) -> tuple[int, str, str]:
    status = main(["--no-cache", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("output_format", ["json", "text", "sarif", "junit", "github"])
def test_parallel_reports_are_byte_identical(tmp_path: Path, capsys: Capture, output_format: str) -> None:
    archive = _archive(tmp_path / "forms", 3 * CHUNK + 5)
    one = _report(capsys, "--jobs", "1", "--format", output_format, str(archive))
    two = _report(capsys, "--jobs", "2", "--format", output_format, str(archive))
    assert one == two
    assert one[1].count("form-") >= 3 * CHUNK


def test_parallel_fixes_write_the_same_files(tmp_path: Path, capsys: Capture) -> None:
    first = _archive(tmp_path / "one", 2 * CHUNK + 3)
    second = tmp_path / "two"
    shutil.copytree(first, second)
    one = _report(capsys, "--jobs", "1", "--fix", "--format", "json", str(first))
    two = _report(capsys, "--jobs", "2", "--fix", "--format", "json", str(second))
    assert one[1].replace(str(first), "") == two[1].replace(str(second), "")
    assert one[2].startswith("Fixed ") and one[2] == two[2]
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes()


def test_a_few_files_start_no_workers(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Runner) -> None:
        raise AssertionError("a pool was started for a small run")

    monkeypatch.setattr(Runner, "_start_pool", refuse)
    archive = _archive(tmp_path / "forms", CHUNK - 1)
    _status, out, _err = _report(capsys, "--jobs", "2", "--format", "json", str(archive))
    assert len(json.loads(out)["files"]) == CHUNK - 1


def test_results_from_workers_keep_their_messages_translatable(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "forms", 2 * CHUNK)
    run = Runner(Options(paths=(str(archive),), jobs=2, cache=False)).run()
    assert run.results is not None
    messages = [problem.message for result in run.results for problem in result.problems]
    assert messages and all(isinstance(message, Message) and message.template for message in messages)
    run.results.close()


def test_results_hold_no_form_and_no_text(linter: Linter) -> None:
    result = linter.lint_file(str(SEED_FILES[0]))
    assert not hasattr(result, "form") and not hasattr(result, "source")
    assert pickle.loads(pickle.dumps(result)) == result


def test_an_error_in_a_worker_reads_as_in_one_process(tmp_path: Path, capsys: Capture) -> None:
    """A configuration that only a worker reads (its schema-map is checked when its linter is built)."""
    archive = _archive(tmp_path / "forms", 2 * CHUNK)
    broken = archive / "zz-broken"
    _archive(broken, 3)
    (broken / ".alplint.yaml").write_text("schema-map:\n  '*.md': no-such-template\n")
    one = _report(capsys, "--jobs", "1", str(archive))
    two = _report(capsys, "--jobs", "2", str(archive))
    assert one[0] == two[0] == 2
    assert one[2] == two[2]
    assert "no template is named" in two[2] and "Traceback" not in two[2]


def test_ctrl_c_stops_every_process_cleanly(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "forms", 40 * CHUNK)
    run = subprocess.Popen(
        [sys.executable, "-m", "alplint", "--no-cache", "--jobs", "2", str(archive)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(2.5)
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: every process of the group
    _out, err = run.communicate(timeout=60)
    if run.returncode == 1:
        pytest.skip("the run ended before the interruption")
    assert run.returncode == 2
    assert err.decode().strip() == "alplint: interrupted"


def test_the_result_store_keeps_order_and_refuses_two_passes_at_once(linter: Linter) -> None:
    store = ResultStore()
    results = [linter.lint_file(str(path)) for path in SEED_FILES] * 5
    for result in results:
        store.append(result)
    assert list(store) == results and len(store) == len(results) and store[-1] == results[-1]
    first = iter(store)
    next(first)
    assert list(store) == results
    with pytest.raises(RuntimeError):
        next(first)
    store.close()


def test_the_streamed_json_report_is_the_document_json_text_writes(linter: Linter) -> None:
    results = [linter.lint_file(str(path)) for path in SEED_FILES]
    results.append(FileResult("odd\u202e\x1bname\udcff.md"))
    results.append(linter.lint_text("# T\n[[year:2024,]]\n[[type:experiment]]\n[[latlng:x]]\n", "t.md"))
    edits = (Edit(1, 2, 3, 1, 'a "quoted"\n\u2028\x7f\ttext'), Edit(4, 1, 5, 1, ""))
    fixes = [Fix("Remove \u202e it", "unsafe", ()), Fix("Two edits", "safe", edits)]
    problems = [Problem("f.md", 1, 1, 1, 2, "ALP201", "error", "m", fix) for fix in fixes]
    results.append(FileResult("f.md", problems))
    for kept in (results, results[:0]):
        report = Report(kept, Summary.of(kept, 2), linter.catalog.rules, {}, linter.catalog.family_of, "9")
        document = {
            "version": "9",
            "files": [file_entry(result, report) for result in kept],
            "summary": report.summary.as_dict(),
        }
        assert "".join(chunks(report)) == json_text(document)


def test_the_public_api_still_lints(tmp_path: Path) -> None:
    import alplint

    assert alplint.lint_text(EXPERIMENT_TAGS.replace("2024", "2024,")) != []
    _archive(tmp_path, 4)
    results = alplint.lint_paths([str(tmp_path)])
    assert [Path(result.path).name for result in results] == [f"form-{index:04d}.md" for index in range(4)]


def test_version_and_help_import_neither_the_engine_nor_jsonschema() -> None:
    for option in ("--version", "--help"):
        script = (
            "import sys; from alplint.cli import main\n"
            f"try:\n    main([{option!r}])\nexcept SystemExit:\n    pass\n"
            "heavy = [name for name in ('jsonschema', 'yaml', 'alplint.engine', 'alplint.rules', 'dataclasses')"
            " if name in sys.modules]\n"
            "print(heavy, file=sys.stderr)"
        )
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
        )
        assert run.stderr.strip() == "[]", option


def test_workers_collect_garbage_at_pythons_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    """The main process spaces its collections out (``cli.COLLECTOR_THRESHOLD``); a worker, the
    largest process of a run, parses forms and keeps Python's defaults."""
    import gc

    import alplint.runner as runner

    before, handler = gc.get_threshold(), signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(runner, "_checker", None)
    try:
        gc.set_threshold(100_000, 10, 10)
        runner._start_worker(Options(cache=False))
        assert gc.get_threshold() == runner.WORKER_COLLECTOR_THRESHOLDS == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
        signal.signal(signal.SIGINT, handler)
