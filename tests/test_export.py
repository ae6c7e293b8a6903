"""Exports: every format round-trips; filtered exports hold exactly the filtered rows."""

import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from cli_helpers import cli_export

from dashboard import release
from dashboard.export import FORMATS, export, export_filename, select
from dashboard.export.context import ExportContext
from dashboard.filters import Filter
from dashboard.io import load_layers

F = Filter.from_mapping({"country": ["IDN", "VNM"]})


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def _read_gdal(data: bytes, suffix: str, tmp_path, layer=None):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    return pyogrio.read_dataframe(path, layer=layer) if layer else pyogrio.read_dataframe(path)


@pytest.mark.parametrize("layer_id", ["model_cities", "city_partnerships", "jcm_partners", "fs_studies"])
def test_geojson_round_trip(layers, layer_id):
    [(table, frame)] = select(layers, [layer_id], F)
    data = export([(table, frame)], "geojson", ExportContext(F))
    doc = json.loads(data)
    assert (
        doc["type"] == "FeatureCollection"
        and "crs" not in doc
        and doc["filter"] == F.sentence("en", state="in_brochure" in table.column_names)
    )
    back = gpd.read_file(io.BytesIO(data))
    assert back["feature_id"].tolist() == frame["feature_id"].tolist()
    assert set(table.column_names) <= set(back.columns)
    expected = frame.geometry.reset_index(drop=True)
    placed = expected.notna()
    assert back.geometry.notna().tolist() == placed.tolist()
    assert back.geometry[placed].geom_equals_exact(expected[placed], tolerance=1e-9).all()


def test_csv_round_trip_keeps_japanese_and_coordinates(layers):
    [(table, frame)] = select(layers, ["model_cities"], F)
    data = export([(table, frame)], "csv", ExportContext(F))
    assert "スラバヤ".encode() in data  # UTF-8, not escaped
    back = pd.read_csv(io.BytesIO(data), dtype={"program_year": "Int64"})
    assert back["feature_id"].tolist() == frame["feature_id"].tolist()
    assert back["name_ja"].tolist() == frame["name_ja"].tolist()
    row = back.set_index("feature_id").loc["surabaya_y1"]
    point = frame.set_index("feature_id").loc["surabaya_y1"].geometry
    assert (row.lon, row.lat) == pytest.approx((point.x, point.y))


def test_csv_lines_have_wkt(layers):
    [(table, frame)] = select(layers, ["city_partnerships"], Filter())
    back = pd.read_csv(io.BytesIO(export([(table, frame)], "csv", ExportContext(Filter()))))
    assert back["wkt"].str.startswith("LINESTRING").all() and len(back) == 9


def test_gpkg_holds_several_layers_with_japanese(layers, tmp_path):
    parts = select(layers, ["model_cities", "fs_studies", "jcm_partners"], F)
    data = export(parts, "gpkg", ExportContext(F))
    path = tmp_path / "x.gpkg"
    path.write_bytes(data)
    names = [n for n, _ in pyogrio.list_layers(path)]
    assert names == ["model_cities", "fs_studies", "jcm_partners", "about", "data_dictionary"]
    for table, frame in parts:
        back = pyogrio.read_dataframe(path, layer=table.id)
        assert back["feature_id"].tolist() == frame["feature_id"].tolist()
        assert back.crs.to_epsg() == 4326
    cities = pyogrio.read_dataframe(path, layer="model_cities")
    assert "スラバヤ" in set(cities["name_ja"])
    about = pyogrio.read_dataframe(path, layer="about", read_geometry=False)
    # A file holding JCM partners names the state it holds, the default one too.
    assert F.sentence("en", state=True) in set(about["value"])
    assert "JCM partners as of December 2014" in F.sentence("en", state=True)
    dictionary = pyogrio.read_dataframe(path, layer="data_dictionary", read_geometry=False)
    assert set(dictionary["layer"]) == {"model_cities", "fs_studies", "jcm_partners"}
    assert "waste = Waste" in ";".join(dictionary["codes"])


def test_gpkg_and_bundle_bytes_are_deterministic(layers):
    parts = select(layers, ["fs_studies"], F)
    for fmt in ("gpkg", "bundle"):
        assert export(parts, fmt, ExportContext(F)) == export(parts, fmt, ExportContext(F))


def test_kml_round_trip(layers, tmp_path):
    parts = select(layers, ["esc_seminars"], Filter())
    back = _read_gdal(export(parts, "kml", ExportContext(Filter())), ".kml", tmp_path)
    assert len(back) == 6 and "Jakarta" in set(back["Name"])


def test_bundle_readme_lists_every_column(layers):
    parts = select(layers, ["model_cities", "jcm_model_projects"], F)
    archive = zipfile.ZipFile(io.BytesIO(export(parts, "bundle", ExportContext(F))))
    names = set(archive.namelist())
    assert {"README.md", "model_cities.geojson", "model_cities.csv", "jcm_model_projects.csv", "layers.gpkg"} <= names
    readme = archive.read("README.md").decode()
    assert F.sentence("en") in readme and release.citation() in readme and "@misc{" in readme
    for table, _ in parts:
        for col in table.columns:
            assert f"| {col.name} |" in readme, col.name
    assert "tCO2/year" in readme


