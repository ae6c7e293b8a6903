"""Every page, in both languages, loads with nothing fetched from outside the machine (and at a base path)."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest
from accessibility import blocking
from atlas_page import page_name
from expected import JAPANESE, PAGES

from dashboard.i18n import t

pytestmark = pytest.mark.browser


# Under a base path every URL the app makes changes, but not with the language:
# English pages are enough there, and they keep the suite's wall time down.
RUNS = [("", "en"), ("", "ja"), ("atlas", "en")]


@pytest.fixture(scope="session")
def loaded_pages(page_loader, all_servers):
    """Every page on every server, opened concurrently once (see atlas_page.load_pages)."""
    per_server = [
        [(srv, path, lang) for path, _ in PAGES for bp, lang in RUNS if bp == srv.base_path] for srv in all_servers
    ]
    # Taken in turn from each server, so the pages in flight are shared between the processes: server by
    # server, the first eight (the map among them) all went to one process, and on a slow machine the map
    # did not finish its run within the wait.
    wanted = [page for pages in itertools.zip_longest(*per_server) for page in pages if page is not None]
    return page_loader(wanted)


@pytest.mark.parametrize("server,lang", RUNS, ids=[f"{bp or 'root'}-{lang}" for bp, lang in RUNS], indirect=["server"])
@pytest.mark.parametrize("path,nav_key", PAGES, ids=[page_name(p) for p, _ in PAGES])
def test_page_loads_offline(loaded_pages, server, path, nav_key, lang):
    res = loaded_pages[(server.base_path, path, lang)]
    assert not res.error, f"{res.url} did not load: {res.error}"
    assert not res.external, "requests left localhost:\n" + "\n".join(res.external)
    assert not res.console_errors, "console errors:\n" + "\n".join(res.console_errors)
    assert not res.page_errors, "page errors:\n" + "\n".join(res.page_errors)
    assert not res.exceptions, "Streamlit exception shown:\n" + "\n---\n".join(res.exceptions)
    assert not res.dialogs, f"a dialog is open: {res.dialogs}"
    # The frame (app.py) speaks the page's language: the navigation lists every page by its title.
    assert res.nav == [t(key, lang) for _, key in PAGES], f"sidebar navigation in {lang}: {res.nav}"
    assert res.active_nav == [t(nav_key, lang)], f"highlighted page: {res.active_nav}"
    assert res.h1, "page has no title"
    if lang == "ja":  # (a title may be a proper name such as "JCM"; the page's text is Japanese)
        assert JAPANESE.search(res.main_text), "the Japanese page shows no Japanese text"
    else:
        assert not JAPANESE.search(res.h1[0]), f"English page title is Japanese: {res.h1[0]!r}"
    assert res.screenshot is not None and res.screenshot.stat().st_size > 10_000, "screenshot missing or empty"


# WCAG 2.1 AA (JIS X 8341-3): no serious or critical axe-core violation, in the page or in its maps.
@pytest.mark.parametrize("server,lang", RUNS, ids=[f"{bp or 'root'}-{lang}" for bp, lang in RUNS], indirect=["server"])
@pytest.mark.parametrize("path,nav_key", PAGES, ids=[page_name(p) for p, _ in PAGES])
def test_page_meets_wcag_aa(loaded_pages, server, path, nav_key, lang):
    res = loaded_pages[(server.base_path, path, lang)]
    assert not res.error, f"{res.url} did not load: {res.error}"
    # Every frame was checked: the page and each map, each map named for what it shows.
    maps = [f for f in res.audit.frames if f != "page"]
    assert res.audit.frames[:1] == ["page"] and len(maps) == res.maps, f"checked {res.audit.frames}, maps: {res.maps}"
    named = t("map.frame_title", lang, layers="")
    assert all(f.startswith(named) and len(f) > len(named) for f in maps), f"map frames not named: {maps}"
    found = blocking(res.audit.violations)
    assert not found, f"{res.url}:\n" + "\n".join(map(str, found))


# A first visitor's deep link used to meet Streamlit's old pages/ folder mode
# ("Page not found", or a page without app.py's frame); scripts/serve.py turns
# that mode off before the first session.
def test_first_visitor_deep_link_has_no_page_not_found(server):
    probe = server.cold_probe
    assert not probe["error"], f"{probe['url']} did not load: {probe['error']}"
    assert probe["h1"] == t("nav.map", "en"), f"the deep link opened the wrong page: {probe}"
    assert not probe["dialog"], f"first visitor of {probe['url']} saw a dialog: {probe['dialog']!r}"
    assert not [e for e in probe["console_errors"] if "does not seem to exist" in e], probe["console_errors"]


# Latin-script words that belong on a Japanese screen: names of programmes and
# organisations, file formats and tools, units, and the language switch's "English".
LATIN_TERMS = {
    "ESC", "JCM", "ASEAN", "LoCARNet", "NGO", "IGES", "GEC", "ADB", "JICA", "COP", "UNFCCC",
    "CSV", "GeoJSON", "GeoPackage", "KML", "ZIP", "PDF", "PNG", "SVG", "HTML", "README", "JSON", "BibTeX",
    "QGIS", "ArcGIS", "GIS", "WGS", "UTF", "BOM", "Excel", "Leaflet", "OpenStreetMap", "Natural", "Earth",
    "GeoNames", "CC", "BY", "tCO", "CO", "km", "mi", "Page", "Up", "Down", "English",
    "Frictionless", "Data", "Package",  # the data package standard, by its name
    "about",  # the name of the table a GeoPackage carries its filter and sources in
}  # fmt: skip
# Addresses, file and column names are spelled as they are in any language.
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+|[A-Za-z0-9.\-]*(?:[_/@][A-Za-z0-9.\-]*)+"
    r"|[A-Za-z0-9\-]+\.(?:gpkg|kml|csv|json|geojson|zip|html|png|svg)(?![A-Za-z])"
)
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’&.\- ]*[A-Za-z]")


@pytest.fixture(scope="module")
def data_text() -> str:
    """Every text cell of every table the atlas holds: a value from these is data, shown as it is."""
    from dashboard.catalog import load_catalog
    from dashboard.io import load_table

    cells = []
    for table_id in load_catalog():
        frame = load_table(table_id)
        for column in frame.columns:
            if pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column]):
                cells += [str(v) for v in frame[column].dropna()]
    return "\n".join(cells)


def english_on_screen(strings: list[str], data_text: str) -> list[str]:
    """The runs of Latin-script words in ``strings`` that are neither known terms nor data values."""
    found = []
    for text in strings:
        for run in _LATIN_RUN.findall(_NOT_WORDS.sub(" ", text)):
            run = run.strip(" .-'’&")
            words = re.findall(r"[A-Za-z]{2,}", run)
            if not words or all(w in LATIN_TERMS for w in words) or run in data_text:
                continue
            found.append(f"{run!r} in {text[:80]!r}")
    return sorted(set(found))


@pytest.mark.parametrize("server", [""], indirect=True, ids=["root"])
@pytest.mark.parametrize("path,nav_key", PAGES, ids=[page_name(p) for p, _ in PAGES])
def test_a_japanese_page_shows_no_english_words(loaded_pages, server, path, nav_key, data_text):
    """Every text, label and tip of a Japanese page, the map frames included, is Japanese or a data value."""
    res = loaded_pages[(server.base_path, path, "ja")]
    assert not res.error, f"{res.url} did not load: {res.error}"
    assert res.shown_strings, "nothing read from the page"
    leaks = english_on_screen(res.shown_strings, data_text)
    assert not leaks, "English on the Japanese page:\n" + "\n".join(leaks)
