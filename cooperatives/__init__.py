"""The cooperatives registry (public schema): each cooperative is a tenant with its own schema."""
