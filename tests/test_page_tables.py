"""The tables of the model-cities, city-to-city and about pages, on the real data."""

import re

import pandas as pd
import pytest

from dashboard import details
from dashboard.catalog import load_catalog
from dashboard.content import about, about_places, city_to_city, model_cities, tables
from dashboard.i18n import t
from dashboard.io import load_layers, load_table
from dashboard.release import citation

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def layers():
    return load_layers()


@pytest.fixture(scope="module")
def cities(layers):
    return layers["model_cities"][1]


@pytest.fixture(scope="module")
def facts():
    return load_table("brochure_facts")


def fact_value(facts, fact_id):
    return int(facts.set_index("fact_id").at[fact_id, "value"])


# -- model cities -----------------------------------------------------------------------
def test_year_table_has_the_brochure_totals(cities, facts):
    table = model_cities.model_city_years(cities, facts, "en")
    assert len(table) == 8 == fact_value(facts, "year1_countries")
    assert table["year1_count"].sum() == 14 == fact_value(facts, "year1_scope")
    assert table["year2_count"].sum() == 21 == fact_value(facts, "year2_cities")
    assert (table["year1_count"] > 0).sum() == fact_value(facts, "year1_countries")
    # Countries in the brochure's order (the table's order), named for readers.
    assert table["country"].tolist() == [
        "Cambodia",
        "Indonesia",
        "Lao PDR",
        "Malaysia",
        "Myanmar",
        "Philippines",
        "Thailand",
        "Viet Nam",
    ]


def test_per_country_counts_and_names(cities, facts):
    table = model_cities.model_city_years(cities, facts, "en").set_index("country_iso3")
    assert table.loc["THA", ["year1_count", "year2_count"]].tolist() == [3, 4]
    assert table.loc["IDN", "year2_cities"] == "Balikpapan, Lamongan, Malang, Tangerang"
    assert table.loc["PHL", "year1_cities"] == "Palo (Leyte), Puerto Princesa"
    ja = model_cities.model_city_years(cities, facts, "ja").set_index("country_iso3")
    assert ja.loc["KHM", "country"] == "カンボジア"
    assert ja.loc["KHM", "year2_cities"] == "プノンペン、ポーサット"


def test_malaysia_year2_is_undecided_from_the_facts(cities, facts):
    assert list(model_cities.year2_undecided(facts)) == ["MYS"]
    table = model_cities.model_city_years(cities, facts, "en").set_index("country_iso3")
    assert table.loc["MYS", "year2_undecided"] and table.loc["MYS", "year2_count"] == 0
    assert table.loc["MYS", "year2_cities"] == t("page.model_cities.undecided", "en")
    assert table["year2_undecided"].sum() == 1
    ja = model_cities.model_city_years(cities, facts, "ja").set_index("country_iso3")
    assert ja.loc["MYS", "year2_cities"] == "未定"
    # Without the fact there is nothing undecided: the marker is read, not typed in.
    no_fact = facts[facts["fact_id"] != "malaysia_year2_tbd"]
    assert not model_cities.model_city_years(cities, no_fact, "en")["year2_undecided"].any()


def test_undecided_country_kept_when_only_year2_is_shown(cities, facts):
    year2 = cities[cities["program_year"] == 2]
    table = model_cities.model_city_years(year2, facts, "en", years=(2,))
    assert table["country_iso3"].iloc[-1] == "MYS" and table["year2_undecided"].iloc[-1]
    assert model_cities.shown_years(table, (2,)) == (2,)
    assert list(model_cities.model_city_year_columns((2,), "en")) == ["country", "year2_cities", "year2_count"]
    # A filter that excludes Malaysia (or a theme filter) leaves no undecided row.
    assert "MYS" not in set(
        model_cities.model_city_years(year2, facts, "en", (2,), undecided_countries=["VNM"])["country_iso3"]
    )


def test_theme_filter_shows_year1_only(cities, facts):
    waste = cities[cities["theme"] == "waste"]
    table = model_cities.model_city_years(waste, facts, "en", (1, 2), undecided_countries=[])
    assert table["year1_count"].sum() == 5 and table["year2_count"].sum() == 0
    assert model_cities.shown_years(table, (1, 2)) == (1,)
    assert model_cities.model_city_metrics(waste, (1,)) == [("metric_y1", 5), ("metric_y1_countries", 5)]


def test_unknown_country_in_a_tbd_fact_is_an_error(facts):
    bad = pd.concat([facts, facts.iloc[[0]].assign(fact_id="atlantis_year2_tbd")])
    with pytest.raises(ValueError, match="atlantis"):
        model_cities.year2_undecided(bad)


