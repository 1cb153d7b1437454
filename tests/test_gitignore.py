"""alplint's reading of .gitignore files agrees with git's, checked against git in throwaway repositories."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from alplint.gitignore import GitIgnore, parse
from alplint.source import discover

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TREE = (
    "a.md",
    "b.txt",
    "c",
    "foo.md",
    "x.md",
    "#hash.md",
    "!bang.md",
    "[ab].md",
    "trailing .md",
    "build/x.md",
    "build/keep.md",
    "docs/a.md",
    "docs/b.txt",
    "docs/build/y.md",
    "docs/sub/a.md",
    "docs/sub/deep/z.md",
    "a/b/c/d.md",
    "a/x.md",
    "abc/d.md",
    "sub/a.md",
    "sub/sub/a.md",
)

PATTERNS = (
    "*.md",
    "/a.md",
    "a.md",
    "docs/",
    "docs",
    "build",
    "build/",
    "/build",
    "!docs/a.md",
    "!build/keep.md",
    "!*.txt",
    "**/build",
    "**/build/",
    "a/**",
    "a/**/d.md",
    "docs/*",
    "docs/**",
    "!docs/sub",
    "!docs/sub/",
    "*.txt",
    "!b.txt",
    "sub/",
    "sub/*",
    "\\#hash.md",
    "#hash.md",
    "\\!bang.md",
    "!bang.md",
    "[ab].md",
    "\\[ab\\].md",
    "[!a].md",
    "[^x].md",
    "[a-c]*",
    "[[:alpha:]].md",
    "?.md",
    "d*",
    "**/sub/*.md",
    "docs/**/y.md",
    "docs/**/*.md",
    "/docs/build/",
    "c",
    "c/",
    "trailing\\ .md",
    "trailing .md",
    "x.md   ",
    "*",
    "!*/",
    "!*.md",
    "**",
    "a**",
    "a/b**/d.md",
    "/a/b",
    "a/b/",
    "*/x.md",
    "/*/x.md",
    "**/a.md",
    "abc/**/",
    "deep",
    "!deep/",
    "",
    "# a comment",
)


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "HOME": str(repo),
        "XDG_CONFIG_HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout


def _repository(root: Path, ignores: dict[str, str], exclude: str = "") -> Path:
    repo = root / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name in TREE:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x\n")
    for folder, text in ignores.items():
        (repo / folder / ".gitignore").write_text(text)
    if exclude:
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "exclude").write_text(exclude)
    return repo


def _ignored_by_git(repo: Path) -> set[str]:
    listed = _git(repo, "ls-files", "--others", "--ignored", "--exclude-standard", "-z")
    return {name for name in listed.split("\0") if name}


def _ignored_by_alplint(repo: Path) -> set[str]:
    gitignore = GitIgnore()
    ignored = set()
    for folder, dirs, files in os.walk(repo):
        dirs[:] = [name for name in dirs if name != ".git"]
        for name in files:
            path = os.path.join(folder, name)
            if gitignore.ignored(path, False):
                ignored.add(os.path.relpath(path, repo).replace(os.sep, "/"))
    return ignored


@pytest.mark.parametrize(
    "ignores",
    [
        {".": "*.md\n!docs/a.md\n"},
        {".": "docs/\n!docs/a.md\n"},  # a file in an excluded folder cannot be re-included
        {".": "docs/*\n!docs/sub/\ndocs/sub/deep/\n"},
        {".": "build/\n", "docs": "!build/\n"},
        {".": "/build\n", "docs": "build\n!y.md\n"},
        {".": "a/**/d.md\n**/sub/*.md\n"},
        {".": "a/**\n!a/x.md\n"},
        {".": "sub/\n"},
        {"docs": "sub\n/a.md\n"},
        {"docs": "/sub/deep/*\n*.txt\n"},
        {".": "\\#hash.md\n\\!bang.md\n"},
        {".": "[ab].md\n"},
        {".": "\\[ab\\].md\n"},
        {".": "trailing\\ .md\nx.md   \n"},
        {".": "*.md\r\n!foo.md\r\n"},
        {".": "*\n!*/\n!*.md\n"},
        {".": "a**\n"},
        {".": "a/b**/d.md\n"},  # git quirk: ** right after the literal start spans folders
        {".": "/a/b\nabc/**/\n"},
        {".": "[!a].md\n[[:digit:]]\n"},
        {".": "docs/[\n"},
        {".": "*.md\\\n"},
    ],
)
def test_chosen_patterns_agree_with_git(tmp_path: Path, ignores: dict[str, str]) -> None:
    repo = _repository(tmp_path, ignores)
    assert _ignored_by_alplint(repo) == _ignored_by_git(repo)


def test_info_exclude_applies_under_every_gitignore(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {".": "!foo.md\n"}, exclude="*.md\n")
    ignored = _ignored_by_alplint(repo)
    assert "a.md" in ignored and "foo.md" not in ignored
    assert ignored == _ignored_by_git(repo)


@pytest.mark.parametrize("seed", range(60))
def test_random_gitignores_agree_with_git(tmp_path: Path, seed: int) -> None:
    chance = random.Random(seed)
    folders = [".", "docs", "docs/sub", "a", "build", "sub"]
    ignores = {
        folder: "\n".join(chance.choices(PATTERNS, k=chance.randint(1, 6))) + "\n"
        for folder in chance.sample(folders, chance.randint(1, 3))
    }
    repo = _repository(tmp_path, ignores)
    assert _ignored_by_alplint(repo) == _ignored_by_git(repo), ignores


def test_discovery_takes_exactly_what_git_does_not_ignore(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {".": "*.txt\ndocs/*\n!docs/sub/\n", "docs/sub": "deep\n"})
    wanted = {
        name
        for name in (set(TREE) - _ignored_by_git(repo))
        if name.endswith((".md", ".txt"))
        and not any(part.startswith(".") for part in name.split("/"))
        and not name.startswith("build/")  # build is skipped by default
    }

    class Everything:
        include: tuple[str, ...] = ()
        exclude: tuple[str, ...] = ()
        respect_gitignore = True

    found = {os.path.relpath(path, repo) for path in discover([str(repo)], lambda folder: Everything())}
    assert found == wanted
    assert "docs/sub/a.md" in found and "docs/a.md" not in found and "docs/sub/deep/z.md" not in found


def test_outside_a_work_tree_gitignore_means_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.md\n")
    (tmp_path / "a.md").write_text("x\n")
    assert not GitIgnore().ignored(str(tmp_path / "a.md"), False)


def test_a_nested_work_tree_starts_afresh(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {".": "*.md\n"})
    _git(repo / "sub", "init", "-q")
    gitignore = GitIgnore()
    assert gitignore.ignored(str(repo / "a.md"), False)
    assert not gitignore.ignored(str(repo / "sub" / "a.md"), False)


def test_parse_reads_what_git_reads() -> None:
    patterns = parse("\ufeff# comment\n\n!keep.md\nbuild/\n/top\nsub/*.md\n  \n", "docs")
    assert [(p.negated, p.directory_only, p.name_only, p.base) for p in patterns] == [
        (True, False, True, "docs"),
        (False, True, True, "docs"),
        (False, False, False, "docs"),
        (False, False, False, "docs"),
    ]
