"""Comments of signed-in users on published posts."""
