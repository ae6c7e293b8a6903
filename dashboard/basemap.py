"""Country polygons for the offline basemap.

The source is Natural Earth's 1:50m Admin 0 countries as TopoJSON from the
npm package ``world-atlas`` (see ``data/sources/world-atlas/SOURCE.yml``).
1:50m rather than 1:110m because 110m lacks Palau, Maldives and Samoa.

Pure functions, no Streamlit: read and name the countries, simplify them for
the browser without losing small islands, and write deterministic GeoJSON so
the committed file can be compared byte for byte with a fresh build.
"""

from __future__ import annotations

import gettext
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pycountry
import shapely
import shapely.geometry

#: Japanese short names where pycountry's Japanese catalogue lags behind the
#: names the Japanese government uses (MOFA country pages): Japan adopted
#: ジョージア for Georgia by law in 2015, and MOFA writes キルギス.
JA_NAME_OVERRIDES: dict[str, str] = {
    "GEO": "ジョージア",
    "KGZ": "キルギス",
}

_COLUMNS = ["iso_n3", "iso3", "name_en", "name_ja", "geometry"]


def read_world_atlas(path: str | Path) -> gpd.GeoDataFrame:
    """Read the ``countries`` layer of a world-atlas TopoJSON file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``countries-50m.json`` (or another world-atlas countries file).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per country, in file order, CRS EPSG:4326, with columns

        ``iso_n3``
            ISO 3166-1 numeric code as a 3-digit string, missing where the
            file has no code (Kosovo, N. Cyprus, Somaliland, Siachen
            Glacier, Indian Ocean Ter.); those rows are kept.
        ``iso3``
            ISO 3166-1 alpha-3 code from pycountry, missing where unknown.
            (pandas stores the missing strings as NaN: test with ``isna()``;
            :func:`write_geojson` writes them as null.)
        ``name_en``
            pycountry's common name (or name); the file's name if unknown.
        ``name_ja``
            Japanese name from pycountry's iso3166-1 catalogue (with
            :data:`JA_NAME_OVERRIDES`), ``name_en`` if untranslated.
        ``geometry``
            Polygon or MultiPolygon, repaired with
            ``make_valid(method="structure", keep_collapsed=False)``.

    Notes
    -----
    world-atlas is spherical TopoJSON: Russia (Chukotka, Wrangel Island) and
    Fiji have rings that step across the antimeridian from 179.9 to -179.9.
    Read as planar coordinates those steps span the whole map, and the
    repaired Russia covered a band from Canada to Scandinavia. Such rings
    are unwrapped and cut at +-180 degrees (as RFC 7946 asks) before repair.
    Antarctica's coastline goes round the pole; read as planar it became a
    hole in a degenerate polygon and the mainland vanished, so it is closed
    along the pole instead.

    Natural Earth gives Ashmore and Cartier Islands Australia's code (036);
    rows sharing a code are merged into the first one so ``iso3`` is unique
    and joins on it cannot duplicate rows. The "structure" repair keeps
    polygons polygonal; the default "linework" method turned Antarctica into
    a GeometryCollection that folium's bounds code cannot read.
    """
    raw = gpd.read_file(path, layer="countries")
    raw = raw.set_crs(4326, allow_override=True)
    ja = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"])

    rows = []
    for code, file_name, geom in zip(raw["id"], raw["name"], raw.geometry, strict=True):
        iso_n3 = f"{int(code):03d}" if isinstance(code, str) and code else None
        country = pycountry.countries.get(numeric=iso_n3) if iso_n3 else None
        if country is None:
            iso3, name_en, name_ja = None, file_name, file_name
        else:
            iso3 = country.alpha_3
            common = getattr(country, "common_name", None)
            name_en = common or country.name
            name_ja = JA_NAME_OVERRIDES.get(iso3) or _translate(ja, common, country.name)
        rows.append((iso_n3, iso3, name_en, name_ja, geom))

    gdf = gpd.GeoDataFrame(rows, columns=_COLUMNS, geometry="geometry", crs=4326)
    gdf = _merge_duplicate_codes(gdf)
    geoms = [_cut_antimeridian(geom) for geom in gdf.geometry.values]
    gdf["geometry"] = shapely.make_valid(np.asarray(geoms, dtype=object), method="structure", keep_collapsed=False)
    return gdf


