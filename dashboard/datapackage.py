"""Frictionless Data Package descriptors, generated from the sidecars.

The sidecars (``data/tables/<id>.meta.yml``) stay the one source of every
column's type, unit, description and code list; this module only restates
them as Table Schema, so a researcher's tools (frictionless, pandas, R, QGIS
plug-ins) can read the files with their types and keys. Pure: no Streamlit.

A descriptor is written for the whole atlas (``data/datapackage.json``, the
curated tables) and for every download bundle (the bundle's own CSVs, which add
``lon``/``lat`` or ``wkt`` columns).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from dashboard.catalog import Column, Table
from dashboard.i18n import LANGS, code_label

ATLAS_NAME = "asia-low-carbon-atlas"
ATLAS_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (curation, translations, geocoding)",
}

# Sidecar type -> (Table Schema type, format or None, pattern or None).
_TYPES = {
    "string": ("string", None, None),
    "integer": ("integer", None, None),
    "number": ("number", None, None),
    "boolean": ("boolean", None, None),
    "date": ("date", None, None),
    "month": ("yearmonth", None, None),
    "partial_date": ("string", None, r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    "iso3": ("string", None, "^[A-Z]{3}$"),
    "source_ref": ("string", None, None),
}
# What a CSV in a bundle adds to a layer's columns (see dashboard.export.tables.flat_frame).
GEOMETRY_FIELDS = {
    "Point": [
        {"name": "lon", "type": "number", "title": "Longitude", "description": "WGS 84 longitude (EPSG:4326)."},
        {"name": "lat", "type": "number", "title": "Latitude", "description": "WGS 84 latitude (EPSG:4326)."},
    ],
    "other": [
        {"name": "wkt", "type": "string", "title": "Geometry (WKT)", "description": "WGS 84 geometry as WKT."},
    ],
}


def field(col: Column) -> dict:
    """One Table Schema field from a sidecar column, code labels in both languages."""
    kind, fmt, pattern = _TYPES.get(col.type, ("string", None, None))
    out: dict = {"name": col.name, "type": kind, "title": col.title or col.name}
    if fmt:
        out["format"] = fmt
    if col.description:
        out["description"] = col.description
    if col.title_ja:
        out["title_ja"] = col.title_ja
    if col.unit:
        out["unit"] = col.unit
    constraints: dict = {}
    if col.required:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    if col.enum:
        constraints["enum"] = list(col.enum)
        # Table Schema v2 'categories': each code with its label (en); the Japanese labels beside it.
        out["categories"] = [{"value": v, "label": code_label(col.name, v, "en")} for v in col.enum]
        out["categories_ja"] = [{"value": v, "label": code_label(col.name, v, "ja")} for v in col.enum]
    if col.pattern or pattern:
        constraints["pattern"] = col.pattern or pattern
    if col.min is not None:
        constraints["minimum"] = col.min
    if col.max is not None:
        constraints["maximum"] = col.max
    if constraints:
        out["constraints"] = constraints
    return out


def schema(table: Table, in_package: Iterable[str], geometry_columns: bool = False) -> dict:
    """Table Schema of a table; foreign keys only to tables that are in the same package."""
    fields = [field(c) for c in table.columns]
    if geometry_columns and table.geometry:
        fields += GEOMETRY_FIELDS["Point" if table.geometry == "Point" else "other"]
    out: dict = {"fields": fields, "primaryKey": list(table.key)}
    targets = set(in_package)
    foreign = []
    for col in table.columns:
        if col.references:
            ref_table, ref_col = col.references.split(".")
            if ref_table in targets:
                foreign.append({"fields": col.name, "reference": {"resource": ref_table, "fields": ref_col}})
    if foreign:
        out["foreignKeys"] = foreign
    return out


def resource(table: Table, path: str, in_package: Iterable[str], geometry_columns: bool = False) -> dict:
    src = table.source or {}
    sources = [{"title": src.get("citation_full") or src.get("title", "")}]
    sources += [
        {k: v for k, v in (("title", extra.get("name", "")), ("path", extra.get("url"))) if v}
        for extra in table.extra_sources
    ]
    lic = table.license or {}
    return {
        "name": table.id,
        "path": path,
        "title": table.title,
        "title_ja": table.title_ja,
        "description": table.description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema(table, in_package, geometry_columns),
        "sources": [s for s in sources if s.get("title")],
        "licenses": [
            {"name": "other-at", "title": lic.get("name", ""), **({"path": lic["url"]} if lic.get("url") else {})}
        ],
    }


def descriptor(
    tables: Mapping[str, Table],
    paths: Mapping[str, str],
    *,
    title: str,
    version: str,
    citation: str,
    geometry_columns: bool = False,
    description: str = "",
) -> dict:
    """A Data Package descriptor for ``tables`` (id -> Table) stored at ``paths`` (id -> relative path)."""
    ids = [tid for tid in tables if tid in paths]
    return {
        "profile": "tabular-data-package",
        "name": ATLAS_NAME,
        "title": title,
        "description": description,
        "version": version,
        "languages": list(LANGS),
        "licenses": [ATLAS_LICENSE],
        "citation": citation,
        "resources": [resource(tables[tid], paths[tid], ids, geometry_columns) for tid in ids],
    }


def to_json(doc: dict) -> bytes:
    """Deterministic bytes: sorted by nothing but the declared order, UTF-8, final newline."""
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
