"""Webhook endpoints, the event outbox, deliveries and their attempts."""
