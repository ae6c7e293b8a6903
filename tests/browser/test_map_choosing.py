"""Choosing on the map explorer in a real browser: framing, the legend, clicks, keys, the mark, failing tiles.

The map explorer lets a reader choose any feature (a symbol, a city-to-city
line, a partner country) with the mouse or the keyboard; the chosen feature is
marked in the browser at once and its details open beside the map, without
the map being redrawn. A country filter frames the chosen country, the legend
sits on the page under the map and online tiles that fail leave the offline
countries drawn. None of this is visible to the in-process tests: it happens
in Leaflet, in the map's iframe, so these tests drive Chromium and read the
map through Leaflet's own objects.

Expected values come from the data (``dashboard.io``, ``expected.layer``),
and what a click should select is worked out here from the geometry the
browser clicked on, so a click that selects the wrong feature, a mark that
stays on the old feature or a frame that runs out to Japan fails a test.
"""

from __future__ import annotations

from functools import cache, partial
from urllib.parse import urlsplit

import pytest
from atlas_server import root_only
from expected import JAPANESE, layer
from map_dom import FOLIUM_IFRAME, PAGE_LEGEND, map_frame, target_marker, wait_for_basemap
from shapely.geometry import Point

from dashboard.catalog import PROGRAMMES, get_table
from dashboard.details import feature_name, feature_tooltip
from dashboard.filters import FACETS_BY_ID, facet_columns
from dashboard.i18n import country_name, t
from dashboard.io import load_layers, load_world
from dashboard.maps.layers import ALL_MAP_LAYER_KEYS, MAP_LAYERS, MAP_LAYERS_BY_KEY, features_at
from dashboard.maps.symbols import SELECTED

pytestmark = [pytest.mark.browser, root_only]  # nothing here depends on the base path

MAIN = '[data-testid="stMainBlockContainer"]'
TOKYO = (35.7, 139.7)
C2C_COLOUR = PROGRAMMES["c2c"].colour.upper()
TILE_HOST = "tile.openstreetmap.org"
HALO = f'.leaflet-overlay-pane path[stroke="{SELECTED}"]:not(.leaflet-interactive)'

# The folium map in the iframe (folium names it map_<hash>; find it by its class).
_LEAFLET_MAP = "Object.values(window).find((v) => { try { return v instanceof L.Map; } catch (e) { return false; } })"

_VIEW_JS = f"""
() => {{
  const map = {_LEAFLET_MAP};
  const b = map.getBounds();
  return {{south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast(), zoom: map.getZoom()}};
}}
"""

# Symbols whose box overlaps a Leaflet control (zoom buttons, scale, attribution, ...).
_SYMBOLS_UNDER_CONTROLS_JS = """
() => {
  const controls = Array.from(document.querySelectorAll('.leaflet-control')).map((e) => e.getBoundingClientRect());
  const over = (r, c) => r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top;
  const icons = Array.from(document.querySelectorAll('.leaflet-marker-icon'));
  return {
    symbols: icons.length,
    controls: controls.length,
    covered: icons.filter((i) => controls.some((c) => over(i.getBoundingClientRect(), c)))
                  .map((i) => i.getAttribute('aria-label') || i.className),
  };
}
"""

# A point on a line of the given stroke colour where a click hits that line: its midpoint
# (the middle of a straight two-point line), or the point nearest it that is inside the
# map and not under a symbol or another line. Returns the point, its latitude and
# longitude, and the tooltip Leaflet shows for the line there.
_LINE_POINT_JS = f"""
(stroke) => {{
  const map = {_LEAFLET_MAP};
  const size = map.getSize();
  const tried = [];
  let found = null;
  map.eachLayer((l) => {{
    if (found || !(l instanceof L.Polyline) || l instanceof L.Polygon || !l._path) return;
    if ((l._path.getAttribute('stroke') || '').toUpperCase() !== stroke) return;
    const ll = l.getLatLngs();
    const a = map.latLngToContainerPoint(ll[0]), b = map.latLngToContainerPoint(ll[ll.length - 1]);
    for (const f of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7]) {{
      const x = Math.round(a.x + (b.x - a.x) * f), y = Math.round(a.y + (b.y - a.y) * f);
      if (x < 5 || y < 5 || x > size.x - 5 || y > size.y - 5) continue;  // clipped to the map
      if (document.elementFromPoint(x, y) !== l._path) continue;
      const div = document.createElement('div');
      div.innerHTML = l.getTooltip().getContent();
      const at = map.containerPointToLatLng([x, y]);
      found = {{x: x, y: y, lat: at.lat, lng: at.lng, tooltip: div.textContent.trim()}};
      return;
    }}
    tried.push(l._path.getAttribute('aria-label'));
  }});
  return found || {{error: 'no line of ' + stroke + ' can be clicked', tried: tried}};
}}
"""

