"""The locked environment: requirements.txt is the lock's export, and the app runs on the machine's Python."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".tools" / "uv" / "bin" / "uv"


@pytest.mark.skipif(not UV.exists(), reason="uv is set up by scripts/setup.sh")
def test_requirements_txt_is_the_export_of_the_lock():
    exported = subprocess.run(
        ["make", "--no-print-directory", "-s", "requirements", "REQUIREMENTS=/dev/stdout"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert exported == (ROOT / "requirements.txt").read_text(), (
        "requirements.txt was edited by hand: run make requirements"
    )


def test_runs_in_the_project_environment():
    # make test runs .venv/bin/python; the system interpreter is never written to.
    assert Path(sys.prefix).resolve() == (ROOT / ".venv").resolve() or not (ROOT / ".venv").exists()


def test_the_server_settings_that_keep_it_offline_and_cheap():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False  # no request to Streamlit's usage endpoint
    assert config["server"]["enableStaticServing"] is True  # vendored Leaflet and the basemap
    # A full garbage collection after every script run was a third of a view's server CPU.
    assert config["runner"]["postScriptGC"] is False
