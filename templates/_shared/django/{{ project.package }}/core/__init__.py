"""What every app shares: settings helpers, errors, tokens, authentication, pages."""
