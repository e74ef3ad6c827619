"""Group `fanout`: an announcement to 10,000 residents, through a real Celery worker to a loopback SMTP server.

fanout_enqueue_seconds: from the staff's "publish" (the service call) until its transaction has committed
and every batch task is on the queue. fanout_delivery_seconds: from the same start until the SMTP server
has accepted all 10,000. fanout_duplicates: messages received beyond one per recipient (must be 0),
counted after a grace period in which any late duplicate would arrive.
"""

import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from devstack.mailsink import MailSink
from devstack.residents import residents_create
from devstack.worker import celery_worker
from operators.services import cooperative_create

SLUG = "rozsylka"
RESIDENTS = 10_000
DELIVERY_LIMIT_SECONDS = 600


def _cooperative() -> Cooperative:
    cooperative = Cooperative.objects.filter(slug=SLUG).first()
    if cooperative is None:
        cooperative = cooperative_create(name="Spółdzielnia Mieszkaniowa „Rozsyłka”", slug=SLUG,
                                         admin_email="admin@rozsylka.example", street="ul. Pocztowa 1",
                                         postal_code="41-200", city="Sosnowiec").cooperative
        with schema_context(cooperative.schema_name):
            started = time.perf_counter()
            residents_create(count=RESIDENTS, prefix="mieszkaniec")
            print(f"  {RESIDENTS} residents created in {time.perf_counter() - started:.1f} s")
    return cooperative


def run() -> None:
    from tenants_portal.accounts.models import User
    from tenants_portal.announcements.models import Announcement
    from tenants_portal.announcements.services import announcement_create
    from tenants_portal.notices.models import Notice, OutboxMessage

    cooperative = _cooperative()
    with schema_context(cooperative.schema_name):
        Notice.objects.all().delete()
        Announcement.objects.all().delete()
        admin = User.objects.get(username="admin")
    log = Path(tempfile.mkdtemp(prefix="iok-bench-fanout-")) / "worker.log"
    environment = dict(os.environ)
    with MailSink() as sink:
        environment["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
        with celery_worker(environment=environment, log=log, queue=settings.CELERY_TASK_DEFAULT_QUEUE):
            with schema_context(cooperative.schema_name):
                started = time.perf_counter()
                announcement_create(acting_user=admin, title="Zebranie mieszkańców",
                                    body="Zapraszamy na zebranie w sali osiedlowej.", scope="cooperative")
                enqueued = time.perf_counter() - started
            deadline = time.monotonic() + DELIVERY_LIMIT_SECONDS
            while len(sink.received) < RESIDENTS and time.monotonic() < deadline:
                time.sleep(0.05)
            delivered = time.perf_counter() - started
            time.sleep(3)  # any duplicate would arrive now
            received = sink.received
    with schema_context(cooperative.schema_name):
        statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
    per_recipient = Counter(item.to[0] for item in received)
    duplicates = sum(count - 1 for count in per_recipient.values())
    batches = -(-RESIDENTS // settings.NOTICES_BATCH_SIZE)
    print(f"  {len(per_recipient)} of {RESIDENTS} recipients reached, {len(received)} messages in all; "
          f"outbox: {dict(statuses)}; {batches} batch tasks of {settings.NOTICES_BATCH_SIZE}")
    print(f"  {RESIDENTS / delivered:.0f} messages/s through 2 worker processes")
    print(f"BENCH fanout_enqueue_seconds {enqueued:.2f}")
    print(f"BENCH fanout_delivery_seconds {delivered:.1f}")
    print(f"BENCH fanout_duplicates {duplicates}")
    connection.set_schema_to_public()
