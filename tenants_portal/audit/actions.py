"""Every action the audit trail knows, each with the words the audit log shows for it.

Codes read `<noun>.<past participle>`: the thing acted on, then what happened to it. A new action is a new
member here; tenants_portal/audit/migrations renames stored rows when a code changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Sign-ins and the resident's own account.
    LOGIN_SUCCEEDED = "login.succeeded", _("Signed in")
    LOGIN_FAILED = "login.failed", _("Failed sign-in")
    SESSION_ENDED = "session.ended", _("Signed out")
    PASSWORD_CHANGED = "password.changed", _("Changed the password")
    CONTACT_CHANGED = "contact.changed", _("Contact data changed")
    EMAIL_VERIFIED = "email.verified", _("E-mail address confirmed")
    CONSENT_GIVEN = "consent.given", _("Consent given")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Consent withdrawn")
    NOTICE_PREFERENCES_CHANGED = "notice_preferences.changed", _("E-mail notice choices changed")
    PASSKEY_ADDED = "passkey.added", _("Passkey added")
    PASSKEY_REMOVED = "passkey.removed", _("Passkey removed")
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled", _("Second factor set up")
    SECOND_FACTOR_REMOVED = "second_factor.removed", _("Second factor turned off or reset")
    RECOVERY_CODES_GENERATED = "recovery_codes.generated", _("New recovery codes generated")
    RECOVERY_CODE_USED = "recovery_code.used", _("Recovery code used")

    # Residents' accounts and access applications, kept by the office.
    ACCOUNT_ISSUED = "account.issued", _("Account issued")
    ONE_TIME_PASSWORD_ISSUED = "one_time_password.issued", _("New one-time password issued")
    ACCOUNT_UNLOCKED = "account.unlocked", _("Sign-in unlocked")
    PASSKEYS_REMOVED = "passkeys.removed", _("Passkeys removed by the office")
    ACCOUNT_CLOSED = "account.closed", _("Account closed")
    ACCOUNT_REOPENED = "account.reopened", _("Account reopened")
    ACCOUNT_ANONYMISED = "account.anonymised", _("Account anonymised")
    GRANT_APPLICATION_RECORDED = "grant_application.recorded", _("Application to grant access recorded")
    WITHDRAWAL_APPLICATION_RECORDED = "withdrawal_application.recorded", _("Application to withdraw access recorded")

    # The cooperative's rules, configuration and staff.
    REGULATION_PUBLISHED = "regulation.published", _("Regulation version published")
    REGULATION_ACCEPTED = "regulation.accepted", _("Regulation accepted")
    CONFIGURATION_CHANGED = "configuration.changed", _("Configuration changed")
    DOMAIN_ADDED = "domain.added", _("Own address (domain) added")
    DOMAIN_VERIFIED = "domain.verified", _("Own address (domain) verified in DNS")
    DOMAIN_PRIMARY_CHANGED = "domain_primary.changed", _("Main address changed")
    DOMAIN_REMOVED = "domain.removed", _("Own address (domain) removed")
    OLD_LINK_ADDED = "old_link.added", _("Redirect of an old link added")
    OLD_LINK_REMOVED = "old_link.removed", _("Redirect of an old link removed")
    STAFF_CREATED = "staff.created", _("Staff account created")
    STAFF_ROLE_CHANGED = "staff_role.changed", _("Staff member's role changed")

    # The registry.
    ESTATE_CREATED = "estate.created", _("Estate added")
    ESTATE_CHANGED = "estate.changed", _("Estate changed")
    ESTATE_DELETED = "estate.deleted", _("Estate deleted")
    BUILDING_CREATED = "building.created", _("Building added")
    BUILDING_CHANGED = "building.changed", _("Building changed")
    BUILDING_DELETED = "building.deleted", _("Building deleted")
    UNIT_CREATED = "unit.created", _("Unit added")
    UNIT_CHANGED = "unit.changed", _("Unit changed")
    UNIT_DELETED = "unit.deleted", _("Unit deleted")
    OFFICE_CREATED = "office.created", _("Office added")
    OFFICE_CHANGED = "office.changed", _("Office changed")
    OFFICE_DELETED = "office.deleted", _("Office deleted")
    OFFICE_BUILDINGS_CHANGED = "office_buildings.changed", _("Buildings served by an office changed")

    # Imports.
    IMPORT_RECEIVED = "import.received", _("Import file received")
    IMPORT_RETRIED = "import.retried", _("Import run again")
    IMPORT_CONFIRMED = "import.confirmed", _("Older import file confirmed to be applied again")
    INBOX_IMPORT_STARTED = "inbox_import.started", _("Import of the folder's files started")

    # The modules.
    FAILURE_REPORTED = "failure.reported", _("Failure reported")
    FAILURE_STATUS_CHANGED = "failure_status.changed", _("Failure report status changed")
    FAILURE_ASSIGNED = "failure.assigned", _("Failure report assigned")
    FAILURE_COMMENTED = "failure.commented", _("Failure report commented")
    READING_SUBMITTED = "reading.submitted", _("Meter reading submitted")
    READING_ACCEPTED = "reading.accepted", _("Meter reading accepted")
    READING_REJECTED = "reading.rejected", _("Meter reading rejected")
    READING_RECORDED = "reading.recorded", _("Meter reading recorded by the office")
    READINGS_IMPORTED = "readings.imported", _("Meter readings imported")
    READING_WINDOW_CREATED = "reading_window.created", _("Reading window set")
    READING_REMINDER_SENT = "reading_reminder.sent", _("Reading reminder sent")
    METER_SETTINGS_CHANGED = "meter_settings.changed", _("Meter reading settings changed")
    ANNOUNCEMENT_CREATED = "announcement.created", _("Announcement written")
    ANNOUNCEMENT_CHANGED = "announcement.changed", _("Announcement changed")
    ANNOUNCEMENT_SENT = "announcement.sent", _("Announcement e-mailed")
    ANNOUNCEMENT_WITHDRAWN = "announcement.withdrawn", _("Announcement withdrawn")
    DOCUMENT_UPLOADED = "document.uploaded", _("Document added")
    DOCUMENT_CHANGED = "document.changed", _("Document changed")
    DOCUMENT_FILE_REPLACED = "document_file.replaced", _("Document's file replaced")
    DOCUMENT_ARCHIVED = "document.archived", _("Document archived")
    DOCUMENT_UNARCHIVED = "document.unarchived", _("Document restored")

    # Online payments.
    ONLINE_PAYMENT_STARTED = "online_payment.started", _("Online payment started")
    ONLINE_PAYMENT_PAID = "online_payment.paid", _("Online payment confirmed by the gateway")
    ONLINE_PAYMENT_FAILED = "online_payment.failed", _("Online payment cancelled at the gateway")
    ONLINE_PAYMENT_EXPIRED = "online_payment.expired", _("Online payment expired unpaid")
    ONLINE_PAYMENT_REFUNDED = "online_payment.refunded", _("Online payment refunded by the gateway")
    ONLINE_PAYMENT_BOOKED = "online_payment.booked", _("Online payment booked from the accounting system")
    ONLINE_PAYMENTS_EXPORTED = "online_payments.exported", _("Online payments exported for the accounting system")
    PAYMENT_GATEWAY_CHANGED = "payment_gateway.changed", _("Payment gateway settings changed")

    # Fee-change notices.
    FEE_CHANGE_IMPORTED = "fee_change.imported", _("Fee schedule imported into a fee change")
    FEE_CHANGE_JUSTIFIED = "fee_change.justified", _("Justification of a fee change given")
    FEE_CHANGE_SENT = "fee_change.sent", _("Fee change sent to residents")
    FEE_CHANGE_SETTINGS_CHANGED = "fee_change_settings.changed", _("Fee change settings changed")
    FEE_CHANGE_PAPER_DELIVERED = "fee_change.paper_delivered", _("Paper delivery of a fee change notice recorded")
    FEE_NOTICE_OPENED = "fee_notice.opened", _("Fee change notice opened by the resident (receipt)")
    FEE_NOTICES_MOVED_TO_PAPER = "fee_notices.moved_to_paper", _("Unopened fee change notices moved to paper")
    FEE_CHANGE_EXPORTED = "fee_change.exported", _("Delivery of a fee change exported for the board")

    # Matters with the office.
    MATTER_FILED = "matter.filed", _("Matter filed with the office")
    MATTER_REPLIED = "matter.replied", _("Reply in a matter")
    MATTER_STATUS_CHANGED = "matter_status.changed", _("Status of a matter changed")
    MATTER_ASSIGNED = "matter.assigned", _("Matter assigned")
    MATTER_REGISTER_EXPORTED = "matter_register.exported", _("Correspondence register exported")
    MATTER_TOPICS_CHANGED = "matter_topics.changed", _("Matter topics changed")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate of no arrears issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate of no arrears revoked")

    # The API: keys of systems, sign-ins of apps.
    API_KEY_CREATED = "api_key.created", _("API key created")
    API_KEY_REVOKED = "api_key.revoked", _("API key revoked")
    API_KEY_ROTATED = "api_key.rotated", _("API key's secret replaced")
    API_KEY_SCOPES_CHANGED = "api_key_scopes.changed", _("API key's permissions changed")
    API_KEY_USED = "api_key.used", _("File sent with an API key")
    API_TOKEN_ISSUED = "api_token.issued", _("Signed in to the app")
    API_TOKEN_REVOKED = "api_token.revoked", _("Signed out of the app")
    API_TOKENS_REVOKED = "api_tokens.revoked", _("App sign-ins ended")

    # Background work run again by hand.
    NOTICE_RETRIED = "notice.retried", _("E-mails sent again")
    JOB_RETRIED = "job.retried", _("Nightly jobs run again")

    # The platform: its support and the cooperative's service.
    SUPPORT_GRANTED = "support.granted", _("Platform support given access")
    SUPPORT_REVOKED = "support.revoked", _("Platform support's access withdrawn")
    SUPPORT_VIEWED = "support.viewed", _("Viewed by platform support")
    COOPERATIVE_CREATED = "cooperative.created", _("Cooperative set up on the platform")
    COOPERATIVE_SUSPENDED = "cooperative.suspended", _("Cooperative's service suspended")
    COOPERATIVE_REACTIVATED = "cooperative.reactivated", _("Cooperative's service resumed")
