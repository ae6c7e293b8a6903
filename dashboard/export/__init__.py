"""Turn filtered layers into downloadable files: one code path for the page and the CLI.

``FORMATS`` holds one record per format, its writer ``(parts, context) -> bytes``
first, like datasette's renderers. ``parts`` are the (table, filtered frame) pairs to write;
``context`` says which filter produced them so every file can carry its filter
sentence, sources, licence and citation. Output is deterministic: the same
selection gives the same bytes today and tomorrow (GeoPackage timestamps and
zip entry times are pinned), so a download can be compared with the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.catalog import Table, load_catalog
from dashboard.export.bundle import to_bundle
from dashboard.export.context import ExportContext, Part
from dashboard.export.geo import to_geojson, to_gpkg, to_kml
from dashboard.export.tables import to_csv, to_csv_excel
from dashboard.filters import STATE_COLUMN, Filter


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


def export_filename(layer_ids: list[str], filter_: Filter, fmt: str, on: date | None = None) -> str:
    """'model_cities_country-IDN_2026-11-28.geojson'; several layers: 'atlas-3-layers_…'."""
    stem = layer_ids[0] if len(layer_ids) == 1 else f"atlas-{len(layer_ids)}-layers"
    ext = FORMATS[fmt].extension
    # A file of JCM partners says which of them it holds: 'jcm_partners_as_of-2014-12_…', not '…_all_…'.
    tables = load_catalog()
    state = any(STATE_COLUMN in tables[i].column_names for i in layer_ids if i in tables)
    return f"{stem}_{filter_.slug(state)}_{(on or date.today()).isoformat()}.{ext}"
