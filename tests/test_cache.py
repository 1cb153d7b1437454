"""The cache: used when nothing changed, never stale when anything in its key changes, per user,
safe with two runs at once, silent where it cannot be written."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import alplint
import alplint.cache
import alplint.runner
import alplint.schema
from alplint.cache import CACHE_DIR_NAME, Cache
from alplint.cli import main
from alplint.engine import Linter
from alplint.i18n import translate
from alplint.source import SourceText, read
from tests.conftest import CLOSING_SEED, EXPERIMENT_TAGS, ROOT, SEED_FILES

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def lints(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths linted in this process (a cached file is not linted)."""
    linted: list[str] = []
    real = Linter.lint_source

    def counting(self: Linter, source: object, path: str) -> object:
        linted.append(path)
        return real(self, source, path)  # type: ignore[arg-type]

    monkeypatch.setattr(Linter, "lint_source", counting)
    yield linted


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "a.md").write_text(EXPERIMENT_TAGS.replace("2024", "2024,"))
    (folder / "b.md").write_text(EXPERIMENT_TAGS)
    shutil.copy(CLOSING_SEED, folder / "c.txt")
    return folder


def _run(capsys: Capture, cache: Path, *args: str) -> tuple[int, str]:
    status = main(["--jobs", "1", "--cache-dir", str(cache), "--format", "json", *args])
    return status, capsys.readouterr().out


def _fresh(capsys: Capture, *args: str) -> tuple[int, str]:
    status = main(["--jobs", "1", "--no-cache", "--format", "json", *args])
    return status, capsys.readouterr().out


