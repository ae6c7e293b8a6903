"""The about page's geocoding tab: how precisely each feature is placed, and the gazetteer of places."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.catalog import Table
from dashboard.content.tables import col_label, headings
from dashboard.details import feature_name
from dashboard.i18n import country_name, pick, t
from dashboard.text import cell_text

# The gazetteer table's columns, in display order after the id.
PLACE_COLUMNS = (
    "place_id", "name", "country", "kind", "resolve_by", "gazetteer_name", "geonameid", "lon", "lat",
    "coordinate_source", "note",
)  # fmt: skip
PRECISIONS = ("exact", "approximate", "country", "unresolved")


def _geocoded(layers: Mapping[str, tuple[Table, pd.DataFrame]]):
    for layer_id, (table, frame) in layers.items():
        if "geocode_precision" in frame.columns:
            yield layer_id, table, frame


def precision_counts(layers: Mapping[str, tuple[Table, pd.DataFrame]], lang: str) -> pd.DataFrame:
    """How many features of each layer are placed exactly, approximately or not at all.

    Parameters
    ----------
    layers : mapping
        Layer id -> (Table, frame), e.g. :func:`dashboard.io.load_layers`.
        Layers without ``geocode_precision`` (lines between places, country
        polygons) are left out.

    Returns
    -------
    DataFrame
        ``layer_id, layer, exact, approximate, unresolved, total``.
    """
    rows = []
    for layer_id, table, frame in _geocoded(layers):
        counts = frame["geocode_precision"].value_counts()
        unknown = sorted(set(counts.index) - set(PRECISIONS))
        if unknown:
            raise ValueError(f"{layer_id}: unknown geocode_precision {unknown}")
        rows.append(
            {
                "layer_id": layer_id,
                "layer": table.label(lang),
                **{p: int(counts.get(p, 0)) for p in PRECISIONS},
                "total": len(frame),
            }
        )
    return pd.DataFrame(rows, columns=["layer_id", "layer", *PRECISIONS, "total"])


def precision_columns(lang: str) -> dict[str, str]:
    return (
        {"layer": col_label("layer", lang)}
        | {p: t(f"precision.{p}", lang) for p in PRECISIONS}
        | {"total": col_label("total", lang)}
    )


def non_exact_features(layers: Mapping[str, tuple[Table, pd.DataFrame]], lang: str) -> pd.DataFrame:
    """Every feature placed approximately or not at all, with the curators' note on why.

    Returns
    -------
    DataFrame
        ``layer_id, feature_id, layer, feature, precision, geocode_note``.
    """
    rows = []
    for layer_id, table, frame in _geocoded(layers):
        for _, row in frame[frame["geocode_precision"] != "exact"].iterrows():
            rows.append(
                {
                    "layer_id": layer_id,
                    "feature_id": row["feature_id"],
                    "layer": table.label(lang),
                    "feature": feature_name(layer_id, row, lang),
                    "precision": t(f"precision.{row['geocode_precision']}", lang),
                    "geocode_note": cell_text(row.get("geocode_note", "")),
                }
            )
    return pd.DataFrame(rows, columns=["layer_id", "feature_id", "layer", "feature", "precision", "geocode_note"])


def non_exact_columns(lang: str) -> dict[str, str]:
    return headings(("layer", "feature", "precision", "geocode_note"), lang, {"geocode_note": "geocode_note_en"})


def resolve_counts(places: pd.DataFrame) -> dict[str, int]:
    """Number of places per ``resolve_by`` (gazetteer, override, country)."""
    return {k: int(v) for k, v in places["resolve_by"].value_counts().items()}


def places_table(
    places: pd.DataFrame, lang: str, resolved: Mapping[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """The gazetteer of places: how each was resolved, where it lies and, for overrides, where the coordinates come from.

    Returns
    -------
    DataFrame
        ``place_id, name, country, kind, resolve_by, gazetteer_name, geonameid,
        lon, lat, coordinate_source, note``. lon/lat are the table's for
        overrides; for the others, the point ``build`` resolved (``resolved``:
        place_id -> (lon, lat), from ``data/geo/places.geojson``), so a reader
        sees every coordinate the maps use.
    """
    resolved = resolved or {}
    # Overrides first: theirs are the coordinates a reader may want to check.
    order = places.assign(_first=places["resolve_by"] != "override").sort_values("_first", kind="stable")
    rows = []
    for _, row in order.iterrows():
        rows.append(
            {
                "place_id": row["place_id"],
                "name": pick(row, "name", lang),
                "country": country_name(row["country_iso3"], lang),
                "kind": t(f"page.about.place_kind_{row['place_kind']}", lang),
                "resolve_by": t(f"page.about.resolve_{row['resolve_by']}", lang),
                "gazetteer_name": row["gazetteer_name"],
                "geonameid": cell_text(row["geonameid"]),
                "lon": _coordinate(row["lon"]) or _coordinate(resolved.get(row["place_id"], ("", ""))[0]),
                "lat": _coordinate(row["lat"]) or _coordinate(resolved.get(row["place_id"], ("", ""))[1]),
                "coordinate_source": row["coordinate_source"],
                "note": row["note"],
            }
        )
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS))


def _coordinate(value) -> str:
    if isinstance(value, str):
        return f"{float(value):.4f}" if value else ""
    return "" if pd.isna(value) else f"{float(value):.4f}"


def places_columns(lang: str) -> dict[str, str]:
    return headings(
        PLACE_COLUMNS[1:],  # the id is not shown
        lang,
        {"name": "place", "kind": "place_kind", "coordinate_source": "coordinate_source_en", "note": "note_en"},
    )
