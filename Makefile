# Every target uses the project's virtualenv; `make install` creates it.
VENV ?= .venv
PY := $(VENV)/bin/python
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: install demo test unit lint typecheck check-generated check-wheel generate bench bench-quick serve

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

## The README's first command: the SDK's examples against the embedded local server.
demo: install
	$(PY) examples/demo.py

## The README's second command: everything CI checks.
test: install check-generated lint typecheck unit check-wheel

unit: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check dataforce tests scripts examples
	$(VENV)/bin/ruff format --check dataforce tests scripts examples

typecheck: install
	$(VENV)/bin/mypy

generate: install
	$(PY) scripts/generate.py

check-generated: install
	$(PY) scripts/generate.py --check

## The wheel ships the whole tree and works alone: built, installed in a clean virtualenv
## with runtime dependencies only, every module imported, one call made (~10-30 s).
check-wheel: install
	$(PY) scripts/check_wheel.py

bench: install
	$(PY) scripts/bench.py

bench-quick: install
	$(PY) scripts/bench.py --quick

serve: install
	$(VENV)/bin/dataforce serve --port 8000
