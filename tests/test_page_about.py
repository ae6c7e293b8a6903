"""About page: its tables and citation in Japanese.

Also dashboard.content.about (provenance, licences, reading notes, sections and facts) and
dashboard.content.about_places (how precisely each feature is placed, and the place list), on the real data.
"""

import pytest
from apptest_helpers import frame
from apptest_helpers import run_page as run

from dashboard.catalog import load_catalog
from dashboard.content import about as content
from dashboard.content import about_places
from dashboard.i18n import t
from dashboard.io import load_table
from dashboard.release import citation


# -- the page ---------------------------------------------------------------------------------
def test_about_in_japanese_labels_and_citation():
    at = run("pages/about.py", lang="ja")
    provenance = frame(at, "about_provenance")
    assert list(provenance.columns)[:4] == ["表題", "ファイル（ID）", "種類", "行数"]
    assert "説明（英語）" in provenance.columns and len(provenance) == len(load_catalog())
    precision = frame(at, "about_precision").set_index("レイヤー")
    assert precision.at["ASEAN ESCモデル都市", "未配置"] == 0 and precision.at["ASEAN ESCモデル都市", "近似"] == 4
    assert "位置の決め方（英語）" in frame(at, "about_non_exact").columns
    assert "注記（英語）" in frame(at, "about_places").columns
    assert "説明（英語）" in frame(at, "about_reading").columns
    assert len(frame(at, "about_facts")) == len(load_table("brochure_facts"))
    licences = frame(at, "about_licences")
    assert {"leaflet (同梱のJavaScript)", "jquery (同梱のJavaScript)"} <= set(licences["構成要素"])
    assert any(c.value == citation("ja") for c in at.code)


# -- dashboard.content.about_places -----------------------------------------------------------
def test_precision_counts_per_layer(layers):
    counts = about_places.precision_counts(layers, "en").set_index("layer_id")
    kinds = ["exact", "approximate", "country", "unresolved"]
    assert counts.loc["model_cities", kinds + ["total"]].tolist() == [31, 4, 0, 0, 35]
    assert counts.loc["locarnet_events", "unresolved"] == 2
    # The seven FY2014 model projects are placed only in their country.
    assert counts.loc["jcm_model_projects", "country"] == 7
    # Country areas carry no precision of their own.
    assert "jcm_partners" not in counts.index
    for layer_id, row in counts.iterrows():
        expected = layers[layer_id][1]["geocode_precision"].value_counts()
        assert row[kinds].tolist() == [expected.get(k, 0) for k in kinds]
        assert row[kinds].sum() == row["total"] == len(layers[layer_id][1])
    assert (
        about_places.precision_counts(layers, "ja").set_index("layer_id").at["model_cities", "layer"]
        == "ASEAN ESCモデル都市"
    )


def test_non_exact_features_have_their_notes(layers):
    table = about_places.non_exact_features(layers, "en")
    counts = about_places.precision_counts(layers, "en")
    assert len(table) == (counts["approximate"] + counts["country"] + counts["unresolved"]).sum()
    nongteng = table.set_index("feature_id").loc["nongteng_y2"]
    assert nongteng["precision"] == "approximate" and "Buriram" in nongteng["geocode_note"]
    assert (table["geocode_note"] != "").all()


def test_places_and_how_they_were_resolved():
    places = load_table("places")
    counts = about_places.resolve_counts(places)
    assert counts == places["resolve_by"].value_counts().to_dict() and counts["override"] == 1
    table = about_places.places_table(places, "en").set_index("place_id")
    assert table.index[0] == "san_carlos_negros" and len(table) == len(places)
    override = table[table["resolve_by"] == t("page.about.resolve_override", "en")]
    assert override.index.tolist() == ["san_carlos_negros"]
    assert override.iloc[0][["lon", "lat"]].tolist() == ["123.4167", "10.4833"]
    assert "Negros Occidental" in override.iloc[0]["coordinate_source"]
    assert table.loc["bangkok", "lon"] == "" and table.loc["bangkok", "kind"] == "city"
    # With the points build resolved, every place shows where it lies.
    from dashboard.io import resolved_places

    resolved = resolved_places()
    shown = about_places.places_table(places, "en", resolved).set_index("place_id")
    assert (shown["lon"] != "").all() and shown.loc["bangkok", "lon"] == f"{resolved['bangkok'][0]:.4f}"
    assert shown.loc["batang", "lat"].startswith("-6.9")  # the town, not the Jepara coast
    assert about_places.places_table(places, "ja").set_index("place_id").at["bangkok", "name"] == "バンコク"


# -- dashboard.content.about ------------------------------------------------------------------
def test_provenance_table_covers_the_catalogue():
    catalog = load_catalog()
    counts = {k: len(load_table(k)) for k in catalog}
    table = content.provenance_table(catalog, counts, "en").set_index("table_id")
    assert set(table.index) == set(catalog)
    assert table.loc["model_cities", "rows"] == 35 and table.loc["places", "rows"] == len(load_table("places"))
    assert table.loc["jcm_partners", "kind"] == "Map layer (areas)"
    assert table.loc["brochure_facts", "kind"] == "Table"
    assert "https://www.jcm.go.jp/" in table.loc["jcm_partners", "extra_sources"]
    assert table.loc["places", "source"].startswith("GeoNames")
    assert table.loc["model_cities", "source"] == catalog["model_cities"].source["citation_full"]
    ja = content.provenance_table(catalog, counts, "ja").set_index("table_id")
    assert ja.loc["reading_notes", "title"] == "判読メモ"
    with pytest.raises(ValueError, match="row count"):
        content.provenance_table(catalog, {}, "en")


def test_licences_name_every_shipped_component():
    table = content.licences_table(load_catalog(), content.read_world_atlas_source(), content.read_manifest(), "en")
    by_version = {(r.version, r.licence) for r in table.itertuples()}
    assert ("1.9.3", "BSD-2-Clause") in by_version  # leaflet
    assert ("3.7.1", "MIT") in by_version  # jquery
    assert ("4.1.0", "Public domain (naturalearthdata.com/about/terms-of-use)") in by_version
    assert table["licence"].str.contains("GeoNames.*CC BY 4.0").any()
    curated = table["component"].str.extract(r"^Curated data \((\d+) tables?\)")[0].dropna().astype(int)
    assert curated.sum() == len(load_catalog())  # every table under some licence
    assert "Asia Low-Carbon Atlas" in citation()


def test_reading_notes_sections_and_facts():
    notes = content.reading_notes_table(load_table("reading_notes"), "ja")
    assert len(notes) == len(load_table("reading_notes")) and notes.iloc[0]["kind"] == "逆順の文字列"
    assert notes.iloc[0]["seed_line"] == 586
    assert "藤沢SSTモデル" in notes.iloc[0]["read_as"]
    sections = content.sections_table(load_table("brochure_sections"), "ja").set_index("section_id")
    assert sections.at["c2c.table", "title"] == "自治体間連携を基にした取組"
    facts = content.facts_table(load_table("brochure_facts"), "ja").set_index("fact_id")
    assert facts.at["year1_scope", "value"] == "14" and facts.at["year1_scope", "date"] == "2011年4月"
    assert "未定" in facts.at["malaysia_year2_tbd", "statement"]
    assert facts.at["malaysia_year2_tbd", "value"] == ""
