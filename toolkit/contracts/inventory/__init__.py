"""inventory: roles, products, warehouses, an append-only stock ledger that never oversells."""
