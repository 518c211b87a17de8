"""Comment rules: signed-in users comment on published posts; authors or admins delete."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Conflict, Forbidden, NotFound
from ..models.comments import Comment
from ..models.users import User
from ..schemas.comments import CommentCreate, CommentPublic
from ..schemas.common import MAX_ID, Page, PageQuery
from .pagination import paginate
from .posts import get_post


def list_comments(
    session: Session, viewer: User | None, slug: str, page: PageQuery
) -> Page[CommentPublic]:
    """The comments of a post ``viewer`` may see, oldest first."""
    post = get_post(session, viewer, slug)
    statement = select(Comment).where(Comment.post_id == post.id)
    return paginate(session, statement, page, CommentPublic, [Comment.id])


def create_comment(session: Session, user: User, slug: str, data: CommentCreate) -> Comment:
    """Comment on a published post; a draft ``user`` cannot see is ``NotFound``."""
    post = get_post(session, user, slug)
    if not post.is_published:
        raise Conflict("Only published posts take comments")
    comment = Comment(post_id=post.id, author_id=user.id, body=data.body)
    session.add(comment)
    try:
        session.commit()
    except IntegrityError:
        # The post was deleted between the read and the insert.
        session.rollback()
        raise NotFound("Post not found") from None
    return comment


def delete_comment(session: Session, user: User, slug: str, comment_id: int) -> None:
    """Delete a comment: its author or an admin may; anyone else gets ``Forbidden``."""
    post = get_post(session, user, slug)
    comment = None
    if 0 < comment_id <= MAX_ID:
        comment = session.scalar(
            select(Comment).where(Comment.id == comment_id, Comment.post_id == post.id)
        )
    if comment is None:
        raise NotFound("Comment not found")
    if not (user.is_admin or comment.author_id == user.id):
        raise Forbidden("Only the comment's author or an admin may delete it")
    session.delete(comment)
    session.commit()
