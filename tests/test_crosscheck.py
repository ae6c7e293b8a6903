"""The cross-check of exact points against a second gazetteer and the stated province."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import basemap, crosscheck
from dashboard.build import WORLD_ATLAS
from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.geocode import default_gazetteer, resolve_places
from dashboard.text_files import read_raw


@pytest.fixture(scope="module")
def data():
    tables = load_catalog()
    raws = {t: read_raw(TABLES_DIR / f"{t}.csv") for t in tables}
    countries = basemap.read_world_atlas(WORLD_ATLAS)
    return tables, raws, countries


def _resolve(raws, countries, places=None):
    resolved, issues = resolve_places(places if places is not None else raws["places"], default_gazetteer(), countries)
    assert issues == []
    return resolved


def test_committed_places_pass_the_crosscheck(data):
    tables, raws, countries = data
    assert crosscheck.crosscheck_issues(tables, raws, _resolve(raws, countries), default_gazetteer()) == []


def test_batang_is_the_town_not_the_record_on_the_jepara_coast(data):
    tables, raws, countries = data
    point = _resolve(raws, countries).set_index("place_id").loc["batang"]
    assert point["geonameid"] == 11009767
    assert abs(point.geometry.x - 109.73) < 0.01 and abs(point.geometry.y + 6.91) < 0.01


def test_the_old_batang_point_fails_until_a_reason_settles_it(data):
    tables, raws, countries = data
    places = raws["places"].copy()
    places.loc[places["place_id"] == "batang", "geonameid"] = "1649881"
    issues = crosscheck.crosscheck_issues(
        tables, {**raws, "places": places}, _resolve(raws, countries, places), default_gazetteer()
    )
    rules = {(i.rule, i.message.split(":")[0]) for i in issues}
    assert ("crosscheck.competing_record", "batang") in rules
    # The overrides written for the right point no longer apply, and say so.
    assert any(i.rule == "crosscheck.stale" and "batang" in i.message for i in issues)


def test_a_disagreement_needs_a_matching_override():
    found = [crosscheck.Finding("x", "admin1", "Elsewhere", "lies elsewhere")]
    none = pd.DataFrame(columns=["place_id", "check", "found", "reason"])
    assert [i.rule for i in crosscheck.check_crosscheck(found, none)] == ["crosscheck.admin1"]
    settled = pd.DataFrame([{"place_id": "x", "check": "admin1", "found": "Elsewhere", "reason": "r"}])
    assert crosscheck.check_crosscheck(found, settled) == []
    other = settled.assign(found="Somewhere else")
    assert sorted(i.rule for i in crosscheck.check_crosscheck(found, other)) == [
        "crosscheck.admin1",
        "crosscheck.stale",
    ]


def test_second_source_reverse_geocodes_the_stated_province():
    second = crosscheck.default_second_source()
    row, km = second.nearest(110.7083, -6.4846, "ID")
    assert row["admin1"] == "Central Java" and km < 1
    assert crosscheck.normalise("Ðà Lạt") == crosscheck.normalise("Da Lat")
