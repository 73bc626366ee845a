# Tremplin's entry points. GNU make; every recipe runs in bash with -eu -o pipefail.
#   make run             demo server on http://127.0.0.1:8000 with the task worker
#   make test            ruff, mypy, migrations check, whole pytest suite (SQLite, or
#                        PostgreSQL when DATABASE_URL is set)
#   make test-postgres   pytest against a throwaway PostgreSQL cluster
#   make backup          back the configured database up into var/backups (docs/operations.md)
#   make restore FILE=…  restore a backup (TARGET=… another database, FORCE=1 a non-empty one)
# PYTHON=/path/to/python3.12 picks the interpreter for a new .venv (scripts/find-python).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# One bash per recipe, so a recipe can keep variables and traps across lines.
.ONESHELL:
# The steps of `test` must run in order, even under make -j.
.NOTPARALLEL:

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Stamp: re-install only when the declared dependencies change.
STAMP := $(VENV)/.installed
# Compiled translations: derived from the .po (not in git), rebuilt when it changes. Babel
# compiles them, so installing and running need no GNU gettext (only makemessages does).
LOCALE_DIR := tremplin/locale
MO := $(LOCALE_DIR)/en/LC_MESSAGES/django.mo

# pytest runs on one process per core (pytest-xdist; each has its own test database; an idle
# process takes tests from a busy one, so the long browser tests do not end the run alone):
# PYTEST_WORKERS=0 runs everything in this process, e.g. to use a debugger.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

# Browser tests drive Debian's chromium through Playwright; Playwright never downloads one.
export CHROMIUM_PATH ?= /usr/bin/chromium
export PIP_DISABLE_PIP_VERSION_CHECK := 1

RUN_ADDR ?= 127.0.0.1:8000
# test-postgres gets its own cluster and port so it never stops one you started by hand.
TEST_PG_DIR ?= var/pg-test
TEST_PG_PORT ?= 55433
# Where `make backup` writes (manage.py backup_database --dir).
BACKUP_DIR ?= var/backups

.PHONY: help venv install run test lint typecheck migrations-check pytest \
	test-postgres bench-funnel bench-import bench-documents bench-plan bench-match bench-national \
	bench-reports load clean messages backup restore

help:
	@echo "Targets: venv (= install), run, test, test-postgres, migrations-check, lint,"
	@echo "         typecheck, pytest, bench-funnel, bench-import, bench-documents,"
	@echo "         bench-plan, bench-match, bench-national, bench-reports, load, backup,"
	@echo "         restore FILE=..., clean"

$(PY):
	@py=$$(scripts/find-python); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

# PIP_CONSTRAINT also reaches pip's isolated build environments: that is how the
# xstatic-bootstrap sdist gets a setuptools that still has pkg_resources. pip >= 25.3
# deprecates that in favour of PIP_BUILD_CONSTRAINT (older pips ignore it), so set both.
# The `semantic` extra too: the tests run the matching's real sentence encoder (its
# experience term), and fail rather than skip without it.
$(STAMP): pyproject.toml constraints-build.txt | $(PY)
	export PIP_CONSTRAINT="$(CURDIR)/constraints-build.txt"
	export PIP_BUILD_CONSTRAINT="$$PIP_CONSTRAINT"
	$(PY) -m pip install -e '.[dev,semantic,national]'
	$(BIN)/pybabel compile -d $(LOCALE_DIR) -D django
	touch $@

# Babel silently skips fuzzy entries (and a whole catalog whose header is fuzzy): refuse them.
$(MO): $(LOCALE_DIR)/en/LC_MESSAGES/django.po | $(STAMP)
	if grep -n '^#,.*fuzzy' $<; then echo "$<: review the fuzzy entries above" >&2; exit 1; fi
	$(BIN)/pybabel compile -d $(LOCALE_DIR) -D django

# Refreshes the catalogue's msgids from the code (needs GNU gettext); translate, then commit.
messages: $(STAMP)
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=var --ignore=staticfiles \
		--ignore=tests --ignore=bench

venv install: $(STAMP)

var:
	mkdir -p var

# Resets and reloads the demo, then serves with DEBUG=1 (static files come from
# runserver). The task worker, and the scheduler that enqueues the daily jobs (follow-up
# requests), run in the background and are stopped when runserver exits,
# however it exits (Ctrl-C included: the trap also covers INT/TERM). setsid keeps the
# worker out of the terminal's process group, so Ctrl-C reaches runserver only and the
# worker gets a single SIGTERM, which lets it finish the task in hand (a second signal
# would abort it). No --reload for the worker: restart `make run` after changing tasks.
run: $(STAMP) $(MO) | var
	@export DEBUG=1
	$(MANAGE) migrate --noinput
	$(MANAGE) load_communes
	$(MANAGE) load_demo --capacity-study
	$(MANAGE) locate_people
	$(MANAGE) demo_logins
	setsid $(MANAGE) run_worker &
	worker=$$!
	setsid $(MANAGE) run_scheduler &
	scheduler=$$!
	stop_worker() {
		kill -TERM "$$scheduler" 2>/dev/null || true
		kill -TERM "$$worker" 2>/dev/null || return 0
		echo "Stopping the task worker..." >&2
		wait "$$worker" 2>/dev/null || true
	}
	trap stop_worker EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	$(MANAGE) runserver $(RUN_ADDR)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy tremplin

