"""The office's pages for the access flow: find a person, record an application, issue, reset,
unlock, close and reopen accounts, and read the audit log."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.middleware import RoutedRequest
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_details, cooperative_url
from iok.forms import form_add_errors, posted
from iok.http import file_generated_response
from iok.pages import page_and_query
from iok.ratelimits import rate_limited
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required
from tenants_portal.registry.selectors import (
    SEARCH_MAX_WORDS,
    legal_titles_current,
    people_search,
    search_words,
    unit_example,
)

from . import services
from .forms import AccessApplicationForm, AccountCloseForm, AuditFilterForm
from .letters import access_application_form_pdf, credentials_letter_pdf
from .selectors import (
    access_person,
    access_resident_account,
    audit_events_filter,
    staff_members,
    units_of_person_for_application,
)

# Credentials just issued are kept in the clerk's (server-side) session only long enough to show
# them and print the letter; the one-time password is never stored anywhere else.
SESSION_ISSUED = "_iok_issued_credentials"
ISSUED_KEPT_SECONDS = 15 * 60


account_staff = section_required(Section.RESIDENTS)


class CooperativeRequest(RoutedRequest):
    """A request to these pages, which only a cooperative's host serves: its cooperative is set."""

    cooperative: Cooperative


class StaffRequest(AuthenticatedRequest, CooperativeRequest):
    """A signed-in request on a cooperative's host."""


@account_staff
def people_view(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(request, "access/people.html", {
        "query": query, "people": people_search(query=query), "words_left_out": search_words(query)[1],
        "max_words": SEARCH_MAX_WORDS, "unit_example": unit_example()})


@account_staff
def person_view(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = access_person(user=request.user, id=person_id)
    return render(request, "access/person.html", {
        "person": person, "titles": person.legal_titles.select_related("unit__building").order_by("-start_date"),
        "current_titles": legal_titles_current(person=person),
        "applications": person.access_applications.prefetch_related("units").select_related("document_seen_by"),
        "close_form": AccountCloseForm(),
    })


@account_staff
def application_new_view(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = access_person(user=request.user, id=person_id)
    units = units_of_person_for_application(person=person)
    form = AccessApplicationForm(posted(request), units=units, staff=staff_members(),
                                 suggested_login=services.login_suggest(person=person),
                                 initial={"document_seen_by": request.user.pk,
                                          "units": [title.unit_id for title in legal_titles_current(person=person)]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _application, issued = services.access_application_submit(
                acting_user=request.user, kind=data["kind"], submitted_on=data["submitted_on"], person=person,
                units=list(data["units"]), identity_document=data["identity_document"],
                document_seen_by=data["document_seen_by"], login=data["login"], email=data["email"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            if issued is not None:
                _remember_issued(request, issued=issued, person=str(person),
                                 units=[str(unit) for unit in data["units"]])
                return redirect("staff_credentials")
            messages.success(request, _("The application has been recorded."))
            return redirect("staff_person", person_id=person.pk)
    return render(request, "access/application_new.html", {"person": person, "form": form})


def _remember_issued(request: HttpRequest, *, issued: services.IssuedCredentials, person: str,
                     units: list[str]) -> None:
    request.session[SESSION_ISSUED] = {
        "login": issued.login, "password": issued.one_time_password, "person": person, "units": units,
        "account": issued.account.pk, "until": int(time.time()) + ISSUED_KEPT_SECONDS,
    }


def _issued(request: HttpRequest) -> dict | None:
    issued = request.session.get(SESSION_ISSUED)
    if issued is None or issued["until"] < time.time():
        request.session.pop(SESSION_ISSUED, None)
        return None
    return issued


@account_staff
def credentials_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":  # "Done": the password leaves the session now
        issued = request.session.pop(SESSION_ISSUED, None)
        return redirect("staff_people") if issued is None else redirect("staff_account", account_id=issued["account"])
    return render(request, "access/credentials.html", {"issued": _issued(request)})


@account_staff
def credentials_letter_view(request: StaffRequest) -> HttpResponse:
    issued = _issued(request)
    if issued is None:
        messages.error(request, _("The one-time password is no longer available. Issue a new one if needed."))
        return redirect("staff_credentials")
    cooperative = request.cooperative
    pdf = credentials_letter_pdf(
        cooperative_name=cooperative.name, cooperative_address=cooperative_details().address,
        person_name=issued["person"], units=issued["units"], login=issued["login"],
        one_time_password=issued["password"], login_url=cooperative_url(path="/"),
        issued_at=timezone.now(), issued_by=request.user.get_full_name() or request.user.username)
    return file_generated_response(pdf, content_type="application/pdf",
                                   file_name=f"dane-dostepowe-{issued['login']}.pdf", as_attachment=False)


@rate_limited("application_form_pdf")
def application_form_pdf_view(request: CooperativeRequest) -> HttpResponse:
    """The blank application form residents print and bring to the office (public)."""
    pdf = access_application_form_pdf(cooperative_name=request.cooperative.name,
                                      cooperative_address=cooperative_details().address,
                                      login_url=cooperative_url(path="/"))
    return file_generated_response(pdf, content_type="application/pdf", file_name="wniosek-o-dostep-iok.pdf",
                                   as_attachment=False)


@account_staff
def account_view(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    account = access_resident_account(user=request.user, id=account_id)
    from axes.models import AccessAttempt

    locked = AccessAttempt.objects.filter(username=account.username).exists()
    return render(request, "access/account.html", {
        "account": account, "person": getattr(account, "person", None), "locked": locked,
        "passkeys": account.passkeys.count(),
        "close_form": AccountCloseForm(),
        "events": audit_events_filter(login=account.username)[:20],
    })


@account_staff
@require_POST
def account_action_view(request: AuthenticatedRequest, account_id: int, action: str) -> HttpResponse:
    account = access_resident_account(user=request.user, id=account_id)
    person = getattr(account, "person", None)
    units = [str(title.unit) for title in legal_titles_current(person=person)] if person else []
    if action == "reset" and not account.is_closed:
        issued = services.account_password_reset(acting_user=request.user, account=account)
        _remember_issued(request, issued=issued, person=account.get_full_name(), units=units)
        return redirect("staff_credentials")
    if action == "reopen" and account.is_closed:
        issued = services.account_reopen(acting_user=request.user, account=account)
        _remember_issued(request, issued=issued, person=account.get_full_name(), units=units)
        return redirect("staff_credentials")
    if action == "unlock":
        services.account_unlock(acting_user=request.user, account=account)
        messages.success(request, _("The account %(login)s has been unlocked.") % {"login": account.username})
    elif action == "passkeys-remove":
        services.account_passkeys_remove(acting_user=request.user, account=account)
        messages.success(request, _("The passkeys of the account %(login)s have been removed. It signs in with "
                                    "the password.") % {"login": account.username})
    elif action == "close" and not account.is_closed:
        form = AccountCloseForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose the reason for closing the account."))
            services.account_close(acting_user=request.user, account=account,
                                   closure=form.cleaned_data["closure"], note=form.cleaned_data["note"])
        except ValidationError as error:
            return render(request, "access/account.html", {
                "account": account, "person": person, "close_form": form, "close_errors": error.messages,
                "events": audit_events_filter(login=account.username)[:20]}, status=400)
        messages.success(request, _("The account %(login)s has been closed.") % {"login": account.username})
    else:
        raise PermissionDenied
    return redirect("staff_account", account_id=account.pk)


@section_required(Section.AUDIT)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_filter(**{key: value for key, value in filters.items() if value})
    return render(request, "access/audit_log.html", {"form": form, **page_and_query(request, events)})
