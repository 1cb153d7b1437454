"""Writing a file safely: the one writer behind ``--fix`` (``write_files``, which writes the fixed
forms of a chunk together), ``--write-baseline`` and ``--output-file`` (``write_stream``, which
writes a report as it is produced).

The new bytes go to a temporary file in the target's folder, which is given
the target's owner, group, extended attributes (ACLs included, where the
platform has them) and permission bits, synced, and renamed over the target,
so a reader sees the old file or the new one, never half of each.

- A symbolic link is followed: the file it points to is written and the link
  stays a link.
- Only a regular file is written: a folder, a device (``/dev/full``), a named
  pipe or a socket at the path is refused (``NotRegularFileError``), never
  replaced by a file.
- A file the permission bits mark read-only is refused (``PermissionError``):
  renaming over it would work, but would ignore its owner's wish.
- A file with several hard links is written in place, as ruff and editors
  do: every name keeps seeing the same, fixed file.  A rename would split
  the links silently, leaving the other names with the old text.  An
  in-place write is not atomic (a crash of the machine in the middle leaves
  a mixed file), which is why it is kept for this case and the next.
- When the new file cannot be given the target's owner or one of its
  extended attributes (a user who may write a file but not give files away),
  or cannot be created at all (a writable file in a folder that is not), the
  file is written in place too, so nothing about it changes but its bytes.
- SIGINT, SIGTERM and SIGHUP are held while the file is written and
  delivered as soon as it is done (or abandoned and its temporary file
  removed): an interruption never leaves a temporary file behind nor a file
  half written.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from alplint.i18n import _

TEMPORARY_SUFFIX = ".alplint-tmp"
# What a user or a service manager sends to stop a run; see _signals_held.
_HELD_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class NotRegularFileError(OSError):
    """The path names something that is not a regular file (a folder, a device, a pipe)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("it is a folder, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("it is a device, not a regular file")
    if stat.S_ISFIFO(mode):
        return _("it is a named pipe, not a regular file")
    if stat.S_ISSOCK(mode):
        return _("it is a socket, not a regular file")
    return _("it is not a regular file")


def _refuse_unless_regular(info: os.stat_result, path: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(errno.EINVAL, _kind(info.st_mode), path)


def _refuse_if_read_only(info: os.stat_result, target: str, path: str) -> None:
    mode = stat.S_IMODE(info.st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, _("the file is read-only"), path)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stopping signals until the block ends; they are delivered then, in order.

    Blocking (rather than catching) them means no moment is unprotected: a
    signal arriving between creating the temporary file and the ``try`` that
    removes it waits, like any other, until the file is gone.
    """
    if not hasattr(signal, "pthread_sigmask") or not _HELD_SIGNALS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _sync_folder(folder: str) -> None:
    # Makes the rename itself durable; folders cannot be opened this way on every system.
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    with suppress(OSError):
        descriptor = os.open(folder, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _create_temporary(target: str, mode: int) -> tuple[int, str]:
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
        try:
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:
            continue


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


class _CannotKeep(Exception):
    """The new file cannot carry what the old one has (its owner, an attribute): write in place."""


def _xattrs(target: str | int) -> dict[str, bytes]:
    if not hasattr(os, "listxattr"):
        return {}
    try:
        return {name: os.getxattr(target, name) for name in os.listxattr(target)}
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return {}
        raise


def _keep_metadata(descriptor: int, info: os.stat_result, wanted: dict[str, bytes]) -> None:
    """Give the new file the old one's owner, group, extended attributes (``wanted``) and permission bits."""
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(descriptor, info.st_uid, info.st_gid)
        except PermissionError:
            raise _CannotKeep from None
    present = _xattrs(descriptor)
    try:
        for name, value in wanted.items():
            if present.get(name) != value:
                os.setxattr(descriptor, name, value)
        for name in present.keys() - wanted.keys():
            os.removexattr(descriptor, name)
    except OSError:
        raise _CannotKeep from None
    # After the owner (changing it clears set-user-ID bits) and the ACL (whose mask is the group bits).
    os.fchmod(descriptor, stat.S_IMODE(info.st_mode))


def _reserve(descriptor: int, size: int, wanted: int) -> None:
    """Make room for a longer text before overwriting anything, so a full disk fails the write cleanly."""
    if wanted <= size or not hasattr(os, "posix_fallocate"):
        return
    try:
        os.posix_fallocate(descriptor, 0, wanted)
    except OSError as error:
        if error.errno not in (errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
            raise


def _write_in_place(target: str, path: str, data: bytes, original: bytes | None) -> bool:
    # No O_TRUNC: the old bytes stay until the new ones are written.  O_NONBLOCK: a named pipe put
    # there meanwhile must not make open() wait for a reader before fstat() refuses it.
    flags = (
        os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    descriptor = os.open(target, flags)
    try:
        info = os.fstat(descriptor)
        _refuse_unless_regular(info, path)
        if original is not None:
            with os.fdopen(os.dup(descriptor), "rb") as handle:
                if handle.read() != original:
                    return False
        _reserve(descriptor, info.st_size, len(data))
        os.lseek(descriptor, 0, os.SEEK_SET)
        _write_all(descriptor, data)
        os.ftruncate(descriptor, len(data))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return True


@dataclass(slots=True)
class _Staged:
    """A new file written to its temporary file and given the target's metadata, not yet synced or renamed."""

    target: str
    temporary: str  # "" once renamed or removed
    descriptor: int  # -1 once closed
    original: bytes | None

    def close(self) -> None:
        if self.descriptor >= 0:
            descriptor, self.descriptor = self.descriptor, -1
            os.close(descriptor)

    def discard(self) -> None:
        self.close()
        if self.temporary:
            temporary, self.temporary = self.temporary, ""
            with suppress(FileNotFoundError):
                os.unlink(temporary)


def _stage(path: str, data: bytes, original: bytes | None) -> _Staged | bool:
    """Write ``data`` to a temporary file beside the target, or say at once how the write ends.

    False: the target changed (or is gone) since ``original`` was read; True: it was written in
    place (several hard links, a folder that takes no new file, an owner or attribute the new file
    cannot be given).
    """
    target = os.path.realpath(path)
    info = _writable(target, path)
    if info is None:
        if original is not None:
            return False
    else:
        if original is not None and _read_bytes(target) != original:
            return False
        if info.st_nlink > 1:
            return _write_in_place(target, path, data, original)
    # A new file is created as open() would create it (the umask applies); a replacement starts
    # private and gets the old file's mode once its owner is right.
    try:
        descriptor, temporary = _create_temporary(target, 0o666 if info is None else 0o600)
    except PermissionError:
        if info is None:
            raise
        # A writable file in a folder that is not: the only way to fix it is in place.
        return _write_in_place(target, path, data, original)
    staged = _Staged(target, temporary, descriptor, original)
    try:
        _write_all(descriptor, data)
        if info is not None:
            _keep_metadata(descriptor, info, _xattrs(target))
    except _CannotKeep:
        staged.discard()
        return _write_in_place(target, path, data, original)
    except BaseException:
        staged.discard()
        raise
    return staged


def _rename(staged: _Staged) -> bool:
    """Put a synced temporary file in its target's place; False (and no file left) if the target changed."""
    # Checked again as late as possible: linting and fixing took time.
    if staged.original is not None and _read_bytes(staged.target) != staged.original:
        staged.discard()
        return False
    os.replace(staged.temporary, staged.target)
    staged.temporary = ""
    return True


def _start_writeback(descriptor: int) -> None:
    """Let the system start writing a new file out before it is synced (a hint, where there is one).

    Linux starts the write-back for ``POSIX_FADV_DONTNEED`` (the new bytes are not read again):
    the files of a batch then reach the disk together, and syncing each after the first mostly
    finds it done rather than writing it then.
    """
    if hasattr(os, "posix_fadvise"):
        with suppress(OSError):
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)


# Files written together at most: each holds a descriptor open until it is synced.
_BATCH = 64


def write_files(writes: Sequence[tuple[str, bytes, bytes | None]]) -> list[bool | OSError]:
    """Write several files, each as ``write_file`` writes one: ``(path, data, original)`` each.

    Each file's result is what ``write_file`` would return for it (True, or False when it changed
    since ``original`` was read), or the ``OSError`` it would raise; one file's failure leaves the
    others alone, and its temporary file is removed.  Written together, they cost the disk less:
    every new file is written, and its write-back started, before any is synced, so that syncing
    each after the first mostly finds it written; then each is renamed, and each folder is synced
    once at the end rather than once a file.  Each file is still synced before it replaces the old
    one, and the stopping signals are held until the lot is written.
    """
    results: list[bool | OSError] = []
    for first in range(0, len(writes), _BATCH):
        results.extend(_write_batch(writes[first : first + _BATCH]))
    return results


def _write_batch(writes: Sequence[tuple[str, bytes, bytes | None]]) -> list[bool | OSError]:
    results: list[bool | OSError] = [False] * len(writes)
    staged: list[tuple[int, _Staged]] = []
    with _signals_held():
        try:
            for index, (path, data, original) in enumerate(writes):
                try:
                    stage = _stage(path, data, original)
                except OSError as error:
                    results[index] = error
                    continue
                if isinstance(stage, _Staged):
                    staged.append((index, stage))
                else:
                    results[index] = stage
            if len(staged) > 1:
                for _index, stage in staged:
                    _start_writeback(stage.descriptor)
            synced: list[tuple[int, _Staged]] = []
            for index, stage in staged:
                try:
                    try:
                        os.fsync(stage.descriptor)
                    finally:
                        stage.close()
                except OSError as error:
                    stage.discard()
                    results[index] = error
                else:
                    synced.append((index, stage))
            folders: dict[str, None] = {}
            for index, stage in synced:
                try:
                    renamed = results[index] = _rename(stage)
                except OSError as error:
                    stage.discard()
                    results[index] = error
                    continue
                if renamed:
                    folders[os.path.dirname(stage.target)] = None
        except BaseException:
            for _index, stage in staged:
                stage.discard()
            raise
        for folder in folders:
            _sync_folder(folder)
    return results


def write_file(path: str, data: bytes, *, original: bytes | None = None) -> bool:
    """Replace the file at ``path`` by ``data`` safely (see the module's documentation); create it if need be.

    With ``original``, the file must still hold exactly these bytes (what was
    read and fixed): if an editor saved it since, or it is gone, nothing is
    written and the result is False.  Otherwise the result is True.  Raises
    ``NotRegularFileError`` for what is not a regular file, ``PermissionError``
    for a read-only one and ``OSError`` for any other failure, always after
    removing the temporary file.
    """
    (result,) = write_files([(path, data, original)])
    if isinstance(result, OSError):
        raise result
    return result


def write_stream(path: str, chunks: Iterable[bytes]) -> None:
    """Write the bytes of ``chunks`` to ``path`` as ``write_file`` does, as they come: a report is
    written while the run goes on, so its whole text is never held in memory.

    A stopping signal is not held while the stream runs (a long run stays interruptible): it
    removes the temporary file and the target is left as it was.  A target with several hard
    links, or in a folder that cannot take a temporary file, is written in place once the stream
    has ended.  Raises as ``write_file`` does, before any chunk is read when the target is refused.
    """
    target = os.path.realpath(path)
    info = _writable(target, path)
    if info is not None and info.st_nlink > 1:
        write_file(path, b"".join(chunks))
        return
    temporary = ""
    try:
        with _signals_held():
            try:
                descriptor, temporary = _create_temporary(target, 0o666 if info is None else 0o600)
            except PermissionError:
                if info is None:
                    raise
        if not temporary:
            # A writable file in a folder that is not: written in place, which needs the whole text.
            write_file(path, b"".join(chunks))
            return
        try:
            for chunk in chunks:
                _write_all(descriptor, chunk)
            with _signals_held():
                if info is not None:
                    _keep_metadata(descriptor, info, _xattrs(target))
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        with _signals_held():
            os.replace(temporary, target)
    except _CannotKeep:
        data = _read_bytes(temporary) or b""
        os.unlink(temporary)
        with _signals_held():
            _write_in_place(target, path, data, None)
        return
    except BaseException:
        if temporary:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    _sync_folder(os.path.dirname(target))


def _writable(target: str, path: str) -> os.stat_result | None:
    """The target's status (None when there is none yet), once it is known to be a writable regular file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    _refuse_unless_regular(info, path)
    _refuse_if_read_only(info, target, path)
    return info


__all__ = ["TEMPORARY_SUFFIX", "NotRegularFileError", "write_file", "write_files", "write_stream"]
