"""The cooperative admin's side of support access (on the cooperative's own host)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.selectors import cooperative_current
from iok.forms import form_add_errors, posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from .forms import SupportGrantForm
from .selectors import support_grant_live_of, support_grants_of, support_views_recorded
from .services import support_grant_create, support_grant_revoke


@section_required(Section.CONFIGURATION)
def support_grants_view(request: AuthenticatedRequest) -> HttpResponse:
    cooperative = cooperative_current()
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            grant_id = int(request.POST.get("grant", ""))
        except ValueError as error:
            raise Http404 from error
        try:
            support_grant_revoke(acting_user=request.user, grant_id=grant_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Support access is withdrawn."))
        return redirect("support_grants")

    form = SupportGrantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            grant = support_grant_create(acting_user=request.user, duration=form.cleaned_data["duration"],
                                         note=form.cleaned_data["note"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Support access is granted until %(until)s.") % {
                "until": timezone.localtime(grant.expires_at).strftime("%d.%m.%Y %H:%M")})
            return redirect("support_grants")
    return render(request, "operators/support_grants.html", {
        "form": form, "live_grant": support_grant_live_of(cooperative_id=cooperative.pk),
        "grants": support_grants_of(cooperative_id=cooperative.pk), "views": support_views_recorded(),
    })
