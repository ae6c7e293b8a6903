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

from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.catalog import (
    BASEMAP_PATH,
    GEO_DIR,
    TABLES_DIR,
    Table,
    display_path,
    get_table,
    load_catalog,
    read_catalog,
)
from dashboard.geojson_files import check_geojson, read_geo
from dashboard.text_files import read_raw
from dashboard.validate import DataError, Issue, check_geocoding, check_references, check_table

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


def load_world(path: Path = BASEMAP_PATH) -> gpd.GeoDataFrame:
    """The basemap's countries (``iso3``, names, polygons), as build wrote them: the one reader of that file."""
    return gpd.read_file(path)


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
