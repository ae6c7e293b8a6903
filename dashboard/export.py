"""Turn filtered layers into downloadable files: one code path for the page and the CLI.

``FORMATS`` holds one record per format, its writer ``(parts, context) -> bytes``
first, like datasette's renderers. ``parts`` are the (table, filtered frame) pairs to write;
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

from dashboard import datapackage, release
from dashboard.catalog import PROGRAMMES, TABLES_DIR, Table, load_catalog
from dashboard.filters import Filter
from dashboard.i18n import code_label, t

#: Timestamp written inside GeoPackages: the brochure's "as of" month, so the
#: bytes depend on the data and filter only.
DATA_TIMESTAMP = "2014-12-31T00:00:00Z"
_NAME_COLUMNS = {
    "en": ("name_en", "title_en", "city_en", "partner_en", "topic_en", "feature_id"),
    "ja": ("name_ja", "title_ja", "city_ja", "partner_ja", "topic_ja", "name_en", "title_en", "feature_id"),
}
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ExportContext:
    """What produced an export, for the files that describe it.

    Attributes
    ----------
    filter : Filter
    lang : str
        Language of READMEs, dictionaries and KML names ('en' or 'ja').
    downloaded : date, optional
        The day the file was made (READMEs say it); None writes the release date,
        so a file made twice from the same data is the same bytes.
    view_url : str
        The link that reopens the view the file came from ('' when made outside the app).
    """

    filter: Filter
    lang: str = "en"
    downloaded: date | None = None
    view_url: str = ""

    @property
    def day(self) -> date:
        return self.downloaded or release.released()


Part = tuple[Table, pd.DataFrame]


def export_filename(layer_ids: list[str], filter_: Filter, fmt: str, on: date | None = None) -> str:
    """'model_cities_country-IDN_2026-11-28.geojson'; several layers: 'atlas-3-layers_…'."""
    stem = layer_ids[0] if len(layer_ids) == 1 else f"atlas-{len(layer_ids)}-layers"
    ext = FORMATS[fmt].extension
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
        "filter": context.filter.sentence(context.lang),
        "source": table.source.get("citation_full", ""),
        "license": table.license.get("name", ""),
        "citation": release.citation(),
        "atlas_version": release.version(),
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
        Columns ``column``, ``title``, ``type``, ``unit``, ``description`` and
        ``codes`` (each code with its label), in the table's column order.
    """
    rows = [(c.name, c.label(lang), c.type, c.unit or "", c.description, code_list(c, lang)) for c in table.columns]
    return pd.DataFrame(rows, columns=["column", "title", "type", "unit", "description", "codes"])


def code_list(col, lang: str) -> str:
    """'waste = Waste; water = Water and sanitation' for a column with a fixed list of values."""
    return "; ".join(f"{v} = {code_label(col.name, v, lang)}" for v in col.enum)


