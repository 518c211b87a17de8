"""payments: idempotent card payments, refunds, a ledger, signed webhooks from a worker."""
