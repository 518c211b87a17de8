"""A deployment check: ``manage check --deploy`` fails while no signing key can be read."""

from typing import Any

from django.core import checks

from ..core import keys, signing_keys


@checks.register(checks.Tags.security, deploy=True)
def signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An error when the RSA signing key (and the retired public keys) cannot be read."""
    try:
        signing_keys.check(keys.key_settings())
    except signing_keys.SigningKeyError as exc:
        hint = "see the README: Tokens, keys and sessions"
        return [checks.Error(str(exc), hint=hint, id="auth.E001")]
    return []
