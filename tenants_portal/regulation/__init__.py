"""The cooperative's IOK regulation (Regulamin), its versions and residents' acceptances, and the
consents for purposes beyond the statutory ones (Hutnik's regulation, point 16).

Layer: foundations (the top one). It may import tenants_portal.accounts, .modules, .configuration,
.audit, cooperatives and iok."""
