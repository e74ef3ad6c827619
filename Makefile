# Two commands do everything: `make run` (the platform with its demo) and `make test`.
# Without DATABASE_URL / REDIS_URL, embedded PostgreSQL and Redis are started under .devdata/.
# Python 3.12 or newer (python-getpaid, the payment gateways' clients, needs it): the first of python3.12,
# pyenv's own 3.12 builds, python3.13, pyenv's 3.13+ and python3 that is new enough; `make PYTHON=...` chooses another.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for candidate in python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V) python3.13 python3; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$candidate; break; }; done)
endif
ifeq ($(PYTHON),)
$(error Python 3.12 or newer is needed (python3.12, python3.13 or a newer python3); none was found)
endif
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform
# Extra pytest arguments, e.g. make test ARGS="-k routing"
ARGS ?=
ONLY ?=
LOCK := requirements-dev.lock

.PHONY: run test test-calendar test-deep bench lint lock system-packages screenshots messages clean

# Every package from the hashed lock (pip refuses anything else), then the project itself without
# fetching a build backend: setuptools is in the lock (platform/devstack/lock.py).
$(VENV)/.installed: $(LOCK) pyproject.toml deploy/argon2-build.sh
	$(PYTHON) platform/devstack/lock.py check
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	sh deploy/argon2-build.sh $(PY) $(LOCK)
	touch $@

# Re-resolve the locks after changing pyproject.toml's dependencies (keeps current pins where the
# ranges allow); `make lock UPGRADE=1` moves every package to its newest allowed version.
lock:
	test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet uv; }
	$(PYTHON) platform/devstack/lock.py compile $(VENV)/bin/uv $(if $(UPGRADE),--upgrade)

# Debian packages the tests and benchmarks use (Chromium, nginx, wrk, PgBouncer, libfaketime, …).
system-packages:
	@sh deploy/test-packages.sh

run: $(VENV)/.installed
	$(PY) -m devstack run

# The lint first (seconds, with mypy's cache warm): a broken layer or type fails before the suite starts.
test: lint system-packages
	$(PY) -m devstack test -n auto --dist loadgroup $(ARGS)

# The generated-file property tests (hypothesis) with many more examples than `make test` runs.
test-deep: $(VENV)/.installed
	HYPOTHESIS_PROFILE=deep $(PY) -m devstack test -n auto --dist loadgroup tests/test_import_properties.py $(ARGS)

# The whole suite with the clock of every process (PostgreSQL and Redis included) set to each date in
# devstack's CALENDAR_DATES: a month's first hour, a year's last day, a leap day and both DST changes.
test-calendar: $(VENV)/.installed system-packages
	$(PY) -m devstack test-calendar -n auto --dist loadgroup $(ARGS)

bench: $(VENV)/.installed system-packages
	$(PY) -m devstack bench $(ONLY)

# The README's screenshots: the end-to-end tests write them under build/ (ignored by git); this
# copies them into docs/screenshots for a commit.
screenshots: $(VENV)/.installed system-packages
	rm -rf build/screenshots
	$(PY) -m devstack test tests/e2e
	mkdir -p docs/screenshots && cp build/screenshots/*.png docs/screenshots/

# ruff, then the layers ([tool.importlinter] contracts, over PYTHONPATH exported above), then the types
# ([tool.mypy]). The Django plugin loads the test settings, which read these from the environment; mypy
# never connects to either server.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	SECRET_KEY=mypy DATABASE_URL=postgres://mypy@localhost/mypy REDIS_URL=redis://:mypy@localhost/0 $(VENV)/bin/mypy

# Recompile the translations after editing a django.po: the platform's catalogue in platform/iok/locale
# and the apps' own catalogues in <app>/locale (Django merges them). The .mo files are committed, so
# running the platform never needs gettext installed.
messages:
	for po in $$(find . -path ./.venv -prune -o -path ./.devdata -prune -o -path '*/locale/*/LC_MESSAGES/django.po' -print); do \
		msgfmt --check -o $${po%.po}.mo $$po || exit 1; done

clean:
	rm -rf .devdata
