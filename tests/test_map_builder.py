"""Map builders, tested on the folium output they generate."""

import re

import geopandas as gpd
import pytest
from apptest_helpers import markers_drawn, point_rows
from shapely.geometry import Point

from dashboard.details import feature_tooltip
from dashboard.filters import Filter
from dashboard.io import load_layers, load_world
from dashboard.maps.assets import asset_links
from dashboard.maps.builder import SMALL_COUNTRY, _spread, build_map
from dashboard.maps.layers import (
    ALL_MAP_LAYER_KEYS,
    MAP_LAYERS_BY_KEY,
    MapView,
    bounds_around,
    feature_bounds,
    features_at,
    group_tooltip,
    visible_rows,
)
from dashboard.maps.render import render


@pytest.fixture(scope="module")
def frames():
    """Every layer as the app draws it by default: the brochure's state (its 12 JCM partners)."""
    return {lid: Filter().apply(table, gdf) for lid, (table, gdf) in load_layers().items()}


def rendered(fmap) -> str:
    return fmap.get_root().render()


def test_every_sited_point_is_one_symbol_and_each_country_level_group_one_badge(frames):
    view = MapView(frames=frames)
    html = rendered(build_map(view, "en", legend="none"))
    sited = badges = 0
    for _m, rows in visible_rows(view):
        if not len(rows) or rows.geometry.iloc[0].geom_type != "Point":
            continue
        country_level = rows[rows["geocode_precision"] == "country"]
        sited += len(rows) - len(country_level)
        badges += country_level["country_iso3"].nunique()
    small_partners = sum(g.area < SMALL_COUNTRY for g in frames["jcm_partners"].geometry)  # square degrees
    assert sited > 50 and badges >= 4 and small_partners == 3  # Maldives, Palau, Costa Rica
    assert markers_drawn(html) == sited + badges + small_partners  # no labels in this view
    rows = point_rows(html)
    assert sum(len(row) == 8 and "atlas-country" in row[2] for row in rows) == badges
    # The five Indonesian model projects the brochure places by country only: one badge saying 5.
    [indonesia] = [row for row in rows if row[5].startswith("Indonesia: 5 × JCM model projects")]
    assert len(indonesia[7]) == 5 and indonesia[2].endswith("5</div>")


def test_only_local_assets_and_no_tiles_by_default(frames):
    fmap = build_map(MapView(frames=frames), "en")
    links = asset_links(fmap)
    assert links and all(link.startswith("../../app/static/") for link in links), links
    html = rendered(fmap)
    assert "tile.openstreetmap.org" not in html and "L.tileLayer" not in html
    osm = rendered(build_map(MapView(frames=frames, basemap="osm"), "en"))
    assert "tile.openstreetmap.org" in osm


def test_basemap_is_loaded_by_url_not_embedded(frames):
    html = rendered(build_map(MapView(frames=frames), "en"))
    assert "geo/countries.topojson" in html  # the compact form; the browser decodes it
    assert '"Indonesia"' not in html  # country polygons are not in the message
    assert len(html.encode()) < 150_000


def test_hidden_layers_are_not_drawn(frames):
    only_seminars = MapView(frames=frames, visible=("esc_seminars",))
    html = rendered(build_map(only_seminars, "en"))
    assert markers_drawn(html) == 6 + 0  # six venues, no labels without label data
    assert "ESC High Level Seminars (6)" in html


def test_legend_in_japanese(frames):
    html = rendered(build_map(MapView(frames=frames, visible=("model_cities_y1",)), "ja"))
    import json

    # The legend travels as a JSON string in the script.
    assert json.dumps("凡例")[1:-1] in html and json.dumps("ESCモデル都市（1年目） (14)")[1:-1] in html


