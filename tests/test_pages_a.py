"""Overview, JCM and seminars pages: they render in both languages and follow the filter in the URL.

Also the pure helpers behind them (dashboard.content), on the real tables.
"""

import json
import re

import pytest
from apptest_helpers import ignored, shown
from apptest_helpers import run_page as run
from streamlit.testing.v1 import AppTest

from dashboard.content import jcm as jcm_content
from dashboard.content import overview as overview_content
from dashboard.content import seminars as seminars_content
from dashboard.filters import Filter
from dashboard.io import load_layers, load_table

PAGES = ("pages/overview.py", "pages/jcm.py", "pages/seminars.py")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def figures(at: AppTest) -> dict[str, dict]:
    """chart_id → plotly figure JSON of every chart on the page."""
    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out[spec["layout"]["meta"]["chart_id"]] = spec
    return out


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# -- smoke: every page, both languages ----------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(page, lang):
    at = run(page, lang)
    assert at.title and at.title[0].value
    if lang == "ja":
        assert JAPANESE.search(at.title[0].value) or at.title[0].value == "JCM"
        for fig in figures(at).values():
            assert JAPANESE.search(fig["layout"]["title"]["text"])


def test_pages_hold_the_expected_charts_and_tables():
    assert set(figures(run("pages/jcm.py"))) == {
        "jcm_partners_timeline",
        "fs_studies_per_country",
        "model_project_reductions",
    }
    at = run("pages/seminars.py")
    assert set(figures(at)) == {"seminars_over_time", "locarnet_timeline"}
    assert len(at.dataframe[0].value) == 6 and len(at.dataframe[1].value) == 8


# -- the filter in the URL narrows what the pages show ---------------------------------------------
def test_overview_metrics_follow_the_country_filter():
    all_ = metrics(run("pages/overview.py"))
    assert all_["Model cities, year 1"] == "14" and all_["Model cities, year 2"] == "21"
    assert all_["Seminar participants, 2010–2014"] == "890"
    assert all_["JCM partner countries"] == "12" and all_["JCM feasibility studies"] == "19"
    assert all_["Expected reductions (tCO2/year)"] == "157,540"
    idn = metrics(run("pages/overview.py", country="IDN"))
    assert idn["Model cities, year 1"] == "2" and idn["Model cities, year 2"] == "4"
    assert idn["Seminar participants, 2010–2014"] == "320"  # Jakarta 140 + Surabaya 180
    assert idn["JCM partner countries"] == "1" and idn["JCM feasibility studies"] == "4"


def test_seminars_page_follows_the_country_filter():
    at = run("pages/seminars.py", country="IDN")
    figs = figures(at)
    participants = figs["seminars_over_time"]["data"][0]
    assert participants["y"] == [140, 180]
    assert [x.split("<br>")[0] for x in participants["x"]] == ["No. 1", "No. 5"]
    seminars_table, events_table = at.dataframe[0].value, at.dataframe[1].value
    assert list(seminars_table["Venue"]) == ["Jakarta", "Surabaya"]
    events = load_table("locarnet_events")
    assert len(events_table) == int((events["country_iso3"] == "IDN").sum()) == 2
    dots = [tr for tr in figs["locarnet_timeline"]["data"] if tr.get("name") == "events"][0]
    assert len(dots["x"]) == 2 and "171" in dots["text"]


def test_jcm_page_follows_the_country_filter():
    at = run("pages/jcm.py", country="IDN")
    figs = figures(at)
    dots = [tr for tr in figs["jcm_partners_timeline"]["data"] if tr.get("mode") == "markers+text"]
    assert [y for tr in dots for y in tr["y"]] == ["Indonesia"]
    assert figs["fs_studies_per_country"]["data"][0]["y"] == ["Indonesia"]
    assert figs["fs_studies_per_country"]["data"][0]["x"] == [4]
    assert len(figs["model_project_reductions"]["data"][0]["x"]) == 5
    fs_table, projects_table = at.dataframe[0].value, at.dataframe[1].value
    assert list(fs_table["No."]) == [2, 3, 4, 5] and len(projects_table) == 5
    # The first registered project is in Indonesia, so it is still shown.
    assert not at.info


