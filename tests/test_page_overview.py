"""Overview page: its headline metrics follow the filter in the URL.

Also dashboard.content.overview, the metrics behind it, on the real tables.
"""

import csv
import re
from pathlib import Path

import pytest
from apptest_helpers import JAPANESE
from apptest_helpers import run_page as run
from streamlit.testing.v1 import AppTest

from dashboard.content import overview as content
from dashboard.filters import Filter
from dashboard.i18n import t
from dashboard.io import load_layers

TABLES = Path(__file__).resolve().parent.parent / "data" / "tables"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def csv_rows(table_id: str) -> list[dict]:
    with open(TABLES / f"{table_id}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def legend_counts(at: AppTest) -> dict[str, str]:
    """Layer name → what the legend under the map says in brackets."""
    strip = next(m.value for m in at.markdown if "atlas-legend strip" in m.value)
    return dict(re.findall(r"<span>([^<(]+?) \(([^)]*)\)</span>", strip))


# -- the first screen -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_first_screen_names_the_atlas_and_its_question(lang):
    at = run(None, lang)  # the app's default page
    assert at.title[0].value == t("app.title", lang)
    assert at.title[0].value != t("nav.overview", lang)
    assert at.header[0].value == t("page.overview.question", lang)
    assert at.header[0].value.endswith("?" if lang == "en" else "か。")


def test_headline_legend_and_notes_agree_on_the_page():
    """The headline counts model projects; the legend under the map and the note under the figure say the rest."""
    at = run("pages/overview.py")
    model = [r for r in csv_rows("jcm_model_projects") if r["first_registered"] == "false"]
    listed = csv_rows("jcm_model_projects")
    year2 = [r for r in csv_rows("model_cities") if r["program_year"] == "2"]
    shown = metrics(at)
    assert shown["JCM model projects"] == str(len(model)) and shown["Model cities, year 2"] == str(len(year2))
    legend = legend_counts(at)
    assert legend[t("programme.jcm_projects", "en")] == f"{len(model)} + the first registered project"
    assert legend["ESC model cities, year 2"] == str(len(year2))
    notes = [c.value for c in at.caption]
    assert any(f"{len(model)} model projects;" in n and f"{len(listed)} in all" in n for n in notes), notes


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
    """The layers in the brochure's state, as the page gets them by default."""
    return {lid: Filter().apply(table, frame) for lid, (table, frame) in layers.items()}


def test_in_the_latest_state_the_partner_figure_says_where_it_comes_from(layers):
    latest = {lid: Filter(as_of="latest").apply(table, frame) for lid, (table, frame) in layers.items()}
    [partners] = [m for m in content.headline_metrics(latest, "en") if m.key == "partners"]
    assert partners.value == "31" and "to 2025" in partners.help and "public record" in partners.help
    at = run("pages/overview.py", as_of="latest")
    assert metrics(at)["JCM partner countries"] == "31"
    assert metrics(at)["Model cities, year 1"] == "14"  # other layers have one state only


def test_headline_metrics_count_from_the_tables(frames):
    got = {m.key: m.value for m in content.headline_metrics(frames, "ja")}
    assert got == {
        "cities_y1": "14",
        "cities_y2": "21",
        "participants": "890",
        "partners": "12",
        "fs": "19",
        "projects": "7",
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
