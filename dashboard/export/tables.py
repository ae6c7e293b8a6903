"""Layers as flat tables: CSV (plain and for Excel), the data dictionary, code lists."""

from __future__ import annotations

import html

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.catalog import Table
from dashboard.export.context import ExportContext, Part
from dashboard.i18n import code_label


def json_value(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


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


UTF8_BOM = b"\xef\xbb\xbf"


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


def html_escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return out
