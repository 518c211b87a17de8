"""Tasks: owned by one user, maybe in one of their projects, maybe assigned to another."""
