"""Run several atlas processes behind nginx: one URL, readers spread over the replicas.

One Streamlit process serves every reader from one Python interpreter; a venue
full of readers wants more. This starts ``--replicas`` app processes
(``scripts/serve.py``, the README's way to start the app) on free loopback
ports, each in its own process group, waits until every one answers its
health check, and then starts Debian's nginx in the foreground with a config
rendered from ``deploy/nginx/atlas.conf.template`` (websocket upgrades,
stickiness by a cookie nginx sets, passive health checks, gzip; the template
says why for each). nginx's pid, logs and temp files are in a temporary
folder, so it runs as any user and never touches /etc/nginx, /var or /run.

    python scripts/cluster.py --replicas 2 --port 8700 [--base-path atlas] [--host 127.0.0.1]
                              [--log-dir DIR] [more streamlit options for every replica]

prints the URL and runs until Ctrl-C or SIGTERM, then stops nginx and every
replica. From Python (the tests do)::

    with Cluster(replicas=2, port=8700, base_path="atlas") as cluster:
        cluster.url  # http://127.0.0.1:8700/atlas
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "atlas.conf.template"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
START_TIMEOUT = 90.0  # s; a cold start imports geopandas, pyogrio and plotly, several at once here
STOP_TIMEOUT = 10.0  # s before a process that ignores SIGTERM is killed
REPLICA_ADDRESS = "127.0.0.1"  # replicas are reached through nginx only
# Passive health checks of each replica (see the template for why these numbers).
SERVER_LINE = "        server {address}:{port} max_fails=3 fail_timeout=10s;"
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def render(template: str, values: dict[str, str]) -> str:
    """Fill the template's ``@NAME@`` placeholders; every one must have a value, every value a place.

    (``@`` rather than ``$`` or braces: nginx itself uses both.)
    """
    used = set(_PLACEHOLDER.findall(template))
    missing, unused = used - values.keys(), values.keys() - used
    if missing or unused:
        raise ValueError(f"template placeholders without a value: {sorted(missing)}; values unused: {sorted(unused)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def nginx_config(
    listen: str, base_path: str, replica_ports: list[int], log_dir: Path, template: Path = TEMPLATE
) -> str:
    """The nginx config for replicas on ``replica_ports`` behind ``listen`` (``host:port``)."""
    base = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    servers = "\n".join(SERVER_LINE.format(address=REPLICA_ADDRESS, port=port) for port in replica_ports)
    return render(
        template.read_text(),
        {"LISTEN": listen, "BASE": base, "COOKIE_PATH": base or "/", "REPLICAS": servers, "LOG_DIR": str(log_dir)},
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def answers_ok(url: str, header: str | None = None) -> bool:
    """``url`` answers 200 "ok" (with a ``header``, if given)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            ok = response.status == 200 and response.read().strip() == b"ok"
            return ok and (header is None or response.headers.get(header) is not None)
    except OSError:
        return False


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx binds: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