def test_an_unchanged_run_reads_the_cache(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    assert len(lints) == 3
    lints.clear()
    assert _run(capsys, cache, str(forms)) == first
    assert lints == []  # every result came from the cache
    assert first == _fresh(capsys, str(forms))
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_no_cache_neither_reads_nor_writes(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    main(["--jobs", "1", "--no-cache", "--cache-dir", str(cache), str(forms)])
    assert not cache.exists()


def test_the_default_cache_sits_beside_the_configuration(
    tmp_path: Path, forms: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALPLINT_CACHE_DIR")
    (tmp_path / ".alplint.yaml").write_text("ignore: [ALP207]\n")
    monkeypatch.chdir(forms)
    main(["--jobs", "1", "."])
    assert (tmp_path / CACHE_DIR_NAME / ".gitignore").is_file()
    assert not (forms / CACHE_DIR_NAME).exists()
    (tmp_path / ".alplint.yaml").unlink()
    main(["--jobs", "1", "."])
    assert (forms / CACHE_DIR_NAME / ".gitignore").is_file()
    # The cache folder is never checked as forms, even when it is named.
    capsys.readouterr()
    main(["--jobs", "1", "--force-exclude", "--format", "json", str(forms / CACHE_DIR_NAME)])
    assert json.loads(capsys.readouterr().out)["files"] == []


def test_alplint_cache_dir_moves_it(tmp_path: Path, forms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALPLINT_CACHE_DIR", str(tmp_path / "elsewhere"))
    main(["--jobs", "1", str(forms)])
    assert (tmp_path / "elsewhere" / ".gitignore").is_file()


def _changes(tmp_path: Path, forms: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """Each key of the cache changed in turn, with the arguments of the run that follows."""
    paths = [str(forms)]
    form = forms / "b.md"
    info = form.stat()
    # The same size and modification time: only the content (and the change time) differ.
    form.write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexcio"))
    os.utime(form, ns=(info.st_atime_ns, info.st_mtime_ns))
    yield "content", paths
    (forms / ".alplint.yaml").write_text("ignore: [ALP207]\n")
    yield "configuration file", paths
    yield "command line", ["--select", "ALP2", *paths]
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    experiment = (alplint.schema.builtin_schema_dir() / "experiment.yaml").read_text()
    (schemas / "experiment.yaml").write_text(experiment.replace("focal_point", "focal_person"))
    yield "schemas", ["--schema-dir", str(schemas), *paths]
    (schemas / "experiment.yaml").write_text(experiment)
    yield "schemas' content", ["--schema-dir", str(schemas), *paths]
    monkeypatch.setattr(alplint.cache, "__version__", "99.0")
    yield "alplint's version", ["--schema-dir", str(schemas), *paths]
    monkeypatch.setattr(alplint.cache, "_package_stamp", lambda: "another build")
    yield "alplint's files", ["--schema-dir", str(schemas), *paths]


def test_every_key_invalidates(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _run(capsys, cache, str(forms))
    for change, args in _changes(tmp_path, forms, monkeypatch):
        lints.clear()
        cached = _run(capsys, cache, *args)
        assert lints, change
        assert cached == _fresh(capsys, *args), change
        lints.clear()
        assert _run(capsys, cache, *args) == cached, change
        assert not lints, f"{change}: a second run lints again"


def test_a_touched_file_is_compared_by_content(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    for form in forms.iterdir():
        form.write_bytes(form.read_bytes())  # new times, same content
    lints.clear()
    assert _run(capsys, cache, str(forms)) == first
    assert not lints


def _index_files(cache: Path) -> list[Path]:
    return sorted((cache / alplint.__version__).glob("results-*"))


def _index(cache: Path) -> dict[str, Any]:
    """The entries of the one index in ``cache``, by key."""
    [index] = _index_files(cache)
    entries = pickle.loads(index.read_bytes()[len(alplint.cache.MAGIC) + alplint.cache.KEY_BYTES :])
    assert isinstance(entries, dict)
    return entries


@pytest.mark.parametrize("damage", ["cut short", "a link", "another user's", "another key's"])
def test_an_index_is_trusted_only_when_whole_and_ours(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], damage: str
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    [index] = _index_files(cache)
    if damage == "cut short":
        index.write_bytes(index.read_bytes()[:-5])
    elif damage == "a link":
        target = tmp_path / "elsewhere"
        index.rename(target)
        index.symlink_to(target)  # a link is never followed
    elif damage == "another user's":
        if os.getuid() != 0:
            pytest.skip("needs root to give the index away")
        os.chown(index, 4242, -1)
    else:
        # Another configuration's index put in this one's place: its header names the other key.
        other = tmp_path / "other"
        _run(capsys, other, "--select", "ALP2", str(forms))
        shutil.copy(_index_files(other)[0], index)
    lints.clear()
    assert _run(capsys, cache, str(forms)) == first
    assert sorted(Path(path).name for path in lints) == ["a.md", "b.md", "c.txt"]


def test_damaged_schema_entries_are_not_trusted(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    schemas = sorted((cache / alplint.__version__).glob("schema-*"))
    assert schemas
    for number, entry in enumerate(schemas):
        if number % 2:
            entry.write_bytes(entry.read_bytes()[:-5])
        else:
            entry.rename(tmp_path / f"elsewhere-{number}")
            entry.symlink_to(tmp_path / f"elsewhere-{number}")
    (forms / "b.md").write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexcio"))
    expected = _fresh(capsys, str(forms))
    assert _run(capsys, cache, str(forms)) == expected != first


def test_a_cache_that_cannot_be_written_is_no_cache(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    blocked = tmp_path / "cache"
    blocked.mkdir()
    (blocked / alplint.__version__).write_text("a file where the entries would go")
    expected = _fresh(capsys, str(forms))
    status = main(["--jobs", "1", "--cache-dir", str(blocked), "--format", "json", str(forms)])
    captured = capsys.readouterr()
    assert (status, captured.out) == expected and captured.err == ""
    for unusable in (Path("/proc/alplint-cache"), forms / "a.md" / "cache"):
        status = main(["--jobs", "1", "--cache-dir", str(unusable), "--format", "json", str(forms)])
        captured = capsys.readouterr()
        assert (status, captured.out) == expected and captured.err == ""


def test_another_users_cache_folder_is_not_used(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root to give the folder away")
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chown(folder, 4242, -1)
    with pytest.raises(PermissionError):
        Cache(folder)


def test_checked_schemas_are_not_checked_again(
    tmp_path: Path, forms: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    (forms / "b.md").write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexcio"))
    expected = _fresh(capsys, str(forms))

    def refuse(text: str, shown: str) -> None:
        raise AssertionError(f"{shown} was parsed and checked again")

    monkeypatch.setattr(alplint.schema, "_checked_document", refuse)
    assert _run(capsys, cache, str(forms)) == expected != first


def test_two_runs_at_once_share_a_cache(tmp_path: Path, forms: Path, capsys: Capture) -> None:
    for index in range(60):
        shutil.copy(forms / ("a.md" if index % 2 else "c.txt"), forms / f"copy-{index:02d}.md")
    expected = _fresh(capsys, str(forms))[1]
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "alplint", "--cache-dir", str(cache), "--format", "json", str(forms)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _round in range(2):
        runs = [
            subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert (out.decode(), err) == (expected, b"")
    assert not [path for path in cache.rglob("*.tmp")]


def test_one_index_per_fingerprint_and_folder_written_only_when_it_changes(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    _run(capsys, cache, str(forms))
    [index] = _index_files(cache)
    assert len(_index(cache)) == 3
    before = index.stat()
    _run(capsys, cache, str(forms))
    after = index.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # Another configuration has an index of its own; the first one stays as it was.
    _run(capsys, cache, "--select", "ALP2", str(forms))
    assert len(_index_files(cache)) == 2
    assert index.stat().st_mtime_ns == before.st_mtime_ns
    # So has another folder: a run over two folders writes one index for each.
    shutil.copytree(forms, forms / "more")
    _run(capsys, cache, str(forms))
    assert len(_index_files(cache)) == 3
    assert index.stat().st_mtime_ns == before.st_mtime_ns


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The indexes the runs read from now on (by file name)."""
    read_indexes: list[str] = []
    real = Cache._read

    def spying(self: Cache, location: str, key: bytes) -> tuple[Any, bytes | None]:
        if os.path.basename(location).startswith("results-"):
            read_indexes.append(os.path.basename(location))
        return real(self, location, key)

    monkeypatch.setattr(Cache, "_read", spying)
    return read_indexes


def test_linting_one_folder_reads_only_its_index(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(forms, forms / "more")
    cache = tmp_path / "cache"
    _run(capsys, cache, str(forms))
    indexes = {path.name for path in _index_files(cache)}
    assert len(indexes) == 2
    expected = _fresh(capsys, str(forms / "more" / "a.md"))
    read_indexes = _reads(monkeypatch)
    lints.clear()
    assert _run(capsys, cache, str(forms / "more" / "a.md")) == expected
    assert lints == []
    [only] = read_indexes
    assert only in indexes
    read_indexes.clear()
    _run(capsys, cache, str(forms / "b.md"))
    assert read_indexes and set(read_indexes) == indexes - {only}


def test_an_index_is_written_and_dropped_once_its_folder_is_done(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = [forms / f"part-{number}" for number in range(6)]
    for folder in folders:
        shutil.copytree(forms, folder, ignore=shutil.ignore_patterns("part-*"))
    open_counts: list[int] = []
    written: list[str] = []
    real_index, real_write = Cache._index, Cache._write

    def counting(self: Cache, fingerprint: bytes, key: str) -> Any:
        index = real_index(self, fingerprint, key)
        open_counts.append(len(self._indexes))
        return index

    def writing(self: Cache, location: str, key: bytes, payload: Any) -> None:
        written.append(os.path.basename(location))
        real_write(self, location, key, payload)

    monkeypatch.setattr(Cache, "_index", counting)
    monkeypatch.setattr(Cache, "_write", writing)
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))
    assert first == _fresh(capsys, str(forms))
    assert max(open_counts) == alplint.cache.OPEN_INDEXES < len(folders) + 1
    results = [name for name in written if name.startswith("results-")]
    assert len(results) == len(set(results)) == len(folders) + 1 == len(_index_files(cache))
    # With one index open at a time, results that come back from workers after their folder's index
    # was dropped read it again and are stored all the same.
    monkeypatch.setattr(alplint.cache, "OPEN_INDEXES", 1)
    for folder in folders:
        for number in range(alplint.runner.CHUNK // 2):
            shutil.copy(folder / "a.md", folder / f"copy-{number:02d}.md")
    open_counts.clear()
    status = main(["--jobs", "2", "--cache-dir", str(cache), "--format", "json", str(forms)])
    second = (status, capsys.readouterr().out)
    assert second == _fresh(capsys, str(forms))
    assert max(open_counts) == 1
    lints.clear()
    assert _run(capsys, cache, str(forms)) == second
    assert lints == []


def test_linting_part_of_a_folder_keeps_the_rest(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    cache = tmp_path / "cache"
    _run(capsys, cache, str(forms))
    (forms / "a.md").write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexcio"))
    lints.clear()
    _run(capsys, cache, str(forms / "a.md"))
    assert lints == [str(forms / "a.md")]
    expected = _fresh(capsys, str(forms))
    lints.clear()
    assert _run(capsys, cache, str(forms)) == expected
    assert lints == []


def test_entries_of_files_gone_are_dropped_and_an_index_is_bounded(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _run(capsys, cache, str(forms))
    (forms / "c.txt").unlink()
    (forms / "a.md").write_text(EXPERIMENT_TAGS.replace("Mexico", "Mexcio"))
    _run(capsys, cache, str(forms / "a.md"))
    assert sorted(key.rpartition("/")[2] for key in _index(cache)) == ["a.md", "b.md"]
    # At most MAX_ENTRIES: the files of the run are kept, then those checked last.
    monkeypatch.setattr(alplint.cache, "MAX_ENTRIES", 1)
    (forms / "a.md").write_text(EXPERIMENT_TAGS)
    _run(capsys, cache, str(forms / "a.md"))
    assert [key.rpartition("/")[2] for key in _index(cache)] == ["a.md"]
    lints.clear()
    _run(capsys, cache, str(forms))
    assert [Path(path).name for path in lints] == ["b.md"]


def test_a_path_is_keyed_as_given_and_with_its_folder(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.chdir(forms)
    first = _run(capsys, cache, "a.md")
    assert json.loads(first[1])["files"][0]["path"] == "a.md"
    # The same file named another way gives its own result (its path is in the report).
    lints.clear()
    assert _run(capsys, cache, "./a.md") != first
    assert lints == ["./a.md"]
    # The same relative path from another folder names another file.
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_text(EXPERIMENT_TAGS)
    monkeypatch.chdir(other)
    expected = _fresh(capsys, "a.md")
    lints.clear()
    assert _run(capsys, cache, "a.md") == expected != first
    assert lints == ["a.md"]


def test_results_checked_by_workers_are_cached(
    tmp_path: Path, forms: Path, capsys: Capture, lints: list[str]
) -> None:
    for index in range(2 * alplint.runner.CHUNK):
        shutil.copy(forms / ("a.md" if index % 2 else "c.txt"), forms / f"copy-{index:02d}.md")
    cache = tmp_path / "cache"
    status = main(["--jobs", "2", "--cache-dir", str(cache), "--format", "json", str(forms)])
    first = (status, capsys.readouterr().out)
    assert first == _fresh(capsys, str(forms))
    lints.clear()
    assert _run(capsys, cache, str(forms)) == first
    assert lints == []


def test_two_runs_writing_at_once_keep_each_others_entries(tmp_path: Path, forms: Path) -> None:
    linter = Linter()
    runs = [Cache(tmp_path / "cache"), Cache(tmp_path / "cache")]
    paths = [str(forms / "a.md"), str(forms / "b.md")]
    for run in runs:
        assert run.lookup(paths[0], linter.config) is None  # both read the index before either writes it
    for run, path in zip(runs, paths, strict=True):
        pending = run.begin(path)
        source = read(path)
        assert isinstance(source, SourceText)
        record = run.record(pending, linter.config, source)
        assert record is not None
        run.store(record, linter.lint_source(source, path))
    for run in runs:
        run.save()
    later = Cache(tmp_path / "cache")
    for path in paths:
        assert later.lookup(path, linter.config) == linter.lint_source(read(path), path)


def test_a_compact_result_is_the_result(linter: Linter, tmp_path: Path) -> None:
    form = tmp_path / "form.md"
    form.write_text(
        EXPERIMENT_TAGS.replace("2024", "2024,").replace("Mexico", "Mexcio") + "\n\n\n[[sdg:13]]\n"
    )
    for path in [str(form), *map(str, SEED_FILES)]:
        result = linter.lint_source(read(path), path)
        data = pickle.dumps(alplint.cache.pack(result), pickle.HIGHEST_PROTOCOL)
        assert b"Counter" not in data and b"FileResult" not in data and b"Problem" not in data
        again = alplint.cache.unpack(path, pickle.loads(data))
        assert again == result
        assert type(again.notes) is Counter and again.notes == result.notes
        assert [type(problem.message) for problem in again.problems] == [
            type(problem.message) for problem in result.problems
        ]
        assert [translate(problem.message, "es") for problem in again.problems] == [
            translate(problem.message, "es") for problem in result.problems
        ]
    assert any(problem.fix is not None for problem in linter.lint_source(read(str(form)), str(form)).problems)


def test_an_unchanged_run_builds_no_linter(
    tmp_path: Path, forms: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = _run(capsys, cache, str(forms))

    def refuse(self: alplint.runner.Linters, config: object) -> None:
        raise AssertionError("a linter (and its schemas) was built for a run the cache answers")

    monkeypatch.setattr(alplint.runner.Linters, "of", refuse)
    assert _run(capsys, cache, str(forms)) == first
    for output in ("sarif", "text"):
        assert main(["--jobs", "1", "--cache-dir", str(cache), "--format", output, str(forms)]) == first[0]
    # Without results in the cache, the linter is built before anything is checked.
    capsys.readouterr()
    main(["--jobs", "1", "--cache-dir", str(tmp_path / "empty"), str(forms)])
    captured = capsys.readouterr()
    assert "was built" in captured.err and captured.out == ""


def test_an_unchanged_run_imports_no_rule_parser_or_template(tmp_path: Path, forms: Path) -> None:
    """What a run over cached results needs of the rules is what they declared
    (``alplint/rules/declarations.json``): their checks, the parser and the templates stay unloaded
    (SARIF and HTML reports quote the rules' documentation: they import the families for it)."""
    linting = ("alplint.engine", "alplint.model", "alplint.parse", "alplint.schema", "alplint.template")
    script = (
        "import sys\n"
        "from alplint.cli import main\n"
        "main(['--cache-dir', sys.argv[1], '--format', 'json', sys.argv[2]])\n"
        f"print([name for name in sys.modules if name in {linting!r} or name.startswith('alplint.rules.')],"
        " file=sys.stderr)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "cache"), str(forms)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        for _ in range(2)
    ]
    assert "alplint.rules.tags" in runs[0].stderr.splitlines()[-1]  # the first run checks the forms
    assert runs[1].stderr.splitlines()[-1] == "[]", runs[1].stderr
    assert runs[1].stdout == runs[0].stdout and '"name": "' in runs[1].stdout  # each problem's rule name
