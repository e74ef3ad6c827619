"""Apps that live in every cooperative's schema, each in a layer of its own (pyproject.toml,
[tool.importlinter]): the surfaces (portal, console, api), the modules (meters, failures,
announcements, documents), the lower domain (access, notices, registry) and the foundations
(regulation, accounts, modules, configuration, audit). The README's layout section lists them."""
