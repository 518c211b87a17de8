"""Settings, security and errors shared by the whole service."""
