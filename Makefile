# Two commands for a newcomer:  `make demo` (the app against the local Looker)  and  `make test`.
# Everything they need is installed on first use and skipped after that.

PY      := .venv/bin/python
STAMPS  := build/stamps

.PHONY: demo test test-fast mutation bench lint screenshots setup chromium clean boot-rules

demo: setup
	$(PY) -m scripts.demo

test: setup chromium lint
	$(PY) -m pytest

# the unit tests only (tests/unit: the core, the driver and the app's logic; no server, no browser)
test-fast: setup
	$(PY) -m pytest tests/unit

# the unit tests against mutated copies of the core and the app's logic (scripts/mutation.py: which modules,
# the score each must reach); minutes, one mutant at a time, so neither `make test` nor CI runs it
mutation: setup
	$(PY) -m scripts.mutation

# style, and types where the code is annotated (pyproject.toml [tool.mypy])
lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy

# the lean loader's copy of the first-calls rules (session.LOADER_RULES), after changing them
boot-rules: setup
	$(PY) -m scripts.boot_rules

bench: setup chromium
	$(PY) -m bench.measure

# The pictures in docs/ (README): tests only ever write build/screenshots/, so a test run leaves
# git clean; this runs the tests that take them and copies what they saw into docs/ on purpose.
DOC_SHOTS := dashboard-1366 dashboard-390 explore console scratchpad
screenshots: setup chromium
	$(PY) -m pytest tests/browser/test_app_views.py tests/browser/test_app.py tests/browser/test_scratchpad.py -k "dashboard_layout or \
	  dashboard_on_a_phone or explore_builds_runs or api_console_runs or starter_snippets_run"
	cp $(DOC_SHOTS:%=build/screenshots/%.png) docs/

setup: $(STAMPS)/venv $(STAMPS)/npm static/vendor/manifest.json py/looker_pkce/runtime/pyscript/core.js static/api/looker-4.0.json

# the host-side pins, then this project itself (editable: py/looker_pkce and its `looker-pkce` command)
$(STAMPS)/venv: requirements.txt pyproject.toml
	@command -v python3 >/dev/null || { echo "setup: python3 (3.11+) is missing: apt-get install python3 python3-venv"; exit 1; }
	@test -x $(PY) || python3 -m venv .venv || { echo "setup: could not create .venv: apt-get install python3-venv"; exit 1; }
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -e . \
	  || { echo "setup: pip could not install requirements.txt and this package — is PyPI reachable?"; exit 1; }
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json
	@command -v npm >/dev/null || { echo "setup: npm is missing: apt-get install nodejs npm"; exit 1; }
	@npm ci --no-audit --no-fund --loglevel=error \
	  || { echo "setup: npm ci failed — is the npm registry reachable?"; exit 1; }
	@mkdir -p $(STAMPS) && touch $@

static/vendor/manifest.json py/looker_pkce/runtime/pyscript/core.js &: $(STAMPS)/venv $(STAMPS)/npm requirements-browser.txt scripts/vendor.py
	@$(PY) scripts/vendor.py

# the API console's reference, generated from the official spec (scripts/api_index.py)
static/api/looker-4.0.json: $(STAMPS)/venv local_looker/spec/Looker.4.0.json scripts/api_index.py
	@$(PY) -m scripts.api_index

chromium:
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || scripts/install_chromium.sh

clean:
	rm -rf build static/vendor static/api py/looker_pkce/runtime node_modules .venv
