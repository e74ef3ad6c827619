# Two commands do everything: `make run` (the platform with its demo) and `make test`.
# Without DATABASE_URL / REDIS_URL, embedded PostgreSQL and Redis are started under .devdata/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform
# Extra pytest arguments, e.g. make test ARGS="-k routing"
ARGS ?=
ONLY ?=

.PHONY: run test test-deep bench lint messages clean

$(VENV)/.installed: pyproject.toml deploy/argon2-build.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,embedded]"
	sh deploy/argon2-build.sh $(PY)
	touch $@

run: $(VENV)/.installed
	$(PY) -m devstack run

test: $(VENV)/.installed
	$(PY) -m devstack test -n auto --dist loadgroup $(ARGS)

# The generated-file property tests (hypothesis) with many more examples than `make test` runs.
test-deep: $(VENV)/.installed
	HYPOTHESIS_PROFILE=deep $(PY) -m devstack test -n auto --dist loadgroup tests/test_import_properties.py $(ARGS)

bench: $(VENV)/.installed
	$(PY) -m devstack bench $(ONLY)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# Recompile the translations after editing a django.po: the platform's catalogue in platform/iok/locale
# and the apps' own catalogues in <app>/locale (Django merges them). The .mo files are committed, so
# running the platform never needs gettext installed.
messages:
	for po in $$(find . -path ./.venv -prune -o -path ./.devdata -prune -o -path '*/locale/*/LC_MESSAGES/django.po' -print); do \
		msgfmt --check -o $${po%.po}.mo $$po || exit 1; done

clean:
	rm -rf .devdata
