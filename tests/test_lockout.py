"""Brute-force protection per cooperative + login and per IP, without user enumeration."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenants_portal.access.services import account_unlock
from tenants_portal.accounts.models import User

from .conftest import PASSWORD

# The lockout's cost and timing are those of the real hasher.
pytestmark = pytest.mark.argon2


def _attempt(client, login, password="wrong-password-1", ip="10.0.0.1"):
    client.cookies["django_language"] = "en"
    return client.post("/logowanie/", {"username": login, "password": password}, REMOTE_ADDR=ip)


def test_fifth_failure_locks_the_login_and_even_the_right_password_is_refused(coop_a):
    client = coop_a.client()
    for _ in range(4):
        assert _attempt(client, "lokator").status_code == 200
    assert _attempt(client, "lokator").status_code == 429
    locked = _attempt(client, "lokator", PASSWORD, ip="10.0.0.2")
    assert locked.status_code == 429
    assert "Sign-in temporarily blocked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_in_one_cooperative_does_not_touch_the_same_login_in_the_other(coop_a, coop_b):
    for _ in range(5):
        _attempt(coop_a.client(), "lokator")
    assert _attempt(coop_a.client(), "lokator", PASSWORD, ip="10.0.0.9").status_code == 429
    assert _attempt(coop_b.client(), "lokator", PASSWORD).status_code == 302
    with coop_b.use():
        assert AccessAttempt.objects.count() == 0


def test_messages_do_not_reveal_whether_a_login_exists(coop_a):
    existing = _attempt(coop_a.client(), "lokator", ip="10.0.1.1")
    missing = _attempt(coop_a.client(), "nie-ma-takiego", ip="10.0.1.2")
    assert existing.context["form"].non_field_errors() == missing.context["form"].non_field_errors()
    for _ in range(5):
        _attempt(coop_a.client(), "nie-ma-takiego", ip="10.0.2.1")
        _attempt(coop_a.client(), "lokator", ip="10.0.3.1")
    locked_missing = _attempt(coop_a.client(), "nie-ma-takiego", ip="10.0.4.1")
    locked_existing = _attempt(coop_a.client(), "lokator", ip="10.0.4.2")
    assert locked_missing.status_code == locked_existing.status_code == 429
    assert locked_missing.content == locked_existing.content


def test_an_ip_trying_many_logins_is_locked_too(coop_a):
    for number in range(5):
        _attempt(coop_a.client(), f"login{number}", ip="10.9.9.9")
    assert _attempt(coop_a.client(), "lokator", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _attempt(coop_a.client(), "lokator", PASSWORD, ip="10.9.9.8").status_code == 302


def test_cool_off_is_finite(coop_a):
    for _ in range(5):
        _attempt(coop_a.client(), "lokator")
    with coop_a.use():
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _attempt(coop_a.client(), "lokator", PASSWORD).status_code == 302


def test_office_unlock_lifts_the_lockout_and_is_audited(coop_a):
    for _ in range(5):
        _attempt(coop_a.client(), "lokator")
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post(f"/biuro/konta/{coop_a.resident.pk}/unlock/")
    assert response.status_code == 302
    assert _attempt(coop_a.client(), "lokator", PASSWORD, ip="10.0.0.1").status_code == 302
    with coop_a.use():
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.models import AuditEvent

        event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNLOCKED)
        assert (event.actor_login, event.target) == ("biuro", "lokator")


def test_service_unlock_counts_cleared_attempts(coop_a):
    for _ in range(2):
        _attempt(coop_a.client(), "lokator")
    with coop_a.use():
        assert account_unlock(acting_user=User.objects.get(username="biuro"),
                              account=User.objects.get(username="lokator")) == 1


def test_a_successful_sign_in_clears_its_login_and_address_failures_and_expired_ones_only(coop_a):
    client = coop_a.client()
    for _ in range(3):
        _attempt(client, "lokator", ip="10.0.0.7")
    _attempt(client, "obcy", ip="10.0.0.8")  # another login from another address stays
    with coop_a.use():
        old = AccessAttempt.objects.create(username="dawny", ip_address="10.0.0.9", user_agent="", http_accept="",
                                           path_info="/logowanie/", failures_since_start=2)
        AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=2))  # expired
    assert _attempt(client, "lokator", PASSWORD, ip="10.0.0.7").status_code == 302
    with coop_a.use():
        assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("obcy", 1)]


def test_a_sign_in_reads_the_failures_in_one_statement_and_clears_them_in_one(coop_a):
    client = coop_a.client()
    _attempt(client, "lokator", ip="10.0.0.7")
    with CaptureQueriesContext(connection) as statements:
        assert _attempt(client, "lokator", PASSWORD, ip="10.0.0.7").status_code == 302
    lockout = [query["sql"].split()[0] for query in statements.captured_queries
               if "axes_accessattempt" in query["sql"]]
    assert lockout == ["SELECT", "DELETE"]
    with coop_a.use():
        assert AccessAttempt.objects.count() == 0
