# The two commands of README.md:  `make demo`  and  `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Shared evaluation data (tests that need it skip with a reason when it is absent).
SVODKA_SHARED ?= $(abspath $(firstword $(wildcard ../shared /work/shared)))
ifneq ($(SVODKA_SHARED),)
export SVODKA_SHARED
endif

.PHONY: install demo run test test-sqlite test-postgres lint

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -c requirements.lock -e ".[test]"
	@echo "building the place gazetteer (once, about a minute)…"
	$(BIN)/python -c "from svodka.understand.geo import gazetteer; print(len(gazetteer()), 'places')"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/svodka demo

run: install
	$(BIN)/svodka run

lint: install
	$(BIN)/ruff check svodka svodka_site tests benchmarks
	SVODKA_DATA=$$(mktemp -d) $(BIN)/python -m django makemigrations --check --dry-run --settings=svodka_site.settings
	SVODKA_DATA=$$(mktemp -d) $(BIN)/python -m django check --fail-level WARNING --settings=svodka_site.settings

test-sqlite: install
	@scripts/ensure-chromium
	SVODKA_DATA=$$(mktemp -d) $(BIN)/pytest -q -n 2 --dist loadfile

test-postgres: install
	@scripts/ensure-postgres
	@scripts/ensure-chromium
	SVODKA_DATA=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 --dist loadfile

# The whole suite: lint, then every test on SQLite and again on PostgreSQL.
test: lint test-sqlite test-postgres
