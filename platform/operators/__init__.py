"""The platform site on BASE_DOMAIN: the landing page and the operators' console (public schema)."""