def test_data_text_is_escaped_in_tooltips_and_popups():
    evil = "<img src=x onerror=alert(1)>"
    gdf = gpd.GeoDataFrame(
        {
            "feature_id": ["x"],
            "city_id": ["x"],
            "program_year": [1],
            "name_en": [evil],
            "name_ja": [evil],
            "country_iso3": ["IDN"],
            "geocode_precision": ["exact"],
            "geocode_note": [""],
            "note": [evil],
            "source_ref": ["esc.hls L1"],
        },
        geometry=[Point(110, -7)],
        crs=4326,
    )
    html = rendered(build_map(MapView(frames={"model_cities": gdf}, visible=("model_cities_y1",), popups=True), "en"))
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_features_at_finds_co_located_features(frames):
    surabaya = frames["model_cities"].set_index("feature_id").loc["surabaya_y1"].geometry
    hits = features_at(frames, ALL_MAP_LAYER_KEYS, surabaya.y, surabaya.x)
    assert (
        ("model_cities", "surabaya_y1") in hits
        and ("esc_seminars", "hls_5") in hits
        and ("fs_studies", "fs03_1") in hits
    )
    assert features_at(frames, ("esc_seminars",), surabaya.y, surabaya.x) == [("esc_seminars", "hls_5")]


def test_a_click_on_a_line_is_the_line_its_tooltip_names_nearest_the_click(frames):
    lines = frames["city_partnerships"]
    row = lines.iloc[0]
    middle = row.geometry.interpolate(0.5, normalized=True)
    tooltip = feature_tooltip("city_partnerships", row, "ja")
    # A click a few pixels off the line (0.3 degrees at the opening zoom) still opens it.
    hits = features_at(frames, ("city_partnerships",), middle.y + 0.3, middle.x, tooltip, "ja")
    assert hits == [("city_partnerships", row["feature_id"])]
    assert features_at(frames, ("city_partnerships",), middle.y, middle.x, None, "ja") == []


def test_a_click_on_a_partner_country_is_the_country_its_tooltip_names_even_off_the_true_shape(frames):
    partners = frames["jcm_partners"]
    idn = partners[partners["country_iso3"] == "IDN"].iloc[0]
    tooltip = feature_tooltip("jcm_partners", idn, "en")
    # A point in the sea off Java: outside the shape, inside a simplified outline on screen.
    assert not idn.geometry.covers(gpd.points_from_xy([110.0], [-8.3])[0])
    assert features_at(frames, ("jcm_partners",), -8.3, 110.0, tooltip, "en") == [("jcm_partners", "IDN")]
    inside = idn.geometry.representative_point()
    assert features_at(frames, ("jcm_partners",), inside.y, inside.x, None, "en") == [("jcm_partners", "IDN")]


def test_a_click_on_a_country_badge_puts_that_layers_features_first(frames):
    projects = frames["jcm_model_projects"]
    idn = projects[(projects["country_iso3"] == "IDN") & (projects["geocode_precision"] == "country")]
    point = idn.geometry.iloc[0]
    m = MAP_LAYERS_BY_KEY["jcm_model_projects"]
    tooltip = group_tooltip(m, "IDN", len(idn), "en")
    hits = features_at(frames, ALL_MAP_LAYER_KEYS, point.y, point.x, tooltip, "en")
    assert {fid for lid, fid in hits[: len(idn)] if lid == "jcm_model_projects"} == set(idn["feature_id"])
    assert len(hits) > len(idn)  # other features placed at Indonesia's point follow ("At this place")


def test_a_country_filter_frames_the_country_not_the_lines_to_japan(frames):
    world = load_world()
    vnm = world[world["iso3"] == "VNM"].geometry.iloc[0]

    def in_vnm(frame):
        column = next((c for c in ("partner_country_iso3", "country_iso3") if c in frame), None)
        return frame[frame[column] == "VNM"] if column else frame.iloc[0:0]

    view = MapView(frames={lid: in_vnm(f) for lid, f in frames.items()}, focus=(vnm,))
    (south, west), (north, east) = feature_bounds(view)
    minx, miny, maxx, maxy = vnm.bounds
    assert west <= minx and maxx <= east and south <= miny and maxy <= north
    assert north < 35 and east < 120  # Tokyo (35.7 N, 139.7 E), where the lines end, is outside


