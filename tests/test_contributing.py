"""CONTRIBUTING.md names what exists: its files, its markers, the names it tells contributors to use."""

from __future__ import annotations

import re
import tomllib

from alplint import rules
from tests.conftest import ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_every_file_the_guide_names_exists() -> None:
    named = set(re.findall(r"`((?:alplint|tests|tools|schemas|docs)/[\w./*-]+?)`", GUIDE))
    named |= set(re.findall(r"python (tools/\w+\.py)", GUIDE))
    assert len(named) > 10
    for path in named:
        assert list(ROOT.glob(path)), path


def test_the_markers_it_describes_are_the_registered_ones() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    registered = {marker.split(":", 1)[0] for marker in config["markers"]}
    described = set(re.findall(r"the markers are `(\w+)`.*?, `(\w+)`.*? and `(\w+)`", GUIDE, re.DOTALL)[0])
    assert described == registered
    assert "--strict-markers" in config["addopts"]


def test_the_names_it_tells_contributors_to_use_exist() -> None:
    for name in re.findall(r"`rules\.(\w+)`", GUIDE):
        assert hasattr(rules, name), name
    assert "load_families" in re.findall(r"`rules\.(\w+)`", GUIDE)
