"""Meter readings (odczyty liczników): meters per unit, readings, the residents' own readings, charts.
Reading files are imported through the one engine, billing_views.imports.

Layer: modules (it never imports the other modules: meters, failures, announcements, documents). It
may import tenants_portal.access, billing_views, tenants_portal.notices and .registry, the foundations,
cooperatives and iok; never tasks or the surfaces (it starts jobs by name through iok.jobs)."""
