"""User accounts. Installed in the public schema (platform operators) and in every cooperative's
schema (its staff and residents), so the same login in two cooperatives is two unrelated users."""
