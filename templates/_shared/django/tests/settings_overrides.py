"""Settings a kind's tests need beyond the shared ones (none here; a kind may replace this)."""

from typing import Any


def overrides() -> dict[str, Any]:
    """Extra Django settings for the test run (names as in settings.py)."""
    return {}
