"""The map explorer in a real browser: what it draws, clicks, toggles, language and shared links.

Expected numbers come from the data (``expected.expected_layers``), so
a marker that goes missing, a layer that draws twice or a filter that lets a
wrong row through shows up as a count mismatch.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import ignored  # tests/ is on the path through tests/conftest.py
from atlas_server import root_only
from expected import expected_layers, layer, legend_rows
from map_dom import drawn_counts, legend_text, map_frame, rgb, settled_map, symbols, target_marker, wait_for_basemap

from dashboard.catalog import PROGRAMMES
from dashboard.details import feature_name, feature_tooltip
from dashboard.i18n import country_name, t
from dashboard.io import load_layers, load_table
from dashboard.maps.layers import ALL_MAP_LAYER_KEYS, MAP_LAYERS_BY_KEY, features_at

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMainBlockContainer"]'


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def open_map(page, **params):
    """Open the map explorer and return its iframe once the countries are drawn."""
    page.goto("map", **params)
    frame = map_frame(page)
    wait_for_basemap(frame)
    return frame


def wait_for_layers(page, expected, hidden=(), legend=None):
    """The map's frame once every point layer shows its expected number of symbols (0 if hidden)."""
    points = {k: e for k, e in expected.items() if e.symbol not in ("line", "area")}
    return settled_map(
        page,
        {k: (0 if k in hidden else e.symbols) for k, e in points.items()},
        {k: e.colour for k, e in points.items()},
        legend=legend,
    )


def drawn(frame, expected) -> dict[str, int]:
    """Per map layer, how many features the map shows (symbols by colour, lines by stroke, partner polygons)."""
    return drawn_counts(frame, expected)


def layer_checkbox(page, key: str, lang: str):
    label = t(PROGRAMMES[MAP_LAYERS_BY_KEY[key].programme].label_key, lang)
    return page.locator(f'{SIDEBAR} [data-testid="stCheckbox"]').filter(has_text=label)


# -- what the map draws -------------------------------------------------------------------------
def test_map_draws_countries_and_every_feature(page):
    open_map(page, lang="en")
    expected = expected_layers()
    assert all(e.count > 0 for e in expected.values()), f"a layer has no features to draw: {expected}"
    frame = wait_for_layers(page, expected)

    assert wait_for_basemap(frame) > 100  # the country polygons from static/geo/countries.geojson
    assert drawn(frame, expected) == {k: e.symbols for k, e in expected.items()}
    # Every symbol shows its programme's colour (a fill, a ring, or a triangle's border).
    for colour, entry in symbols(frame).items():
        assert entry["seen"] == {rgb(colour): entry["count"]}, f"symbols of {colour} render as {entry['seen']}"
    assert legend_text(page) == [t("map.legend", "en")] + legend_rows(expected, "en")
    page.assert_clean()


def test_the_latest_state_draws_all_31_partners_and_a_link_keeps_it(page):
    open_map(page, lang="ja", as_of="latest")
    expected = expected_layers(as_of="latest")
    assert expected["jcm_partners"].count == 31 and expected_layers()["jcm_partners"].count == 12
    frame = wait_for_layers(page, expected)
    assert drawn(frame, expected) == {k: e.symbols for k, e in expected.items()}
    assert legend_text(page) == [t("map.legend", "ja")] + legend_rows(expected, "ja")
    # The page says which state it shows, and the sidebar's links carry it to the next page.
    assert "31か国" in page.locator(MAIN).inner_text()
    hrefs = page.locator(f'{SIDEBAR} a[href*="jcm"]').evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all("as_of=latest" in h for h in hrefs), hrefs
    page.assert_clean()


