"""The REST API (/api/v1/): serializers, authentication by API key and session, permissions, pagination,
the one error shape and the OpenAPI schema (openapi.yaml, committed and checked by tests).

Layer: surfaces (beside portal, console and operators, which it never imports). It may import tasks,
the modules, the lower domain, the foundations, cooperatives and iok; it calls the same services and
selectors as the pages."""
