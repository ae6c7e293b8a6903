"""The published files are served at their stable addresses, byte for byte, and linked from the pages."""

import urllib.request

from dashboard.publish import PUBLISHED_DIR


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("Content-Type", "")


def test_every_published_file_is_served_as_built(server):
    names = sorted(str(p.relative_to(PUBLISHED_DIR)) for p in PUBLISHED_DIR.rglob("*") if p.is_file())
    assert "datapackage.json" in names and "model_cities.geojson" in names
    for name in names:
        data, _ = fetch(f"{server.url}/app/static/data/{name}")
        assert data == (PUBLISHED_DIR / name).read_bytes(), name
    _, kind = fetch(f"{server.url}/app/static/data/model_cities.geojson")
    assert "json" in kind


def test_downloads_page_links_the_stable_files(page):
    page.goto("downloads", lang="en")
    page.get_by_text("Stable links to every layer").click()
    link = page.locator('a[href$="app/static/data/model_cities.geojson"]').first
    link.wait_for()
    data, _ = fetch(link.evaluate("a => a.href"))
    assert data == (PUBLISHED_DIR / "model_cities.geojson").read_bytes()
    page.assert_clean()
