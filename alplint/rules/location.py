"""Location (ALP3): the ``[[country:...]]`` and ``[[latlng:LAT,LNG]]`` pairs.

Every form says where it happened: a country, and right after it the
latitude and longitude of a point in that country.  Archives get them wrong
in a few typical ways, each reported once: the pair is not two numbers, it
is the exporter's ``0,0`` placeholder, latitude and longitude are swapped,
the point lies in another country or at sea, or the country is misspelt or
not written in English.  Checks run in that order and stop at the first
mistake of a pair, so one mistake gives one problem.  A point counts as in
its country when it lies inside the borders or within ``tolerance-km``
(default 5 km) of them: coastal and atoll capitals and border towns sit
that close to the simplified borders alplint ships.  Contested areas count
for every claimant.  Borders and names work offline (Natural Earth 1:10m,
pycountry, UN names).

ALP301 invalid-latlng
    ``latlng`` must be two decimal numbers, latitude then longitude,
    separated by a comma: ``19.43,-99.13``.  Anything else (a decimal
    comma, degrees and minutes, a place name) cannot be put on a map.

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
    ``tolerance-km`` of its borders.  The message says which country (or
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
    accepted.  A name alplint recognises in another language, case or
    spelling, or as an ISO code (``México``, ``Sénégal``, ``MEX``,
    ``mexico``) is fixed to the English name; an unrecognised one
    (``Mexcio``, ``Columbia``) gets a did-you-mean and no fix.

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

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alplint.geo import borders
from alplint.geo.countries import CountryMatch, english_name, resolve_country
from alplint.model import Form, Location, Tag
from alplint.problem import Edit, Fix, Problem
from alplint.rules import Option, Rule
from alplint.rules.tags import tidy

if TYPE_CHECKING:
    from alplint.template import Template

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

OPTIONS: Mapping[str, Option] = {"tolerance-km": Option(5.0, minimum=0, maximum=20_000)}

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_LATLNG = re.compile(rf"(?P<lat>{_NUMBER})(?P<separator>\s*,\s*)(?P<lng>{_NUMBER})")


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


def check(form: Form, template: Template | None, options: Mapping[str, Any]) -> Iterator[Problem]:
    tolerance_km = float(options.get("tolerance-km", OPTIONS["tolerance-km"].default))
    for country, latlng, unpaired in _pairs(form.locations):
        if unpaired is not None:
            yield unpaired
        alpha3 = None
        if country is not None and tidy(country.value):
            match = resolve_country(tidy(country.value))
            alpha3 = match.alpha3
            problem = _country_problem(country, match)
            if problem is not None:
                yield problem
        if latlng is not None and latlng.value.strip():
            yield from _check_latlng(latlng, alpha3, tolerance_km)


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
                        f'Location "{latlng.value.strip()}" is not on the line right after '
                        f'its country "{country.value.strip()}" (line {country.span.line})',
                        subject=f"latlng:{latlng.value.strip()}",
                    ),
                )
                continue
            unpaired = None
            if country.value.strip():
                unpaired = Problem.at(
                    country.span,
                    "ALP307",
                    f'Country "{country.value.strip()}" has no [[latlng:LAT,LNG]] line right after it',
                    subject=f"country:{country.value.strip()}",
                )
            yield country, None, unpaired
        elif country is None and latlng is not None:
            unpaired = None
            if latlng.value.strip():
                unpaired = Problem.at(
                    latlng.span,
                    "ALP307",
                    f'Location "{latlng.value.strip()}" has no [[country:...]] line right before it',
                    subject=f"latlng:{latlng.value.strip()}",
                )
            yield None, latlng, unpaired
        else:
            yield country, latlng, None


def _country_problem(country: Tag, match: CountryMatch) -> Problem | None:
    written = tidy(country.value)
    subject = f"country:{written}"
    if match.status == "accepted":
        return None
    if match.status == "renamed" and match.name is not None:
        return Problem.at(
            country.value_span,
            "ALP306",
            f'Country "{written}" is not written as an English country name; write "{match.name}"',
            fix=Fix(
                f'Write the country as "{match.name}"',
                "safe",
                (Edit.replace(country.value_span, match.name),),
            ),
            subject=subject,
        )
    hint = ""
    if match.suggestions:
        hint = "; did you mean " + " or ".join(f'"{name}"' for name in match.suggestions) + "?"
    return Problem.at(
        country.value_span,
        "ALP306",
        f'Country "{written}" is not a country name alplint knows{hint}',
        subject=subject,
    )


def _check_latlng(latlng: Tag, alpha3: str | None, tolerance_km: float) -> Iterator[Problem]:
    written = tidy(latlng.value)
    subject = f"latlng:{written}"
    parsed = _LATLNG.fullmatch(written)
    if parsed is None:
        yield Problem.at(
            latlng.value_span,
            "ALP301",
            f'Location "{written}" is not two decimal numbers "LATITUDE,LONGITUDE" such as "19.43,-99.13"',
            subject=subject,
        )
        return
    pair = _Pair(
        float(parsed["lat"]),
        float(parsed["lng"]),
        parsed["lat"],
        parsed["lng"],
        parsed["separator"],
    )
    if pair.lat == 0 and pair.lng == 0:
        yield Problem.at(
            latlng.value_span,
            "ALP303",
            f'Location "{written}" is the exporter\'s placeholder for "no location", not a real place; '
            "write the real latitude and longitude",
            subject=subject,
        )
        return
    declared = alpha3 if alpha3 is not None and borders.has_shape(alpha3) else None
    if not _in_range(pair.lat, pair.lng):
        if (
            declared is not None
            and _in_range(pair.lng, pair.lat)
            and _is_near(declared, pair.lng, pair.lat, tolerance_km)
        ):
            yield _swapped_problem(latlng, pair, written, declared, subject)
            return
        yield Problem.at(
            latlng.value_span,
            "ALP302",
            f'Location "{written}" is off the map: {_range_mistake(pair)}',
            subject=subject,
        )
        return
    distance = borders.distance_km(declared, pair.lat, pair.lng) if declared is not None else None
    if declared is None or distance is None or distance <= tolerance_km:
        return
    if _in_range(pair.lng, pair.lat) and _is_near(declared, pair.lng, pair.lat, tolerance_km):
        yield _swapped_problem(latlng, pair, written, declared, subject)
        return
    yield Problem.at(
        latlng.value_span,
        "ALP305",
        f'Location "{written}" is {_whereabouts(pair.lat, pair.lng)}, '
        f"about {_round_km(distance)} km from {_in_a_sentence(english_name(declared))}, the country declared",
        subject=subject,
    )


def _in_range(lat: float, lng: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lng <= 180


def _is_near(alpha3: str, lat: float, lng: float, tolerance_km: float) -> bool:
    distance = borders.distance_km(alpha3, lat, lng)
    return distance is not None and distance <= tolerance_km


def _range_mistake(pair: _Pair) -> str:
    mistakes = []
    if not -90 <= pair.lat <= 90:
        mistakes.append(f"latitude {pair.lat_text} is outside -90..90")
    if not -180 <= pair.lng <= 180:
        mistakes.append(f"longitude {pair.lng_text} is outside -180..180")
    return " and ".join(mistakes)


def _swapped_problem(latlng: Tag, pair: _Pair, written: str, alpha3: str, subject: str) -> Problem:
    swapped = pair.swapped_text
    return Problem.at(
        latlng.value_span,
        "ALP304",
        f'Location "{written}" is not in {_in_a_sentence(english_name(alpha3))}, but "{swapped}" is: '
        "latitude and longitude look swapped (latitude comes first)",
        fix=Fix(
            "Swap latitude and longitude",
            "unsafe",
            (Edit.replace(latlng.value_span, swapped),),
        ),
        subject=subject,
    )


def _whereabouts(lat: float, lng: float) -> str:
    found = borders.countries_at(lat, lng)
    if not found:
        return "in the sea (in no country)"
    return "in " + " and ".join(_in_a_sentence(english_name(alpha3)) for alpha3 in found)


# Country names that English writes with "the" inside a sentence.
_TAKES_THE = re.compile(
    r"^(United |Russian Federation$|Holy See$|Gambia$|State of |Republic of |"
    r"(Central African|Dominican|Democratic|Czech) Republic|Democratic )|(Islands|lands|ines|Bahamas|Comoros|Maldives|Seychelles)$"
)


def _in_a_sentence(name: str) -> str:
    return f"the {name}" if _TAKES_THE.search(name) else name


def _round_km(distance: float) -> str:
    """Kilometres as a reader wants them: 7, 48, 230, 1,500."""
    if distance < 100:
        return str(round(distance))
    if distance < 1000:
        return str(int(round(distance, -1)))
    return f"{int(round(distance, -2)):,}"