def simplify_for_web(
    gdf: gpd.GeoDataFrame,
    tolerance: float = 0.02,
    precision: int = 4,
    keep_area: float | None = None,
) -> gpd.GeoDataFrame:
    """Simplify country polygons for the browser without losing islands.

    Each country is simplified with ``preserve_topology=True`` (rings never
    collapse or cross each other), then

    * polygon parts smaller than ``keep_area`` keep their original outline,
      because a 0.02-degree tolerance turns an atoll into a triangle and
      they cost few bytes anyway;
    * coordinates are snapped to a ``10**-precision`` degree grid with
      :func:`shapely.set_precision`, which keeps the result valid;
    * if the result is empty, invalid or has fewer parts than the input,
      the country falls back to its original geometry (only snapped).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygonal geometries in degrees (EPSG:4326).
    tolerance : float, default 0.02
        Douglas-Peucker tolerance in degrees (about 2 km).
    precision : int, default 4
        Decimals kept (4 decimals is about 11 m).
    keep_area : float, optional
        Area in square degrees below which a part is not simplified.
        Defaults to ``(5 * tolerance) ** 2``: 0.01 square degrees, about
        120 km2 at the equator.

    Returns
    -------
    geopandas.GeoDataFrame
        Copy of ``gdf`` with simplified, valid, non-empty geometries.

    Notes
    -----
    Neighbours are simplified independently, so shared borders can show
    slivers up to about ``tolerance`` wide; at the zooms the atlas uses
    they are under a pixel and hidden by the border stroke.
    """
    if keep_area is None:
        keep_area = (5 * tolerance) ** 2
    grid = 10.0**-precision
    out = gdf.copy()
    out["geometry"] = [_simplify_one(geom, tolerance, grid, keep_area) for geom in gdf.geometry]
    return out


def write_geojson(gdf: gpd.GeoDataFrame, path: str | Path, coordinate_decimals: int = 6) -> int:
    """Write a GeoDataFrame as deterministic RFC 7946 GeoJSON.

    The same input always gives the same bytes: features in row order, one
    per line, property keys sorted, coordinates rounded to
    ``coordinate_decimals`` and printed with Python's shortest float repr,
    UTF-8 without ASCII escapes, and a final newline. Following RFC 7946
    there is no ``crs`` member (coordinates are WGS 84 longitude, latitude),
    and exterior rings are counter-clockwise, holes clockwise.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Data in EPSG:4326 (or with no CRS); other CRSs are rejected.
    path : str or pathlib.Path
        Output file; parent folders are created.
    coordinate_decimals : int, default 6
        Decimals written; above the precision already applied it changes
        nothing but hides float noise such as ``0.30000000000000004``.

    Returns
    -------
    int
        Number of bytes written.

    Raises
    ------
    ValueError
        If ``gdf`` has a CRS other than EPSG:4326.
    """
    lines = []
    for geom, properties in _oriented_features(gdf, "GeoJSON"):
        feature = {
            "type": "Feature",
            "properties": properties,
            "geometry": _geometry_dict(geom, coordinate_decimals),
        }
        lines.append(
            json.dumps(
                feature,
                sort_keys=True,
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
            )
        )
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    data = text.encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _translate(catalogue: gettext.NullTranslations, common: str | None, name: str) -> str:
    """Return the Japanese for the common name if translated, else for name."""
    if common:
        translated = catalogue.gettext(common)
        if translated != common:
            return translated
    return catalogue.gettext(name)


