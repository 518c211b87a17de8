"""create_database, drop_database, create_admin."""
