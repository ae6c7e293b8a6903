"""Map layer data served by URL, so the map message Streamlit sends on a rerun stays small.

A map's point symbols are data: thousands of them as folium markers make a
message of megabytes, sent again on every rerun (2.2 MB at a hundred times
today's points). Instead the builder puts them here as one compact JSON
document, named by its content's hash, and the map fetches it by URL: the
message carries the URL, the browser caches the file (its name changes when
its content does), and the server sends it once per browser.

:data:`STORE` is the one per process. It only grows by content-addressed,
immutable entries, and drops the least recently used past its bounds, so
sessions never see each other's changes. A rendered map carries its data as
well as its URL (:class:`dashboard.maps.render.RenderedMap`), and the page
puts it back (:meth:`LayerStore.keep`) each time it draws the map, so a map
still in use is never left pointing at data the store has dropped.

:class:`LayerDataRoute` answers ``<base>/_atlas/layers/<hash>.json``. Nothing here
needs Streamlit.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import OrderedDict

ROUTE = "_atlas/layers/"
#: The route as the map (inside the component's iframe, ``<base>/component/<name>/``) reaches it.
URL_PREFIX = "../../" + ROUTE
_NAME = re.compile(r"^([0-9a-f]{32})\.json$")


class LayerStore:
    """Content-addressed JSON documents, kept compressed, bounded by count and bytes."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 128 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[bytes, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, data: bytes) -> str:
        """Keep ``data``; return its name (the same data always gets the same name)."""
        key = hashlib.sha256(data).hexdigest()[:32]
        self.keep(key, data)
        return key

    def keep(self, key: str, data: bytes) -> None:
        """Make sure ``data``, named ``key`` by :meth:`put`, is here (cheap when it is)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return
        compressed = gzip.compress(data, 6)
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (data, compressed)
                self._bytes += len(data) + len(compressed)
                # The newest stays even alone past the bytes bound: the map that made it is about to fetch it.
                while len(self._entries) > 1 and (
                    len(self._entries) > self.max_entries or self._bytes > self.max_bytes
                ):
                    _, (old, old_gz) = self._entries.popitem(last=False)
                    self._bytes -= len(old) + len(old_gz)

    def get(self, key: str) -> tuple[bytes, bytes] | None:
        """(data, gzip-compressed data) named ``key``, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry


STORE = LayerStore()


class LayerDataRoute:
    """ASGI middleware answering ``<base>/_atlas/layers/<name>.json`` from a :class:`LayerStore`."""

    def __init__(self, app, base_url: str = "", store: LayerStore | None = None):
        self.app = app
        base = base_url.strip("/")
        self.prefix = f"/{base}/{ROUTE}" if base else f"/{ROUTE}"
        self.store = STORE if store is None else store

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        match = _NAME.match(scope["path"][len(self.prefix) :])
        entry = self.store.get(match.group(1)) if match and scope.get("method") in ("GET", "HEAD") else None
        if entry is None:
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Not found"})
            return
        data, compressed = entry
        accepts_gzip = b"gzip" in dict(scope.get("headers") or []).get(b"accept-encoding", b"")
        body = compressed if accepts_gzip else data
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            # The name is the content's hash: the same URL never means other data.
            (b"cache-control", b"public, max-age=31536000, immutable"),
            (b"vary", b"Accept-Encoding"),
        ]
        if accepts_gzip:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
