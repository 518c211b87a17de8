"""The webhook jobs of the job queue (feature "queue")."""
