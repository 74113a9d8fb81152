# Two entry points for a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := tests/tools/node_modules

.PHONY: build test lint install tools

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/kg

install: $(BIN)/kg

build: install
	$(BIN)/kg build

# Browser, Java and npm tools the tests run: Debian packages, then pinned npm packages.
$(TOOLS): tests/tools/package.json tests/tools/package-lock.json
	.ci/system-packages
	npm ci --prefix tests/tools --no-audit --no-fund --silent
	touch $(TOOLS)

tools: $(TOOLS)

lint: install
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg tests benchmarks
	$(BIN)/mypy
	$(BIN)/mypy benchmarks
	$(BIN)/lint-imports

test: install tools lint
	KG_REQUIRE_BROWSER=1 $(BIN)/pytest