def test_stated_totals(facts):
    totals = model_cities.stated_totals(facts)
    assert (totals["y1"], totals["c1"], totals["y2"]) == (14, 8, 21)
    assert totals["src2"].startswith("esc.outcomes")
    assert model_cities.stated_totals(facts[facts["fact_id"] != "year2_cities"]) is None


def test_success_stories_follow_the_filter(cities):
    stories = load_table("success_stories")
    all_en = model_cities.success_stories(stories, cities, "en")
    assert len(all_en) == 8
    assert all_en["city"].tolist()[:3] == ["Xam Neua", "Yangon", "Phitsanulok"]
    row = all_en.set_index("city_id").loc["surabaya"]
    assert row["country"] == "Indonesia" and row["photo_caption"] == "With a waste-bank passbook"
    ja = model_cities.success_stories(stories, cities, "ja").set_index("city_id")
    assert ja.loc["yangon", "story"].startswith("人口増加と経済活動")
    assert ja.loc["yangon", "theme"] == "上水道"
    thai = model_cities.success_stories(stories, cities[cities["country_iso3"] == "THA"], "en")
    assert thai["city"].tolist() == ["Phitsanulok"]
    assert model_cities.success_stories(stories, cities[cities["program_year"] == 2], "en").empty


def test_exchange_table_reads_direction_and_date(layers):
    table = model_cities.exchange_table(layers["knowledge_sharing"][1], "en").set_index("feature_id")
    assert table.loc["ks_compost_kuching_nonthaburi", "exchange"] == "Kuching ↔ Nonthaburi"
    assert table.loc["ks_waste_puerto_princesa_palo", "exchange"] == "Puerto Princesa → Palo"
    assert table.loc["ks_water_penang_yangon", "date"] == "Dec 2011"
    ja = model_cities.exchange_table(layers["knowledge_sharing"][1], "ja").set_index("feature_id")
    assert ja.loc["ks_water_penang_yangon", "date"] == "2011年12月"
    assert ja.loc["ks_wastebank_malang_surabaya", "shared"] == "「ごみ銀行」について共有"


def test_unplaced_names(cities, layers):
    # Every model city is placed now (ノンテン at Nong Teng, Buriram); two LoCARNet events name no place.
    assert details.unplaced_names(cities, "model_cities", "en") == []
    events = layers["locarnet_events"][1]
    unplaced = events[events["geocode_precision"] == "unresolved"]
    assert len(details.unplaced_names(events, "locarnet_events", "en")) == len(unplaced) == 2


