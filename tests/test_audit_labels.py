"""Every action the platform writes to an audit log reads in plain words on the office's log page."""

import re
from pathlib import Path

from django.utils import translation

from tenants_portal.audit.labels import ACTION_GROUPS, ACTION_LABELS, audit_action_label

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
