# Two commands for a fresh machine with only python3:
#   make demo   - run the example bookshop API under uvicorn on http://127.0.0.1:8000/
#   make test   - lint, type-check and run every test (SQLite, plus PostgreSQL/Redis when they answer)
#
# PYTHON picks the interpreter (default python3); DJANGO pins the Django series,
# e.g. `make test PYTHON=python3.13 DJANGO='Django>=6.1,<6.2'`.

PYTHON ?= python3
DJANGO ?=
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
DJSUFFIX := $(if $(DJANGO),-$(shell echo '$(DJANGO)' | tr -cd '0-9.,' | tr ',' '_'),)
VENV ?= .venv/py$(PYVER)$(DJSUFFIX)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck typecheck-tests conformance bench venv clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(if $(DJANGO),'$(DJANGO)',)
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	cd examples/bookshop && ../../$(BIN)/python manage.py demo

test: $(STAMP)
	$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/python scripts/run_tests.py mypy

conformance: $(STAMP)
	$(BIN)/python -m conformance

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks --label $(or $(LABEL),local)

typecheck-tests: $(STAMP)
	$(BIN)/python -m pytest typecheck_tests

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

clean:
	rm -rf .venv build dist site
