"""Warehouses: the places stock is kept."""
