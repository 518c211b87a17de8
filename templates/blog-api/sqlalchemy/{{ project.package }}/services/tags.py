"""Tags with the number of published posts that carry them."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models.posts import Post, PostStatus
from ..models.tags import Tag, post_tags
from ..schemas.common import Page, PageQuery
from ..schemas.tags import TagPublic


def list_tags(session: Session, page: PageQuery) -> Page[TagPublic]:
    """Tags of published posts, most used first, then by name."""
    post_count = func.count(Post.id).label("post_count")
    statement = (
        select(Tag.name, post_count)
        .join(post_tags, post_tags.c.tag_id == Tag.id)
        .join(Post, Post.id == post_tags.c.post_id)
        .where(Post.status == PostStatus.PUBLISHED)
        .group_by(Tag.id, Tag.name)
    )
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = session.execute(
        statement.order_by(post_count.desc(), Tag.name).limit(page.limit).offset(page.offset)
    )
    return Page[TagPublic](
        items=[TagPublic(name=row.name, post_count=row.post_count) for row in rows],
        total=total or 0,
        limit=page.limit,
        offset=page.offset,
    )
