"""Location (ALP3): the ``[[country:...]]`` and ``[[latlng:LAT,LNG]]`` pairs.

Every form says where it happened: a country, and right after it the
latitude and longitude of a point in that country.  Archives get them wrong
in a few typical ways: the pair is not two numbers, it is the exporter's
``0,0`` placeholder, latitude and longitude are swapped, the point lies in
another country or at sea, or the country is misspelt or not written in
English.  One mistake gives one problem: when a pair can be read several
ways (swapped, and so also off the map) every true reading is yielded, most
specific first, and only the first whose rule is enabled is reported, so
``--ignore ALP304`` shows the next true one.  A point counts as in its
country when it lies inside the borders or within ``tolerance-km`` (default
5 km) of them: coastal and atoll capitals and border towns sit that close
to the simplified borders alplint ships.  A point at sea within 22 km (12
nautical miles, the territorial sea) of the country's coast is in its
waters, and counts too: the platform's centre points of island states lie
there.  Contested areas count for every claimant.  A pair repeated in a
form (two places in one country) is checked once.

The platform's map names map units and regions, not only countries
(``England``, ``Republika Srpska``, ``Honshu``, ``Canary Islands``): such a
name is read as its country and the point is checked against that
country.  The exporter writes the platform's own centre point for each
name, and a few of those lie outside their country (Fiji's in the Coral
Sea, Vietnam's in Laos): they are still reported, saying that the point is
the platform's default, not the author's pin.  Borders and names work
offline (Natural Earth 1:10m, pycountry, UN names; see
``alplint/geo/data/NOTICE``).

ALP301 invalid-latlng
    ``latlng`` must be two decimal numbers, latitude then longitude,
    separated by a comma: ``19.43,-99.13``.  Anything else (a decimal
    comma, degrees and minutes, a place name, a minus sign typed as a dash
    such as ``−12.05``) cannot be put on a map.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47°55'N 106°55'E]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP302 latlng-out-of-range
    Latitude runs from -90 to 90 and longitude from -180 to 180; a value
    beyond is a typing mistake (when swapping the two explains it, the
    problem is ALP304 instead).

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:479.2,106.92]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP303 null-island
    ``0,0`` is what the exporter writes when the platform had no location:
    a point in the Gulf of Guinea, not a real place.  Write the real
    coordinates.

Failing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:0,0]]

Passing example::

    # Rangeland monitoring
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mongolia]]
    [[latlng:47.92,106.92]]

ALP304 latlng-swapped
    The point is not in the declared country, but with latitude and
    longitude swapped it is: the pair was written longitude first.  The fix
    swaps them; it is marked unsafe because only a person can be sure.  No
    swap is suggested when the point as written is already in the country.

Failing example::

    # Grain storage in Kyiv
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Ukraine]]
    [[latlng:30.52,50.45]]

Passing example::

    # Grain storage in Kyiv
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Ukraine]]
    [[latlng:50.45,30.52]]

ALP305 latlng-outside-country
    The point is neither in the declared country nor within
    ``tolerance-km`` of its borders (nor at sea within 22 km of its coast,
    in its territorial sea).  The message says which country (or
    the sea) the point is in, and how far it is from the declared country,
    so you can tell a wrong country from a wrong point.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Guatemala]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP306 unknown-country
    The country is not written as an accepted English name.  UN names
    (``Viet Nam``, ``Türkiye``, ``Bolivia (Plurinational State of)``,
    ``State of Palestine``, ``Kosovo``) and common English names
    (``Vietnam``, ``Bolivia``, ``Laos``, ``Tanzania``, ``Ivory Coast``) are
    accepted, and so are spellings that differ from one only in spacing,
    punctuation or a "the" (``Timor Leste``, ``Guinea Bissau``,
    ``Democratic Republic of Congo``), and the names of places inside a
    country that the platform's map uses (``England``, ``Honshu``).  A name
    alplint recognises in another language, case or spelling, or as an ISO
    code (``México``, ``Sénégal``, ``MEX``, ``mexico``) is fixed to the
    English name; an unrecognised one gets a did-you-mean when an English
    country name is close (``Mexcio``, ``Columbia``), and no fix.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexcio]]
    [[latlng:19.43,-99.13]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]

ALP307 unpaired-location
    A ``country`` needs its ``latlng`` on the line right after it, and a
    ``latlng`` needs the ``country`` it belongs to right before it;
    otherwise the platform cannot tell which point belongs to which
    country.

Failing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]

Passing example::

    # Street markets
    [[focal_point:ana@undp.org]]
    [[year:2024]]
    [[type:experiment]]
    [[country:Mexico]]
    [[latlng:19.43,-99.13]]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from alplint.geo import borders
from alplint.geo.coordinates import LOOKALIKE_MINUS, parse_latlng
from alplint.geo.countries import CountryMatch, english_name, platform_points, resolve_country
from alplint.i18n import Message, _
from alplint.model import Form, Location, Tag
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.rules.tags import tidy
from alplint.template import Binding

RULES: tuple[Rule, ...] = (
    Rule("ALP301", "invalid-latlng", "error", "latlng is not two decimal numbers LAT,LNG"),
    Rule(
        "ALP302",
        "latlng-out-of-range",
        "error",
        "Latitude outside -90..90 or longitude outside -180..180",
    ),
    Rule(
        "ALP303",
        "null-island",
        "error",
        "latlng is 0,0, the exporter's placeholder for no location",
    ),
    Rule(
        "ALP304",
        "latlng-swapped",
        "error",
        "The point is not in the declared country but the swapped pair is",
        fixable=True,
        fix_applicability="unsafe",
    ),
    Rule(
        "ALP305",
        "latlng-outside-country",
        "error",
        "The point is not in (or near the coast or border of) the declared country",
    ),
    Rule(
        "ALP306",
        "unknown-country",
        "error",
        "The country is not written as an accepted English name",
        fixable=True,
    ),
    Rule(
        "ALP307",
        "unpaired-location",
        "error",
        "A country with no latlng right after it, or a latlng with no country",
    ),
)

# 12 nautical miles: the territorial sea of a coast (UNCLOS, article 3).
TERRITORIAL_SEA_KM = 22.2

OPTIONS: Mapping[str, Option] = {"tolerance-km": Option("number", 5.0, minimum=0, maximum=20_000)}
# Two points closer than this (in degrees) are the same point written with fewer decimals.
_SAME_POINT_DEGREES = 1e-6


@dataclass(frozen=True, slots=True)
class _Pair:
    lat: float
    lng: float
    lat_text: str
    lng_text: str
    separator: str

    @property
    def swapped_text(self) -> str:
        return f"{self.lng_text}{self.separator}{self.lat_text}"


@dataclass(frozen=True, slots=True)
class _Declared:
    """The country a location names: its alpha-3 (with a shape) and the name as written."""

    alpha3: str
    written: str


def check(form: Form, binding: Binding | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    tolerance_km = float(options.get("tolerance-km", OPTIONS["tolerance-km"].default))
    seen: set[tuple[str, str]] = set()
    for country, latlng, unpaired in _pairs(form.locations):
        if unpaired is not None:
            yield unpaired
        # The exporter writes one pair per place, the same pair for two places in one country: a
        # mistake in it is one mistake, reported at its first line.
        pair = (tidy(country.value) if country else "", tidy(latlng.value) if latlng else "")
        if pair in seen:
            continue
        seen.add(pair)
        declared = None
        if country is not None and tidy(country.value):
            written = tidy(country.value)
            match = resolve_country(written)
            problem = _country_problem(country, match)
            if problem is not None:
                yield problem
            if match.alpha3 is not None and borders.has_shape(match.alpha3):
                declared = _Declared(match.alpha3, written)
        if latlng is not None and latlng.value.strip():
            yield from _check_latlng(latlng, declared, tolerance_km)


def _pairs(locations: list[Location]) -> Iterator[tuple[Tag | None, Tag | None, Problem | None]]:
    """Each location with its ALP307 problem, if any.

    A ``latlng`` parted from its ``country`` by another tag is one mistake:
    it gives one problem, and the two are still checked together.
    """
    index = 0
    while index < len(locations):
        country, latlng = locations[index].country, locations[index].latlng
        index += 1
        if country is not None and latlng is None:
            following = locations[index] if index < len(locations) else None
            if following is not None and following.country is None and following.latlng is not None:
                index += 1
                latlng = following.latlng
                yield (
                    country,
                    latlng,
                    Problem.at(
                        latlng.span,
                        "ALP307",
                        _(
                            'Location "{latlng}" is not on the line right after its country "{country}" '
                            "(line {line})",
                            latlng=latlng.value.strip(),
                            country=country.value.strip(),
                            line=country.span.line,
                        ),
                        subject=f"latlng:{latlng.value.strip()}",
                    ),
                )
                continue
            unpaired = None
            if country.value.strip():
                unpaired = Problem.at(
                    country.span,
                    "ALP307",
                    _(
                        'Country "{country}" has no [[latlng:LAT,LNG]] line right after it',
                        country=country.value.strip(),
                    ),
                    subject=f"country:{country.value.strip()}",
                )
            yield country, None, unpaired
        elif country is None and latlng is not None:
            unpaired = None
            if latlng.value.strip():
                unpaired = Problem.at(
                    latlng.span,
                    "ALP307",
                    _(
                        'Location "{latlng}" has no [[country:...]] line right before it',
                        latlng=latlng.value.strip(),
                    ),
                    subject=f"latlng:{latlng.value.strip()}",
                )
            yield None, latlng, unpaired
        else:
            yield country, latlng, None


def _country_problem(country: Tag, match: CountryMatch) -> Problem | None:
    written = tidy(country.value)
    subject = f"country:{written}"
    if match.status in ("accepted", "place"):
        return None
    if match.status == "renamed" and match.name is not None:
        return Problem.at(
            country.value_span,
            "ALP306",
            _(
                'Country "{country}" is not written as an English country name; write "{english}"',
                country=written,
                english=match.name,
            ),
            fix=Fix(
                _('Write the country as "{english}"', english=match.name),
                "safe",
                (Edit.replace(country.value_span, match.name),),
            ),
            subject=subject,
        )
    if match.suggestions:
        message = _(
            'Country "{country}" is not a country name alplint knows; did you mean {suggestions}?',
            country=written,
            suggestions=_or_list(f'"{name}"' for name in match.suggestions),
        )
    else:
        message = _('Country "{country}" is not a country name alplint knows', country=written)
    return Problem.at(country.value_span, "ALP306", message, subject=subject)


def _check_latlng(latlng: Tag, declared: _Declared | None, tolerance_km: float) -> Iterator[Problem]:
    """Every true reading of the pair's mistake, most specific first, under one ``mistake`` key."""
    written = latlng.value.strip()
    tidied = tidy(latlng.value)
    subject = f"latlng:{tidied}"
    mistake = f"latlng:{latlng.span.line}"
    parsed = parse_latlng(tidied)
    if parsed is None:
        yield Problem.at(
            latlng.value_span, "ALP301", _invalid_message(written), subject=subject, mistake=mistake
        )
        return
    pair = _Pair(
        float(parsed["lat"]), float(parsed["lng"]), parsed["lat"], parsed["lng"], parsed["separator"]
    )
    if pair.lat == 0 and pair.lng == 0:
        yield Problem.at(
            latlng.value_span,
            "ALP303",
            _(
                'Location "{latlng}" is the exporter\'s placeholder for "no location", not a real place; '
                "write the real latitude and longitude",
                latlng=tidied,
            ),
            subject=subject,
            mistake=mistake,
        )
    swap_fits = (
        declared is not None
        and _in_range(pair.lng, pair.lat)
        and _is_near(declared.alpha3, pair.lng, pair.lat, tolerance_km)
    )
    if not _in_range(pair.lat, pair.lng):
        if swap_fits and declared is not None:
            yield _swapped_problem(latlng, pair, tidied, declared.alpha3, subject, mistake)
        yield Problem.at(
            latlng.value_span,
            "ALP302",
            _('Location "{latlng}" is off the map: {mistake}', latlng=tidied, mistake=_range_mistake(pair)),
            subject=subject,
            mistake=mistake,
        )
        return
    if declared is None:
        return
    distance = borders.distance_km(declared.alpha3, pair.lat, pair.lng)
    if distance is None or distance <= tolerance_km:
        return
    if distance <= TERRITORIAL_SEA_KM and not borders.countries_at(pair.lat, pair.lng):
        return  # at sea, in the country's own waters: the centre point of an island state
    if swap_fits:
        yield _swapped_problem(latlng, pair, tidied, declared.alpha3, subject, mistake)
    yield Problem.at(
        latlng.value_span,
        "ALP305",
        _outside_message(tidied, pair, declared, distance),
        subject=subject,
        mistake=mistake,
    )


