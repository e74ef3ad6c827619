"""The cooperative's own site: sign-in, the resident's start page and the public pages.

Layer: surfaces (beside console, api and operators, which it never imports). It may import tasks, the
modules, the lower domain, the foundations, cooperatives and iok."""
