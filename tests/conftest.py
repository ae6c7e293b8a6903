"""Fixtures shared by every test folder.

One Playwright driver and one headless Chromium per test session: Playwright's
sync API refuses a second driver while one is running, so the browser suite
(tests/browser) and the standalone-HTML checks (test_present_takeaway.py) share them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Quiet on a closed network: no component updates, sync or QUIC probes of Google hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    # launch() gives every run a fresh temporary profile (user-data-dir).
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def pytest_configure(config):
    # In-process page tests show the real error (viewers get the redacted one that
    # .streamlit/config.toml sets; the browser suite's servers keep that setting).
    import streamlit as st

    st.set_option("client.showErrorDetails", "full")


@pytest.fixture(scope="module")
def layers():
    """Every map layer of the real data, id -> (table schema, frame); loaded once per test module."""
    from dashboard.io import load_layers

    return load_layers()
