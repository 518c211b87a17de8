"""Sessions: refresh tokens stored as digests, rotated, revoked by family."""
