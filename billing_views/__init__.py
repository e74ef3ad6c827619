"""The ledger (rozrachunki): charges, payments and balances per unit, the statement, exports and charts,
and the resident's and staff's views of them; billing_views.imports is the one import engine.

Layer: lower domain (below tenants_portal.access, above notices and registry). It may import
tenants_portal.notices, .registry, .regulation, .accounts, .modules, .configuration, .audit,
cooperatives and iok; never the modules, tasks or the surfaces."""
