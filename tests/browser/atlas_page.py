"""The page object the browser tests drive, and the loader that opens many pages at once.

An :class:`AtlasPage` records what its page asked the network for (requests
and websockets), its console errors and its uncaught page errors, so a test
can assert that nothing left the machine; it waits for the app's script runs
through a tracker script added to every document. :func:`load_pages` opens
many pages concurrently and returns what each showed (:class:`Loaded`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from accessibility import Audit, audit
from artifacts import AXE_LOG, PAGE_SECONDS, SCREENSHOTS, record_requests
from map_dom import FOLIUM_IFRAME, map_frame, wait_for_basemap

if TYPE_CHECKING:
    from atlas_server import Server

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
APP_TIMEOUT = 90_000  # ms; the first run of a page also loads every layer into the cache
VIEWPORT = {"width": 1400, "height": 1000}

# Counts finished script runs (each time the app's script state leaves
# "running") and remembers since when the app has been idle, so a test can wait
# for the rerun an action triggers (and for the reruns one may chain with
# st.rerun). Old values are read from the mutation records, so a run that
# starts and ends before the observer's callback still counts.
RUN_TRACKER = """
(() => {
  window.__atlasRuns = 0;
  window.__atlasIdleSince = null;
  const now = (state) => {
    if (state === "running") { window.__atlasIdleSince = null; }
    else if (state === "notRunning" && window.__atlasIdleSince === null) { window.__atlasIdleSince = performance.now(); }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") {
        if (r.oldValue === "running") { window.__atlasRuns += 1; }
        now(r.target.getAttribute("data-test-script-state"));
      }
      for (const n of r.addedNodes || []) {
        if (n.nodeType === 1) {
          const app = n.matches("[data-test-script-state]") ? n : n.querySelector("[data-test-script-state]");
          if (app) { now(app.getAttribute("data-test-script-state")); }
        }
      }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ["data-test-script-state"]});
})();
"""

# True once the app has finished its script run and stayed idle for a moment
# (a page that calls st.rerun() goes running -> notRunning -> running quickly).
APP_IDLE = """
([minRuns, settleMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (window.__atlasRuns < minRuns) return false;
  if (window.__atlasIdleSince === null || performance.now() - window.__atlasIdleSince < settleMs) return false;
  if (document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')) return false;
  // Elements whose code is still loading (a component iframe, a chart) show as skeletons.
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  return !!main && main.innerText.trim().length > 0;
}
"""

# The navigation's page titles (the icon's ligature text left out).
_NAV_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).map((a) => {
  const copy = a.cloneNode(true);
  copy.querySelectorAll('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]').forEach((i) => i.remove());
  return copy.textContent.trim();
})
"""

# What a reader sees or hears on a page: visible text nodes (code blocks are literal text to copy,
# icons are ligature names) and the labels and tips a screen reader or a hover shows.
SHOWN_STRINGS_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, pre, code, [data-testid="stIconMaterial"]')) { continue; }
    if (!el.getClientRects().length || !node.nodeValue.trim()) { continue; }
    out.push(node.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [data-title], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'data-title', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) { out.push(value.trim()); }
    }
  }
  return out;
}
"""

# Streamlit's frontend finds its base path by probing <path>/_stcore/health and
# <path>/_stcore/host-config for the URL's path and then its parent; on a page
# URL (/map) the first probe 404s and Chromium logs "Failed to load resource".
# That probe is the framework's, always local, and the only console error we allow.
_STREAMLIT_PROBE = re.compile(r"/[^/?#]+/_stcore/(health|host-config)$")


def page_name(path: str) -> str:
    """A page's name in screenshots, reports and test ids ('' is the overview)."""
    return path or "overview"


@dataclass
class ConsoleEntry:
    type: str
    text: str
    url: str

    def __str__(self) -> str:
        return f"[{self.type}] {self.text} ({self.url})"


