"""Products: what the warehouses hold, known by SKU, priced in minor units."""
