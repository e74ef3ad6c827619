"""The cooperatives registry (public schema): each cooperative is a tenant with its own schema. Holds the
Cooperative and Domain models, the cached host -> cooperative routing table and its middleware, the
template schema new cooperatives are cloned from, and the faster migrate_schemas executor.

Layer: core, above iok. It may import iok only."""
