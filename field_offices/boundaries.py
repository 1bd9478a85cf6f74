"""The municipality outlines as SVG paths, for maps drawn on the server (no tile server, no script).

The GeoJSON in `data/municipalities.geojson` is projected once per process: longitude is scaled by
the cosine of Kosovo's middle latitude (an equirectangular projection, true enough for an area this
small), fitted to a fixed view box, and points closer than half a unit to the previous one are dropped.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "municipalities.geojson"
WIDTH = 500.0  # the view box is WIDTH wide and as high as the country's shape needs
PADDING = 4.0
MIN_STEP = 0.5  # units; smaller steps are invisible at any size the page draws the map

ATTRIBUTION = _(
    "Boundaries: © OpenStreetMap contributors (ODbL), via geoBoundaries (Runfola et al. 2020), CC BY-SA 2.0; "
    "for display only, not official cadastral boundaries."
)


@dataclass(frozen=True)
class Outline:
    code: str
    path: str  # SVG path data


@dataclass(frozen=True)
class Outlines:
    width: float
    height: float
    by_code: dict[str, Outline]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unexpected geometry {geometry['type']}")


@cache
def outlines() -> Outlines:
    """The 38 outlines keyed by municipality code (KAS 01-38)."""
    features = json.loads(DATA.read_text(encoding="utf-8"))["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    west = min(p[0] for p in points)
    east = max(p[0] for p in points)
    south = min(p[1] for p in points)
    north = max(p[1] for p in points)
    x_scale = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * PADDING) / ((east - west) * x_scale)
    height = (north - south) * scale + 2 * PADDING

    def project(lon: float, lat: float) -> tuple[float, float]:
        return PADDING + (lon - west) * x_scale * scale, PADDING + (north - lat) * scale

    by_code = {}
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) < MIN_STEP:
                    continue
                kept.append((x, y))
            if len(kept) >= 3:
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
        code = feature["properties"]["code"]
        by_code[code] = Outline(code=code, path="".join(parts))
    return Outlines(width=WIDTH, height=round(height, 1), by_code=by_code)