# A point inside a partner country's polygon, well inside its drawn outline (a click
# at the very coast may land where the simplified outline and the data disagree) and
# away from every symbol and control.
_AREA_POINT_JS = f"""
(iso3) => {{
  const map = {_LEAFLET_MAP};
  let poly = null;
  map.eachLayer((l) => {{
    if (l.feature && l.feature.properties.iso3 === iso3 && l._path && l._path.closest('.leaflet-partners-pane')) poly = l;
  }});
  if (!poly) return {{error: 'no partner polygon for ' + iso3}};
  const size = map.getSize();
  const busy = Array.from(document.querySelectorAll('.leaflet-marker-icon, .leaflet-control'))
    .map((e) => e.getBoundingClientRect());
  const clear = (x, y) => busy.every((r) => x < r.left - 25 || x > r.right + 25 || y < r.top - 25 || y > r.bottom + 25);
  const inside = (x, y) => [[0, 0], [12, 0], [-12, 0], [0, 12], [0, -12]]
    .every(([dx, dy]) => document.elementFromPoint(x + dx, y + dy) === poly._path);
  const r = poly._path.getBoundingClientRect();
  for (let y = Math.max(r.top, 15); y < Math.min(r.bottom, size.y - 15); y += 4) {{
    for (let x = Math.max(r.left, 15); x < Math.min(r.right, size.x - 15); x += 4) {{
      if (clear(x, y) && inside(x, y)) {{
        const at = map.containerPointToLatLng([x, y]);
        return {{x: x, y: y, lat: at.lat, lng: at.lng}};
      }}
    }}
  }}
  return {{error: 'no free point inside ' + iso3}};
}}
"""


# -- helpers -------------------------------------------------------------------------------------
def open_map(page, **params):
    """Open the map explorer and return its iframe once the countries are drawn."""
    page.goto("map", **params)
    frame = map_frame(page)
    wait_for_basemap(frame)
    return frame


def view_of(frame) -> dict:
    """The part of the world the map shows (south, west, north, east) and its zoom."""
    return frame.evaluate(_VIEW_JS)


def in_view(view: dict, lat: float, lon: float) -> bool:
    return view["south"] <= lat <= view["north"] and view["west"] <= lon <= view["east"]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS attribute value."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def details(page):
    """The column beside the map that shows the chosen feature."""
    return page.locator(f'{MAIN} [data-testid="stColumn"]').nth(1)


def details_headings(page) -> list[str]:
    return details(page).locator("h3").all_inner_texts()


def choose(page, action, sel: str, frame=None) -> None:
    """Do ``action`` (a click, a key) and wait until the URL holds ``sel`` and the app has run.

    With ``frame`` (after :func:`leave_trace`), the map must also still be the one drawn before.
    """
    page.rerun(action)
    if frame is not None:
        assert_same_map(page, frame)
    try:
        page.wait_for_query("sel", sel)
    except Exception as exc:  # noqa: BLE001 - a timeout says less than the URL does
        raise AssertionError(f"the URL did not choose {sel!r}: {page.url}") from exc
    page.wait_for_app(min_runs=0)


def click_map(frame, point: dict) -> None:
    """Click the map at a point of the map's own coordinates (what the JS helpers return)."""
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})


def click_target(frame, point: dict) -> None:
    """Click the marker :func:`map_dom.target_marker` aimed at, at the free point it found."""
    frame.locator("[data-atlas-target]").click(position=point)


