"""Login throttling: failed attempts by normalized email."""
