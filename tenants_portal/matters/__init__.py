"""Matters with the office (sprawy): a resident writes to the office on a topic of the cooperative's list, the
matter is entered in the correspondence register (KOR/<year>/<number>, gap-free per year), answered both ways
and closed with an outcome; certificates of no arrears anyone can verify by their code.

Layer: modules (it never imports the other modules). It may import tenants_portal.access, billing_views,
tenants_portal.notices and .registry, the foundations, cooperatives and iok; never tasks or the surfaces."""
