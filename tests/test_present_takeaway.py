"""Take-away files: chart images (kaleido, offline) and the standalone HTML map."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from dashboard.i18n import t
from dashboard.maps.builder import LAND
from dashboard.maps.layers import MAP_LAYERS_BY_KEY
from dashboard.present import step_maps, steps, takeaway

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LAND_RGB = tuple(int(LAND.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
needs_export = pytest.mark.skipif(
    takeaway.image_export_problem() is not None,
    reason=f"chart images cannot be made here: {takeaway.image_export_problem()}",
)


def step(step_id):
    return steps.STEPS[steps.STEP_IDS.index(step_id)]


def first_pixel(png: bytes) -> tuple[int, int, int]:
    """RGB of the first pixel of a PNG (enough for a 1x1 clip; no imaging library needed)."""
    pos, idat = 8, b""
    while pos < len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        if png[pos + 4 : pos + 8] == b"IDAT":
            idat += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return raw[1], raw[2], raw[3]  # after the row's filter byte; any filter leaves the first pixel as is


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


# -- charts --------------------------------------------------------------------------------------------
def test_kaleido_page_loads_nothing_from_the_network():
    """MathJax is off and plotly.js is the plotly package's own file: the render page is offline."""
    from kaleido._page_generator import PageGenerator

    page = PageGenerator(mathjax=takeaway.KALEIDO_OPTIONS["mathjax"]).generate_index()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(src.startswith("file://") for src in scripts), scripts


def test_chart_figure_follows_the_step():
    fig = takeaway.chart_figure(step("model_projects"), "en")
    assert fig.layout.meta["chart_id"] == "model_project_reductions"
    # FY2014 only: the first registered project (no fiscal year) is neither a bar nor a note.
    assert len(fig.data[0].x) == 7
    assert "Not shown" not in takeaway.source_text(fig)
    assert takeaway.chart_figure(step("first_project"), "en") is None


def test_filtered_chart_gets_a_title_that_says_so():
    fig = takeaway.chart_figure(step("cities_y1"), "ja")
    assert fig.layout.title.text == t("present.chart_titles.cities_y1", "ja")
    assert [tr.name for tr in fig.data] == [t("programme.esc_y1", "ja")]


def test_for_export_keeps_title_and_source_and_adds_missing_ones():
    import plotly.graph_objects as go

    bare = go.Figure(go.Bar(x=["a"], y=[1]))
    out = takeaway.for_export(bare, "My title", "Source: test")
    assert out.layout.title.text == "My title"
    assert takeaway.source_text(out) == "Source: test"
    assert bare.layout.title.text is None, "the original figure is not modified"
    fig = takeaway.chart_figure(step("seminars"), "en")
    out = takeaway.for_export(fig, "ignored", "ignored")
    # Wrapped to fit a phone on the page, one line in a slide-wide image, the same words.
    assert "<br>" in fig.layout.title.text
    assert out.layout.title.text == fig.layout.title.text.replace("<br>", " ")
    # The larger type gets room: the plot area keeps its height on the page.
    assert out.layout.height - out.layout.margin.t - out.layout.margin.b == (
        fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    )
    # The section, in words (the notes are wrapped to fit a phone, so lines are joined first).
    assert "“ESC High Level Seminars”" in takeaway.source_text(out).replace("<br>", " ")


@needs_export
def test_png_has_signature_size_title_and_source():
    data = takeaway.chart_png(step("model_projects"), "en")
    assert data.startswith(PNG_SIGNATURE)
    width, height = png_size(data)
    assert width == takeaway.EXPORT_WIDTH * takeaway.PNG_SCALE
    assert 400 <= height <= 3000
    assert 30_000 < len(data) < 3_000_000


@needs_export
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_svg_contains_title_and_source_text(lang):
    data = takeaway.chart_svg(step("seminars"), lang).decode("utf-8")
    assert data.lstrip().startswith("<svg")
    title = t("charts.seminars.title", lang)
    assert title in data
    # The source line names the brochure section in the reader's words.
    assert ("ESCハイレベルセミナー" if lang == "ja" else "ESC High Level Seminars") in data


