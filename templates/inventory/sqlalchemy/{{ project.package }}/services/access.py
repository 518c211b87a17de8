"""Who may do what: viewers read, managers also move stock, admins also manage the catalog."""

from ..core.catalog_rules import has_role, role_required
from ..core.errors import Forbidden
from ..models.users import Role, User


def require_role(user: User, role: Role) -> User:
    """Return ``user`` if they have ``role`` (or a stronger one), else raise ``Forbidden``."""
    if not has_role(user.role, role):
        raise Forbidden(role_required(role))
    return user
