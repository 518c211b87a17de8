"""The catalog's rules without the database: codes, text limits, who may do what.

Viewers read; managers also record stock movements; admins also manage products
and warehouses. Each role may do what the roles before it may.
"""

import re

#: The longest SKU or warehouse code.
MAX_CODE_LENGTH = 32
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
MAX_CATEGORY_LENGTH = 100
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")
#: What a code may be as sent (the OpenAPI document says it; it is trimmed first): in
#: either case.
CODE_AS_SENT = r"^[A-Za-z0-9][A-Za-z0-9-]{2,31}$"
SKU_TAKEN = "A product with this SKU exists"
CODE_TAKEN = "A warehouse with this code exists"

_RANKS = {"viewer": 0, "manager": 1, "admin": 2}


def checked_code(value: str) -> str:
    """A SKU or warehouse code in upper case; ``ValueError`` says what is wrong with it."""
    value = value.upper()
    if not CODE_PATTERN.fullmatch(value):
        raise ValueError("must be 3 to 32 letters, digits or hyphens, starting with no hyphen")
    return value


def has_role(role: str, needed: str) -> bool:
    """Tell whether ``role`` is ``needed`` or a stronger one (an unknown role is neither)."""
    return _RANKS.get(role, -1) >= _RANKS[needed]


def role_required(role: str) -> str:
    """The detail of the 403 answered to a user without ``role``."""
    return f"{role.capitalize()} role required"
