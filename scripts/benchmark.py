"""Measure page speed and map message size against a floor measured in the same run.

The floor is a page holding one bare ``st_folium`` map with one marker and one
small plotly bar chart. Every atlas page is run in AppTest (cold: first run in
a fresh session, after the data caches are warm; warm: a rerun of the same
session), in both languages, and reported as a ratio to the floor. The map
message size is the JSON the folium component sends per rerun.

    python scripts/benchmark.py [--repeat 7] [--json out.json] [--scale 1,10,100] [--scale-only]

It also reports the explorer's default map at 1, 10 and 100 times the points
(synthetic copies, :func:`scaled_frames`): the message a rerun sends, the
layer data the browser fetches once, and the time to build it.

Figures are medians. Nothing here asserts: targets are read by people.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR_PAGE = """
import folium
import plotly.graph_objects as go
import streamlit as st
from streamlit_folium import st_folium

m = folium.Map(location=[10, 110], zoom_start=3, tiles=None)
folium.Marker([10, 110], tooltip="one").add_to(m)
st_folium(m, key="floor", height=400, returned_objects=[])
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
"""

from dashboard.ui.pages import PAGES as APP_PAGES  # noqa: E402 - after the path is set

PAGES = [page.path for page in APP_PAGES]
# Views beyond a page's default: the latest state's 31 partners on a world map, the growth slide, the
# country page of the country with the most and of one with the least.
VIEWS = [(page, {}) for page in PAGES] + [
    ("pages/jcm.py", {"as_of": "latest"}),
    ("pages/map_explorer.py", {"as_of": "latest"}),
    ("pages/present.py", {"step": "5"}),
    ("pages/country.py", {"country": "IDN"}),
    ("pages/country.py", {"country": "SEN"}),
]
BRIEFS = [("IDN", "en"), ("IDN", "ja"), ("SEN", "en")]  # the longest brief, and the shortest


def _time_briefs(repeat: int) -> list[dict]:
    """Seconds to make a country brief (what pressing its download button costs the server, once)."""
    from dashboard import brief
    from dashboard.io import load_layers, load_table, load_world

    frames = {layer_id: frame for layer_id, (_, frame) in load_layers().items()}
    stories = {row["city_id"]: row for _, row in load_table("success_stories").iterrows()}
    inputs = (frames, load_table("places"), stories, load_table("brochure_facts"), load_world())
    rows = []
    for iso3, lang in BRIEFS:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            data = brief.make_brief(*inputs, iso3, lang)
            times.append(time.perf_counter() - t0)
        rows.append({"brief": f"{iso3} {lang}", "s": statistics.median(times), "bytes": len(data)})
    return rows


def scaled_frames(frames: dict, factor: int) -> dict:
    """Every point layer's rows ``factor`` times, each copy moved a little and given an id of its own.

    Synthetic, for measuring how the map's cost grows with the data (the JCM alone
    has 250+ projects today); lines and countries are left as they are.
    """
    import pandas as pd

    out = {}
    for layer_id, frame in frames.items():
        points = frame.geometry.notna() & (frame.geom_type == "Point")
        # Rows placed by country only stay at the country's point, as more of them would (one badge, a larger count).
        sited = points & (frame.get("geocode_precision", pd.Series("", index=frame.index)) != "country")
        if factor == 1 or not points.any():
            out[layer_id] = frame
            continue
        copies = [frame]
        for i in range(1, factor):
            copy = frame[points].copy()
            angle, radius = i * 2.399963, 0.15 * (i**0.5)  # a sunflower spiral: no two copies coincide
            moved = copy.geometry.translate(radius * math.cos(angle), radius * math.sin(angle))
            copy["geometry"] = moved.where(sited[points], copy.geometry)
            copy["feature_id"] = copy["feature_id"].astype(str) + f"~{i}"
            copies.append(copy)
        out[layer_id] = pd.concat(copies, ignore_index=True)
    return out


def _time_scaled_maps(factors: list[int]) -> list[dict]:
    """The explorer's default map at ``factors`` times the points: message per rerun, data fetched once, build time."""
    import gzip

    from dashboard.filters import Filter
    from dashboard.io import load_layers
    from dashboard.maps.builder import build_map
    from dashboard.maps.layers import MapView
    from dashboard.maps.render import render

    try:
        from dashboard.maps.layer_store import LayerStore
    except ImportError:  # a checkout from before the layer store: everything is in the message
        LayerStore = None
    frames = {lid: Filter().apply(table, gdf) for lid, (table, gdf) in load_layers().items()}
    rows = []
    for factor in factors:
        scaled = scaled_frames(frames, factor)
        store = LayerStore() if LayerStore else None
        t0 = time.perf_counter()
        fmap = build_map(MapView(frames=scaled), "en", legend="none")
        rendered = render(fmap, store=store) if store else render(fmap)
        build_s = time.perf_counter() - t0
        message = json.dumps(
            {"script": rendered.script, "html": rendered.html, "header": rendered.header}, ensure_ascii=False
        ).encode("utf-8")
        data = b"".join(d for _, d in getattr(rendered, "layer_data", ()))
        rows.append(
            {
                "factor": factor,
                "points": sum(int((f.geom_type == "Point").sum()) for f in scaled.values()),
                "message_bytes": len(message),
                "data_bytes": len(data),
                "data_gzip_bytes": len(gzip.compress(data, 6)) if data else 0,
                "build_s": build_s,
            }
        )
    return rows


