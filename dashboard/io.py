"""Read curated tables, validate them, and join layers to their geometry.

``load_table`` gives a typed DataFrame; ``load_layer`` a GeoDataFrame in
EPSG:4326 whose rows are the table's rows (unresolved places keep a null
geometry). Joins are on the declared key and loud: a key present on one side
only is an error, never a silent NaN.

Broken input never escapes as a pandas, YAML, JSON or GDAL exception: every
loader raises :class:`~dashboard.validate.DataError`, whose issues name the
file, the line and the column.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from dashboard.catalog import GEO_DIR, TABLES_DIR, Table, display_path, get_table, load_catalog, read_catalog
from dashboard.validate import (
    DataError,
    Issue,
    check_geocoding,
    check_references,
    check_table,
    encoding_issues,
    read_raw,
    read_text,
)

_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}
_GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def typed(table: Table, raw: pd.DataFrame) -> pd.DataFrame:
    """Convert a validated all-string frame to the declared column types.

    Empty cells become missing values (``<NA>``) in every type; text columns
    stay ``str`` with '' for empty so that display code needs no NA checks.
    """
    out = raw.copy()
    for col in table.columns:
        if col.name not in out.columns:
            continue
        kind = _PANDAS_TYPES.get(col.type)
        values = out[col.name]
        if col.type == "boolean":
            out[col.name] = values.map({"true": True, "false": False, "": pd.NA}).astype("boolean")
        elif kind:
            out[col.name] = pd.to_numeric(values.replace("", pd.NA)).astype(kind)
    return out


def read_table_raw(table: Table, tables_dir: Path = TABLES_DIR) -> pd.DataFrame:
    """A table's CSV as strings (see :func:`dashboard.validate.read_raw`).

    Raises
    ------
    DataError
        When the CSV is gone (naming the sidecar that describes it) or cannot
        be read as a table.
    """
    csv_path = tables_dir / f"{table.id}.csv"
    if not csv_path.exists():
        raise DataError(
            [
                Issue(
                    display_path(tables_dir / f"{table.id}.meta.yml"),
                    None,
                    None,
                    "sidecar",
                    f"describes {csv_path.name}, which does not exist",
                )
            ]
        )
    return read_raw(csv_path)


def _reference_issues(table: Table, raw: pd.DataFrame, tables_dir: Path) -> list[Issue]:
    """The :func:`check_references` issues of one table, reading only the tables it cites."""
    catalog = load_catalog(tables_dir)
    cited = {c.references.split(".")[0] for c in table.columns if c.references and c.name in raw.columns}
    if any(c.type == "source_ref" for c in table.columns) and "brochure_sections" in catalog:
        cited.add("brochure_sections")
    raws = {table.id: raw}
    issues: list[Issue] = []
    for target in sorted(cited - {table.id}):
        if target not in catalog:
            continue
        try:
            raws[target] = read_table_raw(catalog[target], tables_dir)
        except DataError as err:
            issues += err.issues
    labels = {i: display_path(tables_dir / f"{i}.csv") for i in raws}
    return issues + check_references({table.id: table}, raws, labels, known_tables=set(catalog))


def load_table(table_id: str, tables_dir: Path = TABLES_DIR) -> pd.DataFrame:
    """Read and validate one table.

    Parameters
    ----------
    table_id : str
        File stem in ``data/tables``.
    tables_dir : Path
        Folder holding the CSV and its sidecar.

    Returns
    -------
    pandas.DataFrame
        Typed as the sidecar declares.

    Raises
    ------
    DataError
        Listing every broken rule with file, line and column: in the table, in
        any sidecar of ``tables_dir``, or in a reference to another table.
    KeyError
        When no sidecar declares ``table_id``.
    """
    table = get_table(table_id, tables_dir)
    raw = read_table_raw(table, tables_dir)
    label = display_path(tables_dir / f"{table_id}.csv")
    issues = check_table(table, raw, label) + check_geocoding(table, raw, label)
    issues += _reference_issues(table, raw, tables_dir)
    if issues:
        raise DataError(issues)
    return typed(table, raw)


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


def resolved_places(geo_dir: Path = GEO_DIR) -> dict[str, tuple[float, float]]:
    """place_id -> (lon, lat) where ``build`` put every place (``data/geo/places.geojson``).

    The places table holds coordinates only where it overrides the gazetteer;
    this is the point the maps use for each.
    """
    gdf = gpd.read_file(geo_dir / "places.geojson")
    return {pid: (g.x, g.y) for pid, g in zip(gdf["place_id"], gdf.geometry) if g is not None}


def join_geometry(
    table: Table, frame: pd.DataFrame, geo: gpd.GeoDataFrame, geo_label: str, csv_label: str | None = None
) -> gpd.GeoDataFrame:
    """Attach geometry to a layer's rows by ``feature_id``, loudly.

    Every geometry must match a row; every row must have a geometry unless its
    ``geocode_precision`` is 'unresolved'. ``geo_label`` and ``csv_label`` name
    the two files in messages.
    """
    key = "feature_id"
    csv_label = csv_label or f"data/tables/{table.id}.csv"
    geo = geo[[key, "geometry"]]
    issues: list[Issue] = []
    dup = geo[geo[key].duplicated()]
    for value in dup[key]:
        issues.append(Issue(geo_label, None, key, "key", f"{value!r} has more than one geometry"))
    rows = set(frame[key])
    for value in sorted(set(geo[key]) - rows):
        issues.append(
            Issue(geo_label, None, key, "join", f"{value!r} has geometry but no row in {Path(csv_label).name}")
        )
    with_geometry = set(geo[key])
    unresolved = set(frame.loc[frame.get("geocode_precision", pd.Series("", index=frame.index)) == "unresolved", key])
    for offset, value in enumerate(frame[key]):
        if value not in with_geometry and value not in unresolved:
            issues.append(
                Issue(
                    csv_label,
                    offset + 2,
                    key,
                    "join",
                    f"{value!r} has no geometry in {geo_label} (run 'python -m dashboard build')",
                )
            )
    if issues:
        raise DataError(issues)
    merged = frame.merge(geo, on=key, how="left", validate="one_to_one")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=4326)


def load_layer(layer_id: str, tables_dir: Path = TABLES_DIR, geo_dir: Path = GEO_DIR) -> gpd.GeoDataFrame:
    """A layer's rows with their geometry.

    Parameters
    ----------
    layer_id : str
        A table id whose sidecar declares a ``layer``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326; rows in table order; null geometry where unresolved.

    Raises
    ------
    DataError
        When the table is invalid (see :func:`load_table`) or its geometry file
        is missing, broken or does not match the rows.

    Example
    -------
    >>> gdf = load_layer("model_cities")
    >>> gdf.crs.to_epsg()
    4326
    """
    table = get_table(layer_id, tables_dir)
    if not table.is_layer:
        raise KeyError(f"{layer_id!r} is a table without geometry, not a layer")
    frame = load_table(layer_id, tables_dir)
    geo_path = geo_dir / f"{layer_id}.geojson"
    geo_label = display_path(geo_path)
    if not geo_path.exists():
        raise DataError([Issue(geo_label, None, None, "missing", "no geometry file; run 'python -m dashboard build'")])
    geo = read_geo(geo_path, geo_label)
    return join_geometry(table, frame, geo, geo_label, display_path(tables_dir / f"{layer_id}.csv"))


def seed_for(tables_dir: Path) -> Path | None:
    """The extracted brochure text a folder of tables cites.

    The repository's tables cite ``data/sources/brochure/``; another folder (a
    test's copy) cites a ``brochure.txt`` beside its tables, or nothing.
    """
    from dashboard.citations import SEED_PATH

    if Path(tables_dir).resolve() == TABLES_DIR.resolve():
        return SEED_PATH
    own = Path(tables_dir) / "brochure.txt"
    return own if own.exists() else None


def validate_all(tables_dir: Path = TABLES_DIR, geo_dir: Path | None = GEO_DIR) -> list[Issue]:
    """Every issue in every sidecar, table, cross-table reference and geometry file.

    Parameters
    ----------
    tables_dir : Path
        Folder of CSVs and sidecars.
    geo_dir : Path or None
        Folder of built geometry; None skips the geometry files. They are only
        checked when the tables are valid: ``build`` makes them from the tables.

    Returns
    -------
    list of Issue
        Empty when everything is valid; nothing here raises on bad data.
    """
    tables, issues = read_catalog(tables_dir)
    raws = {}
    for path in sorted(tables_dir.glob("*.csv")):
        if not (tables_dir / f"{path.stem}.meta.yml").exists():
            issues.append(Issue(display_path(path), None, None, "sidecar", f"has no {path.stem}.meta.yml"))
    for table_id, table in tables.items():
        try:
            raw = read_table_raw(table, tables_dir)
        except DataError as err:
            issues += err.issues
            continue
        raws[table_id] = raw
        label = display_path(tables_dir / f"{table_id}.csv")
        issues += check_table(table, raw, label) + check_geocoding(table, raw, label)
    labels = {i: display_path(tables_dir / f"{i}.csv") for i in raws}
    known = set(tables) | {p.name.removesuffix(".meta.yml") for p in tables_dir.glob("*.meta.yml")}
    issues += check_references(tables, raws, labels, known_tables=known)
    seed = seed_for(tables_dir)
    if seed is not None and not issues:
        from dashboard.citations import check_citations, read_seed

        issues += check_citations(tables, raws, read_seed(seed), labels)
    if geo_dir is not None and not issues:
        layer_ids = [i for i, t in tables.items() if t.is_layer]
        for path in sorted(geo_dir.glob("*.geojson")):
            if path.stem not in layer_ids:
                issues += check_geojson(path, key=None)
        for table_id in layer_ids:
            try:
                load_layer(table_id, tables_dir, geo_dir)
            except DataError as err:
                issues += err.issues
    return issues


def load_layers(tables_dir: Path = TABLES_DIR, geo_dir: Path = GEO_DIR) -> dict[str, tuple[Table, gpd.GeoDataFrame]]:
    """Every layer with its table schema, keyed by id, in catalogue order.

    Raises
    ------
    DataError
        With the issues of every layer that does not load, each issue once
        (a broken table that several layers cite is reported once).
    """
    out: dict[str, tuple[Table, gpd.GeoDataFrame]] = {}
    issues: list[Issue] = []
    for table_id, table in load_catalog(tables_dir).items():
        if not table.is_layer:
            continue
        try:
            out[table_id] = (table, load_layer(table_id, tables_dir, geo_dir))
        except DataError as err:
            issues += err.issues
    if issues:
        raise DataError(list(dict.fromkeys(issues)))
    return out
