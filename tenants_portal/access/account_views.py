"""The resident's own account: accepting the regulation at first sign-in, contact data and the e-mail address,
consents, the own-data page and file, and a forgotten password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import posted
from iok.ratelimits import rate_limit_hit, rate_limited
from tenants_portal.accounts.forms import PolicySetPasswordForm
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.services import client_ip, password_change
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.regulation.middleware import pending_first_login_step
from tenants_portal.regulation.models import ConsentPurpose
from tenants_portal.regulation.rendering import markdown_render
from tenants_portal.regulation.selectors import (
    SESSION_ACCEPTED_VERSION,
    consents_for_user,
    regulation_acceptance_pending,
    regulation_current,
)
from tenants_portal.regulation.services import consent_give, consent_withdraw, regulation_accept

from . import services
from .account_forms import ContactForm, RegulationAcceptForm, VerifiedEmailPasswordResetForm
from .export import own_data_collect, own_data_tables
from .notifications import email_verification_send, email_verification_token_read


@login_required
def regulation_accept_view(request: AuthenticatedRequest) -> HttpResponse:
    regulation = regulation_current()
    if regulation is None or not regulation_acceptance_pending(user=request.user, session=request.session):
        return redirect(pending_first_login_step(request) or "home")
    form = RegulationAcceptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        regulation_accept(user=request.user, regulation=regulation, ip_address=client_ip(request))
        request.session[SESSION_ACCEPTED_VERSION] = regulation.version
        return redirect(pending_first_login_step(request) or "home")
    return render(request, "accounts/regulation_accept.html", {
        "form": form, "regulation": regulation, "regulation_html": markdown_render(regulation.text),
        "first_sign_in": request.user.must_change_password,
    })


@login_required
def contact_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ContactForm(posted(request), user=user, initial={"email": user.email, "phone": user.phone})
    if form.checks_password:
        rate_limit_hit(request, "password_check")
    if request.method == "POST" and form.is_valid():
        if services.email_change_needs_password(user=user, email=form.cleaned_data["email"]):
            rate_limit_hit(request, "email_verification")
        needs_verification = services.contact_update(user=user, email=form.cleaned_data["email"],
                                                     phone=form.cleaned_data["phone"], request=request)
        if needs_verification:
            email_verification_send(user=user)
            messages.success(request, _("Saved. We sent a confirmation link to %(email)s — open it to confirm "
                                        "the address.") % {"email": user.email})
        else:
            messages.success(request, _("Your contact data has been saved."))
        return redirect("contact_data")
    return render(request, "accounts/contact.html", {"form": form})


@login_required
@require_POST
@rate_limited("email_verification")
def email_verification_resend_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.email and not request.user.has_verified_email:
        email_verification_send(user=request.user)
        messages.success(request, _("We sent the confirmation link again to %(email)s.") % {
            "email": request.user.email})
    return redirect("contact_data")


def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, email = email_verification_token_read(token=token)
    except signing.BadSignature:
        return render(request, "accounts/email_verify_failed.html", status=400)
    if not services.email_mark_verified(user=user, email=email):
        return render(request, "accounts/email_verify_failed.html", status=400)
    messages.success(request, _("Thank you — your e-mail address %(email)s is confirmed.") % {"email": email})
    return redirect("contact_data" if request.user.is_authenticated else "login")


@login_required
def consents_view(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/consents.html", {"consents": consents_for_user(user=request.user)})


@login_required
@require_POST
def consent_change_view(request: AuthenticatedRequest, code: str) -> HttpResponse:
    purpose = get_object_or_404(ConsentPurpose, code=code)
    ip = client_ip(request)
    if request.POST.get("decision") == "give" and purpose.is_active:
        consent_give(user=request.user, purpose=purpose, ip_address=ip)
        messages.success(request, _("Consent given: %(title)s.") % {"title": purpose.title})
    elif request.POST.get("decision") == "withdraw":
        consent_withdraw(user=request.user, purpose=purpose, ip_address=ip)
        messages.success(request, _("Consent withdrawn: %(title)s.") % {"title": purpose.title})
    else:
        raise Http404
    return redirect(reverse("consents"))


def regulation_public_view(request: HttpRequest) -> HttpResponse:
    regulation = regulation_current()
    return render(request, "accounts/regulation_public.html", {
        "regulation": regulation, "regulation_html": markdown_render(regulation.text) if regulation else ""})


@login_required
def own_data_view(request: AuthenticatedRequest) -> HttpResponse:
    data = own_data_collect(user=request.user)
    if request.GET.get("format") == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        filename = f"moje-dane-{request.user.username}-{timezone.localdate():%Y-%m-%d}.json"
        disposition = content_disposition_header(True, filename)
        if disposition:  # always, for an attachment
            response["Content-Disposition"] = disposition
        return response
    return render(request, "accounts/own_data.html", {"data": data, "tables": own_data_tables(data=data)})


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Forgotten password: by e-mail where the cooperative allows it, otherwise at the office."""

    template_name = "accounts/password_reset_form.html"
    form_class = VerifiedEmailPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        if not instance_settings_get().password_reset_by_email:
            return render(request, "accounts/password_forgotten_office.html")
        if request.method == "POST":
            rate_limit_hit(request, "password_reset_ip", "password_reset_address")
        return super().dispatch(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PolicySetPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("password_reset_complete")

    def dispatch(self, request, *args, **kwargs):
        if not instance_settings_get().password_reset_by_email:
            return render(request, "accounts/password_forgotten_office.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Through the service, not form.save(): the same audit and first-sign-in bookkeeping as any change.
        password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
