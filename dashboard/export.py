"""Turn filtered layers into downloadable files: one code path for the page and the CLI.

``EXPORTERS`` maps a format id to a function ``(parts, context) -> bytes``, like
datasette's renderers. ``parts`` are the (table, filtered frame) pairs to write;
``context`` says which filter produced them so every file can carry its filter
sentence, sources, licence and citation. Output is deterministic: the same
selection gives the same bytes today and tomorrow (GeoPackage timestamps and
zip entry times are pinned), so a download can be compared with the CLI.
"""

from __future__ import annotations

import html
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from dashboard.catalog import Table
from dashboard.filters import Filter

#: Timestamp written inside GeoPackages and zip entries: the brochure's "as of"
#: month, so the bytes depend on the data and filter only.
DATA_TIMESTAMP = "2014-12-31T00:00:00Z"
_ZIP_TIME = (2014, 12, 31, 0, 0, 0)
CITATION = (
    "Asia Low-Carbon Atlas: layers curated from Ministry of the Environment, Japan, "
    "'アジアの低炭素発展の実現に向けた支援と取組' (brochure, c. 2015)."
)
_NAME_COLUMNS = ("name_en", "title_en", "city_en", "partner_en", "topic_en", "feature_id")


@dataclass(frozen=True)
class ExportContext:
    """What produced an export: its filter (files are documented in English)."""

    filter: Filter


Part = tuple[Table, pd.DataFrame]


def export_filename(layer_ids: list[str], filter_: Filter, fmt: str, on: date | None = None) -> str:
    """'model_cities_country-IDN_2026-11-28.geojson'; several layers: 'atlas-3-layers_…'."""
    stem = layer_ids[0] if len(layer_ids) == 1 else f"atlas-{len(layer_ids)}-layers"
    ext = {"bundle": "zip"}.get(fmt, fmt)
    return f"{stem}_{filter_.slug()}_{(on or date.today()).isoformat()}.{ext}"


