"""Booking online payments against the accounting system's payments: the bank's copy of a payment, once
imported, replaces its provisional entry — in the import's own transaction, so that at no moment does
the ledger hold both, or neither.

An imported payment is the bank's copy of an allocation when it is a payment of the same unit, of the
same amount, whose reference (or description) holds the payment's reference (IOK…) or the gateway's own
identifier of it; each imported entry books at most one allocation."""

import uuid

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import ngettext

from billing_views.models import ImportRun, LedgerEntry
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import Allocation

_MATCHES = """
SELECT a.id, e.id FROM online_payments_allocation a
JOIN online_payments_onlinepayment p ON p.id = a.payment_id
JOIN ledger_ledgerentry e ON e.unit_id = a.unit_id AND e.kind = 'payment' AND e.amount = -a.amount
 AND e.import_run_id IS NOT NULL
 AND (strpos(upper(e.reference || ' ' || e.description), p.reference) > 0
      OR (coalesce(p.external_id, '') <> '' AND strpos(e.reference || ' ' || e.description, p.external_id) > 0))
WHERE a.settled_entry_id IS NULL AND p.status = 'paid'
 AND NOT EXISTS (SELECT 1 FROM online_payments_allocation o WHERE o.settled_entry_id = e.id)
 {condition}
ORDER BY a.id, e.booked_on, e.id
"""


def _settle(pairs: list[tuple[int, int]], *, run: ImportRun | None, acting_user: User | None = None,
            ip_address: str | None = None) -> int:
    """Book each allocation by its imported entry (each entry at most once) and drop the provisional ones."""
    used_allocations: set[int] = set()
    used_entries: set[int] = set()
    chosen: dict[int, int] = {}
    for allocation_id, entry_id in pairs:
        if allocation_id in used_allocations or entry_id in used_entries:
            continue
        used_allocations.add(allocation_id)
        used_entries.add(entry_id)
        chosen[allocation_id] = entry_id
    if not chosen:
        return 0
    now = timezone.now()
    allocations = list(Allocation.objects.filter(pk__in=chosen).select_related("payment"))
    provisional = [allocation.provisional_entry_id for allocation in allocations if allocation.provisional_entry_id]
    for allocation in allocations:
        allocation.settled_entry_id = chosen[allocation.pk]
        allocation.settled_at = now
        allocation.provisional_entry = None
    Allocation.objects.bulk_update(allocations, ["settled_entry", "settled_at", "provisional_entry"])
    LedgerEntry.objects.filter(pk__in=provisional).delete()
    for allocation in allocations:
        audit_record(acting_user=acting_user, action=AuditAction.ONLINE_PAYMENT_BOOKED,
                     target=allocation.payment.reference,
                     details={"unit": allocation.unit_id, "amount": str(allocation.amount),
                              "entry": chosen[allocation.pk], "import": run.pk if run else None},
                     ip_address=ip_address)
    return len(allocations)


def allocations_settle(*, payment_id: uuid.UUID) -> int:
    """A payment just confirmed whose bank copy an earlier import already brought: booked at once."""
    with connection.cursor() as cursor:
        cursor.execute(_MATCHES.format(condition="AND a.payment_id = %s"), [payment_id])
        return _settle(cursor.fetchall(), run=None)


def settle_from_import(cursor: CursorWrapper, run: ImportRun) -> str:
    """The import engine's hook after a payments file is merged (same cursor, same transaction)."""
    cursor.execute(_MATCHES.format(condition="AND e.import_run_id = %s"), [run.pk])
    settled = _settle(cursor.fetchall(), run=run)
    if not settled:
        return ""
    return ngettext("%(count)d online payment booked: its provisional entry was replaced.",
                    "%(count)d online payments booked: their provisional entries were replaced.", settled) % {
        "count": settled}


def allocation_settle_by_entry(*, allocation: Allocation, entry: LedgerEntry, acting_user: User,
                               ip_address: str | None = None) -> None:
    """The office's own booking of an allocation by an imported entry whose reference does not say so; the
    caller (services.allocation_book_by_entry) has checked that the entry may book it."""
    _settle([(allocation.pk, entry.pk)], run=None, acting_user=acting_user, ip_address=ip_address)
