"""Migrations of comments."""
