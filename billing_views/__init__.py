"""The ledger (rozrachunki): charges, payments and balances per unit, and the resident's views of them."""