def test_export_error_names_the_problem(monkeypatch):
    import kaleido

    def broken(*args, **kwargs):
        raise RuntimeError("no browser")

    monkeypatch.setattr(kaleido, "calc_fig_sync", broken)
    fig = takeaway.chart_figure(step("seminars"), "en")
    with pytest.raises(takeaway.ExportError, match="no browser"):
        takeaway.figure_bytes(fig, "png")
    with pytest.raises(ValueError, match="jpeg"):
        takeaway.figure_bytes(fig, "jpeg")


def test_filenames():
    assert (
        takeaway.filename(step("model_projects"), "ja", "png") == "atlas_step7_model_projects_ja.png"
    )  # after the JCM growth step


# -- the standalone map -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seminar_map() -> str:
    return takeaway.map_html(step("seminars"), "en").decode("utf-8")


def test_map_html_has_no_external_script_or_link(seminar_map):
    assert not re.search(r"""<(script|link|img)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", seminar_map, re.I)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", seminar_map, re.I)
    assert "__inlineGeoJson" in seminar_map, "the basemap travels inside the file"


def test_map_html_carries_markers_and_caption(seminar_map):
    from dashboard.io import load_table

    seminars = load_table("esc_seminars")
    # One L.marker per seminar venue, each with its tooltip.
    assert seminar_map.count("L.marker(") >= len(seminars)
    for city in seminars["city_en"]:
        assert city in seminar_map
    texts = steps.texts(step("seminars"), load_table, "en")
    assert f"<title>{texts['title']}</title>" in seminar_map
    assert t("present.map_source", "en") in seminar_map


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's headless Chromium (tests/conftest.py)."""
    return browser


@pytest.mark.browser
@pytest.mark.parametrize("step_id,lang", [("seminars", "en"), ("first_project", "ja"), ("cities_y2", "ja")])
def test_map_html_opens_from_file_with_the_network_cut(chromium, tmp_path, step_id, lang):
    from dashboard.io import load_layers

    s = step(step_id)
    path = tmp_path / takeaway.filename(s, lang, "html")
    path.write_bytes(takeaway.map_html(s, lang))
    frames = step_maps.step_frames(s, {lid: f for lid, (_, f) in load_layers().items()})
    expected = sum(
        len(m.rows(frames[m.layer_id]).dropna(subset=["geometry"]))
        for m in (MAP_LAYERS_BY_KEY[k] for k in s.map.visible)
        if m.layer_id not in ("jcm_partners", "knowledge_sharing")
    )
    blocked, errors = [], []
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()

        def route(r):
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        # The basemap (inlined GeoJSON) draws its countries: the file carries its own data.
        page.wait_for_function(
            "() => document.querySelectorAll('.leaflet-basemap-pane path').length > 100", timeout=30_000
        )
        symbols = page.locator(".leaflet-marker-icon .atlas-sym").count()
        assert symbols == expected > 0
        # Every feature marker, plus country labels; a highlighted feature is marked as chosen.
        assert page.locator(".leaflet-marker-icon").count() >= expected
        assert page.locator(".leaflet-marker-icon.atlas-chosen").count() == len(s.map.highlight)
        assert page.locator(".atlas-legend").inner_text().strip()
        assert not errors, errors
        if step_id == "first_project":
            # Inland Java is drawn as land, not sea (the countries are not clipped to a stale view).
            point = page.evaluate("""() => {
                const map = Object.values(window).find((v) => { try { return v instanceof L.Map; } catch (e) { return false; } });
                return map.latLngToContainerPoint([-7.4, 111.6]);
            }""")
            shot = page.screenshot(clip={"x": point["x"], "y": point["y"], "width": 1, "height": 1})
            assert first_pixel(shot) == LAND_RGB, f"pixel at inland Java is {first_pixel(shot)}"
    finally:
        context.close()
    assert blocked == [], f"the file asked the network for {blocked}"
