"""Who may delete a comment: its author or an admin."""

from ..core.permissions import IsOwnerOrAdmin


class IsAuthorOrAdmin(IsOwnerOrAdmin):
    """The comment's author, or an admin."""

    message = "Only the author or an admin may delete a comment"
    owner_field = "author_id"
