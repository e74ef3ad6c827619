"""Every action the platform writes to an audit log reads in plain words on the office's log page."""

import ast
import re
from pathlib import Path

from django.utils import timezone, translation

from tenants_portal.audit.labels import (
    ACTION_GROUPS,
    ACTION_LABELS,
    DETAIL_LABELS,
    audit_action_label,
    audit_details_text,
    audit_target_label,
)
from tenants_portal.audit.models import AuditEvent

REPO_ROOT = Path(__file__).resolve().parents[1]
ACTION_LITERAL = re.compile(r'\baction="([a-z_.]+)"')


def _actions_written() -> set[str]:
    written = set()
    for package in ("tenants_portal", "billing_views", "tasks", "cooperatives", "platform"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                written |= set(ACTION_LITERAL.findall(path.read_text(encoding="utf-8")))
    return written


def test_every_action_written_has_a_label():
    written = _actions_written()
    assert len(written) > 60  # the scan finds the audit calls at all
    assert sorted(written - set(ACTION_LABELS)) == []


def test_the_log_filter_offers_a_group_for_every_kind_but_a_residents_own_account_actions():
    groups = {prefix for prefix, _label in ACTION_GROUPS}
    outside = sorted(action for action in ACTION_LABELS if action.split(".")[0] not in groups)
    assert outside == ["contact.email_verified", "contact.updated", "logout", "password.changed"]


def test_labels_are_polish_for_the_office():
    with translation.override("pl"):
        assert [audit_action_label(action) for action in ("api.key_created", "jobs.retried", "support.viewed")] == [
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


def _event(action: str, target: str = "", **details) -> AuditEvent:
    return AuditEvent(action=action, target=target, details=details)


def test_details_read_in_plain_polish_with_local_times_and_labels_for_codes():
    with translation.override("pl"), timezone.override("Europe/Warsaw"):
        status = _event("failures.status_changed", "failure #2", **{"from": "in_progress", "to": "resolved",
                                                                   "comment": "Wymieniono."})
        assert audit_target_label(status.target) == "zgłoszenie awarii nr 2"
        assert audit_details_text(status) == ["status: w realizacji → załatwione", "komentarz: Wymieniono."]
        assert audit_details_text(_event("failures.commented", internal=False)) == ["notatka wewnętrzna: nie"]
        assert audit_details_text(_event("failures.reported", urgency="emergency")) == [
            "pilność: nagła (zagrożenie dla ludzi lub mienia)"]
        assert audit_details_text(_event("account.anonymised", closed_at="2026-06-30T22:15:00+00:00")) == [
            "zamknięto: 01.07.2026 00:15"]
        assert audit_details_text(_event("meters.window_create", starts_on="2026-12-01")) == [
            "data rozpoczęcia: 01.12.2026"]
        assert audit_details_text(_event("notices.preferences_changed", announcement=False)) == [
            "ogłoszenia zarządcy: nie"]
        assert audit_details_text(_event("application.grant", identity_document="passport")) == [
            "okazany dokument tożsamości: paszport"]


def test_the_log_page_shows_no_action_codes(coop_a):
    client = coop_a.client_logged_in_as(coop_a.admin)
    html = client.get("/biuro/dziennik/").content.decode()
    assert "login.succeeded" not in html and "(login." not in html
