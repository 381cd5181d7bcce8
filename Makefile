# NeuroTradeX — developer entry points. Every target installs what it needs into .venv/.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
EXTRAS ?= serve,data,nlp,train,models,exec,alerts,deploy,dev
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
TEST_DATA_DIR := $(abspath ../shared/data)

.PHONY: help install test lint fmt typecheck importlint unit testdata demo bench schema clean

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

testdata:
	@dir=$${NTX_DATA_DIR:-$(TEST_DATA_DIR)}; \
	if [ ! -d "$$dir/ohlcv/binance" ] || [ ! -d "$$dir/news" ]; then \
	  echo "ERROR: the tests read real market data from $$dir (ohlcv/binance/*.csv.gz, news/*.csv.gz)."; \
	  echo "Put the project's shared/data folder there, or set NTX_DATA_DIR to it."; \
	  echo "Candles alone can be rebuilt from Binance with:"; \
	  echo "  .venv/bin/ntx data download --exchange binance --symbols BTC/USDT,ETH/USDT --timeframe 1h --since 2018-01-01"; \
	  echo "  .venv/bin/ntx data export $$dir"; \
	  echo "but the recorded news cannot be downloaded again."; \
	  exit 1; \
	fi

unit: $(STAMP) testdata
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
