"""The command line, run as a researcher would."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, timeout=120)


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


def test_export_to_file_names_layer_and_filter(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "esc_seminars", "--format", "gpkg"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
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
