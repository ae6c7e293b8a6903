"""On a phone (390 × 844, a phone's user agent): one column, a map a thumb can scroll past, tables that fit."""

from __future__ import annotations

import pytest
from accessibility import audit, blocking
from atlas_page import AtlasPage
from atlas_server import root_only
from map_dom import FOLIUM_IFRAME, PAGE_LEGEND

from dashboard.i18n import t
from dashboard.ui.device import PHONE_MAP_PX

pytestmark = [pytest.mark.browser, root_only]  # a base path changes no layout

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    ),
    "is_mobile": True,
    "has_touch": True,
}

# Each table's grid: how wide its columns run, and how wide it is drawn.
_GRIDS_JS = """
() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).map((d) => {
  const s = d.querySelector('.dvn-scroller');
  return {scroll: s ? s.scrollWidth : -1, client: s ? s.clientWidth : -1,
          headings: Array.from(d.querySelectorAll('th')).map((h) => h.textContent.trim())};
})
"""


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(locale="en-US", **PHONE)
    context.set_default_timeout(30_000)
    yield AtlasPage(context.new_page(), server)
    context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_on_a_phone_the_map_leaves_room_to_scroll_and_its_legend_starts_folded(phone, lang):
    phone.goto("map", lang=lang)
    phone.wait_for_maps()
    frame = phone.locator(FOLIUM_IFRAME).first.bounding_box()
    assert frame["height"] <= PHONE_MAP_PX + 1, frame
    assert frame["width"] <= 390, frame
    # Nothing runs past the right edge: the page never scrolls sideways.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390

    legend = phone.locator("details.atlas-legend-fold").first
    assert not legend.evaluate("(d) => d.open"), "the legend is open on a phone"
    assert not phone.locator(PAGE_LEGEND).first.is_visible()
    summary = legend.locator("summary")
    assert summary.inner_text().strip() == t("map.legend", lang)
    summary.tap()
    phone.locator(PAGE_LEGEND).first.wait_for(state="visible")
    phone.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_on_a_phone_every_table_fits_the_screen_and_a_tap_opens_the_rest(phone, lang):
    phone.goto("jcm", lang=lang)
    tables = phone.locator('[data-testid="stDataFrame"]')
    for i in range(tables.count()):  # a grid draws its cells (and their headings) once on screen
        tables.nth(i).scroll_into_view_if_needed()
        tables.nth(i).locator("th").first.wait_for(state="attached")
    grids = phone.evaluate(_GRIDS_JS)
    assert grids, "no table on the JCM page"
    for grid in grids:
        assert grid["client"] > 0 and grid["scroll"] <= grid["client"] + 1, f"a table scrolls sideways: {grid}"
    # The F/S table keeps what names a study; the columns it leaves out are one tap away.
    assert grids[0]["headings"][:2] == [t("col.no", lang), t("col.title", lang)], grids[0]
    table = tables.first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    phone.rerun(lambda: phone.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 35 + 35 * 0.5))
    row = phone.locator(".st-key-fs_table_row")
    row.wait_for(state="visible")
    assert t("col.country_list", lang) in row.inner_text()
    phone.assert_clean()


@pytest.mark.parametrize("path", ["", "map", "jcm", "model-cities"])
def test_on_a_phone_pages_meet_wcag_aa(phone, path):
    phone.goto(path, lang="ja")
    phone.wait_for_maps()
    found = blocking(audit(phone.page).violations)
    assert not found, "\n".join(map(str, found))
