"""The folium map of a :class:`~dashboard.maps.layers.MapView`: symbols, popups, legend, all offline.

The basemap (country polygons) and the JCM partner shading are loaded by the
browser from the static folder (:class:`dashboard.maps.assets.UrlGeoJson`), so the
map message Streamlit sends on each rerun holds only the markers and lines.
Point symbols are CSS shapes in ``DivIcon`` markers: no icon fonts or images to
fetch, and a shape per programme as well as a colour (for colour-blind readers).

Every string from the data is HTML-escaped before it reaches a tooltip or popup.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen
from jinja2 import Template

from dashboard import counts as count_texts
from dashboard.catalog import PROGRAMMES
from dashboard.details import feature_fields, feature_name, feature_tooltip
from dashboard.i18n import country_name, t
from dashboard.maps.assets import STATIC_URL, UrlGeoJson, use_local_assets
from dashboard.maps.interaction import INTERACTION_CSS, Interaction
from dashboard.maps.layers import (
    APPROXIMATE,
    COUNTRY_LEVEL,
    MAP_LAYERS,
    MapView,
    feature_bounds,
    group_tooltip,
    split_by_precision,
    visible_rows,
)
from dashboard.maps.point_layer import Point, PointLayer
from dashboard.maps.symbols import (
    LINE_HALO_CSS,
    LINE_HALO_SVG,
    SEA,
    SYMBOL_CSS,
    LegendMarks,
    country_badge_html,
    legend_html,
    legend_rows,
    legend_strip_html,
    symbol_html,
)
from dashboard.text import join_names, tooltip_html

BASEMAP_URL = STATIC_URL + "/geo/countries.topojson"  # a third of the GeoJSON's bytes over the network
LAND = "#f7f5ef"
BORDER = "#b9b4a8"
PARTNER_OPACITY = 0.75  # partner shading over the land: the ground many symbols sit on
ONLINE_TILES = {
    # Offered only as an explicit choice; the default map requests no tiles.
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
}
SPREAD_PX = 9  # co-located symbols are fanned out by this many pixels


_CSS = """
<style>
.leaflet-container { background: %(sea)s; font-family: sans-serif; }
%(symbols)s
%(lines)s
%(interaction)s
/* A white halo keeps a label readable on any fill, dark partner shading included. */
.atlas-label-icon { text-align: center; }
/* Inline: its box is its text, which is what the overlap check measures. */
.atlas-label { display: inline-block; color: #4a4438; font-size: 11px; font-weight: 700; letter-spacing: .04em;
  text-transform: uppercase; white-space: nowrap; pointer-events: none;
  text-shadow: -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff, 0 0 4px #fff, 0 0 4px #fff; }
.leaflet-control .atlas-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 240px; }
.atlas-legend summary { cursor: pointer; }
/* Long tooltips wrap instead of running past the map's edge. */
.leaflet-tooltip { white-space: normal; width: max-content; max-width: min(280px, 70vw); }
.atlas-popup h4 { margin: 0 0 4px; font-size: 14px; }
.atlas-popup dl { margin: 0; font-size: 12px; } .atlas-popup dt { font-weight: 600; margin-top: 3px; }
.atlas-popup dd { margin: 0; max-width: 320px; }
</style>
""" % {"sea": SEA, "symbols": SYMBOL_CSS, "lines": LINE_HALO_CSS, "interaction": INTERACTION_CSS}


class _Legend(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "atlas-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            // Where space is short (a 1280 x 720 projector, a small window) it opens folded.
            var details = div.querySelector("details");
            if (details && {{ this._parent.get_name() }}.getSize().y < 560) { details.removeAttribute("open"); }
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position


def popup_html(layer_id: str, row, lang: str, story=None) -> str:
    """Escaped HTML of a feature's popup."""
    parts = [f'<div class="atlas-popup"><h4>{tooltip_html(feature_name(layer_id, row, lang))}</h4><dl>']
    for f in feature_fields(layer_id, row, lang, story):
        if f.label in (t("detail.note", lang), t("detail.location_note", lang)):
            continue  # long curator notes live in the side panel
        value = tooltip_html(f.value)
        if f.long and len(value) > 280:
            value = value[:277] + "…"
        parts.append(f"<dt>{tooltip_html(f.label)}</dt><dd>{value}</dd>")
    parts.append("</dl></div>")
    return "".join(parts)


