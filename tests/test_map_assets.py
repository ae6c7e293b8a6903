"""Tests for dashboard.maps.assets and .standalone: local assets, UrlGeoJson and HTML export."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import folium
import folium.plugins
import pytest
from folium.elements import JSCSSMixin

from dashboard.maps.assets import STATIC_URL, UrlGeoJson, asset_links, use_local_assets
from dashboard.maps.standalone import inline_html

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "static"
MANIFEST = STATIC / "vendor" / "MANIFEST.json"

# A feature whose name and coordinates appear nowhere else, to tell whether
# the data was embedded.
SENTINEL = "Sentinel Isle <b>&</b>"
SENTINEL_X = 123.456789


@pytest.fixture(autouse=True)
def local_assets(monkeypatch):
    """Use the vendored assets, restoring folium's class attributes after."""
    for cls in (folium.Map, folium.plugins.Fullscreen):
        monkeypatch.setattr(cls, "default_js", cls.default_js)
        monkeypatch.setattr(cls, "default_css", cls.default_css)
    use_local_assets()


@pytest.fixture
def static_dir(tmp_path):
    """A static folder with the real vendor files and a tiny GeoJSON."""
    root = tmp_path / "static"
    shutil.copytree(STATIC / "vendor", root / "vendor")
    features = [
        _square("JPN", "Japan", 139.0, 35.0),
        _square("MNG", "Mongolia", 105.0, 47.0),
        _square("XXX", SENTINEL, SENTINEL_X, 10.0),
    ]
    geo = root / "geo" / "tiny.geojson"
    geo.parent.mkdir()
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return root


def _square(iso3, name, x, y):
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"iso3": iso3, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _atlas_map(url=STATIC_URL + "/geo/tiny.geojson"):
    m = folium.Map(location=[30, 110], zoom_start=3, tiles=None)
    UrlGeoJson(
        url,
        name="Countries",
        style={"fill_color": "#eeeeee", "weight": 0.5},
        style_by={"iso3": {"JPN": {"fillColor": "#c53948"}}},
        tooltip_property="name",
        pane="basemap",
    ).add_to(m)
    UrlGeoJson(
        url,
        name="Partners",
        only_values={"iso3": ["MNG"]},
        show=False,
    ).add_to(m)
    folium.CircleMarker([47.9, 106.9], popup="Ulaanbaatar").add_to(m)
    folium.Marker([35.7, 139.7], tooltip="Tokyo").add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m


# --- local assets -----------------------------------------------------------


def test_map_links_only_vendored_files():
    links = asset_links(_atlas_map())
    assert links == [
        "../../app/static/vendor/leaflet/leaflet.js",
        "../../app/static/vendor/atlas-shims/leaflet-icon-path.js",
        "../../app/static/vendor/jquery/jquery.min.js",
        "../../app/static/vendor/leaflet/leaflet.css",
        "../../app/static/vendor/topojson-client/topojson-client.min.js",
        "../../app/static/vendor/leaflet.fullscreen/Control.FullScreen.js",
        "../../app/static/vendor/leaflet.fullscreen/Control.FullScreen.css",
    ]
    for link in links:
        assert (STATIC / link.removeprefix(STATIC_URL + "/")).is_file(), link


