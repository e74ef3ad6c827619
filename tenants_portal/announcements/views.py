from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def resident_index(request: HttpRequest) -> HttpResponse:
    raise Http404  # replaced by the module's pages


@login_required
def staff_index(request: HttpRequest) -> HttpResponse:
    raise Http404  # replaced by the module's pages