# -- clicking a marker -----------------------------------------------------------------------------
def _lone_model_city_with_story() -> str:
    """A year-1 model city with a success story and no other feature at its place."""
    frames = {lid: frame for lid, (_, frame) in load_layers().items()}
    stories = set(load_table("success_stories")["city_id"])
    cities = layer("model_cities")
    for _, row in cities[(cities["program_year"] == 1) & cities.geometry.notna()].iterrows():
        hits = features_at(frames, ALL_MAP_LAYER_KEYS, row.geometry.y, row.geometry.x)
        if row["city_id"] in stories and hits == [("model_cities", row["feature_id"])]:
            return row["feature_id"]
    raise AssertionError("no year-1 model city with a story stands alone")


def click_model_city(page, feature_id: str) -> None:
    """Click a year-1 model city's marker; its name and success story must open beside the map."""
    cities = layer("model_cities")
    row = cities[cities["feature_id"] == feature_id].iloc[0]
    story = load_table("success_stories").set_index("city_id").loc[row["city_id"], "story_en"]
    open_map(page, lang="en")
    frame = wait_for_layers(page, expected_layers())

    point = target_marker(frame, feature_tooltip("model_cities", row, "en"))
    page.rerun(lambda: frame.locator("[data-atlas-target]").click(position=point))
    page.wait_for_function("() => new URLSearchParams(location.search).has('sel')", timeout=30_000)
    page.wait_for_app(min_runs=0)

    assert query(page).get("sel") == f"model_cities:{feature_id}"
    details = page.locator(f'{MAIN} [data-testid="stColumn"]').nth(1)
    headings = details.locator("h3").all_inner_texts()
    assert headings and headings[0] == feature_name("model_cities", row, "en"), f"details headings: {headings}"
    assert " ".join(story.split()) in " ".join(details.inner_text().split()), "the success story is not shown"
    page.assert_clean()


def test_click_on_model_city_opens_its_story(page):
    click_model_city(page, _lone_model_city_with_story())


@root_only
def test_click_on_a_shared_place_selects_the_clicked_marker(page):
    click_model_city(page, "surabaya_y1")


# -- layer toggles, language, links -------------------------------------------------------------------
@root_only
def test_unticking_a_layer_hides_its_markers_and_writes_the_url(page):
    open_map(page, lang="en")
    expected = expected_layers()
    wait_for_layers(page, expected)
    assert expected["jcm_model_projects"].count > 0

    box = layer_checkbox(page, "jcm_model_projects", "en")
    page.rerun(lambda: box.locator("label").click())

    shown = {k: e for k, e in expected.items() if k != "jcm_model_projects"}
    page.wait_for_query("layers", ",".join(shown))
    frame = wait_for_layers(page, expected, hidden=["jcm_model_projects"])
    assert drawn(frame, expected) == {k: (0 if k == "jcm_model_projects" else e.symbols) for k, e in expected.items()}
    assert query(page).get("layers") == ",".join(shown)
    assert not box.locator("input").is_checked()
    assert legend_text(page) == [t("map.legend", "en")] + legend_rows(shown, "en")
    page.assert_clean()


@root_only
def test_language_switch_turns_the_labels_japanese(page):
    open_map(page)  # no ?lang: the browser's en-US locale gives English
    assert page.locator(f"{MAIN} h1").first.inner_text() == t("nav.map", "en")

    radio = page.locator(f'{SIDEBAR} [data-testid="stRadio"]').filter(has_text="日本語").first
    page.rerun(lambda: radio.locator("label").filter(has_text="日本語").click())
    page.wait_for_query("lang", "ja")
    page.locator(f"{MAIN} h1").filter(has_text=t("nav.map", "ja")).wait_for()
    wait_for_layers(page, expected_layers(), legend=t(PROGRAMMES["esc_y1"].label_key, "ja"))
    assert legend_text(page) == [t("map.legend", "ja")] + legend_rows(expected_layers(), "ja")
    assert layer_checkbox(page, "model_cities_y1", "ja").count() == 1
    page.assert_clean()


