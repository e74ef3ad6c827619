"""Failure reports (zgłoszenia awarii): residents report, staff work the queue.

Layer: modules (it never imports the other modules: meters, failures, announcements, documents). It
may import tenants_portal.access, billing_views, tenants_portal.notices and .registry, the foundations,
cooperatives and iok; never tasks or the surfaces (it starts jobs by name through iok.jobs)."""