def _invalid_message(written: str) -> Message:
    if any(character in LOOKALIKE_MINUS for character in written):
        return _(
            'Location "{latlng}" is not two decimal numbers "LATITUDE,LONGITUDE": its minus sign is a '
            'dash that looks like one; type it as "-" (as in "-12.05")',
            latlng=written,
        )
    return _(
        'Location "{latlng}" is not two decimal numbers "LATITUDE,LONGITUDE" such as "19.43,-99.13"',
        latlng=written,
    )


def _outside_message(tidied: str, pair: _Pair, declared: _Declared, distance: float) -> Message:
    where = _whereabouts(pair.lat, pair.lng)
    country = _in_a_sentence(english_name(declared.alpha3))
    if _is_platform_point(declared.written, pair):
        return _(
            'Location "{latlng}" is the platform\'s default point for "{name}", not a pin of the author\'s: '
            "the platform places it {where}, about {distance:,} km from {country}",
            latlng=tidied,
            name=declared.written,
            where=where,
            distance=_round_km(distance),
            country=country,
        )
    return _(
        'Location "{latlng}" is {where}, about {distance:,} km from {country}, the country declared',
        latlng=tidied,
        where=where,
        distance=_round_km(distance),
        country=country,
    )


def _is_platform_point(name: str, pair: _Pair) -> bool:
    return any(
        abs(lat - pair.lat) < _SAME_POINT_DEGREES and abs(lng - pair.lng) < _SAME_POINT_DEGREES
        for lat, lng in platform_points(name)
    )


