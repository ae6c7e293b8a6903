"""Capacity: many people opening the map at once, against one app process and through the cluster.

For each count of sessions (``--sessions 1,5,10,20``) that many browser
contexts, each with an empty cache, open ``/map`` together; each waits until
its map's countries are drawn, then applies a filter (turns a layer off in the
sidebar) and waits until the page has rerun. Reported per count: the median
and 95th percentile seconds to the map and to the filter applied, the
sessions that failed (a timeout, an error on the page), and the servers'
memory (RSS, summed over replicas) and CPU seconds used.

It runs against one app process, and through ``scripts/cluster.py`` (nginx in
front of ``--replicas`` processes), and gives the cluster's figures as a ratio
of the single process's. Before the crowd, ``--views`` sequential views of
every page measure the server CPU a view costs, against the bare page of
:mod:`benchmark` measured in the same run.

    python scripts/bench_load.py [--sessions 1,5,10,20] [--replicas 2] [--json out.json]
    make bench-load

Loopback only; the browser runs on the same machine as the servers, so on a
small machine it competes with them for CPU (the report says how many cores).
Nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_network import MAP_DRAWN, start_floor  # noqa: E402
from cluster import Cluster  # noqa: E402
from screenshots import IDLE  # noqa: E402

from dashboard.ui.pages import DEFAULT_PAGE, PAGES  # noqa: E402

TIMEOUT_MS = 240_000
CLOCK = os.sysconf("SC_CLK_TCK")
LAYER_OFF = "ESC High Level Seminars"  # the filter each session applies: this layer off
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]


def cpu_seconds(pids) -> float:
    """User + system CPU of these processes (all their threads) so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK


def rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def _session(browser, url: str, t0: float) -> dict:
    """One reader: open the map, wait for it, turn a layer off, wait for the rerun."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    out = {"map_s": None, "filter_s": None, "error": None}
    try:
        await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        await page.wait_for_function(MAP_DRAWN, timeout=TIMEOUT_MS, polling=100)
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)
        out["map_s"] = time.monotonic() - t0
        checkbox = page.get_by_role("checkbox", name=LAYER_OFF)
        t1 = time.monotonic()
        await checkbox.click(force=True, timeout=TIMEOUT_MS)
        await page.wait_for_function(
            "() => (new URLSearchParams(location.search).get('layers') || '').length > 0", timeout=TIMEOUT_MS
        )
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)
        out["filter_s"] = time.monotonic() - t1
        if await page.locator('[data-testid="stException"]').count():
            out["error"] = "the page shows an exception"
    except Exception as exc:  # noqa: BLE001 - a failed session is a figure, not a crash
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    if errors and not out["error"]:
        out["error"] = f"page error: {errors[0][:120]}"
    await context.close()
    return out


async def crowd(url: str, n: int, pids) -> dict:
    """``n`` sessions opening ``url`` at once; their times and what the servers used."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        cpu0 = cpu_seconds(pids)
        t0 = time.monotonic()
        results = await asyncio.gather(*[_session(browser, url, t0) for _ in range(n)])
        wall = time.monotonic() - t0
        cpu = cpu_seconds(pids) - cpu0
        await browser.close()
    maps = [r["map_s"] for r in results if r["map_s"] is not None]
    filters = [r["filter_s"] for r in results if r["filter_s"] is not None]
    return {
        "sessions": n,
        "map_median_s": _percentile(maps, 0.5),
        "map_p95_s": _percentile(maps, 0.95),
        "filter_median_s": _percentile(filters, 0.5),
        "filter_p95_s": _percentile(filters, 0.95),
        "errors": sum(r["error"] is not None for r in results),
        "error_kinds": sorted({r["error"] for r in results if r["error"]}),
        "wall_s": wall,
        "server_cpu_s": cpu,
        "server_rss_mb": rss_mb(pids),
    }


