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

from dashboard.catalog import PROGRAMMES
from dashboard.details import feature_fields, feature_name, feature_tooltip
from dashboard.i18n import country_name, t
from dashboard.maps.assets import STATIC_URL, UrlGeoJson, use_local_assets
from dashboard.maps.layers import MAP_LAYERS, MapView, feature_bounds, visible_rows

BASEMAP_URL = STATIC_URL + "/geo/countries.geojson"
SEA = "#dce9f2"
LAND = "#f7f5ef"
BORDER = "#b9b4a8"
ONLINE_TILES = {
    # Offered only as an explicit choice; the default map requests no tiles.
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
}
SPREAD_PX = 9  # co-located symbols are fanned out by this many pixels


_CSS = """
<style>
.leaflet-container { background: %(sea)s; font-family: sans-serif; }
.atlas-sym { box-sizing: border-box; border: 1.5px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.55); }
.atlas-sym.circle { border-radius: 50%%; }
.atlas-sym.ring { border-radius: 50%%; background: transparent !important; border-width: 3px; box-shadow: 0 0 0 1px rgba(0,0,0,.35); }
.atlas-sym.diamond { transform: rotate(45deg) scale(.85); }
.atlas-sym.triangle { width: 0 !important; height: 0 !important; background: transparent !important; border: none;
  box-shadow: none; border-left: 8px solid transparent; border-right: 8px solid transparent; border-bottom: 14px solid var(--c); }
.atlas-selected { border-radius: 50%%; border: 3px solid #d00; box-shadow: 0 0 0 3px rgba(255,255,255,.9); }
.atlas-label { color: #6b6457; font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
  white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
.atlas-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px; font-size: 12px; line-height: 1.5;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 240px; }
.atlas-legend summary { cursor: pointer; }
.atlas-legend .row { display: flex; align-items: center; gap: 6px; }
.atlas-legend .sw { width: 12px; height: 12px; flex: none; display: inline-block; }
.atlas-legend .line { height: 0; border-top: 3px solid; width: 16px; }
.atlas-popup h4 { margin: 0 0 4px; font-size: 14px; }
.atlas-popup dl { margin: 0; font-size: 12px; } .atlas-popup dt { font-weight: 600; margin-top: 3px; }
.atlas-popup dd { margin: 0; max-width: 320px; }
</style>
""" % {"sea": SEA}


def symbol_html(programme: str, size: int = 14, extra_class: str = "") -> str:
    """The CSS shape of a programme's point symbol (also used in the legend)."""
    p = PROGRAMMES[programme]
    shape = {"square": "square", "diamond": "diamond", "triangle": "triangle", "circle": "circle"}.get(
        p.symbol, "circle"
    )
    if programme == "esc_y2":
        shape = "ring"  # year-2 cities are rings so a city in both years shows a dot inside a ring
        size += 6
    border = {"ring": f"border-color:{p.colour};", "triangle": ""}.get(shape, "border-color:#fff;")
    return (
        f'<div class="atlas-sym {shape} {extra_class}" '
        f'style="width:{size}px;height:{size}px;background:{p.colour};{border}--c:{p.colour}"></div>'
    )


