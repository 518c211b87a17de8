"""Routes of the stock ledger (``/movements``); the stock app holds its models and rules."""
