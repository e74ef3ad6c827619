from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for binding: the POST body on a POST, even an empty one (so it is validated), else None."""
    return request.POST if request.method == "POST" else None
