"""The account lifecycle, its one home: the one way a login is created (account_create), the office flow of
the regulation (points 5–7 and 11: applications in person, credentials issued by the office, accounts closed on
request, when every legal title has ended, or for misuse; reopened, anonymised), staff accounts, and the
resident's own account (contact data, the e-mail address, a forgotten password). Each write runs in one
transaction, takes the acting user and leaves an audit row."""

import datetime
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cooperatives.selectors import cooperative_url
from iok.jobs import job_enqueue_on_commit
from tenants_portal.accounts.models import Passkey, PasswordHistory, User
from tenants_portal.accounts.passwords import one_time_password_generate, password_policy_current
from tenants_portal.accounts.roles import STAFF_ROLES
from tenants_portal.accounts.second_factor import second_factor_remove
from tenants_portal.accounts.services import client_ip
from tenants_portal.accounts.signals_account import account_closed
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.notices.models import Notice, NoticePreference, OutboxMessage
from tenants_portal.notices.services import notice_send
from tenants_portal.registry.models import Person, Unit
from tenants_portal.registry.selectors import people_with_every_title_ended

from .models import AccessApplication
from .notifications import account_closed_notify, passkeys_removed_notify, second_factor_reset_notify

# The audit action for each kind of application (a code is never built from a string).
APPLICATION_AUDIT_ACTIONS: dict[str, AuditAction] = {
    AccessApplication.Kind.GRANT: AuditAction.GRANT_APPLICATION_RECORDED,
    AccessApplication.Kind.WITHDRAW: AuditAction.WITHDRAWAL_APPLICATION_RECORDED,
}


@dataclass(frozen=True)
class IssuedCredentials:
    account: User
    login: str
    one_time_password: str


_LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")


def login_suggest(*, person: Person) -> str:
    """jkowalski, jkowalski2, … — ASCII, lower case, free in this cooperative."""
    def ascii_fold(text: str) -> str:
        text = text.replace("ł", "l").replace("Ł", "L")
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()

    base = re.sub(r"[^a-z0-9]", "", (ascii_fold(person.first_name)[:1] + ascii_fold(person.last_name)).lower())
    base = (base or "lokator")[:24]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def access_application_record(*, acting_user: User, kind: str, submitted_on: datetime.date, person: Person,
                              units: list[Unit], identity_document: str, document_seen_by: User) -> AccessApplication:
    if not units:
        raise ValidationError(_("Choose at least one unit the application concerns."), code="no_units")
    if submitted_on > timezone.localdate():
        raise ValidationError(_("The application date cannot be in the future."), code="future_date")
    with transaction.atomic():
        application = AccessApplication.objects.create(
            kind=kind, submitted_on=submitted_on, person=person, identity_document=identity_document,
            document_seen_by=document_seen_by, recorded_by=acting_user, account=person.account)
        application.units.set(units)
        audit_record(acting_user=acting_user, action=APPLICATION_AUDIT_ACTIONS[kind], target=str(person),
                     details={"application": application.pk, "units": [str(unit) for unit in units],
                              "identity_document": identity_document, "seen_by": document_seen_by.get_username()})
        if kind == AccessApplication.Kind.WITHDRAW and person.account is not None and not person.account.is_closed:
            account_close(acting_user=acting_user, account=person.account, closure=User.Closure.RESIDENT_REQUEST,
                          note=_("Application to withdraw access of %(date)s") % {
                              "date": submitted_on.strftime("%d.%m.%Y")})
    return application


def access_application_submit(*, acting_user: User, kind: str, submitted_on: datetime.date, person: Person,
                              units: list[Unit], identity_document: str, document_seen_by: User, login: str = "",
                              email: str = "") -> tuple[AccessApplication, IssuedCredentials | None]:
    """Record an application and, when it grants access to someone without an account, issue the
    credentials — both or neither: a refused login leaves no application behind."""
    with transaction.atomic():
        application = access_application_record(
            acting_user=acting_user, kind=kind, submitted_on=submitted_on, person=person, units=units,
            identity_document=identity_document, document_seen_by=document_seen_by)
        issued = None
        if application.kind == AccessApplication.Kind.GRANT and person.account is None:
            issued = account_issue(acting_user=acting_user, application=application, login=login, email=email)
    return application, issued


