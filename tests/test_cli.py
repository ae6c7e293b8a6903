"""The command line, run as a researcher would."""

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ROOT, cli

from dashboard.__main__ import main
from dashboard.filters import Filter


def test_layers_lists_every_layer():
    out = cli("layers")
    assert out.returncode == 0
    names = [line.split()[0] for line in out.stdout.decode().splitlines()]
    assert names == [
        "city_partnerships",
        "esc_seminars",
        "fs_studies",
        "jcm_model_projects",
        "jcm_partners",
        "knowledge_sharing",
        "locarnet_events",
        "model_cities",
    ]


def test_validate_passes_on_the_repository():
    out = cli("validate")
    assert out.returncode == 0, out.stderr.decode()
    assert b"all tables valid" in out.stdout


def test_export_geojson_to_stdout_with_filters():
    out = cli("export", "model_cities", "--where", "country=VNM", "--where", "program_year=2")
    assert out.returncode == 0, out.stderr.decode()
    doc = json.loads(out.stdout)
    assert sorted(f["properties"]["name_en"] for f in doc["features"]) == ["Da Lat", "Da Nang"]
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert 100 < lon < 110 and 10 < lat < 17  # RFC 7946 order: longitude first


def test_export_follows_the_state_like_the_app(tmp_path, capsys):
    """The brochure's 12 by default, as the Downloads page; all 31 with --as-of latest; in_brochure as a column."""
    for args, n in (((), 12), (("--as-of", "latest"), 31), (("--as-of", "latest", "--where", "in_brochure=false"), 19)):
        doc = json.loads(cli("export", "jcm_partners", *args).stdout)
        assert len(doc["features"]) == n, args
    doc = json.loads(cli("export", "jcm_partners", "--as-of", "latest", "--where", "country=ARE").stdout)
    [uae] = [f["properties"] for f in doc["features"]]
    assert (
        uae["signed_on_status"] == "unverified"
        and not uae["signed_on"]
        and uae["signed_on_source"].startswith("https://")
    )
    assert main(["export", "jcm_partners", "--where", "in_brochure=false", "-o", str(tmp_path / "x.geojson")]) == 0
    assert "add --as-of latest" in capsys.readouterr().err
    out = cli("export", "jcm_partners", "--as-of", "2026")
    assert out.returncode == 2 and b"--as-of" in out.stderr and b"Traceback" not in out.stderr
    written = cli("export", "jcm_partners", "--as-of", "latest", "--format", "csv", "-o", "-")
    assert written.stdout.decode().count("\n") == 32


def test_export_to_file_names_layer_and_filter(tmp_path):
    out = cli(
        "export",
        "esc_seminars",
        "--format",
        "gpkg",
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr.decode()
    [written] = list(tmp_path.glob("*.gpkg"))
    assert written.name.startswith("esc_seminars_all_") and written.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args,message",
    [
        (("export", "nowhere"), "unknown layer or table 'nowhere'"),
        (("export", "brochure_facts"), "is a table without geometry"),
        (("export", "fs_studies", "--where", "colour=red"), "has no column 'colour'"),
        (("export", "fs_studies", "--where", "country=FRA"), "no row of 'fs_studies' has country_iso3='FRA'"),
        (("export", "fs_studies", "--where", "country"), "expected COLUMN=VALUE"),
    ],
)
def test_bad_input_gets_a_clear_error(args, message):
    out = cli(*args)
    assert out.returncode == 2
    assert message in out.stderr.decode()
    assert b"Traceback" not in out.stderr


# -- broken data and failing output: one plain line each, never a traceback ----------

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path):
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def on(folder: Path) -> tuple[str, ...]:
    return ("--tables", str(folder), "--geo", str(folder / "geo"))


def replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


BROKEN = [
    # (id, file, old bytes, new bytes, the one line validate prints for it, relative to the copy)
    (
        "extra-comma",
        "sites.csv",
        b"s2,Site two,",
        b"s2,Site, two,",
        "sites.csv, line 3: [fields] has 15 fields but the header has 14; "
        "is there a stray comma? Put a value that contains commas in double quotes",
    ),
    (
        "csv-not-utf8",
        "sites.csv",
        b"Site two",
        b"Site tw\xe9",
        "sites.csv, line 3, column 'name_en': [encoding] has bytes that are not UTF-8 (0xE9); save the file as UTF-8",
    ),
    (
        "sidecar-not-yaml",
        "sites.meta.yml",
        b"  year: {type: integer",
        b"  year: type: integer",
        "sites.meta.yml, line 12: [sidecar] is not valid YAML: mapping values are not allowed here",
    ),
    (
        "geojson-cut-short",
        "geo/sites.geojson",
        b'"s2"},"geometry":{"type":"Point","coordinates":[105.8,21.0]}}\n]}\n',
        b'"s2"},"geometry":{"type":"Po',
        "geo/sites.geojson, line 3: [geojson] is not valid JSON (Unterminated string starting at, character 71); "
        "is it cut short? 'python -m dashboard build' rewrites it",
    ),
    (
        "longitude-out-of-range",
        "geo/sites.geojson",
        b"106.8",
        b"206.8",
        "geo/sites.geojson, line 2, column 'geometry': [coordinates] feature 's1': longitude 206.8 is outside -180..180",
    ),
]


