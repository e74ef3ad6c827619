"""The platform site on BASE_DOMAIN: the landing page and the operators' console.

Operators see cooperatives' existence, status and usage figures; a cooperative's residents only while
its admin's support grant is live, read-only, and every such page is recorded
(tests/test_support_access.py).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from cooperatives.presets import MODULES, POLICY_PRESETS
from cooperatives.routing import route_for_host
from iok.access import access_get
from iok.forms import form_add_errors, posted
from tenants_portal.accounts.forms import LoginForm
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.models import User
from tenants_portal.accounts.second_factor import second_factor_recent_required
from tenants_portal.accounts.views import SecondFactorLoginMixin
from tenants_portal.audit.labels import audit_action_label
from tenants_portal.configuration.domains import custom_domain_add, custom_domain_check

from .forms import OnboardingForm, StatusChangeForm
from .selectors import (
    access_cooperative,
    access_support_cooperative,
    cooperative_figures,
    cooperatives_filter,
    cooperatives_overview,
    operators_list,
    platform_events_of,
    support_grant_live_of,
    support_grants_of,
    support_people_page,
    support_person,
)
from .services import (
    cooperative_create,
    cooperative_reactivate,
    cooperative_suspend,
    operator_second_factor_reset,
    support_view_record,
)

COOPERATIVES_PER_PAGE = 100


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "operators/landing.html")


class LoginView(SecondFactorLoginMixin, auth_views.LoginView):
    template_name = "operators/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


def operator_required(view):
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedRequest, *args, **kwargs):
        if request.user.role != User.Role.OPERATOR:
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped


def _host_url(request: HttpRequest, domain: str) -> str:
    """http(s)://<domain>[:port]/ as the operator reaches the platform (the dev server's port included)."""
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{request.scheme}://{domain}{suffix}/"


