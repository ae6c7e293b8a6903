"""The map of a presentation step: its layers, frame, labels and title box, for the page and the HTML file alike.

Pure: no Streamlit. Larger text than the explorer's, for a projector.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.details import feature_name
from dashboard.i18n import country_name, format_partial_date, pick, signing_date
from dashboard.maps.builder import SEA, build_map
from dashboard.maps.layers import APPROXIMATE, COUNTRY_LEVEL, MAP_LAYERS_BY_KEY, MapView
from dashboard.present.steps import Load, Step

# Larger map text for a projector: the explorer's 11-12 px legend and labels
# cannot be read from the back of a seminar room.
PRESENT_MAP_CSS = """
<style>
/* Doubled class: in an exported page Leaflet's own style sheet comes after the
   atlas's and would turn the sea grey. */
.leaflet-container.leaflet-container { background: %(sea)s; }
.atlas-legend, .atlas-legend summary { font-size: 18px !important; line-height: 1.5 !important; }
.atlas-legend { max-width: 380px !important; padding: 8px 12px !important; }
.atlas-legend .sw { width: 18px !important; height: 18px !important; }
.atlas-label { font-size: 16px !important; color: #4a4438 !important; }
.atlas-country:not(.sample) { transform: scale(1.6); }
.leaflet-tooltip { font-size: 15px; }
/* A map under 900 px wide is on a smaller screen (a 1280 × 720 projector): smaller type, and the
   partners' labels by name only (the chart beside the map gives the dates), keep every label free of
   the others and the legend off the data. */
@media (max-width: 900px) {
  .atlas-label { font-size: 13px !important; }
  .atlas-label-detail { display: none; }
  .atlas-legend, .atlas-legend summary { font-size: 15px !important; }
}
/* Inside the Streamlit component the map fills its iframe, which the page sizes to the screen. */
#map_div { height: 100vh !important; }
</style>
""" % {"sea": SEA}


class _Refit(MacroElement):
    """Frame the step's bounds again when the map's window is resized (screen or projector change)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            var timer = null;
            window.addEventListener("resize", function () {
                clearTimeout(timer);
                timer = setTimeout(function () { map.invalidateSize(); map.fitBounds(bounds); }, 150);
            });
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "Refit"
        self.bounds = [list(bounds[0]), list(bounds[1])]


class _ForwardKeys(MacroElement):
    """Hand the presentation's step keys to the page the map is embedded in.

    Once the map is clicked, keys go to the map's frame, not to the page whose
    listener steps the slides; Leaflet would also pan on the arrows. Caught in
    the capture phase, before Leaflet's handler on the map, they are passed on
    as a new event to the parent document. A map on its own (an exported file,
    where the window is its own parent) keeps Leaflet's arrow-key panning.
    The script holds no per-session value: the rendered map is cached and
    shared.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var keys = {ArrowRight: true, ArrowLeft: true, PageDown: true, PageUp: true};
            window.addEventListener("keydown", function (event) {
                if (!keys[event.key] || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
                var page = null;
                try { page = window.parent !== window ? window.parent.document : null; } catch (e) { page = null; }
                if (!page) { return; }
                event.preventDefault();
                event.stopPropagation();
                page.dispatchEvent(new KeyboardEvent("keydown", {key: event.key, code: event.code, bubbles: true, cancelable: true}));
            }, true);
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "ForwardKeys"


def step_frames(step: Step, frames: Mapping[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """The layers a step's map draws (unfiltered: a presentation shows the whole record)."""
    ids = {MAP_LAYERS_BY_KEY[k].layer_id for k in step.map.visible}
    out = {lid: frame for lid, frame in frames.items() if lid in ids}
    for layer_id, column, value in step.map.where:
        if layer_id in out:
            frame = out[layer_id]
            keep = (frame[column] == value).fillna(False).astype(bool)  # a missing cell is not a match
            out[layer_id] = frame[keep]
    return out


def inside(bounds, lon: float, lat: float) -> bool:
    (south, west), (north, east) = bounds
    return south <= lat <= north and west <= lon <= east


def not_shown(step: Step, frames: Mapping[str, gpd.GeoDataFrame], lang: str) -> list[str]:
    """Names of the step's features the map cannot show: no known place, or outside the frame.

    A presenter should be able to say "Samoa is off this map" rather than
    have a study silently missing.
    """
    view = MapView(frames=step_frames(step, frames), visible=step.map.visible)
    names = []
    for m in (MAP_LAYERS_BY_KEY[k] for k in step.map.visible):
        if m.layer_id not in view.frames:
            continue
        for _, row in m.rows(view.frames[m.layer_id]).iterrows():
            g = row.geometry
            if m.layer_id == "jcm_partners":
                continue  # polygons are drawn from the basemap, always in view where framed
            if g is None or g.is_empty:
                names.append(feature_name(m.layer_id, row, lang))
            elif not any(inside(step.map.bounds, x, y) for x, y in _coords(g)):
                names.append(feature_name(m.layer_id, row, lang))
    return list(dict.fromkeys(names))


def _coords(geom):
    if geom.geom_type == "Point":
        return [(geom.x, geom.y)]
    return list(geom.coords)


def approximate_share(step: Step, frames: Mapping[str, gpd.GeoDataFrame]) -> tuple[int, int]:
    """(approximately placed, all) point features of the step, from ``geocode_precision``."""
    frames = step_frames(step, frames)
    approx = total = 0
    for m in (MAP_LAYERS_BY_KEY[k] for k in step.map.visible):
        frame = frames.get(m.layer_id)
        if frame is None or "geocode_precision" not in frame:
            continue
        rows = m.rows(frame)
        # Symbols only: a line (an exchange between two cities) is not a symbol the note can count.
        rows = rows[rows.geometry.notna() & rows.geom_type.isin(("Point", "MultiPoint"))]
        total += len(rows)
        # A country-level point is a stand-in too (the brochure names only the country).
        approx += int(rows["geocode_precision"].isin((APPROXIMATE, COUNTRY_LEVEL)).sum())
    return approx, total


def labels(
    step: Step, frames: Mapping[str, gpd.GeoDataFrame], world: gpd.GeoDataFrame | None, lang: str
) -> list[tuple[str, float, float]]:
    """Country labels for the countries that carry the step's features (with signing dates for JCM partners)."""
    if world is None:
        return []
    from dashboard.geocode import country_point

    frames = step_frames(step, frames)
    iso3s: dict[str, str] = {}
    for m in (MAP_LAYERS_BY_KEY[k] for k in step.map.visible):
        frame = frames.get(m.layer_id)
        if frame is None:
            continue
        for _, row in m.rows(frame).iterrows():
            for col in ("country_iso3", "partner_country_iso3"):
                iso = row.get(col)
                if isinstance(iso, str) and iso:
                    extra = ""
                    if m.layer_id == "jcm_partners":
                        # Read as the record has it: the month with ≈ if partly verified, 'date not found' if none;
                        # a year is not in doubt where any date is known, and none is drawn where none is.
                        when = row.get("signed_on")
                        when = when if isinstance(when, str) else ""
                        if step.map.partner_date == "year":
                            extra = format_partial_date(when[:4], lang)
                        else:
                            extra = signing_date(when[:7], row.get("signed_on_status", ""), lang)
                    iso3s.setdefault(iso, extra)
    out = []
    for _, row in world[world["iso3"].isin(set(iso3s))].iterrows():
        pt = country_point(row.geometry)
        name = country_name(row["iso3"], lang)
        text = f"{name} · {iso3s[row['iso3']]}" if iso3s[row["iso3"]] else name
        out.append((text, pt.y, pt.x))
    # A highlighted feature is named where it stands (e.g. the town of the first project).
    for key, fid in step.map.highlight:
        frame = frames.get(MAP_LAYERS_BY_KEY[key].layer_id)
        hit = frame[frame["feature_id"] == fid] if frame is not None else []
        if len(hit) and hit.geometry.iloc[0] is not None:
            row = hit.iloc[0]
            name = pick(row, "site", lang) or feature_name(MAP_LAYERS_BY_KEY[key].layer_id, row, lang)
            # Set below the point by a share of the frame, so the label clears the highlight ring.
            (south, _), (north, _) = step.map.bounds
            out.append((name, row.geometry.y - (north - south) * 0.06, row.geometry.x))
    return sorted(out)


def step_map(
    step: Step,
    frames: Mapping[str, gpd.GeoDataFrame],
    lang: str,
    world: gpd.GeoDataFrame | None = None,
    load: Load | None = None,
) -> folium.Map:
    """The folium map of a step: its layers, framed on its bounds, with large text.

    Parameters
    ----------
    step : Step
    frames : mapping
        layer_id -> GeoDataFrame (all layers; the step picks its own).
    lang : str
    world : GeoDataFrame, optional
        The basemap countries (``static/geo/countries.geojson``) for country labels.
    load : callable, optional
        Table loader, needed to shade JCM partners by signing date.

    Returns
    -------
    folium.Map
        Offline (vendored assets only), like every map of :func:`dashboard.maps.builder.build_map`.
    """
    colours = {}
    if step.map.shade_partners_by_signing and load is not None:
        from dashboard.style import signing_colours

        # The ramp spans the partners the step shows, as its chart's does: the brochure's step runs 2013-2014.
        shown = step_frames(step, {"jcm_partners": load("jcm_partners")}).get("jcm_partners")
        colours = signing_colours(shown) if shown is not None else {}
    selected = None
    if step.map.highlight:
        key, fid = step.map.highlight[0]
        selected = (MAP_LAYERS_BY_KEY[key].layer_id, fid)
    view = MapView(
        frames=step_frames(step, frames),
        visible=step.map.visible,
        selected=selected,
        partner_colours=colours,
        fit=False,
        bounds=[list(step.map.bounds[0]), list(step.map.bounds[1])],
        labels=labels(step, frames, world, lang),
        choosable=False,  # the slide's keys step the presentation; its highlight stays
    )
    fmap = build_map(view, lang, legend_corner=step.map.legend_corner)
    # Half a level per button press: whole levels jump past the frame on a slide.
    fmap.options["zoomDelta"] = 0.5
    # The opening fitBounds animates its zoom; a basemap that arrives meanwhile
    # (at once when inlined in an exported file, or from the browser cache) was
    # seen clipped to the view before the zoom: Java missing from the exported
    # first-project map. Without the animation the view is final at once.
    fmap.options["zoomAnimation"] = False
    # The wheel scrolls past a slide-wide map far more often than it means to
    # zoom it (out to the whole world); the +/- buttons still zoom.
    fmap.options["scrollWheelZoom"] = False
    fmap.get_root().header.add_child(Element(PRESENT_MAP_CSS))
    _Refit(step.map.bounds).add_to(fmap)
    _ForwardKeys().add_to(fmap)
    return fmap


def title_box(text_title: str, caption: str, source: str) -> str:
    """Escaped HTML of the title panel of an exported map."""
    return (
        '<div style="position:fixed;top:10px;left:56px;z-index:1000;max-width:420px;background:rgba(255,255,255,.94);'
        'padding:10px 14px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.35);font-family:sans-serif;color:#1f2933">'
        f'<div style="font-size:18px;font-weight:700;margin-bottom:4px">{html.escape(text_title)}</div>'
        f'<div style="font-size:14px;line-height:1.4">{html.escape(caption)}</div>'
        f'<div style="font-size:12px;color:#5b6770;margin-top:6px">{html.escape(source)}</div></div>'
    )
