"""Operators' command: onboard a cooperative in one step, refuse bad or taken slugs."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative, Domain
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent

INVALID = ("The address name “{slug}” is invalid: use 1–40 lowercase letters (a–z), digits and single hyphens, "
           "starting with a letter and not ending with a hyphen.")
TAKEN_PL = "Nazwa w adresie „alfa” jest już zajęta przez inną spółdzielnię."


def test_create_cooperative_makes_schema_domain_and_first_admin_with_a_one_time_password(db):
    out = StringIO()
    call_command("create_cooperative", "--name", "Spółdzielnia Mieszkaniowa „Gamma”", "--slug", "gamma",
                 "--admin-email", "zarzad@gamma.example", "--city", "Katowice", stdout=out)

    cooperative = Cooperative.objects.get(slug="gamma")
    assert cooperative.schema_name == "coop_gamma"
    assert cooperative.status == Cooperative.Status.ACTIVE
    assert list(Domain.objects.filter(tenant=cooperative).values_list("domain", "is_primary")) == [
        ("gamma.localhost", True)]
    password = re.search(r"One-time password .*: (\S+)$", out.getvalue(), re.MULTILINE).group(1)
    assert len(password) == 12
    with schema_context("coop_gamma"):
        admin = User.objects.get()
        assert (admin.username, admin.email, admin.role, admin.must_change_password) == (
            "admin", "zarzad@gamma.example", User.Role.ADMIN, True)
        assert admin.check_password(password)
        assert list(AuditEvent.objects.values_list("action", "target", "actor_login")) == [
            (AuditAction.ACCOUNT_ISSUED, "admin", ""),
            (AuditAction.COOPERATIVE_CREATED, "gamma", "platform:command-line")]
    assert AuditEvent.objects.filter(action=AuditAction.COOPERATIVE_CREATED, target="gamma").count() == 1
    assert Client(HTTP_HOST="gamma.localhost").get("/").status_code == 200


@pytest.mark.parametrize(("slug", "message"), [
    ("alfa", "The address name “alfa” is already taken by another cooperative."),
    ("www", "The address name “www” is reserved by the platform."),
    ("zła nazwa", INVALID.format(slug="zła nazwa")),
    ("-abc", INVALID.format(slug="-abc")),
    ("abc-", INVALID.format(slug="abc-")),
    ("a" * 41, INVALID.format(slug="a" * 41)),
])
def test_create_cooperative_refuses_taken_or_invalid_slug_and_changes_nothing(coop_a, slug, message):
    cooperatives_before = list(Cooperative.objects.values_list("slug", flat=True).order_by("slug"))
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("create_cooperative", "--name", "X", f"--slug={slug}", "--admin-email", "a@b.example")
    assert str(error.value) == message
    assert list(Cooperative.objects.values_list("slug", flat=True).order_by("slug")) == cooperatives_before


def test_refusal_is_in_polish_by_default(coop_a):
    with pytest.raises(CommandError) as error:
        call_command("create_cooperative", "--name", "X", "--slug", "alfa", "--admin-email", "a@b.example")
    assert str(error.value) == TAKEN_PL
