"""build: the committed derived files equal a fresh build, byte for byte."""

import errno
import filecmp
import functools
import os
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard import build as build_module
from dashboard.__main__ import main
from dashboard.build import build
from dashboard.catalog import BASEMAP_PATH, GEO_DIR, TABLES_DIR, layer_tables
from dashboard.validate import DataError


def test_committed_geometry_equals_a_fresh_build(tmp_path):
    result = build(geo_dir=tmp_path / "geo", basemap_path=tmp_path / "countries.geojson")
    fresh = sorted(p.name for p in (tmp_path / "geo").glob("*.geojson"))
    committed = sorted(p.name for p in GEO_DIR.glob("*.geojson"))
    assert fresh == committed
    for name in fresh:
        assert filecmp.cmp(tmp_path / "geo" / name, GEO_DIR / name, shallow=False), (
            f"data/geo/{name} is stale: run make build"
        )
    for basemap in (BASEMAP_PATH, BASEMAP_PATH.with_suffix(".topojson")):
        assert filecmp.cmp(tmp_path / basemap.name, basemap, shallow=False), (
            f"static/geo/{basemap.name} is stale: run make build"
        )
    assert set(layer_tables()) <= {n.removesuffix(".geojson") for n in fresh}
    assert len(result.written) == len(fresh) + 2


def test_browser_basemap_decodes_to_the_same_countries():
    """The TopoJSON the browser loads is the GeoJSON's countries, vertex for vertex (same grid)."""
    import json

    from dashboard.basemap import read_topojson

    geojson = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))["features"]
    topo = read_topojson(BASEMAP_PATH.with_suffix(".topojson"))
    assert len(topo) == len(geojson) > 200
    for mine, theirs in zip(topo, geojson, strict=True):
        assert mine["properties"] == theirs["properties"]
        assert mine["geometry"]["type"] == theirs["geometry"]["type"]
        assert np.allclose(_flat(mine["geometry"]["coordinates"]), _flat(theirs["geometry"]["coordinates"]), atol=1e-9)
    assert BASEMAP_PATH.with_suffix(".topojson").stat().st_size < 0.7 * BASEMAP_PATH.stat().st_size


def _flat(coords) -> list[float]:
    if isinstance(coords, (int, float)):
        return [coords]
    return [v for c in coords for v in _flat(c)]


def test_basemap_keeps_every_jcm_partner_and_small_islands():
    import geopandas as gpd

    world = gpd.read_file(BASEMAP_PATH)
    for iso3 in ("MDV", "PLW", "WSM", "MNG", "CRI", "MEX", "ETH", "KEN", "BGD"):
        shape = world[world.iso3 == iso3].geometry
        assert len(shape) == 1 and not shape.iloc[0].is_empty and shape.iloc[0].is_valid, iso3
    assert BASEMAP_PATH.stat().st_size < 1_200_000


# -- a build refuses invalid tables and never half-writes -----------------------------

PAST = 1_000_000_000_000_000_000  # 2001-09-09, in ns: any rewrite moves the mtime


@pytest.fixture
def data_copy(tmp_path):
    """The repository's tables and built geometry in a tmp folder, outputs dated in the past."""
    shutil.copytree(TABLES_DIR, tmp_path / "tables")
    shutil.copytree(GEO_DIR, tmp_path / "geo")
    shutil.copy(BASEMAP_PATH, tmp_path / "countries.geojson")
    shutil.copy(BASEMAP_PATH.with_suffix(".topojson"), tmp_path / "countries.topojson")
    for path in outputs(tmp_path):
        os.utime(path, ns=(PAST, PAST))
    return tmp_path


def outputs(folder: Path) -> list[Path]:
    return sorted((folder / "geo").iterdir()) + [folder / "countries.geojson", folder / "countries.topojson"]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in outputs(folder)}


def build_into(folder: Path):
    return functools.partial(
        build, tables_dir=folder / "tables", geo_dir=folder / "geo", basemap_path=folder / "countries.geojson"
    )


