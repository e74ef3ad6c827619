"""Each cooperative's own configuration of its instance (a foundation): the settings row (password and
lockout policy, sessions, password reset, modules, the nightly import's hour, branding, e-mail sender,
payments), its selectors and the audited service that changes it, the branding checks (logo, colours) and
the two views that serve them to every visitor (branding_views.py), django-axes' lockout policy and the
e-mail sender. One row per cooperative schema.

The pages that edit it are the staff console's (tenants_portal.console.configuration_views) and, for the
import schedule, the import engine's (billing_views.imports.views).

May import: tenants_portal.audit, cooperatives, iok (and Django). Never the accounts, modules, the ledger
or any surface: they import it.
"""
