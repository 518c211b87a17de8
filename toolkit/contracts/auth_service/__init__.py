"""auth-service: RS256 tokens and JWKS, rotated refresh tokens, throttling, MFA, resets."""