# -- city-to-city -----------------------------------------------------------------------
def test_partnership_table_joins_the_related_study(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    table = city_to_city.partnership_table(pairs, fs, "en").set_index("feature_id")
    assert len(table) == 9
    titles = fs.drop_duplicates("study_no").set_index("study_no")
    assert table.loc["c2c_yokohama_bangkok", "fs_no"] == "F/S study 7"
    assert table.loc["c2c_yokohama_bangkok", "fs_title"] == titles.at[7, "title_en"]
    assert table.loc["c2c_kyoto_vientiane", "fs_title"] == titles.at[19, "title_en"]
    assert table.loc["c2c_kitakyushu_pasir_gudang", ["fs_no", "fs_title"]].tolist() == ["", ""]
    assert (table["fs_title"] != "").sum() == 8
    ja = city_to_city.partnership_table(pairs, fs, "ja").set_index("feature_id")
    assert ja.loc["c2c_osaka_hcmc", "fs_title"] == "ホーチミン市・大阪市の連携による低炭素都市形成支援調査"
    assert ja.loc["c2c_osaka_hcmc", "fs_no"] == "調査14"
    assert ja.loc["c2c_osaka_hcmc", ["jp_municipality", "partner", "country"]].tolist() == [
        "大阪市",
        "ホーチミン市",
        "ベトナム",
    ]


def test_partnerships_in_viet_nam(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    vnm = city_to_city.partnership_table(pairs[pairs["partner_country_iso3"] == "VNM"], fs, "en")
    assert vnm["partner"].tolist() == ["Ho Chi Minh City", "Kien Giang Province", "Hai Phong City"]


def test_partnership_join_is_loud(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    with pytest.raises(ValueError, match="99"):
        city_to_city.partnership_table(
            pairs.assign(related_fs_study_no=pd.array([99] * len(pairs), dtype="Int64")), fs, "en"
        )
    clash = pd.concat([fs, fs[fs["study_no"] == 7].assign(title_en="Another title")])
    with pytest.raises(ValueError, match="not unique"):
        city_to_city.fs_titles(clash)


# -- about ------------------------------------------------------------------------------
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


def test_provenance_table_covers_the_catalogue():
    catalog = load_catalog()
    counts = {k: len(load_table(k)) for k in catalog}
    table = about.provenance_table(catalog, counts, "en").set_index("table_id")
    assert set(table.index) == set(catalog)
    assert table.loc["model_cities", "rows"] == 35 and table.loc["places", "rows"] == len(load_table("places"))
    assert table.loc["jcm_partners", "kind"] == "Map layer (areas)"
    assert table.loc["brochure_facts", "kind"] == "Table"
    assert "https://www.jcm.go.jp/" in table.loc["jcm_partners", "extra_sources"]
    assert table.loc["places", "source"].startswith("GeoNames")
    assert table.loc["model_cities", "source"] == catalog["model_cities"].source["citation_full"]
    ja = about.provenance_table(catalog, counts, "ja").set_index("table_id")
    assert ja.loc["reading_notes", "title"] == "判読メモ"
    with pytest.raises(ValueError, match="row count"):
        about.provenance_table(catalog, {}, "en")


def test_licences_name_every_shipped_component():
    table = about.licences_table(load_catalog(), about.read_world_atlas_source(), about.read_manifest(), "en")
    by_version = {(r.version, r.licence) for r in table.itertuples()}
    assert ("1.9.3", "BSD-2-Clause") in by_version  # leaflet
    assert ("3.7.1", "MIT") in by_version  # jquery
    assert ("4.1.0", "Public domain (naturalearthdata.com/about/terms-of-use)") in by_version
    assert table["licence"].str.contains("GeoNames.*CC BY 4.0").any()
    curated = table["component"].str.extract(r"^Curated data \((\d+) tables?\)")[0].dropna().astype(int)
    assert curated.sum() == len(load_catalog())  # every table under some licence
    assert "Asia Low-Carbon Atlas" in citation()


def test_reading_notes_sections_and_facts():
    notes = about.reading_notes_table(load_table("reading_notes"), "ja")
    assert len(notes) == len(load_table("reading_notes")) and notes.iloc[0]["kind"] == "逆順の文字列"
    assert notes.iloc[0]["seed_line"] == 586
    assert "藤沢SSTモデル" in notes.iloc[0]["read_as"]
    sections = about.sections_table(load_table("brochure_sections"), "ja").set_index("section_id")
    assert sections.at["c2c.table", "title"] == "自治体間連携を基にした取組"
    facts = about.facts_table(load_table("brochure_facts"), "ja").set_index("fact_id")
    assert facts.at["year1_scope", "value"] == "14" and facts.at["year1_scope", "date"] == "2011年4月"
    assert "未定" in facts.at["malaysia_year2_tbd", "statement"]
    assert facts.at["malaysia_year2_tbd", "value"] == ""


# -- display ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "columns",
    [
        city_to_city.partnership_columns,
        model_cities.exchange_columns,
        about_places.places_columns,
        about.reading_notes_columns,
        about.facts_columns,
        about.provenance_columns,
        about_places.non_exact_columns,
        about.licences_columns,
    ],
)
def test_japanese_labels_are_japanese(columns):
    en, ja = columns("en"), columns("ja")
    assert list(en) == list(ja) and len(set(ja.values())) == len(ja)
    assert all(JAPANESE.search(label) for label in ja.values()), ja


def test_curators_notes_say_they_are_english_in_japanese():
    assert city_to_city.partnership_columns("ja")["note"] == "注記（英語）"
    assert about_places.non_exact_columns("ja")["geocode_note"] == "位置の決め方（英語）"
    assert about.reading_notes_columns("ja")["explanation"] == "説明（英語）"


def test_for_display_and_helpers():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", ""]})
    assert tables.for_display(frame, {"b": "B", "a": "A"}).columns.tolist() == ["B", "A"]
    with pytest.raises(KeyError, match="'c'"):
        tables.for_display(frame, {"c": "C"})
    with pytest.raises(ValueError, match="duplicate"):
        tables.for_display(frame, {"a": "X", "b": "X"})
    assert tables.row_fields(frame.iloc[1], ["a", "b"]) == [("a", "2")]
    assert tables.table_height(9) == 35 * 10 + 3 and tables.table_height(70) == 35 * 26 + 3
