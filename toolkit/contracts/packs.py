"""The common contract fixtures for the suites of layer packs, which live outside this folder.

``run_contract`` loads this module as a plugin (``-p toolkit.contracts.packs``) when the
kind comes from a pack: its suite (``contracts/<kind>/`` of the pack) gets the same
``api``, ``user``, ``admin``... fixtures as the built-in suites, and imports the
helpers from ``toolkit.contracts.conftest``. The built-in suites keep their conftest.
"""

from .conftest import *  # noqa: F403 (the fixtures, whatever conftest.py adds later)
