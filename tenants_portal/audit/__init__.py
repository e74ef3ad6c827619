"""The audit trail: who did what, when. Installed in public (operators' actions) and in every cooperative's
schema (its staff's actions and authentication events), so each cooperative's trail stays in its own schema.

Holds the vocabulary (actions.AuditAction, each action with its label), the one writer (services.audit_record)
and how rows read (labels: modules register how their details read, so this package never imports them).

Layer: foundations; imports only the core (cooperatives, iok)."""
