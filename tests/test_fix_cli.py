"""``alplint --fix`` on real files: it changes a form's bytes and nothing else about it.

The file keeps its owner, group, mode and extended attributes, every hard
link sees the fix, a stopping signal never leaves a temporary file, and a fix
loop that does not settle says so.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import alplint.fix
from alplint.cli import main
from alplint.engine import Linter
from alplint.fix import FixResult
from alplint.options import Options
from alplint.problem import Edit, Fix, Problem
from alplint.runner import Checker, FileOutcome
from tests.conftest import EXPERIMENT_TAGS, OPENING_SEED, ROOT

Capture = pytest.CaptureFixture[str]

UNTIDY = EXPERIMENT_TAGS.replace("[[year:2024]]", "[[year:2024.]]")
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "form.md"
    path.write_text(UNTIDY)
    return path


@needs_root
def test_fix_keeps_the_owner_group_and_mode(form: Path, capsys: Capture) -> None:
    # Run as root on someone else's private form: it must stay theirs, and readable by them.
    os.chown(form, 4321, 8765)
    form.chmod(0o640)
    assert main(["--fix", str(form)]) == 0
    assert capsys.readouterr().err == "Fixed 1 problem in 1 file.\n"
    info = form.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 8765, 0o640)
    assert form.read_text() == EXPERIMENT_TAGS


def test_fix_keeps_extended_attributes(form: Path, capsys: Capture) -> None:
    try:
        os.setxattr(form, "user.reviewed-by", b"ana")
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip("the file system refuses user extended attributes")
        raise
    assert main(["--fix", str(form)]) == 0
    assert os.getxattr(form, "user.reviewed-by") == b"ana"
    assert form.read_text() == EXPERIMENT_TAGS


def test_fix_writes_a_hard_linked_form_in_place(form: Path, capsys: Capture) -> None:
    # Decision: as ruff and editors do, every name of the file sees the fix; the link is not split.
    other = form.parent / "copy-in-another-name.md"
    os.link(form, other)
    inode = form.stat().st_ino
    assert main(["--fix", str(form)]) == 0
    assert other.read_text() == form.read_text() == EXPERIMENT_TAGS
    assert (form.stat().st_ino, form.stat().st_nlink) == (inode, 2)
    assert sorted(os.listdir(form.parent)) == ["copy-in-another-name.md", "form.md"]


def _large_form() -> bytes:
    # About 5 MB: writing and syncing it takes long enough for its temporary file to be seen.
    answer = ("Plain words of an answer that go on and on. " * 20 + "\n\n") * 6000
    return (UNTIDY + "\n" + answer).encode()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_fix_never_leaves_a_temporary_file(tmp_path: Path) -> None:
    """SIGTERM at the moment alplint writes (its temporary file seen), then at moments across the run."""
    data = _large_form()
    path = tmp_path / "form.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "alplint", "--fix", "form.md"]

    def start() -> subprocess.Popen[bytes]:
        path.write_bytes(data)
        return subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def check(run: subprocess.Popen[bytes]) -> None:
        run.wait(timeout=60)
        assert sorted(os.listdir(tmp_path)) == ["form.md"]
        assert path.read_bytes() in (data, data.replace(b"[[year:2024.]]", b"[[year:2024]]", 1))

    started = time.monotonic()
    check(start())
    whole_run = time.monotonic() - started
    for _attempt in range(2):
        run = start()
        deadline = time.monotonic() + 60
        while not any(name.startswith(".form.md.") for name in os.listdir(tmp_path)):
            assert run.poll() is None, "alplint ended without ever writing a temporary file"
            assert time.monotonic() < deadline
        run.send_signal(signal.SIGTERM)
        check(run)
    for step in range(1, 4):
        run = start()
        time.sleep(whole_run * step / 4)
        run.send_signal(signal.SIGTERM)
        check(run)


def test_a_fix_loop_that_does_not_settle_says_so(
    form: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two fixes that undo each other (a rule bug): the loop stops at its cap and names the file."""
    real_fix_loop = alplint.fix.fix_loop

    def flip(text: str) -> list[Problem]:
        first = text[2]  # the title's first letter, turned to the other case for ever
        fix = Fix("Flip", "safe", (Edit(1, 3, 1, 4, first.swapcase()),))
        return [Problem(str(form), 1, 3, 1, 4, "ALP207", "warning", "flip", fix)]

    def undecided(
        path: str, text: str, problems: Sequence[Problem], relint: Any, **options: Any
    ) -> FixResult:
        relint_flip: Callable[[str], list[Problem]] = flip
        return real_fix_loop(path, text, flip(text), relint_flip, **options)

    monkeypatch.setattr(alplint.fix, "fix_loop", undecided)
    main(["--fix", str(form)])
    err = capsys.readouterr().err
    assert f"alplint: {form}: the fixes did not settle" in err
    assert "please report this" in err
    # The letter flipped back to where it was: the circle is left out, nothing was fixed.
    assert err.endswith("No problems fixed.\n")


# --- the fixed forms of a chunk, written together (Checker.check_all) ------------------------------------


