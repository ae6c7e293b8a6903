"""validate: every rule, fed a broken copy of a small valid fixture."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.io import load_layer, validate_all

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


def test_validate_command_exits_non_zero_on_real_data_problem(monkeypatch, capsys, mini):
    set_cell(mini, "sites", 2, "country_iso3", "XXX")
    monkeypatch.setattr("dashboard.__main__.validate_all", lambda: validate_all(mini, None))
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "sites.csv, line 2, column 'country_iso3': [iso3]" in err
