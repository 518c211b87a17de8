"""Comment rules: signed-in users comment on published posts; the comment's author or
an admin deletes one.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ..accounts.models import User
from ..core.errors import Conflict, Forbidden, NotFound
from ..core.serializers import is_valid_id
from ..posts import services as posts
from .models import Comment


def list_comments(viewer: User | None, slug: str) -> QuerySet[Comment]:
    """The comments of a post ``viewer`` may see, oldest first."""
    post = posts.get_post(viewer, slug)
    return Comment.objects.filter(post=post).order_by("pk")


def add_comment(user: User, slug: str, data: dict[str, Any]) -> Comment:
    """Comment on a published post; a draft ``user`` cannot see is ``NotFound``."""
    post = posts.get_post(user, slug)
    if not post.is_published:
        raise Conflict("Only published posts take comments")
    try:
        with transaction.atomic():
            return Comment.objects.create(post=post, author=user, body=data["body"])
    except IntegrityError:
        # The post was deleted between the read and the insert.
        raise NotFound("Post not found") from None


def get_comment(user: User, slug: str, comment_id: int | str) -> Comment:
    """A comment on a post ``user`` may see, or ``NotFound``."""
    post = posts.get_post(user, slug)
    comment = None
    if is_valid_id(comment_id):
        comment = Comment.objects.filter(pk=int(comment_id), post=post).first()
    if comment is None:
        raise NotFound("Comment not found")
    return comment


def delete_comment(user: User, slug: str, comment_id: int | str) -> None:
    """Delete a comment: its author or an admin may; anyone else gets ``Forbidden``."""
    comment = get_comment(user, slug, comment_id)
    if not (user.is_admin or comment.author_id == user.pk):
        raise Forbidden("Only the comment's author or an admin may delete it")
    comment.delete()
