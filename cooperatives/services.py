"""Writes of the cooperative's own row that its own configuration makes (the core imports nothing above it).
Onboarding, suspending and reactivating are the operators' (operators.services)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Cooperative


def cooperative_rename(*, cooperative: Cooperative, name: str) -> str:
    """Change the cooperative's name as residents see it; returns the previous name.

    Called by the cooperative's own configuration service, which audits the change in the
    cooperative's trail together with the rest of its page. Cached routes (which carry the name)
    are dropped by the post_save signal.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Enter the cooperative's name."), code="name_required")
    limit = Cooperative._meta.get_field("name").max_length
    if limit is not None and len(name) > limit:
        raise ValidationError(_("The name may have at most %(limit)d characters.") % {"limit": limit},
                              code="name_too_long")
    previous = cooperative.name
    if name != previous:
        cooperative.name = name
        cooperative.save(update_fields=["name"])
    return previous
