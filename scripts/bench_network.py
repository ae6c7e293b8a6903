"""Bytes and time to the first map on a slow network, cold, against a bare ``st_folium`` page.

Each page is opened in a fresh browser context (an empty cache, as a visitor
at a venue has) on Chromium's network emulation, by default 1.5 Mbit/s down,
0.75 up and 150 ms latency: congested venue Wi-Fi. For each page it reports
what crossed the network (HTTP bodies and headers as sent, so compressed
where the server compressed; websocket frames apart), and the seconds until
the map's countries are drawn and until the app is idle.

The floor is the bare page of :mod:`benchmark` (one ``st_folium`` map with one
marker, one plotly chart), served by its own Streamlit from a temporary
folder, with the atlas's vendored Leaflet so it needs no network either.

    python scripts/bench_network.py [--mbps 1.5] [--pages map,jcm] [--json out.json]

Starts its own servers on loopback; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import FLOOR_PAGE  # noqa: E402
from screenshots import IDLE  # noqa: E402

PAGES = ["", "map", "jcm", "model-cities", "seminars", "city-to-city", "country?country=IDN", "downloads"]
# The countries drawn (the atlas's basemap pane) or, on the bare page, Leaflet's marker.
MAP_DRAWN = """() => {
  for (const f of document.querySelectorAll('iframe')) {
    let d; try { d = f.contentDocument; } catch (e) { continue; }
    if (!d) continue;
    if (d.querySelectorAll('.leaflet-basemap-pane path').length > 100) return true;
    if (d.querySelector('.leaflet-marker-icon') && !d.querySelector('.leaflet-basemap-pane')) return true;
  }
  return false;
}"""
FLOOR_HEADER = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from dashboard.maps.assets import use_local_assets
use_local_assets()
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], cwd: Path, port: int, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server on {port} did not start; see {log}")


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, 9)


def measure(browser, url: str, mbps: float, latency_ms: float) -> dict:
    """Open ``url`` cold on the emulated network; what it transferred and when it was drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": mbps * 1e6 / 8,
            "uploadThroughput": mbps * 1e6 / 16,
        },
    )
    http = {"bytes": 0, "requests": 0}
    ws = {"bytes": 0}

    def finished(event):
        http["bytes"] += event.get("encodedDataLength", 0)
        http["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda e: ws.__setitem__("bytes", ws["bytes"] + len(e["response"]["payloadData"])),
    )
    t0 = time.monotonic()
    page.goto(url, wait_until="commit", timeout=300_000)
    page.wait_for_function(MAP_DRAWN, timeout=300_000, polling=100)
    map_s = time.monotonic() - t0
    page.wait_for_function(IDLE, timeout=300_000, polling=200)
    idle_s = time.monotonic() - t0
    page.wait_for_timeout(1500)  # late requests (fonts, a chart's bundle) still count
    context.close()
    return {
        "map_s": map_s,
        "idle_s": idle_s,
        "http_bytes": http["bytes"],
        "requests": http["requests"],
        "ws_bytes": ws["bytes"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mbps", type=float, default=1.5)
    parser.add_argument("--latency", type=float, default=150, help="ms")
    parser.add_argument("--pages", default=",".join(p or "overview" for p in PAGES))
    parser.add_argument("--lang", default="en")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    pages = ["" if p == "overview" else p for p in args.pages.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "floor.py").write_text(FLOOR_HEADER + FLOOR_PAGE)
        (tmp / "static").symlink_to(ROOT / "static")
        shutil.copytree(ROOT / ".streamlit", tmp / ".streamlit")
        floor_port, atlas_port = _free_port(), _free_port()
        streamlit = [sys.executable, "-m", "streamlit", "run"]
        common = ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        floor = _start(
            [*streamlit, "floor.py", "--server.port", str(floor_port), *common], tmp, floor_port, tmp / "floor.log"
        )
        atlas = _start(
            [sys.executable, "scripts/serve.py", "--server.port", str(atlas_port), *common],
            ROOT,
            atlas_port,
            tmp / "atlas.log",
        )
        rows = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
                )
                # A first, unthrottled visit of each warms the servers' caches (a venue's server is warm).
                for url in [f"http://127.0.0.1:{floor_port}/"] + [
                    f"http://127.0.0.1:{atlas_port}/{p}{'&' if '?' in p else '?'}lang={args.lang}" for p in pages
                ]:
                    measure(browser, url, 1000, 0)
                floor_row = {
                    "page": "floor",
                    **measure(browser, f"http://127.0.0.1:{floor_port}/", args.mbps, args.latency),
                }
                rows.append(floor_row)
                for p in pages:
                    url = f"http://127.0.0.1:{atlas_port}/{p}{'&' if '?' in p else '?'}lang={args.lang}"
                    rows.append({"page": p or "overview", **measure(browser, url, args.mbps, args.latency)})
                    print(f"  {rows[-1]['page']}: {rows[-1]['map_s']:.1f} s", file=sys.stderr, flush=True)
                browser.close()
        finally:
            _stop(floor)
            _stop(atlas)

    print(f"{args.mbps} Mbit/s, {args.latency:.0f} ms latency, cold cache, lang={args.lang}")
    print(
        f"{'page':<24}{'HTTP KB':>9}{'req':>5}{'ws KB':>8}{'map s':>7}{'idle s':>8}{'bytes/floor':>13}{'map/floor':>11}"
    )
    for r in rows:
        print(
            f"{r['page']:<24}{r['http_bytes'] / 1024:>9.0f}{r['requests']:>5}{r['ws_bytes'] / 1024:>8.0f}"
            f"{r['map_s']:>7.1f}{r['idle_s']:>8.1f}{r['http_bytes'] / floor_row['http_bytes']:>12.2f}x"
            f"{r['map_s'] / floor_row['map_s']:>10.2f}x"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"mbps": args.mbps, "latency_ms": args.latency, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
