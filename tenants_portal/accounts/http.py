"""The request a signed-in view receives, for the type checker."""

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """A request past login_required or section_required: its user is signed in. Django never builds
    one; a view that requires sign-in annotates its request with it, so `request.user` is a User
    (django-stubs types HttpRequest.user as User | AnonymousUser)."""

    user: User
