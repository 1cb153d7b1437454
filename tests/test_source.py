"""Finding forms and reading them: only regular files, bounded reads, folders walked safely."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from alplint import source
from alplint.config import Config
from alplint.gitignore import GitIgnore
from alplint.source import (
    DEFAULT_EXCLUDE,
    SourceText,
    TooLarge,
    Unreadable,
    discover,
    display_path,
    read,
    read_limited,
    read_stdin,
)
from tests.conftest import EXPERIMENT_TAGS


def _found(*paths: Path | str, config: Config | None = None, force_exclude: bool = False) -> list[str]:
    settings = config or Config()
    return list(discover([str(path) for path in paths], lambda folder: settings, force_exclude=force_exclude))


def _form(path: Path, text: str = EXPERIMENT_TAGS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _relative(found: list[str], root: Path) -> list[str]:
    return [Path(path).relative_to(root).as_posix() for path in found]


# --- reading only regular files, boundedly (issue 10, item 13) ----------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_reported_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "form.md"
    os.mkfifo(fifo)
    outcome: list[SourceText | Unreadable] = []
    reader = threading.Thread(target=lambda: outcome.append(read(str(fifo))), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a named pipe blocked"
    (result,) = outcome
    assert isinstance(result, Unreadable)
    assert result.message.startswith("This is a named pipe (FIFO), not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_reported_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "form.md"
    link.symlink_to("/dev/zero")
    result = read(str(link))
    assert isinstance(result, Unreadable)
    assert result.message.startswith("This is a device, not a regular file")


def test_a_file_whose_size_the_system_does_not_tell_is_read_no_further_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files such as those of /proc say they hold 0 bytes: the limit must hold while reading.
    form = _form(tmp_path / "form.md", "x" * 5000)
    real_fstat = os.fstat

    def size_unknown(descriptor: int) -> os.stat_result:
        info = list(real_fstat(descriptor))
        info[6] = 0  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(source.os, "fstat", size_unknown)
    with pytest.raises(TooLarge) as caught:
        read_limited(str(form), 100)
    assert caught.value.size is None
    monkeypatch.setattr(source, "MAX_FORM_BYTES", 100)
    result = read(str(form))
    assert isinstance(result, Unreadable)
    assert result.message == "The file is larger than 100 bytes: too large to be a form"


def test_a_file_that_grew_since_its_size_was_taken_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read asks for the size the file said it had: what was appended since is read too.
    form = _form(tmp_path / "form.md", "x" * 5000)
    real_fstat = os.fstat

    def smaller(descriptor: int) -> os.stat_result:
        info = list(real_fstat(descriptor))
        info[6] = 10  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(source.os, "fstat", smaller)
    assert read_limited(str(form), 100_000) == b"x" * 5000
    with pytest.raises(TooLarge):
        read_limited(str(form), 1000)


def test_a_folder_read_as_a_file_is_named_a_folder(tmp_path: Path) -> None:
    result = read(str(tmp_path))
    assert isinstance(result, Unreadable) and result.message == "This is a folder, not a file"


def test_stdin_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"\0" * len(buffer)
            return len(buffer)

    class Stdin:
        buffer = io.BufferedReader(Endless())

    monkeypatch.setattr(sys, "stdin", Stdin)
    with pytest.raises(TooLarge):
        read_stdin(1000)


# --- walking folders (items 6 and 25) ------------------------------------------------------------


def test_an_unreadable_subfolder_is_yielded_so_that_reading_it_reports_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refuse_folder: Callable[[str], None]
) -> None:
    _form(tmp_path / "open" / "a.md")
    _form(tmp_path / "locked" / "b.md")
    refuse_folder("locked")
    found = _found(tmp_path)
    assert _relative(found, tmp_path) == ["locked", "open/a.md"]
    monkeypatch.setattr(
        source.os, "open", lambda *args: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    result = read(found[0])
    assert isinstance(result, Unreadable)
    assert result.message == (
        "The folder cannot be read (Permission denied), so the forms in it were not checked"
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission_is_reported(tmp_path: Path) -> None:
    _form(tmp_path / "locked" / "b.md")
    (tmp_path / "locked").chmod(0)
    try:
        found = _found(tmp_path)
        assert _relative(found, tmp_path) == ["locked"]
        assert isinstance(read(found[0]), Unreadable)
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_symlinked_folders_are_followed_once_and_loops_are_not_walked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _form(outside / "shared.md")
    tree = tmp_path / "tree"
    _form(tree / "real" / "a.md")
    (tree / "link-to-outside").symlink_to(outside, target_is_directory=True)
    (tree / "another-link-to-real").symlink_to(tree / "real", target_is_directory=True)
    (tree / "real" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "broken.md").symlink_to(tmp_path / "missing.md")
    found = _relative(_found(tree), tree)
    # The real folder is checked under its own name, the outside folder through its link, the loop never.
    assert found == ["broken.md", "link-to-outside/shared.md", "real/a.md"]
    result = read(str(tree / "broken.md"))
    assert isinstance(result, Unreadable) and result.message.startswith("The file cannot be read")


def test_virtual_environments_and_tool_folders_are_skipped_by_default(tmp_path: Path) -> None:
    _form(tmp_path / "forms" / "a.md")
    for folder in ("venv", "node_modules", "build", "dist", "lib/python3.12/site-packages/pkg"):
        _form(tmp_path / folder / "README.md")
    # A virtual environment under any name is known by its pyvenv.cfg.
    _form(tmp_path / "env-3.12" / "pyvenv.cfg", "home = /usr/bin\n")
    _form(tmp_path / "env-3.12" / "lib" / "python3.12" / "site-packages" / "x" / "LICENSE.md")
    assert _relative(_found(tmp_path), tmp_path) == ["forms/a.md"]
    assert {"venv", ".venv", "node_modules", "site-packages", ".git"} <= set(DEFAULT_EXCLUDE)


def test_a_folder_named_on_the_command_line_is_walked_even_if_excluded_by_default(tmp_path: Path) -> None:
    _form(tmp_path / "build" / "a.md")
    assert _relative(_found(tmp_path / "build"), tmp_path) == ["build/a.md"]
    assert _found(tmp_path / "build", force_exclude=True) == []


def test_gitignored_files_are_skipped_unless_respect_gitignore_is_off(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("exports/\n*.tmp.md\n")
    _form(tmp_path / "forms" / "a.md")
    _form(tmp_path / "forms" / "b.tmp.md")
    _form(tmp_path / "exports" / "c.md")
    assert _relative(_found(tmp_path), tmp_path) == ["forms/a.md"]
    everything = _relative(_found(tmp_path, config=Config(respect_gitignore=False)), tmp_path)
    assert everything == ["exports/c.md", "forms/a.md", "forms/b.tmp.md"]
    # A file named on the command line is checked, as in ruff, git ignoring it or not.
    assert _found(tmp_path / "exports" / "c.md") == [str(tmp_path / "exports" / "c.md")]


# --- files named on the command line (item 5) ---------------------------------------------------


def test_a_named_file_in_an_excluded_folder_is_checked_unless_force_exclude(tmp_path: Path) -> None:
    form = str(_form(tmp_path / "drafts" / "a.md"))
    config = Config(exclude=("drafts",))
    assert _found(form, config=config) == [form]
    assert _found(form, config=config, force_exclude=True) == []
    assert _found(tmp_path, config=config) == []


# --- file names that are not UTF-8 (item 17) ----------------------------------------------------


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are Unicode there")
def test_a_file_name_that_is_not_utf8_is_found_read_and_displayed(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.md")
    _form(tmp_path / name)
    (found,) = _found(tmp_path)
    assert isinstance(read(found), SourceText)
    shown = display_path(found)
    assert shown.endswith("caf\\xe9.md")
    assert shown.encode("utf-8")  # what reports print can always be written
    assert display_path("forms/café.md") == "forms/café.md"


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    # Git stores such a tree; a pull request could use it to stop alplint with a RecursionError. The
    # limit is lowered for the test rather than the tree made thousands deep: pytest's own clean-up of
    # tmp_path recurses, and must still manage the tree.
    from alplint.config import ConfigResolver

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.tmp.md\n")
    deep = tmp_path.joinpath(*["a"] * 250)
    _form(deep / "form.md")
    _form(deep / "draft.tmp.md")
    frames, frame = 0, sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(frames + 100)
    try:
        (found,) = _found(tmp_path)
        ignored = GitIgnore().ignored(str(deep / "draft.tmp.md"), False)
        configured = ConfigResolver(None, tmp_path, {}).for_file(found)
    finally:
        sys.setrecursionlimit(limit)
    assert found == str(deep / "form.md")
    assert ignored and configured.respect_gitignore
