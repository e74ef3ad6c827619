from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .selectors import offices_list


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


def start(request: HttpRequest) -> HttpResponse:
    """The cooperative's address: the sign-in page for visitors, the start page once signed in."""
    if request.user.is_authenticated:
        return redirect("home")
    return LoginView.as_view()(request)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"offices": offices_list()})


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/contact.html", {"offices": offices_list()})
