# The two commands of README.md: `make run` (the portal on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test install install-dev check-python worker lint messages system-packages

# WeasyPrint (PDF reports) needs Pango and HarfBuzz from the system, and fonts with Albanian and
# Serbian letters. As root on Debian they are installed; elsewhere the command to run is printed.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

# The developer's command, and only it, turns DEBUG on (the settings default it off).
run: export DEBUG ?= true
run: install system-packages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	@echo "Serving the portal at http://127.0.0.1:8000 (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing for PDF reports:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "PDF reports need these system packages: sudo apt-get install" $$missing; \
	  fi; \
	fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'

$(VENV)/.installed: requirements.txt | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# A Celery worker and beat for a deployment with REDIS_URL set (see README).
worker: install
	$(BIN)/celery -A mission worker --beat -Q reports,summaries,mail,celery --loglevel=INFO

# mypy's files and levels are in pyproject.toml: mission/ strict, the departments at the default level.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# After changing user-facing strings: extract, translate the .po files, then compile.
messages: export DEBUG ?= true
messages: install-dev
	$(BIN)/python manage.py makemessages -l sq -l sr_Latn --no-obsolete --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages -l sq -l sr_Latn --ignore=.venv