def one_time_password_new() -> str:
    """A random one-time password, at least 12 characters and at least the cooperative's minimum."""
    return one_time_password_generate(length=max(12, password_policy_current().min_length))


def login_validate(*, login: str) -> str:
    """The login to issue (lower case), refused when malformed or taken in this cooperative."""
    login = login.strip().lower()
    if not _LOGIN_PATTERN.match(login):
        raise ValidationError(_("The login may contain 3–30 lower-case letters, digits, dots, hyphens and "
                                "underscores, and must start with a letter or a digit."), code="invalid_login")
    if User.objects.filter(username__iexact=login).exists():
        raise ValidationError(_("The login %(login)s is already taken.") % {"login": login}, code="taken_login")
    return login


def account_create(*, acting_user: User | None, login: str, role: str, first_name: str = "", last_name: str = "",
                   email: str = "", person: Person | None = None, action: AuditAction = AuditAction.ACCOUNT_ISSUED,
                   details: dict[str, Any] | None = None) -> IssuedCredentials:
    """The one way a login comes to be, whoever asks for it (the office for a resident, an admin for a colleague,
    platform onboarding for the first admin, the demo): a valid login free in this cooperative, a one-time
    password to be shown once and changed at first sign-in, the person's account if a person is given, and
    the caller's audit row (its action and details say why the account was made)."""
    with transaction.atomic():
        login = login_validate(login=login)
        password = one_time_password_new()
        account = User(username=login, role=role, first_name=first_name, last_name=last_name, email=email.strip(),
                       must_change_password=True)
        account.set_password(password)
        account.save()
        if person is not None:
            person.account = account
            person.save(update_fields=["account"])
        audit_record(acting_user=acting_user, action=action, target=login, details=details)
    return IssuedCredentials(account=account, login=login, one_time_password=password)


def account_issue(*, acting_user: User, application: AccessApplication, login: str = "",
                  email: str = "") -> IssuedCredentials:
    """Issue the identifier and a one-time password for the applicant of a granted application."""
    person = application.person
    if application.kind != AccessApplication.Kind.GRANT:
        raise ValidationError(_("Credentials are issued only on an application to grant access."), code="not_grant")
    if person.account is not None and not person.account.is_closed:
        raise ValidationError(_("%(person)s already has an account (login %(login)s).") % {
            "person": person, "login": person.account.username}, code="has_account")
    if person.account is not None:
        raise ValidationError(_("%(person)s has a closed account: reopen it instead of issuing a new one.") % {
            "person": person}, code="closed_account")
    with transaction.atomic():
        issued = account_create(
            acting_user=acting_user, login=login.strip().lower() or login_suggest(person=person),
            role=User.Role.RESIDENT, first_name=person.first_name, last_name=person.last_name, email=email,
            person=person, details={"person": str(person), "application": application.pk})
        application.account = issued.account
        application.save(update_fields=["account"])
    return issued


def account_password_reset(*, acting_user: User, account: User) -> IssuedCredentials:
    """The office issues a new one-time password (e.g. a forgotten password); every session ends."""
    password = one_time_password_new()
    with transaction.atomic():
        account.set_password(password)
        account.must_change_password = True
        account.save()
        audit_record(acting_user=acting_user, action=AuditAction.ONE_TIME_PASSWORD_ISSUED, target=account.username)
    axes_reset(username=account.username)
    return IssuedCredentials(account=account, login=account.username, one_time_password=password)


def account_unlock(*, acting_user: User, account: User) -> int:
    """Lift a lockout of this login now instead of at the end of its cool-off."""
    with transaction.atomic():
        cleared = axes_reset(username=account.username)
        audit_record(acting_user=acting_user, action=AuditAction.ACCOUNT_UNLOCKED, target=account.username,
                     details={"failures_cleared": cleared})
    return cleared


