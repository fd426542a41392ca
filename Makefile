# Hadir: `make run` starts the app on http://127.0.0.1:8000, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hadir-installed
AXE_VERSION := 4.11.0
AXE := .cache/axe/node_modules/axe-core/axe.min.js
export HADIR_DATA_DIR ?= $(CURDIR)/var
export HADIR_FACES_DIR ?= $(abspath $(CURDIR)/../shared/data/faces-dev)

.PHONY: run test install lint typecheck imports unit bench evaluate clean axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility audit of the browser tests (npm, into .cache/, gitignored)
$(AXE):
	npm install --prefix .cache/axe --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

axe: $(AXE)

run: install
	$(BIN)/hadir init
	$(BIN)/hadir serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: install
	$(BIN)/mypy

imports: install
	$(BIN)/lint-imports

test: install lint typecheck imports $(AXE)
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/face.py

evaluate: install
	$(BIN)/hadir evaluate --pairs $(HADIR_FACES_DIR)/pairs.csv --roc docs/img/roc-pairs.png

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .cache/axe
