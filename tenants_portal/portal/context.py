from django.http import HttpRequest

from tenants_portal.modules import modules_enabled
from tenants_portal.regulation.middleware import first_login_step_pending

from .navigation import resident_nav_for


def portal(request: HttpRequest) -> dict:
    """Whether the signed-in person is still in their first sign-in (then no menu: every link would
    bounce back to the step), and the resident's navigation with the unread announcements' count."""
    user = getattr(request, "user", None)
    if not getattr(request, "cooperative", None) or user is None or not user.is_authenticated:
        return {}
    if first_login_step_pending(user=user, session=request.session) is not None:
        return {"first_sign_in_pending": True}
    if not user.is_resident:
        return {}
    modules = modules_enabled()
    unread = 0
    if modules.get("announcements"):
        from tenants_portal.announcements.selectors import announcements_unread_count

        unread = announcements_unread_count(user=user)
    return {"unread_announcements": unread,
            "resident_nav": resident_nav_for(modules=modules, path=request.path, unread_announcements=unread)}
