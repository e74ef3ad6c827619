"""The cooperative's property registry: estates, buildings, units and the offices serving them."""
