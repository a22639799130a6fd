# Both entry points install what they need themselves, so a fresh machine with Python 3.11+ suffices.
# Installs are locked: requirements/pip.txt pins pip, requirements.txt everything sobc and its
# tests use, each with hashes; pyproject.toml keeps the compatible ranges a library user gets.
# The venv is made anew whenever a lock or pyproject.toml changes. How the locks are made:
# `make upgrade` (requirements/README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint typecheck validate clean browser upgrade test-latest

# --no-build-isolation: sobc is built by the locked hatchling (the lock holds what building needs)
# instead of whatever is newest;
# pip check: fails when pyproject.toml asks for something the lock lacks.
$(STAMP): requirements/pip.txt requirements.txt pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/pip.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
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

# `make test` in a venv of its own (.venv-latest, made anew each time) with the newest releases
# pyproject.toml's ranges allow instead of the lock: an upstream release that breaks sobc shows
# here before `make upgrade` brings it in. What it ran against: .venv-latest/versions.txt.
LATEST := .venv-latest
test-latest:
	$(PYTHON) -m venv --clear $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/pip install --quiet -e '.[dev]'
	$(LATEST)/bin/pip freeze --exclude-editable > $(LATEST)/versions.txt
	touch $(LATEST)/.installed
	SOBC_UNLOCKED=1 $(MAKE) test VENV=$(LATEST)

# Remakes the locks from pyproject.toml and requirements/*.in with the newest releases allowed,
# by pip-compile (pip-tools, itself pinned in requirements/tools.txt) in a venv of its own. The
# locks are for the Python and platform this runs on: Python 3.11, Linux x86_64.
TOOLS := .venv-tools
COMPILE := $(TOOLS)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
$(TOOLS)/.installed: requirements/pip.txt requirements/tools.txt
	$(PYTHON) -m venv --clear $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r requirements/pip.txt
	$(TOOLS)/bin/pip install --quiet --require-hashes -r requirements/tools.txt
	touch $@

upgrade: $(TOOLS)/.installed
	$(COMPILE) --extra dev --all-build-deps --output-file requirements.txt pyproject.toml
	$(COMPILE) --output-file requirements/pip.txt requirements/pip.in
	$(COMPILE) --output-file requirements/tools.txt requirements/tools.in

clean:
	rm -rf $(VENV) $(LATEST) $(TOOLS) build tests/browser/node_modules

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

.PHONY: bench profile
bench: $(STAMP)
	command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo; }
	test -x $(MKDOCS_VENV)/bin/mkdocs || { $(PYTHON) -m venv $(MKDOCS_VENV) && $(MKDOCS_VENV)/bin/pip install --quiet -r benchmarks/requirements-mkdocs.txt; }
	$(BIN)/python -m benchmarks.run --sizes "$(SIZES)" --reps $(REPS) --mkdocs $(MKDOCS_VENV)/bin/mkdocs --hugo "$$(command -v hugo)" --baseline "$(BASELINE)"

# Where a full build's time goes: the 2,000-step corpus built in one process under cProfile,
# sorted tables in benchmarks/results/profile.txt (`make profile STEPS=20000` for the large one).
STEPS ?= 2000
profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile --steps $(STEPS)
