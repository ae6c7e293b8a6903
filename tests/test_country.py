"""Country profiles: the figures (counted again here from the CSVs), the page for every country in both languages,
its chooser bound to the URL, links that keep the country, and the details panel's way in.
"""

import csv
import re

import pytest
from apptest_helpers import JAPANESE, ROOT, run_page, shown

from dashboard.content import country as content
from dashboard.i18n import country_name, t
from dashboard.io import load_table

TABLES = ROOT / "data" / "tables"


def _csv(name: str) -> list[dict]:
    with open(TABLES / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def frames(layers):
    return {layer_id: frame for layer_id, (_, frame) in layers.items()}


@pytest.fixture(scope="module")
def places():
    return load_table("places")


@pytest.fixture(scope="module")
def everything(frames, places):
    stories = {row["city_id"]: row for _, row in load_table("success_stories").iterrows()}
    return frames, places, stories, load_table("brochure_facts")


def _held_from_csv() -> set[str]:
    """The countries the tables name, read straight from the CSVs (the code under test is not used)."""
    place_country = {r["place_id"]: r["country_iso3"] for r in _csv("places")}
    found = set()
    for name in ("model_cities", "jcm_partners", "fs_studies", "jcm_model_projects", "esc_seminars", "locarnet_events"):
        found |= {r["country_iso3"] for r in _csv(name)}
    found |= {r["partner_country_iso3"] for r in _csv("city_partnerships")}
    found |= {place_country[r["jp_place_id"]] for r in _csv("city_partnerships")}
    for r in _csv("knowledge_sharing"):
        found |= {r["from_country_iso3"], r["to_country_iso3"]}
    return found - {""}


def test_the_atlas_holds_every_partner_and_every_programme_country(frames, places):
    held = content.countries_held(frames, places)
    assert set(held) == _held_from_csv()
    assert {r["country_iso3"] for r in _csv("jcm_partners")} <= set(held)
    assert len({r["country_iso3"] for r in _csv("jcm_partners")}) == 31
    assert "JPN" in held  # the Japanese municipalities and the Kitakyushu seminar
    assert content.country_choices(frames, places, "en")[0] == "AZE"  # Azerbaijan, by name
    assert content.country_choices(frames, places, "ja") != content.country_choices(frames, places, "en")


def test_indonesia_figures_as_the_brochure_gives_them(frames, places):
    got = content.country_figures(frames, places, "IDN")
    assert got["model_cities_y1"] == 2 and got["model_cities_y2"] == 4
    assert got["fs_studies"] == 4 and got["fs_sites"] == 5  # study 2 has two sites: Jakarta and Bali
    assert got["model_projects"] == 5 and got["model_project_years"] == ("2014",)
    assert got["reduction_tco2_per_year"] == 122000 + 28128 + 2786 + 857 + 104
    assert got["first_registered"] == 1
    assert got["city_partners"] == 2  # Kitakyushu–Surabaya, Kawasaki–Bandung
    assert got["jcm_signed_on"] == "2013-08-26"
    assert got["seminars_hosted"] == 2  # Jakarta 2010, Surabaya 2014


def test_viet_nam_figures(frames, places):
    got = content.country_figures(frames, places, "VNM")
    assert (got["model_cities_y1"], got["model_cities_y2"]) == (2, 2)
    assert (got["fs_studies"], got["fs_sites"], got["model_projects"], got["city_partners"]) == (3, 4, 2, 3)
    assert got["reduction_tco2_per_year"] == 3355 + 310
    assert got["seminars_hosted"] == 1 and got["jcm_signed_on"] == "2013-07-02"


@pytest.mark.parametrize("iso3", sorted(_held_from_csv()))
def test_figures_match_the_csvs(frames, places, iso3):
    got = content.country_figures(frames, places, iso3)
    cities = [r for r in _csv("model_cities") if r["country_iso3"] == iso3]
    fs = [r for r in _csv("fs_studies") if r["country_iso3"] == iso3]
    model = [r for r in _csv("jcm_model_projects") if r["country_iso3"] == iso3 and r["fiscal_year"]]
    assert got["model_cities_y1"] == sum(r["program_year"] == "1" for r in cities)
    assert got["model_cities_y2"] == sum(r["program_year"] == "2" for r in cities)
    assert got["fs_sites"] == len(fs) and got["fs_studies"] == len({r["study_no"] for r in fs})
    assert got["model_projects"] == len(model)
    assert got["reduction_tco2_per_year"] == sum(int(r["expected_reduction_tco2_per_year"]) for r in model)
    assert got["seminars_hosted"] == sum(r["country_iso3"] == iso3 for r in _csv("esc_seminars"))
    partner = [r for r in _csv("jcm_partners") if r["country_iso3"] == iso3]
    assert got["jcm_signed_on"] == (partner[0]["signed_on"] if partner else "")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_country_has_a_profile_with_its_sources(everything, lang):
    frames, places, stories, facts = everything
    for iso3 in content.countries_held(frames, places):
        shown_ = content.profile(frames, places, stories, facts, iso3, lang)
        assert shown_.name == country_name(iso3, lang)
        assert shown_.sections and shown_.figures, iso3
        for section in shown_.sections:
            assert section.headline and section.items, (iso3, section.id)
            for item in section.items:
                assert item.text and item.sources, (iso3, item.feature_id)
        if lang == "ja":
            # The profile's own words are Japanese; the names in the data may be English where it has no Japanese.
            for text in [s.heading for s in shown_.sections] + [label for label, _ in shown_.figures]:
                assert JAPANESE.search(text) or text in {"JCM"}, (iso3, text)


def test_a_later_partner_opens_the_latest_record(everything):
    frames, places, stories, facts = everything
    senegal = content.profile(frames, places, stories, facts, "SEN", "en")
    assert senegal.later_partner
    assert [s.id for s in senegal.sections] == ["jcm"]
    assert "after the brochure" in senegal.sections[0].headline
    assert senegal.sections[0].items[0].sources[0].startswith("https://")
    indonesia = content.profile(frames, places, stories, facts, "IDN", "en")
    assert not indonesia.later_partner
    assert "joint committee had met" in indonesia.sections[[s.id for s in indonesia.sections].index("jcm")].headline


def test_malaysia_says_its_year_2_city_was_undecided(everything):
    frames, places, stories, facts = everything
    malaysia = content.profile(frames, places, stories, facts, "MYS", "en")
    cities = next(s for s in malaysia.sections if s.id == "model_cities")
    assert "Year 1: 1 (Kuching North)" in cities.headline
    assert "undecided" in cities.headline and "Year 2" not in cities.headline


def test_japan_lists_its_municipalities_partnerships(everything):
    frames, places, stories, facts = everything
    japan = content.profile(frames, places, stories, facts, "JPN", "en")
    c2c = next(s for s in japan.sections if s.id == "city_partnerships")
    assert len(c2c.items) == 9 and c2c.headline.endswith(": 9")
    assert [s.id for s in japan.sections if s.id == "esc_seminars"]


# -- the page ---------------------------------------------------------------------------------
COUNTRIES = sorted(_held_from_csv())


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_page_of_every_country(iso3, lang):
    at = run_page("pages/country.py", lang, country=iso3)
    assert at.title[0].value == t("nav.country", lang)
    assert at.header[0].value == country_name(iso3, lang)
    assert at.metric, iso3
    assert at.get("download_button") or any(
        "not available" in c.value or "作成できません" in c.value for c in at.caption
    )
    links = [p.proto.page for p in at.get("page_link")]
    assert "map_explorer" in links
    if lang == "ja":
        for m in at.metric:
            assert JAPANESE.search(m.label) or m.label.startswith("JCM"), m.label


def test_no_country_chosen_offers_the_chooser():
    at = run_page("pages/country.py", "en")
    assert at.selectbox(key="country_choice_en").value is None
    assert any("Choose a country" in i.value for i in at.info)
    assert not at.metric


def test_choosing_a_country_writes_the_url():
    at = run_page("pages/country.py", "en")
    at.selectbox(key="country_choice_en").set_value("VNM").run()
    assert not at.exception
    country = at.query_params["country"]
    assert (country if isinstance(country, str) else country[0]) == "VNM"
    assert at.header[0].value == "Viet Nam"


def test_several_countries_show_the_first_and_keep_the_rest():
    at = run_page("pages/country.py", "en", country="VNM,IDN")
    assert at.header[0].value == "Indonesia"  # the first in the chooser's order
    assert any("Also named: Viet Nam" in shown(c.value) for c in at.caption)
    country = at.query_params["country"]
    assert (country if isinstance(country, str) else country[0]) == "VNM,IDN"  # kept for the other pages


def test_an_unknown_country_is_a_notice_not_markup():
    at = run_page("pages/country.py", "en", country="<img src=x onerror=alert(1)>")
    warning = shown(at.warning[0].value)
    assert "ignored" in warning and "<img" not in at.warning[0].value
    assert at.selectbox(key="country_choice_en").value is None


def _link_query(at, page: str) -> dict:
    from urllib.parse import parse_qsl

    for link in at.get("page_link"):
        if link.proto.page == page:
            return dict(parse_qsl(link.proto.query_string)) if link.proto.query_string else {}
    raise AssertionError(f"no link to {page}")


def test_links_keep_the_country_and_open_a_later_partner_in_the_latest_record():
    at = run_page("pages/country.py", "ja", country="SEN")
    query = _link_query(at, "jcm")
    assert query["country"] == "SEN" and query["as_of"] == "latest" and query["lang"] == "ja"
    at = run_page("pages/country.py", "en", country="IDN")
    query = _link_query(at, "model_cities")
    assert query["country"] == "IDN" and "as_of" not in query


def test_the_details_panel_links_to_the_country_page():
    # A JCM model project chosen on the JCM page's map: its card links to Indonesia's page.
    at = run_page("pages/map_explorer.py", "en", sel="jcm_model_projects:mp2014_01")
    query = _link_query(at, "country")
    assert query["country"] == "IDN"
    labels = [shown(p.proto.label) for p in at.get("page_link") if p.proto.page == "country"]
    assert "Country profile: Indonesia" in labels


def test_a_line_links_to_both_of_its_countries():
    at = run_page("pages/map_explorer.py", "en", sel="city_partnerships:c2c_yokohama_bangkok")
    labels = [shown(p.proto.label) for p in at.get("page_link") if p.proto.page == "country"]
    assert labels == ["Country profile: Thailand", "Country profile: Japan"]


def test_country_names_on_the_page_are_text(everything):
    # Data text reaches the page escaped: no item line is read as Markdown.
    at = run_page("pages/country.py", "en", country="IDN")
    for e in at.expander:
        assert not re.search(r"(?<!\\)[*_`\[]", e.label.replace("\\\\", "")), e.label


def test_clearing_the_chooser_clears_the_country():
    at = run_page("pages/country.py", "en", country="IDN")
    at.selectbox(key="country_choice_en").set_value(None).run()
    assert not at.exception
    assert "country" not in at.query_params
    assert not at.metric and any("Choose a country" in i.value for i in at.info)


def test_a_lowercase_code_opens_the_country():
    at = run_page("pages/country.py", "ja", country="idn")
    assert at.header[0].value == "インドネシア" and not at.warning


def test_japan_is_the_supporting_side_and_its_map_has_its_partnerships():
    at = run_page("pages/country.py", "en", country="JPN")
    assert any("supporting side" in c.value for c in at.caption)
    assert not any("JCM partnership is from" in c.value for c in at.caption)  # Japan has no partnership
    (component,) = [n for n in at.main if "map_div" in (getattr(getattr(n, "proto", None), "json_args", "") or "")]
    script = component.proto.json_args
    assert script.count("c2c_") >= 9  # the nine city-to-city lines, each by its feature id
