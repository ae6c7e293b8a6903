"""Turn a folium map into the immutable strings the ``st_folium`` component draws.

``st_folium`` renders the whole folium tree into HTML and JavaScript on every
call, and rendering is not a read: it renames every element in place (ids,
children order). A folium map cached across sessions and rendered by two at
once fails with "OrderedDict mutated during iteration", and costs half a
second a rerun besides. So maps are rendered exactly once, by the function that
built them, into a :class:`RenderedMap` of plain strings; only that is cached
and shared. ``dashboard.ui.map_view.show_map`` hands it to the component.

Nothing here needs a running app.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import folium
import streamlit_folium

from dashboard.maps.assets import walk_elements
from dashboard.maps.layer_store import URL_PREFIX, LayerStore
from dashboard.maps.point_layer import PointLayer

# Builders own their map, so renders never share a tree; the lock also covers
# any folium element a builder might reuse between maps (a class-level icon, say).
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderedMap:
    """Everything the ``st_folium`` component needs, as immutable values."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: int | float | None
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    legend: str = ""  # escaped HTML the page draws under the map, when the map carries none
    # (name, data) of what the map fetches from the layer store: the page keeps it there while it shows the map.
    layer_data: tuple[tuple[str, bytes], ...] = ()


def render(fmap: folium.Map, legend: str = "", store: LayerStore | None = None) -> RenderedMap:
    """Render a freshly built map, once.

    Parameters
    ----------
    fmap : folium.Map
        A map the caller built and no one else holds: rendering consumes it
        (its elements are renamed), so it must not be rendered again.
    legend : str, optional
        The legend for the page to draw under the map.
    store : LayerStore, optional
        Where the map's point symbols go, to be fetched by URL (the app's
        :data:`~dashboard.maps.layer_store.STORE`); without one they stay in the map.

    Returns
    -------
    RenderedMap
        The strings ``st_folium`` would send, computed the way it computes them.
    """
    layer_data = []
    if store is not None:
        for element in walk_elements(fmap):
            if isinstance(element, PointLayer):
                data = element.payload()
                key = store.put(data)
                element.serve_from(URL_PREFIX + key + ".json")
                layer_data.append((key, data))
    with _RENDER_LOCK:
        fmap.get_root().render()
        fmap.render()
        # Order matters, as in st_folium: the map string renames the tree.
        html = streamlit_folium._get_html(fmap)
        header = streamlit_folium._get_header(fmap)
        script = streamlit_folium._get_map_string(fmap)
        map_id = streamlit_folium.get_full_id(fmap)
        try:
            bounds = fmap.get_bounds()
        except AttributeError:
            bounds = [[None, None], [None, None]]
        css, js = _asset_links(fmap)
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=map_id,
        bounds=(tuple(bounds[0]), tuple(bounds[1])),
        zoom=fmap.options.get("zoom"),
        css_links=css,
        js_links=js,
        legend=legend,
        layer_data=tuple(layer_data),
    )


def _asset_links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS and JS files the map's elements declare, in st_folium's order."""
    css: list[str] = []
    js: list[str] = []
    for element in walk_elements(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))
