"""Stable files for every layer at a fixed address: what ``build`` publishes under ``static/data/``.

Streamlit serves ``static/`` at ``<base>/app/static/``, so each unfiltered
layer has a URL a researcher can cite, script or open in QGIS without
pressing a button (``/app/static/data/model_cities.geojson``), and the whole
atlas is one Frictionless Data Package (``/app/static/data/datapackage.json``,
beside ``tables/<id>.csv``). Files are made by the same exporters as the
downloads and the CLI, in English, dated with the release, so a rebuild of the
same data gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from dashboard import datapackage, release
from dashboard.catalog import GEO_DIR, STATIC_DIR, TABLES_DIR, load_catalog
from dashboard.export import FORMATS, export
from dashboard.export.context import ExportContext
from dashboard.filters import Filter

PUBLISHED_DIR = STATIC_DIR / "data"
LAYER_FORMATS = ("geojson", "csv", "csv_excel", "kml", "gpkg")
# What the Downloads and About pages link to, relative to the static folder's URL.
URL_PREFIX = "data"


def layer_file(layer_id: str, fmt: str) -> str:
    return f"{layer_id}.{FORMATS[fmt].extension}"


def atlas_package(catalog: dict) -> dict:
    """The whole atlas as one data package: every curated table at ``tables/<id>.csv``."""
    return datapackage.descriptor(
        catalog,
        {tid: f"tables/{tid}.csv" for tid in catalog},
        title=release.TITLE,
        version=release.version(),
        citation=release.citation(),
        description=(
            "The curated tables of the Asia Low-Carbon Atlas, with their sources in every row. "
            "places.csv gives coordinates only where it overrides the gazetteer; places.geojson, beside "
            "this file, has every place where the maps put it."
        ),
    )


def published_files(layers: dict, tables_dir: Path = TABLES_DIR, geo_dir: Path = GEO_DIR) -> dict[str, bytes]:
    """Relative path -> bytes of everything published (layers in every format, tables, data package).

    ``places.geojson`` is every place where build put it: the places table
    gives coordinates only where it overrides the gazetteer.
    """
    context = ExportContext(Filter())  # unfiltered, English, dated with the release
    files: dict[str, bytes] = {}
    for layer_id, (table, frame) in layers.items():
        for fmt in LAYER_FORMATS:
            files[layer_file(layer_id, fmt)] = export([(table, frame)], fmt, context)
    files["atlas.gpkg"] = export(list(layers.values()), "gpkg", context)
    files["places.geojson"] = (geo_dir / "places.geojson").read_bytes()
    catalog = load_catalog(tables_dir)
    for table_id in catalog:
        files[f"tables/{table_id}.csv"] = (tables_dir / f"{table_id}.csv").read_bytes()
    files["datapackage.json"] = datapackage.to_json(atlas_package(catalog))
    return files
