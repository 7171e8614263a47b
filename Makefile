# Two entry points: `make serve` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install serve test lint sdk

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Migrate, load the shipped exchange history (idempotent: a restart appends nothing), serve.
serve: install
	$(BIN)/exchange-log migrate
	$(BIN)/exchange-log import-history
	$(BIN)/gunicorn -c gunicorn.conf.py service.wsgi:app

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The SDKs, regenerated from the document (itself regenerated from the code first); both are
# committed and drift-tested. Python: openapi-python-client, formatted by the venv's ruff.
# TypeScript: openapi-typescript types under the typed client (npm ci installs the pinned tools).
sdk: install
	$(BIN)/exchange-log write-spec openapi.yaml
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config clients/openapi-python-client.yaml --meta setup --output-path clients/python --overwrite
	cd clients/typescript && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run generate
