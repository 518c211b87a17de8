"""Who may do what: viewers read, managers also move stock, admins also manage the catalog."""

from ..core.errors import Forbidden
from ..models.users import Role, User

# Each role may do what the roles before it may.
_RANK = {Role.VIEWER: 0, Role.MANAGER: 1, Role.ADMIN: 2}


def has_role(user: User, role: Role) -> bool:
    """Tell whether ``user`` has ``role`` or a stronger one."""
    return _RANK[user.role] >= _RANK[role]


def require_role(user: User, role: Role) -> User:
    """Return ``user`` if they have ``role`` (or a stronger one), else raise ``Forbidden``."""
    if not has_role(user, role):
        raise Forbidden(f"{role.value.capitalize()} role required")
    return user