@operator_required
def console(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Cooperative.Status.values:
        status = ""
    page = Paginator(cooperatives_filter(query=query, status=status), COOPERATIVES_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "operators/console.html", {
        "overview": cooperatives_overview(cooperatives=page.object_list), "page": page, "query": query,
        "status": status, "statuses": Cooperative.Status.choices,
        "total": cooperatives_filter().count(),
    })


@operator_required
def onboard_view(request: AuthenticatedRequest) -> HttpResponse:
    form = OnboardingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = cooperative_create(
                name=data["name"], slug=data["slug"], admin_email=data["admin_email"], street=data["street"],
                postal_code=data["postal_code"], city=data["city"], policy=data["policy"],
                modules=data["modules"], acting_user=request.user)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            # The one-time password is in this response only: never stored, never shown again.
            return render(request, "operators/onboarded.html", {
                "created": created, "url": _host_url(request, created.domain), "email": data["admin_email"],
                "policy": POLICY_PRESETS[data["policy"]],
                "modules": [MODULES[module] for module in MODULES if module in data["modules"]]})
    return render(request, "operators/onboard.html", {"form": form})


@operator_required
def cooperative_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cooperative = access_cooperative(user=request.user, slug=slug)
    overview = cooperatives_overview(cooperatives=[cooperative])[0]
    return render(request, "operators/cooperative.html", {
        "coop": cooperative, "overview": overview,
        "domains": sorted(cooperative.domains.all(), key=lambda domain: (not domain.is_primary, domain.domain)),
        "url": _host_url(request, overview.domain) if overview.domain else "",
        "live_grant": support_grant_live_of(cooperative_id=cooperative.pk),
        "grants": support_grants_of(cooperative_id=cooperative.pk),
        "events": [(event, audit_action_label(event.action))
                   for event in platform_events_of(cooperative=cooperative)],
    })


def _status_change_view(request: AuthenticatedRequest, slug: str, *, suspending: bool) -> HttpResponse:
    cooperative = access_cooperative(user=request.user, slug=slug)
    expected = Cooperative.Status.ACTIVE if suspending else Cooperative.Status.SUSPENDED
    if cooperative.status != expected:
        messages.info(request, _("The cooperative is already suspended.") if suspending
                      else _("The cooperative is already active."))
        return redirect("operator_cooperative", slug=slug)
    form = StatusChangeForm(posted(request), cooperative=cooperative, suspending=suspending)
    if request.method == "POST" and form.is_valid():
        change = cooperative_suspend if suspending else cooperative_reactivate
        try:
            change(cooperative=cooperative, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": cooperative.name} if suspending
                             else _("%(name)s is active again.") % {"name": cooperative.name})
            return redirect("operator_cooperative", slug=slug)
    return render(request, "operators/status_change.html", {
        "form": form, "coop": cooperative, "suspending": suspending,
        "figures": cooperative_figures(schema_names=[cooperative.schema_name]).get(cooperative.schema_name)})


@operator_required
def suspend_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _status_change_view(request, slug, suspending=True)


@operator_required
def reactivate_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _status_change_view(request, slug, suspending=False)


@operator_required
def operators_view(request: HttpRequest) -> HttpResponse:
    return render(request, "operators/operators.html", {"rows": operators_list()})


@require_POST
@operator_required
@second_factor_recent_required()
def operator_second_factor_reset_view(request: HttpRequest, operator_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    if operator_second_factor_reset(acting_user=request.user, operator_id=operator_id):
        messages.success(request, _("The second factor has been turned off; the operator was told by e-mail."))
    return redirect("operators")


@require_GET
@operator_required
@second_factor_recent_required()
def support_people_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cooperative, grant = access_support_cooperative(user=request.user, slug=slug)
    query = request.GET.get("q", "").strip()
    page = support_people_page(cooperative=cooperative, query=query, page=request.GET.get("page") or 1)
    support_view_record(operator=request.user, cooperative=cooperative, grant=grant, page="residents",
                        details={"query": query, "page_number": page.number})
    return render(request, "operators/support_people.html", {
        "coop": cooperative, "grant": grant, "page": page, "query": query})


@require_GET
@operator_required
@second_factor_recent_required()
def support_person_view(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    cooperative, grant = access_support_cooperative(user=request.user, slug=slug)
    details = support_person(cooperative=cooperative, person_id=person_id)
    support_view_record(operator=request.user, cooperative=cooperative, grant=grant, page="resident",
                        details={"person": person_id})
    return render(request, "operators/support_person.html", {"coop": cooperative, "grant": grant,
                                                              "details": details})


@require_POST
@operator_required
def domain_add_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """An operator adds a cooperative's own domain on its behalf (audited in the cooperative's trail under the
    operator's login); its admin sees the DNS records to create on the cooperative's addresses page."""
    cooperative = access_cooperative(user=request.user, slug=slug)
    try:
        with schema_context(cooperative.schema_name):
            added = custom_domain_add(acting_user=None, actor_login=request.user.get_username(),
                                      domain=request.POST.get("domain", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s was added and waits for its DNS records.") % {"name": added.domain})
    return redirect("operator_cooperative", slug=slug)


@require_POST
@operator_required
def domain_check_view(request: AuthenticatedRequest, slug: str, domain_id: int) -> HttpResponse:
    cooperative = access_cooperative(user=request.user, slug=slug)
    domain = access_get(cooperative.domains.all(), pk=domain_id)
    with schema_context(cooperative.schema_name):
        checked = custom_domain_check(domain_id=domain.pk, actor_login=request.user.get_username())
    if checked.is_verified:
        messages.success(request, _("%(name)s is verified and served now.") % {"name": checked.domain})
    else:
        messages.error(request, _("%(name)s is not verified yet: %(problem)s") % {
            "name": checked.domain, "problem": checked.check_error})
    return redirect("operator_cooperative", slug=slug)


@require_GET
def tls_ask_view(request: HttpRequest) -> HttpResponse:
    """Caddy's on-demand TLS asks here (`?domain=<host>`) before it obtains a certificate for a host a browser
    asked for: 200 for the platform's own hosts and the cooperatives' verified domains, 404 for anything else,
    so that nobody can make the platform request certificates for names it does not serve."""
    name = request.GET.get("domain", "").strip().lower().rstrip(".")
    known = bool(name) and (name in settings.PLATFORM_HOSTS or route_for_host(hostname=name) is not None)
    return HttpResponse("ok" if known else "unknown", status=200 if known else 404, content_type="text/plain")
