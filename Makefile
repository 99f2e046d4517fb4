# Two commands do all the set-up on a fresh machine:
#   make run    installs what is missing (venv, Lean runtime on first use) and starts the service
#   make test   installs what is missing and runs the test suite
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,models]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lean-equiv serve

test: $(STAMP)
	$(BIN)/lean-equiv setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python -m benchmarks.runtime
