from django.http import HttpRequest

from tenants_portal.accounts.roles import STAFF_ROLES
from tenants_portal.console.navigation import staff_nav_for
from tenants_portal.modules import modules_enabled


def console(request: HttpRequest) -> dict:
    """The staff navigation (for staff) and the cooperative's branding (for everyone on its host)."""
    if not getattr(request, "cooperative", None):
        return {}
    from tenants_portal.configuration.selectors import branding_get

    context = {"branding": branding_get()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.role in STAFF_ROLES:
        context["staff_nav"] = staff_nav_for(user, modules=modules_enabled(), path=request.path)
        context["is_staff_member"] = True
    return context
