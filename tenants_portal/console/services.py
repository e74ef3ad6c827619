"""Staff accounts: an admin creates clerks, technicians and admins, changes their roles and closes
their accounts. There is always at least one active admin."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants_portal.access.services import IssuedCredentials, account_close, login_validate, one_time_password_new
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import STAFF_ROLES
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record


def _role_check(role: str) -> None:
    if role not in STAFF_ROLES:
        raise ValidationError(_("Choose the role: cooperative admin, clerk or technician."), code="invalid_role")


def _last_admin_check(*, member: User) -> None:
    """Refuse to take away the last active admin (locks the admins' rows against a concurrent change)."""
    admins = list(User.objects.select_for_update().filter(role=User.Role.ADMIN, is_active=True,
                                                          closed_at__isnull=True).values_list("pk", flat=True))
    if admins == [member.pk]:
        raise ValidationError(_("%(login)s is the cooperative's only admin. Make someone else an admin first, so "
                                "that somebody can still manage the configuration and the staff.") % {
            "login": member.username}, code="last_admin")


def staff_member_create(*, acting_user: User, login: str, first_name: str, last_name: str, role: str,
                        email: str = "") -> IssuedCredentials:
    """A new staff account with a one-time password, to be shown once; it must be changed at first sign-in."""
    _role_check(role)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name and last_name):
        raise ValidationError(_("Enter the first and last name."), code="name_required")
    with transaction.atomic():
        login = login_validate(login=login)
        password = one_time_password_new()
        member = User(username=login, role=role, first_name=first_name, last_name=last_name, email=email.strip(),
                      must_change_password=True)
        member.set_password(password)
        member.save()
        audit_record(acting_user=acting_user, action=AuditAction.STAFF_CREATED, target=login,
                     details={"role": role, "name": member.get_full_name()})
    return IssuedCredentials(account=member, login=login, one_time_password=password)


def staff_member_role_change(*, acting_user: User, member: User, role: str) -> bool:
    """Give a staff member another role; False when it was theirs already."""
    _role_check(role)
    if member.role not in STAFF_ROLES:
        raise ValidationError(_("Only a staff account's role can be changed here."), code="not_staff")
    if member.is_closed:
        raise ValidationError(_("The account is closed."), code="closed")
    if role == member.role:
        return False
    with transaction.atomic():
        if member.role == User.Role.ADMIN:
            _last_admin_check(member=member)
        previous = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit_record(acting_user=acting_user, action=AuditAction.STAFF_ROLE_CHANGED, target=member.username,
                     details={"role": [previous, role]})
    return True


def staff_member_close(*, acting_user: User, member: User, note: str = "") -> None:
    """Close a staff account (someone left the office): it cannot sign in and its sessions end at once."""
    if member.role not in STAFF_ROLES:
        raise ValidationError(_("Only a staff account can be closed here."), code="not_staff")
    if member.is_closed:
        raise ValidationError(_("The account is closed already."), code="closed")
    with transaction.atomic():
        if member.role == User.Role.ADMIN:
            _last_admin_check(member=member)
        account_close(acting_user=acting_user, account=member, closure="",
                      note=note.strip() or _("Staff account closed by an admin."))
