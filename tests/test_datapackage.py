"""Researchers' files: a valid Frictionless Data Package, bundles in the reader's language, Excel-safe CSV,
styled KML, a GeoPackage with its dictionary, ZIP entries dated and readable, and one citation everywhere."""

from __future__ import annotations

import io
import shutil
import stat
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from frictionless import validate

from dashboard import datapackage, release
from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.export import export, select
from dashboard.export.context import ExportContext
from dashboard.filters import Filter
from dashboard.i18n import code_label
from dashboard.io import load_layers
from dashboard.publish import atlas_package

ROOT = Path(__file__).resolve().parent.parent
IDN = Filter.from_mapping({"country": ["IDN"]})
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def errors(report) -> list[str]:
    out = [f"{e.type}: {e.message}" for e in report.errors]
    for task in report.tasks:
        out += [f"{task.name}: {e.type}: {e.message}" for e in task.errors]
    return out


def test_the_whole_atlas_is_a_valid_data_package(tmp_path):
    tables = load_catalog()
    doc = atlas_package(tables)
    shutil.copytree(TABLES_DIR, tmp_path / "tables")
    (tmp_path / "datapackage.json").write_bytes(datapackage.to_json(doc))
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, errors(report)[:10]
    # The sidecars are the one source: every declared column and key is restated.
    resource = next(r for r in doc["resources"] if r["name"] == "model_cities")
    assert [f["name"] for f in resource["schema"]["fields"]] == tables["model_cities"].column_names
    assert {"fields": "place_id", "reference": {"resource": "places", "fields": "place_id"}} in resource["schema"][
        "foreignKeys"
    ]


def test_every_code_has_a_label_in_both_languages():
    for table in load_catalog().values():
        for col in table.columns:
            for value in col.enum:
                assert code_label(col.name, value, "en") and code_label(col.name, value, "ja"), (
                    table.id,
                    col.name,
                    value,
                )


def bundle(layers, lang: str) -> zipfile.ZipFile:
    parts = select(layers, ["model_cities", "fs_studies", "jcm_model_projects"], IDN)
    context = ExportContext(IDN, lang=lang, downloaded=DAY, view_url="http://127.0.0.1:8501/map?country=IDN")
    return zipfile.ZipFile(io.BytesIO(export(parts, "bundle", context)))


def test_a_japanese_bundle_validates_and_says_what_it_holds(layers, tmp_path):
    archive = bundle(layers, "ja")
    archive.extractall(tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, errors(report)[:10]
    readme = archive.read("README.md").decode()
    assert readme.startswith("# アジア低炭素アトラス") and "ダウンロード日：2026-12-01" in readme
    assert IDN.sentence("ja") in readme and "http://127.0.0.1:8501/map?country=IDN" in readme
    assert release.citation("ja") in readme and "@misc{" in readme
    listed = {line.split("`")[1] for line in readme.splitlines() if line.startswith("- `")}
    assert listed == set(archive.namelist())  # only files that are in it, and all of them
    assert "waste = 廃棄物" in readme or "waste = " in readme  # code lists in the dictionary


def test_zip_entries_are_dated_with_the_release_and_readable(layers):
    for info in bundle(layers, "en").infolist():
        assert info.date_time[:3] == release.released().timetuple()[:3]
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644, info.filename


def test_csv_for_excel_has_a_bom_and_reads_back_the_same(layers):
    parts = select(layers, ["model_cities"], IDN)
    excel = export(parts, "csv_excel", ExportContext(IDN))
    plain = export(parts, "csv", ExportContext(IDN))
    assert excel.startswith(b"\xef\xbb\xbf") and excel[3:] == plain
    back = pd.read_csv(io.BytesIO(excel), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.columns[0] == "feature_id" and "スラバヤ" in set(back["name_ja"])


def test_kml_has_a_style_per_programme_and_names_in_the_chosen_language(layers):
    parts = select(layers, ["model_cities", "esc_seminars"], Filter())
    root = ET.fromstring(export(parts, "kml", ExportContext(Filter(), lang="ja")))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    styles = {s.get("id") for s in root.iterfind(".//k:Document/k:Style", ns)}
    assert {"esc_y1", "esc_y2", "seminars"} <= styles
    placemarks = list(root.iterfind(".//k:Placemark", ns))
    assert all(p.find("k:styleUrl", ns) is not None for p in placemarks)
    assert "スラバヤ" in {p.findtext("k:name", namespaces=ns) for p in placemarks}


def test_citation_cff_agrees_with_the_release():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == release.TITLE and cff["version"] == release.version()
    assert cff["date-released"] == release.released().isoformat()
