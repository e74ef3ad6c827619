"""The account lifecycle, its one home (lower domain, top): the one user-creation path (services.account_create)
used by office issuing, staff accounts, onboarding's first admin and the demo; access applications, issuing
credentials, resets by the office, unlocking, closing, reopening and anonymising accounts; staff accounts; the
resident's own account (contact data, e-mail verification, a forgotten password, account e-mails) and the
personal-data export that modules register sections into (export.py); the office's pages and the resident's
own-account pages (views.py, account_views.py).

May import billing_views, the notices, the registry, the foundations (regulation, accounts, modules,
configuration, audit) and the core (cooperatives, iok); never the modules, tasks or the surfaces."""