def set_cell(folder: Path, table: str, line: int, column: str, value: str) -> None:
    path = folder / "tables" / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[line - 2, column] = value
    df.to_csv(path, index=False, lineterminator="\n")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / "tables" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_field(folder: Path, table: str, line: int) -> None:
    path = folder / "tables" / f"{table}.csv"
    rows = path.read_text(encoding="utf-8").split("\n")
    rows[line - 1] += ","
    path.write_text("\n".join(rows), encoding="utf-8")


INVALID = [
    # (id, break the copy, (file, line, column, rule)). Before the build validated its
    # tables, the first two were written out as geometry and the others were tracebacks.
    (
        "iso3-in-a-layer",
        lambda d: set_cell(d, "model_cities", 2, "country_iso3", "XXX"),
        ("model_cities.csv", 2, "country_iso3", "iso3"),
    ),
    (
        "source-in-a-table-without-geometry",
        lambda d: set_cell(d, "seminar_outcomes", 3, "source_ref", "nosection"),
        ("seminar_outcomes.csv", 3, "source_ref", "source_ref"),
    ),
    (
        "extra-comma",
        lambda d: add_field(d, "model_cities", 4),
        ("model_cities.csv", 4, None, "fields"),
    ),
    (
        "sidecar-not-yaml",
        lambda d: edit(d, "places.meta.yml", "title: Places", "title: [Places"),
        ("places.meta.yml", 2, None, "sidecar"),
    ),
]


@pytest.mark.parametrize("mutate,where", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_build_refuses_invalid_tables_and_writes_nothing(data_copy, mutate, where):
    mutate(data_copy)
    before = snapshot(data_copy)
    with pytest.raises(DataError) as err:
        build_into(data_copy)()
    name, line, column, rule = where
    found = [(i.file, i.line, i.column, i.rule) for i in err.value.issues]
    assert (str(data_copy / "tables" / name), line, column, rule) in found, [str(i) for i in err.value.issues]
    assert snapshot(data_copy) == before
    assert sorted(p.name for p in outputs(data_copy)) == sorted(before)


def test_build_command_prints_each_issue_and_exits_1(data_copy, monkeypatch, capsys):
    INVALID[0][1](data_copy)
    before = snapshot(data_copy)
    monkeypatch.setattr(build_module, "build", build_into(data_copy))
    assert main(["build"]) == 1
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found"
    assert any(
        line.startswith(f"{data_copy / 'tables' / 'model_cities.csv'}, line 2, column 'country_iso3': [iso3]")
        for line in lines
    ), lines
    assert out.out == "" and snapshot(data_copy) == before


def test_a_failed_write_leaves_every_output_as_it_was(tmp_path):
    point = gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.Point(1, 2)], crs=4326)
    first, second = tmp_path / "first.geojson", tmp_path / "second.geojson"
    first.write_text("old\n")
    second.mkdir()  # a folder where the file should go
    with pytest.raises(OSError) as err:
        build_module._write_together([(first, point), (second, point)])
    assert err.value.filename == str(second)
    assert first.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.geojson", "second.geojson"]


def test_build_command_reports_a_failed_write_in_one_line(monkeypatch, capsys):
    def fail():
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), "static/geo/countries.geojson")

    monkeypatch.setattr(build_module, "build", fail)
    assert main(["build"]) == 2
    assert capsys.readouterr().err == "error: cannot write static/geo/countries.geojson: Permission denied\n"


def test_published_files_equal_a_fresh_publish_and_the_cli(capsysbinary):
    """static/data holds, byte for byte, what build publishes; text formats equal `export` with no filter."""
    from dashboard.io import load_layers
    from dashboard.publish import PUBLISHED_DIR, layer_file, published_files

    fresh = published_files(load_layers())
    committed = {str(p.relative_to(PUBLISHED_DIR)) for p in PUBLISHED_DIR.rglob("*") if p.is_file()}
    assert committed == set(fresh), "static/data is stale: run make build"
    for name, data in fresh.items():
        assert (PUBLISHED_DIR / name).read_bytes() == data, f"static/data/{name} is stale: run make build"
    for fmt in ("geojson", "csv", "kml"):
        assert main(["export", "model_cities", "--format", fmt, "-o", "-"]) == 0
        assert capsysbinary.readouterr().out == fresh[layer_file("model_cities", fmt)]
