# Two commands set everything up on a fresh machine with only python3 and make:
#   make run    create .venv, install the app, start it on the default data folder
#   make test   create .venv, install the app with its test tools, run the lint, format and type
#               checks (make check), then the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run check test bench stress wheelhouse install-offline clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reviewer-tui

# The gate CI enforces before the tests: lint, formatting and types (mypy on the package as
# installed, screens/ included: see tools/typecheck.py).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/typecheck.py

# Three workers on the two cores: a fifth of each worker's time is spent waiting (a frame's timer,
# a subprocess starting, a pause a test is about), and a third worker uses it: 6 min 51 s where two
# took 8 min 46 s, measured back to back. Work stealing: a worker that runs out takes tests queued
# on another, so the run does not end with one worker idle while another finishes a long queue
# (the longest tests are put first: tests/conftest.py, LONGEST_FIRST).
test: check
	$(BIN)/pytest -q -n 3 --dist worksteal

# Each benchmarks/bench_*.py prints ratios against a baseline measured in the same run.
# Every budget line (PASS or MISS) is repeated together at the end. The large review they run
# on is built once into benchmarks/.cache (about a minute) and reused while its generator and
# the schema stay the same.
bench: $(STAMP)
	@summary=$$(mktemp); export BENCH_SUMMARY=$$summary; \
	$(BIN)/python benchmarks/large_review.py || exit 1; \
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done; \
	echo "== budgets"; cat $$summary; rm -f $$summary

# The long runs: 200 SIGKILLs while typing notes (KILLS=N to change), printing what survived.
stress: $(STAMP)
	$(BIN)/pytest -q -s -m slow --run-slow tests

# Build a folder of wheels on a connected machine; copy it to the laptop and see README.md.
wheelhouse: | $(BIN)/python
	rm -rf wheelhouse
	$(BIN)/python -m pip wheel --quiet --wheel-dir wheelhouse .

clean:
	rm -rf $(VENV) build *.egg-info wheelhouse
