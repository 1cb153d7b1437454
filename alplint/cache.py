"""The cache: a run over files that have not changed reads their results instead of linting them.

Like ruff's, it lives in a ``.alplint_cache`` folder beside the configuration in use (the current
folder when there is none), holds a ``.gitignore`` that ignores it and a ``CACHEDIR.TAG``, and is
turned off by ``--no-cache`` or moved by ``--cache-dir`` (or ``ALPLINT_CACHE_DIR``).

What a result depends on is all in its key, so a result is never stale:

- the file: its path (as given, and the folder it is relative to) and its content.  An unchanged
  file is recognised by its size, modification and change times, inode and device without reading
  it, as git and ruff do; when any of them differs, or the file changed less than ``RACY_SECONDS``
  before it was last checked (a second change within the same tick of a coarse clock would leave
  them all alike), its content is read and compared by hash instead, so touching a file or
  checking out another branch and back costs a read, never a lint;
- alplint: its version, the size and time of every file of the installed package (an editable
  install keeps its version while its rules change) and Python's version;
- the file's resolved configuration (every setting, the command line's included);
- the schemas: the content of every schema file, built-in and from ``schema-dirs``.

Layout: as ruff keeps one cache file per package, alplint keeps one index per fingerprint (the
last three together: alplint, a configuration and its schemas) and folder of the file (as its key
names it), ``<version>/results-<hash of both>``, holding each file's entry: its stat key, when it
was checked, its content's hash and its result in a compact form (plain tuples and dictionaries;
messages keep their templates and arguments, ``alplint.i18n.Message``, so the language a report is
written in needs no key).  Files are found folder by folder, so a run reads a folder's index when a
file first needs it and keeps at most ``OPEN_INDEXES`` indexes, the ones used last: the one it no
longer needs is written, when this run changed it, and dropped, so memory does not grow with the
number of files, and a run over one form reads only its folder's index.  A file whose result comes
back (from a worker) after its index was dropped reads the index again: never a wrong result.  A
``linter-<fingerprint>`` file says a run with that fingerprint built its linter.  Entries of files
this run did not see are kept (linting one file does not forget the rest of its folder) unless the
file is gone, and an index holds at most ``MAX_ENTRIES``, the entries seen last kept first, so it
never grows without bound.  Checked schemas are cached too (``<version>/schema-<hash of the
text>``), so a run does not parse and re-check the built-in schemas against the meta-schema each
time.

Safety: a file is written to a temporary file and renamed into place, so a reader sees a whole
file, never half of one.  Two runs at once each read an index, and each writes it merged with
what the other wrote in between; when both write at the same moment the last one wins, which costs
the other's new entries a lint next time, never a wrong result.  A file of the cache is trusted
only when it is a regular file owned by the user running alplint, opened without following links,
with alplint's header and the key it is read for; anything else is a miss.  The folder is created
with the user's umask, and a folder owned by someone else is not used.  A folder that cannot be
created or written (read-only) leaves the run without a cache, silently.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import stat
import struct
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alplint import __version__
from alplint.digest import blake2b
from alplint.problem import Problem
from alplint.result import FileResult
from alplint.source import SourceText, read

if TYPE_CHECKING:
    from alplint.config import Config

CACHE_DIR_NAME = ".alplint_cache"
CACHE_DIR_VARIABLE = "ALPLINT_CACHE_DIR"
# Bumped when the layout of a cache file changes.
FORMAT = 4
MAGIC = b"alplint-cache\x00" + bytes([FORMAT])
KEY_BYTES = 32
# A file modified this close to its last check is compared by content, not by its times.
RACY_SECONDS = 2
_RACY_NS = RACY_SECONDS * 1_000_000_000
# The most entries one index keeps (an entry takes about 600 bytes on disk, 1.5 KB once loaded, on
# the real archive): beyond the files of a run, what it keeps of the others.
MAX_ENTRIES = 200_000
# The most indexes (of folders) one run keeps open: a few, as the results of the files a run checks
# come back (from workers) a little after the files themselves were looked up.
OPEN_INDEXES = 2
_GITIGNORE = "# Created by alplint automatically.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by alplint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

# A file's size, modification and change times, inode and device, as bytes (one object to load, not five).
StatKey = bytes
_STAT = struct.Struct("<QqqQQ")
# What an index holds per file: (its head, its packed result).  The head is one bytes object (an
# index of the archive loads ten thousand entries, and each object costs its load and its freeing):
# when the file was checked (nanoseconds, big-endian, so that heads sort by it), the content's
# digest, then the file's stat key.
Entry = tuple[bytes, tuple[Any, ...]]
_DIGEST_AT, _STAT_AT = 8, 8 + KEY_BYTES
# What a checked file leaves for the index: (fingerprint, file key, stat key, checked at, digest).
# Made where the file was linted (perhaps a worker), stored by the process that owns the index.
Record = tuple[bytes, str, StatKey, int, bytes]


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


def _entry(stat_key: StatKey, checked_ns: int, digest: bytes, packed: tuple[Any, ...]) -> Entry:
    return (checked_ns.to_bytes(_DIGEST_AT, "big") + digest + stat_key, packed)


def _stat_key(info: os.stat_result) -> StatKey:
    try:
        return _STAT.pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    except struct.error:  # beyond 64 bits: the same values, written out
        return repr((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)).encode()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an index is loaded or dumped: it holds no cycles, and
    the collector would otherwise walk its growing tuples again and again (a third of the load).

    Nothing is frozen (``gc.freeze``) afterwards: a run loads an index per folder, and a freeze
    would keep for good whatever garbage the forms checked before it had left."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    from alplint.config import builtin_schema_dir

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


# --- results, compact ---------------------------------------------------------------------------

_PROBLEM_FIELDS = Problem.__dataclass_fields__.keys()


def pack(result: FileResult) -> tuple[Any, ...]:
    """``result`` as plain values, which load without calling Python code but the constructors.

    A problem is the tuple of its fields, its path left out (None) when it is the file's; the
    notes are a plain dictionary; an empty excerpt is None.  The names that recur from file to
    file (type, template, version, country) are interned, so that pickle writes each once.
    """
    path = result.path
    problems = tuple(
        tuple([None if problem.path == path else problem.path] + [getattr(problem, name) for name in _FIELDS])
        for problem in result.problems
    )
    return (
        problems,
        dict(result.notes) if result.notes else None,
        result.suppressed,
        _interned(result.form_type),
        _interned(result.template),
        _interned(result.version),
        result.is_form,
        result.title,
        tuple((sys.intern(country), latlng, line) for country, latlng, line in result.locations),
        result.excerpt or None,
        result.readable,
    )


def _interned(name: str | None) -> str | None:
    return None if name is None else sys.intern(name)


def unpack(path: str, packed: tuple[Any, ...]) -> FileResult:
    """The result ``pack`` gave ``packed`` for, of the file at ``path``."""
    (
        problems,
        notes,
        suppressed,
        form_type,
        template,
        version,
        is_form,
        title,
        locations,
        excerpt,
        readable,
    ) = packed
    counter: Counter[str] = Counter.__new__(Counter)  # Counter(notes) would count them again, slowly
    if notes:
        dict.update(counter, notes)
    return FileResult(
        path,
        [Problem(path if values[0] is None else values[0], *values[1:]) for values in problems]
        if problems
        else [],
        counter,
        suppressed,
        form_type,
        template,
        version,
        is_form,
        title,
        locations,
        {} if excerpt is None else excerpt,
        readable,
    )


_FIELDS = tuple(name for name in _PROBLEM_FIELDS if name != "path")


# --- the cache ----------------------------------------------------------------------------------


class Pending:
    """A file about to be checked: where it is, and the file as it was before reading it."""

    __slots__ = ("checked_ns", "path", "stat")

    def __init__(self, path: str, info: os.stat_result | None, checked_ns: int) -> None:
        self.path = path
        self.stat = _stat_key(info) if info is not None else None
        self.checked_ns = checked_ns


class _Index:
    """The entries of one fingerprint and folder, as read, and what this run changed."""

    __slots__ = ("changed", "entries", "key", "loaded_stat", "seen")

    def __init__(self, key: bytes, entries: dict[str, Entry], loaded_stat: StatKey | None) -> None:
        # What the index is stored (and its header checked) under: its fingerprint's and folder's hash.
        self.key = key
        self.entries = entries
        self.loaded_stat = loaded_stat
        # Keys this run looked up or stored, and the entries it stored (to merge on writing).
        self.seen: set[str] = set()
        self.changed: dict[str, Entry] = {}


class Cache:
    """The indexes of one cache folder (see the module's documentation)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._create(folder)
        self.root = os.path.join(folder, __version__)
        self.writable = True
        self._stamp = _package_stamp()
        # The folder relative paths are relative to (a run does not change it).
        self._cwd = os.getcwd()
        self._fingerprints: dict[int, tuple[Config, bytes]] = {}
        # The open indexes by fingerprint and folder, the one used last at the end.
        self._indexes: dict[tuple[bytes, str], _Index] = {}
        # The fingerprint and folder used last, and their index (the newest of ``_indexes``).
        self._last: tuple[bytes, str, _Index] | None = None
        self._built: set[bytes] = set()
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

    # --- cache files ------------------------------------------------------------------------

    def _location(self, kind: str, key: bytes) -> str:
        return os.path.join(self.root, f"{kind}-{key.hex()}")

    def _read(self, location: str, key: bytes) -> tuple[Any, StatKey | None]:
        """The payload stored at ``location`` under ``key`` (None when there is none this user can
        trust), and the stat key of the file it was read from."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            descriptor = os.open(location, flags)
        except OSError:
            return None, None
        # Read through a buffer, not whole: an index's bytes and its entries are not in memory at once.
        with open(descriptor, "rb") as handle:
            try:
                info = os.fstat(descriptor)
                if not stat.S_ISREG(info.st_mode):
                    return None, None
                if hasattr(os, "getuid") and info.st_uid != os.getuid():
                    return None, None
                header = MAGIC + key
                if handle.read(len(header)) != header:
                    return None, None
                with _collector_paused():
                    return pickle.load(handle), _stat_key(info)
            except Exception:
                return None, None

    def _write(self, location: str, key: bytes, payload: Any) -> None:
        """Store ``payload`` under ``key``, whole or not at all; a folder that refuses turns writing off."""
        if not self.writable:
            return
        # os.urandom, not secrets: secrets imports random and hashlib, which a cached run need not pay for.
        temporary = f"{location}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
        try:
            with _collector_paused():
                data = MAGIC + key + pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(location), exist_ok=True)
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, location)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if not isinstance(error, OSError):
                raise
            self.writable = False

    # --- files ------------------------------------------------------------------------------

    def _fingerprint(self, config: Config) -> bytes:
        known = self._fingerprints.get(id(config))
        if known is None or known[0] is not config:
            fingerprint = _key(self._stamp, repr(config), _schemas_stamp(config.schema_dirs))
            known = self._fingerprints[id(config)] = (config, fingerprint)
        return known[1]

    def has_results(self, config: Config) -> bool:
        """Whether a run with ``config`` (and its schemas, and this alplint) stored results here.

        Such a run built its linter, so building it again cannot fail: a run whose every file is
        cached need not build it at all (nor load its schemas)."""
        fingerprint = self._fingerprint(config)
        return self._read(self._location("linter", fingerprint), fingerprint)[0] is True

    def _file_key(self, path: str) -> str:
        """A file's key in its index: the path as given and, when relative, the folder it is relative to."""
        return path if os.path.isabs(path) else f"{self._cwd}\x00{path}"

    def _index(self, fingerprint: bytes, key: str) -> _Index:
        """The index of the file ``key`` names, read when it is not open; the least recently used
        one beyond ``OPEN_INDEXES`` is written (when changed) and dropped."""
        folder = key[: max(key.rfind(os.sep), key.rfind("/"), key.find("\x00")) + 1]
        last = self._last
        if last is not None and last[0] == fingerprint and last[1] == folder:
            return last[2]  # a folder's files come one after another
        indexes = self._indexes
        index = indexes.pop((fingerprint, folder), None)
        if index is None:
            self._last = None
            while len(indexes) >= OPEN_INDEXES:
                oldest = next(iter(indexes))
                self._close(indexes.pop(oldest), oldest[0])
            index_key = _key(fingerprint, folder)
            entries, loaded_stat = self._read(self._location("results", index_key), index_key)
            if not isinstance(entries, dict):
                entries = {}
            index = _Index(index_key, entries, loaded_stat)
        indexes[fingerprint, folder] = index
        self._last = (fingerprint, folder, index)
        return index

    def lookup(self, path: str, config: Config) -> FileResult | None:
        """The cached result of ``path`` checked with ``config``, when the file is the one that was checked."""
        key = self._file_key(path)
        index = self._index(self._fingerprint(config), key)
        index.seen.add(key)
        stored = index.entries.get(key)
        if stored is None:
            return None
        head, packed = stored
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        now = _stat_key(info)
        unchanged = len(head) == _STAT_AT + len(now) and head.endswith(now)
        if unchanged and info.st_mtime_ns + _RACY_NS <= int.from_bytes(head[:_DIGEST_AT], "big"):
            return unpack(path, packed)
        checked_ns = time.time_ns()
        source = read(path)
        digest = head[_DIGEST_AT:_STAT_AT]
        if not isinstance(source, SourceText) or content_digest(source) != digest:
            return None
        if not unchanged:
            # The same content with new times (touched, checked out again): remember them.
            index.entries[key] = index.changed[key] = _entry(now, checked_ns, digest, packed)
        return unpack(path, packed)

    def begin(self, path: str) -> Pending:
        """Note the file as it is before it is read, for ``record``."""
        checked_ns = time.time_ns()
        try:
            info: os.stat_result | None = os.stat(path)
        except (OSError, ValueError):
            info = None
        return Pending(path, info, checked_ns)

    def record(self, pending: Pending, config: Config, source: SourceText) -> Record | None:
        """What ``store`` needs to remember the file ``begin`` noted, read as ``source`` and checked
        with ``config``."""
        if pending.stat is None or not self.writable:
            return None
        return (
            self._fingerprint(config),
            self._file_key(pending.path),
            pending.stat,
            pending.checked_ns,
            content_digest(source),
        )

    def store(self, record: Record, result: FileResult) -> None:
        """Remember ``result``, of the file ``record`` describes (in this process's index)."""
        fingerprint, key, stat_key, checked_ns, digest = record
        index = self._index(fingerprint, key)
        index.seen.add(key)
        index.entries[key] = index.changed[key] = _entry(stat_key, checked_ns, digest, pack(result))

    def save(self) -> None:
        """Write each open index this run changed, merged with what another run wrote meanwhile;
        the run is over."""
        self._last = None
        while self._indexes:
            oldest = next(iter(self._indexes))
            self._close(self._indexes.pop(oldest), oldest[0])

    def _close(self, index: _Index, fingerprint: bytes) -> None:
        """Write ``index`` if this run changed it (it is no longer open)."""
        if index.changed and self.writable:
            self._save(index)
            if fingerprint not in self._built:
                self._built.add(fingerprint)
                location = self._location("linter", fingerprint)
                if self._read(location, fingerprint)[0] is not True:
                    self._write(location, fingerprint, True)
        index.changed = {}

    def _save(self, index: _Index) -> None:
        location = self._location("results", index.key)
        entries = index.entries
        try:
            on_disk: StatKey | None = _stat_key(os.stat(location))
        except OSError:
            on_disk = None
        if on_disk is not None and on_disk != index.loaded_stat:
            # Another run wrote the index since it was read: keep its entries too (each is checked
            # against its file when it is used, so any of them is safe to keep).
            written, _written_stat = self._read(location, index.key)
            if isinstance(written, dict):
                entries = {**written, **index.changed}
        kept: dict[str, Entry] = {key: entries[key] for key in index.seen if key in entries}
        # Then the others whose file is still there, the last checked first.
        others = sorted(entries.keys() - kept.keys(), key=lambda key: entries[key][0], reverse=True)
        for key in others:
            if len(kept) >= MAX_ENTRIES:
                break
            folder, relative, path = key.partition("\x00")
            if os.path.lexists(os.path.join(folder, path) if relative else folder):
                kept[key] = entries[key]
        index.entries = kept
        self._write(location, index.key, kept)
        with contextlib.suppress(OSError):
            index.loaded_stat = _stat_key(os.stat(location))


class SchemaCache:
    """Schema documents already checked against the meta-schema, by the digest of their text."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _key(self, text: str) -> bytes:
        return _key("schema", self.cache._stamp, text)

    def get(self, text: str) -> Any:
        key = self._key(text)
        return self.cache._read(self.cache._location("schema", key), key)[0]

    def put(self, text: str, document: Any) -> None:
        key = self._key(text)
        self.cache._write(self.cache._location("schema", key), key, document)


__all__ = [
    "CACHE_DIR_NAME",
    "CACHE_DIR_VARIABLE",
    "Cache",
    "Pending",
    "Record",
    "SchemaCache",
    "default_folder",
    "open_cache",
    "pack",
    "unpack",
]
