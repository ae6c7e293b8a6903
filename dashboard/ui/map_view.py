"""Maps on a page: the one cached builder every page's map comes from, and the component that draws it."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import streamlit as st
import streamlit_folium

from dashboard.details import feature_name
from dashboard.filters import Filter
from dashboard.maps.builder import build_map, country_labels, map_legend
from dashboard.maps.layer_store import STORE
from dashboard.maps.layers import (
    MAP_LAYERS_BY_KEY,
    MapView,
    bounds_around,
    feature_row,
    features_at,
    labelled_countries,
)
from dashboard.maps.render import RenderedMap, render
from dashboard.text import t_md
from dashboard.ui import cached, feature_details, url_state
from dashboard.ui.device import map_height

# What a map reports back to the page: a click's place and the clicked feature's tooltip.
CLICKS = ("last_object_clicked", "last_object_clicked_tooltip")


def show_map(rendered: RenderedMap, key: str, height: int, returned_objects: Sequence[str] = ()) -> dict | None:
    """Draw a rendered map with the ``st_folium`` component; returns what it reports.

    The same call ``st_folium`` ends with, minus its rendering: maps reach the
    pages already rendered (see :mod:`dashboard.maps.render`), so a rerun
    sends the cached strings and mutates nothing shared between sessions.
    ``returned_objects`` empty means the map never reruns the page.
    """
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "bounds": {
            "_southWest": {"lat": rendered.bounds[0][0], "lng": rendered.bounds[0][1]},
            "_northEast": {"lat": rendered.bounds[1][0], "lng": rendered.bounds[1][1]},
        },
        "zoom": rendered.zoom,
    }
    for name, data in rendered.layer_data:
        STORE.keep(name, data)  # the map fetches it once drawn; cheap when it is there
    returned = list(returned_objects)
    component_key = _component_key(rendered.script, key)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(component_key, {})

    out = streamlit_folium._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=component_key,
        height=map_height(height),
        width=None,  # the container's width
        returned_objects=returned,
        default={k: v for k, v in defaults.items() if k in returned},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
    if rendered.legend:
        # Under the map, not over it: the legend never hides the data it explains.
        st.markdown(rendered.legend, unsafe_allow_html=True)
    return out


@functools.lru_cache(maxsize=256)
def _component_key(script: str, key: str) -> str:
    # st_folium's own key: the same map under the same key keeps its state across reruns.
    return streamlit_folium.generate_js_hash(script, key, False)


@st.cache_resource(show_spinner=False, max_entries=128)
def page_map(
    filter_: Filter,
    visible: tuple[str, ...],
    lang: str,
    bounds: tuple | None = None,
    partner_colours: tuple = (),
    labels: bool = True,
    centre_on: tuple[str, str] | None = None,
    basemap: str = "atlas",
    choosable: bool = True,
) -> RenderedMap:
    """The map of some layers under the filter, built and rendered once per distinct call: every page's map.

    Parameters
    ----------
    filter_ : Filter
    visible : tuple of str
        Keys of :data:`dashboard.maps.layers.MAP_LAYERS`.
    lang : str
    bounds : tuple, optional
        ((south, west), (north, east)) to frame instead of fitting the features.
    partner_colours : tuple of (iso3, colour)
        Shading of JCM partners.
    labels : bool
        Whether to label the countries the features stand in.
    centre_on : (layer_id, feature_id), optional
        A feature to highlight and frame (a link's or the search box's selection).
    basemap : str
        'atlas' (offline) or a key of :data:`dashboard.maps.builder.ONLINE_TILES`.
    choosable : bool
        Whether features answer clicks and keys: False for a map whose page reads no clicks (a preview).
    """
    layer_ids = {MAP_LAYERS_BY_KEY[k].layer_id for k in visible}
    frames = {lid: cached.filtered(lid, filter_) for lid in layer_ids}
    view = MapView(
        frames=frames,
        visible=visible,
        selected=centre_on,
        basemap=basemap,
        partner_colours=dict(partner_colours),
        stories=cached.stories(),
        bounds=[list(b) for b in bounds] if bounds else None,
        choosable=choosable,
    )
    if labels:
        view.labels = country_labels(cached.world(), labelled_countries(view, cached.table("places")), lang)
    if centre_on and not bounds:
        view.bounds = bounds_around(frames, centre_on)
    countries = filter_.get("country")
    if countries:
        world = cached.world()
        view.focus = tuple(world.loc[world["iso3"].isin(countries), "geometry"])
    return render(build_map(view, lang, legend="none"), legend=map_legend(view, lang), store=STORE)


SEL_KEY = "sel"  # the chosen feature, 'layer_id:feature_id', kept in the URL by every map


def chosen_in_url() -> tuple[str, str] | None:
    """The feature ``sel=`` names, if the atlas has it; an unknown one is dropped with a notice."""
    raw = st.query_params.get(SEL_KEY)
    if not raw:
        return None
    layer_id, _, feature_id = raw.partition(":")
    layers = cached.layers()
    if layer_id in layers and feature_id in set(layers[layer_id][1]["feature_id"]):
        return layer_id, feature_id
    url_state.notice(SEL_KEY, raw)
    url_state.set_query(sel=None)
    return None


def clicked_features(
    out: dict | None, key: str, filter_: Filter, visible: tuple[str, ...], lang: str, toast_key: str = "ui.chosen_below"
):
    """(layer_id, feature_id) a new click on the map ``key`` hit, the clicked one first; None if no new click.

    Enter on a focused feature reports as a click too (:mod:`dashboard.maps.interaction`).
    """
    clicked = (out or {}).get("last_object_clicked")
    memo = f"{key}_last_click"
    if not clicked:
        # A map drawn afresh (redrawn, or its page opened again) reports no click yet:
        # the next click counts even if it is on the feature clicked last time.
        st.session_state[memo] = None
        return None
    if clicked == st.session_state.get(memo):
        return None
    st.session_state[memo] = clicked
    frames = {MAP_LAYERS_BY_KEY[k].layer_id: cached.filtered(MAP_LAYERS_BY_KEY[k].layer_id, filter_) for k in visible}
    tooltip = (out or {}).get("last_object_clicked_tooltip")
    hits = features_at(frames, visible, clicked["lat"], clicked["lng"], tooltip, lang)
    if hits:
        # On a phone the details are a screen or two below the map: say that they opened.
        row = feature_row(frames, hits[0])
        st.toast(t_md(toast_key, lang, name=feature_name(hits[0][0], row, lang)), icon=":material/info:")
    return hits


def map_with_details(
    key: str, filter_: Filter, visible: tuple[str, ...], lang: str, height: int, **map_options
) -> None:
    """A page's map (:func:`page_map`) whose chosen feature opens its details below it.

    The choice is kept in the URL (``sel``), as on the explorer: a shared link
    opens it, and a map redrawn after a filter change marks it again.
    """
    out = show_map(page_map(filter_, visible, lang, **map_options), key=key, height=height, returned_objects=CLICKS)
    hits = clicked_features(out, key, filter_, visible, lang)
    if hits is not None:
        st.session_state[f"{key}_hits"] = hits
        url_state.set_query(sel=f"{hits[0][0]}:{hits[0][1]}" if hits else None)
    layer_ids = {MAP_LAYERS_BY_KEY[k].layer_id for k in visible}
    chosen = chosen_in_url()
    # A choice of another page's map, or one the filter has since removed, is not shown.
    if chosen is None or chosen[0] not in layer_ids or not _passes(chosen, filter_):
        return
    layer_id, fid = chosen
    shown = [(layer_id, fid)] + [h for h in st.session_state.get(f"{key}_hits") or [] if h != (layer_id, fid)]
    feature_details.cards([h for h in shown if _passes(h, filter_)], lang, key)


def _passes(hit: tuple[str, str], filter_: Filter) -> bool:
    frame = cached.filtered(hit[0], filter_)
    return bool((frame["feature_id"] == hit[1]).any())
