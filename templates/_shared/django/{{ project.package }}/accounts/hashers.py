"""argon2id password hashing with a cost read from the settings (the environment)."""

import dataclasses

from argon2 import Parameters
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Django's argon2 hasher (argon2id), with PASSWORD_HASH_TIME_COST, _MEMORY_KIB and
    _PARALLELISM.

    Hashes made with another cost are upgraded on the next successful login.
    """

    def params(self) -> Parameters:
        """Django's argon2id parameters, with the passes over the memory, the memory in
        KiB and the lanes (threads) of one hash from the settings, read at each use."""
        django_params: Parameters = super().params()
        return dataclasses.replace(
            django_params,
            time_cost=int(settings.PASSWORD_HASH_TIME_COST),
            memory_cost=int(settings.PASSWORD_HASH_MEMORY_KIB),
            parallelism=int(settings.PASSWORD_HASH_PARALLELISM),
        )