class _Legend(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomleft"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "atlas-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html = html_text


def legend_html(
    visible: tuple[str, ...],
    lang: str,
    counts: dict[str, int],
    partner_colours: dict | None = None,
    collapsed: bool = False,
) -> str:
    """The legend: one row per visible layer with its symbol and feature count.

    On small maps it starts folded (a click on "Legend" opens it) so it does
    not hide the features it explains.
    """
    rows = []
    for m in MAP_LAYERS:
        if m.key not in visible:
            continue
        p = PROGRAMMES[m.programme]
        if p.symbol == "line":
            sw = f'<span class="sw line" style="border-color:{p.colour}"></span>'
        elif p.symbol == "area" and partner_colours:
            ramp = ",".join(dict.fromkeys(partner_colours.values()))
            sw = f'<span class="sw" style="background:linear-gradient(90deg,{ramp});width:24px;border:1px solid #777"></span>'
        elif p.symbol == "area":
            sw = f'<span class="sw" style="background:{p.colour};border:1px solid #777"></span>'
        else:
            sw = f'<span class="sw">{symbol_html(m.programme, 12 if m.programme != "esc_y2" else 6)}</span>'
        label = html.escape(t(p.label_key, lang))
        if p.symbol == "area" and partner_colours:
            label += " — " + html.escape(t("map.shaded_by_signing", lang))
        rows.append(f'<div class="row">{sw}<span>{label} ({counts.get(m.key, 0)})</span></div>')
    title = html.escape(t("map.legend", lang))
    return f"<details{'' if collapsed else ' open'}><summary><b>{title}</b></summary>{''.join(rows)}</details>"


def popup_html(layer_id: str, row, lang: str, story=None) -> str:
    """Escaped HTML of a feature's popup."""
    parts = [f'<div class="atlas-popup"><h4>{html.escape(feature_name(layer_id, row, lang))}</h4><dl>']
    for f in feature_fields(layer_id, row, lang, story):
        if f.label in (t("detail.note", lang), t("detail.location_note", lang)):
            continue  # long curator notes live in the side panel
        value = html.escape(f.value)
        if f.long and len(value) > 280:
            value = value[:277] + "…"
        parts.append(f"<dt>{html.escape(f.label)}</dt><dd>{value}</dd>")
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


def build_map(view: MapView, lang: str, height: int = 620) -> folium.Map:
    """The atlas map for ``view``.

    Parameters
    ----------
    view : MapView
    lang : str
        'en' or 'ja' for every label.

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
    )
    fmap.get_root().header.add_child(Element(_CSS))
    if view.basemap in ONLINE_TILES:
        url, attribution = ONLINE_TILES[view.basemap]
        folium.TileLayer(url, attr=attribution, name=t("map.basemap_online", lang), control=False).add_to(fmap)
    else:
        UrlGeoJson(
            BASEMAP_URL,
            name=t("map.basemap", lang),
            control=False,
            overlay=False,
            style={"fillColor": LAND, "fillOpacity": 1, "color": BORDER, "weight": 0.6},
            tooltip_property=None,
            pane="basemap",
            pane_z_index=200,
        ).add_to(fmap)

    counts = {}
    rows_by_layer = visible_rows(view)
    points = []
    for m, rows in rows_by_layer:
        if m.layer_id in ("jcm_partners",) or rows.empty or rows.geometry.iloc[0].geom_type != "Point":
            continue
        points += [(m, idx, g.x, g.y) for idx, g in zip(rows.index, rows.geometry)]
    offsets = dict(zip([(p[0].key, p[1]) for p in points], _spread([(p[2], p[3]) for p in points])))

    for m, rows in rows_by_layer:
        counts[m.key] = len(rows)
        p = PROGRAMMES[m.programme]
        group = folium.FeatureGroup(name=t(p.label_key, lang), show=True)
        if m.layer_id == "jcm_partners":
            partners = list(rows["country_iso3"])
            colours = {iso: {"fillColor": view.partner_colours.get(iso, p.colour)} for iso in partners}
            UrlGeoJson(
                BASEMAP_URL,
                name=t(p.label_key, lang),
                style={"fillColor": p.colour, "fillOpacity": 0.75, "color": "#7a6f00", "weight": 1},
                style_by={"iso3": colours},
                only_values={"iso3": partners},
                tooltip_property="name_ja" if lang == "ja" else "name_en",
                pane="partners",
                pane_z_index=350,
            ).add_to(fmap)
            continue
        for idx, row in rows.iterrows():
            story = (
                view.stories.get(row.get("city_id"))
                if m.layer_id == "model_cities" and row.get("program_year") == 1
                else None
            )
            tooltip = folium.Tooltip(html.escape(feature_tooltip(m.layer_id, row, lang)))
            popup = folium.Popup(popup_html(m.layer_id, row, lang, story), max_width=360) if view.popups else None
            geom = row.geometry
            if geom.geom_type == "LineString":
                folium.PolyLine(
                    [(y, x) for x, y in geom.coords],
                    color=p.colour,
                    weight=3,
                    opacity=0.85,
                    dash_array="6 5" if m.layer_id == "knowledge_sharing" else None,
                    tooltip=tooltip,
                    popup=popup,
                ).add_to(group)
                continue
            dx, dy = offsets.get((m.key, idx), (0, 0))
            size = 14 if m.programme != "esc_y2" else 20
            icon = folium.DivIcon(
                html=symbol_html(m.programme),
                icon_size=(size, size),
                icon_anchor=(size // 2 - dx, size // 2 - dy),
                class_name="atlas-icon",
            )
            folium.Marker([geom.y, geom.x], icon=icon, tooltip=tooltip, popup=popup).add_to(group)
        group.add_to(fmap)

    for text, lat, lon in view.labels:
        folium.Marker(
            [lat, lon],
            interactive=False,
            icon=folium.DivIcon(
                html=f'<div class="atlas-label">{html.escape(text)}</div>',
                icon_size=(160, 14),
                icon_anchor=(80, -10),
                class_name="atlas-label-icon",
            ),
        ).add_to(fmap)

    if view.selected:
        layer_id, feature_id = view.selected
        frame = view.frames.get(layer_id)
        if frame is not None:
            hit = frame[(frame["feature_id"] == feature_id) & frame.geometry.notna()]
            if len(hit):
                c = (
                    hit.geometry.iloc[0].representative_point()
                    if hit.geometry.iloc[0].geom_type != "Point"
                    else hit.geometry.iloc[0]
                )
                folium.Marker(
                    [c.y, c.x],
                    interactive=False,
                    icon=folium.DivIcon(
                        html='<div class="atlas-selected" style="width:30px;height:30px"></div>',
                        icon_size=(30, 30),
                        icon_anchor=(15, 15),
                    ),
                ).add_to(fmap)

    _Legend(legend_html(view.visible, lang, counts, view.partner_colours, collapsed=height < 500)).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    Fullscreen(position="topleft", title=t("map.fullscreen", lang), title_cancel=t("map.fullscreen_exit", lang)).add_to(
        fmap
    )
    bounds = view.bounds or (feature_bounds(view) if view.fit else None)
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def country_labels(world: gpd.GeoDataFrame, iso3s, lang: str) -> list[tuple[str, float, float]]:
    """Label text and position for the countries that carry features."""
    from dashboard.geocode import country_point

    out = []
    for _, row in world[world["iso3"].isin(set(iso3s))].iterrows():
        pt = country_point(row.geometry)
        out.append((country_name(row["iso3"], lang), pt.y, pt.x))
    return sorted(out)
