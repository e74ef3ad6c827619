"""The cooperatives registry (public schema), core: each cooperative is a tenant with its own schema; the
tenant and domain models, the routing table and middleware, the schema template, password-policy presets
and module names, reads of the cooperatives' own rows. Onboarding is operators', the demo is the
composition root's (demo).

May import only iok."""
