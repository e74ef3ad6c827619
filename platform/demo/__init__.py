"""The demo contract of DESIGN.md §4 (cooperatives, logins, registry, ledger files, each module's demo), loaded
idempotently by `manage.py load_demo` (make run). It seeds every layer, so it belongs to the composition root:
it may import anything, and nothing imports it."""
