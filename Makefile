# Portail — every install step lives here, so a fresh machine (and CI) needs nothing else.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REFLEX := REFLEX_USE_SYSTEM_BUN=1 $(VENV)/bin/reflex
PORTAL_PORT ?= 3000
PORTAL_BACKEND_PORT ?= 8000
# The development FranceConnect provider `make run` starts beside the portal (never in production).
FC_PROVIDER_PORT ?= 8400
# The app reads PORTAL_PORT too (its address in mails, the allowed origin): one value for both.
export PORTAL_PORT
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: install system-deps run serve migrate seed lint format test test-unit test-e2e bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# bun from npm (Reflex cannot download it here); Debian's chromium for the browser tests;
# Debian's redis-server and PostgreSQL server for tests/scaleout (which start throwaway instances).
system-deps:
	@command -v bun >/dev/null || npm install -g bun
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "apt-get install$$missing"; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	fi

install: $(VENV)/.installed system-deps

migrate: install
	$(REFLEX) db migrate

seed: migrate
	$(PY) -m portal_app.cli seed-demo

# Development: hot reload on every change of portal_app/ (pages, states, démarches) and assets/
# (rxconfig.py keeps data/ out of the reloader). Pages and backend listen on two ports.
run: seed
	@echo ""
	@echo "Portail : http://localhost:$(PORTAL_PORT)  (port des pages : PORTAL_PORT=$(PORTAL_PORT))"
	@echo "Le backend écoute sur le port $(PORTAL_BACKEND_PORT)  (PORTAL_BACKEND_PORT=$(PORTAL_BACKEND_PORT))"
	@echo "Un port déjà pris ? Changez-le, par exemple : make run PORTAL_PORT=$$(($(PORTAL_PORT) + 1)) PORTAL_BACKEND_PORT=$$(($(PORTAL_BACKEND_PORT) + 1))"
	@echo ""
	@echo "FranceConnect de développement : http://localhost:$(FC_PROVIDER_PORT)  (FC_PROVIDER_PORT=$(FC_PROVIDER_PORT))"
	@$(PY) -m portal_app.cli fc-provider --port $(FC_PROVIDER_PORT) --portal-url http://localhost:$(PORTAL_BACKEND_PORT) >/dev/null & \
	provider=$$!; \
	export $$($(PY) -c "from portal_app.fc_provider.run import portal_env; print(' '.join(f'{k}={v}' for k, v in portal_env('http://localhost:$(FC_PROVIDER_PORT)').items()))"); \
	$(PY) -m portal_app.worker & worker=$$!; trap 'kill $$provider $$worker 2>/dev/null' EXIT INT TERM; \
	PORTAL_BACKEND_URL=http://localhost:$(PORTAL_BACKEND_PORT) $(REFLEX) run --frontend-port $(PORTAL_PORT) --backend-port $(PORTAL_BACKEND_PORT)

# Production build on one port: build .web/ (Reflex's compile and frontend build, in a child
# process), then serve it from a process that never compiled the pages (portal_app/serve.py).
# Both start the job queue's worker beside the app (mails, files to build, periodic tasks) and
# stop it with the app; `python -m portal_app.worker` runs it alone.
serve: migrate
	$(PY) -m portal_app.worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) -m portal_app.serve --port $(PORTAL_PORT)

test-unit: install
	$(PY) -m pytest tests/unit -q

test-e2e: install
	$(PY) -m pytest tests/e2e -q

# Lint, format check, dead code and the démarches' declarations, before any test runs.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture
	$(PY) -m portal_app.cli check-demarches

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) -m pytest tests -q --durations=30

# Lighthouse from npm for bench/lighthouse.py (12.2.3: the last to run on Node 20), under bench/.
bench/node_modules/.bin/lighthouse:
	npm install --prefix bench --no-save --no-audit --no-fund -E lighthouse@12.2.3

bench: install bench/node_modules/.bin/lighthouse
	$(PY) -m bench

clean:
	rm -rf .web .states data/outbox
