"""Password reset by e-mail only where the cooperative enables it, only to a verified address."""

import re

from django.core import mail
from django.utils import timezone

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


def test_unverified_or_unknown_address_gets_the_same_answer_and_no_mail(coop_a):
    _enable(coop_a, verified=False)
    known = coop_a.client().post("/haslo/nie-pamietam/", {"email": "jan@example.com"})
    unknown = coop_a.client().post("/haslo/nie-pamietam/", {"email": "nikt@example.com"})
    assert known["Location"] == unknown["Location"] == "/haslo/nie-pamietam/wyslano/"
    assert notices_deliver_waiting(coop_a) == []
    assert mail.outbox == []


def test_reset_link_sets_a_password_under_the_policy_and_ends_other_sessions(coop_a):
    _enable(coop_a)
    other_device = coop_a.client_logged_in_as(coop_a.resident)
    coop_a.client().post("/haslo/nie-pamietam/", {"email": "jan@example.com"})
    notices_deliver_waiting(coop_a)
    assert len(mail.outbox) == 1
    path = re.search(r"http://alfa\.localhost(/haslo/nowe/\S+/)", mail.outbox[0].body).group(1)
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
