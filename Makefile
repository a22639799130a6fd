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
	$(BIN)/ruff check sobc tests benchmarks
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

# Benchmarks (benchmarks/): sobc against hugo, mkdocs and the I/O floor, ratios side by side.
# `make bench SIZES=2000 REPS=2` for a quicker run. Hugo comes from Debian (apt-get, as root),
# MkDocs (pinned in benchmarks/requirements-mkdocs.txt) into a venv of its own.
# `make bench BASELINE=1a1a491` also measures that git revision, installed in a venv of its own
# under benchmarks/.work/, beside this checkout in the same run (ratios this ÷ baseline).
SIZES ?= 2000 20000
REPS ?= 3
BASELINE ?=
BENCH_WORK := benchmarks/.work
MKDOCS_VENV := $(BENCH_WORK)/mkdocs-venv

.PHONY: bench
bench: $(STAMP)
	command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo; }
	test -x $(MKDOCS_VENV)/bin/mkdocs || { $(PYTHON) -m venv $(MKDOCS_VENV) && $(MKDOCS_VENV)/bin/pip install --quiet -r benchmarks/requirements-mkdocs.txt; }
	$(BIN)/python -m benchmarks.run --sizes "$(SIZES)" --reps $(REPS) --mkdocs $(MKDOCS_VENV)/bin/mkdocs --hugo "$$(command -v hugo)" --baseline "$(BASELINE)"
