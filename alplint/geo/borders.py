"""Country borders: is a point in a country, and how far from it.

The borders are Natural Earth 1:10m countries simplified to about 0.01
degree (see ``data/NOTICE`` and ``tools/build_borders.py``).  Only the header
of ``data/borders.bin`` is read up front; each country's rings are
decompressed on first use.  Geometry is plain Python: ray casting for
containment and a local equirectangular projection around the point for
distances, with longitudes wrapped so the 180th meridian is no edge.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate

EARTH_RADIUS_KM = 6371.0088
# Exports reuse the platform's few hundred points: each (country, point) is measured once per run.
_POINT_CACHE = 4096
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
_MAGIC = b"ALPB"
# A plain path, not importlib.resources: that import alone costs more than the lookup.
BORDERS_PATH = os.path.join(os.path.dirname(__file__), "data", "borders.bin")


@dataclass(frozen=True, slots=True)
class Ring:
    """One closed ring (the closing point is implicit) and its bounding box."""

    lngs: tuple[float, ...]
    lats: tuple[float, ...]
    west: float
    south: float
    east: float
    north: float

    def contains(self, lat: float, lng: float) -> bool:
        """Even-odd ray casting towards the east."""
        if not (self.south <= lat <= self.north and self.west <= lng <= self.east):
            return False
        inside = False
        lngs, lats = self.lngs, self.lats
        previous_lng, previous_lat = lngs[-1], lats[-1]
        for ring_lng, ring_lat in zip(lngs, lats, strict=True):
            if (ring_lat > lat) != (previous_lat > lat) and lng < ring_lng + (lat - ring_lat) * (
                previous_lng - ring_lng
            ) / (previous_lat - ring_lat):
                inside = not inside
            previous_lng, previous_lat = ring_lng, ring_lat
        return inside


@dataclass(frozen=True, slots=True)
class _BorderFile:
    scale: int
    cell_degrees: int
    countries: dict[str, tuple[int, int, tuple[int, ...]]]
    blobs: bytes
    cells: dict[int, tuple[str, ...]]


@cache
def _border_file() -> _BorderFile:
    with open(BORDERS_PATH, "rb") as border_file:
        data = border_file.read()
    if data[:4] != _MAGIC:
        raise ValueError("alplint/geo/data/borders.bin is not an alplint border file")
    (header_length,) = struct.unpack_from("<I", data, 4)
    header = json.loads(zlib.decompress(data[8 : 8 + header_length]))
    countries = {
        alpha3: (offset, length, tuple(cells))
        for alpha3, (offset, length, cells) in header["countries"].items()
    }
    cells: dict[int, list[str]] = {}
    for alpha3, (_, _, country_cells) in countries.items():
        for cell in country_cells:
            cells.setdefault(cell, []).append(alpha3)
    return _BorderFile(
        scale=header["scale"],
        cell_degrees=header["cell_degrees"],
        countries=countries,
        blobs=data[8 + header_length :],
        cells={cell: tuple(alpha3s) for cell, alpha3s in cells.items()},
    )


@cache
def country_rings(alpha3: str) -> tuple[Ring, ...] | None:
    """The rings of one country (islands, holes and all), or None if it has no shape."""
    border_file = _border_file()
    entry = border_file.countries.get(alpha3)
    if entry is None:
        return None
    offset, length, _ = entry
    values = array("i")
    values.frombytes(zlib.decompress(border_file.blobs[offset : offset + length]))
    if sys.byteorder == "big":
        values.byteswap()
    scale = border_file.scale
    rings: list[Ring] = []
    position = 1
    for _ in range(values[0]):
        count = values[position]
        position += 1
        coordinates = values[position : position + 2 * count]
        position += 2 * count
        lngs = tuple(value / scale for value in accumulate(coordinates[0::2]))
        lats = tuple(value / scale for value in accumulate(coordinates[1::2]))
        rings.append(Ring(lngs, lats, min(lngs), min(lats), max(lngs), max(lats)))
    return tuple(rings)


def has_shape(alpha3: str) -> bool:
    return alpha3 in _border_file().countries


def contains(alpha3: str, lat: float, lng: float) -> bool | None:
    """Whether the point is inside the country; None if the country has no shape."""
    rings = country_rings(alpha3)
    if rings is None:
        return None
    inside = False
    for ring in rings:
        if ring.contains(lat, lng):
            inside = not inside
    return inside


@lru_cache(maxsize=_POINT_CACHE)
def distance_km(alpha3: str, lat: float, lng: float) -> float | None:
    """Great-circle km from the point to the country: 0 inside, None if it has no shape."""
    rings = country_rings(alpha3)
    if rings is None:
        return None
    if contains(alpha3, lat, lng):
        return 0.0
    return _distance_to_rings(rings, lat, lng)


def countries_at(lat: float, lng: float) -> list[str]:
    """Every country the point is in (more than one in contested areas), as alpha-3 codes."""
    return list(_countries_at(lat, lng))


@lru_cache(maxsize=_POINT_CACHE)
def _countries_at(lat: float, lng: float) -> tuple[str, ...]:
    border_file = _border_file()
    cell = _cell(lat, lng, border_file.cell_degrees)
    return tuple(alpha3 for alpha3 in border_file.cells.get(cell, ()) if contains(alpha3, lat, lng))


def country_at(lat: float, lng: float) -> str | None:
    """The country the point is in, or None at sea (or in no country)."""
    found = countries_at(lat, lng)
    return found[0] if found else None


def _cell(lat: float, lng: float, cell_degrees: int) -> int:
    columns = 360 // cell_degrees
    column = min(max(int((lng + 180) // cell_degrees), 0), columns - 1)
    row = min(max(int((lat + 90) // cell_degrees), 0), 180 // cell_degrees - 1)
    return row * columns + column


def wrap_longitude(degrees: float) -> float:
    """A longitude difference brought into [-180, 180)."""
    return (degrees + 180.0) % 360.0 - 180.0


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(wrap_longitude(lng2 - lng1)) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distance_to_rings(rings: tuple[Ring, ...], lat: float, lng: float) -> float:
    """Distance to the nearest ring edge, visiting rings nearest-box first and skipping far ones.

    Edges are measured in a projection centred on the point (x east, y north,
    in km, x scaled by the cosine of the point's latitude).  Each edge is
    unwrapped from its first end so that an edge near the antipodal meridian
    does not span the whole world.  The nearest point found is then measured
    again along the great circle.
    """
    x_scale = KM_PER_DEGREE * math.cos(math.radians(lat))
    bounds = sorted((_box_lower_bound(ring, lat, lng, x_scale), index) for index, ring in enumerate(rings))
    best_squared = math.inf
    best_point = (lat, lng)
    for lower_bound, index in bounds:
        if lower_bound * lower_bound >= best_squared:
            break
        ring = rings[index]
        lngs, lats = ring.lngs, ring.lats
        previous_dx = wrap_longitude(lngs[-1] - lng)
        previous_lng, previous_lat = lngs[-1], lats[-1]
        for ring_lng, ring_lat in zip(lngs, lats, strict=True):
            start_x = previous_dx * x_scale
            start_y = (previous_lat - lat) * KM_PER_DEGREE
            end_dx = previous_dx + wrap_longitude(ring_lng - previous_lng)
            end_x = end_dx * x_scale
            end_y = (ring_lat - lat) * KM_PER_DEGREE
            edge_x, edge_y = end_x - start_x, end_y - start_y
            length_squared = edge_x * edge_x + edge_y * edge_y
            along = 0.0
            if length_squared > 0:
                along = min(
                    1.0,
                    max(0.0, -(start_x * edge_x + start_y * edge_y) / length_squared),
                )
            near_x, near_y = start_x + along * edge_x, start_y + along * edge_y
            squared = near_x * near_x + near_y * near_y
            if squared < best_squared:
                best_squared = squared
                near_lng = lng + (previous_dx + along * (end_dx - previous_dx))
                best_point = (lat + near_y / KM_PER_DEGREE, near_lng)
            previous_dx = wrap_longitude(ring_lng - lng)
            previous_lng, previous_lat = ring_lng, ring_lat
    return haversine_km(lat, lng, *best_point)


def _box_lower_bound(ring: Ring, lat: float, lng: float, x_scale: float) -> float:
    """A distance (in the projection of ``_distance_to_rings``) no edge of the ring can be nearer than."""
    north_south = max(0.0, ring.south - lat, lat - ring.north) * KM_PER_DEGREE
    if ring.west <= lng <= ring.east:
        east_west = 0.0
    else:
        east_west = (
            min(
                abs(wrap_longitude(ring.west - lng)),
                abs(wrap_longitude(ring.east - lng)),
            )
            * x_scale
        )
    return max(north_south, east_west)
