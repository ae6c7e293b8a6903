"""The one filter model: apply, URL round trip, sentence, CLI parsing."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from dashboard.catalog import get_table
from dashboard.filters import Filter, FilterError, facet_options
from dashboard.io import load_layers


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def tiny():
    table = get_table("model_cities")
    gdf = gpd.GeoDataFrame(
        {
            "feature_id": ["a", "b", "c"],
            "country_iso3": ["IDN", "VNM", "IDN"],
            "program_year": [1, 2, 2],
            "theme": ["waste", "", "water"],
        },
        geometry=[Point(0, 0), Point(1, 1), Point(2, 2)],
        crs=4326,
    )
    gdf["program_year"] = gdf["program_year"].astype("Int64")
    return table, gdf


@pytest.mark.parametrize(
    "mapping,expected",
    [
        ({}, ["a", "b", "c"]),
        ({"country": ["IDN"]}, ["a", "c"]),
        ({"country": ["IDN", "VNM"]}, ["a", "b", "c"]),
        ({"program_year": [2]}, ["b", "c"]),
        ({"country": ["IDN"], "program_year": ["2"]}, ["c"]),
        ({"theme": ["waste", "water"]}, ["a", "c"]),
        ({"fiscal_year": [2014]}, ["a", "b", "c"]),  # the layer has no fiscal year: not narrowed
    ],
)
def test_apply(mapping, expected):
    table, gdf = tiny()
    assert Filter.from_mapping(mapping).apply(table, gdf)["feature_id"].tolist() == expected


def test_country_facet_uses_partner_country_for_partnerships(layers):
    table, gdf = layers["city_partnerships"]
    out = Filter.from_mapping({"country": ["VNM"]}).apply(table, gdf)
    assert set(out.partner_country_iso3) == {"VNM"} and len(out) == 3


def test_query_round_trip_and_defaults_left_out(layers):
    options = facet_options(layers)
    f = Filter.from_mapping({"program_year": [2], "country": ["VNM", "IDN"]})
    assert f.to_query() == {"country": "IDN,VNM", "program_year": "2"}
    back, notices = Filter.from_query(f.to_query(), options)
    assert back == f and notices == []
    assert Filter().to_query() == {}


def test_invalid_query_values_fall_back_with_notices(layers):
    options = facet_options(layers)
    f, notices = Filter.from_query({"country": "IDN,ZZZ", "program_year": "7", "theme": "<script>"}, options)
    assert f == Filter.from_mapping({"country": ["IDN"]})
    assert notices == [("country", "ZZZ"), ("program_year", "7"), ("theme", "<script>")]


def test_sentence_in_both_languages():
    f = Filter.from_mapping({"country": ["IDN", "VNM"], "program_year": [2]})
    assert f.sentence("en") == "Filtered: Country is Indonesia or Viet Nam; Programme year is Year 2"
    assert f.sentence("ja") == "絞り込み：国がインドネシアまたはベトナム、年次が2年目"
    assert Filter().sentence("ja").startswith("すべて")
    assert f.slug() == "country-IDN+VNM_program_year-2"


def test_from_where_errors_name_the_problem(layers):
    table, gdf = layers["fs_studies"]
    assert len(Filter.from_where(["country_iso3=MNG"], table, gdf).apply(table, gdf)) == 2
    assert len(Filter.from_where(["country=MNG", "country=PLW"], table, gdf).apply(table, gdf)) == 4
    with pytest.raises(FilterError, match="no column 'colour'"):
        Filter.from_where(["colour=red"], table, gdf)
    with pytest.raises(FilterError, match="no row of 'fs_studies' has country_iso3='FRA'"):
        Filter.from_where(["country_iso3=FRA"], table, gdf)
    with pytest.raises(FilterError, match="expected COLUMN=VALUE"):
        Filter.from_where(["country"], table, gdf)


def test_country_facet_matches_either_end_of_an_exchange(layers):
    table, gdf = layers["knowledge_sharing"]
    mmr = Filter.from_mapping({"country": ["MMR"]}).apply(table, gdf)
    # Myanmar is the from end of the study tour and the to end of the Penang water training.
    assert set(mmr.feature_id) == {"ks_study_tour_myanmar_kitakyushu", "ks_water_penang_yangon"}
    jpn = Filter.from_mapping({"country": ["JPN"]}).apply(table, gdf)
    assert "ks_compost_kuching_kitakyushu" in set(jpn.feature_id)  # Japan is the 'to' end
    assert Filter.from_mapping({"country": ["VNM"]}).apply(table, gdf).empty


# -- the state: the brochure's December 2014 or the latest record ---------------------------------
def test_the_state_narrows_only_the_partner_layer_and_defaults_to_the_brochure(layers):
    table, partners = layers["jcm_partners"]
    assert Filter().as_of == "2014-12"
    assert len(Filter().apply(table, partners)) == 12
    assert len(Filter(as_of="latest").apply(table, partners)) == 31
    later = Filter.from_mapping({"country": ["SEN"]}, "latest")
    assert Filter().applies_to(table) and later.apply(table, partners).country_iso3.tolist() == ["SEN"]
    assert later.with_as_of("2014-12").apply(table, partners).empty
    for layer_id, (t_, frame) in layers.items():
        if layer_id != "jcm_partners":
            assert not Filter().applies_to(t_) and len(Filter(as_of="latest").apply(t_, frame)) == len(frame)


def test_the_state_in_the_url_the_file_name_and_the_sentence(layers):
    options = facet_options(layers)
    f = Filter.from_mapping({"country": ["IDN"]}, "latest")
    assert f.to_query() == {"country": "IDN", "as_of": "latest"}
    assert Filter.from_query(f.to_query(), options) == (f, [])
    assert Filter.from_query({"as_of": "2014-12"}, options) == (Filter(), [])  # the default, said aloud
    assert Filter().to_query() == {} and Filter().slug() == "all"
    assert f.slug() == "country-IDN_as_of-latest"
    assert f.with_values("country", ["VNM"]).as_of == "latest"  # a facet change keeps the state
    assert "latest record" in f.sentence("en") and "最新の記録" in f.sentence("ja")
    assert "latest" in Filter(as_of="latest").sentence("en") and Filter().sentence("en") == "All features (no filter)"
    bad, notices = Filter.from_query({"as_of": "2030", "country": "IDN"}, options)
    assert bad == Filter.from_mapping({"country": ["IDN"]}) and notices == [("as_of", "2030")]
    with pytest.raises(FilterError, match="as_of"):
        Filter.from_mapping({}, "2030")


def test_where_on_in_brochure_follows_the_state(layers):
    table, partners = layers["jcm_partners"]
    later = Filter.from_where(["in_brochure=false"], table, partners, as_of="latest")
    assert len(later.apply(table, partners)) == 19
    assert Filter.from_where(["in_brochure=false"], table, partners).apply(table, partners).empty