def test_jcm_page_says_when_the_first_project_is_filtered_out():
    at = run("pages/jcm.py", "ja", country="VNM")
    assert at.info and "第1号登録案件" in at.info[0].value
    figs = figures(at)
    assert len(figs["model_project_reductions"]["data"][0]["x"]) == 2  # Hitachi Zosen, Nippon Express


def test_a_bad_country_in_the_url_falls_back_with_a_notice():
    at = run("pages/seminars.py", country="XXX")
    assert at.warning and ignored("country", "XXX") in shown(at.warning[0].value)
    assert len(at.dataframe[0].value) == 6


# -- pure helpers ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def frames():
    return {lid: frame for lid, (_, frame) in load_layers().items()}


def test_headline_metrics_count_from_the_tables(frames):
    got = {m.key: m.value for m in overview_content.headline_metrics(frames, "ja")}
    assert got == {
        "cities_y1": "14",
        "cities_y2": "21",
        "participants": "890",
        "partners": "12",
        "fs": "19",
        "projects": "8",
        "reductions": "157,540",
    }
    labels = [m.label for m in overview_content.headline_metrics(frames, "ja")]
    assert all(JAPANESE.search(label) for label in labels)


def test_headline_metrics_with_a_filter(frames):
    layers = load_layers()
    f = Filter.from_mapping({"country": ["VNM"]})
    filtered = {lid: f.apply(table, frame) for lid, (table, frame) in layers.items()}
    got = {m.key: m.value for m in overview_content.headline_metrics(filtered, "en")}
    assert got["participants"] == "200" and got["partners"] == "1" and got["reductions"] == "3,665"


def test_seminar_table_shows_planned_without_figures():
    table = seminars_content.seminar_table(load_table("esc_seminars"), "en")
    assert list(table["Participants"]) == ["140", "140", "230", "200", "180", "–"]
    assert list(table["Status"])[-1] == "Planned"


def test_outcomes_follow_the_seminars():
    seminars, outcomes = load_table("esc_seminars"), load_table("seminar_outcomes")
    got = seminars_content.seminar_outcomes(outcomes, seminars[seminars["seminar_no"].isin([1, 3])], "ja")
    assert [h for h, _ in got] == ["第1回（ジャカルタ、2010年3月）", "第3回（シェムリアップ、2012年3月）"]
    assert len(got[0][1]) == 2


def test_fs_table_one_row_per_study_with_all_sites():
    table = jcm_content.fs_study_table(load_table("fs_studies"), "en")
    assert len(table) == 19
    row9 = table[table["No."] == 9].iloc[0]
    assert row9["Countries"] == "Thailand; Malaysia" and row9["Sites"] == "Bangkok; Iskandar region"


def test_scheme_cards_and_committees():
    cards = jcm_content.scheme_cards(load_table("jcm_financing_schemes"), "ja")
    assert len(cards) == 3 and cards[2]["fields"][-1] == ("期間", "2013年度～2020年度")
    lines = jcm_content.joint_committees(load_table("jcm_partners"), "en")
    assert lines[0].startswith("Held (9): Mongolia") and lines[1] == "Not yet held (3): Costa Rica, Cambodia, Mexico"


def test_partner_bounds_include_the_americas():
    partners = load_layers()["jcm_partners"][1]
    (south, west), (north, east) = jcm_content.partner_bounds(partners)
    assert west < -100 and east > 130  # Mexico and Palau both on screen
    assert jcm_content.partner_bounds(partners.iloc[0:0]) is None


def test_headline_metrics_when_no_seminar_passes_the_filter():
    layers = load_layers()
    f = Filter.from_mapping({"country": ["PHL"]})
    filtered = {lid: f.apply(table, frame) for lid, (table, frame) in layers.items()}
    got = {m.key: m for m in overview_content.headline_metrics(filtered, "en")}
    assert got["participants"].label == "Seminar participants" and got["participants"].value == "0"
    assert got["cities_y1"].value == "2" and got["cities_y2"].value == "3"
