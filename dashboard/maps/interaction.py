"""What the reader does on the map, in the browser: choose a feature by mouse or keyboard, see it marked.

One script, added last to every atlas map, so that

* every feature (marker, line, partner country) is a named control: focusable
  with Tab, and Enter or Space opens it as a click does (the details appear
  beside the map, as streamlit-folium reports the click to the page);
* the chosen feature is marked at once, by a click or a key, without the page
  redrawing the map (the reader's zoom stays), and the feature chosen by a link
  or the search box is marked when the map opens;
* a country label that would overlap another moves beside or above its point,
  and hides only when no place is free, at every zoom;
* when online tiles cannot be loaded the map says so, over the offline
  countries that stay drawn beneath them.

Features carry their id as the Leaflet option ``atlasId`` ("layer_id:feature_id"); a
badge standing for several features also carries all their ids as ``atlasIds``.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from dashboard.maps.symbols import SELECTED

INTERACTION_CSS = """
/* Rings are drawn by pseudo-elements: a border-radius on the marker itself would shrink the
   area that takes the click (a click on a corner would miss once the marker had focus). */
.leaflet-marker-icon.atlas-chosen::after, .leaflet-marker-icon:focus-visible::before {
  content: ""; position: absolute; inset: -7px; border-radius: 50%%; pointer-events: none; }
