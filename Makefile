# The two commands a user needs: `make run` and `make test`. Each builds .venv from requirements.lock first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: run test lint bench bench-align clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reprint run seeds/ --warehouse warehouse

test: $(STAMP)
	$(BIN)/python -m pytest

# Alignment quality and speed against a difflib baseline on generated stories (see README, Alignment quality).
bench-align: $(STAMP)
	$(BIN)/python -m bench.align_bench

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .prefect warehouse/*/ warehouse/corpus.duckdb
