"""Password resets: single-use tokens sent through the outbox."""
