"""The sign-in page and the password change (the last first sign-in step, and any later change)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iok.forms import posted
from iok.ratelimits import rate_limited

from . import services
from .forms import LoginForm, PasswordChangeForm
from .second_factor import second_factor_enrolled, second_factor_required, sign_in_pending_start


class SecondFactorLoginMixin:
    """After the right password: whoever has, or must have, a second factor is not signed in yet but
    sent to the second step (second_factor_views), which signs in."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if second_factor_enrolled(user=user) or second_factor_required(user=user):
            sign_in_pending_start(self.request, user=user, next_url=self.get_redirect_url())  # type: ignore[attr-defined]
            return redirect("second_factor_sign_in")
        return super().form_valid(form)  # type: ignore[misc]


class LoginView(SecondFactorLoginMixin, auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


@login_required
@rate_limited("password_check", methods=("POST",))
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, posted(request))
    if request.method == "POST" and form.is_valid():
        first_sign_in = request.user.must_change_password
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"],
                                 request=request)
        if first_sign_in:
            messages.success(request, _("Your password is set. Welcome to your online account."))
        else:
            messages.success(request, _("Your password has been changed. Other devices were signed out."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {
        "form": form, "first_sign_in": request.user.must_change_password})