migrations-check: $(STAMP) | var
	$(MANAGE) makemigrations --check --dry-run

# Tests marked `postgres` prove behaviour only PostgreSQL has (row locks under real
# concurrent transactions): they run in the PostgreSQL pass (CI, make test-postgres) and are
# deselected, with a line saying so, when DATABASE_URL is not a PostgreSQL URL.
pytest: $(STAMP) $(MO) | var
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then
		$(PYTEST)
	else
		echo "SQLite run: tests marked 'postgres' are deselected (they run with DATABASE_URL=postgres://...)."
		$(PYTEST) -m "not postgres"
	fi

# DATABASE_URL, when set in the environment, is used as is (PostgreSQL run).
test: $(MO) lint typecheck migrations-check pytest

test-postgres: $(STAMP) $(MO) | var
	url=$$(PG_PORT=$(TEST_PG_PORT) scripts/pg-start $(TEST_PG_DIR))
	trap 'scripts/pg-stop $(TEST_PG_DIR) --purge' EXIT
	DATABASE_URL="$$url" $(PYTEST)

bench-funnel: $(STAMP) | var
	$(PY) bench/funnel.py

# QPV lookups first, then the import: the last line is the import's rows per second.
bench-import: $(STAMP) | var
	$(PY) bench/qpv.py
	$(PY) bench/import.py

# A cohort's 12 certificats and 12 attestations, then its 4 monthly attendance PDFs.
bench-documents: $(STAMP) | var
	$(PY) bench/documents.py

# The planner on seeded instances (1, 3, 6 cohorts, overbooked), CP-SAT against the greedy
# baseline: the last line is the three-cohort gap and time.
bench-plan: $(STAMP)
	$(PY) bench/plan.py

# Matching: a cohort's and a region's rankings and the region's assignment, each against
# brute force, then the evaluation set's precision@5 and nDCG@10 against distance only.
bench-match: $(STAMP)
	$(PY) bench/match.py

# National batch matching, 1,000,000 job seekers × 200,000 openings, top 20 (docs/scale.md):
# the single-machine time, recall@20 on a 1 % sample against every pair scored, and the same
# job on a local Dask cluster of 2 workers. About 20 minutes; the country is kept in
# var/national/ (about 2 GB) and reused. SEEKERS=100000 OPENINGS=20000 runs small.
bench-national: $(STAMP) | var
	$(PY) bench/national.py

# The network dashboard on 2,000,000 people and 20,000,000 events in its own PostgreSQL cluster
# (var/pg-bench, port 55442, purged at the end), against the per-person computation, whose
# figures must be equal on 20,000 people. SCALE=20000 runs small (well under a minute).
bench-reports: $(STAMP) | var
	$(PY) bench/reports.py

# 50 users for 5 minutes (locust, headless) on the demo scaled to 50 sites, served by gunicorn
# (2 workers) from its own PostgreSQL cluster (var/pg-load, port 55461, purged at the end):
# throughput, p50, p95, errors, and the ratio to the health check. Fails on any error or a
# pages' p95 over 300 ms. LOAD_DURATION=60s for a trial (docs/performance.md).
load: $(STAMP) | var
	$(PY) bench/load/run.py

# The configured database (DATABASE_URL, else var/tremplin.sqlite3) into $(BACKUP_DIR), a manifest
# beside each file; VERIFY=1 then restores it into a scratch database and checks it.
backup: $(STAMP) | var
	$(MANAGE) backup_database --dir "$(BACKUP_DIR)" $(if $(VERIFY),--verify)

# make restore FILE=var/backups/tremplin-….sqlite3 [TARGET=…] [FORCE=1]: a non-empty target is
# refused without FORCE=1. Stop `make run` (or the service) before restoring onto its database.
restore: $(STAMP)
	if [[ -z "$(FILE)" ]]; then echo "Usage: make restore FILE=var/backups/… [TARGET=…] [FORCE=1]" >&2; exit 2; fi
	$(MANAGE) restore_database "$(FILE)" $(if $(TARGET),--target "$(TARGET)") $(if $(FORCE),--force)

# Leaves var/ (the development database and var/pg) alone: that is data, not build output.
clean:
	scripts/pg-stop $(TEST_PG_DIR) --purge || true
	scripts/pg-stop var/pg-bench --purge || true
	scripts/pg-stop var/pg-load --purge || true
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache test-results *.egg-info
	find $(LOCALE_DIR) -name '*.mo' -delete
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
