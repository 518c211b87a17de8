"""argon2id password hashing with a cost read from the settings (the environment)."""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Django's argon2 hasher (argon2id), with PASSWORD_HASH_TIME_COST, _MEMORY_KIB and
    _PARALLELISM.

    Hashes made with another cost are upgraded on the next successful login.
    """

    @property
    def parallelism(self) -> int:
        """Lanes (threads) of one hash."""
        return int(settings.PASSWORD_HASH_PARALLELISM)

    @property
    def time_cost(self) -> int:
        """Passes over the memory."""
        return int(settings.PASSWORD_HASH_TIME_COST)

    @property
    def memory_cost(self) -> int:
        """Memory in KiB."""
        return int(settings.PASSWORD_HASH_MEMORY_KIB)
