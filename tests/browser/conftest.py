"""Fixtures and hooks of the real-browser tests: the app in headless Debian Chromium, driven by Playwright.

The suite starts the app twice, once at the site root and once under
``--server.baseUrlPath atlas`` (the ``server`` fixture is parametrized), and
runs the browser tests against both; tests of logic that a base path cannot
change are marked ``root_only``. Servers and the browser are session-scoped.
Every interactive test gets a fresh browser context (``page`` fixture); the
page-load checks open all pages at once in one context (``page_loader``).

Servers are in ``atlas_server``, the page object and the page loader in
``atlas_page``; what the suite leaves in ``test-artifacts/`` is in
``artifacts``. Chromium is Debian's ``/usr/bin/chromium`` (``CHROMIUM``
overrides it; see tests/conftest.py); ``playwright install`` is never needed.
"""

from __future__ import annotations

import re
import sys
import time

import pytest
from artifacts import ROOT, write_reports
from atlas_page import VIEWPORT, AtlasPage, load_pages
from atlas_server import BASE_PATHS, Server, ServerPool, start_server

if str(ROOT) not in sys.path:  # `pytest` without `python -m` does not add the repo root (the tests import dashboard)
    sys.path.insert(0, str(ROOT))

_T0 = time.monotonic()
_SERVERS_ASKED = False  # a browser test asked for a session server (for the summary line)


def _wanted_base_paths(session) -> list[str]:
    wanted = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "server" in callspec.params:
            wanted.append(callspec.params["server"])
    return list(dict.fromkeys(wanted)) or BASE_PATHS[:1]


# -- servers ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _server_pool(request):
    global _SERVERS_ASKED
    _SERVERS_ASKED = True
    pool = ServerPool(_wanted_base_paths(request.session))
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def all_servers(_server_pool, browser) -> list[Server]:
    """Every server the selected tests use, probed; for fixtures that work on all at once."""
    return [_server_pool.probed(bp, browser) for bp in _server_pool.base_paths]


@pytest.fixture
def fresh_server(request):
    """``fresh_server(*extra_args, port=None)``: a new app process with cold caches, stopped after the test.

    Pass the port of a stopped server to restart the app where a browser still points.
    Each one logs to ``test-artifacts/streamlit_<test>_<n>.log``.
    """
    started: list[Server] = []
    test = re.sub(r"\W+", "_", request.node.name).strip("_")

    def start(*extra_args: str, port: int | None = None) -> Server:
        srv = start_server("", extra_args, port, log_name=f"streamlit_{test}_{len(started)}")
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


# -- pages --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def page_loader(browser):
    """``page_loader([(server, path, lang), ...])``: :func:`atlas_page.load_pages` with the session's browser."""
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
def pytest_sessionstart(session):
    global _T0
    _T0 = time.monotonic()


def pytest_terminal_summary(terminalreporter):
    if not _SERVERS_ASKED:
        return  # no browser test ran
    terminalreporter.write_line(write_reports(time.monotonic() - _T0))
