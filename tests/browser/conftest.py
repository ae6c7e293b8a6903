"""Real-browser tests: the app in headless Debian Chromium, driven by Playwright.

The suite starts the app twice, once at the site root and once under
``--server.baseUrlPath atlas`` (the ``server`` fixture is parametrized), and
runs the browser tests against both; tests of logic that a base path cannot
change are marked ``root_only``. Servers and the browser are session-scoped.
Every interactive test gets a fresh browser context (``page`` fixture); the
page-load checks open all pages at once in one context (``load_pages``).

Every page a test opens records what it asked the network for (requests and
websockets), its console errors and its uncaught page errors, so a test can
assert that nothing left the machine. Screenshots go to
``test-artifacts/screenshots/`` and the requests each page made to
``test-artifacts/requests.json``.

Chromium is Debian's ``/usr/bin/chromium`` (``CHROMIUM`` overrides it);
``playwright install`` is never needed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # `pytest` without `python -m` does not add the repo root
    sys.path.insert(0, str(_ROOT))

from browser_helpers import ARTIFACTS, PAGE_SECONDS, REQUEST_LOG, ROOT, SCREENSHOTS  # noqa: E402

BASE_PATHS = ["", "atlas"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SERVER_START_TIMEOUT = 90  # s; a cold start imports geopandas, pyogrio, plotly
APP_TIMEOUT = 90_000  # ms; the first run of a page also loads every layer into the cache
VIEWPORT = {"width": 1400, "height": 1000}

# Counts finished script runs (each time the app's script state leaves
# "running") and remembers since when the app has been idle, so a test can wait
# for the rerun an action triggers (and for the reruns one may chain with
# st.rerun). Old values are read from the mutation records, so a run that
# starts and ends before the observer's callback still counts.
_RUN_TRACKER = """
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
_APP_IDLE = """
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

# Streamlit's frontend finds its base path by probing <path>/_stcore/health and
# <path>/_stcore/host-config for the URL's path and then its parent; on a page
# URL (/map) the first probe 404s and Chromium logs "Failed to load resource".
# That probe is the framework's, always local, and the only console error we allow.
_STREAMLIT_PROBE = re.compile(r"/[^/?#]+/_stcore/(health|host-config)$")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One running ``streamlit run app.py``."""

    base_path: str
    port: int
    proc: subprocess.Popen
    log_path: Path
    started: float
    ready_after: float | None = None
    cold_probe: dict = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The app's root URL, without a trailing slash."""
        return self.origin + (f"/{self.base_path}" if self.base_path else "")

    @property
    def suffix(self) -> str:
        """Screenshot and report suffix: '' at the root, '_atlas' under a base path."""
        return f"_{self.base_path}" if self.base_path else ""

    def page_url(self, path: str = "", **query) -> str:
        url = f"{self.url}/{path.strip('/')}"
        query = {k: v for k, v in query.items() if v is not None}
        return url + (f"?{urlencode(query)}" if query else "")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def wait_ready(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        health = f"{self.url}/_stcore/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        self.ready_after = time.monotonic() - self.started
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{health} did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own process group: streamlit and any children
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)


def _start_server(base_path: str, extra_args: tuple[str, ...] = (), port: int | None = None) -> Server:
    port = port or _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit{'_' + base_path if base_path else ''}.log"
    cmd = [
        sys.executable,
        "scripts/serve.py",  # the README's way to start the app (see its docstring)
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        # Serve the code as it was at start: no reloads if a file is saved during the run.
        "--server.fileWatcherType",
        "none",
    ]
    if base_path:
        cmd += ["--server.baseUrlPath", base_path]
    cmd += list(extra_args)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    log.close()
    return Server(base_path, port, proc, log_path, time.monotonic())


_STARTED = False  # a browser test asked for a server (for the summary line)


class _ServerPool:
    """Starts every server the selected tests need at once (they boot in parallel)."""

    def __init__(self, base_paths):
        self.base_paths = list(base_paths)
        self.servers: dict[str, Server] = {}

    def get(self, base_path: str) -> Server:
        global _STARTED
        _STARTED = True
        if not self.servers:
            for bp in dict.fromkeys([base_path] + self.base_paths):
                self.servers[bp] = _start_server(bp)
        server = self.servers[base_path]
        if server.ready_after is None:
            server.wait_ready()
        return server

    def probed(self, base_path: str, browser) -> Server:
        """The server, after its first visitor (the cold probe) has been and gone."""
        server = self.get(base_path)
        if not server.cold_probe:
            server.cold_probe = _cold_probe(browser, server)
        return server

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


# -- session fixtures ---------------------------------------------------------------------
def _wanted_base_paths(session) -> list[str]:
    wanted = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "server" in callspec.params:
            wanted.append(callspec.params["server"])
    return list(dict.fromkeys(wanted)) or BASE_PATHS[:1]


@pytest.fixture(scope="session")
def _server_pool(request):
    pool = _ServerPool(_wanted_base_paths(request.session))
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def all_servers(_server_pool, browser) -> list[Server]:
    """Every server the selected tests use, probed; for fixtures that work on all at once."""
    return [_server_pool.probed(bp, browser) for bp in _server_pool.base_paths]


@pytest.fixture
def fresh_server():
    """``fresh_server(*extra_args, port=None)``: a new app process with cold caches, stopped after the test.

    Pass the port of a stopped server to restart the app where a browser still points.
    """
    started: list[Server] = []

    def start(*extra_args: str, port: int | None = None) -> Server:
        srv = _start_server("", extra_args, port)
        started.append(srv)
        srv.wait_ready()
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session", params=BASE_PATHS, ids=["root", "atlas"])
def server(request, _server_pool, browser) -> Server:
    """A running app: at the site root, or under ``--server.baseUrlPath atlas``."""
    return _server_pool.probed(request.param, browser)


