# Every target uses the project's virtualenv; `make install` creates it.
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_VENV ?= .venv-demo
DEMO_PIP_INSTALL := install --quiet --no-compile -e '.[local]'
export PATH := $(abspath $(VENV))/bin:$(PATH)

# The CPython versions the whole suite runs on, each in its own virtualenv (.venv-3.11,
# ...); pyproject.toml's classifiers list exactly these (tests/test_packaging.py checks).
# An interpreter is found by scripts/find-python, or given: make test PYTHON_3.13=/path.
PYTHON_VERSIONS ?= 3.11 3.12 3.13

.PHONY: install demo test unit unit-all lint typecheck check-generated check-wheel generate \
	docs bench bench-quick bench-against serve

install: $(VENV)/.installed

# A virtualenv made before the distribution was renamed holds it as `dataforce` too,
# whose uninstall would later take the shared `dataforce` command with it: removed first.
define INSTALL_DEV
	$(1) -m pip install --quiet --upgrade pip
	$(1) -m pip uninstall --quiet --yes dataforce 2>/dev/null || true
	$(1) -m pip install --quiet -e '.[dev]'
endef

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(call INSTALL_DEV,$(PY))
	touch $@

# Kept after a run: make would otherwise delete them as intermediate files.
.PRECIOUS: .venv-%/.installed
.venv-%/.installed: pyproject.toml
	test -x .venv-$*/bin/python || { \
	    python=$$(scripts/find-python $* $(PYTHON_$*)) && "$$python" -m venv .venv-$*; }
	$(call INSTALL_DEV,.venv-$*/bin/python)
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

## Everything CI checks: the checks that do not depend on the interpreter once, then the
## whole suite on each version of PYTHON_VERSIONS (about 4 min each on 2 cores).
test: install check-generated lint typecheck check-wheel unit-all

## The suite in .venv only: the quick loop while developing.
unit: install
	$(PY) -m pytest -q

unit-all: $(addprefix unit-,$(PYTHON_VERSIONS))

## The suite on one version: make unit-3.13. Its virtualenv's commands come first on PATH.
unit-%: .venv-%/.installed
	@echo "== the suite on Python $*"
	PATH="$(abspath .venv-$*)/bin:$$PATH" .venv-$*/bin/python -m pytest -q

lint: install
	$(VENV)/bin/ruff check dataforce tests scripts examples
	$(VENV)/bin/ruff format --check dataforce tests scripts examples

typecheck: install
	$(VENV)/bin/mypy

## The generated package, then the reference pages (they document its models too).
generate: install
	$(PY) scripts/generate.py
	$(PY) scripts/reference.py

check-generated: install
	$(PY) scripts/generate.py --check

## The API reference, docs/reference/*.md, from the docstrings (tests/test_reference.py
## fails when the committed pages differ, and runs every example they show).
docs: install
	$(PY) scripts/reference.py

## The wheel ships the whole tree and works alone: built, installed in a clean virtualenv
## with runtime dependencies only, every module imported, one call made (~10-30 s).
check-wheel: install
	$(PY) scripts/check_wheel.py

bench: install
	$(PY) scripts/bench.py

bench-quick: install
	$(PY) scripts/bench.py --quick

## This tree against another commit in the same run, row by row (docs/performance.md):
## make bench-against REF=main; QUICK=1 for a smoke run, FAIL_IF_WORSE=1 to exit 1 on a
## row the paired ratio calls WORSE. The commit's tree and virtualenv are cached under
## bench-results/trees/.
REF ?= main
bench-against: install
	$(PY) scripts/bench.py --against $(REF) $(if $(QUICK),--quick) \
	    $(if $(FAIL_IF_WORSE),--fail-if-worse)

serve: install
	$(VENV)/bin/dataforce serve --port 8000
