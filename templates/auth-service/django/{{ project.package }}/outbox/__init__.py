"""The outbox: messages the service would mail."""
