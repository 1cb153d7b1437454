"""Country names: which country a written name means, and how to write it in English.

The table (``data/countries.json``) is precomputed from pycountry, its
Spanish, French and Portuguese translations, the UN names and common English
variants by ``tools/build_borders.py``, so a lookup costs one small JSON load
and no gettext catalogue.  Names of places inside a country (the map units
and regions the platform's map writes: ``England``, ``Honshu``) and the
points the platform writes with them are in ``data/places.json``, read only
when a name is not a country's.  Lookups are cached per run.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal

MatchStatus = Literal["accepted", "renamed", "place", "unknown"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# A suggestion must be this close to an English country name: "Mexcio" -> "Mexico", never "Nepal".
_SUGGESTION_CUTOFF = 0.8
# ... and nearly as close as the closest: "Federal Democratic Republic of Nepa" suggests Nepal, not Ethiopia too.
_SUGGESTION_MARGIN = 0.05
_LOOKUP_CACHE = 4096
COUNTRIES_PATH = os.path.join(os.path.dirname(__file__), "data", "countries.json")
PLACES_PATH = os.path.join(os.path.dirname(__file__), "data", "places.json")


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What a written country name means.

    ``accepted``: an English name as written, or spelt another way that
    only spacing, punctuation or a "the" tells apart (``Timor Leste``);
    ``renamed``: recognised, but ``name`` is how to write it in English;
    ``place``: a place inside the country ``alpha3`` (``England``), ``name``
    being the country's English name; ``unknown``: not recognised, and
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


def _variant_key(name: str) -> str:
    """A name with only its letters and digits, case and accents kept, the word "the" dropped."""
    words = "".join(character if character.isalnum() else " " for character in name.translate(_APOSTROPHES))
    return "".join(word for word in words.split() if word.casefold() != "the")


@cache
def _variants() -> dict[str, tuple[str, str]]:
    """Accepted English names by their variant key: (alpha-3, the name)."""
    variants: dict[str, tuple[str, str]] = {}
    for name, alpha3 in sorted(_table()["accepted"].items()):
        variants.setdefault(_variant_key(name), (alpha3, name))
    return variants


@cache
def _places() -> tuple[dict[str, str], dict[str, tuple[tuple[float, float], ...]]]:
    """Place names (normalised) to alpha-3, and the platform's points by normalised name."""
    with open(PLACES_PATH, encoding="utf-8") as places_file:
        data: dict[str, Any] = json.load(places_file)
    index = {key: alpha3 for alpha3, keys in data["places"].items() for key in keys}
    points = {key: tuple((lat, lng) for lat, lng in pairs) for key, pairs in data["platform_points"].items()}
    return index, points


@lru_cache(maxsize=_LOOKUP_CACHE)
def resolve_country(text: str) -> CountryMatch:
    """Recognise ``text`` as a country, or a place in one; exact names always win over near misses."""
    table = _table()
    written = text.strip().translate(_APOSTROPHES)
    alpha3 = table["accepted"].get(written)
    if alpha3 is not None:
        return CountryMatch("accepted", alpha3, written)
    variant = _variants().get(_variant_key(written))
    if variant is not None:
        return CountryMatch("accepted", variant[0], written)
    key = normalise(written)
    entry = table["index"].get(key)
    if entry is not None:
        alpha3, english_spelling = entry
        return CountryMatch("renamed", alpha3, english_spelling)
    place = _places()[0].get(key)
    if place is not None:
        return CountryMatch("place", place, english_name(place))
    return CountryMatch("unknown", None, None, _suggestions(key))


def platform_points(name: str) -> tuple[tuple[float, float], ...]:
    """The points the platform writes with this country or place name in its exports."""
    return _places()[1].get(normalise(name), ())


@cache
def _english_keys() -> dict[str, str]:
    """The English names a suggestion may be, by normalised key."""
    table = _table()
    keys: dict[str, str] = {}
    for name, alpha3 in sorted(table["accepted"].items()):
        keys.setdefault(normalise(name), english_name(alpha3))
    return keys


def _suggestions(key: str, limit: int = 3) -> tuple[str, ...]:
    """English country names close enough to be what was meant (only English names: no "Nepal" for
    "Timor Leste" through a translation that happens to be near)."""
    if not key:
        return ()
    import difflib  # only a misspelt country needs it

    from alplint.suggest import closest

    english = _english_keys()
    close = closest(key, english, count=10, cutoff=_SUGGESTION_CUTOFF)
    if not close:
        return ()
    best = difflib.SequenceMatcher(None, key, close[0]).ratio()
    suggestions: list[str] = []
    for close_key in close:
        plausible = difflib.SequenceMatcher(None, key, close_key).ratio() >= best - _SUGGESTION_MARGIN
        if plausible and english[close_key] not in suggestions:
            suggestions.append(english[close_key])
    return tuple(suggestions[:limit])


def english_name(alpha3: str) -> str:
    """The English name alplint writes for a country (``MEX`` -> ``Mexico``)."""
    english: dict[str, str] = _table()["english"]
    return english.get(alpha3, alpha3)


def un_member_names() -> dict[str, str]:
    """UN member states (193) and observer states (2) by alpha-3, with their UN names."""
    table = _table()
    return {**table["un_members"], **table["un_observers"]}
