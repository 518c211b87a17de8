"""TOTP codes for the MFA tests: of a given step, the previous one taken safely, a wrong one."""

import time

import pyotp


def code_at(totp: pyotp.TOTP, steps: int) -> str:
    """The code of ``steps`` time steps from now (codes work once, so tests take fresh ones)."""
    return totp.at(time.time() + steps * totp.interval)


def previous_code(totp: pyotp.TOTP) -> str:
    """The previous step's code, taken clear of the current step's end: a step that ends
    while the request is under way would make it two steps old, and refused."""
    left = totp.interval - time.time() % totp.interval
    if left < 3:
        time.sleep(left + 0.05)
    return code_at(totp, -1)


def wrong_code(totp: pyotp.TOTP) -> str:
    """A code that no step from two before to two after now accepts."""
    valid = {code_at(totp, steps) for steps in range(-2, 3)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
