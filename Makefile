# ehcflow: `make demo` runs the product on a demo council; `make test` runs every test.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast bench assets install lock serve clean

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

ehcflow/static/dist/ehcflow.css: node_modules/.installed frontend/build.mjs frontend/ehcflow.scss
	npm run --silent build

install: $(BIN)/.installed node_modules/.installed
assets: ehcflow/static/dist/ehcflow.css

demo: install assets
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install assets
	$(BIN)/python -m pytest

test-fast: install assets
	$(BIN)/python -m pytest -m "not browser" -x -q

bench: install assets
	$(BIN)/python -m ehcflow.bench

lock:
	rm -rf /tmp/ehcflow-lock && $(PY) -m venv /tmp/ehcflow-lock
	/tmp/ehcflow-lock/bin/pip install --quiet -r requirements.in
	(echo "# Generated from requirements.in by 'make lock' (pip freeze of a clean venv)."; /tmp/ehcflow-lock/bin/pip freeze) > requirements.lock

clean:
	rm -rf $(VENV) node_modules ehcflow/static/dist staticfiles
