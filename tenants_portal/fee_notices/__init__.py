"""Fee-change notices (zawiadomienia o zmianie opłat, art. 4 ust. 7 and 7¹ of the act on housing
cooperatives): the office imports a fee schedule file through the one import engine (billing_views.imports),
gives the change its written justification and sends it; sending is refused when the act's deadline for
the change's month has passed (deadlines.py, the one place of the counting rules), and creates one notice
per unit, the record its delivery is built on.

Layer: modules (it never imports the other modules). It may import tenants_portal.access, billing_views,
tenants_portal.notices and .registry, the foundations, cooperatives and iok; never tasks or the surfaces."""
