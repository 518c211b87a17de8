"""Settings a kind's tests need beyond the shared ones (none here; a kind may replace this)."""

from typing import Any


def overrides() -> dict[str, Any]:
    """Extra values for ``tests.utils.make_settings``."""
    return {}
