"""The jobs app: outbox mail through the job queue (feature "queue")."""
