# NeuroTradeX — developer entry points. Every target installs what it needs into .venv/.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
EXTRAS ?= serve,data,nlp,train,models,exec,alerts,deploy,dev
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
TEST_DATA_DIR := $(abspath ../shared/data)

.PHONY: help install test lint fmt typecheck importlint unit demo bench schema clean

help:
	@echo "make demo   run the platform on real market data"
	@echo "make test   lint, type-check, import contracts and the whole test suite"
	@echo "make lint | fmt | bench | schema | clean"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -q -c constraints.txt -e ".[$(EXTRAS)]"
	@touch $@

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

importlint: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	NTX_DATA_DIR=$${NTX_DATA_DIR:-$(TEST_DATA_DIR)} $(BIN)/pytest -q

test: lint typecheck importlint unit

schema: $(STAMP)
	$(BIN)/python -m signal_schema.jsonschema --write

demo: $(STAMP)
	$(BIN)/ntx up

bench: $(STAMP)
	$(BIN)/ntx bench bus --json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
