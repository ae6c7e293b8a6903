"""Links and data that carry Markdown or HTML are shown as text, everywhere.

A link anyone can write (``?country=[Sign in](URL)``) and a cell anyone can
edit must never become a live link, an image request or formatting: not in a
notice, a caption, a card, a chart label, a map tooltip, a take-away SVG or a
KML file. Each test plants a payload and checks that it arrived (so the test
can fail) and arrived inert.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import streamlit as st
from apptest_helpers import APP, page_files, run_page
from apptest_helpers import shown as plain
from streamlit.testing.v1 import AppTest

from dashboard import io as atlas_io
from dashboard.catalog import load_catalog

TOKEN = "zq9"  # marks planted text, so a test can tell it reached the screen
PAYLOAD = (
    f" <b>{TOKEN}b</b> [{TOKEN}l](javascript:alert(1)) ![{TOKEN}i](http://example.invalid/i.png)"
    f' <a href="http://example.invalid/a">{TOKEN}a</a>'
)
# What must never appear where HTML is rendered (map tooltips, plotly labels, SVG, KML balloons).
HTML_LIVE = [
    re.compile(rf"<b>{TOKEN}"),
    re.compile(r"<a\b[^<>]*href=[\"']?javascript", re.I),
    re.compile(r"<img\b[^<>]*example\.invalid", re.I),
    re.compile(r"<a\b[^<>]*href=[\"']?http://example\.invalid", re.I),
]
# ...and where Markdown is rendered (Streamlit text elements), also an unescaped link or image.
MD_LIVE = HTML_LIVE + [
    re.compile(rf"(?<!\\)\[{TOKEN}l(?<!\\)\]\("),
    re.compile(rf"!(?<!\\)\[{TOKEN}i"),
]
# Every page the app routes (app.py lists exactly the files in pages/).
PAGES = page_files()


def json_strings(spec: str) -> str:
    """Every string inside a JSON document, decoded (plotly writes '<' as \\u003c)."""
    out = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(spec))
    return "\n".join(out)


def live_markup(text: str, patterns=HTML_LIVE) -> list[str]:
    return [m.group(0) for rx in patterns for m in rx.finditer(text)]


# -- links ------------------------------------------------------------------------------------
def warning_text(at: AppTest) -> str:
    assert at.warning, "no notice shown"
    return "\n".join(w.value for w in at.warning)


@pytest.mark.parametrize(
    "param,value",
    [
        ("country", "[Session expired, sign in](http://example.invalid/login)"),
        ("theme", "![t](http://example.invalid/t.png)"),
        ("layers", "<img src=http://example.invalid/x onerror=alert(1)>"),
        ("sel", "model_cities:<b>x</b>"),
    ],
)
def test_a_link_value_is_echoed_as_text(param, value):
    at = run_page("pages/map_explorer.py", **{param: value})
    shown = warning_text(at)
    assert "example.invalid" in plain(shown) or "<b>" in value  # the value is named...
    assert "](http" not in shown.replace("\\]\\(http", "")  # ...but never as a Markdown link
    assert "![" not in shown.replace("!\\[", "").replace("\\!\\[", "")
    assert "<img" not in shown and "<b>" not in shown
    assert "://" not in shown and "www." not in shown  # GFM would autolink a bare URL, escaped or not


def test_a_long_link_value_is_cut():
    at = run_page("pages/map_explorer.py", country="X" * 10_000)
    shown = warning_text(at)
    assert len(shown) < 400 and "…" in shown


def test_the_notice_says_which_values_were_dropped_and_which_kept():
    at = run_page("pages/map_explorer.py", country="IDN,ZZZ,[x](http://example.invalid)", theme="nope")
    shown = warning_text(at)
    assert "Country: ignored “ZZZ”, “[x](http://example.invalid)”; kept Indonesia" in plain(shown), shown
    assert "Theme: ignored “nope”; showing the default" in plain(shown)
    assert at.query_params["country"] == "IDN"


# -- data -------------------------------------------------------------------------------------
def _plantable(col, table) -> bool:
    """Free-text columns: no key, code, reference, pattern or list of values to break."""
    return (
        col.type == "string"
        and not (col.enum or col.pattern or col.references or col.unique)
        and col.name not in table.key
        and not col.name.endswith(("_id", "_iso3", "source_ref", "_url", "url"))
    )


def _plant(frame, table):
    frame = frame.copy()
    for col in table.columns:
        if col.name in frame.columns and _plantable(col, table):
            frame[col.name] = frame[col.name].map(lambda v: f"{v}{PAYLOAD}" if v else v)
    return frame


@pytest.fixture
def hostile_data(monkeypatch):
    """Every free-text cell of every table ends with the payload (in the app's loaders)."""
    tables = load_catalog()
    real_layers, real_table = atlas_io.load_layers, atlas_io.load_table

    def layers():
        return {lid: (table, _plant(frame, table)) for lid, (table, frame) in real_layers().items()}

    def table(table_id):
        return _plant(real_table(table_id), tables[table_id])

    monkeypatch.setattr("dashboard.ui.cached.load_layers", layers)
    monkeypatch.setattr("dashboard.ui.cached.load_table", table)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield {"layers": layers, "table": table}
    st.cache_resource.clear()
    st.cache_data.clear()


def _page_text(at: AppTest) -> tuple[str, str]:
    """What the page sends that is rendered as Markdown, and what is rendered as HTML."""
    markdown = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success"):
        markdown += [el.value for el in getattr(at, kind)]
    markdown += [expander.label for expander in at.expander]
    # Tables show cells as text: they only prove the planted text arrived.
    shown = "\n".join(df.value.to_csv() for df in at.dataframe)
    html_ = [json_strings(node.proto.spec) for node in at.get("plotly_chart")]
    for node in at.main:
        args = getattr(getattr(node, "proto", None), "json_args", "") or ""
        if "map_div" in args:
            html_.append(json.loads(args)["script"])
    return "\n".join(markdown), "\n".join(html_), shown


def assert_inert(at: AppTest) -> str:
    markdown, html_, shown = _page_text(at)
    assert TOKEN in markdown + html_ + shown, "the planted text did not reach the page: the test would prove nothing"
    live = live_markup(markdown, MD_LIVE) + live_markup(html_)
    assert not live, sorted(set(live))
    return markdown + html_


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_data_text_is_never_markup_on_any_page(hostile_data, page, lang):
    params = {"pages/present.py": {"step": "3"}, "pages/country.py": {"country": "IDN"}}.get(page, {})
    assert_inert(run_page(page, lang, **params))


def test_details_panel_and_unplaced_caption(hostile_data):
    # A selected feature's card and the 'not placed on the map' caption carry names and notes.
    at = run_page("pages/map_explorer.py", sel="model_cities:surabaya_y1")
    assert f"{TOKEN}b" in assert_inert(at)


def test_every_step_chart_and_takeaway_svg(hostile_data):
    from dashboard.present import steps, takeaway

    frames = {lid: frame for lid, (_, frame) in hostile_data["layers"]().items()}
    seen = False
    for step in steps.STEPS:
        fig = takeaway.chart_figure(step, "en", load_fn=hostile_data["table"])
        if fig is None:
            continue
        spec = json_strings(fig.to_json())
        seen |= TOKEN in spec
        assert not live_markup(spec), (step.id, live_markup(spec)[:5])
    html_map = takeaway.map_html(steps.STEPS[1], "en", frames=frames, load_fn=hostile_data["table"]).decode()
    assert not live_markup(html_map)
    assert seen, "no chart carried the planted text"


def test_kml_and_every_export_keep_data_inert(hostile_data):
    from dashboard.export import FORMATS, export
    from dashboard.export.context import ExportContext
    from dashboard.filters import Filter

    parts = [(table, frame) for table, frame in hostile_data["layers"]().values()]
    kml = export(parts, "kml", ExportContext(Filter())).decode()
    root = ET.fromstring(kml)
    # Google Earth renders <description> and balloon text as HTML: after XML
    # parsing, no planted tag may be left to render.
    texts = [el.text or "" for el in root.iter()]
    assert any(TOKEN in t for t in texts)
    assert not any(live_markup(t) for t in texts), [t for t in texts if live_markup(t)][:3]
    for fmt in FORMATS:
        data = export(parts[:1] if FORMATS[fmt].one_layer else parts, fmt, ExportContext(Filter()))
        assert data, fmt


# -- broken data --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang,title", [("en", "The atlas cannot show its data right now"), ("ja", "現在、地図帳のデータを表示できません")]
)
def test_broken_data_gives_one_clear_page_and_keeps_the_link(monkeypatch, lang, title):
    from dashboard.validate import DataError, Issue

    def broken():
        raise DataError([Issue("data/tables/model_cities.csv", 7, "name_en", "columns", "row has 9 fields, header 8")])

    monkeypatch.setattr("dashboard.ui.cached.load_layers", broken)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"lang": lang, "country": "IDN"})
        at.run()  # app.py itself: the check runs before any page
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert [el.value for el in at.title] == [title]
    listed = "\n".join(el.value for el in at.markdown)
    assert "data/tables/model_cities.csv, line 7, column 'name_en'" in plain(listed)
    assert at.query_params["country"] == "IDN"  # the link is kept for a reload