def _json_value(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _geojson_bytes(table: Table, frame: pd.DataFrame, context: ExportContext) -> bytes:
    """RFC 7946 FeatureCollection; metadata as foreign members."""
    columns = [c for c in table.column_names if c in frame.columns]
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else [None] * len(frame)
    features = []
    for (_, row), geom in zip(frame[columns].iterrows(), geoms):
        geometry = None
        if geom is not None and not (isinstance(geom, float)) and not geom.is_empty:
            geometry = json.loads(shapely.to_geojson(shapely.orient_polygons(geom, exterior_cw=False)))
        features.append(
            {
                "type": "Feature",
                "id": row.get("feature_id", None),
                "properties": {c: _json_value(row[c]) for c in columns},
                "geometry": geometry,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": table.id,
        "title": table.title,
        "filter": context.filter.sentence("en"),
        "source": table.source.get("citation_full", ""),
        "license": table.license.get("name", ""),
        "citation": CITATION,
        "features": features,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def to_geojson(parts: list[Part], context: ExportContext) -> bytes:
    """One layer as RFC 7946 GeoJSON (WGS 84 lon/lat)."""
    if len(parts) != 1:
        raise ValueError("GeoJSON holds one layer; choose one layer or the GeoPackage or bundle format")
    return _geojson_bytes(*parts[0], context)


def flat_frame(table: Table, frame: pd.DataFrame, wkt: bool = True) -> pd.DataFrame:
    """The table's columns without the geometry object, as a CSV or a preview shows them.

    Parameters
    ----------
    table : Table
        Its declared columns are kept, in order.
    frame : DataFrame or GeoDataFrame
        Rows to flatten (already filtered).
    wkt : bool
        Add a ``wkt`` column for lines and polygons. Points always get ``lon``
        and ``lat``; a preview leaves WKT out (a country outline is unreadable).

    Returns
    -------
    DataFrame
        A copy; points without a location have empty lon/lat.
    """
    columns = [c for c in table.column_names if c in frame.columns]
    out = pd.DataFrame(frame[columns]).copy()
    if isinstance(frame, gpd.GeoDataFrame):
        geoms = frame.geometry
        if table.geometry == "Point":
            out["lon"] = [g.x if g is not None and not g.is_empty else None for g in geoms]
            out["lat"] = [g.y if g is not None and not g.is_empty else None for g in geoms]
        elif wkt:
            out["wkt"] = [shapely.to_wkt(g, rounding_precision=5) if g is not None else None for g in geoms]
    return out


def data_dictionary(table: Table, lang: str = "en") -> pd.DataFrame:
    """One row per column: name, title (in ``lang`` when the sidecar has it), type, unit, description.

    Parameters
    ----------
    table : Table
    lang : str
        'en' or 'ja'; only the title is translated (sidecar descriptions are English).

    Returns
    -------
    DataFrame
        Columns ``column``, ``title``, ``type``, ``unit``, ``description``, in the
        table's column order.
    """
    rows = [(c.name, c.label(lang), c.type, c.unit or "", c.description) for c in table.columns]
    return pd.DataFrame(rows, columns=["column", "title", "type", "unit", "description"])


def to_csv(parts: list[Part], context: ExportContext) -> bytes:
    """One layer as UTF-8 CSV with lon/lat (points) or WKT (lines, polygons)."""
    if len(parts) != 1:
        raise ValueError("CSV holds one layer; choose one layer or the bundle format")
    table, frame = parts[0]
    return flat_frame(table, frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _write_with_gdal(parts: list[Part], driver: str, suffix: str, context: ExportContext) -> bytes:
    previous = os.environ.get("OGR_CURRENT_DATE")
    # GDAL stamps GeoPackages with the current time unless told otherwise.
    os.environ["OGR_CURRENT_DATE"] = DATA_TIMESTAMP
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"export{suffix}"
            for table, frame in parts:
                columns = [c for c in table.column_names if c in frame.columns]
                gdf = gpd.GeoDataFrame(pd.DataFrame(frame[columns]), geometry=list(frame.geometry), crs=4326)
                if table.geometry == "MultiPolygon":
                    gdf.geometry = [
                        shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
                        for g in gdf.geometry
                    ]
                options = {}
                if driver == "KML":
                    name_col = next((c for c in _NAME_COLUMNS if c in columns), None)
                    options = {"NameField": name_col} if name_col else {}
                pyogrio.write_dataframe(
                    gdf,
                    path,
                    layer=table.id,
                    driver=driver,
                    append=path.exists(),
                    promote_to_multi=False,
                    **({"dataset_options": options} if options else {}),
                )
            if driver == "GPKG":
                about = _about_frame(parts, context)
                pyogrio.write_dataframe(about, path, layer="about", driver="GPKG", append=True)
            return path.read_bytes()
    finally:
        if previous is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = previous


def _about_frame(parts: list[Part], context: ExportContext) -> pd.DataFrame:
    rows = [("filter", context.filter.sentence("en")), ("citation", CITATION)]
    for table, frame in parts:
        rows += [
            (f"{table.id}.title", table.title),
            (f"{table.id}.features", str(len(frame))),
            (f"{table.id}.source", table.source.get("citation_full", "")),
            (f"{table.id}.license", table.license.get("name", "")),
        ]
    return pd.DataFrame(rows, columns=["key", "value"])


def to_gpkg(parts: list[Part], context: ExportContext) -> bytes:
    """Every chosen layer in one GeoPackage, plus an 'about' table (filter, sources, licence)."""
    return _write_with_gdal(parts, "GPKG", ".gpkg", context)


def to_kml(parts: list[Part], context: ExportContext) -> bytes:
    """KML (one folder per layer) for Google Earth and similar viewers.

    Google Earth renders names, descriptions and balloon data as HTML, so text
    cells are HTML-escaped first: a cell is shown as written, never as markup.
    """
    return _write_with_gdal([(table, _html_escaped(frame)) for table, frame in parts], "KML", ".kml", context)


def _html_escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return out


def readme_text(parts: list[Part], context: ExportContext) -> str:
    """The bundle's README: filter, then per layer its source, licence and data dictionary."""
    lines = [
        "# Asia Low-Carbon Atlas — data export",
        "",
        context.filter.sentence("en"),
        "",
        f"Suggested citation: {CITATION}",
        "",
        "Coordinates are WGS 84 longitude/latitude (EPSG:4326). Each row's source_ref points to a "
        "section of the brochure (see brochure_sections) and line numbers in its extracted text; "
        "geocode_precision and geocode_note say how exactly each place is located.",
        "",
    ]
    for table, frame in parts:
        lines += [f"## {table.id}: {table.title}", "", table.description, "", f"Features: {len(frame)}", ""]
        src = table.source
        lines.append(f"Source: {src.get('citation_full') or src.get('name', '')}")
        for extra in table.extra_sources:
            lines.append(
                f"Additional source ({extra.get('name', '')}): {extra.get('description', '')} {extra.get('url', '')}".rstrip()
            )
        lines += [
            f"Licence: {table.license.get('name', '')} {table.license.get('url', '')}".rstrip(),
            "",
            "| column | title | type | unit | description |",
            "|---|---|---|---|---|",
        ]
        for col in table.columns:
            desc = col.description.replace("|", "/").replace("\n", " ")
            lines.append(f"| {col.name} | {col.title} | {col.type} | {col.unit or ''} | {desc} |")
        if table.geometry == "Point":
            lines.append(
                "| lon, lat | Longitude, latitude (CSV only) | number | degrees (WGS 84) | Point coordinates. |"
            )
        elif table.geometry:
            lines.append("| wkt | Geometry as WKT (CSV only) | string | degrees (WGS 84) | Line or polygon geometry. |")
        lines.append("")
    return "\n".join(lines)


def to_bundle(parts: list[Part], context: ExportContext) -> bytes:
    """A zip with README.md, one GeoJSON and CSV per layer, and a GeoPackage of all."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("README.md", readme_text(parts, context).encode("utf-8"))
        for table, frame in parts:
            add(f"{table.id}.geojson", _geojson_bytes(table, frame, context))
            add(f"{table.id}.csv", to_csv([(table, frame)], context))
        add("layers.gpkg", to_gpkg(parts, context))
    return buffer.getvalue()


EXPORTERS: dict[str, Callable[[list[Part], ExportContext], bytes]] = {
    "geojson": to_geojson,
    "gpkg": to_gpkg,
    "csv": to_csv,
    "kml": to_kml,
    "bundle": to_bundle,
}
MIME_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
    "bundle": "application/zip",
}
SINGLE_LAYER_FORMATS = ("geojson", "csv")


def export(parts: list[Part], fmt: str, context: ExportContext) -> bytes:
    """Write ``parts`` in format ``fmt``.

    Parameters
    ----------
    parts : list of (Table, DataFrame)
        Already filtered; see :func:`select`.
    fmt : str
        A key of :data:`EXPORTERS`.
    context : ExportContext

    Returns
    -------
    bytes
    """
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    return EXPORTERS[fmt](parts, context)


def select(layers: dict[str, tuple[Table, pd.DataFrame]], layer_ids: list[str], filter_: Filter) -> list[Part]:
    """Apply ``filter_`` to each chosen layer: the exact rows the map shows."""
    return [(layers[i][0], filter_.apply(*layers[i])) for i in layer_ids]
