from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from alplint.baseline import BASELINE_VERSION, Baseline, load_baseline, normalise_path, write_baseline
from alplint.engine import FileResult, Linter
from alplint.errors import BaselineError
from alplint.problem import Problem
from tests.conftest import OPENING_SEED

TWEET_ENTITY = "carbon footprint &amp;amp; sequestration"


@pytest.fixture
def form(tmp_path: Path) -> Path:
    """The opening seed with its answers' entities escaped twice and an image without description:
    problems of three kinds (ALP603, ALP601 and the seed's own)."""
    path = tmp_path / "opening.md"
    lines = OPENING_SEED.read_text(encoding="utf-8").split("\n")
    for number in (111, 216):
        lines[number - 1] = lines[number - 1].replace("&amp;", "&amp;amp;")
    path.write_text("\n".join(lines).replace("![Missing alt text]", "![]"), encoding="utf-8")
    return path


def _subjects(result: FileResult) -> list[tuple[str, str]]:
    return [(problem.code, problem.subject) for problem in result.problems]


def test_a_fresh_baseline_silences_every_problem_of_the_form(
    linter: Linter, form: Path, tmp_path: Path
) -> None:
    result = linter.lint_file(str(form))
    baseline_file = tmp_path / "baseline.json"

    recorded = write_baseline(baseline_file, [result])

    assert recorded == len(result.problems) == 6
    assert load_baseline(baseline_file).filter(result).problems == []


def test_moved_problems_stay_silent_and_a_new_one_is_reported(
    linter: Linter, form: Path, tmp_path: Path
) -> None:
    before = linter.lint_file(str(form))
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [before])
    lines = form.read_text(encoding="utf-8").split("\n")
    # Lines inserted above every old problem, and a new untidy tag among them.
    lines[1:1] = ["", "[[thematic_areas:water management,]]", ""]
    form.write_text("\n".join(lines), encoding="utf-8")

    after = linter.lint_file(str(form))
    new = load_baseline(baseline_file).filter(after)

    moved = [problem for problem in after.problems if problem.line > 3]
    assert [problem.line for problem in moved] == [problem.line + 3 for problem in before.problems]
    assert _subjects(new) == [("ALP207", "thematic_areas:water management")]
    assert new.problems[0].line == 3


def test_a_repeated_problem_beyond_the_recorded_count_is_reported_once(
    linter: Linter, form: Path, tmp_path: Path
) -> None:
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [linter.lint_file(str(form))])
    text = form.read_text(encoding="utf-8")
    form.write_text(text.rstrip("\n") + " Tom &amp;amp; Jerry helped.\n", encoding="utf-8")

    after = linter.lint_file(str(form))
    new = load_baseline(baseline_file).filter(after)

    assert [problem.code for problem in after.problems].count("ALP603") == 3
    assert _subjects(new) == [("ALP603", "&amp;amp;")]
    assert new.problems[0].line == max(p.line for p in after.problems if p.code == "ALP603")


def test_a_fixed_problem_leaves_the_others_known(linter: Linter, form: Path, tmp_path: Path) -> None:
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [linter.lint_file(str(form))])
    form.write_text(
        form.read_text(encoding="utf-8").replace(TWEET_ENTITY, "carbon footprint & sequestration"),
        encoding="utf-8",
    )

    after = linter.lint_file(str(form))

    assert load_baseline(baseline_file).filter(after).problems == []


def test_the_file_is_sorted_indented_and_versioned(linter: Linter, form: Path, tmp_path: Path) -> None:
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [linter.lint_file(str(form))])
    text = baseline_file.read_text(encoding="utf-8")
    document = json.loads(text)

    assert document["version"] == BASELINE_VERSION
    assert "alplint" in document
    entries = document["files"][normalise_path(str(form))]
    keys = [(entry["code"], entry["subject"]) for entry in entries]
    assert keys == sorted(keys)
    assert {"code": "ALP603", "subject": "&amp;amp;", "count": 2} in entries
    assert "\n  " in text and text.endswith("\n")


def test_files_are_keyed_by_their_path_as_given_with_forward_slashes(
    linter: Linter, form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [linter.lint_file("./opening.md")])

    assert list(json.loads(baseline_file.read_text(encoding="utf-8"))["files"]) == ["opening.md"]
    assert load_baseline(baseline_file).filter(linter.lint_file("opening.md")).problems == []
    assert len(load_baseline(baseline_file).filter(linter.lint_file(str(form))).problems) == 6


