"""Comment rules: whoever sees a task reads and writes its comments; the author or an
admin deletes one.
"""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Forbidden, NotFound
from ..models.comments import Comment
from ..models.users import User
from ..schemas.comments import CommentCreate, CommentPublic
from ..schemas.common import Page, PageQuery
from ..schemas.ids import is_valid_id
from . import tasks
from .pagination import paginate


def list_comments(
    session: Session, user: User, task_id: int, query: PageQuery
) -> Page[CommentPublic]:
    """One page of the comments on a task ``user`` sees, oldest first."""
    task = tasks.get_task(session, user, task_id)
    statement: Select[Any] = select(Comment).where(Comment.task_id == task.id)
    return paginate(session, statement, query, CommentPublic, [Comment.id])


def add_comment(session: Session, user: User, task_id: int, data: CommentCreate) -> Comment:
    """Comment on a task ``user`` sees, as its author."""
    task = tasks.get_task(session, user, task_id)
    comment = Comment(task_id=task.id, author_id=user.id, body=data.body)
    session.add(comment)
    try:
        session.commit()
    except IntegrityError:
        # The task was deleted between the check and the write.
        session.rollback()
        raise NotFound("Task not found") from None
    return comment


def delete_comment(session: Session, user: User, task_id: int, comment_id: int) -> None:
    """Delete a comment; only its author or an admin may."""
    task = tasks.get_task(session, user, task_id)
    comment = None
    if is_valid_id(comment_id):
        comment = session.scalar(
            select(Comment).where(Comment.id == comment_id, Comment.task_id == task.id)
        )
    if comment is None:
        raise NotFound("Comment not found")
    if comment.author_id != user.id and not user.is_admin:
        raise Forbidden("Only the author or an admin may delete a comment")
    session.delete(comment)
    session.commit()
