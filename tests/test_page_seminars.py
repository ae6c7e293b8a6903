"""Seminars page: its charts and tables, how they follow the filter in the URL, and the notice for a bad one.

Also dashboard.content.seminars, the tables behind it, on the real tables.
"""

from apptest_helpers import figures, ignored, shown
from apptest_helpers import run_page as run

from dashboard.content import seminars as content
from dashboard.io import load_table


# -- the page ---------------------------------------------------------------------------------
def test_pages_hold_the_expected_charts_and_tables():
    at = run("pages/seminars.py")
    assert set(figures(at)) == {"seminars_over_time", "locarnet_timeline"}
    assert len(at.dataframe[0].value) == 6 and len(at.dataframe[1].value) == 8


def test_both_charts_have_their_figures_as_a_table():
    at = run("pages/seminars.py", "ja")
    tables = [exp.table[0].value for exp in at.expander if exp.label == "グラフの数値（表）"]
    assert len(tables) == 2
    seminars, events = tables
    assert list(seminars["参加者数（人）"][:5]) == ["140", "140", "230", "200", "180"]
    assert len(events) == 8 and "171" in list(events["参加者数"])


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


def test_a_bad_country_in_the_url_falls_back_with_a_notice():
    at = run("pages/seminars.py", country="XXX")
    assert at.warning and ignored("country", "XXX") in shown(at.warning[0].value)
    assert len(at.dataframe[0].value) == 6


# -- dashboard.content.seminars ---------------------------------------------------------------
def test_seminar_table_shows_planned_without_figures():
    table = content.seminar_table(load_table("esc_seminars"), "en")
    assert list(table["Participants"]) == ["140", "140", "230", "200", "180", "–"]
    assert list(table["Status"])[-1] == "Planned"


def test_outcomes_follow_the_seminars():
    seminars, outcomes = load_table("esc_seminars"), load_table("seminar_outcomes")
    got = content.seminar_outcomes(outcomes, seminars[seminars["seminar_no"].isin([1, 3])], "ja")
    assert [h for h, _ in got] == ["第1回（ジャカルタ、2010年3月）", "第3回（シェムリアップ、2012年3月）"]
    assert len(got[0][1]) == 2
