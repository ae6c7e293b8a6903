"""The nginx config of ``make cluster`` (deploy/nginx/atlas.conf.template, rendered by scripts/cluster.py).

nginx itself checks the rendered file (``nginx -t`` with the prefix and paths
the cluster uses); the browser suite (tests/browser/test_cluster.py) runs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.cluster import NGINX, nginx_config, render

needs_nginx = pytest.mark.skipif(
    not shutil.which(NGINX), reason=f"no nginx at {NGINX} (bash scripts/setup.sh --test installs it)"
)


def nginx_test(prefix: Path, conf_text: str) -> subprocess.CompletedProcess:
    """``nginx -t`` on ``conf_text`` with ``prefix`` as its -p folder, as scripts/cluster.py lays it out."""
    (prefix / "tmp").mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(conf_text)
    cmd = [NGINX, "-t", "-q", "-p", f"{prefix}/", "-c", str(conf)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)


@needs_nginx
@pytest.mark.parametrize(("base_path", "replicas"), [("", 2), ("atlas", 1), ("/atlas/", 3)])
def test_nginx_accepts_the_rendered_config(tmp_path, base_path, replicas):
    (tmp_path / "logs").mkdir()
    ports = list(range(9001, 9001 + replicas))
    done = nginx_test(tmp_path, nginx_config("127.0.0.1:8700", base_path, ports, tmp_path / "logs"))
    assert done.returncode == 0, done.stderr


@needs_nginx
def test_a_broken_config_fails_the_check(tmp_path):
    # The check above can fail: a directive nginx does not know is refused.
    (tmp_path / "logs").mkdir()
    conf = nginx_config("127.0.0.1:8700", "", [9001], tmp_path / "logs")
    done = nginx_test(tmp_path, conf.replace("gzip_vary on;", "gzip_vary yes-please;"))
    assert done.returncode != 0 and "gzip_vary" in done.stderr


def test_the_config_has_what_the_cluster_relies_on():
    conf = nginx_config("127.0.0.1:8700", "atlas", [9001, 9002], Path("/tmp/atlas-logs"))
    assert not re.search(r"@[A-Z_]+@", conf), "a placeholder was left"
    assert "listen 127.0.0.1:8700;" in conf
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=\d+ fail_timeout=\d+s;", conf) == ["9001", "9002"]
    assert re.search(r"^\s*hash \$atlas_sticky_key consistent;", conf, re.M)
    assert not re.search(r"^\s*ip_hash", conf, re.M)
    assert "Path=/atlas;" in conf
    assert "location /atlas/ {" in conf and "location /atlas/_stcore/stream {" in conf
    assert "proxy_pass http://atlas_replicas/atlas/_stcore/health;" in conf
    gzip_types = set(re.search(r"gzip_types([^;]+);", conf).group(1).split())
    text = {"application/geo+json", "application/json", "application/javascript", "text/css", "image/svg+xml"}
    assert text <= gzip_types, text - gzip_types
    root = nginx_config("127.0.0.1:8700", "", [9001], Path("/tmp/atlas-logs"))
    assert "location / {" in root and "location /_stcore/stream {" in root and "Path=/;" in root


def test_every_placeholder_needs_a_value_and_every_value_a_placeholder():
    assert render("listen @LISTEN@;", {"LISTEN": "127.0.0.1:1"}) == "listen 127.0.0.1:1;"
    with pytest.raises(ValueError, match="LISTEN"):
        render("listen @LISTEN@;", {})
    with pytest.raises(ValueError, match="PORT"):
        render("listen @LISTEN@;", {"LISTEN": "127.0.0.1:1", "PORT": "1"})
