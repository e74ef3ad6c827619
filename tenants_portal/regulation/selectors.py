from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache

from .models import Consent, ConsentPurpose, RegulationAcceptance, RegulationVersion

_CURRENT_KEY = "regulation-current-version"
_NONE = 0
# Remembered in the session once accepted, so that a signed-in resident costs no query per page.
SESSION_ACCEPTED_VERSION = "_iok_regulation_version"


def regulation_current() -> RegulationVersion | None:
    return RegulationVersion.objects.order_by("-version").first()


def regulation_current_version() -> int:
    """The current version number (0 if none is published); cached per schema, dropped on publishing."""
    version = cache.get(_CURRENT_KEY)
    if version is None:
        version = RegulationVersion.objects.order_by("-version").values_list("version", flat=True).first() or _NONE
        cache.set(_CURRENT_KEY, version, 3600)
    return version


def regulation_current_forget() -> None:
    cache.delete(_CURRENT_KEY)


def regulation_acceptance_pending(*, user, session: SessionBase | None = None) -> bool:
    current = regulation_current_version()
    if current == _NONE:
        return False
    if session is not None and session.get(SESSION_ACCEPTED_VERSION) == current:
        return False
    accepted = RegulationAcceptance.objects.filter(user=user, regulation__version=current).exists()
    if accepted and session is not None:
        session[SESSION_ACCEPTED_VERSION] = current
    return not accepted


def consents_for_user(*, user) -> list[tuple[ConsentPurpose, Consent | None]]:
    """Each purpose offered (or consented to earlier), with the resident's live consent if any."""
    live = {consent.purpose_id: consent for consent in Consent.objects.filter(user=user, withdrawn_at__isnull=True)}
    purposes = ConsentPurpose.objects.filter(is_active=True) | ConsentPurpose.objects.filter(pk__in=list(live))
    return [(purpose, live.get(purpose.pk)) for purpose in purposes.distinct().order_by("title")]
