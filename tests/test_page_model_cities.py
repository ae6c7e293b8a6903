"""Model-cities page: its tables, metrics and story cards, and how they follow the filter in the URL.

Also dashboard.content.model_cities, the tables behind it, on the real data (and which
model cities are left off the map).
"""

import pandas as pd
import pytest
from apptest_helpers import frame
from apptest_helpers import run_page as run

from dashboard import details
from dashboard.content import model_cities as content
from dashboard.i18n import t
from dashboard.io import load_table


# -- the page ---------------------------------------------------------------------------------
def test_model_cities_full_view():
    at = run("pages/model_cities.py", lang="en")
    years = frame(at, "mc_years_table")
    assert len(years) == 8
    assert years["Year 1 (number)"].sum() == 14 and years["Year 2 (number)"].sum() == 21
    assert years.set_index("Country").at["Malaysia", "Year-2 model cities"] == t("page.model_cities.undecided", "en")
    assert [m.value for m in at.metric] == ["14", "8", "21"]
    assert len(frame(at, "mc_exchanges_table")) == 14
    # Eight story cards, each a heading with its city.
    assert [h.value for h in at.markdown if h.value.startswith("### ")][:2] == ["### Xam Neua", "### Yangon"]
    assert sum(h.value.startswith("### ") for h in at.markdown) == 8
    assert not any("Not placed" in c.value for c in at.caption)  # every model city is placed
    assert any(e.type == "component_instance" for e in at.main if type(e).__name__ == "UnknownElement")


def test_the_chart_has_its_figures_as_a_table_that_follows_the_years():
    at = run("pages/model_cities.py")
    (table,) = [exp.table[0].value for exp in at.expander if exp.label == "Chart as a table"]
    counts = {c: sum(int(v) for v in table[c] if v != "–") for c in ("Year 1 (cities)", "Year 2 (cities)")}
    assert counts == {"Year 1 (cities)": 14, "Year 2 (cities)": 21}
    at = run("pages/model_cities.py", program_year=1)
    (table,) = [exp.table[0].value for exp in at.expander if exp.label == "Chart as a table"]
    assert list(table.columns) == ["Country", "Year 1 (cities)"]


def test_program_year_1_narrows_model_cities():
    at = run("pages/model_cities.py", lang="en", program_year="1")
    years = frame(at, "mc_years_table")
    assert list(years.columns) == ["Country", "Year-1 model cities", "Year 1 (number)"]
    assert years["Year 1 (number)"].sum() == 14 and len(years) == 8
    assert [m.value for m in at.metric] == ["14", "8"]
    assert sum(h.value.startswith("### ") for h in at.markdown) == 8


def test_program_year_2_keeps_malaysia_undecided_and_drops_the_stories():
    at = run("pages/model_cities.py", lang="ja", program_year="2")
    years = frame(at, "mc_years_table")
    assert list(years.columns) == ["国", "2年目のモデル都市", "2年目（都市数）"]
    assert years["2年目（都市数）"].sum() == 21
    assert years.set_index("国").at["マレーシア", "2年目のモデル都市"] == "未定"
    assert any(i.value == t("page.model_cities.stories_empty", "ja") for i in at.info)


def test_country_narrows_model_cities_and_exchanges():
    at = run("pages/model_cities.py", lang="en", country="MMR")
    years = frame(at, "mc_years_table")
    assert years["Country"].tolist() == ["Myanmar"]
    assert years.iloc[0]["Year-2 model cities"] == "Yangon, Mandalay, Pyin Oo Lwin"
    assert sorted(frame(at, "mc_exchanges_table")["From → to"]) == [
        "Myanmar (ESC officials) → Kitakyushu",
        "Penang Water Supply Corporation (George Town) → Yangon",
    ]
    assert sum(h.value.startswith("### ") for h in at.markdown) == 1


# -- dashboard.content.model_cities -----------------------------------------------------------
@pytest.fixture(scope="module")
def cities(layers):
    return layers["model_cities"][1]


@pytest.fixture(scope="module")
def facts():
    return load_table("brochure_facts")


def fact_value(facts, fact_id):
    return int(facts.set_index("fact_id").at[fact_id, "value"])


def test_year_table_has_the_brochure_totals(cities, facts):
    table = content.model_city_years(cities, facts, "en")
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
    table = content.model_city_years(cities, facts, "en").set_index("country_iso3")
    assert table.loc["THA", ["year1_count", "year2_count"]].tolist() == [3, 4]
    assert table.loc["IDN", "year2_cities"] == "Balikpapan, Lamongan, Malang, Tangerang"
    assert table.loc["PHL", "year1_cities"] == "Palo (Leyte), Puerto Princesa"
    ja = content.model_city_years(cities, facts, "ja").set_index("country_iso3")
    assert ja.loc["KHM", "country"] == "カンボジア"
    assert ja.loc["KHM", "year2_cities"] == "プノンペン、ポーサット"