def _spread(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Pixel offsets fanning out symbols that share a location."""
    groups = defaultdict(list)
    for i, (lon, lat) in enumerate(points):
        groups[(round(lon, 3), round(lat, 3))].append(i)
    offsets = [(0, 0)] * len(points)
    for members in groups.values():
        if len(members) == 1:
            continue
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            offsets[i] = (round(SPREAD_PX * math.cos(angle)), round(SPREAD_PX * math.sin(angle)))
    return offsets


# Partner countries smaller than this (square degrees: Palau, Maldives, Costa Rica)
# also get a symbol at their centre, so they show at every zoom.
SMALL_COUNTRY = 10.0


def build_map(view: MapView, lang: str, legend: str = "inside", legend_corner: str = "bottomleft") -> folium.Map:
    """The atlas map for ``view``.

    Parameters
    ----------
    view : MapView
    lang : str
        'en' or 'ja' for every label.
    legend : {'inside', 'none'}
        'none' when the page draws the legend under the map (:func:`map_legend`).
        A legend inside folds itself where the map turns out short (``_Legend``).
    legend_corner : str
        Leaflet's corner for a legend inside ('bottomleft', 'bottomright', ...).

    Returns
    -------
    folium.Map
        References only vendored assets under the static folder.
    """
    use_local_assets()
    fmap = folium.Map(
        location=[10, 115],
        zoom_start=3,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=False,
        max_bounds=False,
        # Quarter zoom steps let a filter's frame fill the map instead of jumping
        # out to the next whole zoom level (Indonesia at zoom 3 showed Japan and Australia).
        zoom_snap=0.25,
    )
    fmap.get_root().header.add_child(Element(_CSS))
    fmap.get_root().html.add_child(Element(LINE_HALO_SVG))
    online = view.basemap in ONLINE_TILES
    # The offline countries are always drawn; online tiles cover them, and where tiles fail they show.
    UrlGeoJson(
        BASEMAP_URL,
        name=t("map.basemap", lang),
        control=False,
        overlay=False,
        style={"fillColor": LAND, "fillOpacity": 1, "color": BORDER, "weight": 0.6},
        tooltip_property=None,
        pane="basemap",
        pane_z_index=150 if online else 200,
    ).add_to(fmap)
    if online:
        url, attribution = ONLINE_TILES[view.basemap]
        folium.TileLayer(url, attr=attribution, name=t("map.basemap_online", lang), control=False).add_to(fmap)

    anchors, polygon_ids = {}, {}
    rows_by_layer = visible_rows(view)
    drawn = [(m, *split_by_precision(rows)) for m, rows in rows_by_layer if m.layer_id != "jcm_partners"]
    spots = [
        (m.key, idx, g.x, g.y)
        for m, rows, _ in drawn
        for idx, g in zip(rows.index, rows.geometry)
        if g.geom_type == "Point"
    ]
    spots += [(m.key, ("country", iso3), g.x, g.y) for m, _, groups in drawn for iso3, g, _ in groups]
    offsets = dict(zip([(key, idx) for key, idx, _, _ in spots], _spread([(x, y) for _, _, x, y in spots])))

    for m, rows in rows_by_layer:
        if m.layer_id == "jcm_partners":
            anchors_, ids = _add_partners(fmap, view, m, rows, lang)
            anchors.update(anchors_)
            polygon_ids.update(ids)
    for m, rows, groups in drawn:
        p = PROGRAMMES[m.programme]
        group = folium.FeatureGroup(name=t(p.label_key, lang), show=True)
        points = []
        for idx, row in rows.iterrows():
            story = (
                view.stories.get(row.get("city_id"))
                if m.layer_id == "model_cities" and row.get("program_year") == 1
                else None
            )
            tip = tooltip_html(feature_tooltip(m.layer_id, row, lang))
            tooltip = folium.Tooltip(tip)
            popup = folium.Popup(popup_html(m.layer_id, row, lang, story), max_width=360) if view.popups else None
            atlas_id = f"{m.layer_id}:{row['feature_id']}"
            geom = row.geometry
            if geom.geom_type == "LineString":
                line = folium.PolyLine(
                    [(y, x) for x, y in geom.coords],
                    color=p.colour,
                    weight=3,
                    opacity=0.85,
                    dash_array="6 5" if m.layer_id == "knowledge_sharing" else None,
                    tooltip=tooltip,
                    popup=popup,
                )
                line.options["atlasId"] = atlas_id
                line.add_to(group)
                continue
            approx = row.get("geocode_precision") == APPROXIMATE
            size = 14 if m.programme != "esc_y2" else 20
            if popup is not None:  # an exported map: folium's own marker carries the popup
                _marker(
                    geom,
                    symbol_html(m.programme, approx=approx),
                    (size, size),
                    offsets.get((m.key, idx)),
                    tooltip,
                    popup,
                    atlas_id,
                    keyboard=view.choosable,
                ).add_to(group)
                continue
            points.append(
                Point(
                    geom.y,
                    geom.x,
                    (symbol_html(m.programme, approx=approx), size, size),
                    offsets.get((m.key, idx)) or (0, 0),
                    tip,
                    atlas_id,
                )
            )
        for iso3, geom, members in groups:
            ids = tuple(f"{m.layer_id}:{fid}" for fid in members["feature_id"])
            # Set just above the country's point, so the country's label below it stays readable.
            dx, dy = offsets.get((m.key, ("country", iso3))) or (0, 0)
            points.append(
                Point(
                    geom.y,
                    geom.x,
                    (country_badge_html(m.programme, len(members)), 34, 22),
                    (dx, dy - 14),
                    tooltip_html(group_tooltip(m, iso3, len(members), lang)),
                    ids[0],
                    atlas_ids=ids,
                )
            )
        if points:
            PointLayer(points, keyboard=view.choosable).add_to(group)
        group.add_to(fmap)

    for text, lat, lon in view.labels:
        folium.Marker(
            [lat, lon],
            interactive=False,
            keyboard=False,
            icon=folium.DivIcon(
                # "Name · detail": the detail may be dropped by a style sheet where room is short.
                html='<div class="atlas-label">{}{}</div>'.format(
                    html.escape(text.partition(" · ")[0]),
                    f'<span class="atlas-label-detail"> · {html.escape(text.partition(" · ")[2])}</span>'
                    if " · " in text
                    else "",
                ),
                icon_size=(160, 14),
                icon_anchor=(80, -10),
                class_name="atlas-label-icon",
            ),
        ).add_to(fmap)

    if legend == "inside":
        rows = legend_rows(view.visible, lang, legend_counts(view, lang), view.partner_colours, legend_marks(view))
        _Legend(legend_html(rows, lang), legend_corner).add_to(fmap)
    Fullscreen(position="topleft", title=t("map.fullscreen", lang), title_cancel=t("map.fullscreen_exit", lang)).add_to(
        fmap
    )
    selected = f"{view.selected[0]}:{view.selected[1]}" if view.selected else None
    texts = {
        "lang": lang,
        "frameTitle": frame_title(view, lang),
        # What each kind of symbol is, read after its name ("Surabaya · Year 1, ESC model city").
        "kinds": {m.layer_id: t(f"map.kind.{m.layer_id}", lang) for m, _ in rows_by_layer},
        "kindSeparator": t("map.kind_separator", lang),
        "tilesFailed": t("map.tiles_failed", lang),
        "zoomIn": t("map.zoom_in", lang),
        "zoomOut": t("map.zoom_out", lang),
    }
    Interaction(selected, anchors, polygon_ids, texts, choosable=view.choosable).add_to(fmap)
    bounds = view.bounds or (feature_bounds(view) if view.fit else None)
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def frame_title(view: MapView, lang: str) -> str:
    """The map frame's accessible name: what it shows ("Map: ESC model cities, year 1, JCM partner countries").

    >>> frame_title(MapView(frames={}, visible=()), "en")
    'Map (no layer shown)'
    """
    labels = dict.fromkeys(t(PROGRAMMES[m.programme].label_key, lang) for m in MAP_LAYERS if m.key in view.visible)
    if not labels:
        return t("map.frame_title_empty", lang)
    return t("map.frame_title", lang, layers=join_names(list(labels), lang))


def _marker(
    geom, icon_html: str, size: tuple[int, int], offset, tooltip, popup, atlas_id: str, keyboard: bool = True
) -> folium.Marker:
    """A symbol marker at a point, fanned out by ``offset`` pixels from symbols sharing the place.

    ``keyboard`` False keeps it out of the Tab order (Leaflet makes markers buttons by default).
    """
    dx, dy = offset or (0, 0)
    icon = folium.DivIcon(
        html=icon_html,
        icon_size=size,
        icon_anchor=(size[0] // 2 - dx, size[1] // 2 - dy),
        class_name="atlas-icon",
    )
    return folium.Marker(
        [geom.y, geom.x], icon=icon, tooltip=tooltip, popup=popup, atlas_id=atlas_id, keyboard=keyboard
    )


def _add_partners(fmap: folium.Map, view: MapView, m, rows, lang: str) -> tuple[dict, dict]:
    """Shade the partner countries (loaded by the browser) and mark the small ones with a symbol.

    Returns the atlas ids by ISO3 and, per id, the point a key press on the country "clicks".
    """
    from dashboard.geocode import country_point

    p = PROGRAMMES[m.programme]
    partners = list(rows["country_iso3"])
    colours = {iso: {"fillColor": view.partner_colours.get(iso, p.colour)} for iso in partners}
    UrlGeoJson(
        BASEMAP_URL,
        name=t(p.label_key, lang),
        style={"fillColor": p.colour, "fillOpacity": PARTNER_OPACITY, "color": "#7a6f00", "weight": 1},
        style_by={"iso3": colours},
        only_values={"iso3": partners},
        # The atlas's own names and signing date, as everywhere else ("Viet Nam", not the basemap's "Vietnam").
        tooltip_property="iso3",
        tooltip_texts={row["country_iso3"]: feature_tooltip(m.layer_id, row, lang) for _, row in rows.iterrows()},
        pane="partners",
        pane_z_index=350,
    ).add_to(fmap)
    ids, anchors = {}, {}
    for _, row in rows.iterrows():
        iso3, atlas_id = row["country_iso3"], f"{m.layer_id}:{row['feature_id']}"
        ids[iso3] = atlas_id
        point = country_point(row.geometry)
        anchors[atlas_id] = [point.y, point.x]
        if row.geometry.area < SMALL_COUNTRY:
            fill = view.partner_colours.get(iso3, p.colour)
            sym = f'<div class="atlas-partner-dot" style="background:{fill}"></div>'
            tooltip = folium.Tooltip(tooltip_html(feature_tooltip(m.layer_id, row, lang)))
            _marker(point, sym, (12, 12), None, tooltip, None, atlas_id, keyboard=view.choosable).add_to(fmap)
    return anchors, ids


def legend_counts(view: MapView, lang: str) -> dict[str, str]:
    """What each visible layer's legend row says in brackets (:func:`dashboard.counts.legend_count`).

    Counted from the view's rows before those without a place are dropped, so
    the legend can say when the map draws fewer than the table lists.
    """
    return {
        m.key: count_texts.legend_count(m.layer_id, m.rows(view.frames[m.layer_id]), lang)
        for m in MAP_LAYERS
        if m.key in view.visible and m.layer_id in view.frames
    }


def legend_marks(view: MapView) -> LegendMarks:
    """Which special marks (approximate, country-level, small partners' squares) the view draws."""
    precision = set()
    for _, rows in visible_rows(view):
        points = rows[rows.geom_type == "Point"]  # lines and countries are not drawn by precision
        if "geocode_precision" in points:
            precision |= set(points["geocode_precision"].dropna())
    partners = [rows for m, rows in visible_rows(view) if m.layer_id == "jcm_partners"]
    small = any(any(g.area < SMALL_COUNTRY for g in rows.geometry) for rows in partners)
    no_date = bool(view.partner_colours) and any((rows["signed_on"].fillna("") == "").any() for rows in partners)
    return LegendMarks(
        approximate=APPROXIMATE in precision,
        country_level=COUNTRY_LEVEL in precision,
        small_partners=small,
        no_signing_date=no_date,
    )


def map_legend(view: MapView, lang: str) -> str:
    """The legend of ``view`` for the page, under the map (escaped HTML with its style sheet)."""
    rows = legend_rows(view.visible, lang, legend_counts(view, lang), view.partner_colours, legend_marks(view))
    return legend_strip_html(rows, lang)


def country_labels(world: gpd.GeoDataFrame, iso3s, lang: str) -> list[tuple[str, float, float]]:
    """Label text and position for the countries that carry features."""
    from dashboard.geocode import country_point

    out = []
    for _, row in world[world["iso3"].isin(set(iso3s))].iterrows():
        pt = country_point(row.geometry)
        out.append((country_name(row["iso3"], lang), pt.y, pt.x))
    return sorted(out)
