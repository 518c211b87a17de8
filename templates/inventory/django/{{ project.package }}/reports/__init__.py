"""Reports computed from the stock levels: low stock and valuation."""
