"""Failed logins by normalized email, whether or not the email has an account."""

from django.db import models
from django.utils import timezone


class LoginAttempt(models.Model):
    """A failed login (or one still being checked) for an email."""

    email = models.CharField(max_length=320)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "login_attempts"
        indexes = (
            models.Index(fields=["email", "created_at"], name="ix_login_attempts_email_time"),
        )

    def __str__(self) -> str:
        return f"login attempt for {self.email}"
