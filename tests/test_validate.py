"""validate: every rule, fed a broken copy of a small valid fixture."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.io import load_layer, load_layers, load_table, validate_all
from dashboard.text_files import read_raw
from dashboard.validate import DataError, Issue

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path):
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def set_cell(folder: Path, table: str, line: int, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[line - 2, column] = value
    df.to_csv(path, index=False, lineterminator="\n")


def test_fixture_is_valid(mini):
    assert validate_all(mini, mini / "geo") == []
    gdf = load_layer("sites", mini, mini / "geo")
    assert list(gdf["feature_id"]) == ["s1", "s2", "s3"]
    assert gdf.geometry.isna().tolist() == [False, False, True]
    assert str(gdf["count"].dtype) == "Int64" and str(gdf["active"].dtype) == "boolean"


BROKEN = [
    # (line, column, value, rule)
    (2, "name_en", "", "required"),
    (2, "year", "one", "type"),
    (2, "year", "3", "enum"),
    (2, "count", "-1", "range"),
    (2, "share", "2.5", "range"),
    (2, "share", "abc", "type"),
    (2, "active", "yes", "type"),
    (2, "held", "2014-13", "type"),
    (2, "opened", "2014-02-30", "type"),
    (2, "start", "March 2014", "type"),
    (2, "country_iso3", "XXX", "iso3"),
    (2, "feature_id", "S 1", "pattern"),
    (3, "feature_id", "s1", "unique"),
    (2, "name_en", " Site one", "whitespace"),
    (2, "place_id", "gamma", "reference"),
    (2, "source_ref", "nosection", "source_ref"),
    (2, "source_ref", "other.section L1", "reference"),
    (2, "geocode_precision", "unresolved", "geocoding"),
    (4, "geocode_precision", "exact", "geocoding"),
    (3, "geocode_note", "", "geocoding"),
]


@pytest.mark.parametrize("line,column,value,rule", BROKEN, ids=[f"{r}-{c}" for _, c, _, r in BROKEN])
def test_each_rule_names_file_line_column(mini, line, column, value, rule):
    set_cell(mini, "sites", line, column, value)
    issues = validate_all(mini, None)
    matching = [i for i in issues if i.rule == rule and i.column == column and i.line == line]
    assert matching, f"expected a {rule!r} issue at line {line}, column {column}; got {[str(i) for i in issues]}"
    text = str(matching[0])
    assert "sites.csv" in text and f"line {line}" in text and f"'{column}'" in text


@pytest.mark.parametrize("line,column,value,rule", BROKEN, ids=[f"{r}-{c}" for _, c, _, r in BROKEN])
def test_loaders_refuse_every_row_validate_rejects(mini, line, column, value, rule):
    set_cell(mini, "sites", line, column, value)
    rejected = {(i.line, i.column, i.rule) for i in validate_all(mini, None)}
    for load in (lambda: load_table("sites", mini), lambda: load_layer("sites", mini, mini / "geo")):
        with pytest.raises(DataError) as err:
            load()
        assert {(i.line, i.column, i.rule) for i in err.value.issues} == rejected


def test_undeclared_and_missing_columns(mini):
    df = pd.read_csv(mini / "sites.csv", dtype=str, keep_default_na=False)
    df = df.drop(columns=["share"]).assign(extra="x")
    df.to_csv(mini / "sites.csv", index=False)
    issues = {(i.column, i.rule) for i in validate_all(mini, None)}
    assert ("share", "columns") in issues and ("extra", "columns") in issues


def test_csv_without_sidecar(mini):
    (mini / "orphan.csv").write_text("a\n1\n")
    assert any(i.rule == "sidecar" and "orphan.csv" in i.file for i in validate_all(mini, None))


def test_geometry_join_is_loud(mini):
    text = (mini / "geo" / "sites.geojson").read_text().replace('"s2"', '"s9"')
    (mini / "geo" / "sites.geojson").write_text(text)
    rules = {(i.rule, i.line) for i in validate_all(mini, mini / "geo")}
    assert ("join", None) in rules  # s9 has geometry but no row
    assert ("join", 3) in rules  # s2 (line 3) lost its geometry


def test_validate_command_exits_non_zero_on_real_data_problem(capsys, mini):
    set_cell(mini, "sites", 2, "country_iso3", "XXX")
    assert main(["validate", "--tables", str(mini), "--geo", str(mini / "geo")]) == 1
    err = capsys.readouterr().err
    assert "sites.csv, line 2, column 'country_iso3': [iso3]" in err


def test_csv_reader_reads_the_repository_tables_as_pandas_does():
    for path in sorted(TABLES_DIR.glob("*.csv")):
        expected = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        pd.testing.assert_frame_equal(read_raw(path), expected)


# -- files that cannot be read as they should ---------------------------------------


def replace(old: bytes, new: bytes, name: str = "sites.csv"):
    """A mutation of the fixture: the first ``old`` in file ``name`` becomes ``new``."""

    def mutate(folder: Path) -> None:
        path = folder / name
        data = path.read_bytes()
        assert old in data, f"{old!r} is not in {name}"
        path.write_bytes(data.replace(old, new, 1))

    return mutate


def write(name: str, data: bytes):
    def mutate(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return mutate


def delete(name: str):
    def mutate(folder: Path) -> None:
        (folder / name).unlink()

    return mutate


def cut_in_half(name: str):
    def mutate(folder: Path) -> None:
        path = folder / name
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    return mutate


SIDECAR, GEO = "sites.meta.yml", "geo/sites.geojson"
ALL_LOADERS = ("load_catalog", "load_table", "load_layer", "load_layers")
TABLE_LOADERS = ("load_table", "load_layer", "load_layers")
GEO_LOADERS = ("load_layer", "load_layers")

BROKEN_FILES = [
    # (id, mutation, loaders that must refuse it, (file, line, column, rule), words in the message)
    (
        "extra-comma",
        replace(b"s2,Site two,", b"s2,Site, two,"),
        TABLE_LOADERS,
        ("sites.csv", 3, None, "fields"),
        "has 15 fields but the header has 14",
    ),
    (
        # pandas would silently make the first column an index here and shift every cell.
        "extra-comma-first-row",
        replace(b"s1,Site one,", b"s1,Site, one,"),
        TABLE_LOADERS,
        ("sites.csv", 2, None, "fields"),
        "has 15 fields but the header has 14",
    ),
    (
        "too-few-fields",
        replace(b",test.section L3\n", b"\n"),
        TABLE_LOADERS,
        ("sites.csv", 3, "source_ref", "fields"),
        "has 13 fields but the header has 14",
    ),
    (
        "csv-not-utf8",
        replace(b"Site two", b"Site tw\xe9"),
        TABLE_LOADERS,
        ("sites.csv", 3, "name_en", "encoding"),
        "not UTF-8 (0xE9)",
    ),
    (
        "csv-blank-line",
        replace(b"\ns2,", b"\n\ns2,"),
        TABLE_LOADERS,
        ("sites.csv", 3, None, "blank"),
        "delete the blank line",
    ),
    (
        "sidecar-not-utf8",
        replace(b"A fixture layer", b"A fixture l\xe9yer", SIDECAR),
        ALL_LOADERS,
        (SIDECAR, 3, None, "encoding"),
        "not UTF-8 (0xE9)",
    ),
    (
        "sidecar-not-yaml",
        replace(b"  year: {type: integer", b"  year: type: integer", SIDECAR),
        ALL_LOADERS,
        (SIDECAR, 12, None, "sidecar"),
        "is not valid YAML: mapping values are not allowed here",
    ),
    (
        "sidecar-not-a-mapping",
        write(SIDECAR, b"- feature_id\n- name_en\n"),
        ALL_LOADERS,
        (SIDECAR, 1, None, "sidecar"),
        "must be a mapping",
    ),
    (
        "sidecar-without-key",
        replace(b"key: feature_id\n", b"", SIDECAR),
        ALL_LOADERS,
        (SIDECAR, None, None, "sidecar"),
        "has no 'key'",
    ),
    (
        "sidecar-bad-setting",
        replace(b"min: 0, max: 2}", b"min: 0, max: two}", SIDECAR),
        ALL_LOADERS,
        (SIDECAR, 14, "share", "sidecar"),
        "'max' must be a number, not 'two'",
    ),
    (
        "sidecar-unknown-setting",
        replace(b"count: {type: integer, min: 0}", b"count: {type: integer, minimum: 0}", SIDECAR),
        ALL_LOADERS,
        (SIDECAR, 13, "count", "sidecar"),
        "unknown setting(s) minimum",
    ),
    (
        "csv-missing",
        delete("sites.csv"),
        TABLE_LOADERS,
        (SIDECAR, None, None, "sidecar"),
        "describes sites.csv, which does not exist",
    ),
    (
        "referenced-csv-missing",
        delete("places.csv"),
        TABLE_LOADERS,
        ("places.meta.yml", None, None, "sidecar"),
        "describes places.csv, which does not exist",
    ),
    (
        "geojson-cut-in-half",
        cut_in_half(GEO),
        GEO_LOADERS,
        (GEO, 2, None, "geojson"),
        "is not valid JSON",
    ),
    (
        "geojson-not-json",
        write(GEO, b"not json\n"),
        GEO_LOADERS,
        (GEO, 1, None, "geojson"),
        "is not valid JSON",
    ),
    (
        "longitude-out-of-range",
        replace(b"106.8", b"206.8", GEO),
        GEO_LOADERS,
        (GEO, 2, "geometry", "coordinates"),
        "feature 's1': longitude 206.8 is outside -180..180",
    ),
    (
        "latitude-out-of-range",
        replace(b"21.0]", b"-91.0]", GEO),
        GEO_LOADERS,
        (GEO, 3, "geometry", "coordinates"),
        "feature 's2': latitude -91.0 is outside -90..90",
    ),
    (
        "longitude-nan",
        replace(b"106.8", b"NaN", GEO),
        GEO_LOADERS,
        (GEO, 2, "geometry", "coordinates"),
        "feature 's1': longitude nan is not a finite number",
    ),
    (
        "latitude-infinite",
        replace(b"21.0]", b"1e999]", GEO),
        GEO_LOADERS,
        (GEO, 3, "geometry", "coordinates"),
        "feature 's2': latitude inf is not a finite number",
    ),
]

LOADERS = {
    "load_catalog": lambda folder: load_catalog(folder),
    "load_table": lambda folder: load_table("sites", folder),
    "load_layer": lambda folder: load_layer("sites", folder, folder / "geo"),
    "load_layers": lambda folder: load_layers(folder, folder / "geo"),
}


def expected_issue(folder: Path, where: tuple, issues: list[Issue], words: str) -> Issue:
    name, line, column, rule = where
    found = [i for i in issues if (i.file, i.line, i.column, i.rule) == (str(folder / name), line, column, rule)]
    assert found, f"expected {rule!r} at {name}, line {line}, column {column}; got {[str(i) for i in issues]}"
    assert words in found[0].message and "\n" not in str(found[0])
    return found[0]


@pytest.mark.parametrize("mutate,loaders,where,words", [c[1:] for c in BROKEN_FILES], ids=[c[0] for c in BROKEN_FILES])
def test_broken_file_names_file_line_column(mini, mutate, loaders, where, words):
    mutate(mini)
    expected_issue(mini, where, validate_all(mini, mini / "geo"), words)
    for loader in loaders:
        with pytest.raises(DataError) as err:
            LOADERS[loader](mini)
        expected_issue(mini, where, err.value.issues, words)


@pytest.mark.parametrize("mutate,where,words", [c[1:2] + c[3:] for c in BROKEN_FILES], ids=[c[0] for c in BROKEN_FILES])
def test_validate_command_prints_one_line_per_broken_file(mini, capsys, mutate, where, words):
    mutate(mini)
    assert main(["validate", "--tables", str(mini), "--geo", str(mini / "geo")]) == 1
    out = capsys.readouterr()
    lines = out.err.splitlines()
    issues = validate_all(mini, mini / "geo")
    assert lines == [str(i) for i in issues] + [f"{len(issues)} problem(s) found"]
    assert str(expected_issue(mini, where, issues, words)) in lines
    assert out.out == ""


def test_an_unreadable_referenced_table_is_reported_once(mini):
    replace(b"Beta", b"B\xe9ta", "places.csv")(mini)
    issues = validate_all(mini, None)
    assert [(i.file, i.line, i.column, i.rule) for i in issues] == [
        (str(mini / "places.csv"), 3, "name_en", "encoding")
    ]
