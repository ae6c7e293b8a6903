# The Asia Low-Carbon Atlas as one container: the app served by scripts/serve.py on port 8501.
#
#     docker build -t asia-low-carbon-atlas .
#     docker run --rm -p 8501:8501 asia-low-carbon-atlas
#
# Both stages are Debian 12 (bookworm) with Debian's own /usr/bin/python3 (3.11), the Python
# the README's setup is tried with. The project environment made in the first stage is copied
# into the second, and a venv only works under the interpreter at the path it was made with:
# both stages must stay on the same Debian release.
# Needs BuildKit (the default builder since Docker 23) for the cache mount.
ARG DEBIAN_IMAGE=debian:bookworm-slim

# -- build: the locked environment -----------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build

# python3-venv: uv is installed with pip in a venv of its own, as scripts/setup.sh does (pip
# never writes to the system interpreter). The build stage is the only one that uses the
# network: PyPI for uv and for the locked packages.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*

# The same uv as scripts/setup.sh (its UV_VERSION; a test keeps the two equal).
ARG UV_VERSION=0.13.8
RUN python3 -m venv /opt/uv \
 && /opt/uv/bin/python -m pip install --quiet --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"

WORKDIR /app
# UV_PYTHON_DOWNLOADS=never: the environment is made with Debian's python3, never with a
# Python uv downloads (the runtime stage has only Debian's).
# UV_COMPILE_BYTECODE: site-packages are compiled here, because the container's file system
# is read-only at run time and every process start would otherwise compile them again.
# UV_LINK_MODE=copy: the cache is a mount, so files are copied out of it, not hard-linked.
ENV UV_PYTHON=/usr/bin/python3 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

# Only the two files that decide the environment: this layer is rebuilt when a dependency
# changes, not when the app's code or data do.
# --locked: fail, rather than resolve anew, if uv.lock is out of date with pyproject.toml.
# --no-dev: no pytest, Playwright, ruff or frictionless in the image.
# --no-install-project: the atlas is not a package (tool.uv.package = false); its files are
# copied into the runtime stage as they are.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    /opt/uv/bin/uv sync --locked --no-dev --no-install-project

# -- runtime ----------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE}

# What the app needs from Debian at run time:
#   python3         the interpreter the environment was made with (see the top of this file)
#   fonts-noto-cjk  Noto Sans CJK JP, embedded in every country brief (dashboard/brief/fonts.py
#                   looks for it at Debian's path); without it the country page says the brief
#                   is unavailable. Chromium draws the Japanese in chart images with it too.
#   fontconfig      fc-match, the brief's second way to find the font; its package trigger
#                   builds the font cache now, so Chromium does not rebuild it on every start
#                   on a read-only file system
#   chromium        the presentation page's take-away chart images (PNG, SVG) are made when a
#                   presenter first asks for one, in the running server, by kaleido, which
#                   drives a local Chromium (dashboard/present/takeaway.py,
#                   dashboard/ui/present.py). Without a browser the page hides those two
#                   downloads and everything else works: build with --build-arg CHROMIUM=0 for
#                   an image a few hundred MB smaller without them.
#   tini            PID 1 that reaps orphans: kaleido's Chromium starts helper processes that
#                   are re-parented to PID 1 when their browser exits, and Python as PID 1
#                   would leave them as zombies.
ARG CHROMIUM=1
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 fonts-noto-cjk fontconfig tini \
      $([ "$CHROMIUM" = 1 ] && echo chromium) \
 && rm -rf /var/lib/apt/lists/*

# A fixed, numeric UID and GID, so that Kubernetes can check runAsNonRoot against the image
# and a securityContext can name the same user (deploy/k8s/deployment.yaml).
RUN groupadd --gid 10001 atlas \
 && useradd --uid 10001 --gid 10001 --home-dir /home/atlas --create-home --shell /usr/sbin/nologin atlas

WORKDIR /app
COPY --from=build /app/.venv /app/.venv

# The files the app reads at run time, owned by root: the server never writes to its own
# code or data. pyproject.toml holds the release date every download is stamped with
# (dashboard/release.py); .streamlit/config.toml is read from the working directory.
COPY pyproject.toml app.py ./
COPY .streamlit/ .streamlit/
COPY scripts/serve.py scripts/serve.py
COPY pages/ pages/
COPY dashboard/ dashboard/
COPY data/ data/
COPY static/ static/
RUN /app/.venv/bin/python -m compileall -q dashboard scripts/serve.py

# PATH: `python` is the project environment's interpreter.
# PYTHONDONTWRITEBYTECODE: the code is compiled above; at run time the file system is read-only.
# HOME: Streamlit's per-user folder (~/.streamlit) and Chromium's (~/.pki, ~/.cache) live
# there; Kubernetes mounts a writable emptyDir on it and on /tmp (kaleido's browser profiles).
# No network at run time: Streamlit's usage statistics are off (also in .streamlit/config.toml;
# the variable keeps them off whatever config is mounted), PROJ never fetches grids, and uv
# (not in this image) would stay offline if one were added to debug.
# STREAMLIT_SERVER_FILE_WATCHER_TYPE=none: the code in an image never changes, so no process
# watches it.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    HOME=/home/atlas \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    PROJ_NETWORK=OFF \
    UV_OFFLINE=1

USER 10001:10001
EXPOSE 8501

# Python's urllib, so the image needs no curl. /_stcore/health answers "ok" once the server
# accepts connections, before any page has run; the first page view then imports geopandas,
# pyogrio and plotly and loads the data (10-20 s on a cold machine). The start period covers
# a slow start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

ENTRYPOINT ["/usr/bin/tini", "--"]
# scripts/serve.py applies the atlas's server settings (dashboard/ui/serving.py) before
# Streamlit starts; 0.0.0.0 so the port is reachable from outside the container.
CMD ["python", "scripts/serve.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
