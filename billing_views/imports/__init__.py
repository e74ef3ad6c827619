"""The one import engine: every file from the cooperative's accounting system, ledger files (registry,
charges, payments) and the meter readings alike.

- formats.py, sql.py: the formats (recognised by their header row) and their set-based checks and merges;
  a module plugs in a format of its own with sql.format_register (the meters app registers the readings
  file when it starts) and gets the same staging, checks, single transaction, size limit and report.
- types.py: what the engine, the SQL and the plugged-in formats share (row errors, refusals, counts).
- engine.py: one run: decode, check the header, COPY into a staging table, validate, merge.
- services.py, selectors.py: receiving files (upload, inbox, API), running them, the run history, the
  refusal reports and their e-mail to the office, the inbox folder and the nightly schedule's job.
- views.py, forms.py: the office's pages (imports, one run's report, the inbox, the schedule).

The Celery entry points and what follows an import (closing accounts whose titles ended) are in tasks/,
started by name (iok.jobs). May import: tenants_portal.notices, tenants_portal.registry and everything
below them; never the modules (meters plugs in from above), tasks or a surface.
"""
