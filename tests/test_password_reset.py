"""Password reset by e-mail only where the cooperative enables it, only to a verified address."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tasks.accounts_jobs import password_reset_mail
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tests.conftest import notices_deliver_waiting


def _enable(coop, verified=True):
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(password_reset_by_email=True)
        User.objects.filter(pk=coop.resident.pk).update(
            email="jan@example.com", email_verified_at=timezone.now() if verified else None)


def test_without_the_setting_the_page_sends_residents_to_the_office(coop_a):
    page = coop_a.client().get("/haslo/nie-pamietam/")
    assert page.templates[0].name == "accounts/password_forgotten_office.html"
    coop_a.client().post("/haslo/nie-pamietam/", {"email": "jan@example.com"})
    assert mail.outbox == []


def _reset_job_run(coop, email: str) -> int:
    """What the worker does with the job the form enqueued (the task itself, run here)."""
    with coop.use():
        return password_reset_mail.apply(kwargs={"email": email}).get()


def _reset_requested(coop, email: str, capture) -> tuple[object, list[str], int]:
    """POSTs the form; the answer, the SQL it ran and how many jobs it would enqueue after commit."""
    client = coop.client()
    with CaptureQueriesContext(connection) as queries, capture(execute=False) as callbacks:
        response = client.post("/haslo/nie-pamietam/", {"email": email})
    return response, [query["sql"] for query in queries.captured_queries], len(callbacks)


@pytest.mark.parametrize("verified", [True, False])
def test_the_form_does_the_same_work_whoever_has_the_address(coop_a, django_capture_on_commit_callbacks, verified):
    _enable(coop_a, verified=verified)
    _reset_requested(coop_a, "pierwszy@example.com", django_capture_on_commit_callbacks)  # routing and settings cached
    known, known_sql, known_jobs = _reset_requested(coop_a, "jan@example.com", django_capture_on_commit_callbacks)
    unknown, unknown_sql, unknown_jobs = _reset_requested(coop_a, "nikt@example.com",
                                                          django_capture_on_commit_callbacks)
    assert known["Location"] == unknown["Location"] == "/haslo/nie-pamietam/wyslano/"
    assert known_sql == unknown_sql
    assert not any("accounts_user" in sql for sql in known_sql)  # the address is not even looked up
    assert known_jobs == unknown_jobs == 1


def test_unverified_or_unknown_address_gets_no_mail(coop_a):
    _enable(coop_a, verified=False)
    assert _reset_job_run(coop_a, "jan@example.com") == 0
    assert _reset_job_run(coop_a, "nikt@example.com") == 0
    assert notices_deliver_waiting(coop_a) == []
    assert mail.outbox == []


def test_reset_link_sets_a_password_under_the_policy_and_ends_other_sessions(coop_a):
    _enable(coop_a)
    other_device = coop_a.client_logged_in_as(coop_a.resident)
    Client(HTTP_HOST=f"{coop_a.host}:8443").post("/haslo/nie-pamietam/", {"email": "jan@example.com"})
    assert _reset_job_run(coop_a, "jan@example.com") == 1
    notices_deliver_waiting(coop_a)
    assert len(mail.outbox) == 1
    # From the cooperative's primary domain and the configured scheme, never the request's Host and port.
    path = re.search(r"https://alfa\.localhost(/haslo/nowe/\S+/)", mail.outbox[0].body).group(1)
    client = coop_a.client()
    client.cookies["django_language"] = "en"
    form_page = client.get(path, follow=True)
    set_path = form_page.redirect_chain[-1][0]
    refused = client.post(set_path, {"new_password1": "xyzq", "new_password2": "xyzq"})
    assert refused.context["form"].errors == {"new_password1": [
        "The password must be at least 6 characters long.", "The password must contain at least one digit."]}
    done = client.post(set_path, {"new_password1": "Nowe-haslo-9", "new_password2": "Nowe-haslo-9"})
    assert done["Location"] == "/haslo/nowe/gotowe/"
    assert other_device.get("/konto/")["Location"] == "/logowanie/?next=/konto/"
    coop_a.client_logged_in_as(coop_a.resident, password="Nowe-haslo-9")