def _cut_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Turn spherical rings that cross the antimeridian into planar polygons.

    A step of more than 180 degrees between consecutive vertices is taken
    as the short way round the globe. If every ring of a polygon closes once
    its longitudes are unwrapped, the polygon is rebuilt unwrapped, cut
    into the -540..-180, -180..180 and 180..540 bands, and the outer bands
    are shifted back by 360 degrees. Otherwise a ring goes round a pole
    (Antarctica) and is closed along that pole instead.
    """
    out = []
    for polygon in shapely.get_parts(geom):
        coords = [np.asarray(ring.coords) for ring in (polygon.exterior, *polygon.interiors)]
        if not any((np.abs(np.diff(c[:, 0])) > 180).any() for c in coords):
            out.append(polygon)
            continue
        unwrapped = [np.column_stack([np.unwrap(c[:, 0], period=360), c[:, 1]]) for c in coords]
        if all(abs(u[-1, 0] - u[0, 0]) < 1e-9 for u in unwrapped):
            shape = _valid(shapely.Polygon(unwrapped[0], unwrapped[1:]))
            for shift in (-360.0, 0.0, 360.0):
                band = shapely.box(-180.0 + shift, -90.0, 180.0 + shift, 90.0)
                piece = shapely.intersection(shape, band)
                piece = shapely.transform(piece, lambda xy, s=shift: xy - [s, 0.0])
                out.extend(p for p in shapely.get_parts(piece) if p.geom_type == "Polygon")
        else:
            out.extend(shapely.get_parts(_close_round_pole(coords, unwrapped)))
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def _close_round_pole(coords: list[np.ndarray], unwrapped: list[np.ndarray]) -> shapely.Geometry:
    """Build the planar polygon of a spherical polygon that contains a pole.

    world-atlas draws Antarctica as a ring along latitude -89.999 plus the
    coastline ring. Read as planar coordinates the first is a line and the
    second a hole, and the repaired mainland came out empty. Here the line
    is dropped, each ring that circles the pole is opened at its
    antimeridian step and closed along the pole, and rings that do not
    circle it are cut out as holes.
    """
    shells, holes = [], []
    for c, u in zip(coords, unwrapped, strict=True):
        if np.ptp(c[:, 1]) == 0:
            continue  # the degenerate ring along the pole's parallel
        if abs(u[-1, 0] - u[0, 0]) < 1e-9:
            holes.append(_valid(shapely.Polygon(c)))
            continue
        ring = c[:-1]
        steps = np.abs(np.diff(ring[:, 0], append=ring[:1, 0]))
        start = int(np.argmax(steps > 180)) + 1
        seq = np.roll(ring, -start, axis=0)
        # The step from seq[-1] (a) to seq[0] (b) crosses the antimeridian:
        # find where, so the pole closure runs exactly along +-180.
        (ax, ay), (bx, by) = seq[-1], seq[0]
        side = 180.0 if ax > 0 else -180.0
        bx_near_a = bx + 2 * side
        lat = ay + (by - ay) * (side - ax) / (bx_near_a - ax) if bx_near_a != ax else ay
        pole = -90.0 if seq[:, 1].mean() < 0 else 90.0
        shell = np.vstack([[[-side, lat]], seq, [[side, lat], [side, pole], [-side, pole], [-side, lat]]])
        shells.append(_valid(shapely.Polygon(shell)))
    shape = shapely.union_all(shells)
    if holes:
        shape = shapely.difference(shape, shapely.union_all(holes))
    return shape


def _valid(geom: shapely.Geometry) -> shapely.Geometry:
    """make_valid that keeps polygons polygonal (see read_world_atlas)."""
    return shapely.make_valid(geom, method="structure", keep_collapsed=False)


def _merge_duplicate_codes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge rows that share an ISO numeric code into the first such row."""
    coded = gdf["iso_n3"].notna()
    dup_codes = gdf.loc[coded & gdf["iso_n3"].duplicated(), "iso_n3"].unique()
    if len(dup_codes) == 0:
        return gdf
    gdf = gdf.copy()
    drop = []
    for code in dup_codes:
        idx = gdf.index[gdf["iso_n3"] == code]
        gdf.loc[idx[0], "geometry"] = shapely.union_all(gdf.loc[idx, "geometry"].values)
        drop.extend(idx[1:])
    return gdf.drop(index=drop).reset_index(drop=True)


def _simplify_one(geom: shapely.Geometry, tolerance: float, grid: float, keep_area: float) -> shapely.Geometry:
    """Simplify one polygonal geometry; see :func:`simplify_for_web`."""
    if geom is None or geom.is_empty:
        return geom
    original = shapely.get_parts(geom)
    simplified = shapely.get_parts(shapely.simplify(geom, tolerance, preserve_topology=True))
    # The topology-preserving simplifier keeps every part, in order; if it
    # ever does not, parts cannot be matched up, so keep every outline.
    if len(simplified) == len(original):
        small = shapely.area(original) < keep_area
        parts = np.where(small, original, simplified)
    else:
        parts = original
    result = _snap(shapely.multipolygons(parts), grid, len(original))
    if result is None:
        result = _snap(geom, grid, 0)
    return geom if result is None else result


def _snap(geom: shapely.Geometry, grid: float, min_parts: int) -> shapely.Geometry | None:
    """Snap to the grid; None unless valid, non-empty and with enough parts."""
    if not geom.is_valid:
        geom = _valid(geom)
    snapped = shapely.set_precision(geom, grid)
    if snapped.is_empty or not snapped.is_valid:
        return None
    if shapely.get_num_geometries(snapped) < min_parts:
        return None
    if shapely.get_num_geometries(snapped) == 1:
        snapped = shapely.get_geometry(snapped, 0)
    return snapped


