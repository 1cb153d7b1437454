"""The cache: a run over files that have not changed reads their results instead of linting them.

Like ruff's, it lives in a ``.alplint_cache`` folder beside the configuration in use (the current
folder when there is none), holds a ``.gitignore`` that ignores it and a ``CACHEDIR.TAG``, and is
turned off by ``--no-cache`` or moved by ``--cache-dir`` (or ``ALPLINT_CACHE_DIR``).

What a result depends on is all in its key, so a result is never stale:

- the file: its path (as given and absolute) and its content.  An unchanged file is recognised
  by its size, modification and change times, inode and device without reading it, as git and
  ruff do; when any of them differs, or the file changed less than ``RACY_SECONDS`` before it
  was last checked (a second change within the same tick of a coarse clock would leave them
  all alike), its content is read and compared by hash instead, so touching a file or checking
  out another branch and back costs a read, never a lint;
- alplint: its version, the size and time of every file of the installed package (an editable
  install keeps its version while its rules change) and Python's version;
- the file's resolved configuration (every setting, the command line's included);
- the schemas: the content of every schema file, built-in and from ``schema-dirs``.

Messages are stored with their templates and arguments (``alplint.i18n.Message``), so the
language a report is written in needs no key.  Checked schemas are cached too (by content), so a
run does not parse and re-check the built-in schemas against the meta-schema each time.

Safety: each entry is written to a temporary file and renamed into place, so two runs at once
each see whole entries.  An entry is trusted only when it is a regular file owned by the user
running alplint, opened without following links, with alplint's header and the key it is read
for; anything else is a miss.  The folder is created with the user's umask, and a folder owned by
someone else is not used.  A folder that cannot be created or written (read-only) leaves the run
without a cache, silently.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alplint import __version__
from alplint.source import SourceText, read

try:  # hashlib would load OpenSSL as well, which a run over one form need not pay for
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python built without it)
    from hashlib import blake2b

if TYPE_CHECKING:
    from alplint.config import Config
    from alplint.engine import FileResult, Linter

CACHE_DIR_NAME = ".alplint_cache"
CACHE_DIR_VARIABLE = "ALPLINT_CACHE_DIR"
# Bumped when the layout of an entry changes.
FORMAT = 1
MAGIC = b"alplint-cache\x00" + bytes([FORMAT])
KEY_BYTES = 32
# A file modified this close to its last check is compared by content, not by its times.
RACY_SECONDS = 2
_RACY_NS = RACY_SECONDS * 1_000_000_000
_GITIGNORE = "# Created by alplint automatically.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by alplint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

# (size, modification time, change time, inode, device)
StatKey = tuple[int, int, int, int, int]


def default_folder(config: Config, cwd: Path | None = None) -> Path:
    """Where the cache lives: ``ALPLINT_CACHE_DIR``, else ``.alplint_cache`` beside the configuration
    in use, else in the current folder."""
    named = os.environ.get(CACHE_DIR_VARIABLE)
    if named:
        return Path(named)
    root = Path(config.path).parent if config.path else (cwd or Path.cwd())
    return root / CACHE_DIR_NAME


def open_cache(cache_dir: str | None, config: Config) -> Cache | None:
    """The cache in ``cache_dir`` (else ``default_folder``), or None when it cannot be used."""
    folder = Path(cache_dir) if cache_dir else default_folder(config)
    try:
        return Cache(folder)
    except OSError:
        return None


def _key(*parts: str | bytes) -> bytes:
    digest = blake2b(digest_size=KEY_BYTES)
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def content_digest(source: SourceText) -> bytes:
    """What identifies a file's content: its text and how it was encoded."""
    return _key(source.encoding, source.bom, source.text)


def _stat_key(info: os.stat_result) -> StatKey:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _package_stamp() -> str:
    """alplint's version, Python's, and the size and time of every file of the package."""
    package = Path(__file__).resolve().parent
    parts = [__version__, sys.version]
    for root, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            parts.append(
                f"{os.path.relpath(os.path.join(root, name), package)}:{info.st_size}:{info.st_mtime_ns}"
            )
    return "\n".join(parts)


def _schemas_stamp(schema_dirs: tuple[str, ...]) -> bytes:
    """The content of every schema file a linter with these ``schema-dirs`` loads."""
    from alplint.schema import builtin_schema_dir

    digest = blake2b(digest_size=KEY_BYTES)
    for folder in (builtin_schema_dir(), *map(Path, schema_dirs)):
        digest.update(os.fsencode(os.path.abspath(folder)) + b"\x00")
        try:
            names = sorted(folder.glob("*.yaml"))
        except OSError:
            continue
        for path in names:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"\xff unreadable"
            digest.update(os.fsencode(path.name) + b"\x00" + len(data).to_bytes(8, "little") + data)
    return digest.digest()


