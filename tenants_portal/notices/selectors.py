from tenants_portal.accounts.models import User

from .models import NoticeKind, NoticePreference


def notice_preferences_get(*, user: User) -> dict[str, bool]:
    """Every kind a resident can switch off, with their choice (on unless they switched it off)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in NoticeKind.values}
