"""A small world map for the HTML report, drawn from the borders alplint ships.

Countries are projected with the Equal Earth projection (equal area, so no
country looks larger than it is) onto a 1000-unit wide plane, then
simplified by dropping every vertex closer than ``TOLERANCE`` units to the
last one kept and every ring smaller than that.  Antarctica is left out: no
form is there and it would take a fifth of the height.  The world is
projected once per run (``world``); a report then writes one light path
for the countries no form names and one outlined path per declared country.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from alplint.geo import borders

WIDTH = 1000.0
# Map units (a thousandth of the map's width) below which detail is dropped.
TOLERANCE = 0.9
SOUTHERNMOST = -60.0
LEFT_OUT = frozenset({"ATA"})

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
# Equal Earth is widest along the equator: +-2.70663 for a unit sphere.
_SCALE = WIDTH / 2 / (2 * math.sqrt(3) * math.pi / (3 * _A1))
_EDGE = WIDTH / 2


def project(lat: float, lng: float) -> tuple[float, float]:
    """Map units (x east from the left edge, y south from the equator) of a point."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    theta2 = theta * theta
    theta6 = theta2 * theta2 * theta2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lng)
        * math.cos(theta)
        / (3 * (9 * _A4 * theta6 * theta2 + 7 * _A3 * theta6 + 3 * _A2 * theta2 + _A1))
    )
    y = theta * (_A1 + _A2 * theta2 + theta6 * (_A3 + _A4 * theta2))
    return _EDGE + x * _SCALE, -y * _SCALE


@dataclass(frozen=True, slots=True)
class World:
    """Every country's simplified outline as SVG path data, and the box the map needs."""

    paths: dict[str, str]
    top: float
    bottom: float


def _ring_path(lngs: tuple[float, ...], lats: tuple[float, ...]) -> str:
    """Relative SVG path data of one simplified ring, or "" when nothing of it is visible."""
    points: list[tuple[int, int]] = []
    last_x = last_y = math.inf
    for lng, lat in zip(lngs, lats, strict=True):
        x, y = project(lat, lng)
        if abs(x - last_x) + abs(y - last_y) < TOLERANCE:
            continue
        last_x, last_y = x, y
        # Tenths of a unit: integers keep the path short.
        points.append((round(x * 10), round(y * 10)))
    if len(points) < 3:
        return ""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    if max(xs) - min(xs) < TOLERANCE * 10 and max(ys) - min(ys) < TOLERANCE * 10:
        return ""
    pieces = [f"M{points[0][0] / 10:g} {points[0][1] / 10:g}l"]
    previous_x, previous_y = points[0]
    steps = []
    for x, y in points[1:]:
        steps.append(f"{(x - previous_x) / 10:g} {(y - previous_y) / 10:g}")
        previous_x, previous_y = x, y
    pieces.append(" ".join(steps).replace(" -", "-"))
    pieces.append("z")
    return "".join(pieces)


@cache
def world() -> World:
    """The simplified outline of every country (by alpha-3 code), projected once per run."""
    paths: dict[str, str] = {}
    top = bottom = 0.0
    for alpha3 in sorted(borders._border_file().countries):
        if alpha3 in LEFT_OUT:
            continue
        rings = borders.country_rings(alpha3) or ()
        drawn = []
        for ring in rings:
            if ring.north < SOUTHERNMOST:
                continue
            path = _ring_path(ring.lngs, ring.lats)
            if path:
                drawn.append(path)
                top = min(top, project(ring.north, 0)[1])
                bottom = max(bottom, project(ring.south, 0)[1])
        if drawn:
            paths[alpha3] = "".join(drawn)
    return World(paths, top, bottom)
