"""Every action the platform writes to an audit log reads in plain words on the office's log page."""

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone, translation

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.labels import (
    ACTION_GROUPS,
    DETAIL_LABELS,
    audit_action_label,
    audit_details_text,
    audit_group_actions,
    audit_target_label,
)
from tenants_portal.audit.models import AuditEvent
from tenants_portal.audit.services import audit_record, audit_record_each

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_every_action_has_a_label_in_polish():
    for action in AuditAction:
        # A member written without a label would get one made up from its name ("Login Succeeded").
        assert action.label != action.name.replace("_", " ").title(), action
        with translation.override("pl"):
            polish = audit_action_label(action)
        with translation.override("en"):
            english = audit_action_label(action)
        assert polish != english, action


def test_the_audit_writer_refuses_an_action_that_is_not_an_audit_action():
    code: Any = AuditAction.LOGIN_SUCCEEDED.value  # the right code, as a plain string
    with pytest.raises(TypeError):
        audit_record(acting_user=None, action=code, target="lokator")
    with pytest.raises(TypeError):
        audit_record_each(acting_user=User(username="biuro"), action=code, entries=[("lokator", {})])


def test_the_log_filter_offers_a_group_for_every_kind_but_a_residents_own_account_actions():
    assert all(audit_group_actions(key) for key, _label in ACTION_GROUPS)
    grouped = {action for key, _label in ACTION_GROUPS for action in audit_group_actions(key)}
    assert set(AuditAction) - grouped == {AuditAction.EMAIL_VERIFIED, AuditAction.CONTACT_CHANGED,
                                          AuditAction.SESSION_ENDED, AuditAction.PASSWORD_CHANGED}


def test_labels_are_polish_for_the_office():
    with translation.override("pl"):
        assert [audit_action_label(action) for action in (
            AuditAction.API_KEY_CREATED, AuditAction.JOB_RETRIED, AuditAction.SUPPORT_VIEWED)] == [
            "Utworzenie klucza API", "Ponowne uruchomienie zadań nocnych", "Wgląd wsparcia platformy"]
        assert audit_action_label("unknown.action") == "unknown.action"


AUDIT_CALLS = {"audit_record", "audit_record_each", "audit_record_in_cooperative", "audit_record_on_platform"}


def _detail_keys_written() -> set[str]:
    """The literal keys of every `details={...}` given to an audit call."""
    keys = set()
    for package in ("tenants_portal", "billing_views", "tasks", "cooperatives", "platform"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = getattr(node, "func", None)
                if getattr(called, "id", getattr(called, "attr", None)) not in AUDIT_CALLS:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "details":
                        keys |= {key.value for found in ast.walk(keyword.value) if isinstance(found, ast.Dict)
                                 for key in found.keys if isinstance(key, ast.Constant)}
    return keys


def test_every_detail_written_has_a_label():
    written = _detail_keys_written()
    assert len(written) > 50
    assert sorted(written - set(DETAIL_LABELS)) == []


def _event(action: AuditAction, target: str = "", **details) -> AuditEvent:
    return AuditEvent(action=action, target=target, details=details)


def test_details_read_in_plain_polish_with_local_times_and_labels_for_codes():
    with translation.override("pl"), timezone.override("Europe/Warsaw"):
        status = _event(AuditAction.FAILURE_STATUS_CHANGED, "failure #2",
                        **{"from": "in_progress", "to": "resolved", "comment": "Wymieniono."})
        assert audit_target_label(status.target) == "zgłoszenie awarii nr 2"
        assert audit_details_text(status) == ["status: w realizacji → załatwione", "komentarz: Wymieniono."]
        assert audit_details_text(_event(AuditAction.FAILURE_COMMENTED, internal=False)) == ["notatka wewnętrzna: nie"]
        assert audit_details_text(_event(AuditAction.FAILURE_REPORTED, urgency="emergency")) == [
            "pilność: nagła (zagrożenie dla ludzi lub mienia)"]
        assert audit_details_text(_event(AuditAction.ACCOUNT_ANONYMISED, closed_at="2026-06-30T22:15:00+00:00")) == [
            "zamknięto: 01.07.2026 00:15"]
        assert audit_details_text(_event(AuditAction.READING_WINDOW_CREATED, starts_on="2026-12-01")) == [
            "data rozpoczęcia: 01.12.2026"]
        assert audit_details_text(_event(AuditAction.NOTICE_PREFERENCES_CHANGED, announcement=False)) == [
            "ogłoszenia zarządcy: nie"]
        assert audit_details_text(_event(AuditAction.GRANT_APPLICATION_RECORDED, identity_document="passport")) == [
            "okazany dokument tożsamości: paszport"]


def test_the_log_page_shows_no_action_codes(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    html = client.get("/biuro/dziennik/").content.decode()
    assert AuditAction.LOGIN_SUCCEEDED.value not in html and "(login." not in html


def test_stored_rows_are_renamed_to_the_new_codes_and_back(coop_a):
    """Rows written before the codes took one shape read with their labels after the migration."""
    migration = importlib.import_module("tenants_portal.audit.migrations.0002_action_codes")
    with coop_a.use():
        renamed = AuditEvent.objects.create(action="meters.reading_submit", target="AP-23-1001")
        kept = AuditEvent.objects.create(action="login.succeeded", target="lokator")
        migration.forwards(apps, None)
        assert [AuditEvent.objects.get(pk=event.pk).action for event in (renamed, kept)] == [
            AuditAction.READING_SUBMITTED, AuditAction.LOGIN_SUCCEEDED]
        migration.backwards(apps, None)
        assert [AuditEvent.objects.get(pk=event.pk).action for event in (renamed, kept)] == [
            "meters.reading_submit", "login.succeeded"]
    assert set(migration.OLD_TO_NEW.values()) <= set(AuditAction.values)
