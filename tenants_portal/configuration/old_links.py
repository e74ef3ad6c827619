"""Old links: the cooperative's table of permanent redirects from its previous portal's addresses to IOK's pages.

Rules (each refused with a message the admin can act on, nothing stored):
  - both are paths on the cooperative's own address: they start with one "/", never a scheme or another host
    (no redirect may send a resident elsewhere);
  - the old address is not a page IOK has (a redirect from it would never be used: only addresses IOK does not
    know are redirected);
  - no loops: following the table from the new address never comes back to the old one.
Old addresses match without regard to letter case; the query string of the request is kept.
"""

from urllib.parse import urlsplit

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import OldLink

OLD_LINKS_LIMIT = 500
_MAX_CHAIN = 20


def _path_clean(value: str, *, label: str) -> str:
    path = value.strip()
    if not path:
        raise ValidationError(_("%(label)s: enter a path, e.g. /InetObsKontr/LoginPage.") % {"label": label},
                              code="old_link_required")
    parts = urlsplit(path)
    if (not path.startswith("/") or path.startswith("//") or "\\" in path or parts.scheme or parts.netloc
            or any(character.isspace() or ord(character) < 32 for character in path)):
        raise ValidationError(_("%(label)s: give a path on this cooperative's address, starting with one “/”, "
                                "without http:// or another address, e.g. /InetObsKontr/LoginPage.") % {
                                    "label": label}, code="old_link_not_path")
    if len(path) > OldLink._meta.get_field("from_path").max_length:  # type: ignore[operator]
        raise ValidationError(_("%(label)s: at most 500 characters.") % {"label": label}, code="old_link_too_long")
    return path


def _is_page(path: str) -> bool:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return True


def old_link_target(*, path: str) -> str | None:
    """Where an address IOK has no page for goes (its path only; the caller keeps the query), or None."""
    return OldLink.objects.filter(from_path__iexact=path).values_list("to_path", flat=True).first()


def old_link_add(*, acting_user: AbstractBaseUser, from_path: str, to_path: str) -> OldLink:
    old = _path_clean(from_path, label=_("Old address"))
    new = _path_clean(to_path, label=_("New address"))
    if "?" in old or "#" in old:
        raise ValidationError(_("Old address: give the path without “?” and what follows; the query of a "
                                "request is passed on to the new address."), code="old_link_query")
    if _is_page(old):
        raise ValidationError(_("Old address: %(path)s is a page of IOK, so a redirect from it would never be "
                                "used.") % {"path": old}, code="old_link_is_page")
    # A loop: following the table from the new address comes back to the old one.
    seen, current = {old.lower()}, urlsplit(new).path
    for _step in range(_MAX_CHAIN):
        if current.lower() in seen:
            raise ValidationError(_("The new address leads back to the old one: the redirects would go round in "
                                    "a circle."), code="old_link_loop")
        seen.add(current.lower())
        following = old_link_target(path=current)
        if following is None:
            break
        current = urlsplit(following).path
    with transaction.atomic():
        if OldLink.objects.count() >= OLD_LINKS_LIMIT:
            raise ValidationError(_("At most %(limit)d old links.") % {"limit": OLD_LINKS_LIMIT},
                                  code="old_link_limit")
        try:
            with transaction.atomic():
                link = OldLink.objects.create(from_path=old, to_path=new)
        except IntegrityError:
            raise ValidationError(_("Old address: %(path)s is already redirected; remove that redirect first.") % {
                "path": old}, code="old_link_taken") from None
        audit_record(acting_user=acting_user, action=AuditAction.OLD_LINK_ADDED, target=old,
                     details={"from": old, "to": new})
    return link


def old_link_remove(*, acting_user: AbstractBaseUser, link_id: int) -> None:
    with transaction.atomic():
        link = OldLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None:
            raise Http404
        link.delete()
        audit_record(acting_user=acting_user, action=AuditAction.OLD_LINK_REMOVED, target=link.from_path,
                     details={"from": link.from_path, "to": link.to_path})
