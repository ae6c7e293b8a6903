"""Reading and checking GeoJSON files: every broken coordinate or geometry named by file, line and feature."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from dashboard.catalog import display_path
from dashboard.text_files import encoding_issues, read_text
from dashboard.validate import DataError, Issue

_GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _coordinate_problem(coords) -> str | None:
    """What is wrong with a GeoJSON ``coordinates`` value (nested positions), or None."""
    if isinstance(coords, list) and coords and _is_number(coords[0]):
        if len(coords) < 2 or not all(_is_number(v) for v in coords):
            return f"{coords!r} is not a [longitude, latitude] position"
        lon, lat = coords[0], coords[1]
        if not math.isfinite(lon):
            return f"longitude {lon} is not a finite number"
        if not math.isfinite(lat):
            return f"latitude {lat} is not a finite number"
        if not -180 <= lon <= 180:
            return f"longitude {lon} is outside -180..180"
        if not -90 <= lat <= 90:
            return f"latitude {lat} is outside -90..90"
        return None
    if not isinstance(coords, list):
        return f"coordinates {coords!r} are not a list of positions"
    for part in coords:
        problem = _coordinate_problem(part)
        if problem:
            return problem
    return None


def _geometry_problem(geometry) -> str | None:
    if geometry is None:
        return None
    if not isinstance(geometry, dict):
        return f"geometry {geometry!r} is not a GeoJSON geometry"
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list):
            return "GeometryCollection has no 'geometries' list"
        return next((p for p in map(_geometry_problem, parts) if p), None)
    if kind not in _GEOMETRY_TYPES:
        return f"geometry type {kind!r} is not a GeoJSON geometry type"
    if "coordinates" not in geometry:
        return f"{kind} has no coordinates"
    return _coordinate_problem(geometry["coordinates"])


def _feature_line(text: str, key: str, feature_id: str) -> int | None:
    """The line naming ``feature_id``, when exactly one does (``build`` writes one feature per line)."""
    pattern = re.compile(
        re.escape(json.dumps(key)) + r"\s*:\s*" + re.escape(json.dumps(feature_id, ensure_ascii=False))
    )
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if pattern.search(line)]
    return lines[0] if len(lines) == 1 else None


def check_geojson(path: Path, file_label: str | None = None, key: str | None = "feature_id") -> list[Issue]:
    """Check a geometry file before GDAL reads it: JSON, features, coordinates.

    Parameters
    ----------
    path : Path
        A GeoJSON FeatureCollection.
    file_label : str, optional
        How to name the file in messages (default: relative to the repository).
    key : str or None
        The property every feature must carry as its text id; None names
        features by their position instead.

    Returns
    -------
    list of Issue
        Empty when the file is valid. Coordinate issues name the feature's id
        and, when one line holds it, that line.
    """
    label = file_label or display_path(path)
    rebuild = "'python -m dashboard build' rewrites it"
    try:
        text = read_text(path, label)
    except DataError as err:
        return err.issues
    bad_bytes = encoding_issues(text, label)
    if bad_bytes:
        return bad_bytes
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        return [
            Issue(
                label,
                err.lineno,
                None,
                "geojson",
                f"is not valid JSON ({err.msg}, character {err.colno}); is it cut short? {rebuild}",
            )
        ]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return [Issue(label, None, None, "geojson", f"is not a GeoJSON FeatureCollection; {rebuild}")]
    issues = []
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            issues.append(Issue(label, None, None, "geojson", f"feature {number} is not a GeoJSON Feature"))
            continue
        props = feature.get("properties")
        feature_id = props.get(key) if key and isinstance(props, dict) else None
        if key and (not isinstance(feature_id, str) or not feature_id):
            issues.append(Issue(label, None, key, "geojson", f"feature {number} has no text {key}"))
            continue
        problem = _geometry_problem(feature.get("geometry"))
        if problem:
            line = _feature_line(text, key, feature_id) if key else None
            name = f"{feature_id!r}" if key else str(number)
            issues.append(Issue(label, line, "geometry", "coordinates", f"feature {name}: {problem}"))
    return issues


def read_geo(path: Path, file_label: str | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON written by ``build`` (feature_id + geometry), EPSG:4326.

    Raises
    ------
    DataError
        When the file is missing, is not valid GeoJSON or has a coordinate out
        of range (see :func:`check_geojson`).
    """
    label = file_label or display_path(path)
    issues = check_geojson(path, label)
    if issues:
        raise DataError(issues)
    try:
        gdf = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        message = " ".join(str(err).split())
        raise DataError([Issue(label, None, None, "geojson", f"cannot be read: {message}")]) from None
    if "feature_id" not in gdf.columns:
        # GDAL gives a FeatureCollection without features no columns at all.
        gdf = gpd.GeoDataFrame({"feature_id": pd.Series([], dtype=str)}, geometry=gdf.geometry, crs=gdf.crs)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf.to_crs(4326)
