"""Settings the tests need beyond the shared ones: the test issuer's (tests/issuer.py)."""

from typing import Any

from tests.issuer import the_issuer


def overrides() -> dict[str, Any]:
    """Extra values for ``tests.utils.make_settings``: trust the test issuer."""
    issuer = the_issuer()
    return {
        "auth_jwks_url": issuer.jwks_url,
        "auth_issuer": issuer.issuer,
        "auth_audience": issuer.audience,
    }
