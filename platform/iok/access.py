"""The one way to fetch a tenant-sensitive row (after Zulip's access_stream_common).

Every access_<thing>(user=…, id=…) helper states only its rule: which rows this user may see (a
queryset: a resident's own units, reports or meters) and whether the user's role may look at all (from
the role table, tenants_portal.accounts.roles). It then calls access_get, which answers a row that does
not exist and a row the user may not see with the same Http404, so a page or an endpoint never tells
which. The API gives the same answer: DRF turns Http404 into its not_found error.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404


def access_get[RowT: Model](rows: QuerySet[RowT] | Iterable[RowT], *, allowed: bool = True, **lookup: Any) -> RowT:
    """The row of `rows` (those the user may see) that matches `lookup` (pk=…, slug=…), when the user is
    `allowed` to look at all (their role); Http404 otherwise. A user who may not look costs no query.
    `rows` already loaded for the request (a resident's units, memoised) are searched without a query."""
    if not allowed:
        raise Http404
    if isinstance(rows, QuerySet):
        row = rows.filter(**lookup).first()
    else:
        row = next((candidate for candidate in rows
                    if all(getattr(candidate, name) == value for name, value in lookup.items())), None)
    if row is None:
        raise Http404
    return row
