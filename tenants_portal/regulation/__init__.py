"""The cooperative's IOK regulation (Regulamin), its versions and residents' acceptances, the consents for
purposes beyond the statutory ones (Hutnik's regulation, point 16), and the first sign-in gate
(middleware.py: accept the regulation, replace the one-time password).

A foundation: may import accounts, modules, configuration, audit and the core (cooperatives, iok)."""
