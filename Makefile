# Two commands for a new user: `make conformance` and `make test`. Both set up everything first.
PYTHON ?= python3
# Bytecode caching stays on for everything make runs, whatever the environment says: pytest keeps
# its assertion-rewritten test modules and plugins in __pycache__ only when it may write them, and
# without that cache every pytest process (each xdist worker, each run a test starts) rewrites and
# compiles ~200 modules again (~4 s of CPU per process here). The caches go to __pycache__ folders
# of this tree and of .venv, which git ignores.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test conformance lint bench benchmarks clean registry-binary differential

setup: $(STAMP) registry-binary

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# The real OCI registry (CNCF distribution) comes from Debian when none is on PATH.
registry-binary:
	@if command -v docker-registry >/dev/null 2>&1 || command -v registry >/dev/null 2>&1 \
	   || command -v zot >/dev/null 2>&1; then :; \
	 elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	   echo "installing docker-registry (CNCF distribution) with apt-get"; \
	   (apt-get install -y -q docker-registry >/dev/null 2>&1 \
	    || (apt-get update -q >/dev/null && apt-get install -y -q docker-registry >/dev/null)) \
	   || echo "warning: apt-get could not install docker-registry; registry tests will skip"; \
	 elif command -v apt-get >/dev/null 2>&1; then \
	   echo "warning: no OCI registry binary, and apt-get needs root: run 'sudo apt-get install -y docker-registry'; until then registry tests skip"; \
	 else echo "warning: no OCI registry binary and no apt-get; registry tests will skip"; fi

lint: setup
	$(BIN)/ruff check harness tests scenarios benchmarks tools conftest.py
	$(BIN)/ruff format --check harness tests scenarios benchmarks tools conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest exits 5 when it collected nothing: a green run that tested nothing proves nothing.
test: setup lint
	@$(BIN)/python -m pytest -q -n 2; rc=$$?; \
	 if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests: check testpaths in pyproject.toml"; fi; \
	 exit $$rc

# Every feature file with the fast-time shortcut off and on: identical histories, timelines, logs.
# Too slow for `make test` (it polls weeks of 15 s checks); .ci/run runs it after `make test`.
differential: setup
	DKP_DIFFERENTIAL=1 $(BIN)/python -m pytest -q -n 2 -p no:randomly tests/dkp/test_shortcuts_differential.py

conformance: setup
	$(BIN)/dkp-harness run

# Every benchmarks/*.py, one after another, then one table of figures, ratios and budgets.
bench: setup
	@$(BIN)/python benchmarks/run_all.py

benchmarks: bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
