# The two commands a user needs: `make run` and `make test`. Each builds .venv from requirements.lock first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: run test docs lint bench bench-align bench-link bench-incremental bench-quality clean browser test-browser screenshot

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	# Bytecode, as a wheel install writes it: with PYTHONDONTWRITEBYTECODE set, an editable install's modules
	# were compiled from source by every run (a fifth of a run with nothing new). A stale file is not used.
	$(BIN)/python -m compileall -q tasks flows
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reprint run seeds/ --warehouse warehouse

test: $(STAMP)
	$(BIN)/python -m pytest

# Story linking quality, time and memory at 10k and 100k documents against datasketch (docs/benchmarks.md, Story linking at scale).
bench-link: $(STAMP)
	$(BIN)/python -m bench.link_bench

# Grouping, fates, boilerplate and rejects on the real set (bench/real) and the generator; docs/quality.md.
bench-quality: $(STAMP)
	$(BIN)/python -m bench.quality

# Alignment quality and speed against a difflib baseline on generated stories (docs/benchmarks.md, Alignment quality).
bench-align: $(STAMP)
	$(BIN)/python -m bench.align_bench

# The report page's browser test drives Debian's chromium; CI installs it with this (as root), then `make test`.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/tasks/test_report_page_browser.py

# docs/report.png and docs/report-story.png, the README's pictures, taken by the browser test.
screenshot: $(STAMP)
	REPRINT_SCREENSHOT_DIR=docs $(BIN)/python -m pytest tests/tasks/test_report_page_browser.py

# What a daily run adding 1% new documents costs against a full run (about an hour at 100k documents on 2 cores).
bench-incremental: $(STAMP)
	$(BIN)/python -m bench.run_bench --only incremental --incremental-documents $${DOCUMENTS:-100000} \
	  --json bench/results/run-incremental.json --page /dev/null

# Issue 13's benchmarks on `reprint run` itself: vs the DuckDB floor, peak RSS by size, a daily run, start-up
# (bench/results/run.json, docs/run-benchmarks.md; hours at the default sizes: see --help for smaller ones).
bench-run: $(STAMP)
	$(BIN)/python -m bench.run_bench

# The generated docs: docs/tables.md from the schema, benchmark pages and figures from bench/results/*.json.
docs: $(STAMP)
	$(BIN)/python -m docs.generate

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The warehouse's table links, versions, lock and catalog: everything in warehouse/ but its README.
clean:
	rm -rf $(VENV) .prefect
	find warehouse -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