def leave_trace(page, frame) -> None:
    """Mark the map's document and its iframe: a map that is redrawn loses one or both."""
    frame.evaluate("() => { window.__probe = 1; }")
    page.locator(FOLIUM_IFRAME).evaluate("(el) => { el.dataset.probe = '1'; }")


def assert_same_map(page, frame) -> None:
    """The map is the one :func:`leave_trace` marked: not redrawn, its iframe not replaced."""
    assert page.locator(f'{FOLIUM_IFRAME}[data-probe="1"]').count() == 1, "the map's iframe was replaced"
    assert frame.evaluate("() => window.__probe") == 1, "the map's document was loaded again"


def row_of(layer_id: str, feature_id: str):
    frame = layer(layer_id)
    return frame[frame["feature_id"] == feature_id].iloc[0]


def spoken(layer_id: str, row, lang: str = "en") -> str:
    """A feature's name as the map gives it to a screen reader: its tooltip, then what it is."""
    return feature_tooltip(layer_id, row, lang) + t("map.kind_separator", lang) + t(f"map.kind.{layer_id}", lang)


def chosen_labels(frame) -> list[str]:
    """The aria-labels of the markers that carry the chosen feature's mark."""
    return frame.eval_on_selector_all(
        ".leaflet-marker-icon.atlas-chosen", "els => els.map((e) => e.getAttribute('aria-label'))"
    )


@cache
def _lone_points(key: str) -> tuple[str, ...]:
    """Feature ids of a layer's points that nothing else shares their place with and whose tooltip is unique.

    A click or a key on one of them has one right answer: the feature itself.
    """
    frames = {lid: frame for lid, (_, frame) in load_layers().items()}
    tooltips = []
    for m in MAP_LAYERS:
        rows = m.rows(frames[m.layer_id])
        tooltips += [feature_tooltip(m.layer_id, r, "en") for _, r in rows[rows.geometry.notna()].iterrows()]
    m = MAP_LAYERS_BY_KEY[key]
    rows = m.rows(frames[m.layer_id])
    out = []
    for _, row in rows[rows.geometry.notna()].iterrows():
        g = row.geometry
        if g.geom_type != "Point" or row.get("geocode_precision") == "country":
            continue  # drawn in a badge per country
        alone = features_at(frames, ALL_MAP_LAYER_KEYS, g.y, g.x) == [(m.layer_id, row["feature_id"])]
        if alone and tooltips.count(feature_tooltip(m.layer_id, row, "en")) == 1:
            out.append(row["feature_id"])
    assert out, f"no point of {key} stands alone"
    return tuple(out)


def nearest_line(tooltip: str, lat: float, lon: float, lang: str):
    """The city-to-city line a click at (lat, lon) on a line showing ``tooltip`` means: the nearest such line."""
    rows = layer("city_partnerships")
    rows = rows[rows.geometry.notna()]
    same = [r for _, r in rows.iterrows() if feature_tooltip("city_partnerships", r, lang) == tooltip]
    assert same, f"no city-to-city line has the tooltip {tooltip!r}"
    return min(same, key=lambda r: r.geometry.distance(Point(lon, lat)))


def country_points(iso3: str) -> list[tuple[float, float]]:
    """(lat, lon) of every point feature a country filter on ``iso3`` keeps."""
    out = []
    for m in MAP_LAYERS:
        rows = m.rows(layer(m.layer_id))
        columns = facet_columns(FACETS_BY_ID["country"], get_table(m.layer_id))
        if not columns:
            continue
        rows = rows[rows.geometry.notna() & (rows[list(columns)] == iso3).any(axis=1)]
        out += [(g.y, g.x) for g in rows.geometry if g.geom_type == "Point"]
    return out


