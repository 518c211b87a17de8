"""Projects: named groups of one user's tasks."""
