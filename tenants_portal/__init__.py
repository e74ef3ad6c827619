"""Apps that live in every cooperative's schema: accounts, the registry of units, the resident portal."""
