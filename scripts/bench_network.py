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
import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import FLOOR_PAGE  # noqa: E402
from cluster import Cluster, Process, answers_ok, free_port  # noqa: E402
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


def start_floor(folder: Path) -> tuple[Process, str]:
    """The bare page, served by a stock ``streamlit run`` from ``folder``; (process, URL)."""
    (folder / "floor.py").write_text(FLOOR_HEADER + FLOOR_PAGE)
    (folder / "static").symlink_to(ROOT / "static")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(folder / "floor.py"), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    # Its own folder as the working directory: Streamlit reads .streamlit/ from there.
    floor = Process("floor", ["sh", "-c", f'cd "{folder}" && exec "$@"', "sh", *cmd], folder / "floor.log")
    floor.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while not answers_ok(f"{url}/_stcore/health"):
        if time.monotonic() > deadline or not floor.running():
            floor.stop()
            raise RuntimeError(f"the bare page did not start:\n{floor.log_tail()}")
        time.sleep(0.2)
    return floor, url


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

    rows = []
    with tempfile.TemporaryDirectory() as tmp, Cluster(replicas=1) as atlas:
        floor, floor_url = start_floor(Path(tmp))
        atlas_url = atlas.replica_url(0)  # the app process itself, no proxy in between
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
                )
                urls = [f"{atlas_url}/{p}{'&' if '?' in p else '?'}lang={args.lang}" for p in pages]
                # A first, unthrottled visit of each warms the servers' caches (a venue's server is warm).
                for url in [floor_url, *urls]:
                    measure(browser, url, 1000, 0)
                floor_row = {"page": "floor", **measure(browser, floor_url, args.mbps, args.latency)}
                rows.append(floor_row)
                for p, url in zip(pages, urls, strict=True):
                    rows.append({"page": p or "overview", **measure(browser, url, args.mbps, args.latency)})
                    print(f"  {rows[-1]['page']}: {rows[-1]['map_s']:.1f} s", file=sys.stderr, flush=True)
                browser.close()
        finally:
            floor.stop()

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
