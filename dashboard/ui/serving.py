"""How the atlas's server differs from a stock ``streamlit run``, set before it starts.

``scripts/serve.py`` calls :func:`configure` and then Streamlit's own CLI; the
README's ``make run``, the tests and the deployment all start the app that way.

- **No ``pages/`` folder mode.** Streamlit treats a ``pages/`` folder beside
  the main script as an old-style multipage app until ``st.navigation`` first
  runs, so the first deep link on a fresh server (``/downloads``) would run
  that page without app.py's frame. app.py routes every page itself.
- **No cache clearing from a browser.** Any websocket client can send the
  developer menu's "clear cache" message, and it empties the caches of every
  session on the server; viewers have no menu for it, so the message is
  ignored (restart the server to clear caches).
- **Headers for a public deployment.** Pages may only be framed by the atlas
  itself (``frame-ancestors 'self'``, ``X-Frame-Options``), files are never
  content-sniffed, and referrers stay on the site.
- **Static files compressed, once.** Streamlit sends its frontend bundles
  uncompressed (7 MB for a page with a chart); the atlas compresses them and
  its own static files once per process (:mod:`dashboard.ui.static_compression`).
- **Map data by URL.** ``<base>/_atlas/layers/<hash>.json`` serves the maps'
  point symbols (:mod:`dashboard.maps.layer_store`), so a rerun's map message
  stays small however many points there are.
- **No public metrics.** ``/_stcore/metrics`` walks every session's state
  (CPU on every request) and tells anyone how many people are connected;
  it answers 404 unless ``ATLAS_EXPOSE_METRICS=1``.
"""

from __future__ import annotations

import os

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"referrer-policy", b"same-origin"),
)
METRICS_SUFFIX = "/_stcore/metrics"


class SecurityHeaders:
    """ASGI middleware: add :data:`SECURITY_HEADERS`; hide the metrics endpoint."""

    def __init__(self, app, expose_metrics: bool = False):
        self.app = app
        self.expose_metrics = expose_metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.expose_metrics and scope.get("path", "").rstrip("/").endswith(METRICS_SUFFIX):
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Not found"})
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def configure() -> None:
    """Apply every setting above to this process (call before Streamlit's CLI)."""
    register_types()
    from starlette.middleware import Middleware
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_app

    PagesManager.uses_pages_directory = False
    AppSession._handle_clear_cache_request = _ignore_clear_cache

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "_atlas", False):
        return
    expose = os.environ.get("ATLAS_EXPOSE_METRICS") == "1"

    def create_streamlit_middleware():
        from streamlit import config

        from dashboard.maps.layer_store import LayerDataRoute
        from dashboard.ui.static_compression import CompressedStatic

        base_url = config.get_option("server.baseUrlPath") or ""
        # Outermost, so every response gets the headers, the 404 included.
        return [
            Middleware(SecurityHeaders, expose_metrics=expose),
            Middleware(LayerDataRoute, base_url=base_url),
            Middleware(CompressedStatic, base_url=base_url),
            *original(),
        ]

    create_streamlit_middleware._atlas = True
    starlette_app.create_streamlit_middleware = create_streamlit_middleware


def register_types() -> None:
    """File types the static server must know: it names them by extension, and compresses only text."""
    import mimetypes

    mimetypes.add_type("application/json", ".topojson")  # otherwise octet-stream, sent uncompressed


def _ignore_clear_cache(self) -> None:
    """Replaces ``AppSession._handle_clear_cache_request`` (see the module docstring)."""