class AtlasPage:
    """A Playwright page on the app that records its network and console.

    Attributes
    ----------
    page : playwright.sync_api.Page
    server : Server
    requests : list of str
        Every request URL (all frames, including the map iframe), in order.
    websockets : list of str
    console_errors : list of ConsoleEntry
    page_errors : list of str
        Uncaught exceptions in the page's scripts.
    """

    def __init__(self, page, server: Server):
        self.page = page
        self.server = server
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.frames_received = 0
        self.console_errors: list[ConsoleEntry] = []
        self.page_errors: list[str] = []
        self._in_flight: set = set()
        self._last_activity = time.monotonic()
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_done)
        page.on("websocket", self._on_websocket)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.page_errors.append(f"{e.name}: {e.message}"))
        page.add_init_script(RUN_TRACKER)

    def __getattr__(self, name):  # page.locator(...), page.url, ... straight through
        return getattr(self.page, name)

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        self._in_flight.add(request)
        self._last_activity = time.monotonic()

    def _on_websocket(self, ws) -> None:
        self.websockets.append(ws.url)
        # Counted so a page that never ran can tell "the server sent nothing" from "the run was missed".
        ws.on("framereceived", self._count_frame)

    def _count_frame(self, _frame) -> None:
        self.frames_received += 1

    def _on_request_done(self, request) -> None:
        self._in_flight.discard(request)
        self._last_activity = time.monotonic()

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(ConsoleEntry(msg.type, msg.text, (msg.location or {}).get("url", "")))

    # navigation and waiting
    def goto(self, path: str = "", **query) -> AtlasPage:
        """Open ``path`` (a url_path, '' for the default page) under the base path; wait for the app."""
        self.start(path, **query)
        self.wait_for_app(min_runs=1)
        return self

    def start(self, path: str = "", **query) -> AtlasPage:
        """Begin loading ``path`` without waiting for the app (see :func:`load_pages`)."""
        self.page.goto(self.server.page_url(path, **query), wait_until="commit")
        return self

    def wait_for_maps(self, timeout: float = 60_000) -> int:
        """Wait for every folium map on the page to draw its basemap; return how many maps there are.

        Called after :meth:`wait_for_app`, which waits for component
        skeletons to turn into their iframes.
        """
        n = self.page.locator(FOLIUM_IFRAME).count()
        for i in range(n):
            frame = map_frame(self.page, i, timeout=timeout)
            if frame.locator(".leaflet-basemap-pane").count():
                wait_for_basemap(frame, timeout=timeout)
        self.settle_network()
        return n

    def runs(self) -> int:
        """How many script runs this page has seen finish."""
        return self.page.evaluate("window.__atlasRuns")

    def wait_for_app(self, min_runs: int = 1, timeout: float = APP_TIMEOUT, settle_ms: int = 300) -> None:
        """Wait until the app finished its script run(s) and the main block shows content."""
        try:
            self.page.wait_for_function(APP_IDLE, arg=[min_runs, settle_ms], timeout=timeout, polling=100)
        except Exception as exc:
            state = self.page.evaluate(
                "() => { const a = document.querySelector('[data-testid=stApp]');"
                " return a ? [a.getAttribute('data-test-script-state'), a.getAttribute('data-test-connection-state'),"
                " window.__atlasRuns] : null }"
            )
            raise AssertionError(
                f"app did not finish running at {self.page.url} (state, connection, runs: {state};"
                f" websocket frames received: {self.frames_received})"
                f"\nserver log:\n{self.server.log_tail(20)}"
            ) from exc

    def rerun(self, action, timeout: float = APP_TIMEOUT, grace: float = 5_000) -> None:
        """Do ``action()`` (a click, a key press) and wait for the script run it triggers.

        If no run is seen within ``grace`` ms (React may batch a very quick
        run's two states into one render), the app only has to be idle: the
        test then waits for the outcome it expects (a URL, a redrawn map).
        """
        before = self.runs()
        action()
        try:
            self.page.wait_for_function("(n) => window.__atlasRuns > n", arg=before, timeout=grace, polling=50)
        except Exception:  # noqa: BLE001 - see docstring
            pass
        self.wait_for_app(min_runs=0, timeout=timeout)

    def wait_for_query(self, key: str, value: str | None, timeout: float = 30_000) -> None:
        """Wait until the URL's ``key`` parameter equals ``value`` (None: absent)."""
        self.page.wait_for_function(
            "([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value], timeout=timeout
        )

    def settle_network(self, quiet_ms: int = 400, timeout: float = 5_000) -> bool:
        """Wait until no request is in flight and none started for ``quiet_ms``; False on timeout.

        (Playwright's "networkidle" load state only happens once per
        navigation, so it cannot tell when a rerun's requests are over.)
        """
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            if not self._in_flight and time.monotonic() - self._last_activity >= quiet_ms / 1000:
                return True
            self.page.wait_for_timeout(50)  # lets Playwright deliver the page's events
        return False

    def nav_titles(self, active_only: bool = False) -> list[str]:
        selector = ".st-key-atlas_nav a" + ('[aria-current="page"]' if active_only else "")
        return self.page.evaluate(_NAV_JS, selector)

    # what the page did
    def external_requests(self) -> list[str]:
        urls = self.requests + self.websockets
        return [
            u
            for u in urls
            if urlsplit(u).scheme not in ("data", "blob", "about", "chrome-error")
            and urlsplit(u).hostname not in LOCAL_HOSTS
        ]

    def unexpected_console_errors(self) -> list[ConsoleEntry]:
        """Console errors, less Streamlit's own base-path probe (see _STREAMLIT_PROBE)."""
        out = []
        for entry in self.console_errors:
            is_probe = (
                "status of 404" in entry.text
                and entry.url.startswith(self.server.url + "/")
                and _STREAMLIT_PROBE.search(urlsplit(entry.url).path)
            )
            if not is_probe:
                out.append(entry)
        return out

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def assert_clean(self) -> None:
        """Nothing left the machine, no console error, no uncaught script error, no exception box."""
        external = self.external_requests()
        assert not external, "requests left localhost:\n" + "\n".join(external)
        errors = self.unexpected_console_errors()
        assert not errors, "console errors:\n" + "\n".join(map(str, errors))
        assert not self.page_errors, "page errors:\n" + "\n".join(self.page_errors)
        boxes = self.exceptions()
        assert not boxes, "Streamlit exception shown:\n" + "\n---\n".join(boxes)

    def screenshot(self, name: str, lang: str) -> Path:
        """Save ``<name>_<lang>[_<basepath>].png`` under test-artifacts/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}_{lang}{self.server.suffix}.png"
        self.page.screenshot(path=str(path))
        return path


@dataclass
class Loaded:
    """A page opened by :func:`load_pages`, checked, and closed."""

    path: str
    lang: str
    url: str
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    active_nav: list[str] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    main_text: str = ""
    shown_strings: list[str] = field(default_factory=list)  # every visible text and label (see SHOWN_STRINGS_JS)
    maps: int = 0
    audit: Audit = field(default_factory=Audit)  # axe-core, WCAG 2.1 A/AA (see accessibility.py)
    screenshot: Path | None = None
    seconds: float = 0.0
    error: str = ""  # the page did not finish loading


def load_pages(browser, pages: list[tuple[Server, str, str]], window: int = 8) -> dict:
    """Open many pages at once (``window`` in flight), check each, and return what they showed.

    Loading pages one after another leaves the browser and the servers idle
    part of the time (a page waits for its script run, then for its map
    iframe); keeping several in flight, on both servers at once, overlaps
    those waits. Every page still has its own recorders, so what one page
    requested is never mixed up with another's.

    Parameters
    ----------
    pages : list of (Server, path, lang)

    Returns
    -------
    dict
        (base_path, path, lang) -> :class:`Loaded`.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(30_000)
    results, queue, in_flight = {}, list(pages), []

    def launch():
        srv, path, lang = queue.pop(0)
        atlas_page = AtlasPage(context.new_page(), srv)
        try:
            atlas_page.start(path, lang=lang)
        except Exception as exc:  # noqa: BLE001 - reported by the page's own test
            results[(srv.base_path, path, lang)] = Loaded(path, lang, srv.page_url(path, lang=lang), error=repr(exc))
            atlas_page.page.close()
            return
        in_flight.append((srv, path, lang, atlas_page, time.monotonic()))

    try:
        while queue or in_flight:
            while queue and len(in_flight) < window:
                launch()
            if not in_flight:
                continue
            srv, path, lang, p, t0 = in_flight.pop(0)
            res = Loaded(path, lang, srv.page_url(path, lang=lang))
            try:
                p.wait_for_app(min_runs=1)
                res.maps = p.wait_for_maps()
                res.screenshot = p.screenshot(page_name(path), lang)
            except Exception as exc:  # noqa: BLE001
                res.error = str(exc) or repr(exc)  # whole: the server log's tail follows the first line
            try:
                res.exceptions = p.exceptions()
                res.dialogs = p.page.locator('[data-testid="stDialog"]').all_inner_texts()
                res.nav = p.nav_titles()
                res.active_nav = p.nav_titles(active_only=True)
                res.h1 = p.page.locator('[data-testid="stMainBlockContainer"] h1').all_inner_texts()
                res.main_text = p.page.locator('[data-testid="stMainBlockContainer"]').inner_text()
                res.shown_strings = [s for frame in p.page.frames for s in frame.evaluate(SHOWN_STRINGS_JS)]
                res.audit = audit(p.page)  # last: axe adds nothing a reader sees, but it adds a script
            except Exception as exc:  # noqa: BLE001
                res.error = res.error or repr(exc)
            res.seconds = time.monotonic() - t0
            res.requests = list(p.requests + p.websockets)
            res.external = p.external_requests()
            res.console_errors = [str(e) for e in p.unexpected_console_errors()]
            res.page_errors = list(p.page_errors)
            record_requests(f"{page_name(path)}?lang={lang}{srv.suffix}", p)
            PAGE_SECONDS[f"{page_name(path)}?lang={lang}{srv.suffix}"] = round(res.seconds, 1)
            AXE_LOG[f"{page_name(path)}?lang={lang}{srv.suffix}"] = [str(v) for v in res.audit.violations]
            results[(srv.base_path, path, lang)] = res
            p.page.close()
    finally:
        context.close()
    return results
