"""A deployment check: ``manage check --deploy`` fails while no signing key can be read."""

from typing import Any

from django.core import checks

from ..core import keys


@checks.register(checks.Tags.security, deploy=True)
def signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An error when the RSA signing key (and the retired public keys) cannot be read."""
    try:
        keys.private_key()
        keys.previous_keys()
    except keys.SigningKeyError as exc:
        hint = "see the README: Tokens, keys and sessions"
        return [checks.Error(str(exc), hint=hint, id="auth.E001")]
    return []
