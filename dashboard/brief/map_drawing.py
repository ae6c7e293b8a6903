"""The brief's map as drawing instructions: countries, lines and marks in millimetres inside a box.

Pure geometry (shapely): the frame around a country, an equirectangular
projection scaled by the cosine of its middle latitude, outlines clipped to
the frame and simplified to what a printer can show. The PDF writer only
draws what this module returns, so the map's content is tested without a PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from dashboard.catalog import PROGRAMMES
from dashboard.maps.layers import COUNTRY_LEVEL

MIN_SPAN_DEG = 5.0  # a small island state is shown with the sea and neighbours around it
PAD = 0.12  # of the frame's span, on each side
PRINT_TOLERANCE_MM = 0.2  # detail finer than this does not print
NEAR_MM = 1.6  # marks closer than this would hide each other (a seminar under a study at Jakarta) ...
SPREAD_MM = 2.0  # ... so they are set around their middle at this distance, as the app's map fans them out


@dataclass(frozen=True)
class Frame:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True)
class Mark:
    programme: str  # a key of PROGRAMMES: its colour and shape
    x: float
    y: float
    count: int = 0  # > 0: a badge for that many rows the brochure places by country only, not a site


@dataclass(frozen=True)
class MapDrawing:
    width: float
    height: float
    frame: Frame
    countries: tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]  # (iso3, rings)
    focus: str
    lines: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]  # (programme, points)
    marks: tuple[Mark, ...]

    @property
    def has_badges(self) -> bool:
        return any(m.count for m in self.marks)

    @property
    def programmes(self) -> tuple[str, ...]:
        """The programmes drawn, in the legend's order."""
        shown = {m.programme for m in self.marks} | {p for p, _ in self.lines}
        return tuple(p for p in PROGRAMMES if p in shown)


def _main_extent(geom) -> tuple[float, float, float, float]:
    """The bounds of a country, or of its largest part if it straddles the antimeridian."""
    minx, miny, maxx, maxy = geom.bounds
    if maxx - minx > 180 and isinstance(geom, MultiPolygon):
        return max(geom.geoms, key=lambda g: g.area).bounds
    return minx, miny, maxx, maxy


def frame_for(country_geom, points: list[tuple[float, float]], aspect: float) -> Frame:
    """A frame around the country and its sites, padded, at least :data:`MIN_SPAN_DEG` high, of ``aspect`` (w/h).

    ``points`` are (lon, lat) of the country's own features: a site the
    basemap's outline misses (a small island) still falls inside.
    """
    xs, ys = [], []
    if country_geom is not None and not country_geom.is_empty:
        minx, miny, maxx, maxy = _main_extent(country_geom)
        xs += [minx, maxx]
        ys += [miny, maxy]
    for lon, lat in points:
        xs.append(lon)
        ys.append(lat)
    if not xs:
        raise ValueError("nothing to frame: no outline and no sites")
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    cx, cy = (west + east) / 2, (south + north) / 2
    cos = max(math.cos(math.radians(cy)), 0.2)
    # Spans in "screen degrees": longitude shrinks by the cosine of the latitude.
    w, h = (east - west) * cos, north - south
    w, h = w * (1 + 2 * PAD), h * (1 + 2 * PAD)
    h = max(h, MIN_SPAN_DEG, w / aspect)
    w = h * aspect
    half_lon, half_lat = w / cos / 2, h / 2
    south, north = max(cy - half_lat, -85.0), min(cy + half_lat, 85.0)
    return Frame(cx - half_lon, south, cx + half_lon, north)


def _projector(frame: Frame, width: float, height: float):
    sx = width / (frame.east - frame.west)
    sy = height / (frame.north - frame.south)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - frame.west) * sx, 2), round((frame.north - lat) * sy, 2))

    return project, sy


def _rings(geom, project) -> tuple[tuple[tuple[float, float], ...], ...]:
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    if not isinstance(geom, (Polygon, MultiPolygon)) and hasattr(geom, "geoms"):
        polygons = [g for g in geom.geoms if isinstance(g, Polygon)]
    rings = []
    for poly in polygons:
        for ring in (poly.exterior, *poly.interiors):
            points = tuple(project(x, y) for x, y in ring.coords)
            if len(set(points)) >= 3:
                rings.append(points)
    return tuple(rings)


def map_drawing(world, iso3: str, features, width: float, height: float) -> MapDrawing:
    """The map of ``iso3`` in a ``width`` × ``height`` mm box.

    Parameters
    ----------
    world : GeoDataFrame
        The basemap (``iso3``, ``geometry``).
    iso3 : str
    features : list of (programme, GeoDataFrame)
        The country's features by the programme they are drawn as (points and lines).
    """
    outline = world.loc[world["iso3"] == iso3, "geometry"]
    country_geom = outline.iloc[0] if len(outline) else None
    own_points = []
    for _, rows in features:
        for geom in rows.geometry:
            if geom is not None and geom.geom_type == "Point":
                own_points.append((geom.x, geom.y))
    frame = frame_for(country_geom, own_points, width / height)
    project, scale = _projector(frame, width, height)
    window = box(frame.west, frame.south, frame.east, frame.north)
    tolerance = PRINT_TOLERANCE_MM / scale
    countries = []
    hits = world[world.intersects(window)]
    for code, geom in zip(hits["iso3"], hits.geometry):
        clipped = shapely.clip_by_rect(geom, frame.west, frame.south, frame.east, frame.north)
        clipped = clipped.simplify(tolerance, preserve_topology=True)
        rings = _rings(clipped, project)
        if rings:
            countries.append((str(code), rings))
    # The chosen country last, so its outline is drawn over its neighbours'.
    countries.sort(key=lambda c: c[0] == iso3)
    lines, marks = [], []
    for programme, rows in features:
        by_country = rows.get("geocode_precision") == COUNTRY_LEVEL
        if by_country is not False and by_country.any():
            # One badge per programme, as on the atlas map: a point inside the country is no site.
            first = rows[by_country].geometry.iloc[0]
            if first is not None and window.contains(first):
                marks.append(Mark(programme, *project(first.x, first.y), count=int(by_country.sum())))
            rows = rows[~by_country]
        for geom in rows.geometry:
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type == "Point":
                if window.contains(geom):
                    marks.append(Mark(programme, *project(geom.x, geom.y)))
            else:
                part = geom.intersection(window)
                for piece in getattr(part, "geoms", [part]):
                    if isinstance(piece, LineString) and not piece.is_empty:
                        lines.append((programme, tuple(project(x, y) for x, y in piece.coords)))
    return MapDrawing(width, height, frame, tuple(countries), iso3, tuple(lines), _spread(marks, width, height))


def _spread(marks: list[Mark], width: float, height: float) -> tuple[Mark, ...]:
    """Marks that would sit on one another, set in a ring around their middle (inside the box)."""
    groups: dict[tuple[int, int], list[Mark]] = {}
    for mark in marks:
        groups.setdefault((round(mark.x / NEAR_MM), round(mark.y / NEAR_MM)), []).append(mark)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        cx = sum(m.x for m in group) / len(group)
        cy = sum(m.y for m in group) / len(group)
        for i, mark in enumerate(group):
            angle = 2 * math.pi * i / len(group) - math.pi / 2
            x = min(max(cx + SPREAD_MM * math.cos(angle), 0.0), width)
            y = min(max(cy + SPREAD_MM * math.sin(angle), 0.0), height)
            out.append(Mark(mark.programme, round(x, 2), round(y, 2), mark.count))
    return tuple(out)
