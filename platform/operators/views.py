from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants_portal.accounts.models import User

from .selectors import cooperatives_list


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "operators/landing.html")


class LoginView(auth_views.LoginView):
    template_name = "operators/login.html"
    redirect_authenticated_user = True


@login_required
def console(request: HttpRequest) -> HttpResponse:
    if request.user.role != User.Role.OPERATOR:
        raise PermissionDenied
    return render(request, "operators/console.html", {"cooperatives": cooperatives_list()})
