"""Country names: which country a written name means, and how to write it in English.

The table (``data/countries.json``) is precomputed from pycountry, its
Spanish, French and Portuguese translations, the UN names and common English
variants by ``tools/build_borders.py``, so a lookup costs one small JSON load
and no gettext catalogue.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

MatchStatus = Literal["accepted", "renamed", "unknown"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SUGGESTION_CUTOFF = 0.75
COUNTRIES_PATH = os.path.join(os.path.dirname(__file__), "data", "countries.json")


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What a written country name means.

    ``accepted``: an English name as written; ``renamed``: recognised, but
    ``name`` is how to write it in English; ``unknown``: not recognised, and
    ``suggestions`` are English names it may be a misspelling of.
    """

    status: MatchStatus
    alpha3: str | None
    name: str | None
    suggestions: tuple[str, ...] = field(default=())


@cache
def _table() -> dict[str, Any]:
    with open(COUNTRIES_PATH, encoding="utf-8") as table_file:
        table: dict[str, Any] = json.load(table_file)
    table["accepted"] = {name.translate(_APOSTROPHES): alpha3 for name, alpha3 in table["accepted"].items()}
    return table


def normalise(name: str) -> str:
    """The key under which a name is recognised: case, accents, punctuation and a leading "the" ignored."""
    text = name.replace("&", " and ")
    text = "".join(
        character
        for character in unicodedata.normalize("NFKD", text.casefold())
        if not unicodedata.combining(character)
    )
    text = text.translate(_APOSTROPHES).replace("'", "")
    text = "".join(character if character.isalnum() else " " for character in text)
    words = text.split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def resolve_country(text: str) -> CountryMatch:
    """Recognise ``text`` as a country; exact names always win over near misses."""
    table = _table()
    written = text.strip().translate(_APOSTROPHES)
    alpha3 = table["accepted"].get(written)
    if alpha3 is not None:
        return CountryMatch("accepted", alpha3, written)
    entry = table["index"].get(normalise(written))
    if entry is not None:
        alpha3, english_spelling = entry
        return CountryMatch("renamed", alpha3, english_spelling)
    return CountryMatch("unknown", None, None, _suggestions(normalise(written)))


def _suggestions(key: str, limit: int = 3) -> tuple[str, ...]:
    if not key:
        return ()
    import difflib  # only a misspelt country needs it

    table = _table()
    index: dict[str, list[str]] = table["index"]
    suggestions: list[str] = []
    for close_key in difflib.get_close_matches(key, index, n=10, cutoff=_SUGGESTION_CUTOFF):
        english = english_name(index[close_key][0])
        if english not in suggestions:
            suggestions.append(english)
    return tuple(suggestions[:limit])


def english_name(alpha3: str) -> str:
    """The English name alplint writes for a country (``MEX`` -> ``Mexico``)."""
    english: dict[str, str] = _table()["english"]
    return english.get(alpha3, alpha3)


def un_member_names() -> dict[str, str]:
    """UN member states (193) and observer states (2) by alpha-3, with their UN names."""
    table = _table()
    return {**table["un_members"], **table["un_observers"]}
