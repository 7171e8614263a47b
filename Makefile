# Two entry points: `make serve` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install serve test lint

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
