# TrackMyCrime. Needs only Python 3.11 and git; everything else is installed here.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pgserver asks platformdirs for a private runtime directory. tenants/embedded.py sets
# this one itself when it is unset; the test runs share it so pgserver's lock is shared.
RUNTIME := $(CURDIR)/instance/runtime
# Two pytest-xdist workers: most tests wait on PostgreSQL, Redis, subprocess workers or
# the browser, so two processes keep two cores busy. PYTEST_ARGS= runs them serially.
PYTEST_ARGS ?= -n 2
export XDG_RUNTIME_DIR := $(RUNTIME)

.PHONY: demo test lint typecheck install assets translations browser bench bench-notifications clean

demo: install translations  ## Run the demo: embedded services, three forces, web + worker
	TMC_ENV=development $(BIN)/flask --app wsgi demo run

test: lint typecheck translations browser  ## Run the whole suite (embedded services unless TEST_DATABASE_URL/TEST_REDIS_URL)
	@mkdir -p -m 700 $(RUNTIME)
	$(BIN)/pytest tests $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports setup.cfg

typecheck: install
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

translations: install  ## Compile the Welsh catalogue (.po -> .mo)
	$(BIN)/pybabel compile --statistics -d app/translations

browser:  ## Debian's chromium for the browser tests, when missing and apt is available
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "NOTICE: chromium not found and apt unavailable: browser tests will be skipped."; fi

bench: install  ## Issue 15's benchmarks (P1 P2 P5 P6 P3) and a summary; writes docs/benchmarks.md. QUICK=1: small, print only
	@mkdir -p -m 700 $(RUNTIME)
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk is needed (Debian: apt-get install wrk)"; exit 1; fi
	$(BIN)/python -m bench.all $(if $(QUICK),--quick)

bench-notifications: install  ## 10,000 notifications through outbox -> RQ -> SMTP sink vs no-op jobs
	@mkdir -p -m 700 $(RUNTIME)
	$(BIN)/python -m bench.notifications --count 10000

assets:  ## Rebuild app/static from assets/ (needs Node; the output is committed)
	bash assets/build.sh

clean:
	rm -rf $(VENV) instance
