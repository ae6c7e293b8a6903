"""The app servers the browser tests run against: starting, readiness, the first visitor, stopping.

Each server is ``scripts/serve.py`` (the README's way to start the app) on a
free loopback port, in its own process group, logging to a file in
``test-artifacts/``. The suite runs the app at the site root and under
``--server.baseUrlPath atlas`` (:data:`BASE_PATHS`); :data:`root_only` keeps a
test to the root server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from artifacts import ARTIFACTS, ROOT
from atlas_page import APP_IDLE, APP_TIMEOUT, RUN_TRACKER, VIEWPORT

BASE_PATHS = ["", "atlas"]
SERVER_START_TIMEOUT = 90  # s; a cold start imports geopandas, pyogrio, plotly

# For tests of logic that a base path cannot change (URL parsing, filters, widgets): run them on the
# root server only and keep the suite fast. What a base path can break (asset, component, websocket,
# media and download URLs, URL writes) is tested on both servers.
root_only = pytest.mark.parametrize("server", [""], ids=["root"], indirect=True)


def free_port() -> int:
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


def start_server(
    base_path: str, extra_args: tuple[str, ...] = (), port: int | None = None, log_name: str | None = None
) -> Server:
    """Start the app; it logs to ``test-artifacts/<log_name>.log`` (default ``streamlit[_<base path>]``).

    A server started next to the session's own needs a ``log_name`` of its
    own: opening the same log again would truncate it under the running one,
    and both would then write over each other's lines.
    """
    port = port or free_port()
    if log_name is None:
        log_name = f"streamlit_{base_path}" if base_path else "streamlit"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}.log"
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


class ServerPool:
    """Starts every server the selected tests need at once (they boot in parallel)."""

    def __init__(self, base_paths):
        self.base_paths = list(base_paths)
        self.servers: dict[str, Server] = {}

    def get(self, base_path: str) -> Server:
        if not self.servers:
            for bp in dict.fromkeys([base_path] + self.base_paths):
                self.servers[bp] = start_server(bp)
        server = self.servers[base_path]
        if server.ready_after is None:
            server.wait_ready()
        return server

    def probed(self, base_path: str, browser) -> Server:
        """The server, after its first visitor (the cold probe) has been and gone."""
        server = self.get(base_path)
        if not server.cold_probe:
            server.cold_probe = cold_probe(browser, server)
        return server

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


def cold_probe(browser, srv: Server) -> dict:
    """Open a deep link as the server's very first visitor; remember what it showed.

    Done once per server, before any other session, because what Streamlit
    does on its first script run differs from every later one. It also warms
    the server's caches for the tests that follow.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.add_init_script(RUN_TRACKER)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = srv.page_url("map", lang="en")
    probe = {"url": url, "dialog": "", "h1": "", "console_errors": errors, "error": ""}
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function(APP_IDLE, arg=[1, 300], timeout=APP_TIMEOUT, polling=100)
        dialog = page.locator('[data-testid="stDialog"]')
        probe["dialog"] = dialog.inner_text() if dialog.count() else ""
        h1 = page.locator('[data-testid="stMainBlockContainer"] h1')
        probe["h1"] = h1.first.inner_text() if h1.count() else ""
    except Exception as exc:  # noqa: BLE001 - reported by the test that reads the probe
        probe["error"] = str(exc).splitlines()[0]
    finally:
        context.close()
    return probe