def test_server_settings_apply_once(monkeypatch):
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_app

    from dashboard.ui import serving

    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    monkeypatch.setattr(AppSession, "_handle_clear_cache_request", AppSession._handle_clear_cache_request)
    monkeypatch.setattr(starlette_app, "create_streamlit_middleware", starlette_app.create_streamlit_middleware)
    serving.configure()
    serving.configure()
    assert PagesManager.uses_pages_directory is False
    assert AppSession._handle_clear_cache_request is serving._ignore_clear_cache
    stack = starlette_app.create_streamlit_middleware()
    assert [m.cls for m in stack].count(serving.SecurityHeaders) == 1 and stack[0].cls is serving.SecurityHeaders


def test_takeaway_svg_has_the_text_and_no_live_link(hostile_data):
    """The SVG a presenter takes away (kaleido in Chromium): planted text shown, no <a> or image."""

    from dashboard.present import steps, takeaway

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Chromium for kaleido")
    step = next(s for s in steps.STEPS if takeaway.chart_figure(s, "en", load_fn=hostile_data["table"]) is not None)
    svg = takeaway.chart_bytes(step, "en", "svg", load_fn=hostile_data["table"]).decode()
    root = ET.fromstring(svg)
    assert TOKEN in "".join(root.itertext())
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "a" not in tags and "image" not in tags


@pytest.mark.parametrize("page", ["pages/map_explorer.py", "pages/downloads.py"])
def test_a_download_that_cannot_be_made_says_so(monkeypatch, page):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("dashboard.ui.downloads.export", disk_full)
    st.cache_data.clear()
    try:
        at = run_page(page, "en", dl_layers="fs_studies")
    finally:
        st.cache_data.clear()
    errors = [e.value for e in at.error]
    assert errors and all("could not be made" in e and "No space left on device" in e for e in errors)
    assert not at.get("download_button")
