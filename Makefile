# Both entry points install what they need themselves, so a fresh machine with Python 3.11+ suffices.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint typecheck validate clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/sobc build programs --out build

validate: $(STAMP)
	$(BIN)/sobc validate

lint: $(STAMP)
	$(BIN)/ruff check sobc tests
	$(BIN)/ruff format --check sobc tests

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser tests' own needs: Debian's chromium (installed with apt-get when missing) and axe-core.
browser:
	sh tests/browser/install.sh

test: lint typecheck browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build tests/browser/node_modules
