"""Notices (e-mails) to residents and staff, all in this one package: sending (services.notice_send, the
one way to send), the outbox's delivery (delivery.py: claimed before sending, batches, retries, the sweep),
the e-mail templates (templates/emails/, looked up as "emails/<name>"), each resident's preferences of
what to get, and the staff page of e-mails that failed. The Celery entry points of the delivery are thin
tasks in tasks/notices_jobs.py, started by name (iok.jobs).

May import: tenants_portal.regulation and everything below it (accounts, modules, configuration, audit,
cooperatives, iok). Never the ledger, the modules, tasks or a surface.
"""
