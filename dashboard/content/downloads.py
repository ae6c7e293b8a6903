"""What the downloads page offers: which map layers draw the chosen layers, which facets a layer ignores, which files a format gives."""

from __future__ import annotations

from dashboard.catalog import Table
from dashboard.export import FORMATS
from dashboard.filters import Filter
from dashboard.maps.layers import MAP_LAYERS


def map_keys(layer_ids) -> tuple[str, ...]:
    """The map-layer keys that draw ``layer_ids`` (model_cities is drawn as year 1 and year 2).

    Parameters
    ----------
    layer_ids : iterable of str
        Data layer ids, e.g. ``["model_cities", "fs_studies"]``.

    Returns
    -------
    tuple of str
        Keys of :data:`dashboard.maps.layers.MAP_LAYERS`, in drawing order.

    Example
    -------
    >>> map_keys(["model_cities"])
    ('model_cities_y2', 'model_cities_y1')
    """
    chosen = set(layer_ids)
    return tuple(m.key for m in MAP_LAYERS if m.layer_id in chosen)


def unapplied_facets(filter_: Filter, table: Table) -> list[str]:
    """Keys of the filter that do not narrow ``table`` (it has no column for them).

    A facet that a layer lacks keeps all its rows (see :mod:`dashboard.filters`);
    the page says so, or a reader would think the file was filtered.
    """
    return [key for key, _ in filter_.values if filter_.column_for(key, table) is None]


def files_for(layer_ids: list[str], fmt: str) -> list[tuple[str, ...]]:
    """The downloads a format gives: one file of all layers, or one per layer for GeoJSON/CSV.

    Parameters
    ----------
    layer_ids : list of str
    fmt : str
        A key of :data:`dashboard.export.FORMATS`.

    Returns
    -------
    list of tuple of str
        The layer ids of each file.
    """
    if FORMATS[fmt].one_layer:
        return [(lid,) for lid in layer_ids]
    return [tuple(layer_ids)]
