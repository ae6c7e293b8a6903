"""A feature group's point symbols as one compact array, drawn by the browser.

A folium ``Marker`` with a ``DivIcon`` and a tooltip is about 700 bytes of
JavaScript; the same symbol as a row of :class:`PointLayer` is its position,
the index of its symbol among the layer's few distinct ones, its pixel offset,
its tooltip and its id. In the app the rows go by URL
(:mod:`dashboard.maps.layer_store`), so the map message does not grow with
the data at all; an exported file carries them inline.

The markers the browser makes are what folium would have made (``L.marker``
with an ``atlas-icon`` ``L.divIcon``, a sticky tooltip, the ``atlasId`` and
``keyboard`` options), added to the feature group, so clicks reach
streamlit-folium through the group and :mod:`dashboard.maps.interaction`
decorates them as they arrive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template


@dataclass(frozen=True)
class Point:
    """One symbol: where, which symbol, fanned out by how many pixels, its tooltip (escaped HTML) and id(s)."""

    lat: float
    lon: float
    symbol: tuple[str, int, int]  # (HTML, width, height)
    offset: tuple[int, int]
    tooltip: str
    atlas_id: str
    atlas_ids: tuple[str, ...] = ()  # a badge standing for several features: all their ids


class PointLayer(MacroElement):
    """The points of one feature group (add it to the group).

    Parameters
    ----------
    points : list of Point
    keyboard : bool
        Whether the markers take keyboard focus (off where the page reads no clicks).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group, opts) {
            function add(data) {
                data.rows.forEach(function (r) {
                    var s = data.symbols[r[2]];
                    var marker = L.marker([r[0], r[1]], {
                        icon: L.divIcon({
                            html: s[0],
                            iconSize: [s[1], s[2]],
                            iconAnchor: [Math.floor(s[1] / 2) - r[3], Math.floor(s[2] / 2) - r[4]],
                            className: "atlas-icon"
                        }),
                        atlasId: r[6],
                        keyboard: opts.keyboard
                    });
                    if (r[7]) { marker.options.atlasIds = r[7]; }
                    // Already escaped: the same HTML folium would have written.
                    marker.bindTooltip("<div>" + r[5] + "</div>", {sticky: true});
                    group.addLayer(marker);
                });
            }
            if (opts.data) { add(opts.data); return; }
            // A page that reconnects to a restarted server, or to another replica, draws its map
            // before that process has rerun the page and made the data: try again for a while.
            function load(attempt) {
                fetch(opts.url).then(function (response) {
                    if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
                    return response.json();
                }).then(add).catch(function (error) {
                    if (attempt < 8) {
                        setTimeout(function () { load(attempt + 1); }, 250 * Math.pow(2, Math.min(attempt, 4)));
                    } else {
                        console.error("PointLayer: cannot load " + opts.url, error);
                    }
                });
            }
            load(0);
        })({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, points: list[Point], keyboard: bool = True):
        super().__init__()
        self._name = "PointLayer"
        self.points = list(points)
        self.keyboard = keyboard
        self.url: str | None = None

    def payload(self) -> bytes:
        """The layer's data as the browser reads it: distinct symbols once, then a short row per point."""
        symbols: dict[tuple[str, int, int], int] = {}
        rows = []
        for p in self.points:
            index = symbols.setdefault(p.symbol, len(symbols))
            # 5 decimals is a metre: a click still finds its feature (dashboard.maps.layers.features_at).
            row = [round(p.lat, 5), round(p.lon, 5), index, p.offset[0], p.offset[1], p.tooltip, p.atlas_id]
            rows.append(row + [list(p.atlas_ids)] if p.atlas_ids else row)
        data = {"symbols": [list(s) for s in symbols], "rows": rows}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def serve_from(self, url: str) -> None:
        """Fetch the data from ``url`` instead of carrying it (call before rendering)."""
        self.url = url

    @property
    def options(self) -> dict:
        if self.url:
            return {"url": self.url, "keyboard": self.keyboard}
        return {"data": json.loads(self.payload()), "keyboard": self.keyboard}