@pytest.mark.parametrize("name,old,new,line", [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_export_prints_one_line_per_issue(mini, capsys, name, old, new, line):
    replace(mini / name, old, new)
    assert main(["export", "sites", *on(mini)]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [f"{mini}/{line}", "1 problem(s) found"] and out.out == ""


@pytest.mark.parametrize("name,old,new,line", [BROKEN[0][1:], BROKEN[3][1:]], ids=[BROKEN[0][0], BROKEN[3][0]])
def test_validate_prints_one_line_per_issue_without_traceback(mini, name, old, new, line):
    replace(mini / name, old, new)
    out = cli("validate", *on(mini))
    assert out.returncode == 1
    assert out.stderr.decode().splitlines() == [f"{mini}/{line}", "1 problem(s) found"]
    assert out.stdout == b""


def test_export_refuses_a_row_validate_rejects(mini, capsys):
    text = (mini / "sites.csv").read_text().replace(",alpha,exact,", ",gamma,exact,")
    (mini / "sites.csv").write_text(text)
    assert main(["export", "sites", *on(mini)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [
        f"{mini}/sites.csv, line 2, column 'place_id': [reference] 'gamma' is not a places.place_id",
        "1 problem(s) found",
    ]


NO_ROWS = ("model_cities", "--where", "country=MYS", "--where", "program_year=2")


def no_rows_note() -> str:
    sentence = Filter.from_mapping({"country": ["MYS"], "program_year": ["2"]}).sentence("en")
    return f"note: no rows match the filter; wrote an empty file ({sentence})"


def test_export_matching_no_rows_writes_an_empty_file_and_says_so(tmp_path, capsys):
    out = cli("export", *NO_ROWS)
    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["features"] == []
    assert out.stderr.decode().splitlines() == [no_rows_note()]

    target = tmp_path / "none.csv"
    assert main(["export", *NO_ROWS, "--format", "csv", "-o", str(target)]) == 0
    assert target.read_text().count("\n") == 1  # the header only
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == no_rows_note() and lines[1].startswith(f"wrote {target} (") and len(lines) == 2


@pytest.mark.parametrize(
    "where,reason",
    [
        ("missing-folder", "the folder {tmp}/nowhere does not exist"),
        ("a-folder", "it is a folder, not a file"),
    ],
)
def test_export_to_an_unwritable_path_is_one_line(tmp_path, capsys, where, reason):
    target = tmp_path / "nowhere" / "x.geojson" if where == "missing-folder" else tmp_path
    assert main(["export", "esc_seminars", "-o", str(target)]) == 2
    out = capsys.readouterr()
    assert out.err == f"error: cannot write {target}: {reason.format(tmp=tmp_path)}\n" and out.out == ""


def test_export_to_a_file_without_permission_is_one_line(tmp_path, monkeypatch, capsys):
    target = tmp_path / "locked.geojson"

    def refuse(self, data):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    # A chmod would not stop root, which runs these tests in containers.
    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert main(["export", "esc_seminars", "-o", str(target)]) == 2
    assert capsys.readouterr().err == f"error: cannot write {target}: Permission denied\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_export_to_a_read_only_file_is_one_line(tmp_path):
    target = tmp_path / "locked.geojson"
    target.write_text("")
    target.chmod(0o444)
    out = cli("export", "esc_seminars", "-o", str(target))
    assert out.returncode == 2
    assert out.stderr.decode() == f"error: cannot write {target}: Permission denied\n"


@pytest.mark.parametrize("args", [("export", "jcm_partners"), ("layers",)])
def test_a_closed_pipe_is_one_line(args):
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 2
    assert err.decode() == "error: cannot write to stdout: the reading end of the pipe was closed\n"


def test_a_closed_stdout_is_one_line():
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "esc_seminars"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert out.returncode == 2
    assert out.stderr.decode() == "error: cannot write to stdout: it is closed\n"


def test_export_bundle_in_japanese(tmp_path):
    import zipfile

    out = tmp_path / "fs.zip"
    assert (
        main(["export", "fs_studies", "--format", "bundle", "--lang", "ja", "--where", "country=MNG", "-o", str(out)])
        == 0
    )
    readme = zipfile.ZipFile(out).read("README.md").decode()
    assert readme.startswith("# アジア低炭素アトラス") and "絞り込み：国がモンゴル" in readme
