"""Static files sent gzip-compressed, each compressed once per process.

Streamlit serves its own frontend bundles (``/static/...``: the app's
JavaScript, plotly.js for charts, about 7 MB for a page with a chart)
uncompressed on purpose: its gzip middleware would compress them again on
every request, and it expects a proxy in front to do it. A seminar venue
often has no proxy and slow Wi-Fi, where 7 MB is a minute. So this middleware
compresses those bundles, the atlas's own static files (``/app/static/``: the
basemap, the vendored Leaflet) and the components' files (``/component/``),
and keeps the compressed body: the files are immutable for the process's
life (content-hashed names, or the release's own files), so every later
visitor gets the stored bytes at no CPU cost.

What is kept is bounded (:data:`CACHE_LIMIT` bytes, compressed); past it a
response is compressed without being kept. A file sent once is sent again
from memory (with its ``ETag``, and a 304 for a browser that has it), without
reading the file: the static folders do not change while the process runs
(a release is a restart). A response that is not a whole 200 (a range
request, a 304) or is already encoded passes through untouched.
"""

from __future__ import annotations

import gzip
import threading

import anyio

COMPRESSED_PREFIXES = ("/static/", "/app/static/", "/component/")
COMPRESSIBLE_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/xml",
    "image/svg+xml",
)
MINIMUM_SIZE = 1024  # bytes; smaller bodies gain nothing worth the header
CACHE_LIMIT = 64 * 1024 * 1024  # Streamlit's whole frontend compresses to about 8 MB
LEVEL = 6


class CompressedStatic:
    """ASGI middleware: gzip the static routes above, once per file and process."""

    def __init__(self, app, base_url: str = ""):
        self.app = app
        base = base_url.strip("/")
        self.prefixes = tuple(f"/{base}{p}" if base else p for p in COMPRESSED_PREFIXES)
        self._cache: dict[tuple[str, bytes], bytes] = {}
        self._sent: dict[str, tuple[list, bytes]] = {}  # path -> (headers, body) of a 200 sent compressed
        self._cached_bytes = 0
        self._lock = threading.Lock()

    def wants(self, scope) -> bool:
        """Whether this request is one to compress here."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        if not scope.get("path", "").startswith(self.prefixes):
            return False
        headers = dict(scope.get("headers") or [])
        return b"gzip" in headers.get(b"accept-encoding", b"") and b"range" not in headers

    async def __call__(self, scope, receive, send):
        if not self.wants(scope):
            await self.app(scope, receive, send)
            return
        stored = self._sent.get(scope["path"])
        if stored is not None:
            # Sent before: answer from memory, without the file, the thread hop or the inner stack
            # (a cold page makes a hundred such requests).
            headers, compressed = stored
            etag = dict(headers).get(b"etag")
            if etag and etag == dict(scope["headers"]).get(b"if-none-match"):
                kept = [(k, v) for k, v in headers if k in (b"etag", b"cache-control", b"last-modified", b"vary")]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": compressed})
            return
        # Inner middleware must not compress what is compressed here.
        inner_scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        start: dict | None = None
        chunks: list[bytes] = []

        async def buffer(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            else:
                await send(message)

        await self.app(inner_scope, receive, buffer)
        if start is None:
            return
        body = b"".join(chunks)
        headers = list(start.get("headers", []))
        names = {k.lower(): v for k, v in headers}
        content_type = names.get(b"content-type", b"").decode("latin-1")
        if (
            start["status"] != 200
            or b"content-encoding" in names
            or len(body) < MINIMUM_SIZE
            or not content_type.startswith(COMPRESSIBLE_TYPES)
        ):
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        key = (scope["path"], names.get(b"etag", b"") or str(len(body)).encode())
        compressed = self._cache.get(key)
        if compressed is None:
            # Off the event loop: plotly.js takes a tenth of a second, and the loop serves every session.
            compressed = await anyio.to_thread.run_sync(gzip.compress, body, LEVEL)
            with self._lock:
                if key not in self._cache and self._cached_bytes + len(compressed) <= CACHE_LIMIT:
                    self._cache[key] = compressed
                    self._cached_bytes += len(compressed)
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"vary")]
        kept += [
            (b"content-encoding", b"gzip"),
            (b"content-length", str(len(compressed)).encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        with self._lock:
            if self._cache.get(key) is compressed and scope["path"] not in self._sent:
                # The inner app's own headers (security headers are added outside), for the next request.
                self._sent[scope["path"]] = (kept, compressed)
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": compressed})
