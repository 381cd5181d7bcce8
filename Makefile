# NeuroTradeX — developer entry points. Every target installs what it needs into .venv/.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
EXTRAS ?= serve,data,nlp,train,models,exec,alerts,deploy,dev,bench
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

.PHONY: help install test lint fmt typecheck importlint unit demo bench schema clean
.PHONY: dashboard dashboard-check e2e

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

# The tests read the committed slices in tests/fixtures/data (tests/data_paths.py), never
# NTX_DATA_DIR or ../shared; tests that start processes hand NTX_DATA_DIR to them.
unit: $(STAMP)
	env -u NTX_DATA_DIR $(BIN)/pytest -q

test: lint typecheck importlint unit check-deploy dashboard-check e2e

schema: $(STAMP)
	$(BIN)/python -m signal_schema.jsonschema --write

# The demo paper-trades six pairs. Its first model trains on their three years before the last
# three weeks, on the market's clock (the venue's, or the end of NTX_DATA_DIR's recording), so
# the candles the demo shows were never trained on. Candles come from NTX_DATA_DIR when set,
# else from the venue (DATA_CORE__STREAMS__VENUE, default binance; DATA_CORE__STREAMS__REST_URL).
# A small first model is rarely 55 % sure of a class, so the demo accepts signals from 45 %
# (both are ordinary exec_core settings, see .env.example).
DEMO_PAIRS := ["BTC/USDT","ETH/USDT","SOL/USDT","XRP/USDT","ADA/USDT","LTC/USDT"]
DEMO_SYMBOLS := BTC/USDT,ETH/USDT,SOL/USDT,XRP/USDT,ADA/USDT,LTC/USDT
DEMO_TRAIN := --model lstm --symbols $(DEMO_SYMBOLS) --since now-1116d --until now-21d \
  --epochs 3 --max-windows 20000 --window 24 --explainer-windows 2048 --explainer-epochs 300

demo: $(STAMP)
	@echo "demo 1/3: the dashboard (Next.js static export)"
	@$(MAKE) --no-print-directory dashboard || echo "dashboard not built (needs Node 20 and npm): the gateway serves its live page"
	@echo "demo 2/3: the first model, unless one exists (candles from $${NTX_DATA_DIR:-$${DATA_CORE__STREAMS__VENUE:-binance}})"
	@$(BIN)/ntx train --if-missing $(DEMO_TRAIN)
	@echo "demo 3/3: the platform on http://127.0.0.1:$${GATEWAY__HTTP__PORT:-8700} (Ctrl-C stops it)"
	@if [ -f $(DASHBOARD_OUT)/index.html ]; then export GATEWAY__DASHBOARD_DIR=$${GATEWAY__DASHBOARD_DIR:-$(DASHBOARD_OUT)}; fi; \
	export EXEC_CORE__VALIDATION__SYMBOLS=$${EXEC_CORE__VALIDATION__SYMBOLS:-'$(DEMO_PAIRS)'}; \
	export EXEC_CORE__VALIDATION__MIN_CONFIDENCE=$${EXEC_CORE__VALIDATION__MIN_CONFIDENCE:-0.45}; \
	$(BIN)/ntx up

# --- dashboard_ui: Next.js static export served by the gateway; browser tests (tests/e2e) ---
DASHBOARD     := dashboard_ui
DASHBOARD_OUT := $(abspath $(DASHBOARD)/out)
NPM_ENV       := NEXT_TELEMETRY_DISABLED=1

$(DASHBOARD)/node_modules/.package-lock.json: $(DASHBOARD)/package.json
	cd $(DASHBOARD) && $(NPM_ENV) npm install --no-audit --no-fund
	@touch $@

dashboard: $(DASHBOARD)/node_modules/.package-lock.json
	cd $(DASHBOARD) && $(NPM_ENV) npx next build

dashboard-check: $(DASHBOARD)/node_modules/.package-lock.json
	cd $(DASHBOARD) && npx eslint . && npx tsc --noEmit && npx vitest run

e2e: $(STAMP) dashboard
	@command -v chromium >/dev/null || { echo "installing Debian's chromium"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y chromium; }
	@$(BIN)/python -c "import playwright" 2>/dev/null || $(PIP) install -q playwright
	env -u NTX_DATA_DIR NTX_E2E=1 GATEWAY__DASHBOARD_DIR=$(DASHBOARD_OUT) \
	  $(BIN)/pytest -q -p no:cacheprovider tests/e2e --timeout 300 --durations 15

bench: $(STAMP)
	$(BIN)/ntx bench bus --json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# --- deployment: docker/, docker-compose.yml, helm/, .gitlab-ci.yml (docs/deploy.md) ---------
.PHONY: check-deploy helm-lint bandit pip-audit npm-audit secret-scan images compose-e2e
IMAGES     := data_core model_engine exec_core alert_system dashboard_ui train
IMAGE_REPO ?= neurotradex
IMAGE_TAG  ?= latest

check-deploy: $(STAMP)
	$(BIN)/python -m deploy_checks

helm-lint: $(STAMP)
	$(BIN)/python -m deploy_checks helm

bandit: | $(BIN)/python
	$(PIP) install -q bandit
	$(BIN)/bandit -q -r signal_schema signal_bus store_migrations service_runtime feature_spec data_core \
		model_engine exec_core alert_system neurotradex deploy_checks docker

pip-audit: $(STAMP)
	$(PIP) install -q pip-audit
	$(BIN)/pip-audit --skip-editable

npm-audit:
	if [ -f dashboard_ui/package-lock.json ]; then cd dashboard_ui && npm audit --audit-level=high; \
	else echo "dashboard_ui/package-lock.json absent: nothing to audit"; fi

secret-scan:
	gitleaks detect --source . --no-banner --redact

images:
	for image in $(IMAGES); do \
		docker build -f docker/$$image.Dockerfile -t $(IMAGE_REPO)/$$image:$(IMAGE_TAG) . || exit 1; \
	done

compose-e2e:
	export NTX_BUS_TOKEN=$${NTX_BUS_TOKEN:-e2e-bus-token}; \
	docker compose up -d --wait --wait-timeout 300 && \
	docker compose exec -T dashboard_ui python /opt/ntx/healthcheck.py GATEWAY__HTTP__PORT 8700 /api/health; \
	rc=$$?; docker compose logs --tail 50; docker compose down -v; exit $$rc
