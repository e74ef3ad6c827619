"""Custom domains waiting for their DNS records: checked again every few minutes (the work is
tenants_portal.configuration.domains')."""

from django_tenants.utils import schema_context

from tenants_portal.configuration.domains import custom_domain_check, domains_pending

from .celery import app


@app.task(platform_task=True, name="tasks.domains_jobs.domains_verify_pending")
def domains_verify_pending() -> dict[str, int]:
    """Every pending domain still within its checking period, in its cooperative's schema (the audit row of a
    verification goes to that cooperative's trail). Idempotent: a domain verified or removed meanwhile is skipped."""
    verified = 0
    pending = domains_pending()
    for schema_name, domain_id in pending:
        with schema_context(schema_name):
            domain = custom_domain_check(domain_id=domain_id, actor_login="system")
        verified += int(domain is not None and domain.is_verified)
    return {"checked": len(pending), "verified": verified}
