# Two commands do all the set-up (see README): `make serve` and `make test`.
# Both create .venv on first use and install exactly what requirements.lock pins (with hashes),
# then the package itself; a changed lock or pyproject.toml makes a fresh .venv.
VENV := .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
LOCK := requirements.lock
STAMP := $(VENV)/.installed
PIP := $(VENV)/bin/python -m pip --disable-pip-version-check -q
# pip-compile writes the lock; it runs in a venv of its own, so the project's venv holds only the lock
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2

.PHONY: serve build validate test golden bench generate lock messages

$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r $(LOCK)
	$(PIP) install --no-deps --no-build-isolation --no-index -e .
	$(PIP) check
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/microcred serve

build: $(STAMP)
	$(VENV)/bin/microcred build

validate: $(STAMP)
	$(VENV)/bin/microcred validate catalogue

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# Rewrite the golden files under tests/golden/ from the current code; review the diff, then commit.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(VENV)/bin/python -m pytest -q -m golden

# Time `microcred validate`, a clean `microcred build` and a rebuild after one edited entry on
# catalogues of 1,000, 10,000 and 100,000 credentials (clones of the example entries) against the
# budgets in docs/performance.md; results in benchmarks/out/results.json (quick run:
# .venv/bin/python benchmarks/run.py --sizes 1000 --repeat 1).
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/run.py

generate: $(STAMP)
	$(VENV)/bin/microcred generate

# Refresh requirements.# Extract the site's messages (templates, Python, register.js, navigation, vocabularies) into
# messages.pot and merge them into every language's catalogue (docs/contributing/translate.md).
LOCALE := build/microcred/site/locale
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F $(LOCALE)/babel.cfg -k n_:1,2 --sort-by-file --no-wrap \
		--project "Open Micro-credential Register" --copyright-holder "the register's contributors" \
		-c "TRANSLATORS:" --omit-header -o $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-wrap --ignore-obsolete

# Refresh requirements.lock: the newest versions pyproject.toml allows, for this Python (3.11,
# as CI and the deploy workflow use), with the hashes of every file of each release.
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip --disable-pip-version-check -q install $(PIP_TOOLS)
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	  --extra test --all-build-deps --output-file $(LOCK) pyproject.toml
