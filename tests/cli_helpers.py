"""Running the command line as a researcher would: ``python -m dashboard ...`` in a fresh process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI with ``args``; output captured, never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=cwd, capture_output=True, timeout=120, env=env
    )


def cli_export(out: Path, layer: str, where: str, fmt: str) -> bytes:
    """The bytes ``export LAYER --where WHERE --format FMT -o OUT`` writes (fails the test on an error)."""
    done = cli("export", layer, "--where", where, "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    return out.read_bytes()
