"""Tests for dashboard.basemap: reading, simplifying and writing countries."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import yaml

from dashboard.basemap import read_world_atlas, simplify_for_web, write_geojson

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO / "data" / "sources" / "world-atlas"
WORLD_50M = SOURCE_DIR / "countries-50m.json"
# Small island states the 110m file lacks; they must survive simplification.
SMALL_ISLANDS = ["MDV", "PLW", "WSM", "NRU", "MHL", "FSM", "KIR", "TON"]


@pytest.fixture(scope="module")
def world():
    return read_world_atlas(WORLD_50M)


@pytest.fixture(scope="module")
def simplified(world):
    return simplify_for_web(world)


def _row(gdf, iso3):
    rows = gdf[gdf["iso3"] == iso3]
    assert len(rows) == 1, f"{iso3}: {len(rows)} rows"
    return rows.iloc[0]


def test_source_file_matches_source_yml():
    source = yaml.safe_load((SOURCE_DIR / "SOURCE.yml").read_text(encoding="utf-8"))
    assert source["package"] == "world-atlas"
    assert source["version"].startswith("2.")
    data = WORLD_50M.read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"]
    assert len(data) == source["bytes"]


def test_read_world_atlas_columns_and_codes(world):
    assert list(world.columns) == ["iso_n3", "iso3", "name_en", "name_ja", "geometry"]
    assert world.crs.to_epsg() == 4326
    # 241 features in the file; Ashmore and Cartier Is. merged into Australia.
    assert len(world) == 240
    codes = world["iso_n3"].dropna()
    assert codes.str.fullmatch(r"\d{3}").all()
    assert not codes.duplicated().any()
    assert not world["iso3"].dropna().duplicated().any()
    assert _row(world, "JPN")["iso_n3"] == "392"
    assert _row(world, "AUS")["name_en"] == "Australia"


def test_read_world_atlas_keeps_features_without_code(world):
    no_code = world[world["iso3"].isna()]
    assert {"Kosovo", "N. Cyprus", "Somaliland"} <= set(no_code["name_en"])
    assert no_code["iso_n3"].isna().all()
    # name_ja falls back to the English name.
    assert (no_code["name_ja"] == no_code["name_en"]).all()


@pytest.mark.parametrize(
    ("iso3", "name_en", "name_ja"),
    [
        ("JPN", "Japan", "日本"),
        ("MNG", "Mongolia", "モンゴル国"),
        ("VNM", "Vietnam", "ベトナム"),
        ("LAO", "Laos", "ラオス"),
        ("MDV", "Maldives", "モルディブ"),
        ("GEO", "Georgia", "ジョージア"),
        ("KGZ", "Kyrgyzstan", "キルギス"),
        ("KOR", "South Korea", "韓国"),
    ],
)
def test_read_world_atlas_names(world, iso3, name_en, name_ja):
    row = _row(world, iso3)
    assert (row["name_en"], row["name_ja"]) == (name_en, name_ja)


def test_read_world_atlas_geometry_is_valid_polygonal(world):
    assert world.is_valid.all()
    assert not world.is_empty.any()
    assert set(world.geom_type) == {"Polygon", "MultiPolygon"}
    # "structure" repair: Antarctica stays polygonal, not a collection.
    assert _row(world, "ATA").geometry.geom_type == "MultiPolygon"


def _overlap_area(gdf):
    geoms = gdf.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    return shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()


def test_read_world_atlas_cuts_antimeridian(world):
    # Read as planar, Russia's and Fiji's steps across 180 degrees made
    # bands round the world: Russia covered Canada and Scandinavia.
    assert _overlap_area(world) < 1e-6
    for iso3 in ("RUS", "FJI"):
        west, _, east, _ = _row(world, iso3).geometry.bounds
        assert (west, east) == (-180.0, 180.0), iso3
    assert _row(world, "RUS").geometry.area == pytest.approx(2927, rel=0.01)
    assert _row(world, "FJI").geometry.area < 2


def test_read_world_atlas_closes_antarctica_at_the_pole(world):
    antarctica = _row(world, "ATA").geometry
    assert antarctica.bounds == pytest.approx((-180.0, -90.0, 180.0, -60.52), abs=0.01)
    assert antarctica.area > 6000  # the mainland, not only its islands
    assert antarctica.contains(shapely.Point(0.0, -80.0))


def test_simplify_keeps_small_islands(world, simplified):
    for iso3 in SMALL_ISLANDS:
        before, after = _row(world, iso3).geometry, _row(simplified, iso3).geometry
        assert not after.is_empty and after.is_valid, iso3
        assert shapely.get_num_geometries(after) == shapely.get_num_geometries(before)
        assert after.area == pytest.approx(before.area, rel=0.15), iso3


def test_simplify_never_drops_a_part(world, simplified):
    before = shapely.get_num_geometries(world.geometry.values)
    after = shapely.get_num_geometries(simplified.geometry.values)
    lost = world.loc[after < before, "name_en"].tolist()
    assert lost == []
    assert simplified.is_valid.all()
    assert not simplified.is_empty.any()
    assert set(simplified.geom_type) <= {"Polygon", "MultiPolygon"}
    # Neighbours are simplified separately; their overlaps stay slivers.
    assert _overlap_area(simplified) < 2.0


def test_simplify_reduces_and_rounds(world, simplified):
    n_before = shapely.get_num_coordinates(world.geometry.values).sum()
    n_after = shapely.get_num_coordinates(simplified.geometry.values).sum()
    assert n_after < 0.7 * n_before
    coords = shapely.get_coordinates(simplified.geometry.values)
    assert np.abs(coords * 1e4 - np.round(coords * 1e4)).max() < 1e-6
    # Big countries keep their area within a couple of percent.
    for iso3 in ["CHN", "IND", "IDN", "JPN", "RUS"]:
        assert _row(simplified, iso3).geometry.area == pytest.approx(_row(world, iso3).geometry.area, rel=0.02)
    # The input is not modified.
    assert shapely.get_num_coordinates(world.geometry.values).sum() == n_before


def test_write_geojson_is_deterministic_rfc7946(simplified, tmp_path):
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    size = write_geojson(simplified, a)
    # Column order must not matter (property keys are sorted).
    write_geojson(simplified[simplified.columns[::-1]], b)
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert size == len(data)
    assert 500_000 < size < 1_200_000
    assert data.endswith(b"]}\n")
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == len(simplified)
    props = {f["properties"]["name_en"]: f["properties"] for f in doc["features"]}
    assert props["Kosovo"]["iso3"] is None
    assert props["Japan"] == {
        "iso3": "JPN",
        "iso_n3": "392",
        "name_en": "Japan",
        "name_ja": "日本",
    }
    assert "日本".encode() in data  # UTF-8, not \\u escapes


def test_write_geojson_ring_orientation_and_roundtrip(simplified, tmp_path):
    path = tmp_path / "w.geojson"
    write_geojson(simplified, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            assert shapely.LinearRing(rings[0]).is_ccw
            for hole in rings[1:]:
                assert not shapely.LinearRing(hole).is_ccw
    back = gpd.read_file(path)
    assert len(back) == len(simplified)
    assert back.is_valid.all()
    assert set(back.loc[back["iso3"].notna(), "iso3"]) >= set(SMALL_ISLANDS)


def test_write_geojson_rejects_projected_data(simplified, tmp_path):
    with pytest.raises(ValueError, match="4326"):
        write_geojson(simplified.head(2).to_crs(3857), tmp_path / "x.geojson")


def test_write_geojson_points_and_missing_values(tmp_path):
    import datetime

    gdf = gpd.GeoDataFrame(
        {
            "place": ["Ulaanbaatar", "nowhere"],
            "count": np.array([3, 4], dtype="int64"),
            "share": [0.5, float("nan")],
            "since": [datetime.date(2013, 1, 8), None],
        },
        geometry=[shapely.Point(106.9176543219, 47.9212345678), None],
        crs=4326,
    )
    path = tmp_path / "points.geojson"
    write_geojson(gdf, path)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [106.917654, 47.921235]}
    assert features[0]["properties"] == {"count": 3, "place": "Ulaanbaatar", "share": 0.5, "since": "2013-01-08"}
    assert features[1]["geometry"] is None
    assert features[1]["properties"] == {"count": 4, "place": "nowhere", "share": None, "since": None}