async def cpu_per_view(urls: dict[str, str], pids_of: dict[str, list[int]], views: int) -> dict[str, float]:
    """Server CPU milliseconds one view of each page costs (median of ``views`` sequential cold views)."""
    out = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        for name, url in urls.items():
            costs = []
            for _ in range(views + 1):  # the first warms the server's caches for this page
                context = await browser.new_context(viewport={"width": 1400, "height": 900})
                page = await context.new_page()
                before = cpu_seconds(pids_of[name])
                await page.goto(url, timeout=TIMEOUT_MS)
                await page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)
                await page.wait_for_timeout(1500)  # the map's data and late requests
                costs.append((cpu_seconds(pids_of[name]) - before) * 1000)
                await context.close()
            out[name] = statistics.median(costs[1:])
            print(f"  {name}: {out[name]:.0f} ms CPU per view", file=sys.stderr, flush=True)
        await browser.close()
    return out


def _print_crowd(title: str, rows: list[dict], baseline: list[dict] | None = None) -> None:
    print(title)
    head = f"{'N':>4}{'map p50':>9}{'map p95':>9}{'filter p50':>12}{'filter p95':>12}{'errors':>8}{'CPU s':>7}{'RSS MB':>8}"
    print(head + ("   p95 map vs one process" if baseline else ""))
    for i, r in enumerate(rows):

        def f(v):
            return f"{v:.1f}" if v is not None else "-"

        line = (
            f"{r['sessions']:>4}{f(r['map_median_s']):>9}{f(r['map_p95_s']):>9}{f(r['filter_median_s']):>12}"
            f"{f(r['filter_p95_s']):>12}{r['errors']:>8}{r['server_cpu_s']:>7.1f}{r['server_rss_mb']:>8.0f}"
        )
        if baseline and r["map_p95_s"] and baseline[i]["map_p95_s"]:
            line += f"   {r['map_p95_s'] / baseline[i]['map_p95_s']:.2f}x"
        print(line)
        for kind in r["error_kinds"]:
            print(f"      {kind}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="1,5,10,20")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--views", type=int, default=3, help="sequential views per page for CPU per view (0: skip)")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.sessions.split(",")]
    report: dict = {"cores": os.cpu_count(), "replicas": args.replicas}
    print(f"{os.cpu_count()} cores; browser and servers on the same machine")

    with Cluster(replicas=1, port=_port()) as single:
        pids = single.replica_pids()
        if args.views:
            with tempfile.TemporaryDirectory() as tmp:
                floor, floor_url = start_floor(Path(tmp))
                try:
                    urls = {"floor": floor_url}
                    urls |= {
                        p.url_path: f"{single.replica_url(0)}/{'' if p is DEFAULT_PAGE else p.url_path}?lang={args.lang}"
                        for p in PAGES
                    }
                    pids_of = {name: pids for name in urls} | {"floor": [floor.pid]}
                    report["cpu_ms_per_view"] = asyncio.run(cpu_per_view(urls, pids_of, args.views))
                finally:
                    floor.stop()
        map_url = f"{single.replica_url(0)}/map?lang={args.lang}"
        asyncio.run(crowd(map_url, 1, pids))  # warm: a venue's server has served the page before
        report["one_process"] = [asyncio.run(crowd(map_url, n, pids)) for n in counts]

    with Cluster(replicas=args.replicas, port=_port()) as cluster:
        pids = cluster.replica_pids()
        map_url = f"{cluster.url}/map?lang={args.lang}"
        for _ in range(args.replicas * 2):  # warm every replica (stickiness spreads new browsers)
            asyncio.run(crowd(map_url, 1, pids))
        report["cluster"] = [asyncio.run(crowd(map_url, n, pids)) for n in counts]

    if "cpu_ms_per_view" in report:
        floor_ms = report["cpu_ms_per_view"]["floor"]
        print(f"server CPU per cold view ({args.views} views each, median), against the bare page")
        for name, ms in report["cpu_ms_per_view"].items():
            print(f"  {name:<16}{ms:>7.0f} ms {ms / floor_ms:>6.2f}x")
    _print_crowd("one app process, direct", report["one_process"])
    _print_crowd(f"{args.replicas} replicas behind nginx", report["cluster"], report["one_process"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


def _port() -> int:
    from cluster import free_port

    return free_port()


if __name__ == "__main__":
    sys.exit(main())
