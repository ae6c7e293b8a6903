"""Make folium maps work with no internet.

folium points every map at CDN copies of Leaflet, jQuery, Bootstrap and Font
Awesome. Offline, streamlit-folium stops at the first script that fails to
load and the map stays blank, so this module

* repoints folium at the copies vendored under ``static/vendor/`` by
  ``scripts/vendor_assets.py`` and drops the assets the app does not use
  (:func:`use_local_assets`);
* provides :class:`UrlGeoJson`, a GeoJSON layer the browser fetches from the
  static folder, so the basemap is not re-sent with every Streamlit rerun;
* and :mod:`dashboard.maps.standalone` turns a map into one self-contained
  HTML file.

The module imports no Streamlit, so it can be tested and used in scripts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import folium
import folium.plugins
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.utilities import camelize, get_obj_in_upper_tree

#: Base URL of Streamlit's static folder as seen from the streamlit-folium
#: component iframe (``<base>/component/<name>/index.html``). Relative, so it
#: keeps working when the app runs under ``--server.baseUrlPath``.
STATIC_URL = "../../app/static"

# Files under static/vendor/ (written by scripts/vendor_assets.py) that
# replace each folium class's CDN links. The names are folium's own keys, so
# a link added earlier under the same name is replaced rather than doubled.
_LOCAL_ASSETS: dict[type, dict[str, list[tuple[str, str]]]] = {
    folium.Map: {
        "js": [
            ("leaflet", "vendor/leaflet/leaflet.js"),
            # Sets L.Icon.Default.imagePath: inside streamlit-folium the CSS
            # Leaflet reads it from arrives too late (see the file).
            ("leaflet_icon_path", "vendor/atlas-shims/leaflet-icon-path.js"),
            # folium's popup template calls $(...).
            ("jquery", "vendor/jquery/jquery.min.js"),
        ],
        "css": [("leaflet_css", "vendor/leaflet/leaflet.css")],
    },
    folium.plugins.Fullscreen: {
        "js": [
            (
                "Control.Fullscreen.js",
                "vendor/leaflet.fullscreen/Control.FullScreen.js",
            )
        ],
        "css": [
            (
                "Control.FullScreen.css",
                "vendor/leaflet.fullscreen/Control.FullScreen.css",
            )
        ],
    },
}

# Global the exported HTML uses to hand GeoJSON to UrlGeoJson instead of a
# fetch(), which browsers refuse for file:// pages.
_INLINE_DATA_VAR = "__inlineGeoJson"

# The tags branca writes for JavascriptLink / CssLink (attributes in any order).
_SCRIPT_TAG = r"<script\b[^>]*?\bsrc\s*=\s*[\"'](?P<script>[^\"']+)[\"'][^>]*>\s*</script\s*>"
_LINK_TAG = r"<link\b[^>]*?\bhref\s*=\s*[\"'](?P<link>[^\"']+)[\"'][^>]*?/?>"
_ASSET_TAG = re.compile(f"{_SCRIPT_TAG}|{_LINK_TAG}", re.IGNORECASE)


def use_local_assets(prefix: str = STATIC_URL) -> None:
    """Point folium's asset links at the vendored copies.

    Replaces ``default_js`` / ``default_css`` of :class:`folium.Map` and
    :class:`folium.plugins.Fullscreen` with files under
    ``prefix + "/vendor/"``. Bootstrap, Font Awesome and awesome-markers are
    dropped, so ``folium.Icon`` (awesome-markers) cannot be used; plain
    ``folium.Marker``, ``CircleMarker``, popups and tooltips work.

    Call it before the first map is rendered. Calling it again is harmless:
    the lists are rebuilt from scratch each time.

    Parameters
    ----------
    prefix : str, default STATIC_URL
        URL of the static folder. Keep the default inside Streamlit. For a
        map saved with ``Map.save``, pass the folder's URL relative to the
        saved file, or use :func:`inline_html` instead.

    Notes
    -----
    folium reads these class attributes at render time, and streamlit-folium
    collects the same lists into the component's script links, so both see
    the change. Fresh lists are assigned (never mutated in place) because
    ``JSCSSMixin.add_js_link`` mutates the list it finds, which is shared by
    every instance.

    Only ``Map`` and ``Fullscreen`` are covered. Any other folium plugin, and
    any branca colormap (``folium.Choropleth``, ``colormap.add_to(map)``:
    streamlit-folium then adds d3 from a CDN), brings CDN links back; check
    with :func:`asset_links`.
    """
    base = prefix.rstrip("/")
    for cls, assets in _LOCAL_ASSETS.items():
        cls.default_js = [(name, f"{base}/{path}") for name, path in assets["js"]]
        cls.default_css = [(name, f"{base}/{path}") for name, path in assets["css"]]


def asset_links(folium_map: folium.Map) -> list[str]:
    """List the script and style sheet URLs of a rendered map.

    Parameters
    ----------
    folium_map : folium.Map
        Map to render.

    Returns
    -------
    list of str
        Every ``<script src>`` and ``<link href>`` in the map's standalone
        HTML, in document order.
    """
    html = folium_map.get_root().render()
    return [m.group("script") or m.group("link") for m in _ASSET_TAG.finditer(html)]


class UrlGeoJson(JSCSSMixin, folium.map.Layer):
    """GeoJSON (or TopoJSON) layer that the browser downloads from a URL.

    Unlike ``folium.GeoJson`` the data is not written into the map's HTML,
    so each Streamlit rerun sends a few kilobytes instead of the whole
    basemap, and the browser caches the file. Styling, filtering and
    tooltips are described by plain data and evaluated in the browser.

    Parameters
    ----------
    url : str
        Where the browser fetches the data, usually ``STATIC_URL + "/geo/<file>"``:
        a GeoJSON FeatureCollection, or a TopoJSON Topology whose first object
        is decoded into one (the vendored ``topojson-client``, the basemap's case).
    name : str, optional
        Name shown in ``folium.LayerControl``.
    style : dict, optional
        Leaflet path options applied to every feature, e.g.
        ``{"fillColor": "#eee", "color": "#999", "weight": 0.5}``.
        snake_case keys are converted to camelCase.
    style_by : dict, optional
        ``{property: {value: overrides}}``: features whose ``property``
        equals ``value`` get ``overrides`` merged over ``style``. Values are
        compared as strings. Later properties win over earlier ones.
    only_values : dict, optional
        ``{property: [values]}``: only features whose property is in the
        list are shown (all properties must match). Compared as strings.
    tooltip_property : str, optional
        Feature property shown as a sticky tooltip (HTML-escaped).
    tooltip_texts : dict, optional
        ``{value of tooltip_property: text}``: the tooltip shows the text
        instead of the property (features without one get none).
    pane : str, optional
        Leaflet pane for the polygons. Created if missing, with
        ``pane_z_index``, so polygons stay under point markers (Leaflet's
        overlay pane is at 400, markers at 600) whatever order the layers
        finish loading in.
    pane_z_index : int, default 350
        z-index given to a pane this layer creates.
    interactive : bool, optional
        Whether features take mouse events (hover, clicks reported by
        streamlit-folium). Defaults to True only with ``tooltip_property``,
        so a plain basemap never intercepts clicks meant for layers above.
    overlay : bool, default True
        Overlay (checkbox) or base layer (radio button) in LayerControl.
    control : bool, default True
        Whether the layer appears in LayerControl.
    show : bool, default True
        Whether the layer is on when the map opens.

    Notes
    -----
    The layer object exists as soon as the map script runs (so
    ``LayerControl`` and ``show`` work as for any folium layer); features
    are added when the download finishes. A failed download is logged to
    the browser console and leaves the layer empty.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.pane %}
        if (!{{ this._map.get_name() }}.getPane({{ this.pane|tojson }})) {
            {{ this._map.get_name() }}.createPane({{ this.pane|tojson }})
                .style.zIndex = {{ this.pane_z_index|tojson }};
        }
        {%- endif %}
        var {{ this.get_name() }} = L.geoJson(null, {
            {%- if this.pane %}
            pane: {{ this.pane|tojson }},
            {%- endif %}
            interactive: {{ this.interactive|tojson }},
            style: function (feature) {
                var props = feature.properties || {};
                var style = Object.assign({}, {{ this.style|tojson }});
                var styleBy = {{ this.style_by|tojson }};
                Object.keys(styleBy).forEach(function (key) {
                    if (props[key] === null || props[key] === undefined) { return; }
                    var overrides = styleBy[key][String(props[key])];
                    if (overrides) { Object.assign(style, overrides); }
                });
                return style;
            },
            {%- if this.only_values %}
            filter: function (feature) {
                var props = feature.properties || {};
                var allowed = {{ this.only_values|tojson }};
                return Object.keys(allowed).every(function (key) {
                    return props[key] !== null && props[key] !== undefined
                        && allowed[key].indexOf(String(props[key])) !== -1;
                });
            },
            {%- endif %}
            {%- if this.tooltip_property %}
            onEachFeature: function (feature, layer) {
                var value = (feature.properties || {})[{{ this.tooltip_property|tojson }}];
                {%- if this.tooltip_texts %}
                value = {{ this.tooltip_texts|tojson }}[String(value)];
                {%- endif %}
                if (value === null || value === undefined || value === "") { return; }
                var text = String(value).replace(/[&<>"']/g, function (c) {
                    return {"&": "&amp;", "<": "&lt;", ">": "&gt;",
                            '"': "&quot;", "'": "&#39;"}[c];
                });
                layer.bindTooltip(text, {sticky: true});
            },
            {%- endif %}
        });
        (function (layer, url) {
            // An exported page (inline_html) carries the data itself.
            var inline = window[{{ this.inline_var|tojson }}];
            // Layers that show the same file (basemap, partner shading) share one download.
            var pending = window.__atlasGeoJson = window.__atlasGeoJson || {};
            // TopoJSON (the basemap) is decoded once, here; GeoJSON passes through.
            var decode = function (data) {
                if (data && data.type === "Topology") {
                    return topojson.feature(data, data.objects[Object.keys(data.objects)[0]]);
                }
                return data;
            };
            var load = (inline && inline[url])
                ? Promise.resolve(inline[url]).then(decode)
                : (pending[url] = pending[url] || fetch(url).then(function (response) {
                    if (!response.ok) {
                        throw new Error(response.status + " " + response.statusText);
                    }
                    return response.json();
                }).then(decode));
            load.then(function (data) { layer.addData(data); })
                .catch(function (error) {
                    console.error("UrlGeoJson: cannot load " + url, error);
                });
        })({{ this.get_name() }}, {{ this.url|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        url: str,
        name: str | None = None,
        style: Mapping[str, Any] | None = None,
        style_by: Mapping[str, Mapping[Any, Mapping[str, Any]]] | None = None,
        only_values: Mapping[str, Iterable[Any]] | None = None,
        tooltip_property: str | None = None,
        tooltip_texts: Mapping[Any, str] | None = None,
        pane: str | None = None,
        pane_z_index: int = 350,
        interactive: bool | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "UrlGeoJson"
        self.url = url
        self.style = _camelize_keys(style or {})
        self.style_by = {
            prop: {str(value): _camelize_keys(over) for value, over in by.items()}
            for prop, by in (style_by or {}).items()
        }
        self.only_values = {prop: [str(v) for v in values] for prop, values in (only_values or {}).items()}
        self.tooltip_property = tooltip_property
        self.tooltip_texts = {str(k): v for k, v in (tooltip_texts or {}).items()}
        self.interactive = tooltip_property is not None if interactive is None else interactive
        self.pane = pane
        self.pane_z_index = pane_z_index
        self.inline_var = _INLINE_DATA_VAR
        self._map: folium.Map | None = None

    def render(self, **kwargs: Any) -> None:
        """Find the map (for pane creation), then render as a folium Layer.

        Parameters
        ----------
        **kwargs
            Passed on to :meth:`folium.map.Layer.render`.
        """
        # Keep the element, not its name: streamlit-folium renames elements
        # after render and only then evaluates the script macro.
        self._map = get_obj_in_upper_tree(self, folium.Map)
        super().render(**kwargs)


# UrlGeoJson's decoder for TopoJSON, vendored like the rest.
_LOCAL_ASSETS[UrlGeoJson] = {"js": [("topojson_client", "vendor/topojson-client/topojson-client.min.js")], "css": []}


def _camelize_keys(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return Leaflet options with snake_case keys turned into camelCase."""
    return {camelize(key): value for key, value in options.items()}


def walk_elements(element: Element) -> Iterator[Element]:
    """Yield an element and all its descendants, depth first."""
    yield element
    for child in element._children.values():
        yield from walk_elements(child)
