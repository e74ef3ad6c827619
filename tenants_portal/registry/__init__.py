"""The cooperative's property registry: estates, buildings, units and the offices serving them, the
people and which units are theirs.

Layer: lower domain (beside tenants_portal.notices, which it never imports; below billing_views). It
may import the foundations (regulation, accounts, modules, configuration, audit), cooperatives and iok."""
