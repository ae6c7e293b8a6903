"""WCAG 2.1 AA beyond a page's first screen: what a reader opens, each slide, and the keyboard's focus.

Every page's first screen is checked in ``test_pages.py`` (and on a phone in
``test_phone.py``); here are the states a reader reaches from there: a feature's
details opened from the URL, every step of the presentation, and a visible focus
ring on the controls a keyboard reaches.
"""

from __future__ import annotations

import pytest
from accessibility import audit, blocking
from atlas_server import root_only
from map_dom import map_frame

from dashboard.present.steps import STEPS

pytestmark = [pytest.mark.browser, root_only]

# The focused element's outline, as drawn.
_FOCUS_RING_JS = """
() => { const el = document.activeElement; const cs = getComputedStyle(el);
        return {tag: el.tagName, text: (el.textContent || "").trim().slice(0, 40),
                style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, colour: cs.outlineColor}; }
"""


def _assert_meets_aa(page) -> None:
    found = blocking(audit(page.page).violations)
    assert not found, f"{page.url}:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "path,query",
    [
        ("map", {"sel": "model_cities:kpc-y1"}),  # a model city's details, beside the map
        ("jcm", {"sel": "jcm_partners:IDN"}),  # a partner country's card, with its features
        ("city-to-city", {"country": "IDN"}),  # a filtered page: chips, fewer rows
        ("downloads", {"layers": "fs_studies", "format": "csv"}),  # a preview of one file
        ("country", {"country": "IDN"}),  # a country's figures, map, links and lists
    ],
    ids=["map-details", "jcm-card", "c2c-filtered", "downloads-preview", "country-profile"],
)
def test_what_a_reader_opens_meets_wcag_aa(goto, page, path, query, lang):
    goto(path, lang=lang, **query)
    page.wait_for_maps()
    _assert_meets_aa(page)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_step_of_the_presentation_meets_wcag_aa(goto, page, lang):
    page.set_viewport_size({"width": 1920, "height": 1080})
    for number in range(1, len(STEPS) + 1):
        goto("present", lang=lang, step=str(number))
        page.wait_for_maps()
        _assert_meets_aa(page)


def test_the_keyboard_focus_is_visible_on_page_links_and_on_map_symbols(goto, page):
    goto("map", lang="en")
    page.wait_for_maps()
    # Tab from the top of the page to the first page link in the sidebar.
    page.locator('[data-testid="stSidebar"]').first.evaluate("(el) => el.focus && el.focus()")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.st-key-atlas_nav')"):
            break
    ring = page.evaluate(_FOCUS_RING_JS)
    assert ring["tag"] == "A", f"Tab did not reach a page link: {ring}"
    assert ring["style"] != "none" and ring["width"] >= 2, f"no visible focus ring on a page link: {ring}"

    # In the map a symbol shows a ring of its own when focused by the keyboard.
    frame = map_frame(page.page)
    # (after the Tab presses above the browser is in keyboard mode: a focused element shows its ring)
    frame.locator(".leaflet-marker-icon[tabindex='0']").first.focus()
    drawn = frame.evaluate(
        "() => { const el = document.activeElement; const ring = getComputedStyle(el, '::before');"
        " return {focusVisible: el.matches(':focus-visible'), border: ring.borderTopWidth, content: ring.content}; }"
    )
    assert drawn["focusVisible"] and drawn["content"] != "none" and drawn["border"] == "3px", drawn
