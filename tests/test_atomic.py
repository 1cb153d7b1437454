"""The one writer of files: atomic, faithful to the file's owner and attributes, never over a device."""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import alplint.atomic
from alplint.atomic import TEMPORARY_SUFFIX, NotRegularFileError, write_file, write_files, write_stream
from tests.conftest import ROOT

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")


def leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name not in keep)


def test_a_new_file_is_created_as_open_would_create_it(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    umask = os.umask(0o027)
    try:
        assert write_file(str(path), b"{}\n")
    finally:
        os.umask(umask)
    assert path.read_bytes() == b"{}\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path, "report.json") == []


def test_a_file_that_vanished_is_not_fixed(tmp_path: Path) -> None:
    assert not write_file(str(tmp_path / "gone.md"), b"new\n", original=b"old\n")
    assert leftovers(tmp_path) == []


def test_a_symbolic_link_is_written_through_even_to_a_new_file(tmp_path: Path) -> None:
    (tmp_path / "baselines").mkdir()
    link = tmp_path / "baseline.json"
    link.symlink_to(tmp_path / "baselines" / "current.json")  # dangling until written
    assert write_file(str(link), b"{}\n")
    assert link.is_symlink()
    assert (tmp_path / "baselines" / "current.json").read_bytes() == b"{}\n"


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, AttributeError):
        pytest.skip("cannot create a device here")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "it is a named pipe, not a regular file"),
        (_device, "it is a device, not a regular file"),
        (os.mkdir, "it is a folder, not a file"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_and_left_alone(
    tmp_path: Path, make: object, kind: str
) -> None:
    target = tmp_path / "target"
    make(target)  # type: ignore[operator]
    before = target.lstat()
    link = tmp_path / "link"
    link.symlink_to(target)
    for path in (target, link):
        with pytest.raises(NotRegularFileError, match=kind):
            write_file(str(path), b"data\n")
    after = target.lstat()
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert link.is_symlink()
    assert leftovers(tmp_path, "target", "link") == []


@needs_root
def test_owner_group_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\n")
    os.chown(path, 4321, 8765)
    path.chmod(0o2640)  # set-group-ID: cleared by a change of owner unless set again after it
    assert write_file(str(path), b"new\n", original=b"old\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 8765, 0o2640)
    assert path.read_bytes() == b"new\n"


def _set_xattr(path: Path, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value)
    except (OSError, AttributeError) as error:
        if isinstance(error, AttributeError) or error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip("the file system refuses user extended attributes")
        raise


def test_extended_attributes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\n")
    _set_xattr(path, "user.reviewed-by", b"ana")
    assert write_file(str(path), b"new\n", original=b"old\n")
    assert os.getxattr(path, "user.reviewed-by") == b"ana"
    assert path.read_bytes() == b"new\n"


def test_a_hard_linked_file_is_written_in_place_for_every_name(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old text\n")
    other = tmp_path / "same-form.md"
    os.link(path, other)
    inode = path.stat().st_ino
    assert write_file(str(path), b"new\n", original=b"old text\n")
    assert other.read_bytes() == path.read_bytes() == b"new\n"
    assert (path.stat().st_ino, path.stat().st_nlink) == (inode, 2)
    assert leftovers(tmp_path, "form.md", "same-form.md") == []


def test_a_hard_linked_file_changed_meanwhile_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"saved by an editor\n")
    os.link(path, tmp_path / "same-form.md")
    assert not write_file(str(path), b"new\n", original=b"what alplint read\n")
    assert path.read_bytes() == b"saved by an editor\n"


@needs_root
def test_a_file_whose_owner_cannot_be_given_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user who may write a file that someone else owns meets: fchown refused.
    path = tmp_path / "form.md"
    path.write_bytes(b"old text\n")
    os.chown(path, 4321, 8765)

    def not_allowed(descriptor: int, uid: int, gid: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", not_allowed)
    before = path.stat()
    assert write_file(str(path), b"new\n", original=b"old text\n")
    after = path.stat()
    assert (after.st_ino, after.st_uid, after.st_gid) == (before.st_ino, before.st_uid, before.st_gid)
    assert path.read_bytes() == b"new\n"
    assert leftovers(tmp_path, "form.md") == []


def test_a_file_whose_attributes_cannot_be_copied_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old text\n")
    _set_xattr(path, "user.reviewed-by", b"ana")

    def not_allowed(target: object, name: str, value: bytes) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "setxattr", not_allowed)
    inode = path.stat().st_ino
    assert write_file(str(path), b"new\n", original=b"old text\n")
    assert path.stat().st_ino == inode
    assert os.getxattr(path, "user.reviewed-by") == b"ana"
    assert path.read_bytes() == b"new\n"
    assert leftovers(tmp_path, "form.md") == []


# A loop of writes of a large file, to be interrupted.
_WRITER = """
import sys
from alplint.atomic import write_file
data = b"x" * (32 * 1024 * 1024)
print("ready", flush=True)
while True:
    write_file(sys.argv[1], data)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_never_leaves_a_temporary_file(tmp_path: Path, signal_number: int) -> None:
    target = tmp_path / "report.json"
    for attempt in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert writer.stdout is not None
        writer.stdout.readline()
        # Wait for the temporary file, so that the signal comes while it exists.
        deadline = time.monotonic() + 30
        while not any(name.endswith(TEMPORARY_SUFFIX) for name in os.listdir(tmp_path)):
            assert time.monotonic() < deadline, "no temporary file was ever seen"
        time.sleep(attempt * 0.003)
        writer.send_signal(signal_number)
        assert writer.wait(timeout=30) != 0
        assert leftovers(tmp_path, "report.json") == []
        if target.exists():  # the old file or the new one, never a part
            assert target.stat().st_size == 32 * 1024 * 1024


def test_a_writable_file_in_a_folder_that_is_not_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old text\n")

    def folder_not_writable(target: str, mode: int) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(alplint.atomic, "_create_temporary", folder_not_writable)
    inode = path.stat().st_ino
    assert write_file(str(path), b"new\n", original=b"old text\n")
    assert (path.stat().st_ino, path.read_bytes()) == (inode, b"new\n")
    with pytest.raises(PermissionError):
        write_file(str(tmp_path / "new-report.json"), b"{}\n")


_IN_PLACE_WRITER = """
import sys
from alplint.atomic import write_file
try:
    write_file(sys.argv[1], b"new " * 100, original=b"old text\\n" * 10)
except OSError as error:
    print(error.strerror)
"""


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_an_in_place_write_that_cannot_grow_the_file_changes_nothing(tmp_path: Path) -> None:
    # A hard-linked form (written in place) that the fix makes longer, on a disk with no room for it.
    path = tmp_path / "form.md"
    path.write_bytes(b"old text\n" * 10)
    os.link(path, tmp_path / "same-form.md")
    run = subprocess.run(
        [sys.executable, "-c", _IN_PLACE_WRITER, str(path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=True,
        preexec_fn=_limit_file_size,
    )
    assert run.stdout.strip() == b"File too large"
    assert path.read_bytes() == b"old text\n" * 10


# --- several files written together (write_files, for --fix) -------------------------------------------


def test_files_written_together_each_end_as_written_alone(tmp_path: Path) -> None:
    written, changed, read_only, folder = (tmp_path / name for name in ("a.md", "b.md", "c.md", "d.md"))
    for path in (written, changed, read_only):
        path.write_bytes(b"old\n")
    read_only.chmod(0o444)
    folder.mkdir()
    results = write_files(
        [
            (str(written), b"new\n", b"old\n"),
            (str(changed), b"new\n", b"what alplint read\n"),
            (str(read_only), b"new\n", b"old\n"),
            (str(folder), b"new\n", None),
            (str(tmp_path / "new.json"), b"{}\n", None),
        ]
    )
    assert results[0] is True and results[1] is False and results[4] is True
    assert isinstance(results[2], PermissionError) and isinstance(results[3], NotRegularFileError)
    assert [path.read_bytes() for path in (written, changed, read_only)] == [b"new\n", b"old\n", b"old\n"]
    assert leftovers(tmp_path, "a.md", "b.md", "c.md", "d.md", "new.json") == []


def test_files_written_together_are_each_synced_before_they_replace_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tmp_path / folder / f"form-{index}.md" for folder in ("one", "two") for index in range(3)]
    for path in paths:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"old\n")
    synced: set[int] = set()
    folders: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        real_fsync(descriptor)
        synced.add(os.fstat(descriptor).st_ino)

    def replace(source: str, target: str) -> None:
        assert os.stat(source).st_ino in synced, "a file replaced the old one before it was synced"
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(alplint.atomic, "_sync_folder", folders.append)
    assert write_files([(str(path), b"new\n", b"old\n") for path in paths]) == [True] * len(paths)
    assert all(path.read_bytes() == b"new\n" for path in paths)
    assert folders == [str(tmp_path / "one"), str(tmp_path / "two")]


def test_a_failure_while_writing_together_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    for path in (first, second):
        path.write_bytes(b"old\n")
    real_replace = os.replace

    def disk_full_for_the_second(source: str, target: str) -> None:
        if target == str(second):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", disk_full_for_the_second)
    results = write_files([(str(path), b"new\n", b"old\n") for path in (first, second)])
    assert results[0] is True and isinstance(results[1], OSError) and results[1].errno == errno.ENOSPC
    assert (first.read_bytes(), second.read_bytes()) == (b"new\n", b"old\n")
    assert leftovers(tmp_path, "first.md", "second.md") == []

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_files([(str(path), b"newer\n", None) for path in (first, second)])
    assert (first.read_bytes(), second.read_bytes()) == (b"new\n", b"old\n")
    assert leftovers(tmp_path, "first.md", "second.md") == []


# --- a report written as the run goes (write_stream) -------------------------------------------------


def test_a_stream_is_written_as_it_comes_and_renamed_at_its_end(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"the old report")
    seen: list[list[bytes]] = []

    def chunks() -> Iterator[bytes]:
        yield b"first "
        seen.append([p.read_bytes() for p in tmp_path.iterdir() if p.name.endswith(TEMPORARY_SUFFIX)])
        assert target.read_bytes() == b"the old report"
        yield b"second"

    write_stream(str(target), chunks())
    assert seen == [[b"first "]]  # on disk already, not kept in memory
    assert target.read_bytes() == b"first second"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_stream_stopped_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"the old report")

    def chunks() -> Iterator[bytes]:
        yield b"first "
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_stream(str(target), chunks())
    assert target.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_stream_to_what_is_not_a_regular_file_is_refused_before_it_starts(tmp_path: Path) -> None:
    started: list[bool] = []

    def chunks() -> Iterator[bytes]:
        started.append(True)
        yield b"x"

    with pytest.raises(NotRegularFileError):
        write_stream("/dev/null", chunks())
    assert started == []