# -- framing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("iso3", ["VNM", "IDN"])
def test_a_country_filter_frames_the_country_and_lets_the_lines_to_japan_run_off(page, iso3):
    frame = open_map(page, lang="en", country=iso3)
    view = view_of(frame)
    world = load_world()
    west, south, east, north = world.loc[world["iso3"] == iso3, "geometry"].iloc[0].bounds

    assert in_view(view, south, west) and in_view(view, north, east), f"{iso3} {south, west, north, east} not in {view}"
    points = country_points(iso3)
    assert points, f"the data has no points in {iso3}"
    assert all(in_view(view, lat, lon) for lat, lon in points), f"a point of {iso3} is outside {view}"
    # Framed on the country: at least one side fits it closely (whole zoom steps left
    # Indonesia at zoom 3 with Japan and Australia in view), and Japan is off the map.
    fit = min((view["east"] - view["west"]) / (east - west), (view["north"] - view["south"]) / (north - south))
    assert fit < 1.5, f"the view {view} is {fit:.1f} times the size of {iso3}"
    assert not in_view(view, *TOKYO), f"Tokyo is in the view {view}"
    japan = world.loc[world["iso3"] == "JPN", "geometry"].iloc[0]
    lines = layer("city_partnerships")
    lines = lines[(lines["partner_country_iso3"] == iso3) & lines.geometry.notna()]
    assert len(lines), f"no city-to-city line reaches {iso3}"
    for _, line in lines.iterrows():
        ends = [(y, x) for x, y in line.geometry.coords if japan.distance(Point(x, y)) < 0.5]
        assert ends and not any(in_view(view, *end) for end in ends), f"{line['feature_id']} ends in view in Japan"
    page.assert_clean()


# -- legend and controls ---------------------------------------------------------------------------
def test_the_legend_is_under_the_map_and_no_control_covers_a_symbol(page):
    page.set_viewport_size({"width": 1400, "height": 900})
    frame = open_map(page, lang="en", country="IDN")
    frame.wait_for_selector(".leaflet-marker-icon", state="attached")

    # The legend is on the page, below the map; the map itself has no legend and no layer control
    # (the sidebar is the one set of layer switches).
    legend, iframe = page.locator(PAGE_LEGEND), page.locator(FOLIUM_IFRAME)
    assert legend.count() == 1 and legend.is_visible()
    assert legend.bounding_box()["y"] >= iframe.bounding_box()["y"] + iframe.bounding_box()["height"] - 1
    assert frame.locator(".atlas-legend").count() == 0, "a legend is drawn inside the map"
    assert frame.locator(".leaflet-control-layers").count() == 0, "Leaflet's layer control is back"

    found = frame.evaluate(_SYMBOLS_UNDER_CONTROLS_JS)
    assert found["symbols"] > 0 and found["controls"] > 0, found
    assert found["covered"] == [], f"symbols under a map control: {found['covered']}"
    page.assert_clean()


# -- clicks --------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_click_on_a_line_opens_the_line_nearest_the_click(page, lang):
    frame = open_map(page, lang=lang)
    point = frame.evaluate(_LINE_POINT_JS, C2C_COLOUR)
    assert "error" not in point, point
    row = nearest_line(point["tooltip"], point["lat"], point["lng"], lang)
    assert frame.locator(HALO).count() == 0

    sel = f"city_partnerships:{row['feature_id']}"
    choose(page, lambda: click_map(frame, point), sel)

    headings = details_headings(page)
    assert headings and headings[0] == feature_name("city_partnerships", row, lang), f"details headings: {headings}"
    if lang == "ja":
        assert JAPANESE.search(headings[0]), headings[0]
    assert frame.locator(HALO).count() == 1, "the chosen line is not marked"
    page.assert_clean()


def test_a_click_on_a_partner_country_lists_what_the_atlas_holds_there(page):
    iso3 = "VNM"
    frame = open_map(page, lang="en", country=iso3)
    frame.wait_for_selector(".leaflet-partners-pane path", state="attached")
    point = frame.evaluate(_AREA_POINT_JS, iso3)
    assert "error" not in point, point
    assert frame.locator(HALO).count() == 0

    choose(page, lambda: click_map(frame, point), f"jcm_partners:{iso3}")

    country = country_name(iso3, "en")
    assert details_headings(page)[:1] == [country]
    heading = details(page).locator("strong").filter(has_text=t("map.in_country", "en", country=country))
    assert heading.count() == 1, "no list of the country's features"
    items = details(page).locator("li").all_inner_texts()
    labels = [t(p.label_key, "en") for p in PROGRAMMES.values()]
    assert items and all(any(i.startswith(label) for label in labels) for i in items), items
    # The country is marked: a red outline over it that takes no clicks.
    halo = frame.locator(HALO)
    assert halo.count() == 1, "the chosen country is not marked"
    name = spoken("jcm_partners", row_of("jcm_partners", iso3))
    polygon = frame.locator(f".leaflet-partners-pane path[aria-label={css_string(name)}]")
    box, outline = polygon.bounding_box(), halo.bounding_box()
    assert all(abs(box[k] - outline[k]) <= 4 for k in ("x", "y", "width", "height")), (box, outline)
    page.assert_clean()


