"""Fairness between cooperatives: one cooperative's burst must not take every web worker.

Each cooperative may have at most COOPERATIVE_MAX_CONCURRENT_REQUESTS requests in progress across all
web processes, counted in Redis; a request over the cap is answered at once with 429 and Retry-After,
which frees its worker for the next request, usually another cooperative's. Entries carry their start
time and are dropped after GUNICORN_TIMEOUT, so a worker killed mid-request cannot hold a place for ever.
"""

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django_redis import get_redis_connection


def _key(schema_name: str) -> str:
    return caches["platform"].make_key(f"in-flight:{schema_name}")


@contextmanager
def cooperative_request_slot(*, schema_name: str) -> Iterator[bool]:
    """Yields True when the request may go on (and holds its place until the block ends), else False."""
    limit = settings.COOPERATIVE_MAX_CONCURRENT_REQUESTS
    if not limit:
        yield True
        return
    redis = get_redis_connection("platform")
    key, member, now = _key(schema_name), secrets.token_hex(8), time.time()
    stale_before = now - settings.COOPERATIVE_REQUEST_SLOT_SECONDS
    with redis.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, "-inf", stale_before)
        pipe.zadd(key, {member: now})
        pipe.zcard(key)
        pipe.expire(key, settings.COOPERATIVE_REQUEST_SLOT_SECONDS)
        _, _, in_flight, _ = pipe.execute()
    try:
        yield in_flight <= limit
    finally:
        redis.zrem(key, member)