def test_rendered_html_has_no_external_script_or_link():
    html = _atlas_map().get_root().render()
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    assert tags, "expected script/link tags"
    external = [t for t in tags if re.search(r"(src|href)=[\"']?(https?:)?//", t)]
    assert external == []
    for dropped in ("bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert dropped not in html


def test_streamlit_folium_link_lists_are_local():
    # streamlit-folium passes every JSCSSMixin's default_js/css to the
    # component iframe; these lists are what the browser loads there.
    m = _atlas_map()
    m.render()

    def walk(element):
        yield element
        for child in element._children.values():
            yield from walk(child)

    urls = [
        url
        for element in walk(m)
        if isinstance(element, JSCSSMixin)
        for _, url in element.default_js + element.default_css
    ]
    assert urls
    assert all(url.startswith(STATIC_URL + "/vendor/") for url in urls), urls


def test_use_local_assets_is_idempotent_and_honours_prefix():
    first = (list(folium.Map.default_js), list(folium.Map.default_css))
    use_local_assets()
    assert (folium.Map.default_js, folium.Map.default_css) == first
    use_local_assets("/srv/static/")
    assert folium.plugins.Fullscreen.default_js == [
        (
            "Control.Fullscreen.js",
            "/srv/static/vendor/leaflet.fullscreen/Control.FullScreen.js",
        )
    ]
    assert [name for name, _ in folium.Map.default_js] == [
        "leaflet",
        "leaflet_icon_path",
        "jquery",
    ]


def test_manifest_matches_vendored_files():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in manifest["packages"]}
    assert {n: p["version"] for n, p in packages.items()} == {
        "atlas-shims": "local",
        "jquery": "3.7.1",
        "leaflet": "1.9.3",
        "leaflet.fullscreen": "3.0.0",
        "topojson-client": "3.1.0",
    }
    assert packages["leaflet"]["licence"] == "BSD-2-Clause"
    assert packages["topojson-client"]["licence"] == "ISC"
    assert packages["jquery"]["licence"] == "MIT"
    for package in packages.values():
        for entry in package["files"]:
            data = (REPO / entry["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
            assert len(data) == entry["bytes"]
    # The version in the manifest is the version in the code.
    assert 'version="1.9.3"' in (STATIC / "vendor/leaflet/leaflet.js").read_text()
    assert "jQuery v3.7.1" in (STATIC / "vendor/jquery/jquery.min.js").read_text()
    assert "topojson-client v3.1.0" in (STATIC / "vendor/topojson-client/topojson-client.min.js").read_text()


def test_leaflet_css_images_are_vendored():
    css_dir = STATIC / "vendor" / "leaflet"
    css = (css_dir / "leaflet.css").read_text()
    refs = re.findall(r"url\(([^)#][^)]*)\)", css)
    assert "images/marker-icon.png" in refs
    for ref in refs:
        assert (css_dir / ref.strip("'\"")).is_file(), ref


# --- UrlGeoJson -------------------------------------------------------------


def test_url_geojson_references_url_without_embedding_data(static_dir):
    html = _atlas_map().get_root().render()
    assert "fetch(url)" in html
    assert json.dumps(STATIC_URL + "/geo/tiny.geojson") in html
    assert "Sentinel" not in html
    assert str(SENTINEL_X) not in html
    # Options reach the browser as data.
    assert '"fillColor": "#eeeeee"' in html  # snake_case key camelized
    assert '{"iso3": {"JPN": {"fillColor": "#c53948"}}}' in html
    assert '{"iso3": ["MNG"]}' in html
    assert 'createPane("basemap")' in html
    assert ".style.zIndex = 350" in html


def test_url_geojson_layer_control_and_show():
    m = _atlas_map()
    html = m.get_root().render()
    layers = [c for c in m._children.values() if isinstance(c, UrlGeoJson)]
    shown, hidden = (layer.get_name() for layer in layers)
    assert f'"Countries" : {shown}' in html
    assert f'"Partners" : {hidden}' in html
    assert f"{shown}.addTo(" in html
    assert f"{hidden}.addTo(" not in html


def test_url_geojson_in_streamlit_folium_script():
    # streamlit-folium renames elements after render; the pane code must use
    # the renamed map variable.
    streamlit_folium = pytest.importorskip("streamlit_folium")
    m = _atlas_map()
    m.render()
    script = streamlit_folium.generate_leaflet_string(m)
    assert 'map_div.createPane("basemap")' in script
    assert "Sentinel" not in script


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_url_geojson_script_behaviour_in_node(static_dir):
    """Run the layer's script against stub Leaflet/fetch objects."""
    m = _atlas_map()
    m.render()
    layer = next(c for c in m._children.values() if isinstance(c, UrlGeoJson))
    script = layer._template.module.script(layer)
    data = (static_dir / "geo" / "tiny.geojson").read_text()
    harness = f"""
    globalThis.window = globalThis;
    const out = {{panes: {{}}, tooltips: []}};
    var {m.get_name()} = {{
        getPane: (n) => out.panes[n],
        createPane: (n) => (out.panes[n] = {{style: {{}}}}),
    }};
    globalThis.fetch = async (url) => {{
        out.url = url;
        return {{ok: true, json: async () => ({data})}};
    }};
    globalThis.L = {{geoJson: (initial, options) => {{
        out.options = options;
        return {{addData: (d) => {{
            out.styles = {{}}; out.kept = [];
            for (const f of d.features) {{
                if (options.filter && !options.filter(f)) continue;
                out.kept.push(f.properties.iso3);
                out.styles[f.properties.iso3] = options.style(f);
                options.onEachFeature(f, {{bindTooltip: (t) => out.tooltips.push(t)}});
            }}
        }}}};
    }}}};
    {script}
    setTimeout(() => console.log(JSON.stringify(out)), 50);
    """
    result = subprocess.run(["node", "-e", harness], capture_output=True, text=True, check=True)
    out = json.loads(result.stdout)
    assert out["url"] == STATIC_URL + "/geo/tiny.geojson"
    assert out["panes"]["basemap"]["style"]["zIndex"] == 350
    assert out["options"]["pane"] == "basemap"
    assert out["kept"] == ["JPN", "MNG", "XXX"]
    assert out["styles"]["JPN"] == {"fillColor": "#c53948", "weight": 0.5}
    assert out["styles"]["MNG"] == {"fillColor": "#eeeeee", "weight": 0.5}
    assert "Sentinel Isle &lt;b&gt;&amp;&lt;/b&gt;" in out["tooltips"]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_url_geojson_filter_in_node(static_dir):
    m = _atlas_map()
    m.render()
    layer = [c for c in m._children.values() if isinstance(c, UrlGeoJson)][1]
    script = layer._template.module.script(layer)
    features = json.loads((static_dir / "geo" / "tiny.geojson").read_text())
    harness = f"""
    globalThis.window = globalThis;
    let options;
    globalThis.fetch = async () => ({{ok: true, json: async () => ({{}})}});
    globalThis.L = {{geoJson: (d, o) => {{ options = o; return {{addData() {{}}}}; }}}};
    {script}
    const features = {json.dumps(features["features"])};
    console.log(JSON.stringify({{
        kept: features.filter(options.filter).map(f => f.properties.iso3),
        interactive: options.interactive,
        tooltip: "onEachFeature" in options,
    }}));
    """
    result = subprocess.run(["node", "-e", harness], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == {
        "kept": ["MNG"],
        "interactive": False,
        "tooltip": False,
    }


# --- inline_html ------------------------------------------------------------


def test_inline_html_is_self_contained(static_dir):
    html = inline_html(_atlas_map(), static_dir)
    assert not re.search(r"<script\b[^>]*\bsrc=", html)
    assert not re.search(r"<link\b[^>]*\bhref=", html)
    assert "../../app/static" not in html.replace(json.dumps(STATIC_URL + "/geo/tiny.geojson"), "")
    # The data is inlined once, although two layers use it.
    assert html.count("Sentinel Isle") == 1
    assert "Sentinel Isle \\u003cb>&\\u003c/b>" in html
    assert str(SENTINEL_X) in html
    # Library code and CSS images are inside the page.
    assert 'version="1.9.3"' in html
    assert "jQuery v3.7.1" in html
    assert "url(images/" not in html
    assert 'url("data:image/png;base64,' in html
    assert 'url("data:image/svg+xml;base64,' in html
    assert "L.Icon.Default.mergeOptions" in html
    # Only the SVG namespace, Leaflet's attribution link and a licence header's
    # project page remain as URLs: none is requested.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {
        "http://www.w3.org/2000/svg",
        "https://leafletjs.com",
        "https://github.com/topojson/topojson-client",
    }, urls


def test_inline_html_does_not_change_the_map(static_dir):
    m = _atlas_map()
    inline_html(m, static_dir)
    assert asset_links(m)[0] == STATIC_URL + "/vendor/leaflet/leaflet.js"
    assert "Sentinel" not in m.get_root().render()


def test_inline_html_rejects_external_urls(static_dir):
    m = _atlas_map(url="https://example.org/world.geojson")
    with pytest.raises(ValueError, match="example.org"):
        inline_html(m, static_dir)


def test_inline_html_reports_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        inline_html(_atlas_map(), tmp_path)


def test_url_geojson_interactive_default_follows_tooltip():
    assert UrlGeoJson("a.geojson").interactive is False
    assert UrlGeoJson("a.geojson", tooltip_property="name").interactive is True
    assert UrlGeoJson("a.geojson", interactive=True).interactive is True
    assert UrlGeoJson("a.geojson", tooltip_property="name", interactive=False).interactive is False
