# Every routine task of the course. CI (.ci/run) calls the same targets people do.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8888
STAMP := $(VENV)/.installed
# MPLBACKEND=Agg is set for the tests only (tests/conftest.py too): exported here it would reach
# JupyterLab's kernels under `make start` and no chart would show.
TEST_ENV := MPLBACKEND=Agg

.PHONY: help venv start test test-full test-fast bench grade-demo release lint clean student-edition \
	release-zips collect autograde formgrader feedback export grade summary accept hub-start hub-stop

help:
	@echo "make start       set up (first time) and open the course in JupyterLab"
	@echo "make test        set up (first time) and run the whole test suite"
	@echo "make test-full   the same, every assignment in both languages (make test rotates them)"
	@echo "make grade-demo  grade sample submissions with nbgrader in a scratch course"
	@echo "make release     regenerate release/ from source/ with nbgrader"
	@echo "make bench       write benchmark figures to bench/results/"
	@echo "make student-edition  build/student-edition(.zip) for students: no answers"
	@echo ""
	@echo "Grading (README, For lecturers): ASSIGNMENT=m06 [PLATFORM=canvas|moodle|blackboard]"
	@echo "  [WORKERS=2] [DUE=\"2025-03-30 23:59\"] [FORCE=1] [COURSE=folder, default: here]"
	@echo "make release-zips  build/release-zips/<id>.zip of each release, to upload"
	@echo "make collect       the platform's zip in downloaded/<id>/archive/ -> submitted/"
	@echo "make autograde     autograde every submission (in parallel), with a summary"
	@echo "make formgrader    JupyterLab's formgrader, to mark written answers [PORT=8888]"
	@echo "make feedback      feedback/<student>/<id>/*.html (no hidden tests, no solutions)"
	@echo "make export        build/grading/<id>/grades-<id>.csv for the platform's import"
	@echo "make grade         collect + autograde + feedback + export in one go"
	@echo "make summary       print the grading summary again (after manual grading)"
	@echo "make accept        STUDENTS=\"id ...\": count flagged submissions as graded after review"

# The virtual environment is built from environment.yml's pip: section (the student runtime,
# exact pins), requirements-dev.txt (test, browser and lint tools, exact pins) and this package,
# editable. It is rebuilt when any of these files changes.
venv: $(STAMP)
$(STAMP): environment.yml requirements-dev.txt pyproject.toml tools/requirements_from_env.sh deploy/requirements-hub.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	bash tools/requirements_from_env.sh environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r deploy/requirements-hub.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

# The lecturer's door (students start the student edition: python start.py). Widget state is
# saved with the notebooks, as in the student edition (tools/student/student_settings.py); the
# instructor tools stay on. No MPLBACKEND here: the kernels draw their charts inline.
start: $(STAMP)
	@$(BIN)/python tools/student/student_settings.py --keep-instructor-tools >/dev/null
	@echo ""
	@echo "Starting JupyterLab on the course. Open the URL printed below (the one with a token)."
	@echo "The course index is notebooks/index.ipynb. Stop the server with Ctrl+C."
	@echo ""
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks/index.ipynb \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# The module notebooks (index, m00-m08, the x- extras) run once, in the students' runtime environment
# (tests/test_runtime_env.py, a fresh venv from environment.yml); nbval runs every other notebook.
# Workers get whole files (module fixtures are built once), slowest files first: the order
# comes from tests/conftest.py (FILE_SECONDS), so xdist must not reorder them by test count.
# Two workers (one per core); TEST_WORKERS=3 was tried: 19 min 42 s at 131 % CPU, no gain.
# The assignments' slow tests run every module in one language, English and Dutch rotating per
# commit (tests/conftest.py, printed in the header); make test-full runs both languages of all.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
		tests notebooks source --nbval-lax \
		--ignore-glob='notebooks/m[0-9][0-9]-*.ipynb' --ignore-glob='notebooks/x-*.ipynb' \
		--ignore=notebooks/index.ipynb \
		-p no:cacheprovider --durations=25