def _untidy_forms(folder: Path, count: int) -> list[str]:
    folder.mkdir(exist_ok=True)
    for index in range(count):
        (folder / f"form-{index}.md").write_text(UNTIDY)
    return [str(folder / f"form-{index}.md") for index in range(count)]


def _fixing_checker() -> Checker:
    return Checker(Options(fix=True, cache=False))


def test_forms_fixed_together_are_each_written(tmp_path: Path) -> None:
    paths = _untidy_forms(tmp_path, 3)
    outcomes = _fixing_checker().check_all(paths)
    assert [(outcome.fixed, outcome.changed, outcome.warnings) for outcome in outcomes] == [(1, True, ())] * 3
    assert all(Path(path).read_text() == EXPERIMENT_TAGS for path in paths)
    assert all(outcome.result.problems == [] for outcome in outcomes)
    assert sorted(os.listdir(tmp_path)) == ["form-0.md", "form-1.md", "form-2.md"]


def test_a_form_that_cannot_be_written_keeps_its_problems_and_says_why(tmp_path: Path) -> None:
    paths = _untidy_forms(tmp_path, 3)
    # Its problems as read, every one: the stray commas fixing would have removed, and the others.
    Path(paths[1]).write_bytes(OPENING_SEED.read_bytes())
    Path(paths[1]).chmod(0o444)
    outcomes = _fixing_checker().check_all(paths)
    assert [(outcome.fixed, outcome.changed) for outcome in outcomes] == [(1, True), (0, False), (1, True)]
    assert outcomes[1].warnings == (
        f"{paths[1]} was not fixed: it cannot be written (the file is read-only)",
    )
    assert outcomes[1].result == Linter().lint_file(paths[1])
    assert [problem.code for problem in outcomes[1].result.problems] == ["ALP207", "ALP207", "ALP407"]
    assert Path(paths[1]).read_bytes() == OPENING_SEED.read_bytes()
    assert [Path(paths[index]).read_text() for index in (0, 2)] == [EXPERIMENT_TAGS] * 2


def test_a_form_changed_after_it_was_checked_is_left_as_it_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _untidy_forms(tmp_path, 2)
    Path(paths[0]).write_bytes(OPENING_SEED.read_bytes())
    checker = _fixing_checker()
    check = checker._check

    def editor_saves_the_first_meanwhile(path: str, writes: list[Any]) -> FileOutcome:
        outcome = check(path, writes)
        if path == paths[1]:
            Path(paths[0]).write_text("Saved by an editor.\n")
        return outcome

    monkeypatch.setattr(checker, "_check", editor_saves_the_first_meanwhile)
    first, second = checker.check_all(paths)
    # Reported as it was read and checked, every problem.
    assert (first.fixed, first.changed) == (0, False)
    assert first.result == Linter().lint_bytes(OPENING_SEED.read_bytes(), paths[0])
    assert first.warnings == (
        f"{paths[0]} was not fixed: it changed on disk while alplint was checking it; run alplint --fix again",
    )
    assert Path(paths[0]).read_text() == "Saved by an editor.\n"
    assert (second.changed, Path(paths[1]).read_text()) == (True, EXPERIMENT_TAGS)


def test_a_form_whose_fixes_change_nothing_is_reported_whole_and_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(OPENING_SEED.read_bytes())

    def nothing_changes(
        path: str, text: str, problems: Sequence[Problem], relint: Any, **options: Any
    ) -> FixResult:
        return FixResult(path, text, text, converged=False)

    monkeypatch.setattr(alplint.fix, "fix_loop", nothing_changes)
    checker = Checker(Options(fix=True, cache_dir=str(tmp_path / "cache")))
    (outcome,) = checker.check_all([str(path)])
    assert (outcome.fixed, outcome.changed) == (0, False)
    assert outcome.result == Linter().lint_file(str(path))
    assert outcome.record is not None


@pytest.mark.parametrize("link", [os.link, os.symlink])
def test_another_name_for_a_fixed_form_is_read_once_the_fix_is_written(
    tmp_path: Path, link: Callable[[str, str], None]
) -> None:
    # Checked one at a time, the second name finds the form fixed already: nothing to fix, no warning.
    (path,) = _untidy_forms(tmp_path, 1)
    other = str(tmp_path / "another-name.md")
    link(path, other)
    outcomes = _fixing_checker().check_all([path, other])
    assert [(outcome.fixed, outcome.changed, outcome.warnings) for outcome in outcomes] == [
        (1, True, ()),
        (0, False, ()),
    ]
    assert outcomes[1].result.problems == [] and Path(other).read_text() == EXPERIMENT_TAGS


def test_an_error_while_checking_writes_the_forms_fixed_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _untidy_forms(tmp_path, 3)
    checker = _fixing_checker()
    check = checker._check

    def fails_on_the_last(path: str, writes: list[Any]) -> FileOutcome:
        if path == paths[2]:
            raise RuntimeError("a bug in a rule")
        return check(path, writes)

    monkeypatch.setattr(checker, "_check", fails_on_the_last)
    with pytest.raises(RuntimeError, match="a bug in a rule"):
        checker.check_all(paths)
    assert [Path(path).read_text() for path in paths] == [EXPERIMENT_TAGS, EXPERIMENT_TAGS, UNTIDY]
