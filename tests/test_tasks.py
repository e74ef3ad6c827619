"""Celery tasks carry the cooperative's schema and refuse to run without one."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tasks.base import MissingCooperativeSchema
from tasks.jobs import sessions_clear_expired


def _expired_session() -> str:
    store = SessionStore()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    return store.session_key


def test_a_cooperative_task_sent_without_a_schema_fails_loudly(coop_a):
    with schema_context(coop_a.schema_name):
        expired = _expired_session()
    assert connection.schema_name == "public"

    result = sessions_clear_expired.apply()

    assert result.failed()
    assert isinstance(result.result, MissingCooperativeSchema)
    with schema_context(coop_a.schema_name):
        assert Session.objects.filter(session_key=expired).exists()  # nothing was touched


def test_a_cooperative_task_runs_in_the_schema_it_was_sent_from(coop_a, coop_b):
    with schema_context(coop_a.schema_name):
        expired_a = _expired_session()
    with schema_context(coop_b.schema_name):
        expired_b = _expired_session()

    with schema_context(coop_a.schema_name):
        result = sessions_clear_expired.apply()
        assert result.successful()
        assert result.result == 1
        assert not Session.objects.filter(session_key=expired_a).exists()
    with schema_context(coop_b.schema_name):
        assert Session.objects.filter(session_key=expired_b).exists()


@pytest.mark.parametrize("option", ["acks_late", "reject_on_worker_lost"])
def test_cooperative_tasks_are_acknowledged_late_and_redelivered_when_a_worker_dies(option):
    assert getattr(sessions_clear_expired, option) is True


def test_nightly_closure_task_runs_in_the_cooperatives_schema(coop_a):
    import datetime

    from tasks.jobs import accounts_close_titles_ended
    from tenants_portal.registry.models import LegalTitle

    with schema_context(coop_a.schema_name):
        LegalTitle.objects.filter(person__account__username="obcy").update(end_date=datetime.date(2020, 1, 1))
        result = accounts_close_titles_ended.apply()
    assert result.result == ["obcy"]
    assert accounts_close_titles_ended.apply().failed()  # and never in public
