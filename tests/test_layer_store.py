"""Map layer data by URL: the store keeps content-addressed documents within bounds, the route serves them,
and a map's message does not grow with its points."""

from __future__ import annotations

import gzip
import json
import sys

import pytest
from apptest_helpers import ROOT, markers_drawn, point_rows, run_outside_any_loop

from dashboard.filters import Filter
from dashboard.io import load_layers
from dashboard.maps.builder import build_map
from dashboard.maps.layer_store import LayerDataRoute, LayerStore
from dashboard.maps.layers import MapView
from dashboard.maps.point_layer import Point, PointLayer
from dashboard.maps.render import render


def test_the_same_data_gets_the_same_name_and_a_dropped_entry_comes_back_with_keep():
    store = LayerStore(max_entries=2)
    a = store.put(b'{"rows": [1]}')
    assert store.put(b'{"rows": [1]}') == a and len(a) == 32
    store.put(b'{"rows": [2]}')
    store.put(b'{"rows": [3]}')
    assert store.get(a) is None  # the least recently used went first
    store.keep(a, b'{"rows": [1]}')  # what a page does each time it draws the map
    data, compressed = store.get(a)
    assert data == b'{"rows": [1]}' and gzip.decompress(compressed) == data


def test_the_store_is_bounded_by_bytes_but_keeps_the_newest():
    store = LayerStore(max_bytes=100)
    first = store.put(b"x" * 80)
    big = store.put(b"y" * 500)
    assert store.get(first) is None and store.get(big) is not None


def _get(route, path, accept=b"gzip"):
    sent = []

    async def send(message):
        sent.append(message)

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    route.app = inner
    headers = [(b"accept-encoding", accept)] if accept else []
    run_outside_any_loop(route({"type": "http", "method": "GET", "path": path, "headers": headers}, None, send))
    return sent[0]["status"], dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_the_route_serves_a_document_compressed_and_immutable_and_nothing_else():
    store = LayerStore()
    name = store.put(b'{"rows": []}')
    route = LayerDataRoute(None, base_url="atlas", store=store)
    status, headers, body = _get(route, f"/atlas/_atlas/layers/{name}.json")
    assert status == 200 and headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == b'{"rows": []}'
    assert b"immutable" in headers[b"cache-control"] and headers[b"content-type"] == b"application/json"
    assert _get(route, f"/atlas/_atlas/layers/{name}.json", accept=None)[2] == b'{"rows": []}'
    for path in (
        f"/atlas/_atlas/layers/{'0' * 32}.json",
        "/atlas/_atlas/layers/../../etc/passwd",
        "/atlas/_atlas/layers/",
    ):
        assert _get(route, path)[0] == 404, path
    assert _get(route, "/atlas/_stcore/health")[0] == 204  # other routes reach the app


def test_a_point_layer_carries_its_rows_inline_or_names_its_url():
    evil = "<img src=x onerror=alert(1)>"
    layer = PointLayer([Point(1.234567, 103.8, ("<b></b>", 14, 14), (3, -2), "&lt;img&gt;", "a:1", ("a:1", "a:2"))])
    data = json.loads(layer.payload())
    assert data == {
        "symbols": [["<b></b>", 14, 14]],
        "rows": [[1.23457, 103.8, 0, 3, -2, "&lt;img&gt;", "a:1", ["a:1", "a:2"]]],
    }
    assert layer.options["data"] == data
    layer.serve_from("../../_atlas/layers/abc.json")
    assert layer.options == {"url": "../../_atlas/layers/abc.json", "keyboard": True}
    assert evil not in layer.payload().decode()


@pytest.fixture(scope="module")
def frames():
    return {lid: Filter().apply(table, gdf) for lid, (table, gdf) in load_layers().items()}


def test_the_map_message_does_not_grow_with_the_points(frames):
    sys.path.insert(0, str(ROOT / "scripts"))
    from benchmark import scaled_frames

    sizes, drawn = [], []
    for factor in (1, 10):
        store = LayerStore()
        rendered = render(build_map(MapView(frames=scaled_frames(frames, factor)), "en", legend="none"), store=store)
        sizes.append(len(rendered.script) + len(rendered.html) + len(rendered.header))
        data = {name: json.loads(d) for name, d in rendered.layer_data}
        drawn.append(sum(len(doc["rows"]) for doc in data.values()))
        assert all(store.get(name) for name in data)
    # Ten times the points: ten times the rows fetched once (badges stay one per country), the same message.
    assert drawn[1] > 8 * drawn[0] and abs(sizes[1] - sizes[0]) < 2_000 and sizes[1] < 150_000


def test_inline_and_by_url_draw_the_same_markers(frames):
    from dashboard.maps.layer_store import STORE

    inline = build_map(MapView(frames=frames), "en", legend="none").get_root().render()
    by_url = render(build_map(MapView(frames=frames), "en", legend="none"), store=STORE).script
    assert "_atlas/layers/" in by_url and "_atlas/layers/" not in inline
    assert point_rows(inline) == point_rows(by_url) and markers_drawn(inline) == markers_drawn(by_url) > 50
