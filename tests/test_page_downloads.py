"""Downloads page: renders in both languages, previews the filtered rows, and its files equal the CLI's.

Also dashboard.content.downloads, which layers, facets and files the page offers.
"""

from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import filter_chips, ignored, run_page, shown
from cli_helpers import cli_export
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard.catalog import LAYER_ORDER, layer_tables
from dashboard.content import downloads as content
from dashboard.export import export, export_filename, select
from dashboard.export.context import ExportContext
from dashboard.filters import Filter
from dashboard.i18n import country_name

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/downloads.py"
MNG = Filter.from_mapping({"country": ["MNG"]})


@pytest.fixture
def deferred(monkeypatch):
    """Button id (deferred file id or media URL) -> (file name, callable giving its bytes).

    AppTest's mock runtime drops its media manager after the run; recording
    here lets a test get exactly the bytes a click would download, whether the
    file was made on the click (deferred) or beforehand.
    """
    captured = {}
    original_deferred, original_add = MediaFileManager.add_deferred, MediaFileManager.add

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        captured[file_id] = (file_name, data_callable)
        return file_id

    def record_add(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        url = original_add(self, path_or_data, mimetype, coordinates, file_name=file_name, **kwargs)
        captured[url] = (file_name, lambda: path_or_data)
        return url

    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    monkeypatch.setattr(MediaFileManager, "add", record_add)
    return captured


def _previews(at):
    """The preview tables (the data dictionaries are dataframes too, without feature_id)."""
    return [df.value for df in at.dataframe if "feature_id" in df.value.columns]


def _downloads(at, deferred):
    """(file name, bytes) of every download button on the page, made as a click would make them."""
    out = []
    for button in at.get("download_button"):
        file_name, make = deferred[button.proto.deferred_file_id or button.proto.url]
        out.append((file_name, make()))
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_renders_with_every_layer_by_default(lang, layers):
    at = run_page(PAGE, lang)
    assert not at.exception
    assert at.multiselect(key=f"dl_layers_{lang}").value == [lid for lid in LAYER_ORDER]
    # One tab per layer; tabs are lazy, so only the open (first) tab's rows are sent.
    assert len(at.tabs) == len(layer_tables())
    assert len(_previews(at)) == 1
    titles = {t.label(lang) for t in layer_tables().values()}
    assert set(at.multiselect(key=f"dl_layers_{lang}").options) == titles
    assert not at.warning  # no URL notice


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_mongolian_fs_sites_preview(lang, layers):
    at = run_page(PAGE, lang, dl_layers="fs_studies", country="MNG")
    assert not at.exception
    assert filter_chips(at) == [f"{country_name('MNG', lang)} ✕"]
    [preview] = _previews(at)
    assert sorted(preview["study_no"]) == [17, 18]
    assert set(preview["country_iso3"]) == {"MNG"}
    assert "geometry" not in preview.columns and {"lon", "lat"} <= set(preview.columns)
    table, frame = layers["fs_studies"]
    expected = frame[frame["country_iso3"] == "MNG"]
    assert preview["feature_id"].tolist() == expected["feature_id"].tolist()
    assert preview["lat"].tolist() == pytest.approx([g.y for g in expected.geometry])


def test_geojson_download_equals_library_and_cli(deferred, layers, tmp_path):
    at = run_page(PAGE, dl_layers="fs_studies", country="MNG", dl_format="geojson")
    assert not at.exception
    [(file_name, data)] = _downloads(at, deferred)
    assert file_name == export_filename(["fs_studies"], MNG, "geojson", date.today())
    assert file_name.startswith("fs_studies_country-MNG_")
    library = export(select(layers, ["fs_studies"], MNG), "geojson", ExportContext(MNG, downloaded=date.today()))
    assert data == library
    assert data == cli_export(tmp_path / "cli.geojson", "fs_studies", "country=MNG", "geojson")
    assert "ウランバートル".encode() in data and b"\\u" not in data


@pytest.mark.parametrize("fmt", ["gpkg", "bundle", "kml", "csv"])
def test_every_format_equals_the_library(fmt, deferred, layers):
    at = run_page(PAGE, dl_layers="fs_studies", country="MNG", dl_format=fmt)
    [(file_name, data)] = _downloads(at, deferred)
    assert file_name == export_filename(["fs_studies"], MNG, fmt, date.today())
    assert data == export(select(layers, ["fs_studies"], MNG), fmt, ExportContext(MNG, downloaded=date.today()))


def test_several_layers_one_geopackage_or_one_file_per_layer(deferred, layers):
    chosen = ["fs_studies", "model_cities"]
    at = run_page(PAGE, dl_layers=",".join(chosen), country="IDN")
    idn = Filter.from_mapping({"country": ["IDN"]})
    order = [lid for lid in LAYER_ORDER if lid in chosen]  # page keeps the catalogue order
    assert len(at.tabs) == 2
    assert [len(p) for p in _previews(at)] == [len(idn.apply(*layers[order[0]]))]  # the open tab
    [(name, gpkg)] = _downloads(at, deferred)
    assert name.startswith("atlas-2-layers_country-IDN_")
    assert gpkg == export(select(layers, order, idn), "gpkg", ExportContext(idn, downloaded=date.today()))

    deferred.clear()
    at = run_page(PAGE, dl_layers=",".join(chosen), country="IDN", dl_format="csv")
    files = _downloads(at, deferred)
    assert [n.split("_country")[0] for n, _ in files] == order
    for (_, data), lid in zip(files, order, strict=True):
        assert data == export(select(layers, [lid], idn), "csv", ExportContext(idn, downloaded=date.today()))


def test_invalid_layer_in_url_shows_a_notice(layers):
    at = run_page(PAGE, dl_layers="fs_studies,no_such_layer")
    assert not at.exception
    assert any(ignored("dl_layers", "no_such_layer") in shown(w.value) for w in at.warning)
    assert at.query_params["dl_layers"] == "fs_studies"
    assert len(_previews(at)) == 1


def test_invalid_format_falls_back_with_a_notice():
    at = run_page(PAGE, dl_layers="fs_studies", dl_format="shp")
    assert not at.exception
    assert any(ignored("dl_format", "shp") in shown(w.value) for w in at.warning)
    assert at.radio(key="dl_format_en").value == "gpkg"


def test_no_layer_chosen_says_what_to_do():
    at = run_page(PAGE, "ja", dl_layers="none")
    assert not at.exception and not at.warning
    assert at.multiselect(key="dl_layers_ja").value == []
    assert len(at.info) == 1 and not at.get("download_button")


def test_filter_that_does_not_apply_is_named(layers):
    at = run_page(PAGE, dl_layers="knowledge_sharing", program_year="2")
    [preview] = _previews(at)
    assert len(preview) == len(layers["knowledge_sharing"][1])  # no programme-year column: all rows kept
    assert any("Programme year" in i.value for i in at.info)


def test_map_keys_split_model_cities_by_year():
    assert content.map_keys(["model_cities"]) == ("model_cities_y2", "model_cities_y1")
    assert content.map_keys(["fs_studies", "jcm_partners"]) == ("jcm_partners", "fs_studies")
    assert content.map_keys([]) == ()


def test_unapplied_facets(layers):
    f = Filter.from_mapping({"country": ["MNG"], "program_year": ["2"]})
    assert content.unapplied_facets(f, layers["knowledge_sharing"][0]) == ["program_year"]
    assert content.unapplied_facets(f, layers["model_cities"][0]) == []
    assert content.unapplied_facets(f, layers["fs_studies"][0]) == ["program_year"]


@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("geojson", [("a",), ("b",)]),
        ("csv", [("a",), ("b",)]),
        ("gpkg", [("a", "b")]),
        ("kml", [("a", "b")]),
        ("bundle", [("a", "b")]),
    ],
)
def test_files_for(fmt, expected):
    assert content.files_for(["a", "b"], fmt) == expected


def test_data_dictionary_opens_on_demand():
    at = run_page(PAGE, dl_layers="esc_seminars")
    before = len(at.dataframe)
    at.toggle(key="dl_dictionary_esc_seminars").set_value(True).run()
    assert len(at.dataframe) == before + 1
    dictionary = at.dataframe[-1].value
    assert "participants" in set(dictionary.iloc[:, 0])
