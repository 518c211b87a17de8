"""Comments on tasks, by whoever sees the task."""