@dataclass
class Process:
    """A child of the cluster: a replica or nginx, in a process group of its own, logging to a file."""

    name: str
    cmd: list[str]
    log_path: Path
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            # Its own session: a Ctrl-C in the terminal reaches the cluster script alone, which
            # then stops nginx before the replicas; and stop() can signal the whole group
            # (nginx's workers, anything a replica started). In the repository, where Streamlit
            # reads .streamlit/config.toml.
            self.proc = subprocess.Popen(
                self.cmd,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def signal(self, signum: int) -> None:
        if self.running():
            try:
                os.killpg(self.proc.pid, signum)
            except ProcessLookupError:
                pass

    def wait(self, timeout: float) -> None:
        """Wait for it to exit; kill its group if it has not within ``timeout``."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(timeout, 0))
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait(timeout=5)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # what the group leader left behind, if anything
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        self.signal(signal.SIGTERM)
        self.wait(timeout)


class Cluster:
    """``replicas`` app processes behind one nginx on ``host:port``; a context manager.

    Parameters
    ----------
    replicas : int
    port : int
        Where nginx listens.
    base_path : str
        ``--server.baseUrlPath`` of every replica ("" for the site root); nginx proxies ``/<base_path>/``.
    host : str
        Where nginx listens (127.0.0.1; an address of a venue's network to serve it there).
    log_dir : Path, optional
        Where ``replica-<i>.log``, ``nginx.log`` and ``nginx-access.log`` go. By default inside the
        temporary folder, which :meth:`stop` removes.
    replica_args : sequence of str
        More ``streamlit run`` options for every replica.
    """

    def __init__(
        self,
        replicas: int = 2,
        port: int = 8700,
        base_path: str = "",
        host: str = "127.0.0.1",
        log_dir: Path | str | None = None,
        replica_args: tuple[str, ...] | list[str] = (),
        start_timeout: float = START_TIMEOUT,
    ):
        if replicas < 1:
            raise ValueError("a cluster needs at least one replica")
        self.n_replicas = replicas
        self.port = port
        self.base_path = base_path.strip("/")
        self.host = host
        self.replica_args = list(replica_args)
        self.start_timeout = start_timeout
        self._log_dir = Path(log_dir) if log_dir is not None else None
        self.prefix: Path | None = None  # nginx's -p folder
        self.replicas: list[Process] = []
        self.replica_ports: list[int] = []
        self.nginx: Process | None = None

    # -- where things are ------------------------------------------------------------------
    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The app's URL through nginx, without a trailing slash."""
        return self.origin + (f"/{self.base_path}" if self.base_path else "")

    @property
    def log_dir(self) -> Path:
        if self._log_dir is not None:
            return self._log_dir
        if self.prefix is None:
            raise RuntimeError("the cluster has not been started")
        return self.prefix / "logs"

    @property
    def config_path(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def access_log(self) -> Path:
        return self.log_dir / "nginx-access.log"

    def replica_url(self, i: int) -> str:
        """Replica ``i``'s own URL, bypassing nginx."""
        return f"http://{REPLICA_ADDRESS}:{self.replica_ports[i]}" + (f"/{self.base_path}" if self.base_path else "")

    def replica_pids(self) -> list[int | None]:
        return [replica.pid for replica in self.replicas]

    def replica_of(self, upstream_addr: str) -> int:
        """Which replica an ``X-Atlas-Replica`` header (nginx's $upstream_addr) names: the last one tried."""
        port = int(upstream_addr.split(",")[-1].strip().rsplit(":", 1)[1])
        return self.replica_ports.index(port)

    # -- starting and stopping -----------------------------------------------------------------
    def start(self) -> Cluster:
        """Start every replica, wait until all answer, then start nginx and wait until it answers."""
        if not Path(NGINX).exists():
            raise FileNotFoundError(f"no nginx at {NGINX} (bash scripts/setup.sh --test installs it; or set NGINX)")
        self._check_port()  # before the replicas' boot, not after it
        self.prefix = Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        # When nginx runs as root its workers switch to an unprivileged user, which must reach
        # the temp folders nginx makes in here (a large response is buffered there).
        self.prefix.chmod(0o755)
        (self.prefix / "tmp").mkdir()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.replica_ports = [free_port(REPLICA_ADDRESS) for _ in range(self.n_replicas)]
        self.replicas = [self._replica(i) for i in range(self.n_replicas)]
        for replica in self.replicas:  # all at once: they boot in parallel
            replica.start()
        for i in range(self.n_replicas):
            self.wait_replica(i)
        self.config_path.write_text(
            nginx_config(f"{self.host}:{self.port}", self.base_path, self.replica_ports, self.log_dir)
        )
        self.start_proxy()
        return self

    def _replica(self, i: int) -> Process:
        log_path = self.log_dir / f"replica-{i}.log"
        log_path.write_bytes(b"")  # a fresh log each start; a restarted replica appends to it
        cmd = [sys.executable, str(ROOT / "scripts" / "serve.py")]
        cmd += ["--server.port", str(self.replica_ports[i]), "--server.address", REPLICA_ADDRESS]
        cmd += ["--server.headless", "true", "--server.fileWatcherType", "none"]  # no reloads while serving
        if self.base_path:
            cmd += ["--server.baseUrlPath", self.base_path]
        return Process(f"replica {i}", cmd + self.replica_args, log_path)

    def _wait_health(self, process: Process, url: str, timeout: float, header: str | None = None) -> None:
        health = f"{url}/_stcore/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.running():
                raise RuntimeError(
                    f"{process.name} exited with {process.proc.returncode} ({process.log_path}):\n{process.log_tail()}"
                )
            if answers_ok(health, header):
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"{health} did not answer within {timeout:.0f} s ({process.log_path}):\n{process.log_tail()}"
        )

    def wait_replica(self, i: int) -> None:
        self._wait_health(self.replicas[i], self.replica_url(i), self.start_timeout)

    def _check_port(self) -> None:
        # Said at once and plainly (nginx itself retries for seconds), and never mistaken for
        # readiness: whatever holds the port might answer the health check too.
        if not _port_is_free(self.host, self.port):
            raise RuntimeError(f"{self.host}:{self.port} is in use; choose another --port")

    def start_proxy(self) -> None:
        """Start nginx on the cluster's port (again, after :meth:`stop_proxy`) and wait until it answers."""
        self._check_port()
        cmd = [NGINX, "-p", f"{self.prefix}/", "-c", str(self.config_path)]
        self.nginx = Process("nginx", cmd, self.log_dir / "nginx.log")
        self.nginx.start()
        # Through nginx to a replica: only this nginx adds the header.
        self._wait_health(self.nginx, self.url, 15, header="X-Atlas-Replica")

    def stop_proxy(self) -> None:
        """Stop nginx (fast shutdown: open websockets are closed, as when a proxy restarts)."""
        if self.nginx is not None:
            self.nginx.stop()

    def stop_replica(self, i: int) -> None:
        self.replicas[i].stop()

    def start_replica(self, i: int) -> None:
        """Start replica ``i`` again on its port (after :meth:`stop_replica`) and wait until it answers."""
        if self.replicas[i].running():
            raise RuntimeError(f"replica {i} is running")
        self.replicas[i].start()  # appends to its log
        self.wait_replica(i)

    def stop(self) -> None:
        """Stop nginx, then every replica (in parallel); remove the temporary folder. Safe to call twice."""
        if self.nginx is not None:
            self.nginx.stop()
        for replica in self.replicas:
            replica.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for replica in self.replicas:
            replica.wait(deadline - time.monotonic())
        if self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()  # what did start, a replica or all but nginx, is stopped too
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8700, help="nginx's port (default 8700)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    parser.add_argument("--base-path", default="", help="serve under /BASE_PATH/ (--server.baseUrlPath)")
    parser.add_argument("--log-dir", type=Path, help="keep the logs here (default: a temporary folder)")
    args, replica_args = parser.parse_known_args(argv)
    for option in ("--server.port", "--server.address", "--server.baseUrlPath"):
        if any(a == option or a.startswith(option + "=") for a in replica_args):
            parser.error(f"{option} is set by the cluster for each replica")

    # SIGTERM (a service manager) and SIGHUP (a closed terminal) stop the cluster like Ctrl-C.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    cluster = Cluster(args.replicas, args.port, args.base_path, args.host, args.log_dir, replica_args)
    status = 0
    try:
        cluster.start()
        replicas = f"{args.replicas} replica{'s' if args.replicas > 1 else ''}"
        print(f"{cluster.url}/  ({replicas}; logs in {cluster.log_dir}; Ctrl-C stops)", flush=True)
        warned: set[int] = set()
        while True:
            time.sleep(1)
            if not cluster.nginx.running():
                print(
                    f"nginx exited with {cluster.nginx.proc.returncode}:\n{cluster.nginx.log_tail()}", file=sys.stderr
                )
                status = 1
                break
            down = {i for i, replica in enumerate(cluster.replicas) if not replica.running()}
            for i in sorted(down - warned):  # nginx routes around it; say so once
                print(f"replica {i} exited; see {cluster.replicas[i].log_path}", file=sys.stderr)
            warned |= down
            if len(down) == len(cluster.replicas):
                status = 1
                break
    except KeyboardInterrupt:
        pass
    except (RuntimeError, OSError) as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        status = 1
    finally:
        # A second Ctrl-C must not cut the shutdown short and leave processes behind.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        cluster.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
