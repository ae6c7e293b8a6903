"""dashboard.counts: each count is the table's rows, and every screen that shows it agrees.

Expected numbers are read here straight from the CSV files and GeoJSON in data/
with the standard library, not through dashboard.io or dashboard.counts, so a
wrong definition (a missed filter, a row counted twice) fails a test.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from dashboard import counts
from dashboard.charts.jcm import model_project_reductions
from dashboard.content.overview import headline_metrics
from dashboard.i18n import t
from dashboard.io import load_layers, load_table
from dashboard.maps.builder import legend_counts
from dashboard.maps.layers import MapView
from dashboard.present import steps

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def csv_rows(table_id: str) -> tuple[dict, ...]:
    with open(DATA / "tables" / f"{table_id}.csv", newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@cache
def placed_ids(layer_id: str) -> frozenset[str]:
    features = json.loads((DATA / "geo" / f"{layer_id}.geojson").read_text(encoding="utf-8"))["features"]
    return frozenset(f["properties"]["feature_id"] for f in features if f.get("geometry"))


def cities_listed(year: int) -> list[dict]:
    return [r for r in csv_rows("model_cities") if r["program_year"] == str(year)]


def projects_listed(registered: bool) -> list[dict]:
    return [r for r in csv_rows("jcm_model_projects") if r["first_registered"] == ("true" if registered else "false")]


@pytest.fixture(scope="module")
def frames():
    return {lid: frame for lid, (_, frame) in load_layers().items()}


# -- the definitions ------------------------------------------------------------------------------
@pytest.mark.parametrize("year", [1, 2])
def test_model_city_count_is_the_rows_of_that_year(frames, year):
    expected = cities_listed(year)
    assert expected  # a year with no rows would make the checks below vacuous
    c = counts.count(counts.model_city_rows(frames["model_cities"], year), "model_cities", "en")
    assert c.listed == len(expected)
    assert c.placed == len([r for r in expected if r["feature_id"] in placed_ids("model_cities")])
    # One row is one city: a city listed twice in a year would be counted twice.
    assert len({r["city_id"] for r in expected}) == len(expected)


def test_model_projects_and_the_registered_project_are_counted_apart():
    projects = load_table("jcm_model_projects")
    model, registered = projects_listed(False), projects_listed(True)
    assert len(model) + len(registered) == len(csv_rows("jcm_model_projects"))  # no third kind of row
    assert len(counts.model_project_rows(projects)) == len(model) > 0
    assert list(counts.registered_project_rows(projects)["feature_id"]) == [r["feature_id"] for r in registered]
    yearly = [r for r in csv_rows("jcm_model_projects") if r["expected_reduction_tco2_per_year"]]
    assert len(counts.yearly_reduction_rows(projects)) == len(yearly)


# -- what the screens say where two numbers differ ---------------------------------------------
def unplaced_cities(frames, feature_id: str) -> gpd.GeoDataFrame:
    cities = frames["model_cities"].copy()
    cities.loc[cities["feature_id"] == feature_id, "geometry"] = None
    return cities


def test_a_city_without_a_place_is_said_on_the_headline_and_in_the_legend(frames):
    cities = unplaced_cities(frames, "nongteng_y2")
    listed = len(cities_listed(2))
    view = MapView(frames={"model_cities": cities}, visible=("model_cities_y2",))
    assert legend_counts(view, "en") == {"model_cities_y2": f"{listed - 1} of {listed} listed; 1 without a known place"}
    assert legend_counts(view, "ja") == {"model_cities_y2": f"一覧{listed}件のうち{listed - 1}件、場所不明1件"}
    metric = {m.key: m for m in headline_metrics({**frames, "model_cities": cities}, "en")}["cities_y2"]
    assert metric.value == str(listed)
    assert metric.note == f"{listed} listed, {listed - 1} on the map (no known place: Nong Teng)."
    ja = {m.key: m for m in headline_metrics({**frames, "model_cities": cities}, "ja")}["cities_y2"]
    assert "ノンテン" in ja.note and "地図に" in ja.note


def test_where_every_city_is_placed_nothing_is_added(frames):
    metric = {m.key: m for m in headline_metrics(frames, "en")}["cities_y2"]
    assert metric.note == ""  # the real tables place every city
    assert f"All {len(cities_listed(2))} are on the map." in metric.help


def test_placement_note_without_geometry_says_nothing():
    rows = load_table("model_cities")  # a plain table: where its rows lie is not known here
    assert counts.count(rows, "model_cities", "en").placed is None
    assert counts.placement_note(counts.count(rows, "model_cities", "en"), "en") == ""


def test_count_names_what_it_cannot_place():
    rows = gpd.GeoDataFrame(
        {"name_en": ["Here", "Nowhere"], "name_ja": ["ここ", "どこか"], "geometry": [Point(1, 1), None]}, crs=4326
    )
    assert counts.count(rows, "model_cities", "ja") == counts.Count(2, 1, ("どこか",))
    assert (
        counts.placement_note(counts.count(rows, "model_cities", "ja"), "ja")
        == "一覧に2件、地図に1件（場所不明：どこか）。"
    )


def test_registered_note_is_only_there_with_the_registered_project():
    projects = load_table("jcm_model_projects")
    n_model, n_all = len(projects_listed(False)), len(csv_rows("jcm_model_projects"))
    note = counts.registered_note(projects, "en")
    assert note.startswith(f"{n_model} model projects;") and note.endswith(f"{n_all} in all.")
    assert "Batang" in note
    assert counts.registered_note(counts.model_project_rows(projects), "en") == ""


# -- headline, legend, chart and slide agree ---------------------------------------------------
def test_headline_legend_chart_and_slide_agree_on_model_projects(frames):
    n_model = len(projects_listed(False))
    yearly_model = [r for r in projects_listed(False) if r["expected_reduction_tco2_per_year"]]
    headline = {m.key: m for m in headline_metrics(frames, "en")}
    assert headline["projects"].value == str(n_model)
    assert headline["projects"].note == counts.registered_note(frames["jcm_model_projects"], "en") != ""
    legend = legend_counts(MapView(frames=frames), "en")["jcm_model_projects"]
    assert legend == f"{n_model} + the first registered project"
    chart = model_project_reductions(frames["jcm_model_projects"], "en")
    assert len(chart.data[0].x) == len(yearly_model)
    assert any(f"{len(yearly_model)} projects" in a.text for a in chart.layout.annotations)
    slide = steps.texts(steps.STEPS[steps.STEP_IDS.index("model_projects")], load_table, "en")
    assert slide["figure_label"] == f"tCO₂ a year expected from {n_model} model projects"
    assert re.search(rf"\b{n_model} model projects", headline["reductions"].help)


@pytest.mark.parametrize("year", [1, 2])
def test_headline_legend_chart_and_slide_agree_on_model_cities(frames, year):
    n = len(cities_listed(year))
    assert {m.key: m.value for m in headline_metrics(frames, "en")}[f"cities_y{year}"] == str(n)
    assert legend_counts(MapView(frames=frames), "en")[f"model_cities_y{year}"] == str(n)
    from dashboard.charts.model_cities import model_cities_by_country

    fig = model_cities_by_country(frames["model_cities"], "en")
    assert sum(fig.data[year - 1].x) == n  # one row per country, the count along x
    slide = steps.STEPS[steps.STEP_IDS.index(f"cities_y{year}")]
    assert steps.texts(slide, load_table, "en")["figure"] == str(n)


def test_the_registered_projects_own_map_names_it_instead_of_counting_zero_model_projects():
    projects = load_layers()["jcm_model_projects"][1]
    alone = counts.registered_project_rows(projects)
    assert len(alone) == len(projects_listed(True)) == 1
    assert counts.legend_count("jcm_model_projects", alone, "en") == "the first registered project"
    assert counts.legend_count("jcm_model_projects", alone, "ja") == "第1号登録案件"
    step = steps.STEPS[steps.STEP_IDS.index("first_project")]
    assert step.map.where == (("jcm_model_projects", "first_registered", True),)  # the slide's map is that one row


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_studies_and_their_sites_are_told_apart_on_the_headline_and_in_the_legend(frames, lang):
    rows = csv_rows("fs_studies")
    studies, sites = len({r["study_no"] for r in rows}), len(rows)
    assert studies < sites  # the brochure lists several studies with more than one site
    headline = {m.key: m for m in headline_metrics(frames, lang)}["fs"]
    assert headline.value == str(studies)
    assert str(studies) in headline.note and str(sites) in headline.note
    placed = len([r for r in rows if r["feature_id"] in placed_ids("fs_studies")])
    legend = legend_counts(MapView(frames=frames), lang)["fs_studies"]
    assert legend.startswith(t("counts.legend_fs", lang, studies=studies, sites=placed))