def account_passkeys_remove(*, acting_user: User, account: User) -> int:
    """The office removes a resident's passkeys (a lost or handed-on device); the password is untouched. The
    resident is told by e-mail, like a second factor's reset."""
    with transaction.atomic():
        removed, _by_model = Passkey.objects.filter(user=account).delete()
        audit_record(acting_user=acting_user, action=AuditAction.PASSKEYS_REMOVED, target=account.username,
                     details={"count": removed})
        if removed:
            passkeys_removed_notify(account=account, count=removed)
    return removed


def second_factor_reset(*, acting_user: User, account: User) -> bool:
    """The office turns a staff member's second factor off (where the policy requires one, they set it up
    again at the next sign-in): audited, and the person is told by e-mail. False: there was none."""
    with transaction.atomic():
        removed = second_factor_remove(user=account, acting_user=acting_user)
        if removed:
            second_factor_reset_notify(account=account)
    return removed


def account_close(*, acting_user: User | None, account: User, closure: str, note: str = "") -> None:
    """Close an account: it cannot sign in, and its sessions and tokens stop working at once."""
    if closure == User.Closure.MISUSE and not note.strip():
        raise ValidationError(_("Give the reason for closing the account."), code="reason_required")
    with transaction.atomic():
        account.is_active = False
        account.closed_at = timezone.now()
        account.closure = closure
        account.closure_note = note.strip()
        account.save(update_fields=["is_active", "closed_at", "closure", "closure_note"])
        audit_record(acting_user=acting_user, action=AuditAction.ACCOUNT_CLOSED, target=account.username,
                     details={"closure": closure, "note": account.closure_note})
        # Receivers end what the account holds (API tokens); sessions already fail: get_user()
        # refuses inactive users on their next request.
        account_closed.send(sender=User, account=account)
        account_closed_notify(account=account)


def account_reopen(*, acting_user: User, account: User) -> IssuedCredentials:
    """Reopen a closed account with a new one-time password (the old one may be known to others)."""
    with transaction.atomic():
        account.is_active = True
        account.closed_at = None
        account.closure = ""
        account.closure_note = ""
        account.save(update_fields=["is_active", "closed_at", "closure", "closure_note"])
        audit_record(acting_user=acting_user, action=AuditAction.ACCOUNT_REOPENED, target=account.username)
        return account_password_reset(acting_user=acting_user, account=account)


def accounts_close_titles_ended(*, on: datetime.date | None = None) -> list[str]:
    """Nightly: close the account of everyone whose every legal title has ended (regulation point 11)."""
    closed = []
    for person in people_with_every_title_ended(on=on).select_related("account"):
        account = person.account
        assert account is not None  # the selector returns only people with an open account
        account_close(acting_user=None, account=account, closure=User.Closure.TITLES_ENDED,
                      note=_("Every legal title to a unit has ended."))
        closed.append(account.username)
    return closed


