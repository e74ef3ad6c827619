"""Template filters of the ledger's pages (money). Layer: that of billing_views."""
