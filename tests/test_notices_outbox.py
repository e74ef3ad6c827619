"""The outbox without a worker: at most once per recipient, retries with backoff, failures shown to staff."""

import datetime

import pytest
from django.utils import timezone

from devstack.mailsink import MailSink
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.notices.delivery import outbox_deliver, outbox_sweep
from tenants_portal.notices.models import Notice, NoticePreference, OutboxMessage
from tenants_portal.notices.services import notice_send

from .conftest import notices_deliver_waiting


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, as the Django mail backend of this test."""
    refuse = {"stale@example.com": "451 4.2.0 Mailbox busy, try later",
              "nobody@example.com": "550 5.1.1 No such user"}
    with MailSink(refuse=refuse) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


def _residents(coop, *addresses: str) -> list[User]:
    """The resident and the outsider (and more if asked) with confirmed addresses, in this order."""
    users = [coop.resident, coop.outsider]
    for index, address in enumerate(addresses):
        if index < len(users):
            user = users[index]
        else:
            user = User.objects.create(username=f"extra{index}", role=User.Role.RESIDENT)
            users.append(user)
        User.objects.filter(pk=user.pk).update(email=address, email_verified_at=timezone.now())
        user.refresh_from_db()
    return users[:len(addresses)]


def _send(users, key="test:1", kind="announcement", respect_preferences=True) -> int:
    return notice_send(kind=kind, key=key, users=users, template="emails/account_closed",
                       context={"closure": "test", "closed_at": timezone.now()},
                       respect_preferences=respect_preferences)


def test_sending_the_same_notice_again_adds_no_row_and_sends_nothing_more(coop_a, smtp):
    with coop_a.use():
        users = _residents(coop_a, "jan@example.com", "piotr@example.com")
        assert _send(users) == 2
        assert _send(users) == 2
        ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert sorted(notices_deliver_waiting(coop_a)) == ids
    assert notices_deliver_waiting(coop_a) == []
    assert sorted(item.to[0] for item in smtp.received) == ["jan@example.com", "piotr@example.com"]


def test_a_delivery_replayed_finds_its_rows_sent_and_sends_nothing(coop_a, smtp):
    with coop_a.use():
        _send(_residents(coop_a, "jan@example.com"))
        ids = list(OutboxMessage.objects.values_list("pk", flat=True))
        outcomes = [outbox_deliver(message_ids=ids) for _ in range(3)]
        row = OutboxMessage.objects.get()
    assert [len(outcome.sent) for outcome in outcomes] == [1, 0, 0]
    assert len(smtp.received) == 1
    assert (row.status, row.attempts) == ("sent", 1)


def test_opted_out_and_unconfirmed_addresses_are_counted_not_sent(coop_a, smtp):
    from tenants_portal.notices.selectors import notice_delivery

    with coop_a.use():
        jan, piotr = _residents(coop_a, "jan@example.com", "piotr@example.com")
        NoticePreference.objects.create(user=piotr, kind="announcement", enabled=False)
        unconfirmed = User.objects.create(username="nowak", role=User.Role.RESIDENT, email="nowak@example.com")
        assert _send([jan, piotr, unconfirmed]) == 1
        notices_deliver_waiting(coop_a)
        assert notice_delivery(key="test:1") == {"sent": 1, "waiting": 0, "failed": 0, "opted_out": 1,
                                                 "without_address": 1}
    assert [item.to for item in smtp.received] == [["jan@example.com"]]


def test_security_notices_go_whatever_the_preferences(coop_a, smtp):
    with coop_a.use():
        (jan,) = _residents(coop_a, "jan@example.com")
        NoticePreference.objects.create(user=jan, kind="announcement", enabled=False)
        assert _send([jan], kind="account_closed", respect_preferences=False) == 1
        notices_deliver_waiting(coop_a)
    assert [item.to for item in smtp.received] == [["jan@example.com"]]


def test_a_temporary_refusal_is_retried_with_exponential_backoff_then_failed(coop_a, smtp, settings):
    settings.NOTICES_MAX_ATTEMPTS = 3
    settings.NOTICES_RETRY_BASE_SECONDS = 60
    with coop_a.use():
        _send(_residents(coop_a, "stale@example.com", "jan@example.com"))
        row = OutboxMessage.objects.get(to_address="stale@example.com")
        delays = []
        for _attempt in range(3):
            before = timezone.now()
            outcome = outbox_deliver(message_ids=[row.pk])
            row.refresh_from_db()
            if row.status == "pending":
                delays.append(round((row.next_attempt_at - before).total_seconds() / 60))
                OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # time passes
        notices_deliver_waiting(coop_a)  # the other recipient is not held back
    assert delays == [1, 2]  # then the third attempt is the last
    assert (row.status, row.attempts, row.last_error) == (
        "failed", 3, "SMTPDataError: (451, b'4.2.0 Mailbox busy, try later')")
    assert outcome.failed == [row.pk]
    assert [item.to for item in smtp.received] == [["jan@example.com"]]


def test_a_permanent_refusal_fails_at_once_and_staff_see_it_and_send_it_again(coop_a, smtp):
    with coop_a.use():
        _send(_residents(coop_a, "nobody@example.com"))
        notices_deliver_waiting(coop_a)
        row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("SMTPDataError: (550")

    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    page = clerk.get("/biuro/powiadomienia/")
    assert [message.pk for message in page.context["failed"]] == [row.pk]
    assert "nobody@example.com" in page.content.decode()

    with coop_a.use():
        User.objects.filter(pk=coop_a.resident.pk).update(email="jan@example.com")
        OutboxMessage.objects.filter(pk=row.pk).update(to_address="jan@example.com")
    response = clerk.post("/biuro/powiadomienia/ponow/", {"message": [row.pk]})
    assert response["Location"] == "/biuro/powiadomienia/"
    with coop_a.use():
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")
        assert list(AuditEvent.objects.filter(action=AuditAction.NOTICE_RETRIED).values_list("details", flat=True)) == [
            {"messages": [row.pk]}]
    notices_deliver_waiting(coop_a)
    assert [item.to for item in smtp.received] == [["jan@example.com"]]


@pytest.mark.parametrize("who", ["technician", "resident"])
def test_only_office_staff_see_and_retry_failed_emails(coop_a, who):
    with coop_a.use():
        (jan,) = _residents(coop_a, "jan@example.com")
        _send([jan])
        OutboxMessage.objects.update(status="failed", last_error="x")
        row = OutboxMessage.objects.get()
    client = coop_a.client_logged_in_as(getattr(coop_a, who))
    assert client.get("/biuro/powiadomienia/").status_code == 403
    assert client.post("/biuro/powiadomienia/ponow/", {"message": [row.pk]}).status_code == 403
    with coop_a.use():
        assert list(OutboxMessage.objects.values_list("status", "attempts")) == [("failed", 0)]
        assert not AuditEvent.objects.filter(action=AuditAction.NOTICE_RETRIED).exists()


def test_the_sweep_returns_claims_of_a_dead_worker_and_enqueues_what_was_lost(coop_a, settings):
    with coop_a.use():
        jan, piotr = _residents(coop_a, "jan@example.com", "piotr@example.com")
        _send([jan, piotr])
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        OutboxMessage.objects.filter(recipient=jan).update(status="sending", claimed_at=long_ago, attempts=1)
        OutboxMessage.objects.filter(recipient=piotr).update(enqueued_at=long_ago)
        fresh = outbox_sweep()
        rows = dict(OutboxMessage.objects.values_list("recipient__username", "status"))
        assert all(enqueued > long_ago for enqueued in OutboxMessage.objects.values_list("enqueued_at", flat=True))
        again = outbox_sweep()  # just enqueued: left to its task
    assert (fresh.reclaimed, fresh.enqueued) == (1, 2)
    assert rows == {"lokator": "pending", "obcy": "pending"}
    assert (again.reclaimed, again.enqueued) == (0, 0)


def test_a_claim_younger_than_the_timeout_is_left_to_its_worker(coop_a):
    with coop_a.use():
        _send(_residents(coop_a, "jan@example.com"))
        OutboxMessage.objects.update(status="sending", claimed_at=timezone.now(), attempts=1)
        assert outbox_sweep().reclaimed == 0
        assert OutboxMessage.objects.get().status == "sending"


def test_an_announcement_shows_staff_how_many_were_sent_failed_or_opted_out(coop_a):
    from tenants_portal.announcements.services import announcement_create

    with coop_a.use():
        jan, piotr = _residents(coop_a, "jan@example.com", "piotr@example.com")
        NoticePreference.objects.create(user=piotr, kind="announcement", enabled=False)
        announcement = announcement_create(acting_user=coop_a.clerk, title="Woda", body="Przerwa w dostawie wody.",
                                           scope="cooperative")
        OutboxMessage.objects.filter(recipient=jan).update(status="failed")
    page = coop_a.client_logged_in_as(coop_a.clerk).get(f"/biuro/ogloszenia/{announcement.pk}/")
    assert page.context["delivery"] == {"sent": 0, "waiting": 0, "failed": 1, "opted_out": 1, "without_address": 0}
    assert Notice.objects.count() == 1


def test_closing_an_account_tells_its_holder_even_when_notices_are_switched_off(coop_a, smtp):
    from tenants_portal.access.services import account_close

    with coop_a.use():
        (jan,) = _residents(coop_a, "jan@example.com")
        NoticePreference.objects.bulk_create([NoticePreference(user=jan, kind=kind, enabled=False)
                                              for kind in ("announcement", "failure_status", "reading_window")])
        account_close(acting_user=coop_a.clerk, account=jan, closure=User.Closure.RESIDENT_REQUEST)
        notices_deliver_waiting(coop_a)
        notice = Notice.objects.get()
    message = smtp.received[0].message
    assert (notice.kind, smtp.received[0].to) == ("account_closed", ["jan@example.com"])
    assert message["Subject"].strip() == "Spółdzielnia Mieszkaniowa „Alfa”: konto internetowe zostało zamknięte"
    assert "login lokator" in message.get_body(preferencelist=("plain",)).get_content()
    assert "List-Unsubscribe" not in message


def test_a_mail_server_that_cannot_be_reached_costs_one_attempt_and_the_rest_of_the_batch_waits(coop_a, settings):
    from devstack.services import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens there
    settings.EMAIL_TIMEOUT = 5
    with coop_a.use():
        _send(_residents(coop_a, "jan@example.com", "piotr@example.com"))
        ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))
        outcome = outbox_deliver(message_ids=ids)
        rows = list(OutboxMessage.objects.order_by("pk").values_list("status", "attempts"))
    assert (outcome.sent, sorted(outcome.retrying)) == ([], ids)
    assert rows == [("pending", 1), ("pending", 0)]
