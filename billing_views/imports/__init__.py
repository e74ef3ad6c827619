"""Imports from the cooperative's accounting system. The file formats are documented in the README
(“File formats”) and defined in billing_views/imports/formats.py; the engine loads each file with
PostgreSQL COPY into a temporary staging table, validates it with set-based queries and merges it with
one statement per target table."""
