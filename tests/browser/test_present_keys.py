"""Presentation mode in Chromium: the arrow keys step through the story, in both languages.

One screenshot per step and language goes to
test-artifacts/screenshots/present_step<N>_<lang>[_atlas].png, at a projector's 1920x1080.
"""

from __future__ import annotations

from functools import cache

import pytest
from map_dom import map_frame, wait_for_basemap

from dashboard.i18n import t
from dashboard.io import load_table
from dashboard.present import steps

pytestmark = pytest.mark.browser
N = len(steps.STEPS)
PROJECTOR = {"width": 1920, "height": 1080}


@cache
def table(table_id):
    return load_table(table_id)


def expected(number: int, lang: str) -> dict:
    return steps.texts(steps.step_at(number), table, lang)


def wait_for_map(page) -> None:
    """The step's map has drawn its countries and symbols (quicker than waiting for the network to idle)."""
    frame = map_frame(page.page)
    wait_for_basemap(frame)
    frame.wait_for_selector(".atlas-legend", timeout=30_000)


# Counts the keydown listeners the presentation script adds to the document.
COUNT_KEY_LISTENERS = """
(() => {
  window.__presentKeyListeners = 0;
  const add = Document.prototype.addEventListener;
  Document.prototype.addEventListener = function (type, listener, options) {
    if (type === "keydown" && String(listener).includes(".st-key-")) { window.__presentKeyListeners += 1; }
    return add.call(this, type, listener, options);
  };
})();
"""


def caption(page) -> str:
    return page.locator(".present-caption").inner_text().strip()


def assert_slide(page, number: int, lang: str) -> None:
    from playwright.sync_api import expect

    want = expected(number, lang)
    # A click can chain reruns (the language toggle, then the app's own language radio): wait for the slide.
    expect(page.locator("h1.present-title")).to_have_text(want["title"], timeout=30_000)
    page.wait_for_app()
    assert caption(page) == want["caption"]
    assert page.locator(".present-figure .value").inner_text().strip() == want["figure"]
    assert t("present.step_of", lang, n=number, total=N) in page.locator(".present-step").inner_text()
    query = page.evaluate("location.search")
    assert (f"step={number}" in query) if number > 1 else ("step=" not in query), query


def assert_chrome_hidden(page) -> None:
    for selector in (
        '[data-testid="stSidebar"]',
        '[data-testid="stHeader"]',
        '[data-testid="stToolbar"]',
        '[data-testid="stExpandSidebarButton"]',
    ):
        loc = page.locator(selector)
        assert not any(loc.nth(i).is_visible() for i in range(loc.count())), f"{selector} is visible"
    # Hidden, not absent: a renamed test id would otherwise pass the check above with nothing to look at.
    for selector in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]'):
        assert page.locator(selector).count() > 0, f"{selector} is not in the page"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_arrow_keys_step_through_the_story(page, lang):
    page.page.set_viewport_size(PROJECTOR)
    page.page.add_init_script(COUNT_KEY_LISTENERS)
    page.goto("present", lang=lang)
    wait_for_map(page)
    assert_slide(page, 1, lang)
    assert_chrome_hidden(page)
    page.screenshot("present_step1", lang)
    for number in range(2, N + 1):
        before = caption(page)
        page.rerun(lambda: page.keyboard.press("ArrowRight"))
        wait_for_map(page)
        assert caption(page) != before, "ArrowRight did not change the caption"
        # One press, one step: the key listener was not added twice by the reruns.
        assert_slide(page, number, lang)
        page.screenshot(f"present_step{number}", lang)
    # The last step stays put; ArrowLeft goes back exactly one step.
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    assert_slide(page, N, lang)
    page.rerun(lambda: page.keyboard.press("ArrowLeft"))
    assert_slide(page, N - 1, lang)
    # Seven steps of reruns later, still one listener.
    assert page.evaluate("window.__presentKeyListeners") == 1
    page.assert_clean()


