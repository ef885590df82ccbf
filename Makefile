# Laurel — developer entry points. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := laurel.settings
export PYTHONPATH := src


.PHONY: serve-prod deadline-day
.PHONY: ldap
.PHONY: help install demo serve test test-fast e2e browsers fonts lint fmt migrations-check lock clean-demo bench

help:
	@echo "make demo      install, migrate var/laurel.sqlite3, load reference + demo data, serve :$(PORT)"
	@echo "make test      run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make e2e       both workflows end to end in Chromium, screenshots in var/screenshots/e2e"
	@echo "make lint      ruff, the import contracts (lint-imports) and makemigrations --check"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml"

# Install exactly what the lock file says into .venv (hash-checked), the project runs from src/ (PYTHONPATH).
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# The optional intranet login (LDAP, laurel.accounts.ldap): Debian's OpenLDAP headers to build
# python-ldap, and slapd for its tests (tests/accounts/test_ldap.py starts its own on a free
# port); then the hash-checked requirements-ldap.lock into .venv.
LDAP_STAMP := $(VENV)/.installed-ldap
ldap: $(LDAP_STAMP)
$(LDAP_STAMP): $(STAMP) requirements-ldap.lock
	@if ! dpkg -s libldap2-dev libsasl2-dev slapd ldap-utils >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libldap2-dev libsasl2-dev slapd ldap-utils; \
	fi
	$(PY) -m pip install --quiet --require-hashes -r requirements-ldap.lock
	touch $(LDAP_STAMP)

# Debian packages some features need: Noto CJK fonts and HarfBuzz's subsetter for PDF
# (without libharfbuzz-subset0 WeasyPrint falls back to fontTools: ~6 s instead of 0.1 s per
# PDF with CJK fonts), the Fandol 仿宋 (FandolFang, in texlive-lang-chinese: the body type of
# the forms and the decision), Chromium for the browser tests.
FANDOL := /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Serif CJK SC" || ! ldconfig -p | grep -q libharfbuzz-subset; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-cjk libharfbuzz-subset0; \
	fi
	@if [ ! -f $(FANDOL) ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends texlive-lang-chinese; \
	fi

browsers: fonts
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils; \
	fi

demo: install fonts
	mkdir -p var
	$(PY) -m django migrate --noinput
	$(PY) -m django load_reference
	$(PY) -m django load_demo
	@$(PY) -m django demo_logins --address $(HOST):$(PORT)
	# A task worker beside the server, as in production: exports run in the background with a
	# moving progress bar, mails are sent (printed here, console backend). Stopped with the server.
	# DEBUG off: a wrong address shows the friendly 404, never Django's list of every URL.
	LAUREL_TASK_BACKEND=database $(PY) -m django db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	LAUREL_TASK_BACKEND=database LAUREL_DEBUG=0 LAUREL_SECURE_COOKIES=0 \
	$(PY) -m django runserver $(HOST):$(PORT)

serve: install
	$(PY) -m django runserver $(HOST):$(PORT)

# The production set-up on this machine: PostgreSQL, gunicorn (2 workers), 1 task worker.
serve-prod: install fonts
	PORT=$(PORT) deploy/serve-prod.sh

# Benchmarks (benchmarks/README.md); BENCH_ARGS=--quick for the small size.
bench: install fonts
	$(PY) benchmarks/forms_docx.py --count $(if $(findstring --quick,$(BENCH_ARGS)),100,1000)
	$(PY) benchmarks/registry_search.py $(BENCH_ARGS)
	cd benchmarks && ../$(PY) registry_import.py $(BENCH_ARGS)
	cd benchmarks && ../$(PY) registry_reimport.py $(BENCH_ARGS)
	cd benchmarks && ../$(PY) exports.py $(BENCH_ARGS)
	cd benchmarks && ../$(PY) booklets.py $(BENCH_ARGS)
	cd benchmarks && ../$(PY) list_pages.py --seconds 5
	cd benchmarks && ../$(PY) nominee_list.py --seconds 5

# Deadline day under load (issue 22): its own PostgreSQL database, servers started as by
# serve-prod, 200 unit users, 20 reviewers and the office; DEADLINE_ARGS="--users 20" for less.
deadline-day: install fonts
	cd benchmarks && ../$(PY) deadline_day.py $(DEADLINE_ARGS)

# Two pytest-xdist workers, one per core (TEST_WORKERS=0 runs in one process); then the tests
# marked serial alone, as restarting PostgreSQL would cut the other worker's connections
# (pytest's exit code 5 is "none of those selected", e.g. with PYTEST_ARGS=tests/core).
TEST_WORKERS ?= 2
test: install browsers ldap
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not e2e and not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m pytest -m "serial and not e2e" $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Both workflows end to end in Chromium (tests/e2e); screenshots in var/screenshots/e2e/.
e2e: install browsers
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

# Everything except the browser tests (no Chromium needed).
test-fast: install fonts
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not e2e and not serial" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m django makemigrations --check --dry-run

fmt: install
	$(VENV)/bin/ruff check --fix src tests
	$(VENV)/bin/ruff format src tests

lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean-demo:
	rm -f var/laurel.sqlite3
