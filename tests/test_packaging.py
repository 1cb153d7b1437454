"""The wheel carries everything: installed in a fresh venv outside the repository, it lints the real forms."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILES

pytestmark = pytest.mark.integration


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", work / "dist", ROOT, cwd=work
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("alplint-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=work)
    assert installed.returncode == 0, installed.stderr
    return environment


def test_wheel_ships_the_schemas_and_geodata(installed: Path) -> None:
    listing = _run(
        installed / "bin" / "python",
        "-c",
        "import alplint.schema as s, pathlib; print(s.builtin_schema_dir()); "
        "print(sorted(p.name for p in s.builtin_schema_dir().glob('*.yaml')))",
        cwd=installed,
    )
    folder, names = listing.stdout.splitlines()
    assert "site-packages" in folder
    assert (
        names
        == "['experiment.yaml', 'learningplan-closing.yaml', 'learningplan-opening.yaml', 'solution.yaml']"
    )


def test_wheel_ships_up_to_date_rule_declarations(installed: Path) -> None:
    """What lets a run over cached results know the rules without importing them."""
    check = _run(
        installed / "bin" / "python",
        "-c",
        "import alplint.rules as r; print('site-packages' in r.DECLARATIONS_FILE, len(r.read_declarations() or ()))",
        cwd=installed,
    )
    assert check.stdout.split() == ["True", "6"], check.stderr


def test_installed_wheel_lints_the_real_forms_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEED_FILES:
        shutil.copy(seed, corpus / seed.name)
    result = _run(installed / "bin" / "alplint", "--format", "json", corpus, cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # the seeds hold warnings only
    document = json.loads(result.stdout)
    codes = {
        Path(entry["path"]).name: sorted(p["code"] for p in entry["problems"]) for entry in document["files"]
    }
    assert codes == {
        "000_0895e367f9611072.txt": ["ALP504", "ALP602"],
        "learningplan-opening-2025-mongolia.md": ["ALP207"] * 2 + ["ALP407"],
        "solution-2025-zambia.md": [],  # notes only: the exporter's alt text and SDG 10 label
    }
    # The shipped geography works from the wheel: notes are counted, places resolved.
    assert document["summary"]["notes"] == {
        "ALP210": {"count": 1, "forms": 1},
        "ALP604": {"count": 3, "forms": 3},
    }
    alone = [
        _run(installed / "bin" / "alplint", corpus / seed.name, cwd=tmp_path).returncode
        for seed in SEED_FILES
    ]
    assert alone == [0, 0, 0]


def test_installed_wheel_speaks_spanish_and_french(installed: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEED_FILES:
        shutil.copy(seed, corpus / seed.name)
    lines = {
        language: _run(
            installed / "bin" / "alplint", "--lang", language, corpus, cwd=tmp_path
        ).stdout.splitlines()[-1]
        for language in ("es", "fr")
    }
    assert lines["es"].startswith("Se revisaron 3 archivos (3 formularios): 0 errores, 5 advertencias")
    assert lines["fr"].startswith("3 fichiers vérifiés (3 formulaires)\u00a0: 0 erreur, 5 avertissements")


def test_a_wheel_built_from_a_clean_clone_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    # What pip install . does in a fresh checkout: the .mo files come from git, not from this working tree.
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    cloned = _run("git", "clone", "--quiet", "--no-hardlinks", ROOT, clone, cwd=tmp_path)
    assert cloned.returncode == 0, cloned.stderr
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--wheel-dir",
        tmp_path / "dist",
        clone,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("alplint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in ("es", "fr"):
        compiled = f"alplint/locale/{language}/LC_MESSAGES/alplint.mo"
        assert compiled in names
        assert zipfile.ZipFile(wheel).read(compiled) == (ROOT / compiled).read_bytes()
