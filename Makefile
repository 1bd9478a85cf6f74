# The two commands of README.md: `make run` (the portal on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test install install-dev check-python worker lint messages

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	@echo "Serving the portal at http://127.0.0.1:8000 (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
	$(BIN)/celery -A mission worker --loglevel=INFO

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# After changing user-facing strings: extract, translate the .po files, then compile.
messages: install-dev
	$(BIN)/python manage.py makemessages -l sq -l sr_Latn --no-obsolete --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages -l sq -l sr_Latn --ignore=.venv
