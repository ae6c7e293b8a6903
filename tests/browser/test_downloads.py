"""Files downloaded through the browser equal what dashboard.export writes for the same selection."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from expected import layer
from map_dom import map_frame, wait_for_basemap

from dashboard.export import export, export_filename, select
from dashboard.export.context import ExportContext
from dashboard.filters import Filter
from dashboard.i18n import t
from dashboard.io import load_layers

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMainBlockContainer"]'


def download(page, button) -> tuple[str, bytes]:
    """Click a download button; return the file's suggested name and its bytes."""
    with page.expect_download(timeout=60_000) as info:
        button.locator("button:visible").first.click()
    dl = info.value
    assert dl.failure() is None, dl.failure()
    return dl.suggested_filename, dl.path().read_bytes()


def expected_file(layer_ids: list[str], filter_: Filter, fmt: str) -> tuple[str, bytes]:
    return (
        export_filename(layer_ids, filter_, fmt, date.today()),
        export(select(load_layers(), layer_ids, filter_), fmt, ExportContext(filter_, downloaded=date.today())),
    )


def idn_model_cities(program_year: int | None = None) -> list[str]:
    """Independent of the app's filter code: the rows a reader expects."""
    frame = layer("model_cities")
    frame = frame[frame["country_iso3"] == "IDN"]
    if program_year is not None:
        frame = frame[frame["program_year"] == program_year]
    return sorted(frame["feature_id"])


def test_downloads_page_file_equals_the_export(page):
    # The page keeps its choice in the URL (dl_layers, dl_format) next to the shared filter.
    page.goto("downloads", lang="en", country="IDN", dl_layers="model_cities", dl_format="geojson")
    buttons = page.locator(f'{MAIN} [data-testid="stDownloadButton"]')
    buttons.first.wait_for(timeout=30_000)  # a missing button is the regression this test exists for
    filter_ = Filter.from_mapping({"country": ["IDN"]})
    name, data = expected_file(["model_cities"], filter_, "geojson")
    button = buttons.filter(has_text=name)
    assert button.count() == 1, f"no button for {name}; buttons: {buttons.all_inner_texts()}"

    got_name, got = download(page, button)

    assert got_name == name
    assert sorted(f["id"] for f in json.loads(got)["features"]) == idn_model_cities()
    assert got == data, "the downloaded GeoJSON differs from dashboard.export for the same layer and filter"
    page.assert_clean()


def test_map_explorer_download_equals_the_export(page):
    # Year-1 model cities in Indonesia on the map; "download what you see" as CSV.
    page.goto("map", lang="en", country="IDN", layers="model_cities_y1")
    wait_for_basemap(map_frame(page))
    radio = page.locator(f'{MAIN} [data-testid="stRadio"]').filter(has_text=t("download.fmt_csv", "en"))
    page.rerun(lambda: radio.locator("label").get_by_text(t("download.fmt_csv", "en"), exact=True).click())
    filter_ = Filter.from_mapping({"country": ["IDN"], "program_year": [1]})
    name, data = expected_file(["model_cities"], filter_, "csv")
    button = page.locator(f'{MAIN} [data-testid="stDownloadButton"]').filter(has_text=name)
    button.wait_for(timeout=30_000)  # the button's file name follows the chosen format

    got_name, got = download(page, button)

    assert got_name == name
    assert sorted(r["feature_id"] for r in csv.DictReader(io.StringIO(got.decode("utf-8")))) == idn_model_cities(1)
    assert got == data, "the downloaded CSV differs from dashboard.export for the same layer and filter"
    page.assert_clean()


def test_a_bundle_from_a_japanese_screen_validates_and_opens_in_excel(page, tmp_path):
    import zipfile

    import pandas as pd
    from frictionless import validate

    page.goto("downloads", lang="ja", country="IDN", dl_layers="model_cities,fs_studies", dl_format="bundle")
    button = page.locator(f'{MAIN} [data-testid="stDownloadButton"]').first
    button.wait_for(timeout=30_000)
    name, data = download(page, button)
    assert name.endswith(".zip")
    (tmp_path / name).write_bytes(data)
    archive = zipfile.ZipFile(tmp_path / name)
    archive.extractall(tmp_path / "bundle")
    report = validate(tmp_path / "bundle" / "datapackage.json")
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    readme = archive.read("README.md").decode()
    assert readme.startswith("# アジア低炭素アトラス") and "絞り込み：国がインドネシア" in readme
    assert "country=IDN" in readme  # the link back to the view
    cities = pd.read_csv(tmp_path / "bundle" / "model_cities.csv", encoding="utf-8", dtype=str)
    assert "スラバヤ" in set(cities["name_ja"])
    page.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_country_brief_from_the_page_is_the_clis(page, lang, tmp_path):
    # Made when the button is pressed; the same bytes as `python -m dashboard brief` for the country and language.
    import subprocess
    import sys

    from dashboard.brief import brief_filename

    page.goto("country", lang=lang, country="VNM")
    button = page.locator(f'{MAIN} [data-testid="stDownloadButton"]').filter(has_text="PDF")
    button.first.wait_for(timeout=30_000)
    got_name, got = download(page, button)
    out = tmp_path / "brief.pdf"
    done = subprocess.run([sys.executable, "-m", "dashboard", "brief", "VNM", "--lang", lang, "-o", str(out)],
                          capture_output=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert got_name == brief_filename("VNM", lang)
    assert got.startswith(b"%PDF-") and got == out.read_bytes()
    page.assert_clean()