def test_spread_fans_out_co_located_symbols():
    offsets = _spread([(1.0, 1.0), (1.0, 1.0), (5.0, 5.0)])
    assert offsets[2] == (0, 0) and offsets[0] != offsets[1]


def test_bounds_cover_visible_points(frames):
    view = MapView(
        frames={"model_cities": frames["model_cities"][frames["model_cities"].country_iso3 == "IDN"]},
        visible=("model_cities_y1", "model_cities_y2"),
    )
    (south, west), (north, east) = feature_bounds(view)
    assert west < 104.7 < 116.9 < east and south < -8 < -2.9 < north


def test_rendered_map_is_immutable_and_complete(frames):
    import dataclasses

    import streamlit_folium

    build = lambda: build_map(MapView(frames=frames, visible=("esc_seminars",)), "en")  # noqa: E731
    out = render(build())
    # The same strings st_folium computes from a map of its own.
    fmap = build()
    fmap.get_root().render()
    fmap.render()
    html, header = streamlit_folium._get_html(fmap), streamlit_folium._get_header(fmap)
    assert out.html == html and out.header == header
    assert re.search(r"L\.marker", out.script) and "map_div" in out.script
    assert all("/app/static/vendor/" in link for link in out.css_links + out.js_links)
    with pytest.raises(dataclasses.FrozenInstanceError):
        out.script = ""


def test_rendering_from_many_threads_at_once(frames):
    """Each builder renders its own map: concurrent renders share nothing and agree."""
    from concurrent.futures import ThreadPoolExecutor

    def build_and_render(_):
        return render(build_map(MapView(frames=frames, visible=ALL_MAP_LAYER_KEYS), "ja"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(build_and_render, range(16)))
    # Element ids are random per build; the shape of the script is not.
    shapes = {re.sub(r"_[0-9a-f]{32}", "_ID", r.script) for r in results}
    assert len(shapes) == 1


def test_a_chosen_line_or_country_is_framed_whole_and_a_point_in_a_window(frames):
    line = frames["city_partnerships"].iloc[0]
    (south, west), (north, east) = bounds_around(frames, ("city_partnerships", line["feature_id"]))
    for x, y in line.geometry.coords:  # both ends in view, not only the sea between them
        assert south <= y <= north and west <= x <= east
    idn = frames["jcm_partners"].set_index("feature_id").loc["IDN"].geometry
    (south, west), (north, east) = bounds_around(frames, ("jcm_partners", "IDN"))
    assert west <= idn.bounds[0] and idn.bounds[2] <= east
    city = frames["model_cities"].set_index("feature_id").loc["surabaya_y1"].geometry
    (south, west), (north, east) = bounds_around(frames, ("model_cities", "surabaya_y1"))
    assert north - south == pytest.approx(8) and south < city.y < north


def test_data_text_cannot_end_the_script_folium_writes_tooltips_into(frames):
    # folium puts tooltip and popup HTML in JavaScript template literals: a backtick or ${ from
    # the data would end the literal or run as code.
    cities = frames["model_cities"].copy()
    cities.loc[cities.index[0], "name_en"] = "A`${alert(1)}\\"
    html = rendered(
        build_map(MapView(frames={"model_cities": cities}, visible=("model_cities_y1",), popups=True), "en")
    )
    assert "`${alert(1)}" not in html and "A&#96;&#36;{alert(1)}&#92;" in html


def test_maps_whose_page_reads_no_clicks_offer_no_feature_as_a_control(frames):
    html = rendered(build_map(MapView(frames=frames, choosable=False), "en"))
    assert '"choosable": false' in html
    assert '"choosable": true' in rendered(build_map(MapView(frames=frames), "en"))
