# The README's commands. `make run` starts the app; `make test` runs every test.
PORT ?= 8501

.PHONY: run test test-browser setup bench build validate lint

run:
	bash scripts/setup.sh
	python3 scripts/serve.py --server.port $(PORT)

test:
	bash scripts/setup.sh --test
	python3 -m pytest

test-browser:
	bash scripts/setup.sh --test
	python3 -m pytest tests/browser

build:
	python3 -m dashboard build

validate:
	python3 -m dashboard validate

bench:
	python3 scripts/benchmark.py

lint:
	ruff check . && ruff format --check .
