"""Values read once per request.

A page asks for its cooperative's settings several times (module gate, session timeout, lockout
policy, branding, the view itself): three to five cache round trips and unpicklings of the same
row. Within one request the answer cannot usefully change, except by the request's own write,
which forgets it. Outside a request (Celery tasks, commands) nothing is kept, so a long-lived
process never serves a stale value. Keys carry the schema: a request may visit several.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from .db import connection

_memo: ContextVar[dict | None] = ContextVar("iok_request_memo", default=None)


def request_memo[T](key: str, compute: Callable[[], T]) -> T:
    """compute()'s value, computed at most once per request and schema."""
    memo = _memo.get()
    if memo is None:
        return compute()
    scoped = (connection.schema_name, key)
    if scoped not in memo:
        memo[scoped] = compute()
    return memo[scoped]


def request_memo_forget(key: str) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop((connection.schema_name, key), None)


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