def test_clicker_keys_and_language_toggle_keep_the_step(page):
    page.page.add_init_script(COUNT_KEY_LISTENERS)
    page.goto("present", lang="en", step=3)
    wait_for_map(page)
    assert_slide(page, 3, "en")
    # Presentation clickers send Page Down / Page Up.
    page.rerun(lambda: page.keyboard.press("PageDown"))
    assert_slide(page, 4, "en")
    page.rerun(lambda: page.locator(".st-key-present_lang button").click())
    assert_slide(page, 4, "ja")
    page.rerun(lambda: page.keyboard.press("PageUp"))
    assert_slide(page, 3, "ja")
    # Leave, come back with the browser's Back button (the app is not reloaded, the
    # page's script runs again): still one key listener.
    page.rerun(lambda: page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a').click())  # Exit
    assert page.locator("h1.present-title").count() == 0
    page.rerun(lambda: page.page.go_back())
    assert_slide(page, 3, "ja")
    page.rerun(lambda: page.keyboard.press("ArrowRight"))
    assert_slide(page, 4, "ja")
    assert page.evaluate("window.__presentKeyListeners") == 1
    page.assert_clean()


def test_present_query_hides_the_chrome_on_any_page(page):
    page.goto("map", lang="ja", present="1", step="5")
    wait_for_map(page)
    assert "/present" in page.evaluate("location.pathname")
    assert_slide(page, 5, "ja")
    assert_chrome_hidden(page)
    page.assert_clean()


LAPTOP = {"width": 1280, "height": 720}
MAP_IFRAME = ".st-key-present_map iframe"
MAP_ZOOM_JS = "() => Object.values(window).find((v) => { try { return v instanceof L.Map; } catch (e) { return false; } }).getZoom()"

# What scrolls, and where the take-away downloads are, on a step.
FIT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const buttons = Array.from(document.querySelectorAll('[data-testid="stDownloadButton"] button'));
  return {page: document.scrollingElement.scrollHeight, height: innerHeight,
          main: main.scrollHeight, mainClient: main.clientHeight, width: innerWidth,
          buttons: buttons.map((b) => { const r = b.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; })};
}
"""

# Computed font sizes of the slide's controls and labels, in px.
FONT_SIZES_JS = """
() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const out = {};
  const pick = {
    step: ".present-step", note: ".present-note", figure_label: ".present-figure .label",
    take_away: ".present-foot-label",
  };
  for (const [name, sel] of Object.entries(pick)) { const el = document.querySelector(sel); out[name] = el ? px(el) : 0; }
  const labels = document.querySelectorAll(
    '.st-key-present_top button [data-testid="stMarkdownContainer"] p, .st-key-present_top [data-testid="stPageLink"] p,'
    + ' .st-key-present_foot button [data-testid="stMarkdownContainer"] p');
  labels.forEach((el, i) => { out["control " + i + " " + el.textContent.trim()] = px(el); });
  return out;
}
"""


def click_map(page) -> None:
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.55)
    page.wait_for_timeout(200)


@pytest.mark.parametrize("key, back", [("ArrowRight", "ArrowLeft"), ("PageDown", "PageUp")])
def test_step_keys_work_after_a_click_on_the_map(page, key, back):
    page.goto("present", lang="en", step=2)
    wait_for_map(page)
    click_map(page)  # the map's frame now has the keys
    page.rerun(lambda: page.keyboard.press(key))
    wait_for_map(page)
    assert_slide(page, 3, "en")
    click_map(page)
    page.rerun(lambda: page.keyboard.press(back))
    wait_for_map(page)
    assert_slide(page, 2, "en")
    # After a click on a button too.
    page.rerun(lambda: page.locator(".st-key-present_next button").click())
    wait_for_map(page)
    assert_slide(page, 3, "en")
    page.rerun(lambda: page.keyboard.press(key))
    assert_slide(page, 4, "en")
    page.assert_clean()


def test_wheel_does_not_zoom_the_slide_map_but_the_buttons_do(page):
    page.goto("present", lang="en", step=1)
    wait_for_map(page)
    frame = map_frame(page.page)
    page.wait_for_timeout(500)  # the opening fitBounds
    zoom = frame.evaluate(MAP_ZOOM_JS)
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(150)
    page.wait_for_timeout(500)
    assert frame.evaluate(MAP_ZOOM_JS) == zoom, "the wheel zoomed the slide map"
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function(f"() => ({MAP_ZOOM_JS})() > {zoom}", timeout=5_000)
    page.assert_clean()


@pytest.mark.parametrize("size", [PROJECTOR, LAPTOP], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_step_fits_the_screen_with_its_downloads(page, size, lang):
    page.page.set_viewport_size(size)
    page.goto("present", lang=lang)
    for number in range(1, N + 1):
        if number > 1:
            page.rerun(lambda: page.keyboard.press("ArrowRight"))
        wait_for_map(page)
        assert_slide(page, number, lang)
        page.wait_for_timeout(400)  # the page script sizes the map to the screen
        got = page.evaluate(FIT_JS)
        where = f"step {number} at {size['width']}x{size['height']}: {got}"
        assert got["page"] <= got["height"], where
        assert got["main"] <= got["mainClient"] + 1, where
        assert got["buttons"], where
        for top, bottom, left, right in got["buttons"]:
            assert 0 <= top and bottom <= got["height"] and 0 <= left and right <= got["width"], where
        page.screenshot(f"present_fit_{size['width']}_step{number}", lang)
    page.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_controls_and_labels_are_projector_sized(page, lang):
    page.page.set_viewport_size(PROJECTOR)
    page.goto("present", lang=lang, step=5)
    wait_for_map(page)
    sizes = page.evaluate(FONT_SIZES_JS)
    assert len(sizes) >= 4 + 4 + 3, sizes  # four labels; prev, next, language, exit; three downloads
    small = {name: px for name, px in sizes.items() if px < 18}
    assert not small, small
    legend = map_frame(page.page).evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.atlas-legend')).fontSize)"
    )
    assert legend >= 18
    # The chart beside the map too: its title, ticks and the labels on its rows.
    chart = page.evaluate(
        "() => Array.from(document.querySelectorAll('.st-key-present_chart .gtitle, .st-key-present_chart .xtick text,"
        " .st-key-present_chart .annotation-text')).map((e) => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert chart and min(chart) >= 18, chart
