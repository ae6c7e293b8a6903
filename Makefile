# The README's commands. `make run` starts the app; `make test` runs every test
# and the lint. Both set up what they need first (scripts/setup.sh); everything
# runs in the project's own .venv, never in the system Python.
PORT ?= 8501
REQUIREMENTS ?= requirements.txt
PY := .venv/bin/python
RUFF := .venv/bin/ruff
UV := .tools/uv/bin/uv

.PHONY: run test test-browser setup bench build validate lint requirements

run:
	bash scripts/setup.sh
	$(PY) scripts/serve.py --server.port $(PORT)

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

lint:
	$(RUFF) check . && $(RUFF) format --check .

# requirements.txt is exported from uv.lock, never edited by hand.
requirements:
	$(UV) export --locked --no-dev --no-hashes --no-header --no-emit-project --format requirements-txt \
	  | cat scripts/requirements-header.txt - > $(REQUIREMENTS)
