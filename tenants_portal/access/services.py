"""The office flow of the regulation (points 5–7 and 11): applications in person, credentials issued
by the office, accounts closed on request, when every legal title has ended, or for misuse."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants_portal.accounts.models import User
from tenants_portal.accounts.notifications import account_closed_notify
from tenants_portal.accounts.passwords import one_time_password_generate, password_policy_current
from tenants_portal.accounts.signals_account import account_closed
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record
from tenants_portal.registry.models import Person, Unit
from tenants_portal.registry.selectors import people_with_every_title_ended

from .models import AccessApplication


@dataclass(frozen=True)
class IssuedCredentials:
    account: User
    login: str
    one_time_password: str


_LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")
APPLICATION_AUDIT_ACTIONS: dict[str, AuditAction] = {
    AccessApplication.Kind.GRANT: AuditAction.GRANT_APPLICATION_RECORDED,
    AccessApplication.Kind.WITHDRAW: AuditAction.WITHDRAWAL_APPLICATION_RECORDED,
}


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
    login = login_validate(login=login.strip().lower() or login_suggest(person=person))
    password = one_time_password_new()
    with transaction.atomic():
        account = User(username=login, role=User.Role.RESIDENT, first_name=person.first_name,
                       last_name=person.last_name, email=email.strip(), must_change_password=True)
        account.set_password(password)
        account.save()
        person.account = account
        person.save(update_fields=["account"])
        application.account = account
        application.save(update_fields=["account"])
        audit_record(acting_user=acting_user, action=AuditAction.ACCOUNT_ISSUED, target=login,
                     details={"person": str(person), "application": application.pk})
    return IssuedCredentials(account=account, login=login, one_time_password=password)


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
        account_close(acting_user=None, account=person.account, closure=User.Closure.TITLES_ENDED,
                      note=_("Every legal title to a unit has ended."))
        closed.append(person.account.username)
    return closed


def accounts_anonymise_closed(*, now: datetime.datetime | None = None) -> int:
    """Nightly: remove the personal data of accounts closed longer than ACCOUNT_RETENTION_DAYS (RODO).

    The account row stays (the audit log and the ledger, kept 5 years under the Accounting Act, refer to it)
    but no longer says who it was: login, names, address and phone go, and so do its notice choices and
    e-mails. The person in the registry is the cooperative's record of its members, not the online
    account, and is left as it is.
    """
    from django.conf import settings

    from tenants_portal.notices.models import NoticePreference, OutboxMessage

    from ..accounts.models import PasswordHistory

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACCOUNT_RETENTION_DAYS)
    accounts = list(User.objects.filter(closed_at__lt=cutoff, anonymised_at__isnull=True, is_active=False))
    for account in accounts:
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
            audit_record(acting_user=None, action=AuditAction.ACCOUNT_ANONYMISED, target=account.username,
                         details={"closed_at": account.closed_at.isoformat()})
    return len(accounts)
