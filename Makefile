# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-deps run test lint bench clean

install: $(STAMP)

# Idempotent: re-runs only when the lock file or the project metadata change.
$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: install
	$(BIN)/monitor demo

lint: install
	$(BIN)/ruff check monitor connectors tests bench
	$(BIN)/ruff format --check monitor connectors tests bench
	$(BIN)/mypy

test: lint system-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install system-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
