"""Payments: idempotent card charges through the processor, and their refunds."""
