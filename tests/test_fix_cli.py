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
from alplint.fix import FixResult
from alplint.problem import Edit, Fix, Problem
from tests.conftest import EXPERIMENT_TAGS, ROOT

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