test-full: $(STAMP)
	WELFARELAB_FULL=1 $(MAKE) test

# Two workers: serially the fast tests took 2 min 49 s on the 2-core machine (1056 tests; the
# export and roster tests grade small classes), with two 1 min 28 to 1 min 55 s (6 December 2026).
test-fast: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 tests -m "not slow and not browser" -p no:cacheprovider

grade-demo: $(STAMP)
	$(BIN)/python -m welfaregrading demo $(ARGS)

release: $(STAMP)
	$(BIN)/python -m welfaregrading release

bench: $(STAMP)
	$(TEST_ENV) $(BIN)/python bench/run.py
	$(TEST_ENV) $(BIN)/python bench/hub_load.py  # N=20 students on the local hub (root; skips otherwise)

# ---- Grading (README "For lecturers"; welfaregrading/) ----
COURSE ?= $(CURDIR)
GRADING := $(BIN)/python -m welfaregrading
GRADE_OPTS = --course "$(COURSE)" $(if $(PLATFORM),--platform $(PLATFORM)) \
	$(if $(WORKERS),--workers $(WORKERS)) $(if $(DUE),--due "$(DUE)") $(if $(FORCE),--force)
need_assignment = $(if $(ASSIGNMENT),,$(error Say which assignment, e.g. make $@ ASSIGNMENT=m06))
# Exit code 3 = the step ran, but some submissions were not graded, were flagged or have no
# feedback (listed above it): said, and make goes on to the next target (`make autograde
# feedback export`). 1 (could not run) and 2 (usage) stop make. `make grade` passes 3 on.
GOES_ON = ; rc=$$?; if [ $$rc -eq 3 ]; then \
	echo "make $@: finished with exit code 3: some submissions are listed above as not graded" >&2; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

release-zips: $(STAMP)
	$(GRADING) release-zips

collect: $(STAMP)
	$(need_assignment)
	$(GRADING) collect $(ASSIGNMENT) $(GRADE_OPTS) $(GOES_ON)

autograde: $(STAMP)
	$(need_assignment)
	$(GRADING) autograde $(ASSIGNMENT) $(GRADE_OPTS) $(GOES_ON)

summary: $(STAMP)
	$(need_assignment)
	$(GRADING) summary $(ASSIGNMENT) $(GRADE_OPTS) $(GOES_ON)

accept: $(STAMP)
	$(need_assignment)
	$(if $(STUDENTS),,$(error Say whose flags you reviewed, e.g. make accept ASSIGNMENT=m06 STUDENTS="s123 s456"))
	$(GRADING) accept $(ASSIGNMENT) $(STUDENTS) --course "$(COURSE)" $(GOES_ON)

# JupyterLab with formgrader, safe to open on any submission (welfaregrading/formgrader.py):
# students' HTML sanitised, a Content-Security-Policy on submission pages, no terminals.
formgrader: $(STAMP)
	@echo "Formgrader for the course in $(COURSE): open the URL with a token printed below."
	cd "$(COURSE)" && "$(abspath $(BIN))/python" -m welfaregrading.formgrader --port=$(PORT)

feedback: $(STAMP)
	$(need_assignment)
	$(GRADING) feedback $(ASSIGNMENT) $(GRADE_OPTS) $(GOES_ON)

export: $(STAMP)
	$(need_assignment)
	$(GRADING) export $(ASSIGNMENT) $(GRADE_OPTS) $(GOES_ON)

grade: $(STAMP)
	$(need_assignment)
	$(GRADING) grade $(ASSIGNMENT) $(GRADE_OPTS)

lint: $(STAMP)
	$(BIN)/ruff check welfarelab welfaregrading tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

student-edition: $(STAMP)
	$(BIN)/python tools/student_edition.py

# A local trial course on JupyterHub (deploy/, issue 18): as root, on 127.0.0.1, with demo
# students, a lecturer and the stand-in LTI 1.3 platform; it prints the URLs and how to log in.
hub-start: $(STAMP)
	$(BIN)/python deploy/hubctl.py start

hub-stop:
	$(BIN)/python deploy/hubctl.py stop
