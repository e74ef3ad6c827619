"""The document library: statute, regulations, resolutions, minutes, reports, financial statements, forms."""