.leaflet-marker-icon.atlas-chosen::after { border: 3px solid %(sel)s; box-shadow: 0 0 0 3px rgba(255,255,255,.9); }
.leaflet-marker-icon:focus-visible::before { inset: -11px; border: 3px solid #1f5fbf; }
.leaflet-marker-icon:focus { outline: none; }
.leaflet-interactive:focus { outline: none; }
.leaflet-interactive:focus-visible { stroke: #1f5fbf; stroke-width: 5px; stroke-opacity: 1; }
.atlas-tiles-failed { background: #fff4e5; color: #5a3800; border: 1px solid #e0a040; border-radius: 4px;
  padding: 4px 8px; font-size: 12px; max-width: 260px; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
""" % {"sel": SELECTED}


class Interaction(MacroElement):
    """The map's behaviour in the browser (see the module); add it after every layer."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, opts) {
            var chosen = null, halo = null;
            // The page's URL says what is chosen (sel=): a map redrawn after a filter or a layer
            // change marks the reader's choice again. An exported file has only its own option.
            try {
                var sel = new URLSearchParams(window.parent.location.search).get("sel");
                // A slide or a preview keeps its own highlight (their pages read no choice).
                if (sel && window.parent !== window && opts.choosable) { opts.selected = sel; }
            } catch (e) { /* a page that cannot read its parent keeps the option */ }
            function textOf(layer) {
                var tip = layer.getTooltip && layer.getTooltip();
                if (!tip) { return ""; }
                var div = document.createElement("div");
                div.innerHTML = tip.getContent();
                return div.textContent.trim();
            }
            function choose(layer) {
                if (chosen && chosen._icon) { chosen._icon.classList.remove("atlas-chosen"); }
                if (halo) { map.removeLayer(halo); halo = null; }
                chosen = layer;
                if (layer._icon) {
                    layer._icon.classList.add("atlas-chosen");
                } else if (layer.toGeoJSON) {
                    halo = L.geoJSON(layer.toGeoJSON(), {interactive: false, style: {
                        color: {{ this.selected_colour|tojson }}, weight: 5, opacity: 0.9, fill: false}}).addTo(map);
                    if (layer.bringToFront) { layer.bringToFront(); }
                }
            }
            // Enter or Space on a focused feature fires the click a mouse would make, where it would
            // make it: streamlit-folium reports only clicks to the page, so keys must look like one.
            function openWithKeys(layer, element, where) {
                element.setAttribute("tabindex", "0");
                element.setAttribute("role", "button");
                // Its name, then what it is: a list of controls read aloud says which programme each is.
                var name = textOf(layer);
                var kind = (opts.kinds || {})[String(layer.options.atlasId).split(":")[0]];
                if (name) { element.setAttribute("aria-label", kind ? name + opts.kindSeparator + kind : name); }
                L.DomEvent.on(element, "keydown", function (e) {
                    if (e.key !== "Enter" && e.key !== " ") { return; }
                    L.DomEvent.preventDefault(e);
                    layer.fire("click", {latlng: where(), originalEvent: e}, true);
                });
            }
            function decorate(layer) {
                var id = layer.options && layer.options.atlasId;
                if (!id || layer._atlasReady) { return; }
                layer._atlasReady = true;
                // A map whose page reads no clicks (a preview, a slide) only shows what is chosen.
                if (!opts.choosable) {
                    if ((layer.options.atlasIds || [id]).indexOf(opts.selected) !== -1) { choose(layer); }
                    return;
                }
                layer.on("click", function () { choose(layer); });
                if (layer._icon) {
                    openWithKeys(layer, layer._icon, function () { return layer.getLatLng(); });
                } else if (layer._path) {
                    var anchor = opts.anchors[id];
                    openWithKeys(layer, layer._path, function () {
                        return anchor ? L.latLng(anchor[0], anchor[1]) : layer.getCenter();
                    });
                }
                // A badge stands for several features (atlasIds): it is marked when any of them is chosen.
                if ((layer.options.atlasIds || [id]).indexOf(opts.selected) !== -1) { choose(layer); }
            }
            map.eachLayer(function (layer) {
                decorate(layer);
                // Point symbols arrive when their data has loaded (dashboard.maps.point_layer).
                if (layer instanceof L.FeatureGroup && !(layer instanceof L.GeoJSON)) {
                    layer.on("layeradd", function (e) { decorate(e.layer); });
                }
                if (layer instanceof L.GeoJSON && layer.options.interactive !== false) {
                    // Partner countries arrive when their file has loaded (the basemap's are not choosable).
                    layer.on("layeradd", function (e) {
                        var props = (e.layer.feature || {}).properties || {};
                        var id = opts.polygonIds[props.iso3];
                        if (id) { e.layer.options.atlasId = id; decorate(e.layer); }
                    });
                }
                if (layer instanceof L.TileLayer) {
                    layer.once("tileerror", function () {
                        var note = L.control({position: "topright"});
                        note.onAdd = function () {
                            var div = L.DomUtil.create("div", "atlas-tiles-failed");
                            div.setAttribute("role", "status");
                            div.textContent = opts.tilesFailed;
                            return div;
                        };
                        note.addTo(map);
                    });
                }
            });
            // Labels are placed in order; one that would overlap a placed one tries beside or above
            // its country's point, and is hidden only when no place is free.
            function declutter() {
                var placed = [];
                function free(r) {
                    return placed.every(function (p) {  // 2 px of touching is allowed
                        return !(r.left < p.right - 2 && r.right > p.left + 2 && r.top < p.bottom - 2 && r.bottom > p.top + 2);
                    });
                }
                document.querySelectorAll(".atlas-label").forEach(function (el) {
                    el.style.visibility = "";
                    el.style.transform = "";
                    var r = el.getBoundingClientRect();
                    if (!r.width) { return; }
                    var lift = r.height + 20;  // from below the point to above it
                    var tries = [];
                    [0, r.width / 2 + 12, -(r.width / 2 + 12)].forEach(function (dx) {
                        [0, -lift, -lift / 2, r.height, -lift - r.height].forEach(function (dy) { tries.push([dx, dy]); });
                    });
                    tries.sort(function (a, b) { return Math.hypot(a[0], a[1]) - Math.hypot(b[0], b[1]); });
                    for (var i = 0; i < tries.length; i++) {
                        var dx = tries[i][0], dy = tries[i][1];
                        var moved = {left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy};
                        if (free(moved)) {
                            if (dx || dy) { el.style.transform = "translate(" + dx + "px," + dy + "px)"; }
                            placed.push(moved);
                            return;
                        }
                    }
                    el.style.visibility = "hidden";
                });
            }
            // The map frame is a document of its own: its language sets how labels and tooltips
            // are read aloud and where Japanese lines may break.
            // The frame is named for what it shows (its title attribute is what a screen reader
            // announces on entering it; the host page would call it after the component).
            if (opts.frameTitle) {
                document.title = opts.frameTitle;
                try {
                    if (window.frameElement) { window.frameElement.setAttribute("title", opts.frameTitle); }
                } catch (e) { /* a frame of another origin keeps its host's title */ }
            }
            if (opts.lang) {
                document.documentElement.lang = opts.lang;
                document.documentElement.style.setProperty("line-break", "strict");
            }
            // Miles mean nothing to a Japanese reader: the scale shows kilometres only.
            if (opts.lang === "ja") {
                var lines = map.getContainer().querySelectorAll(".leaflet-control-scale-line");
                if (lines.length > 1) { lines[1].style.display = "none"; }
            }
            // Leaflet's zoom buttons in the reader's language.
            if (map.zoomControl && opts.zoomIn) {
                [[map.zoomControl._zoomInButton, opts.zoomIn], [map.zoomControl._zoomOutButton, opts.zoomOut]].forEach(function (b) {
                    if (b[0]) { b[0].title = b[1]; b[0].setAttribute("aria-label", b[1]); }
                });
            }
            // Leaflet's credit without its English tooltip and outside link: the name is the credit.
            if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
            map.on("zoomend moveend resize", declutter);
            // The frame's size settles after the map opens (the page sizes the iframe): measure again.
            [0, 300, 1000].forEach(function (ms) { setTimeout(declutter, ms); });
        })({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, selected: str | None, anchors: dict, polygon_ids: dict, texts: dict, choosable: bool = True):
        super().__init__()
        self._name = "Interaction"
        self.selected_colour = SELECTED
        self.options = {
            "selected": selected,
            "choosable": choosable,
            "anchors": anchors,  # atlas id -> [lat, lon] a key press "clicks" (inside the country)
            "polygonIds": polygon_ids,  # iso3 -> atlas id of the partner polygon
            **texts,  # lang, frameTitle, kinds, tilesFailed, zoomIn, zoomOut: the map's language and words
        }
