#!/usr/bin/env bash
# Sets up everything the app (and, with --test, the tests and lint) needs, on a
# fresh Debian machine, without touching the system Python:
#   .tools/uv/   a venv of its own holding uv (pinned below)
#   .venv/       the project's environment, made by `uv sync --locked` from uv.lock
#                with the machine's python3 (>= 3.11; uv never downloads a Python)
#   apt          chromium and fonts-noto-cjk (chart images, country briefs, browser tests,
#                Japanese); with --test also poppler-utils (the tests read the briefs' PDFs)
#                and nginx (the proxy of `make cluster`, which its tests start on loopback
#                ports from a config of their own; a system nginx service is never used)
# Idempotent: a second run only checks what is there (a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"
UV_VERSION=0.13.8

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { $sudo_cmd apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

PYTHON="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$PYTHON" ]; then
  echo "setup: no python3 on PATH; install Python 3.11 or newer (Debian: apt-get install python3)" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: $PYTHON is $("$PYTHON" -V 2>&1); the atlas needs Python 3.11 or newer" >&2
  exit 1
fi

# uv in a venv of its own: pip never writes to the system interpreter (PEP 668).
UV=.tools/uv/bin/uv
if [ ! -x "$UV" ] || [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  rm -rf .tools/uv
  if ! "$PYTHON" -m venv .tools/uv 2>/dev/null; then
    # Debian ships venv's pip bootstrap separately.
    apt_install python3-venv
    rm -rf .tools/uv
    "$PYTHON" -m venv .tools/uv
  fi
  .tools/uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

# --locked: fail, rather than resolve anew, if uv.lock is out of date with pyproject.toml.
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv
if [ "$mode" = "--test" ]; then
  "$UV" sync --locked --quiet --python "$PYTHON"
else
  # --inexact keeps the dev group if the tests installed it, so the two commands don't undo each other.
  "$UV" sync --locked --quiet --python "$PYTHON" --no-dev --inexact
fi

# Debian's Chromium renders chart images for presenters (kaleido) and drives the
# browser tests (Playwright's own browser download cannot work offline); CJK
# fonts so Japanese renders in both.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
[ "$mode" = "--test" ] && { command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils); }
# Debian 12's `nginx` is the server itself with the stock modules (proxy, upstream hash, map, gzip);
# nginx-light only adds an echo module. Its package may start a service on port 80 where an init
# system lets it (a container's usually does not); scripts/cluster.py runs an nginx of its own in
# the foreground on the ports it is given and neither needs nor touches that one.
[ "$mode" = "--test" ] && { [ -x /usr/sbin/nginx ] || need+=(nginx); }
if [ "$mode" = "--test" ]; then
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
elif [ ${#need[@]} -gt 0 ]; then
  # The app runs without them (chart image downloads are then hidden): do not fail.
  apt_install "${need[@]}" || echo "note: could not install ${need[*]}; chart PNG/SVG downloads and country briefs will be unavailable" >&2
fi
