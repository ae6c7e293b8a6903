"""build: the committed derived files equal a fresh build, byte for byte."""

import filecmp

from dashboard.build import BASEMAP_PATH, build
from dashboard.catalog import GEO_DIR, layers


def test_committed_geometry_equals_a_fresh_build(tmp_path):
    result = build(geo_dir=tmp_path / "geo", basemap_path=tmp_path / "countries.geojson")
    fresh = sorted(p.name for p in (tmp_path / "geo").glob("*.geojson"))
    committed = sorted(p.name for p in GEO_DIR.glob("*.geojson"))
    assert fresh == committed
    for name in fresh:
        assert filecmp.cmp(tmp_path / "geo" / name, GEO_DIR / name, shallow=False), (
            f"data/geo/{name} is stale: run make build"
        )
    assert filecmp.cmp(tmp_path / "countries.geojson", BASEMAP_PATH, shallow=False), (
        "static/geo/countries.geojson is stale"
    )
    assert set(layers()) <= {n.removesuffix(".geojson") for n in fresh}
    assert len(result.written) == len(fresh) + 1


def test_basemap_keeps_every_jcm_partner_and_small_islands():
    import geopandas as gpd

    world = gpd.read_file(BASEMAP_PATH)
    for iso3 in ("MDV", "PLW", "WSM", "MNG", "CRI", "MEX", "ETH", "KEN", "BGD"):
        shape = world[world.iso3 == iso3].geometry
        assert len(shape) == 1 and not shape.iloc[0].is_empty and shape.iloc[0].is_valid, iso3
    assert BASEMAP_PATH.stat().st_size < 1_200_000
