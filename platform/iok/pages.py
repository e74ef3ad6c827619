"""One page of a filtered list, and what its pager links keep."""

from django.core.paginator import Paginator
from django.http import HttpRequest


def page_and_query(request: HttpRequest, items, *, per_page: int = 50) -> dict:
    """The page of `items` the request asks for (`page`), and the request's other parameters (`query`),
    so that the pager's links (includes/pager.html) keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": Paginator(items, per_page).get_page(request.GET.get("page")), "query": query.urlencode()}
