"""The platform site on BASE_DOMAIN, a surface: the landing page, the operators' console (onboarding,
suspending and reactivating cooperatives, their usage figures; the create_cooperative command) and support
access (public schema); a cooperative admin's page granting support access (tenant_views.py).

May import tasks, the domain, the foundations and the core; never config, devstack, the demo or the other
surfaces (portal, console, api)."""
