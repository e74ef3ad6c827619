"""Account e-mails that must not make a request's timing depend on who has an account."""

from tenants_portal.access.services import password_reset_send

from .celery import app


@app.task(name="tasks.accounts_jobs.password_reset_mail")
def password_reset_mail(email: str) -> int:
    """The forgotten-password form's job, in the cooperative's schema: a link to each account that may have one."""
    return password_reset_send(email=email)
