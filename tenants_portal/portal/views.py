from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from iok.access import access_get
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import resident_ensure
from tenants_portal.accounts.views import LoginView
from tenants_portal.modules import modules_enabled
from tenants_portal.registry.selectors import SESSION_CURRENT_UNIT, offices_own_first, resident_units

from .home import resident_home


def start(request: HttpRequest) -> HttpResponseBase:
    """The cooperative's address: the sign-in page for visitors, the start page once signed in."""
    if request.user.is_authenticated:
        return redirect("home")
    return LoginView.as_view()(request)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_staff_member:  # the office's start page is the console's
        return redirect("staff_home")
    units, current = resident_units(request=request)
    summary = None
    if request.user.is_resident:
        summary = resident_home(user=request.user, units=units, modules=modules_enabled(), now=timezone.now(),
                                today=timezone.localdate())
    offices = offices_own_first(unit=current)
    return render(request, "portal/home.html", {"units": units, "current_unit": current, "offices": offices,
                                                "summary": summary})


@login_required
def account_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The resident's own account pages in one place, so that the menu needs one link for them."""
    resident_ensure(request)
    return render(request, "portal/account.html")


@login_required
@require_POST
def unit_switch(request: AuthenticatedRequest) -> HttpResponse:
    units, _ = resident_units(request=request)
    try:
        chosen = int(request.POST.get("unit", ""))
    except ValueError:
        raise Http404 from None
    request.session[SESSION_CURRENT_UNIT] = access_get(units, pk=chosen).pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def contact(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = resident_units(request=request)[1] if user.is_authenticated and user.is_resident else None
    return render(request, "portal/contact.html", {"offices": offices_own_first(unit=current, with_buildings=True)})
