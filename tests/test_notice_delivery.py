"""Notice e-mails through a real Celery worker to a real SMTP server on loopback.

These tests commit: the worker is another process and sees only committed rows. They work in a
cooperative of their own ("poczta"), kept between runs like the shared base, and empty its outbox
before each test.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from devstack.mailsink import MailSink
from devstack.residents import residents_create
from devstack.worker import celery_worker as devstack_worker
from operators.services import cooperative_create
from tasks.base import MissingCooperativeSchema
from tasks.notices_jobs import notices_deliver, notices_sweep
from tenants_portal.accounts.models import User
from tenants_portal.announcements.models import Announcement
from tenants_portal.announcements.services import announcement_create
from tenants_portal.notices.models import Notice, NoticePreference, OutboxMessage

from .conftest import child_environment

REPO_ROOT = Path(__file__).resolve().parents[1]
# One xdist worker runs them all, one after another: they share a cooperative and a Celery queue.
pytestmark = pytest.mark.xdist_group("notice_worker")
SLUG = "poczta"
MANY = 500


@pytest.fixture(scope="module")
def poczta(django_db_setup, django_db_blocker):
    """The cooperative with one resident in building "Jeden" and 500 in building "Wielu" (committed)."""
    with django_db_blocker.unblock():
        # A test before this module on the same xdist worker may have left the connection in a cooperative.
        connection.set_schema_to_public()
        cooperative = Cooperative.objects.filter(slug=SLUG).first()
        if cooperative is None:
            cooperative = cooperative_create(name="Spółdzielnia Mieszkaniowa „Poczta”", slug=SLUG,
                                             admin_email="admin@poczta.example", street="ul. Listowa 1",
                                             postal_code="41-200", city="Sosnowiec").cooperative
            with schema_context(cooperative.schema_name):
                residents_create(count=1, prefix="jeden")
                residents_create(count=MANY, prefix="wielu")
        yield cooperative
        connection.set_schema_to_public()
        # Gone at the end of the module: other tests list every cooperative of the test database.
        cooperative.delete(force_drop=True)


@pytest.fixture
def committed(poczta, django_db_blocker):
    """Work in poczta's schema with autocommit (no test transaction); its outbox starts empty."""
    with django_db_blocker.unblock(), schema_context(poczta.schema_name):
        Notice.objects.all().delete()
        Announcement.objects.all().delete()
        NoticePreference.objects.all().delete()
        yield poczta