def write_topojson(gdf: gpd.GeoDataFrame, path: str | Path, precision: int = 4, name: str = "countries") -> int:
    """Write polygons as deterministic, quantized TopoJSON: what the browser loads for the basemap.

    The coordinates are already on a ``10**-precision`` degree grid
    (:func:`simplify_for_web`), so quantizing on that grid loses nothing:
    each vertex becomes a pair of integers, written as the difference from
    the one before (TopoJSON's delta encoding), which is a few digits where
    GeoJSON writes ``123.4567``. Each ring is its own arc: neighbours are
    simplified independently, so their borders are not the same vertices and
    sharing arcs would save nothing. The browser decodes it with the vendored
    ``topojson-client``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons and multipolygons in EPSG:4326, snapped to the grid.
    path : str or pathlib.Path
        Output file; parent folders are created.
    precision : int, default 4
        Decimals of the grid the coordinates are on.
    name : str, default "countries"
        The TopoJSON object holding the features.

    Returns
    -------
    int
        Number of bytes written.

    Raises
    ------
    ValueError
        If ``gdf`` has a CRS other than EPSG:4326, or a geometry that is not polygonal.
    """
    scale = 10.0**-precision
    translate = (-180.0, -90.0)
    arcs: list[list[list[int]]] = []

    def arc(ring) -> int:
        points = np.rint((np.asarray(ring.coords)[:, :2] - translate) / scale).astype(np.int64)
        deltas = np.vstack([points[:1], np.diff(points, axis=0)])
        arcs.append(deltas.tolist())
        return len(arcs) - 1

    def polygon(poly) -> list[list[int]]:
        return [[arc(poly.exterior)]] + [[arc(hole)] for hole in poly.interiors]

    geometries = []
    for geom, properties in _oriented_features(gdf, "TopoJSON"):
        if geom is None or geom.is_empty:
            geometries.append({"type": None, "properties": properties})
        elif geom.geom_type == "Polygon":
            geometries.append({"type": "Polygon", "arcs": polygon(geom), "properties": properties})
        elif geom.geom_type == "MultiPolygon":
            parts = [polygon(part) for part in geom.geoms]
            geometries.append({"type": "MultiPolygon", "arcs": parts, "properties": properties})
        else:
            raise ValueError(f"TopoJSON basemap takes polygons, got {geom.geom_type}")
    topology = {
        "type": "Topology",
        "transform": {"scale": [scale, scale], "translate": list(translate)},
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    data = (
        json.dumps(topology, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    ).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _oriented_features(gdf: gpd.GeoDataFrame, kind: str):
    """(geometry, JSON properties) per row, rings oriented as RFC 7946 wants; EPSG:4326 only."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{kind} needs EPSG:4326, got {gdf.crs}")
    geoms = shapely.orient_polygons(gdf.geometry.values, exterior_cw=False)
    prop_cols = [c for c in gdf.columns if c != gdf.geometry.name]
    for geom, (_, row) in zip(geoms, gdf[prop_cols].iterrows(), strict=True):
        yield geom, {c: _json_value(row[c]) for c in prop_cols}


def read_topojson(path: str | Path, name: str = "countries") -> list[dict]:
    """Decode a file :func:`write_topojson` wrote back into GeoJSON features (what the browser does).

    Parameters
    ----------
    path : str or pathlib.Path
    name : str, default "countries"

    Returns
    -------
    list of dict
        GeoJSON Feature dicts in file order, coordinates as floats.
    """
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    rings = []
    for deltas in topology["arcs"]:
        points = np.cumsum(np.asarray(deltas, dtype=np.int64), axis=0)
        rings.append([[x * sx + tx, y * sy + ty] for x, y in points.tolist()])

    def polygon(arcs) -> list:
        return [rings[ring[0]] for ring in arcs]

    features = []
    for g in topology["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            geometry = {"type": "Polygon", "coordinates": polygon(g["arcs"])}
        elif g["type"] == "MultiPolygon":
            geometry = {"type": "MultiPolygon", "coordinates": [polygon(p) for p in g["arcs"]]}
        else:
            geometry = None
        features.append({"type": "Feature", "properties": g.get("properties", {}), "geometry": geometry})
    return features


def _json_value(value: object) -> object:
    """Turn a pandas/numpy cell into a JSON-serialisable Python value."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        # pandas stores missing strings as NaN; GeoJSON wants null.
        return None
    if hasattr(value, "isoformat"):
        # Dates and timestamps: ISO 8601 text, the usual GeoJSON convention.
        return value.isoformat()
    return value


def _geometry_dict(geom: shapely.Geometry, decimals: int) -> dict | None:
    """Return a GeoJSON geometry dict with rounded coordinates."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [_geometry_dict(g, decimals) for g in shapely.get_parts(geom)],
        }
    mapping = shapely.geometry.mapping(geom)
    return {
        "type": mapping["type"],
        "coordinates": _round_coords(mapping["coordinates"], decimals),
    }


def _round_coords(coords: object, decimals: int) -> object:
    """Round nested coordinate tuples to lists of rounded floats."""
    if isinstance(coords, (int, float)):
        # + 0.0 turns -0.0 into 0.0 so the sign of zero never differs.
        return round(float(coords), decimals) + 0.0
    return [_round_coords(c, decimals) for c in coords]
