"""Overview page: its headline metrics follow the filter in the URL.

Also dashboard.content.overview, the metrics behind it, on the real tables.
"""

import pytest
from apptest_helpers import JAPANESE
from apptest_helpers import run_page as run
from streamlit.testing.v1 import AppTest

from dashboard.content import overview as content
from dashboard.filters import Filter
from dashboard.io import load_layers


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# -- the page ---------------------------------------------------------------------------------
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


# -- dashboard.content.overview ---------------------------------------------------------------
@pytest.fixture(scope="module")
def frames(layers):
    return {lid: frame for lid, (_, frame) in layers.items()}


def test_headline_metrics_count_from_the_tables(frames):
    got = {m.key: m.value for m in content.headline_metrics(frames, "ja")}
    assert got == {
        "cities_y1": "14",
        "cities_y2": "21",
        "participants": "890",
        "partners": "12",
        "fs": "19",
        "projects": "8",
        "reductions": "157,540",
    }
    labels = [m.label for m in content.headline_metrics(frames, "ja")]
    assert all(JAPANESE.search(label) for label in labels)


def test_headline_metrics_with_a_filter(frames):
    layers = load_layers()
    f = Filter.from_mapping({"country": ["VNM"]})
    filtered = {lid: f.apply(table, frame) for lid, (table, frame) in layers.items()}
    got = {m.key: m.value for m in content.headline_metrics(filtered, "en")}
    assert got["participants"] == "200" and got["partners"] == "1" and got["reductions"] == "3,665"


def test_headline_metrics_when_no_seminar_passes_the_filter():
    layers = load_layers()
    f = Filter.from_mapping({"country": ["PHL"]})
    filtered = {lid: f.apply(table, frame) for lid, (table, frame) in layers.items()}
    got = {m.key: m for m in content.headline_metrics(filtered, "en")}
    assert got["participants"].label == "Seminar participants" and got["participants"].value == "0"
    assert got["cities_y1"].value == "2" and got["cities_y2"].value == "3"