def celery_worker(sink: MailSink, log: Path):
    """A real worker (prefork, two processes) on this test run's queue; killed with its pool at the end.

    What other tests left on the queue is dropped first: their transactions were rolled back, and a worker
    running those tasks would write into the shared base cooperatives."""
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    environment = child_environment(EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", NOTICES_BATCH_SIZE="200")
    return devstack_worker(environment=environment, log=log, queue=settings.CELERY_TASK_DEFAULT_QUEUE)


def _announce(*, building_prefix: str, title: str) -> Announcement:
    from tenants_portal.registry.models import Building

    admin = User.objects.get(username="admin")
    building = Building.objects.get(street=f"ul. {building_prefix.title()}")
    return announcement_create(acting_user=admin, title=title, body="Prosimy o udostępnienie lokali.\n\nZarząd",
                               scope=Announcement.Scope.BUILDING, building=building)


def _wait_until(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _statuses() -> dict[str, int]:
    from django.db.models import Count

    return dict(OutboxMessage.objects.values_list("status").annotate(Count("pk")))


def test_an_announcement_arrives_with_the_cooperatives_sender_headers_and_both_bodies(committed, tmp_path):
    with MailSink() as sink, celery_worker(sink, tmp_path / "worker.log"):
        announcement = _announce(building_prefix="jeden", title="Przegląd instalacji gazowej")
        received = sink.wait_for(1, timeout=30)
        _wait_until(lambda: _statuses() == {"sent": 1}, timeout=10)

    assert len(received) == 1
    message = received[0].message
    row = OutboxMessage.objects.get()
    assert received[0].to == ["jeden-1@example.com"]
    assert message["To"] == "jeden-1@example.com"
    assert message["From"] == "Spółdzielnia Mieszkaniowa „Poczta” <no-reply@localhost>"
    assert message["Subject"].strip() == "Spółdzielnia Mieszkaniowa „Poczta”: Przegląd instalacji gazowej"
    assert message["Message-ID"] == f"<iok.{committed.schema_name}.{row.pk}@localhost>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] == "<https://poczta.localhost/konto/powiadomienia/>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://poczta.localhost/ogloszenia/{announcement.pk}/"
    assert "Prosimy o udostępnienie lokali." in plain and link in plain
    assert "Prosimy o udostępnienie lokali." in html and f'href="{link}"' in html
    assert (row.status, row.attempts, row.to_address) == ("sent", 1, "jeden-1@example.com")


def test_a_delivery_task_replayed_three_times_sends_once(committed, tmp_path):
    with MailSink() as sink, celery_worker(sink, tmp_path / "worker.log"):
        _announce(building_prefix="jeden", title="Raz")
        ids = list(OutboxMessage.objects.values_list("pk", flat=True))
        for _replay in range(3):
            notices_deliver.apply_async(args=[ids])
        _wait_until(lambda: _statuses() == {"sent": 1}, timeout=30)
        # The replays are consumed too; give them time to (not) send.
        _wait_until(lambda: b"succeeded" in (tmp_path / "worker.log").read_bytes()
                    and (tmp_path / "worker.log").read_bytes().count(b"succeeded") >= 4, timeout=30)
        received = sink.received

    assert [item.to for item in received] == [["jeden-1@example.com"]]
    assert OutboxMessage.objects.get().attempts == 1


def test_a_worker_killed_during_a_batch_of_500_loses_nothing_and_duplicates_nothing(committed, tmp_path, settings):
    expected = {f"wielu-{n}@example.com" for n in range(1, MANY + 1)}
    log = tmp_path / "worker.log"
    # The server stops answering at the 101st message: the worker is killed while messages are in flight.
    with MailSink(hold_from=101) as sink:
        with celery_worker(sink, log) as worker:
            _announce(building_prefix="wielu", title="Walne zgromadzenie")
            _wait_until(lambda: sink.held >= 1, timeout=60)
            time.sleep(0.5)  # the other pool process reaches the hold too
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        sink.release_held()  # what was in flight is refused, as when a client is gone mid-transaction
        assert len(sink.received) == 100
        interrupted = _statuses()
        assert interrupted["sent"] == 100 and interrupted.get("sending", 0) > 0

        with celery_worker(sink, log):  # (the batch never taken from the queue is dropped with it)
            # The sweep (every 3 minutes under beat; here at once, with short limits) finds what the dead
            # worker had claimed and what was never taken from the queue.
            settings.NOTICES_CLAIM_TIMEOUT_SECONDS = 1
            settings.NOTICES_REQUEUE_AFTER_SECONDS = 1
            time.sleep(1.5)
            swept = notices_sweep.apply()
            assert swept.successful(), swept.result
            with schema_context(committed.schema_name):
                _wait_until(lambda: _statuses() == {"sent": MANY}, timeout=120)
            time.sleep(1)  # anything still on the queue finds its rows sent
        received = sink.received

    addresses = [item.to[0] for item in received]
    assert len(addresses) == MANY
    assert set(addresses) == expected
    assert len({item.message_id for item in received}) == MANY


def test_messages_lost_with_the_queue_when_redis_restarts_are_sent_after_the_sweep(committed, tmp_path, settings):
    import redis

    expected = [f"wielu-{n}@example.com" for n in range(1, MANY + 1)]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    # Tests run before this one on the same xdist worker leave their tasks on the queue (nobody consumes them).
    broker.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    _announce(building_prefix="wielu", title="Bez kolejki")  # enqueued while no worker runs
    assert broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 3
    broker.delete(settings.CELERY_TASK_DEFAULT_QUEUE)  # what a Redis restart without persistence does
    with MailSink() as sink, celery_worker(sink, tmp_path / "worker.log"):
        settings.NOTICES_REQUEUE_AFTER_SECONDS = 1
        time.sleep(1.5)
        assert notices_sweep.apply().result == {"reclaimed": 0, "enqueued": MANY}
        with schema_context(committed.schema_name):
            _wait_until(lambda: _statuses() == {"sent": MANY}, timeout=120)
        received = sink.received
    assert sorted(item.to[0] for item in received) == sorted(expected)


def test_a_delivery_task_without_a_schema_fails_and_sends_nothing(committed, tmp_path):
    resident = User.objects.get(username="jeden-1")
    notice = Notice.objects.create(key="test:no-schema", kind=Notice.Kind.ANNOUNCEMENT,
                                   template="emails/account_closed", context={"closure": "", "closed_at": None})
    row = OutboxMessage.objects.create(notice=notice, recipient=resident, to_address=resident.email)
    with MailSink() as sink, celery_worker(sink, tmp_path / "worker.log"):
        with schema_context("public"):
            result = notices_deliver.apply(args=[[row.pk]])
            notices_deliver.apply_async(args=[[row.pk]])  # and through the worker
        _wait_until(lambda: b"MissingCooperativeSchema" in (tmp_path / "worker.log").read_bytes(), timeout=30)
        received = sink.received
    assert result.failed() and isinstance(result.result, MissingCooperativeSchema)
    assert received == []
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("pending", 0, None)
