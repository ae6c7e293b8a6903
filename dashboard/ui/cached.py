"""The data, loaded once per server process and shared by every session (never mutated).

``cache_resource`` rather than ``cache_data``: the frames are read-only, and
copying them on every rerun would cost more than the pages themselves.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from dashboard import io
from dashboard.catalog import LAYER_ORDER, Table, load_catalog
from dashboard.filters import Filter, facet_options
from dashboard.io import load_layers, load_table


@st.cache_resource(show_spinner=False)
def layers() -> dict:
    """Every layer as (Table, GeoDataFrame); loaded once per server process.

    ``cache_resource`` rather than ``cache_data``: the frames are never mutated,
    and copying them on every rerun would cost more than the pages themselves.
    """
    return load_layers()


@st.cache_resource(show_spinner=False)
def frames() -> dict:
    """layer_id -> GeoDataFrame of every layer (the frames of :func:`layers`, without their tables)."""
    return {layer_id: frame for layer_id, (_, frame) in layers().items()}


@st.cache_resource(show_spinner=False)
def table(table_id: str):
    """A non-layer table (typed DataFrame), loaded once."""
    return load_table(table_id)


@st.cache_resource(show_spinner=False)
def resolved_places() -> dict[str, tuple[float, float]]:
    """:func:`dashboard.io.resolved_places`, read once."""
    return io.resolved_places()


@st.cache_resource(show_spinner=False)
def catalog() -> dict[str, Table]:
    return load_catalog()


@st.cache_resource(show_spinner=False)
def options() -> dict[str, list[str]]:
    """Every value a facet takes in any layer, in any state: what a link may name."""
    return facet_options(layers())


@st.cache_resource(show_spinner=False)
def offered_options(as_of: str) -> dict[str, list[str]]:
    """The facet values of the state ``as_of``: the sidebar offers no country that only a later partner has."""
    state = Filter(as_of=as_of)
    return facet_options({lid: (t, state.apply(t, frame)) for lid, (t, frame) in layers().items()})


def ordered_layer_ids() -> list[str]:
    return [lid for lid in LAYER_ORDER if lid in layers()]


@st.cache_resource(show_spinner=False, max_entries=512)
def filtered(layer_id: str, filter_: Filter):
    """A layer's rows that pass the filter (the exact rows map, charts and downloads use).

    Cached per (layer, filter): every page asks for the same few combinations,
    and callers never mutate the result.
    """
    table_, frame = layers()[layer_id]
    return filter_.apply(table_, frame)


@st.cache_resource(show_spinner=False, max_entries=256)
def figure(chart_id: str, filter_: Filter, lang: str, options: dict | None = None):
    """The chart :data:`dashboard.charts.CHARTS` lists as ``chart_id``, built once per (chart, filter, language, options).

    Building a plotly figure validates every property (tens of milliseconds a
    chart); pages rerun on every click, so figures are cached like the data.
    The chart's tables come from its record: layers filtered, other tables whole.
    """
    from dashboard.charts import CHARTS  # lazy: plotly is only needed by pages with charts

    spec = CHARTS[chart_id]
    frames = [filtered(tid, filter_) if tid in layers() else table(tid) for tid in spec.tables]
    return spec.builder(*frames, lang, **(options or {}))


_MEMO: dict = {}


_MEMO_LIMIT = 4096


def memo(fn, *args):
    """``fn(*args)``, computed once per identical arguments.

    Page helpers turn the cached, filtered frames into display tables on every
    rerun; memoising them keeps a rerun cheap. Frames are compared by identity
    (they come from the caches above and are never mutated); a weak reference
    makes sure a recycled ``id`` is never mistaken for the old frame. Other
    arguments are compared by value.
    """
    import weakref

    import pandas as pd

    parts, refs = [], []
    for arg in args:
        if isinstance(arg, pd.DataFrame):
            parts.append(("frame", id(arg)))
            refs.append(weakref.ref(arg))
        elif isinstance(arg, dict) and any(isinstance(v, pd.DataFrame) for v in arg.values()):
            # Its repr would print every frame on every call (a country page's rerun took three times as long).
            raise TypeError(f"memo({fn.__qualname__}): pass frames one by one, or memoise a function of plain values")
        else:
            parts.append(repr(arg))
    key = (fn.__module__, fn.__qualname__, tuple(parts))
    hit = _MEMO.get(key)
    if hit is not None and all(ref() is not None for ref in hit[0]):
        return hit[1]
    value = fn(*args)
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[key] = (refs, value)
    return value


@st.cache_resource(show_spinner=False)
def world() -> gpd.GeoDataFrame:
    """The basemap countries, for label positions (read once)."""
    return io.load_world()


@st.cache_resource(show_spinner=False)
def stories() -> dict:
    frame = table("success_stories")
    return {row["city_id"]: row for _, row in frame.iterrows()}