def test_malaysia_year2_is_undecided_from_the_facts(cities, facts):
    assert list(content.year2_undecided(facts)) == ["MYS"]
    table = content.model_city_years(cities, facts, "en").set_index("country_iso3")
    assert table.loc["MYS", "year2_undecided"] and table.loc["MYS", "year2_count"] == 0
    assert table.loc["MYS", "year2_cities"] == t("page.model_cities.undecided", "en")
    assert table["year2_undecided"].sum() == 1
    ja = content.model_city_years(cities, facts, "ja").set_index("country_iso3")
    assert ja.loc["MYS", "year2_cities"] == "未定"
    # Without the fact there is nothing undecided: the marker is read, not typed in.
    no_fact = facts[facts["fact_id"] != "malaysia_year2_tbd"]
    assert not content.model_city_years(cities, no_fact, "en")["year2_undecided"].any()


def test_undecided_country_kept_when_only_year2_is_shown(cities, facts):
    year2 = cities[cities["program_year"] == 2]
    table = content.model_city_years(year2, facts, "en", years=(2,))
    assert table["country_iso3"].iloc[-1] == "MYS" and table["year2_undecided"].iloc[-1]
    assert content.shown_years(table, (2,)) == (2,)
    assert list(content.model_city_year_columns((2,), "en")) == ["country", "year2_cities", "year2_count"]
    # A filter that excludes Malaysia (or a theme filter) leaves no undecided row.
    assert "MYS" not in set(
        content.model_city_years(year2, facts, "en", (2,), undecided_countries=["VNM"])["country_iso3"]
    )


def test_theme_filter_shows_year1_only(cities, facts):
    waste = cities[cities["theme"] == "waste"]
    table = content.model_city_years(waste, facts, "en", (1, 2), undecided_countries=[])
    assert table["year1_count"].sum() == 5 and table["year2_count"].sum() == 0
    assert content.shown_years(table, (1, 2)) == (1,)
    assert content.model_city_metrics(waste, (1,)) == [("metric_y1", 5), ("metric_y1_countries", 5)]


def test_unknown_country_in_a_tbd_fact_is_an_error(facts):
    bad = pd.concat([facts, facts.iloc[[0]].assign(fact_id="atlantis_year2_tbd")])
    with pytest.raises(ValueError, match="atlantis"):
        content.year2_undecided(bad)


def test_stated_totals(facts):
    totals = content.stated_totals(facts)
    assert (totals["y1"], totals["c1"], totals["y2"]) == (14, 8, 21)
    assert totals["src2"].startswith("esc.outcomes")
    assert content.stated_totals(facts[facts["fact_id"] != "year2_cities"]) is None


def test_success_stories_follow_the_filter(cities):
    stories = load_table("success_stories")
    all_en = content.success_stories(stories, cities, "en")
    assert len(all_en) == 8
    assert all_en["city"].tolist()[:3] == ["Xam Neua", "Yangon", "Phitsanulok"]
    row = all_en.set_index("city_id").loc["surabaya"]
    assert row["country"] == "Indonesia" and row["photo_caption"] == "With a waste-bank passbook"
    ja = content.success_stories(stories, cities, "ja").set_index("city_id")
    assert ja.loc["yangon", "story"].startswith("人口増加と経済活動")
    assert ja.loc["yangon", "theme"] == "上水道"
    thai = content.success_stories(stories, cities[cities["country_iso3"] == "THA"], "en")
    assert thai["city"].tolist() == ["Phitsanulok"]
    assert content.success_stories(stories, cities[cities["program_year"] == 2], "en").empty


def test_exchange_table_reads_direction_and_date(layers):
    table = content.exchange_table(layers["knowledge_sharing"][1], "en").set_index("feature_id")
    assert table.loc["ks_compost_kuching_nonthaburi", "exchange"] == "Kuching ↔ Nonthaburi"
    assert table.loc["ks_waste_puerto_princesa_palo", "exchange"] == "Puerto Princesa → Palo"
    assert table.loc["ks_water_penang_yangon", "date"] == "Dec 2011"
    ja = content.exchange_table(layers["knowledge_sharing"][1], "ja").set_index("feature_id")
    assert ja.loc["ks_water_penang_yangon", "date"] == "2011年12月"
    assert ja.loc["ks_wastebank_malang_surabaya", "shared"] == "「ごみ銀行」について共有"


def test_unplaced_names(cities, layers):
    # Every model city is placed now (ノンテン at Nong Teng, Buriram); two LoCARNet events name no place.
    assert details.unplaced_names(cities, "model_cities", "en") == []
    events = layers["locarnet_events"][1]
    unplaced = events[events["geocode_precision"] == "unresolved"]
    assert len(details.unplaced_names(events, "locarnet_events", "en")) == len(unplaced) == 2


def test_a_feature_chosen_in_the_url_opens_its_card_under_the_map_and_a_filtered_out_one_does_not():
    at = run("pages/model_cities.py", lang="en", sel="knowledge_sharing:ks_compost_kuching_nonthaburi")
    headings = [h.value for h in at.markdown if h.value.startswith("### ")]
    assert "### Kuching ↔ Nonthaburi" in headings or "### Kuching → Nonthaburi" in headings, headings[-3:]
    # Filtered on Viet Nam, the Malaysian–Thai exchange is not on the map: no card for it.
    at = run("pages/model_cities.py", lang="en", country="VNM", sel="knowledge_sharing:ks_compost_kuching_nonthaburi")
    assert not any("Kuching" in h.value for h in at.markdown if h.value.startswith("### "))
