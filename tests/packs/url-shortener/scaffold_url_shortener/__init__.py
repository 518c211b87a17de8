"""A layer pack for scaffold: this package's folder is the pack (see catalog.toml)."""