def to_csv(parts: list[Part], context: ExportContext) -> bytes:
    """One layer as UTF-8 CSV with lon/lat (points) or WKT (lines, polygons)."""
    if len(parts) != 1:
        raise ValueError("CSV holds one layer; choose one layer or the bundle format")
    table, frame = parts[0]
    return flat_frame(table, frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_csv_excel(parts: list[Part], context: ExportContext) -> bytes:
    """The same CSV with a UTF-8 byte-order mark: Excel on Japanese Windows reads it as UTF-8, not Shift_JIS."""
    if len(parts) != 1:
        raise ValueError("CSV holds one layer; choose one layer or the bundle format")
    return UTF8_BOM + to_csv(parts, context)


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
                        (c for c in _NAME_COLUMNS[context.lang] if c in columns and frame[c].ne("").all()), None
                    )
                    name_col = name_col or next((c for c in _NAME_COLUMNS["en"] if c in columns), None)
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
        ("filter", context.filter.sentence(context.lang)),
        ("view", context.view_url),
        ("citation", release.citation()),
        ("crs", "EPSG:4326 (WGS 84 longitude/latitude)"),
        ("data_dictionary", "table data_dictionary: every column of every layer, with its codes"),
    ]
    for table, frame in parts:
        rows += [
            (f"{table.id}.title", table.title),
            (f"{table.id}.features", str(len(frame))),
            (f"{table.id}.source", table.source.get("citation_full", "")),
            (f"{table.id}.license", table.license.get("name", "")),
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
    raw = _write_with_gdal([(table, _html_escaped(frame)) for table, frame in parts], "KML", ".kml", context)
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
    about = [context.filter.sentence(context.lang), release.citation()]
    for table, _ in parts:
        about.append(
            f"{table.label(context.lang)}: {table.source.get('citation_full', '')} — {table.license.get('name', '')}"
        )
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


def _html_escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return out


def readme_text(parts: list[Part], context: ExportContext, files: list[tuple[str, str]] | None = None) -> str:
    """The bundle's README in the reader's language: version, date, view, files, citation, dictionaries.

    ``files`` are the (name, what it holds) of the bundle's entries, so the
    README lists exactly what is in it.
    """
    lang = context.lang

    def say(key: str, **values) -> str:
        return t(f"bundle.{key}", lang, **values)

    lines = [
        f"# {say('title')}",
        "",
        say("version", version=release.version(), released=release.released().isoformat()),
        say("downloaded", day=context.day.isoformat()),
        context.filter.sentence(lang),
    ]
    if context.view_url:
        lines.append(say("view", url=context.view_url))
    lines += ["", f"## {say('files')}", ""]
    lines += [f"- `{name}`: {what}" for name, what in files or []]
    lines += [
        "",
        f"## {say('cite')}",
        "",
        release.citation(),
        "",
        "```bibtex",
        release.bibtex(),
        "```",
        "",
        f"## {say('reading')}",
        "",
        say("coordinates"),
        "",
    ]
    for table, frame in parts:
        lines += [
            f"## {table.id}: {table.label(lang)}",
            "",
            table.description + (f" {say('english_only')}" if lang == "ja" else ""),
            "",
            say("features", n=len(frame)),
            "",
        ]
        src = table.source
        lines.append(say("source", source=src.get("citation_full") or src.get("name", "")))
        for extra in table.extra_sources:
            lines.append(
                say(
                    "extra_source",
                    name=extra.get("name", ""),
                    text=f"{extra.get('description', '')} {extra.get('url', '')}".strip(),
                )
            )
        lines += [
            say("licence", licence=f"{table.license.get('name', '')} {table.license.get('url', '')}".rstrip()),
            "",
            f"| {say('col_column')} | {say('col_title')} | {say('col_type')} | {say('col_unit')} | {say('col_description')} | {say('col_codes')} |",
            "|---|---|---|---|---|---|",
        ]
        for _, row in data_dictionary(table, lang).iterrows():
            cells = [
                str(row[c]).replace("|", "/").replace("\n", " ")
                for c in ("column", "title", "type", "unit", "description", "codes")
            ]
            lines.append("| " + " | ".join(cells) + " |")
        if table.geometry == "Point":
            lines.append(f"| lon, lat | {say('lonlat')} | number | degrees (WGS 84) | {say('lonlat_desc')} | |")
        elif table.geometry:
            lines.append(f"| wkt | {say('wkt')} | string | degrees (WGS 84) | {say('wkt_desc')} | |")
        lines.append("")
    return "\n".join(lines)


SECTIONS_TABLE = "brochure_sections"  # what every source_ref cites; in every bundle so citations resolve


def bundle_package(parts: list[Part], context: ExportContext) -> dict:
    """The bundle's datapackage.json: its CSVs with their Table Schemas."""
    tables = {table.id: table for table, _ in parts} | {SECTIONS_TABLE: load_catalog()[SECTIONS_TABLE]}
    return datapackage.descriptor(
        tables,
        {tid: f"{tid}.csv" for tid in tables},
        title=release.TITLE if context.lang == "en" else release.TITLE_JA,
        version=release.version(),
        citation=release.citation(),
        geometry_columns=True,
        description=context.filter.sentence(context.lang),
    )


def to_bundle(parts: list[Part], context: ExportContext) -> bytes:
    """A zip: README.md, datapackage.json, one GeoJSON and CSV per layer, and a GeoPackage of all.

    Entries are dated with the atlas's release and readable by everyone
    (mode 0644) once unzipped.
    """
    lang = context.lang
    entries: list[tuple[str, str, bytes]] = [
        ("datapackage.json", t("bundle.file_datapackage", lang), datapackage.to_json(bundle_package(parts, context)))
    ]
    for table, frame in parts:
        label = table.label(lang)
        entries.append((f"{table.id}.csv", t("bundle.file_csv", lang, layer=label), to_csv([(table, frame)], context)))
        entries.append(
            (f"{table.id}.geojson", t("bundle.file_geojson", lang, layer=label), _geojson_bytes(table, frame, context))
        )
    entries.append(("layers.gpkg", t("bundle.file_gpkg", lang), to_gpkg(parts, context)))
    sections = (TABLES_DIR / f"{SECTIONS_TABLE}.csv").read_bytes()
    entries.append((f"{SECTIONS_TABLE}.csv", t("bundle.file_sections", lang), sections))
    files = [("README.md", t("bundle.file_readme", lang))] + [(name, what) for name, what, _ in entries]
    readme = readme_text(parts, context, files).encode("utf-8")
    stamp = release.released()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("README.md", readme)] + [(name, data) for name, _, data in entries]:
            info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # Unix, so unzip honours the mode
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class Format:
    """One download format: the one record every list of formats is read from."""

    id: str
    write: Callable[[list[Part], ExportContext], bytes]
    mime: str
    extension: str
    one_layer: bool = False  # holds a single layer (GeoJSON, CSV)


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("gpkg", to_gpkg, "application/geopackage+sqlite3", "gpkg"),
        Format("bundle", to_bundle, "application/zip", "zip"),
        Format("kml", to_kml, "application/vnd.google-earth.kml+xml", "kml"),
        Format("geojson", to_geojson, "application/geo+json", "geojson", one_layer=True),
        Format("csv", to_csv, "text/csv", "csv", one_layer=True),
        Format("csv_excel", to_csv_excel, "text/csv", "excel.csv", one_layer=True),
    )
}


def export(parts: list[Part], fmt: str, context: ExportContext) -> bytes:
    """Write ``parts`` in format ``fmt``.

    Parameters
    ----------
    parts : list of (Table, DataFrame)
        Already filtered; see :func:`select`.
    fmt : str
        A key of :data:`FORMATS`.
    context : ExportContext

    Returns
    -------
    bytes
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(parts, context)


def select(layers: dict[str, tuple[Table, pd.DataFrame]], layer_ids: list[str], filter_: Filter) -> list[Part]:
    """Apply ``filter_`` to each chosen layer: the exact rows the map shows."""
    return [(layers[i][0], filter_.apply(*layers[i])) for i in layer_ids]
