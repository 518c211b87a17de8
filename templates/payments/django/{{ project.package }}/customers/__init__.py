"""Customers of a merchant (a user)."""
