"""Read curated tables, validate them, and join layers to their geometry.

``load_table`` gives a typed DataFrame; ``load_layer`` a GeoDataFrame in
EPSG:4326 whose rows are the table's rows (unresolved places keep a null
geometry). Joins are on the declared key and loud: a key present on one side
only is an error, never a silent NaN.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.catalog import GEO_DIR, TABLES_DIR, Table, get_table, load_catalog
from dashboard.validate import (
    DataError,
    Issue,
    check_geocoding,
    check_references,
    check_table,
    read_raw,
)

_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}


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
        Listing every broken rule with file, line and column.
    """
    table = get_table(table_id, tables_dir)
    raw = read_raw(tables_dir / f"{table_id}.csv")
    issues = check_table(table, raw) + check_geocoding(table, raw)
    if issues:
        raise DataError(issues)
    return typed(table, raw)


def read_geo(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoJSON written by ``build`` (feature_id + geometry), EPSG:4326."""
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf.to_crs(4326)


def join_geometry(table: Table, frame: pd.DataFrame, geo: gpd.GeoDataFrame, geo_label: str) -> gpd.GeoDataFrame:
    """Attach geometry to a layer's rows by ``feature_id``, loudly.

    Every geometry must match a row; every row must have a geometry unless its
    ``geocode_precision`` is 'unresolved'.
    """
    key = "feature_id"
    geo = geo[[key, "geometry"]]
    issues: list[Issue] = []
    dup = geo[geo[key].duplicated()]
    for value in dup[key]:
        issues.append(Issue(geo_label, None, key, "key", f"{value!r} has more than one geometry"))
    rows = set(frame[key])
    for value in sorted(set(geo[key]) - rows):
        issues.append(
            Issue(geo_label, None, key, "join", f"{value!r} has geometry but no row in {table.csv_path.name}")
        )
    with_geometry = set(geo[key])
    unresolved = set(frame.loc[frame.get("geocode_precision", pd.Series("", index=frame.index)) == "unresolved", key])
    for offset, value in enumerate(frame[key]):
        if value not in with_geometry and value not in unresolved:
            issues.append(
                Issue(
                    f"data/tables/{table.id}.csv",
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
    if not geo_path.exists():
        raise DataError(
            [Issue(str(geo_path), None, None, "missing", "no geometry file; run 'python -m dashboard build'")]
        )
    return join_geometry(table, frame, read_geo(geo_path), f"data/geo/{layer_id}.geojson")


def validate_all(tables_dir: Path = TABLES_DIR, geo_dir: Path | None = GEO_DIR) -> list[Issue]:
    """Every issue in every table, cross-table reference and geometry join.

    Parameters
    ----------
    tables_dir : Path
        Folder of CSVs and sidecars.
    geo_dir : Path or None
        Folder of built geometry; None skips the geometry joins.
    """
    issues: list[Issue] = []
    tables = load_catalog(tables_dir)
    raws = {}
    for path in sorted(tables_dir.glob("*.csv")):
        if path.stem not in tables:
            issues.append(Issue(f"data/tables/{path.name}", None, None, "sidecar", f"has no {path.stem}.meta.yml"))
    for table_id, table in tables.items():
        if not (tables_dir / f"{table_id}.csv").exists():
            issues.append(
                Issue(f"data/tables/{table_id}.meta.yml", None, None, "sidecar", "describes a CSV that does not exist")
            )
            continue
        raw = read_raw(tables_dir / f"{table_id}.csv")
        raws[table_id] = raw
        issues += check_table(table, raw) + check_geocoding(table, raw)
    issues += check_references(tables, raws)
    if geo_dir is not None and not issues:
        for table_id, table in tables.items():
            if not table.is_layer:
                continue
            try:
                load_layer(table_id, tables_dir, geo_dir)
            except DataError as err:
                issues += err.issues
    return issues


def load_layers(tables_dir: Path = TABLES_DIR, geo_dir: Path = GEO_DIR) -> dict[str, tuple[Table, gpd.GeoDataFrame]]:
    """Every layer with its table schema, keyed by id, in catalogue order."""
    return {
        table_id: (table, load_layer(table_id, tables_dir, geo_dir))
        for table_id, table in load_catalog(tables_dir).items()
        if table.is_layer
    }
