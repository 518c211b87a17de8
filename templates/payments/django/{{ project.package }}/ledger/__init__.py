"""The ledger (one entry per charge and refund) and the balance it adds up to."""