def _in_range(lat: float, lng: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lng <= 180


def _is_near(alpha3: str, lat: float, lng: float, tolerance_km: float) -> bool:
    distance = borders.distance_km(alpha3, lat, lng)
    return distance is not None and distance <= tolerance_km


def _range_mistake(pair: _Pair) -> Message:
    latitude = _("latitude {value} is outside -90..90", value=pair.lat_text)
    longitude = _("longitude {value} is outside -180..180", value=pair.lng_text)
    lat_wrong = not -90 <= pair.lat <= 90
    lng_wrong = not -180 <= pair.lng <= 180
    if lat_wrong and lng_wrong:
        return _("{first} and {second}", first=latitude, second=longitude)
    return latitude if lat_wrong else longitude


def _swapped_problem(
    latlng: Tag, pair: _Pair, written: str, alpha3: str, subject: str, mistake: str
) -> Problem:
    swapped = pair.swapped_text
    return Problem.at(
        latlng.value_span,
        "ALP304",
        _(
            'Location "{latlng}" is not in {country}, but "{swapped}" is: latitude and longitude look swapped '
            "(latitude comes first)",
            latlng=written,
            country=_in_a_sentence(english_name(alpha3)),
            swapped=swapped,
        ),
        fix=Fix(_("Swap latitude and longitude"), "unsafe", (Edit.replace(latlng.value_span, swapped),)),
        subject=subject,
        mistake=mistake,
    )


def _whereabouts(lat: float, lng: float) -> Message:
    found = borders.countries_at(lat, lng)
    if not found:
        return _("in the sea (in no country)")
    return _("in {countries}", countries=_and_list(_in_a_sentence(english_name(alpha3)) for alpha3 in found))


# Lists of names joined by translatable words ("A and B", "A or B or C"), never an English " and ".
def _and_list(names: Iterable[str]) -> str:
    return functools.reduce(
        lambda first, second: _("{first} and {second}", first=first, second=second), names
    )


def _or_list(names: Iterable[str]) -> str:
    return functools.reduce(lambda first, second: _("{first} or {second}", first=first, second=second), names)


# Country names that English writes with "the" inside a sentence.
_TAKES_THE = re.compile(
    r"^(United |Russian Federation$|Holy See$|Gambia$|State of |Republic of |"
    r"(Central African|Dominican|Democratic|Czech) Republic|Democratic )|(Islands|lands|ines|Bahamas|Comoros|Maldives|Seychelles)$"
)


def _in_a_sentence(name: str) -> str:
    # Translators: an English country name that English writes with "the" in a sentence ("the
    # Philippines"); the name stays in English, so another language writes {name} alone.
    return _("the {name}", name=name) if _TAKES_THE.search(name) else name


def _round_km(distance: float) -> int:
    """Kilometres as a reader wants them: 7, 48, 230, 1500 (the message writes its digits ``1,500``, as
    the reader's language groups them)."""
    if distance < 100:
        return round(distance)
    if distance < 1000:
        return int(round(distance, -1))
    return int(round(distance, -2))
