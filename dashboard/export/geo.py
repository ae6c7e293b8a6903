"""Layers as GIS files: GeoJSON, GeoPackage and KML (styled, named and described per feature)."""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from dashboard import release
from dashboard.catalog import PROGRAMMES, Table
from dashboard.export.context import DATA_TIMESTAMP, NAME_COLUMNS, ExportContext, Part
from dashboard.export.tables import (
    data_dictionary,
    html_escaped,
    json_value,
)


def geojson_bytes(table: Table, frame: pd.DataFrame, context: ExportContext) -> bytes:
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
                "properties": {c: json_value(row[c]) for c in columns},
                "geometry": geometry,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": table.id,
        "title": table.title,
        "filter": context.filter_sentence([table]),
        "source": table.citation(context.lang),
        "license": table.licence(context.lang),
        "citation": release.citation(),
        "atlas_version": release.version(),
        "features": features,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def to_geojson(parts: list[Part], context: ExportContext) -> bytes:
    """One layer as RFC 7946 GeoJSON (WGS 84 lon/lat)."""
    if len(parts) != 1:
        raise ValueError("GeoJSON holds one layer; choose one layer or the GeoPackage or bundle format")
    return geojson_bytes(*parts[0], context)


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
                    name_col = next(
                        (c for c in NAME_COLUMNS[context.lang] if c in columns and frame[c].ne("").all()), None
                    )
                    name_col = name_col or next((c for c in NAME_COLUMNS["en"] if c in columns), None)
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
                dictionary = _dictionary_frame(parts, context.lang)
                pyogrio.write_dataframe(dictionary, path, layer="data_dictionary", driver="GPKG", append=True)
            return path.read_bytes()
    finally:
        if previous is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = previous


def _about_frame(parts: list[Part], context: ExportContext) -> pd.DataFrame:
    rows = [
        ("atlas_version", release.version()),
        ("atlas_released", release.released().isoformat()),
        ("downloaded", context.day.isoformat()),
        ("filter", context.filter_sentence(t_ for t_, _ in parts)),
        ("view", context.view_url),
        ("citation", release.citation()),
        ("crs", "EPSG:4326 (WGS 84 longitude/latitude)"),
        ("data_dictionary", "table data_dictionary: every column of every layer, with its codes"),
    ]
    for table, frame in parts:
        rows += [
            (f"{table.id}.title", table.title),
            (f"{table.id}.features", str(len(frame))),
            (f"{table.id}.source", table.citation(context.lang)),
            (f"{table.id}.license", table.licence(context.lang)),
        ]
    return pd.DataFrame(rows, columns=["key", "value"])


def _dictionary_frame(parts: list[Part], lang: str) -> pd.DataFrame:
    frames = [data_dictionary(table, lang).assign(layer=table.id) for table, _ in parts]
    out = pd.concat(frames, ignore_index=True)
    return out[["layer", "column", "title", "type", "unit", "description", "codes"]]


def to_gpkg(parts: list[Part], context: ExportContext) -> bytes:
    """Every chosen layer in one GeoPackage, plus an 'about' table (version, filter, sources, licence,
    citation) and a 'data_dictionary' table (every column, with its codes)."""
    return _write_with_gdal(parts, "GPKG", ".gpkg", context)


def to_kml(parts: list[Part], context: ExportContext) -> bytes:
    """KML (one folder per layer) for Google Earth and similar viewers.

    Google Earth renders names, descriptions and balloon data as HTML, so text
    cells are HTML-escaped first: a cell is shown as written, never as markup.
    """
    raw = _write_with_gdal([(table, html_escaped(frame)) for table, frame in parts], "KML", ".kml", context)
    return _styled_kml(raw, parts, context)


_KML_NS = "http://www.opengis.net/kml/2.2"


def _kml_colour(hex_colour: str, alpha: str = "ff") -> str:
    """'#0072b2' -> KML's 'aabbggrr'."""
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha}{b}{g}{r}".lower()


def _styled_kml(raw: bytes, parts: list[Part], context: ExportContext) -> bytes:
    """One style per programme (the atlas's colours), each placemark pointing at its own; the
    document named, and described with its filter, sources, licences and citation."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _KML_NS)
    root = ET.fromstring(raw)
    doc = root.find(f"{{{_KML_NS}}}Document")
    ns = f"{{{_KML_NS}}}"
    used: set[str] = set()
    # Each layer is a Folder, or an inner Document once GDAL appends a second one, named after it.
    folders = {
        el.findtext(f"{ns}name"): el
        for el in doc.iter()
        if el.tag in (f"{ns}Folder", f"{ns}Document") and el is not doc
    }
    for table, frame in parts:
        folder = folders.get(table.id)
        if folder is None:
            continue
        years = list(frame["program_year"]) if "program_year" in frame.columns else [None] * len(frame)
        for placemark, year in zip(folder.findall(f"{ns}Placemark"), years):
            programme = f"esc_y{int(year)}" if table.id == "model_cities" and year is not None else table.programme
            if programme not in PROGRAMMES:
                continue
            used.add(programme)
            url = ET.Element(f"{ns}styleUrl")
            url.text = f"#{programme}"
            placemark.insert(1, url)
    about = [context.filter_sentence(t_ for t_, _ in parts), release.citation()]
    for table, _ in parts:
        about.append(f"{table.label(context.lang)}: {table.citation(context.lang)} — {table.licence(context.lang)}")
    name = ET.Element(f"{ns}name")
    name.text = release.TITLE if context.lang == "en" else release.TITLE_JA
    description = ET.Element(f"{ns}description")
    description.text = html.escape("\n".join(about), quote=False)  # rendered as HTML by Google Earth
    for i, programme in enumerate(sorted(used)):
        colour = PROGRAMMES[programme].colour
        style = ET.Element(f"{ns}Style", id=programme)
        icon = ET.SubElement(style, f"{ns}IconStyle")
        ET.SubElement(icon, f"{ns}color").text = _kml_colour(colour)
        ET.SubElement(icon, f"{ns}scale").text = "0.9"
        line = ET.SubElement(style, f"{ns}LineStyle")
        ET.SubElement(line, f"{ns}color").text = _kml_colour(colour)
        ET.SubElement(line, f"{ns}width").text = "2.5"
        poly = ET.SubElement(style, f"{ns}PolyStyle")
        ET.SubElement(poly, f"{ns}color").text = _kml_colour(colour, "99")
        doc.insert(i, style)
    doc.insert(0, description)
    doc.insert(0, name)
    return b'<?xml version="1.0" encoding="utf-8" ?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
