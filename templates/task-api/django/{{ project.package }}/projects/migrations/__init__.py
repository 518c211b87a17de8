"""Migrations of projects."""
