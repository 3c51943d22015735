# Meridian: `make run` serves the demo, `make test` runs the whole suite. Both set up first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails, feeds and API answers point where `make run` serves, unless set.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: setup js-setup run test test-fast test-services lint format bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP) js-setup
	$(PY) scripts/compile_messages.py --quiet

# ical.js for the calendar interoperability tests and axe-core for the browser tests, when npm
# is present (they skip without it).
js-setup:
	@if command -v npm >/dev/null 2>&1; then \
		test -d tests/events/js/node_modules/ical.js -a -d tests/events/js/node_modules/axe-core \
			|| npm install --silent --prefix tests/events/js; \
	else echo "npm not found: the ical.js calendar checks will be skipped"; fi

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	SITE_URL=$(SITE_URL) $(PY) manage.py load_demo
	@echo ""
	@echo "Meridian is serving on http://$(HOST):$(PORT)/"
	@echo "  API:           http://$(HOST):$(PORT)/api/events/"
	@echo "  API docs:      http://$(HOST):$(PORT)/api/docs/"
	@echo "  Admin:         http://$(HOST):$(PORT)/admin/  (user mlas-organiser, password meridian-demo)"
	@echo "  Health:        http://$(HOST):$(PORT)/healthz"
	@echo "  Emails sent:   var/mail/*.eml (one file per message; open in a mail program)"
	@echo ""
	SITE_URL=$(SITE_URL) $(PY) manage.py serve_embedded --host $(HOST) --port $(PORT)

# The embedded tier on SQLite, then the service tier on PostgreSQL + Redis (skipped with the
# reason when they are not reachable, unless REQUIRE_SERVICES=1).
test: setup lint test-fast test-services

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

test-fast: setup
	$(PY) -m pytest -m "not services"

test-services: setup
	$(PY) scripts/service_tier.py

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache .ruff_cache .hypothesis
