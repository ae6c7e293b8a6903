"""Static files are sent gzip-compressed, compressed once per file, and anything else passes untouched."""

from __future__ import annotations

import gzip

import pytest
from apptest_helpers import run_outside_any_loop

from dashboard.ui import static_compression
from dashboard.ui.static_compression import CompressedStatic

BUNDLE = b"function plotly(){return 'a chart';}\n" * 2000


def _app(status=200, body=BUNDLE, content_type=b"application/javascript", extra=()):
    calls = []

    async def app(scope, receive, send):
        calls.append(dict(scope["headers"]))
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        # Streamed in pieces, as Starlette's FileResponse does.
        for i in range(0, len(body), 4096):
            await send({"type": "http.response.body", "body": body[i : i + 4096], "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    app.calls = calls
    return app


def _get(middleware, path, headers=((b"accept-encoding", b"gzip, deflate"),), method="GET"):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path, "headers": list(headers)}
    run_outside_any_loop(middleware(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k: v for k, v in start["headers"]}, body


def test_a_bundle_is_sent_compressed_and_decodes_to_the_same_bytes():
    inner = _app(extra=[(b"etag", b'"v1"')])
    status, headers, body = _get(CompressedStatic(inner), "/static/js/index.js")
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == BUNDLE
    assert int(headers[b"content-length"]) == len(body) < len(BUNDLE) / 10
    assert headers[b"vary"] == b"Accept-Encoding" and headers[b"etag"] == b'"v1"'
    # The inner app is never asked to compress again.
    assert b"accept-encoding" not in inner.calls[0]


def test_each_file_is_compressed_once(monkeypatch):
    compressions = []
    real = gzip.compress
    monkeypatch.setattr(
        static_compression.gzip, "compress", lambda data, level: compressions.append(1) or real(data, level)
    )
    middleware = CompressedStatic(_app(extra=[(b"etag", b'"v1"')]))
    bodies = {_get(middleware, "/app/static/geo/countries.topojson")[2] for _ in range(5)}
    assert len(bodies) == 1 and len(compressions) == 1


def test_a_file_sent_once_is_sent_again_from_memory_and_a_browser_that_has_it_gets_304():
    inner = _app(extra=[(b"etag", b'"v1"'), (b"cache-control", b"public, immutable")])
    middleware = CompressedStatic(inner)
    first = _get(middleware, "/static/js/index.js")
    again = _get(middleware, "/static/js/index.js")
    assert again == first and len(inner.calls) == 1
    status, headers, body = _get(
        middleware, "/static/js/index.js", [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"v1"')]
    )
    assert (status, body, headers[b"etag"], headers[b"cache-control"]) == (304, b"", b'"v1"', b"public, immutable")
    assert len(inner.calls) == 1


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(static_compression, "CACHE_LIMIT", 10)
    middleware = CompressedStatic(_app())
    status, headers, body = _get(middleware, "/static/js/a.js")
    assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == BUNDLE
    assert middleware._cached_bytes == 0  # compressed, but not kept past the limit


@pytest.mark.parametrize(
    ("path", "headers", "app"),
    [
        ("/static/js/a.js", [], _app()),  # the browser did not offer gzip
        ("/static/js/a.js", [(b"accept-encoding", b"gzip"), (b"range", b"bytes=0-9")], _app()),
        ("/static/js/a.js", [(b"accept-encoding", b"gzip")], _app(status=304, body=b"")),
        ("/static/media/photo.png", [(b"accept-encoding", b"gzip")], _app(content_type=b"image/png")),
        ("/static/js/tiny.js", [(b"accept-encoding", b"gzip")], _app(body=b"x=1")),
        ("/_stcore/health", [(b"accept-encoding", b"gzip")], _app()),  # not a static route
    ],
    ids=["no gzip offered", "range", "not modified", "image", "tiny", "other route"],
)
def test_what_is_not_a_whole_compressible_static_file_passes_untouched(path, headers, app):
    status, sent_headers, body = _get(CompressedStatic(app), path, headers)
    assert b"content-encoding" not in sent_headers
    expected = {304: b""}.get(status, b"x=1" if path.endswith("tiny.js") else BUNDLE)
    assert body == expected


def test_the_routes_move_with_the_base_url_path():
    middleware = CompressedStatic(_app(), base_url="/atlas/")
    assert _get(middleware, "/atlas/static/js/a.js")[1][b"content-encoding"] == b"gzip"
    assert b"content-encoding" not in _get(middleware, "/static/js/a.js")[1]


def test_the_basemap_is_named_json_so_it_is_compressed():
    import mimetypes

    from dashboard.ui.serving import register_types

    register_types()
    assert mimetypes.guess_type("countries.topojson")[0] == "application/json"
    assert mimetypes.guess_type("countries.topojson")[0].startswith(static_compression.COMPRESSIBLE_TYPES)
