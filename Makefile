# Telly: `make run` serves the demo guide, `make test` runs the tests. Everything else is optional.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYVER := $(shell cat .python-version 2>/dev/null || echo 3.13)
TELLY_PORT ?= 8000
export TELLY_DATA_DIR ?= $(CURDIR)/var

# Find a Python that matches .python-version (pyenv, then PATH), or any Python 3.12+.
PYTHON := $(shell \
  for p in "$$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)/versions/$(PYVER)"*/bin/python3 \
           "$$HOME/.pyenv/versions/$(PYVER)"*/bin/python3 \
           "$$(command -v python$(PYVER) 2>/dev/null)" \
           "$$(command -v python3.13 2>/dev/null)" "$$(command -v python3.12 2>/dev/null)" \
           "$$(command -v python3 2>/dev/null)"; do \
    if [ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo "$$p"; break; fi; \
  done)

.PHONY: run test lint bench venv demo clean slow-deps

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Telly needs Python 3.12 or newer (it asks for $(PYVER), see .python-version)."; \
	  echo "Install it, e.g. 'pyenv install $(PYVER)' or your system's python3.13 package, then run make again."; \
	  exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

run: venv
	$(BIN)/telly migrate --noinput
	$(BIN)/telly loaddemo
	$(BIN)/telly collectstatic --noinput -v 0
	$(BIN)/telly serve --port $(TELLY_PORT)

test: venv
	$(BIN)/python -m pytest -q -m "not postgres and not browser and not conformance and not fuzz"

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

slow-deps: venv
	$(BIN)/python -m pip install -q -e '.[dev,slow]'
	@command -v npm >/dev/null || { echo "npm is needed for axe-core (the accessibility checker): install Node.js and npm"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4

bench: venv
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) var staticfiles