def test_a_problem_without_subject_is_keyed_by_its_message(tmp_path: Path) -> None:
    def problem(line: int, message: str) -> Problem:
        return Problem("a.md", line, 1, line, 2, "ALP104", "error", message)

    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [FileResult("a.md", [problem(3, "Stray </div>")])])
    later = FileResult("a.md", [problem(9, "Stray </div>"), problem(12, "Another message")])

    assert [p.message for p in load_baseline(baseline_file).filter(later).problems] == ["Another message"]


def test_writing_replaces_the_old_baseline_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    baseline_file = tmp_path / "baseline.json"
    baseline_file.write_text("old", encoding="utf-8")

    assert write_baseline(baseline_file, [FileResult("a.md", [])]) == 0

    assert json.loads(baseline_file.read_text(encoding="utf-8"))["files"] == {}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["baseline.json"]


def test_writing_into_a_missing_folder_is_a_baseline_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"cannot write the baseline file .*nowhere"):
        write_baseline(tmp_path / "nowhere" / "baseline.json", [])


def test_a_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "baseline.json"
    with pytest.raises(BaselineError) as caught:
        load_baseline(missing)
    assert str(caught.value) == (
        f"the baseline file {missing} does not exist; create it with --write-baseline {missing}"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"version": 1, "files": {', r"is not valid JSON \(line 1, column 26: Expecting property name"),
        ("[]", r'is not an alplint baseline: expected an object with "version" and "files"'),
        ('{"version": 99, "files": {}}', r'its "version" is 99, this alplint reads version 1'),
        ('{"version": 1, "files": {"a.md": {}}}', r'the entry of "a.md" must be a list of problems'),
        (
            '{"version": 1, "files": {"a.md": [{"code": "ALP401", "subject": "x", "count": 0}]}}',
            r'problem 1 of "a.md" needs a "count" of 1 or more',
        ),
        (
            '{"version": 1, "files": {"a.md": [{"code": "ALP401", "count": 1}]}}',
            r'problem 1 of "a.md" needs a text "code" and "subject"',
        ),
    ],
)
def test_a_broken_baseline_names_the_file_and_what_is_wrong(
    tmp_path: Path, content: str, expected: str
) -> None:
    baseline_file = tmp_path / "baseline.json"
    baseline_file.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=expected) as caught:
        load_baseline(baseline_file)
    message = str(caught.value)
    assert str(baseline_file) in message
    assert message.endswith(f"write it again with --write-baseline {baseline_file}")


def test_a_baseline_of_no_problems_filters_nothing(linter: Linter, form: Path) -> None:
    result = linter.lint_file(str(form))
    assert Baseline.of([]).filter(result).problems == result.problems


# --- where the baseline is written (issue 10, item 19) --------------------------------------------------


def test_writing_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "baseline.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "baseline.json"
    link.symlink_to(real)

    write_baseline(link, [FileResult("a.md", [])])

    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["files"] == {}


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, AttributeError):
        pytest.skip("cannot create a device here")


@pytest.mark.parametrize(("make", "kind"), [(os.mkfifo, "named pipe"), (_device, "device")])
def test_a_device_or_a_pipe_is_refused_not_replaced(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    # As root, the baseline once replaced /dev/full by a regular file.
    target = tmp_path / "full"
    make(target)
    link = tmp_path / "baseline.json"
    link.symlink_to(target)
    for path in (target, link):
        with pytest.raises(BaselineError, match=f"cannot write the baseline file .*: it is a {kind}"):
            write_baseline(path, [FileResult("a.md", [])])
    assert not stat.S_ISREG(target.lstat().st_mode)
    assert link.is_symlink()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["baseline.json", "full"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_rewriting_a_baseline_keeps_its_owner_and_mode(tmp_path: Path) -> None:
    baseline_file = tmp_path / "baseline.json"
    baseline_file.write_text("old", encoding="utf-8")
    os.chown(baseline_file, 4321, 8765)
    baseline_file.chmod(0o664)
    write_baseline(baseline_file, [FileResult("a.md", [])])
    info = baseline_file.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 8765, 0o664)


def test_filter_all_counts_the_problems_it_hides(linter: Linter, form: Path) -> None:
    result = linter.lint_file(str(form))
    baseline = Baseline.of([result])
    other = FileResult("other.md", [Problem("other.md", 3, 1, 3, 2, "ALP104", "error", "Stray </div>")])
    filtered, hidden = baseline.filter_all([result, other])
    assert hidden == len(result.problems) > 0
    assert [entry.problems for entry in filtered] == [[], other.problems]


def test_a_baseline_nested_too_deeply_is_a_baseline_error_not_a_configuration_one(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(BaselineError, match="nested too deeply to be an alplint baseline"):
        load_baseline(baseline)
