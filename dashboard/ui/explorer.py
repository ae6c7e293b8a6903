"""Streamlit widgets around the atlas map: layer toggles, basemap, search, details, download.

The map's state lives in the URL: ``layers`` (visible map layers, default all),
``basemap`` (default the offline atlas), ``sel`` (selected feature as
``layer_id:feature_id``). A click on a marker selects it without redrawing the
map, so the reader's zoom is kept; a search or an opened link centres on it.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from dashboard import search
from dashboard.catalog import PROGRAMMES
from dashboard.details import feature_name
from dashboard.export import FORMATS, export_filename
from dashboard.filters import Filter
from dashboard.i18n import LANGS, t
from dashboard.maps.layers import (
    ALL_MAP_LAYER_KEYS,
    MAP_LAYERS,
    MapView,
    feature_row,
    visible_rows,
)
from dashboard.text import clip, md_escape, t_md
from dashboard.ui import cached, downloads, feature_details, layout, map_view, url_state
from dashboard.ui.cached import stories
from dashboard.ui.downloads import export_bytes, matches_nothing

MAP_HEIGHT = 620


def map_view_controls(lang: str, filter_: Filter, key_prefix: str = "explorer") -> MapView:
    """Sidebar layer toggles and basemap choice, bound to the URL; returns the view to draw."""
    keys = list(ALL_MAP_LAYER_KEYS)
    visible = url_state.query_list("layers", keys, keys)
    st.sidebar.subheader(t("ui.layers", lang))
    chosen = []
    for m in reversed(MAP_LAYERS):  # points first, as a reader scans for them
        label = t(PROGRAMMES[m.programme].label_key, lang)
        if url_state.bound(st.sidebar.checkbox, f"{key_prefix}_layer_{m.key}", m.key in visible, label):
            chosen.append(m.key)
    chosen = [k for k in keys if k in chosen]
    url_state.set_query(layers=None if chosen == keys else (chosen or "none"))
    basemap = url_state.query_value("basemap", "atlas", ("atlas", "osm"))
    labels = {"atlas": t("ui.basemap_atlas", lang), "osm": t("ui.basemap_osm", lang)}
    basemap = url_state.bound(
        st.sidebar.radio,
        f"{key_prefix}_basemap",
        basemap,
        t("ui.basemap", lang),
        ("atlas", "osm"),
        format_func=labels.get,
    )
    url_state.set_query(basemap=None if basemap == "atlas" else basemap)
    frames = {lid: cached.filtered(lid, filter_) for lid in cached.layers()}
    return MapView(
        frames=frames, visible=tuple(chosen), selected=map_view.chosen_in_url(), basemap=basemap, stories=stories()
    )


def cached_map(view: MapView, lang: str, filter_: Filter):
    """The map for the view, built once per distinct view.

    The selection only changes the map when it came from a link or the search
    box (to centre on it); a click keeps the map as drawn so the reader's zoom
    and pan stay where they were.
    """
    if view.selected is not None and st.session_state.get("clicked_sel") == view.selected:
        # A click marks its feature in the browser; the map stays the one drawn, centred where it was.
        centre_on = st.session_state.get("map_centre")
    else:
        # A link, the search box, or no choice at all (a page opened afresh): centre on that.
        st.session_state["clicked_sel"] = None
        centre_on = st.session_state["map_centre"] = view.selected
    return map_view.page_map(filter_, view.visible, lang, centre_on=centre_on, basemap=view.basemap)


def handle_map_click(out: dict | None, view: MapView, filter_: Filter) -> None:
    """Turn a click (or Enter on a focused feature) into the selection (URL ``sel``), keeping co-located features."""
    hits = map_view.clicked_features(out, "explorer_map", filter_, view.visible, layout.lang(), "ui.chosen")
    if hits is None:
        return
    st.session_state["click_hits"] = hits
    if hits:
        view.selected = hits[0]
        st.session_state["clicked_sel"] = hits[0]
        url_state.set_query(sel=f"{hits[0][0]}:{hits[0][1]}")


SEARCH_SHOWN = 8  # matches listed at once: a short list to pick from, the rest asks for more letters


@st.cache_resource(show_spinner=False, max_entries=64)
def _search_index(filter_: Filter, visible: tuple, lang: str) -> tuple[search.Entry, ...]:
    """The visible, filtered features, known by their English and Japanese names, shown as 'Name — Programme'."""
    frames = {lid: cached.filtered(lid, filter_) for lid in cached.layers()}
    view = MapView(frames=frames, visible=visible)
    index = []
    for m, rows in reversed(visible_rows(view)):  # the sidebar's order: equal matches list points first
        programme = t(PROGRAMMES[m.programme].label_key, lang)
        for _, row in rows.iterrows():
            names = [feature_name(m.layer_id, row, name_lang) for name_lang in LANGS]
            label = f"{feature_name(m.layer_id, row, lang)} — {programme}"
            index.append(search.entry(f"{m.layer_id}:{row['feature_id']}", label, names))
    return tuple(index)


def search_box(view: MapView, lang: str, filter_: Filter) -> None:
    """Find a feature by name among the visible, filtered layers, in English or Japanese, romaji or kana.

    Streamlit's selectbox filters its options in the browser by their label
    alone (the reader's language, as written), so the text is matched here
    instead (:func:`dashboard.search.match`) and the matches offered as
    buttons: Enter, then one click chooses.
    """
    query = st.text_input(
        t("search.label", lang),
        key="search_text",
        type="search",
        placeholder=t("search.placeholder", lang),
        help=t("search.help", lang),
    )
    if not query or not query.strip():
        return
    matches = search.match(_search_index(filter_, view.visible, lang), query)
    if not matches:
        st.caption(t_md("search.no_match", lang, query=clip(query.strip(), 40)))
        return
    current = f"{view.selected[0]}:{view.selected[1]}" if view.selected else None
    for hit in matches[:SEARCH_SHOWN]:
        st.button(
            md_escape(hit.label),  # button labels are Markdown; names come from the data
            key=f"search_pick_{hit.key}",
            type="primary" if len(matches) == 1 else "secondary",
            icon=":material/check:" if hit.key == current else None,
            width="stretch",
            wrap=True,  # a long seminar or project name is read whole, not cut with an ellipsis
            on_click=_pick,
            args=(hit.key,),
        )
    if len(matches) > SEARCH_SHOWN:
        st.caption(t("search.more", lang, n=len(matches) - SEARCH_SHOWN))


def _pick(key: str) -> None:
    """Choose a search match; the list closes, so its details come right under the box (on a phone too)."""
    st.session_state["search_text"] = ""
    st.session_state["clicked_sel"] = None
    st.session_state["click_hits"] = []
    url_state.set_query(sel=key)


def details_panel(view: MapView, lang: str) -> None:
    """Fields of the selected feature, and of others at the same place."""
    st.header(t("ui.details", lang))
    if not view.selected:
        st.info(t("ui.details_hint", lang))
        return
    drawn = {(m.layer_id, fid) for m, rows in visible_rows(view) for fid in rows["feature_id"]}
    if view.selected not in drawn:
        # Kept in the URL, so restoring the filter or the layer brings it back; not described as if shown.
        layer_id, _ = view.selected
        row = feature_row(cached.frames(), view.selected)
        unplaced = row.geometry is None or row.geometry.is_empty  # no filter can show it
        key = "ui.chosen_unplaced" if unplaced else "ui.chosen_hidden"
        st.info(t_md(key, lang, name=feature_name(layer_id, row, lang)))
        return
    hits = [h for h in st.session_state.get("click_hits") or [] if h in drawn and h != view.selected]
    feature_details.cards([view.selected] + hits, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def _unplaced_names(filter_: Filter, visible: tuple, lang: str) -> tuple[str, ...]:
    names = []
    for m in MAP_LAYERS:
        if m.key in visible:
            rows = m.rows(cached.filtered(m.layer_id, filter_))
            names += [feature_name(m.layer_id, row, lang) for _, row in rows[rows.geometry.isna()].iterrows()]
    return tuple(dict.fromkeys(names))


def unplaced_caption(view: MapView, lang: str, filter_: Filter) -> None:
    """Name the filtered features that cannot be drawn (unresolved places)."""
    names = _unplaced_names(filter_, view.visible, lang)
    if names:
        layout.not_on_map(names, lang)


def view_filter(view: MapView, filter_: Filter) -> Filter:
    """The filter that yields exactly what the map shows.

    Model cities are one data layer drawn as two map layers (year 1, year 2);
    with only one year visible, the year becomes part of the download's filter.
    """
    years = [y for y, key in ((1, "model_cities_y1"), (2, "model_cities_y2")) if key in view.visible]
    if len(years) == 1 and not filter_.get("program_year"):
        return filter_.with_values("program_year", years)
    return filter_


def download_control(view: MapView, filter_: Filter, lang: str) -> None:
    """Download the visible, filtered layers in one GeoPackage or a bundle."""
    layer_ids = tuple(dict.fromkeys(m.layer_id for m in MAP_LAYERS if m.key in view.visible))
    if not layer_ids:
        return
    filter_ = view_filter(view, filter_)
    st.header(t("ui.download_view", lang))
    formats = [f for f, spec in FORMATS.items() if len(layer_ids) == 1 or not spec.one_layer]
    fmt = st.radio(
        t("download.format", lang),
        formats,
        horizontal=True,
        key=url_state.widget_key("explorer_fmt", lang),
        format_func=lambda f: t(f"download.fmt_{f}", lang),
    )
    name = export_filename(list(layer_ids), filter_, fmt, date.today())
    downloads.download_button(
        partial(export_bytes, layer_ids, filter_, fmt, lang, date.today(), url_state.page_url()),
        name=name,
        mime=FORMATS[fmt].mime,
        key="explorer_download",
        lang=lang,
        empty=matches_nothing(layer_ids, filter_),
        icon=":material/download:",
    )