def test_filtered_export_has_exactly_the_filtered_features(layers):
    [(table, frame)] = select(layers, ["fs_studies"], Filter.from_mapping({"country": ["MNG"]}))
    back = json.loads(export([(table, frame)], "geojson", ExportContext(Filter())))
    assert sorted(f["properties"]["study_no"] for f in back["features"]) == [17, 18]


def test_single_layer_formats_refuse_several_layers(layers):
    parts = select(layers, ["model_cities", "fs_studies"], F)
    for fmt in ("geojson", "csv"):
        with pytest.raises(ValueError, match="one layer"):
            FORMATS[fmt].write(parts, ExportContext(F))


def test_a_file_of_jcm_partners_names_its_state_the_default_too():
    from datetime import date

    day = date(2026, 12, 2)
    assert export_filename(["jcm_partners"], Filter(), "csv", day) == "jcm_partners_as_of-2014-12_2026-12-02.csv"
    latest = Filter(as_of="latest")
    assert export_filename(["jcm_partners"], latest, "csv", day) == "jcm_partners_as_of-latest_2026-12-02.csv"
    assert export_filename(["fs_studies"], Filter(), "csv", day) == "fs_studies_all_2026-12-02.csv"
    assert export_filename(["fs_studies"], latest, "csv", day) == "fs_studies_all_2026-12-02.csv"  # not narrowed by it


def test_file_names_say_layer_filter_and_date():
    from datetime import date

    assert (
        export_filename(["model_cities"], F, "geojson", date(2026, 11, 28))
        == "model_cities_country-IDN+VNM_2026-11-28.geojson"
    )
    assert export_filename(["a", "b"], Filter(), "bundle", date(2026, 1, 2)) == "atlas-2-layers_all_2026-01-02.zip"


MNG = Filter.from_mapping({"country": ["MNG"]})


@pytest.mark.parametrize("fmt", ["gpkg", "bundle", "geojson", "csv", "kml"])
def test_cli_writes_the_same_bytes_as_the_library(layers, fmt, tmp_path):
    written = cli_export(tmp_path / f"cli.{fmt}", "fs_studies", "country=MNG", fmt)
    # The command line dates its files with the day they are made, as a download from the app does.
    from datetime import date

    library = export(select(layers, ["fs_studies"], MNG), fmt, ExportContext(MNG, downloaded=date.today()))
    assert written == library
    assert len(library) > 1000


def test_japanese_survives_every_format(layers, tmp_path):
    parts = select(layers, ["fs_studies", "model_cities"], Filter.from_mapping({"country": ["MNG", "IDN"]}))
    ctx = ExportContext(Filter.from_mapping({"country": ["MNG", "IDN"]}))
    site, city = "ウランバートル市", "スラバヤ"
    geojson = export(parts[:1], "geojson", ctx)
    assert site.encode() in geojson and b"\\u" not in geojson  # raw UTF-8, no \u escapes
    assert [f["properties"]["site_ja"] for f in json.loads(geojson)["features"]] == parts[0][1]["site_ja"].tolist()
    assert site.encode() in export(parts[:1], "csv", ctx)
    kml = export(parts, "kml", ctx)
    assert b'encoding="utf-8"' in kml.lower() or b"encoding='utf-8'" in kml.lower()
    assert site.encode() in kml and city.encode() in kml
    gpkg = _read_gdal(export(parts, "gpkg", ctx), ".gpkg", tmp_path, layer="model_cities")
    assert city in set(gpkg["name_ja"])
    archive = zipfile.ZipFile(io.BytesIO(export(parts, "bundle", ctx)))
    assert site in archive.read("fs_studies.csv").decode("utf-8")
    assert "アジアの低炭素発展" in archive.read("README.md").decode("utf-8")  # the source's title


def test_flat_frame_preview_has_lon_lat_but_no_wkt(layers):
    from dashboard.export.tables import flat_frame

    table, frame = layers["fs_studies"]
    flat = flat_frame(table, MNG.apply(table, frame), wkt=False)
    assert flat.columns.tolist() == table.column_names + ["lon", "lat"] and len(flat) == 2
    assert "geometry" not in flat.columns
    table, frame = layers["jcm_partners"]
    assert "wkt" not in flat_frame(table, frame, wkt=False).columns
    assert flat_frame(table, frame)["wkt"].str.match(r"(MULTI)?POLYGON \(").all()


def test_data_dictionary_lists_every_column_in_both_languages(layers):
    from dashboard.export.tables import data_dictionary

    table = layers["fs_studies"][0]
    en, ja = data_dictionary(table, "en"), data_dictionary(table, "ja")
    assert en["column"].tolist() == table.column_names == ja["column"].tolist()
    assert en.set_index("column").loc["fiscal_year", "title"] == "Japanese fiscal year"
    assert ja.set_index("column").loc["fiscal_year", "title"] == "年度"
    assert ja.set_index("column").loc["site_en", "title"] == "Site en"  # no title_ja: English
