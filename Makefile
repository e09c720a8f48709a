# Every routine task of the course. CI (.ci/run) calls the same targets people do.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8888
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: help venv start test test-fast bench grade-demo release lint clean student-edition

help:
	@echo "make start       set up (first time) and open the course in JupyterLab"
	@echo "make test        set up (first time) and run the whole test suite"
	@echo "make grade-demo  grade sample submissions with nbgrader in a scratch course"
	@echo "make release     regenerate release/ from source/ with nbgrader"
	@echo "make bench       write benchmark figures to bench/results/"
	@echo "make student-edition  build/student-edition(.zip) for students: no answers"

# The virtual environment is built from environment.yml's pip: section (exact pins) plus this
# package, editable. It is rebuilt when either file changes.
venv: $(STAMP)
$(STAMP): environment.yml pyproject.toml tools/requirements_from_env.sh
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	bash tools/requirements_from_env.sh environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

start: $(STAMP)
	@echo ""
	@echo "Starting JupyterLab on the course. Open the URL printed below (the one with a token)."
	@echo "The course index is notebooks/index.ipynb. Stop the server with Ctrl+C."
	@echo ""
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks/index.ipynb \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile tests notebooks source --nbval-lax -p no:cacheprovider

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser" -p no:cacheprovider

grade-demo: $(STAMP)
	$(BIN)/python -m welfarelab.grading demo $(ARGS)

release: $(STAMP)
	$(BIN)/python -m welfarelab.grading release

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check welfarelab tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

student-edition: $(STAMP)
	$(BIN)/python tools/student_edition.py
