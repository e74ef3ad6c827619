"""The ledger (rozrachunki): charges, payments and balances per unit, the resident's views of them and their
statements; and the one import engine (billing_views.imports) that loads the accounting system's files.

Lower domain: may import tenants_portal.notices, tenants_portal.registry, the foundations (regulation,
accounts, modules, configuration, audit) and the core (cooperatives, iok). Never the modules, the account
lifecycle (tenants_portal.access), tasks or a surface.
"""
