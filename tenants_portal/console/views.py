"""The console's start page and the staff accounts (admins only)."""

import time

from axes.models import AccessAttempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import form_add_errors, posted
from tenants_portal.access import services as access_services
from tenants_portal.access.selectors import audit_events_filter
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, may_use, section_required
from tenants_portal.accounts.second_factor import second_factor_enrolled, second_factor_recent_required
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.modules import modules_enabled
from tenants_portal.registry.selectors import unit_example

from .forms import StaffCloseForm, StaffMemberForm, StaffRoleForm
from .selectors import access_staff_member, console_figures, setup_checklist, staff_members_list

# A staff member's one-time password waits in the admin's (server-side) session only long enough
# to be shown once; it is never stored anywhere else.
SESSION_STAFF_ISSUED = "_iok_staff_issued"
ISSUED_KEPT_SECONDS = 15 * 60


@section_required(Section.HOME)
def home_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    modules = modules_enabled()
    # A technician's whole console is the failure queue.
    if not may_use(user, Section.RESIDENTS) and modules.get("failures"):
        return redirect("failures:staff_queue")
    settings = instance_settings_get()
    checklist = setup_checklist() if may_use(user, Section.CONFIGURATION) else []
    return render(request, "console/home.html", {
        "checklist": checklist if not all(step.done for step in checklist) else [],
        "unit_example": unit_example() if may_use(user, Section.RESIDENTS) else None,
        "figures": console_figures(user=user, modules=modules),
        "may": {section.value: may_use(user, section) for section in Section},
        "policy_warning": settings.password_min_length
        if may_use(user, Section.CONFIGURATION) and settings.password_min_length_below_recommendation else None,
        "second_factor_warning": may_use(user, Section.CONFIGURATION) and not settings.staff_second_factor_required,
    })


@section_required(Section.STAFF)
@second_factor_recent_required(methods=("POST",))
def staff_members_view(request: AuthenticatedRequest) -> HttpResponse:
    form = StaffMemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = access_services.staff_member_create(
                acting_user=request.user, login=data["login"], first_name=data["first_name"],
                last_name=data["last_name"], role=data["role"], email=data["email"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            _remember(request, member_id=issued.account.pk, login=issued.login, password=issued.one_time_password)
            return redirect("staff_member_issued")
    show_closed = request.GET.get("zamkniete") == "1"
    return render(request, "console/staff_members.html", {
        "form": form, "members": staff_members_list(include_closed=show_closed), "show_closed": show_closed})


def _remember(request: HttpRequest, *, member_id: int, login: str, password: str) -> None:
    request.session[SESSION_STAFF_ISSUED] = {"member": member_id, "login": login, "password": password,
                                             "until": int(time.time()) + ISSUED_KEPT_SECONDS}


@section_required(Section.STAFF)
def staff_member_issued_view(request: AuthenticatedRequest) -> HttpResponse:
    issued = request.session.get(SESSION_STAFF_ISSUED)
    if issued is not None and issued["until"] < time.time():
        request.session.pop(SESSION_STAFF_ISSUED, None)
        issued = None
    if request.method == "POST":  # "Done": the password leaves the session now
        request.session.pop(SESSION_STAFF_ISSUED, None)
        return redirect("staff_member", member_id=issued["member"]) if issued else redirect("staff_members")
    return render(request, "console/staff_issued.html", {"issued": issued})


def _member_page(request: HttpRequest, member, *, role_form=None, close_form=None, status: int = 200):
    return render(request, "console/staff_member.html", {
        "member": member, "role_form": role_form or StaffRoleForm(initial={"role": member.role}),
        "close_form": close_form or StaffCloseForm(), "is_self": member.pk == request.user.pk,
        "locked": AccessAttempt.objects.filter(username=member.username).exists(),
        "second_factor": second_factor_enrolled(user=member),
        "events": audit_events_filter(login=member.username)[:20],
    }, status=status)


@section_required(Section.STAFF)
def staff_member_view(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    return _member_page(request, access_staff_member(user=request.user, id=member_id))


@section_required(Section.STAFF)
@require_POST
@second_factor_recent_required()
def staff_member_action_view(request: AuthenticatedRequest, member_id: int, action: str) -> HttpResponse:
    member = access_staff_member(user=request.user, id=member_id)
    if action == "role":
        role_form = StaffRoleForm(request.POST)
        try:
            if not role_form.is_valid():
                return _member_page(request, member, role_form=role_form, status=400)
            changed = access_services.staff_member_role_change(acting_user=request.user, member=member,
                                                               role=role_form.cleaned_data["role"])
        except ValidationError as error:
            form_add_errors(role_form, error)
            return _member_page(request, member, role_form=role_form, status=400)
        messages.success(request, _("The role has been changed.") if changed else _("Nothing has changed."))
    elif action == "close":
        close_form = StaffCloseForm(request.POST)
        try:
            if not close_form.is_valid():
                return _member_page(request, member, close_form=close_form, status=400)
            access_services.staff_member_close(acting_user=request.user, member=member,
                                               note=close_form.cleaned_data["note"])
        except ValidationError as error:
            form_add_errors(close_form, error)
            return _member_page(request, member, close_form=close_form, status=400)
        messages.success(request, _("The account %(login)s has been closed.") % {"login": member.username})
    elif action == "reset":
        if member.is_closed:
            raise PermissionDenied
        issued = access_services.account_password_reset(acting_user=request.user, account=member)
        _remember(request, member_id=member.pk, login=issued.login, password=issued.one_time_password)
        return redirect("staff_member_issued")
    elif action == "second-factor-reset":
        if access_services.second_factor_reset(acting_user=request.user, account=member):
            messages.success(request, _("The second factor of %(login)s has been turned off; they were told by "
                                        "e-mail.") % {"login": member.username})
    elif action == "unlock":
        access_services.account_unlock(acting_user=request.user, account=member)
        messages.success(request, _("The account %(login)s has been unlocked.") % {"login": member.username})
    elif action == "reopen" and member.is_closed:
        issued = access_services.account_reopen(acting_user=request.user, account=member)
        _remember(request, member_id=member.pk, login=issued.login, password=issued.one_time_password)
        return redirect("staff_member_issued")
    else:
        raise PermissionDenied
    return redirect("staff_member", member_id=member.pk)