def accounts_anonymise_closed(*, now: datetime.datetime | None = None) -> int:
    """Nightly: remove the personal data of accounts closed longer than ACCOUNT_RETENTION_DAYS (RODO).

    The account row stays (the audit log and the ledger, kept 5 years under the Accounting Act, refer to it)
    but no longer says who it was: login, names, address and phone go, and so do its notice choices and
    e-mails, and its passkeys. The person in the registry is the cooperative's record of its members, not the online
    account, and is left as it is.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACCOUNT_RETENTION_DAYS)
    accounts = list(User.objects.filter(closed_at__lt=cutoff, anonymised_at__isnull=True, is_active=False))
    for account in accounts:
        closed_at = account.closed_at
        assert closed_at is not None  # closed_at__lt above
        with transaction.atomic():
            account.username = f"usuniete-{account.pk}"
            account.first_name = account.last_name = account.email = account.phone = ""
            account.email_verified_at = None
            account.closure_note = ""
            account.anonymised_at = now
            account.set_unusable_password()
            account.save()
            NoticePreference.objects.filter(user=account).delete()
            OutboxMessage.objects.filter(recipient=account).delete()
            PasswordHistory.objects.filter(user=account).delete()
            Passkey.objects.filter(user=account).delete()
            audit_record(acting_user=None, action=AuditAction.ACCOUNT_ANONYMISED, target=account.username,
                         details={"closed_at": closed_at.isoformat()})
    return len(accounts)


# --- staff accounts: an admin creates clerks, technicians and admins, changes their roles and closes their
# accounts; there is always at least one active admin.

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
    return account_create(acting_user=acting_user, login=login, role=role, first_name=first_name,
                          last_name=last_name, email=email, action=AuditAction.STAFF_CREATED,
                          details={"role": role, "name": f"{first_name} {last_name}"})


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


# --- the resident's own account: contact data, the e-mail address and its verification, a forgotten password

def contact_update(*, user: User, email: str, phone: str, request: HttpRequest | None = None) -> bool:
    """Update the resident's own contact data; returns True when the e-mail changed and needs verifying.

    The e-mail address is how a password is recovered, so the caller has checked the current password
    (email_change_needs_password), and the old address is told of the change: if it was not its owner,
    they learn it at once."""
    email = email.strip()
    with transaction.atomic():
        email_changed = email.lower() != (user.email or "").lower()
        changed = [field for field, new in (("email", email), ("phone", phone.strip()))
                   if getattr(user, field) != new]
        if email_changed and user.email:
            _email_change_notify(user=user, new_email=email)
        user.email, user.phone = email, phone.strip()
        if email_changed:
            user.email_verified_at = None
        user.save(update_fields=["email", "phone", "email_verified_at"])
        if changed:
            audit_record(acting_user=user, action=AuditAction.CONTACT_CHANGED, target=user.get_username(),
                         details={"fields": changed}, ip_address=client_ip(request))
    return email_changed and bool(email)


def password_reset_request(*, email: str) -> None:
    """The forgotten-password form's only work, the same whatever the address: one job on the queue
    after commit. The job (password_reset_send) looks the address up and mails a link if it may."""
    job_enqueue_on_commit("tasks.accounts_jobs.password_reset_mail", kwargs={"email": email})


def password_reset_send(*, email: str) -> int:
    """A reset link to each active resident whose verified address this is (a security notice: it goes
    whatever the preferences); returns how many. Nothing is sent to an unverified or unknown address."""
    users = [user for user in User.objects.filter(
        email__iexact=email, is_active=True, closed_at__isnull=True, email_verified_at__isnull=False,
        role=User.Role.RESIDENT) if user.has_usable_password()]
    for user in users:
        link = cooperative_url(path=reverse("password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}))
        notice_send(kind=Notice.Kind.PASSWORD_RESET, key=f"password_reset:{uuid.uuid4()}", users=[user],
                    template="emails/password_reset", respect_preferences=False, context={"link": link})
    return len(users)


def email_change_needs_password(*, user: User, email: str) -> bool:
    return email.strip().lower() != (user.email or "").lower()


def email_change_check(*, user: User, email: str, current_password: str) -> None:
    """Refuses (ValidationError with a code) a change of the e-mail address without the right current password."""
    if not email_change_needs_password(user=user, email=email):
        return
    if not current_password:
        raise ValidationError(_("To change the e-mail address, enter your current password."), code="required")
    if not user.check_password(current_password):
        raise ValidationError(_("The current password is incorrect."), code="wrong_password")


def _email_change_notify(*, user: User, new_email: str) -> None:
    """A security notice to the address being replaced (the user object still carries it)."""
    notice_send(kind=Notice.Kind.EMAIL_CHANGED, key=f"email_changed:{uuid.uuid4()}", users=[user],
                template="emails/email_changed", respect_preferences=False,
                context={"new_email": _email_masked(new_email), "changed_at": timezone.now()})


def _email_masked(email: str) -> str:
    """j***@example.com: enough for the owner to recognise, not a new address handed to whoever reads the old."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def email_mark_verified(*, user: User, email: str) -> bool:
    """Marks the address verified if it is still the account's address (the link may be stale)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not email or user.email.lower() != email.lower():
            return False
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(acting_user=user, action=AuditAction.EMAIL_VERIFIED, target=user.get_username())
    return True
