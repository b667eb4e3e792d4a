# The project's commands. Each target creates the virtual environment it
# needs on first use, so on a fresh clone `make lab` or `make test` is all
# the set-up there is.

PYTHON ?= python3
# Two environments, one per role: students get JupyterLab and the kernel only
# (nmacausal[student]), with nmacausal installed as a user gets it from a wheel
# (reinstalled when its code changes); developers get everything
# (nmacausal[dev]), with nmacausal editable.
STUDENT_VENV ?= .venv-student
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
STUDENT_INSTALLED := $(STUDENT_VENV)/.installed

.PHONY: lab test lint bench notebooks clean

$(STUDENT_INSTALLED): pyproject.toml nbgrader_config.py $(shell find nmacausal -name "*.py") $(wildcard exercises/*.ipynb solutions/*.ipynb)
	$(PYTHON) -m venv $(STUDENT_VENV)
	$(STUDENT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(STUDENT_VENV)/bin/python -m pip install --quiet ".[student]"
	touch $@

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Extra JupyterLab options, e.g. on a headless machine:
#   make lab LAB_ARGS="--no-browser --port=8888"
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; containers often are root.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: open JupyterLab on the exercise notebook, in the students' environment (the repository is its file browser's root)
lab: $(STUDENT_INSTALLED)
	$(STUDENT_VENV)/bin/jupyter lab --ServerApp.root_dir=. $(AS_ROOT) $(LAB_ARGS) exercises/W3D5_Tutorial1.ipynb

## test: lint, then run every test (installs Chromium and bubblewrap for the tests if missing)
test: $(INSTALLED)
	scripts/ensure-test-tools
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## lint: ruff only
lint: $(INSTALLED)
	$(BIN)/ruff check .

## notebooks: regenerate the notebooks from solutions/ and the exercise registry (executes solutions/, generates exercises/ with nbgrader)
notebooks: $(INSTALLED)
	$(BIN)/nmacausal build-notebooks

## bench: run the benchmarks and print their figures
bench: $(INSTALLED)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(STUDENT_VENV) dist build .pytest_cache .ruff_cache .hypothesis
