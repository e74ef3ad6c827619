"""The sign-in page and the password change (the last first sign-in step, and any later change)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iok.forms import posted
from iok.ratelimits import rate_limited

from . import services
from .forms import LoginForm, PasswordChangeForm
from .http import AuthenticatedRequest


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


@login_required
@rate_limited("password_check", methods=("POST",))
def password_change_view(request: AuthenticatedRequest) -> HttpResponse:
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