class _Entry:
    """A file about to be checked: where its entry goes, and the file as it was before reading it."""

    __slots__ = ("checked_ns", "path", "stat")

    def __init__(self, path: str, info: os.stat_result | None, checked_ns: int) -> None:
        self.path = path
        self.stat = _stat_key(info) if info is not None else None
        self.checked_ns = checked_ns


class Cache:
    """The entries of one cache folder (see the module's documentation)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._create(folder)
        self.root = os.path.join(folder, __version__)
        self.writable = True
        self._stamp = _package_stamp()
        self._fingerprints: dict[int, tuple[Linter, bytes]] = {}
        self.schemas = SchemaCache(self)

    @staticmethod
    def _create(folder: Path) -> None:
        """Make the folder (with its ``.gitignore`` and tag) when it is missing; refuse another user's."""
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                try:
                    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                except FileExistsError:
                    continue
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    handle.write(text)
            info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(str(folder))
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise PermissionError(f"{folder} belongs to another user")

    # --- entries ----------------------------------------------------------------------------

    def _fingerprint(self, linter: Linter) -> bytes:
        known = self._fingerprints.get(id(linter))
        if known is None or known[0] is not linter:
            config = linter.config
            fingerprint = _key(self._stamp, repr(config), _schemas_stamp(config.schema_dirs))
            known = self._fingerprints[id(linter)] = (linter, fingerprint)
        return known[1]

    def _location(self, key: bytes) -> str:
        name = key.hex()
        return os.path.join(self.root, name[:2], name[2:])

    def _file_key(self, path: str, linter: Linter) -> bytes:
        return _key(self._fingerprint(linter), os.path.abspath(path), path)

    def read_entry(self, key: bytes) -> Any:
        """The payload stored under ``key``, or None when there is none this user can trust."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            descriptor = os.open(self._location(key), flags)
        except OSError:
            return None
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            pieces = []
            while piece := os.read(descriptor, max(info.st_size, 4096)):
                pieces.append(piece)
            data = b"".join(pieces)
        except OSError:
            return None
        finally:
            os.close(descriptor)
        header = MAGIC + key
        if not data.startswith(header):
            return None
        try:
            return pickle.loads(memoryview(data)[len(header) :])
        except Exception:
            return None

    def write_entry(self, key: bytes, payload: Any) -> None:
        """Store ``payload`` under ``key``, whole or not at all; a folder that refuses turns writing off."""
        if not self.writable:
            return
        location = self._location(key)
        data = MAGIC + key + pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
        temporary = f"{location}.{os.getpid()}.tmp"
        try:
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(location), exist_ok=True)
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, location)
        except OSError:
            self.writable = False
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    # --- files ------------------------------------------------------------------------------

    def lookup(self, path: str, linter: Linter) -> FileResult | None:
        """The cached result of ``path`` for ``linter``, when the file is the one that was checked."""
        key = self._file_key(path, linter)
        stored = self.read_entry(key)
        if stored is None:
            return None
        stat_key, checked_ns, digest, result = stored
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        now = _stat_key(info)
        if now == stat_key and info.st_mtime_ns + _RACY_NS <= checked_ns:
            return result  # type: ignore[no-any-return]
        checked_ns = time.time_ns()
        source = read(path)
        if not isinstance(source, SourceText) or content_digest(source) != digest:
            return None
        if now != stat_key:
            # The same content with new times (touched, checked out again): remember them.
            self.write_entry(key, (now, checked_ns, digest, result))
        return result  # type: ignore[no-any-return]

    def begin(self, path: str) -> _Entry:
        """Note the file as it is before it is read, for ``store``."""
        checked_ns = time.time_ns()
        try:
            info: os.stat_result | None = os.stat(path)
        except (OSError, ValueError):
            info = None
        return _Entry(path, info, checked_ns)

    def store(self, entry: _Entry, linter: Linter, source: SourceText, result: FileResult) -> None:
        """Remember the result of the file ``begin`` noted, read as ``source``."""
        if entry.stat is None or not self.writable:
            return
        key = self._file_key(entry.path, linter)
        self.write_entry(key, (entry.stat, entry.checked_ns, content_digest(source), result))


class SchemaCache:
    """Schema documents already checked against the meta-schema, by the digest of their text."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _key(self, text: str) -> bytes:
        return _key("schema", self.cache._stamp, text)

    def get(self, text: str) -> Any:
        return self.cache.read_entry(self._key(text))

    def put(self, text: str, document: Any) -> None:
        self.cache.write_entry(self._key(text), document)


__all__ = ["CACHE_DIR_NAME", "CACHE_DIR_VARIABLE", "Cache", "SchemaCache", "default_folder", "open_cache"]
