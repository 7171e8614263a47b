# Two entry points: `make serve` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Every package with its hashes (requirements/README: how it is made); the Docker image
# installs requirements/runtime.lock, the same versions without the test extra.
LOCK := requirements/test.lock
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := .venv-lock
COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

.PHONY: install serve test lint check-lock lock sdk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# setup.cfg and the locks must agree (a requirement added to setup.cfg but not locked fails
# here, naming it), before anything is installed.
check-lock: $(BIN)/python
	$(BIN)/python .ci/check_lock.py

# Hash-checked install of the whole tree (pip, setuptools and wheel included), then the
# project itself without dependencies and without build isolation (no unpinned download).
$(VENV)/.installed: setup.cfg pyproject.toml $(LOCK) requirements/runtime.lock | $(BIN)/python
	$(BIN)/python .ci/check_lock.py
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
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

# Regenerate both locks from setup.cfg and requirements/installer.in (needs PyPI). The test
# lock first; the runtime lock starts from it, so both pin the same versions.
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(PIP_TOOLS)
	$(COMPILE) --extra test --output-file requirements/test.lock setup.cfg requirements/installer.in
	cp requirements/test.lock requirements/runtime.lock
	$(COMPILE) --output-file requirements/runtime.lock setup.cfg requirements/installer.in
	$(LOCK_VENV)/bin/python .ci/check_lock.py

# The SDKs, regenerated from the document (itself regenerated from the code first); both are
# committed and drift-tested. Python: openapi-python-client, formatted by the venv's ruff.
# TypeScript: openapi-typescript types under the typed client (npm ci installs the pinned tools).
sdk: install
	$(BIN)/exchange-log write-spec openapi.yaml
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config clients/openapi-python-client.yaml --meta setup --output-path clients/python --overwrite
	cd clients/typescript && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run generate
