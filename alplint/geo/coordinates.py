"""How a ``latlng`` value is written: two decimal numbers, latitude first."""

from __future__ import annotations

import re

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
LATLNG = re.compile(rf"(?P<lat>{_NUMBER})(?P<separator>\s*,\s*)(?P<lng>{_NUMBER})")
# Dashes that look like a minus sign but are not one: Unicode minus, en dash, em dash, hyphen, figure dash.
LOOKALIKE_MINUS = "\u2212\u2013\u2014\u2010\u2011\u2012\ufe63\uff0d"


def parse_latlng(text: str) -> re.Match[str] | None:
    """The two numbers of ``text`` (already tidied), or None when it is not ``LAT,LNG``."""
    return LATLNG.fullmatch(text)
