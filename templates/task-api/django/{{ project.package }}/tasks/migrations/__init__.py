"""Migrations of tasks."""
