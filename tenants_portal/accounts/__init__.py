"""User accounts, a foundation: the User model, the role table (roles.py), passwords and the password policy,
the authentication backends (the password, and residents' passkeys: passkeys.py), session limits, the
session-timeout middleware, sign-in audit signals, the sign-in and password-change pages, and the second
factor of staff and operators (second_factor.py with its pages: TOTP and recovery codes through django-otp,
the sign-in's second step, the check before sensitive actions). Installed in the public schema (platform
operators) and in every cooperative's schema (its staff and residents), so the same login in two cooperatives
is two unrelated users. How accounts are created, issued and closed is tenants_portal.access.

May import only modules, configuration, audit and the core (cooperatives, iok)."""
