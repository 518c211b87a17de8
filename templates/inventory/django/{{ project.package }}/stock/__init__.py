"""Stock: levels per product and warehouse, changed only through the movement ledger."""
