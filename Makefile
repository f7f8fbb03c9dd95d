# Two commands do all the set-up (see README): `make serve` and `make test`.
# Both create .venv and install the package into it on first use.
VENV := .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
STAMP := $(VENV)/.installed

.PHONY: serve build validate test bench generate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/microcred serve

build: $(STAMP)
	$(VENV)/bin/microcred build

validate: $(STAMP)
	$(VENV)/bin/microcred validate catalogue

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# Time `microcred validate` and `microcred build` on synthetic catalogues of 1,000, 5,000 and
# 10,000 credentials against the budgets in DESIGN.md; results in benchmarks/out/results.json
# (quick run: .venv/bin/python benchmarks/run.py --sizes 1000 --repeat 1).
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/run.py

generate: $(STAMP)
	$(VENV)/bin/microcred generate
