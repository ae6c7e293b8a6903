# The README's commands. `make run` starts the app; `make test` runs every test
# and the lint. Both set up what they need first (scripts/setup.sh); everything
# runs in the project's own .venv, never in the system Python.
PORT ?= 8501
REQUIREMENTS ?= requirements.txt
PY := .venv/bin/python
RUFF := .venv/bin/ruff
UV := .tools/uv/bin/uv

.PHONY: run cluster test test-browser setup bench bench-load bench-network build validate lint requirements

run:
	bash scripts/setup.sh
	$(PY) scripts/serve.py --server.port $(PORT)

# REPLICAS app processes behind nginx on PORT (scripts/cluster.py); BASE_PATH=atlas serves /atlas/.
# Setup with --test: that is what installs nginx (the cluster's tests need it too).
REPLICAS ?= 2
cluster:
	bash scripts/setup.sh --test
	$(PY) scripts/cluster.py --replicas $(REPLICAS) --port $(PORT) $(if $(BASE_PATH),--base-path $(BASE_PATH))

test:
	bash scripts/setup.sh --test
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest

test-browser:
	bash scripts/setup.sh --test
	$(PY) -m pytest tests/browser

setup:
	bash scripts/setup.sh --test

build:
	$(PY) -m dashboard build

validate:
	$(PY) -m dashboard validate

bench:
	$(PY) scripts/benchmark.py

# Capacity: N browsers opening the map at once, one process against the cluster (SESSIONS=1,5,10,20).
SESSIONS ?= 1,5,10,20
bench-load:
	$(PY) scripts/bench_load.py --sessions $(SESSIONS) --replicas $(REPLICAS)

# Bytes and seconds to the first map, cold, on a throttled network, against a bare page.
bench-network:
	$(PY) scripts/bench_network.py

lint:
	$(RUFF) check . && $(RUFF) format --check .

# requirements.txt is exported from uv.lock, never edited by hand.
requirements:
	$(UV) export --locked --no-dev --no-hashes --no-header --no-emit-project --format requirements-txt \
	  | cat scripts/requirements-header.txt - > $(REQUIREMENTS)