@root_only
def test_a_language_switch_keeps_the_chosen_filter_and_the_next_pick_adds_to_it(page):
    open_map(page, lang="en", country="IDN")
    radio = page.locator(f'{SIDEBAR} [data-testid="stRadio"]').filter(has_text="日本語").first
    page.rerun(lambda: radio.locator("label").filter(has_text="日本語").click())
    page.wait_for_query("lang", "ja")
    countries = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').first
    assert "インドネシア" in countries.inner_text() and "Indonesia" not in countries.inner_text()
    countries.click()
    page.rerun(lambda: page.locator('[role="option"]').filter(has_text="カンボジア").first.click())
    page.keyboard.press("Escape")
    page.wait_for_query("country", "IDN,KHM")  # once, the switch made the next pick drop Indonesia
    page.assert_clean()


@root_only
def test_shared_link_restores_country_layers_and_language(page):
    keys = ("model_cities_y1", "model_cities_y2")
    open_map(page, lang="ja", country="IDN", layers=",".join(keys))
    everything = expected_layers(country="IDN")
    expected = {k: e for k, e in everything.items() if k in keys}
    assert all(e.count > 0 for e in expected.values()), "the data has no Indonesian model cities"
    frame = wait_for_layers(page, everything, hidden=[k for k in everything if k not in keys])

    # Only Indonesian model cities: no other symbol, line or partner country is drawn.
    assert drawn(frame, everything) == {k: (e.symbols if k in keys else 0) for k, e in everything.items()}
    assert sum(s["count"] for s in symbols(frame).values()) == sum(e.symbols for e in expected.values())
    assert legend_text(page) == [t("map.legend", "ja")] + legend_rows(
        {k: everything[k] for k in ALL_MAP_LAYER_KEYS if k in keys}, "ja"
    )
    assert page.locator(f"{MAIN} h1").first.inner_text() == t("nav.map", "ja")
    # The widgets follow the link: the country chosen, only the two layers ticked.
    assert country_name("IDN", "ja") in page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').first.inner_text()
    for key in ALL_MAP_LAYER_KEYS:
        assert layer_checkbox(page, key, "ja").locator("input").is_checked() == (key in keys), key
    url = query(page)  # (the app writes the layers in its own, drawing order)
    assert {**url, "layers": set(url.get("layers", "").split(","))} == {
        "lang": "ja",
        "country": "IDN",
        "layers": set(keys),
    }
    page.assert_clean()


@root_only
@pytest.mark.parametrize(
    "param,value",
    [
        ("country", "ZZZ"),
        ("layers", "nowhere"),
    ],
)
def test_invalid_link_value_shows_a_notice_and_the_default(page, param, value):
    open_map(page, lang="en", **{param: value})
    notice = page.locator(f'{MAIN} [data-testid="stAlert"]').filter(has_text=f"“{value}”")
    assert notice.count() == 1, "no notice names the bad value"
    text = notice.inner_text()
    assert t("filter.notice_invalid", "en") in text and f"{ignored(param, value)}; showing the default" in text
    page.assert_clean()
    assert param not in query(page), f"the URL still has {param}={query(page).get(param)}"
    expected = expected_layers()  # the default view: everything
    frame = wait_for_layers(page, expected)
    assert drawn(frame, expected) == {k: e.symbols for k, e in expected.items()}


@root_only
def test_the_overviews_link_opens_the_map_with_the_filter_and_keeps_it(page):
    page.goto("", lang="en", country="IDN")
    link = page.locator(f'{MAIN} [data-testid="stPageLink"] a').filter(has_text=t("nav.map", "en")).first
    page.rerun(lambda: link.click())
    page.locator(f"{MAIN} h1").filter(has_text=t("nav.map", "en")).wait_for()
    page.wait_for_app()
    # The map's own country widget is a new widget to Streamlit; it must show the link's country,
    # not its empty default (which would then be written to the URL).
    assert query(page).get("country") == "IDN", page.url
    countries = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').first
    assert country_name("IDN", "en") in countries.inner_text()
    page.assert_clean()