# -- keyboard --------------------------------------------------------------------------------------
def test_enter_on_a_focused_symbol_or_line_chooses_it(page):
    frame = open_map(page, lang="en")
    frame.wait_for_selector(".leaflet-marker-icon[role=button]", state="attached")
    study = row_of("fs_studies", _lone_points("fs_studies")[0])
    label = spoken("fs_studies", study)
    marker = frame.locator(f".leaflet-marker-icon[role=button][aria-label={css_string(label)}]")
    assert marker.count() == 1, f"no focusable symbol named {label!r}"
    assert chosen_labels(frame) == []

    choose(page, lambda: marker.press("Enter"), f"fs_studies:{study['feature_id']}")
    assert chosen_labels(frame) == [label]

    lines = layer("city_partnerships")
    line_row = lines[lines.geometry.notna()].iloc[0]
    name = spoken("city_partnerships", line_row)
    line = frame.locator(f'.leaflet-overlay-pane path[tabindex="0"][aria-label={css_string(name)}]')
    assert line.count() == 1, f"no focusable line named {name!r}"
    choose(page, lambda: line.press("Enter"), f"city_partnerships:{line_row['feature_id']}")
    assert details_headings(page)[:1] == [feature_name("city_partnerships", line_row, "en")]
    assert chosen_labels(frame) == [], "the symbol keeps its mark after a line was chosen"
    page.assert_clean()


# -- the mark ----------------------------------------------------------------------------------------
def test_the_mark_moves_to_the_next_click_without_redrawing_the_map(page):
    first, second = (row_of("model_cities", fid) for fid in _lone_points("model_cities_y1")[:2])
    frame = open_map(page, lang="en")
    frame.wait_for_selector(".leaflet-marker-icon[role=button]", state="attached")
    leave_trace(page, frame)

    for row in (first, second):
        tip = feature_tooltip("model_cities", row, "en")
        point = target_marker(frame, tip)  # zooms in on the symbol, as a reader would
        zoom = view_of(frame)["zoom"]
        choose(page, partial(click_target, frame, point), f"model_cities:{row['feature_id']}", frame)

        marked = chosen_labels(frame)
        assert marked == [spoken("model_cities", row)], f"after clicking {tip!r} the marked symbols are {marked}"
        assert details_headings(page)[:1] == [feature_name("model_cities", row, "en")]
        assert view_of(frame)["zoom"] == zoom, "the reader's zoom was not kept"
    page.assert_clean()


def test_the_mark_comes_back_when_a_sidebar_change_redraws_the_map(page):
    row = row_of("model_cities", _lone_points("model_cities_y1")[0])
    tip = feature_tooltip("model_cities", row, "en")
    frame = open_map(page, lang="en")
    frame.wait_for_selector(".leaflet-marker-icon[role=button]", state="attached")
    choose(page, partial(click_target, frame, target_marker(frame, tip)), f"model_cities:{row['feature_id']}")
    assert chosen_labels(frame) == [spoken("model_cities", row)]
    leave_trace(page, frame)

    # Another layer off: the map is drawn anew, and the choice the URL keeps is marked again.
    box = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(
        has_text=t(PROGRAMMES["jcm_projects"].label_key, "en")
    )
    page.rerun(lambda: box.locator("label").click())
    page.wait_for_query("layers", ",".join(k for k in ALL_MAP_LAYER_KEYS if k != "jcm_model_projects"))
    page.wait_for_app(min_runs=0)
    # The mark must come from the new map, not linger in the old one.
    page.locator(f'{FOLIUM_IFRAME}[data-probe="1"]').wait_for(state="detached", timeout=30_000)
    redrawn = map_frame(page)
    wait_for_basemap(redrawn)
    assert redrawn.evaluate("() => window.__probe") is None, "the map was not drawn anew"
    redrawn.wait_for_selector(".leaflet-marker-icon.atlas-chosen", state="attached", timeout=30_000)
    assert chosen_labels(redrawn) == [spoken("model_cities", row)]
    assert details_headings(page)[:1] == [feature_name("model_cities", row, "en")]
    page.assert_clean()


