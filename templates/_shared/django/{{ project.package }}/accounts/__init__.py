"""Accounts: users, their roles, registration, login and tokens."""
