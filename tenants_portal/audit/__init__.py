"""The audit trail. Installed in public (operators' actions) and in every cooperative's schema (its
staff's actions and authentication events), so each cooperative's trail stays in its own schema."""