def _map_bytes(at: AppTest) -> int:
    """Bytes of the folium component payload(s) on the page."""
    total = 0
    for node in at.main:
        if type(node).__name__ == "UnknownElement":
            args = getattr(node.proto, "json_args", "") or ""
            if "leaflet" in args.lower() or "map_div" in args:
                total += len(args.encode("utf-8"))
    return total


def _time_runs(make, repeat: int) -> tuple[float, float, AppTest]:
    colds, warms = [], []
    at = None
    for _ in range(repeat):
        at = make()
        t0 = time.perf_counter()
        at.run()
        colds.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"exception while benchmarking: {at.exception}")
        for _ in range(3):
            t0 = time.perf_counter()
            at.run()
            warms.append(time.perf_counter() - t0)
    return statistics.median(colds), statistics.median(warms), at


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--scale", default="1,10,100", help="times the points for the map-size table")
    parser.add_argument("--scale-only", action="store_true", help="only the map-size table")
    args = parser.parse_args(argv)
    scaled = _time_scaled_maps([int(f) for f in args.scale.split(",")])
    print(f"{'points':>8}{'x':>5}{'map message KB':>16}{'data KB (gzip)':>18}{'build+render ms':>17}")
    for r in scaled:
        print(
            f"{r['points']:>8}{r['factor']:>5}{r['message_bytes'] / 1024:>16.1f}"
            f"{r['data_bytes'] / 1024:>10.1f} ({r['data_gzip_bytes'] / 1024:.1f}){r['build_s'] * 1000:>17.0f}"
        )
    if args.scale_only:
        if args.json:
            Path(args.json).write_text(json.dumps({"scaled_maps": scaled}, indent=1))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        floor_path = Path(tmp) / "floor.py"
        floor_path.write_text(FLOOR_PAGE)
        _time_runs(lambda: AppTest.from_file(str(floor_path), default_timeout=60), 1)  # imports, caches
        floor_cold, floor_warm, floor_at = _time_runs(
            lambda: AppTest.from_file(str(floor_path), default_timeout=60), args.repeat
        )
        floor_bytes = _map_bytes(floor_at)

    def app_for(page: str, lang: str, params: dict | None = None):
        def make():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["lang"] = lang
            for key, value in (params or {}).items():
                at.query_params[key] = value
            at.switch_page(page)
            return at

        return make

    rows = []
    _time_runs(app_for(PAGES[1], "en"), 1)  # load data and build caches once, as a running server has
    for page, params in VIEWS:
        for lang in ("en", "ja"):
            cold, warm, at = _time_runs(app_for(page, lang, params), args.repeat)
            rows.append(
                {
                    "page": page + "".join(f" {k}={v}" for k, v in params.items()),
                    "lang": lang,
                    "cold_s": cold,
                    "warm_s": warm,
                    "warm_ratio": warm / floor_warm,
                    "cold_ratio": cold / floor_warm,
                    "map_bytes": _map_bytes(at),
                }
            )

    print(f"floor: cold {floor_cold * 1000:.0f} ms, warm {floor_warm * 1000:.0f} ms, map message {floor_bytes:,} B")
    print(f"{'page':<36}{'lang':<5}{'cold ms':>9}{'warm ms':>9}{'warm/floor':>12}{'map KB':>9}")
    for r in rows:
        print(
            f"{r['page']:<36}{r['lang']:<5}{r['cold_s'] * 1000:>9.0f}{r['warm_s'] * 1000:>9.0f}"
            f"{r['warm_ratio']:>11.2f}x{r['map_bytes'] / 1024:>9.1f}"
        )
    briefs = _time_briefs(max(1, args.repeat // 2))
    for b in briefs:
        print(
            f"brief {b['brief']:<8} {b['s'] * 1000:>7.0f} ms {b['s'] / floor_warm:>7.1f}x floor  {b['bytes'] / 1024:.0f} KB"
        )
    worst = max(rows, key=lambda r: r["warm_ratio"])
    print(
        f"worst warm ratio: {worst['warm_ratio']:.2f}x ({worst['page']}, {worst['lang']}); "
        f"largest map message: {max(r['map_bytes'] for r in rows) / 1024:.1f} KB"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "floor": {"cold_s": floor_cold, "warm_s": floor_warm, "map_bytes": floor_bytes},
                    "pages": rows,
                    "briefs": briefs,
                    "scaled_maps": scaled,
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