def test_a_click_on_the_model_cities_map_opens_the_details_below_it(page):
    page.goto("model-cities", lang="ja")
    frame = map_frame(page)
    wait_for_basemap(frame)
    line = frame.locator('.leaflet-overlay-pane path[tabindex="0"]').first
    # Its accessible name is its tooltip, then what it is: the card is headed by the name alone.
    name = line.get_attribute("aria-label").rsplit(t("map.kind_separator", "ja"), 1)[0]
    page.rerun(lambda: (line.focus(), line.press("Enter")))
    page.wait_for_app(min_runs=0)
    # The exchange's card is under the map, headed by its name, in Japanese.
    card = page.locator(f"{MAIN} h3").filter(has_text=name)
    card.first.wait_for(timeout=30_000)
    assert JAPANESE.search(name), name
    page.assert_clean()


def test_a_map_whose_page_reads_no_clicks_offers_no_feature_as_a_button(page):
    page.goto("", lang="en")  # the overview's small map
    frame = map_frame(page)
    wait_for_basemap(frame)
    frame.wait_for_selector(".leaflet-marker-icon .atlas-sym", state="attached")
    # Its features are not in the Tab order (the zoom and full-screen buttons are).
    assert frame.locator('.leaflet-pane [role="button"], .leaflet-pane [tabindex="0"]').count() == 0
    page.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_partner_on_the_partner_slide_is_labelled_without_overlap_on_a_small_projector(page, lang):
    page.page.set_viewport_size({"width": 1280, "height": 720})
    page.goto("present", step="4", lang=lang)
    frame = map_frame(page)
    wait_for_basemap(frame)
    frame.wait_for_timeout(1500)  # the labels are placed again once the frame has its size
    labels = frame.evaluate(_LABELS_JS)
    partners = layer("jcm_partners")
    partners = partners[partners["in_brochure"]]  # the slide of December 2014: the brochure's partners
    assert len(labels) == len(partners) == 12
    shown = [label for label in labels if label["visible"]]
    assert len(shown) == 12, f"hidden: {[label['text'] for label in labels if not label['visible']]}"
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            apart = (
                a["right"] <= b["left"] + 2
                or b["right"] <= a["left"] + 2
                or a["bottom"] <= b["top"] + 2
                or b["bottom"] <= a["top"] + 2
            )
            assert apart, f"{a['text']!r} overlaps {b['text']!r}"
    page.assert_clean()


_LABELS_JS = """() => Array.from(document.querySelectorAll('.atlas-label')).map((e) => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, visible: getComputedStyle(e).visibility !== 'hidden',
          left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


# -- tiles ---------------------------------------------------------------------------------------------
def test_when_online_tiles_fail_the_map_says_so_and_keeps_the_offline_countries(page):
    blocked = []

    def refuse(route):  # as if there were no internet; nothing leaves the machine
        blocked.append(route.request.url)
        route.abort()

    page.route(f"https://{TILE_HOST}/**", refuse)
    frame = open_map(page, lang="en", basemap="osm")
    note = frame.locator(".atlas-tiles-failed")
    note.wait_for(timeout=30_000)
    assert note.inner_text().strip() == t("map.tiles_failed", "en")
    assert note.get_attribute("role") == "status"
    assert frame.locator(".leaflet-basemap-pane path").count() > 100, "the offline countries are gone"

    # assert_clean, less the tile requests this test refused (they are requests and console errors).
    assert blocked, "the map asked for no tiles"
    assert {urlsplit(u).hostname for u in page.external_requests()} == {TILE_HOST}
    errors = [e for e in page.unexpected_console_errors() if urlsplit(e.url).hostname != TILE_HOST]
    assert not errors, "console errors:\n" + "\n".join(map(str, errors))
    assert not page.page_errors, page.page_errors
    assert not page.exceptions()
