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

generate: $(STAMP)
	$(VENV)/bin/microcred generate
