"""The developer tools of ``tools/`` still run: CONTRIBUTING.md tells contributors to use them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from alplint.engine import Linter
from tests.conftest import ROOT, SEEDS


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_template_survey_counts_the_seeds_by_version(capsys: pytest.CaptureFixture[str]) -> None:
    # It imported a function of the parser that no longer exists, and walked folders the old way.
    assert _tool("survey_templates").main([str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "learningplan: 2 forms" in out
    assert "1  learningplan-opening version 2  (e.g. learningplan-opening-2025-mongolia.md)" in out
    assert "1  solution version innovation-2025  (e.g. solution-2025-zambia.md)" in out


def test_the_benchmark_builds_the_same_archive_of_forms_for_the_same_seed(
    tmp_path: Path, linter: Linter
) -> None:
    # It gave render_draft every version of a template instead of one template, and failed.
    benchmark = _tool("benchmark")
    first = benchmark.generate_archive(tmp_path / "one", 6)
    second = benchmark.generate_archive(tmp_path / "two", 6)
    forms = sorted(first.rglob("*.md"))
    assert len(forms) == 6
    assert [path.read_bytes() for path in forms] == [
        path.read_bytes() for path in sorted(second.rglob("*.md"))
    ]
    results = [linter.lint_file(str(path)) for path in forms]
    assert all(result.is_form and result.template for result in results)