def _cold_probe(browser, srv: Server) -> dict:
    """Open a deep link as the server's very first visitor; remember what it showed.

    Done once per server, before any other session, because what Streamlit
    does on its first script run differs from every later one. It also warms
    the server's caches for the tests that follow.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.add_init_script(_RUN_TRACKER)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = srv.page_url("map", lang="en")
    probe = {"url": url, "dialog": "", "h1": "", "console_errors": errors, "error": ""}
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function(_APP_IDLE, arg=[1, 300], timeout=APP_TIMEOUT, polling=100)
        dialog = page.locator('[data-testid="stDialog"]')
        probe["dialog"] = dialog.inner_text() if dialog.count() else ""
        h1 = page.locator('[data-testid="stMainBlockContainer"] h1')
        probe["h1"] = h1.first.inner_text() if h1.count() else ""
    except Exception as exc:  # noqa: BLE001 - reported by the test that reads the probe
        probe["error"] = str(exc).splitlines()[0]
    finally:
        context.close()
    return probe


# -- the page fixture ---------------------------------------------------------------------
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
        self.console_errors: list[ConsoleEntry] = []
        self.page_errors: list[str] = []
        self._in_flight: set = set()
        self._last_activity = time.monotonic()
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_done)
        page.on("websocket", lambda ws: self.websockets.append(ws.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.page_errors.append(f"{e.name}: {e.message}"))
        page.add_init_script(_RUN_TRACKER)

    def __getattr__(self, name):  # page.locator(...), page.url, ... straight through
        return getattr(self.page, name)

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        self._in_flight.add(request)
        self._last_activity = time.monotonic()

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
        from browser_helpers import FOLIUM_IFRAME, map_frame, wait_for_basemap

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
            self.page.wait_for_function(_APP_IDLE, arg=[min_runs, settle_ms], timeout=timeout, polling=100)
        except Exception as exc:
            state = self.page.evaluate(
                "() => { const a = document.querySelector('[data-testid=stApp]');"
                " return a ? [a.getAttribute('data-test-script-state'), a.getAttribute('data-test-connection-state'),"
                " window.__atlasRuns] : null }"
            )
            raise AssertionError(
                f"app did not finish running at {self.page.url} (state, connection, runs: {state})"
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
        selector = '[data-testid="stSidebarNav"] a' + ('[aria-current="page"]' if active_only else "")
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
    maps: int = 0
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
    from browser_helpers import page_name, record_requests

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
                res.error = str(exc).splitlines()[0] if str(exc) else repr(exc)
            try:
                res.exceptions = p.exceptions()
                res.dialogs = p.page.locator('[data-testid="stDialog"]').all_inner_texts()
                res.nav = p.nav_titles()
                res.active_nav = p.nav_titles(active_only=True)
                res.h1 = p.page.locator('[data-testid="stMainBlockContainer"] h1').all_inner_texts()
                res.main_text = p.page.locator('[data-testid="stMainBlockContainer"]').inner_text()
            except Exception as exc:  # noqa: BLE001
                res.error = res.error or repr(exc)
            res.seconds = time.monotonic() - t0
            res.requests = list(p.requests + p.websockets)
            res.external = p.external_requests()
            res.console_errors = [str(e) for e in p.unexpected_console_errors()]
            res.page_errors = list(p.page_errors)
            record_requests(f"{page_name(path)}?lang={lang}{srv.suffix}", p)
            PAGE_SECONDS[f"{page_name(path)}?lang={lang}{srv.suffix}"] = round(res.seconds, 1)
            results[(srv.base_path, path, lang)] = res
            p.page.close()
    finally:
        context.close()
    return results


@pytest.fixture(scope="session")
def page_loader(browser):
    """``page_loader([(server, path, lang), ...])``: :func:`load_pages` with the session's browser."""
    return lambda pages, window=8: load_pages(browser, pages, window)


@pytest.fixture
def page(browser, server) -> AtlasPage:
    """A fresh browser context and page on ``server`` (English browser locale, downloads on)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    context.set_default_timeout(30_000)
    atlas_page = AtlasPage(context.new_page(), server)
    yield atlas_page
    context.close()


@pytest.fixture
def goto(page):
    """``goto(path, **query)``: open a page of the app under the base path and wait for it."""
    return page.goto


# -- reporting ----------------------------------------------------------------------------
_T0 = time.monotonic()


def pytest_sessionstart(session):
    global _T0
    _T0 = time.monotonic()


def pytest_terminal_summary(terminalreporter):
    if not _STARTED:
        return  # no browser test ran
    wall = time.monotonic() - _T0
    ARTIFACTS.mkdir(exist_ok=True)
    if REQUEST_LOG:
        (ARTIFACTS / "requests.json").write_text(json.dumps(REQUEST_LOG, indent=1, sort_keys=True) + "\n")
    if PAGE_SECONDS:
        (ARTIFACTS / "page-seconds.json").write_text(json.dumps(PAGE_SECONDS, indent=1) + "\n")
    (ARTIFACTS / "browser-wall-time.txt").write_text(f"{wall:.1f}\n")
    terminalreporter.write_line(
        f"browser suite wall time: {wall:.1f} s; screenshots in {SCREENSHOTS.relative_to(ROOT)}/, "
        f"requests per page in {(ARTIFACTS / 'requests.json').relative_to(ROOT)}"
    )
