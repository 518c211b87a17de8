"""Post rules: who sees and writes what, unique slugs, tags, filters and pages."""

import re
import unicodedata
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, text, true
from sqlalchemy.orm import Session

from ..core.errors import Forbidden, NotFound
from ..cursors import Key, parse_bool, parse_id, parse_optional_datetime
from ..db import utcnow
from ..models.posts import MAX_SLUG_LENGTH, Post, PostStatus
from ..models.tags import Tag
from ..models.users import Role, User
from ..schemas.posts import (
    MAX_TITLE_LENGTH,
    PostCreate,
    PostPage,
    PostPublic,
    PostQuery,
    PostUpdate,
)
from .keyset import keyset_page, paginate_keyset
from .retry import commit_with_retry

WRITERS = frozenset({Role.AUTHOR, Role.ADMIN})
_SLUG = re.compile(rf"[a-z0-9-]{{1,{MAX_SLUG_LENGTH}}}")
_NOT_SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")

# The list's one order, newest first: posts with a published_at (newest first), then
# drafts never published (by id). Three descending keys, one row value, which the
# PostgreSQL indexes ix_posts_status_keyset / ix_posts_author_keyset hold (migration
# 0004): the same keys make the ORDER BY and the cursor.
SORT = "-published_at"
_SORT_KEYS = (
    Key(Post.published_at.is_not(None), lambda post: post.published_at is not None, parse_bool),
    Key(Post.published_at, attrgetter("published_at"), parse_optional_datetime),
    Key(Post.id, attrgetter("id"), parse_id),
)


def slugify(title: str) -> str:
    """``"Héllo, World!"`` -> ``"hello-world"``; a title with no letters gives ``"post"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG_CHARACTERS.sub("-", ascii_title.lower()).strip("-")
    return slug[:MAX_TITLE_LENGTH].rstrip("-") or "post"


def _free_slug(session: Session, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free first."""
    pattern = Post.slug.startswith(f"{base}-", autoescape=True)
    taken = set(session.scalars(select(Post.slug).where(or_(Post.slug == base, pattern))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _claim_slug_base(session: Session, base: str) -> None:
    """Queue behind every other creator of a post whose slug starts from ``base``.

    A write on the post that holds the bare slug (changing nothing) takes its row lock
    (PostgreSQL, MySQL) or the database's write lock (SQLite) until the commit, so
    posts of one title get their numbers one after the other, each seeing the last.
    Only the first posts of a new title race, on the unique constraint, and the
    losers come back here. Raw SQL: an ORM update would also set ``updated_at``.
    """
    statement = f"UPDATE {Post.__tablename__} SET slug = slug WHERE slug = :base"  # noqa: S608
    session.execute(text(statement), {"base": base})


def _tags(session: Session, names: list[str]) -> list[Tag]:
    """The tags with these names, making the missing ones (in a stable order)."""
    names = sorted(set(names))
    if not names:
        return []
    existing = {tag.name: tag for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [existing.get(name) or Tag(name=name) for name in names]


def _visible_to(viewer: User | None) -> ColumnElement[bool]:
    """Published posts are public; drafts are their author's and the admins'."""
    published = Post.status == PostStatus.PUBLISHED
    if viewer is None:
        return published
    if viewer.is_admin:
        return true()
    return or_(published, Post.author_id == viewer.id)


def _publish_if_needed(post: Post) -> None:
    # published_at records the first publication; unpublishing keeps it.
    if post.status == PostStatus.PUBLISHED and post.published_at is None:
        post.published_at = utcnow()


def _listed(viewer: User | None, status: PostStatus) -> ColumnElement[bool]:
    """The posts of ``status`` that ``viewer`` may see, without an OR: published ones
    for everyone; drafts their author's (every draft for an admin), so that the list
    and its total are one range of an index."""
    if status == PostStatus.PUBLISHED or (viewer is not None and viewer.is_admin):
        return Post.status == status
    if viewer is None:
        return false()
    return and_(Post.status == status, Post.author_id == viewer.id)


def list_posts(session: Session, viewer: User | None, query: PostQuery) -> PostPage:
    """One page of the posts ``viewer`` may see with ``query.status``, newest first, by
    offset or after a cursor; the total is counted up to 10,000."""
    statement: Select[Any] = select(Post).where(_listed(viewer, query.status))
    if query.tag:
        statement = statement.where(Post.tags.any(Tag.name == query.tag.lower()))
    if query.author is not None:
        statement = statement.where(Post.author_id == query.author)
    if query.q:
        # lower() LIKE lower(): a case-insensitive substring on every database.
        needle = query.q.lower()
        statement = statement.where(
            or_(
                func.lower(Post.title).contains(needle, autoescape=True),
                func.lower(Post.body).contains(needle, autoescape=True),
            )
        )
    found = paginate_keyset(session, statement, query, query.cursor, SORT, _SORT_KEYS)
    return keyset_page(PostPage, PostPublic, query, found)


def get_post(session: Session, viewer: User | None, slug: str) -> Post:
    """Return the post ``viewer`` may see; a draft of someone else is ``NotFound``."""
    if not _SLUG.fullmatch(slug):
        raise NotFound("Post not found")
    post = session.scalar(select(Post).where(Post.slug == slug, _visible_to(viewer)))
    if post is None:
        raise NotFound("Post not found")
    return post


def _editable_post(session: Session, user: User, slug: str) -> Post:
    post = get_post(session, user, slug)
    if not (user.is_admin or post.author_id == user.id):
        raise Forbidden("Only the post's author or an admin may change it")
    return post


def create_post(session: Session, user: User, data: PostCreate) -> Post:
    """Create a post by ``user`` (an author or an admin) with a slug no other post has."""
    if user.role not in WRITERS:
        raise Forbidden("Author role required")
    author_id = user.id
    base = slugify(data.title)

    def write() -> Post:
        _claim_slug_base(session, base)
        post = Post(
            author_id=author_id,
            title=data.title,
            slug=_free_slug(session, base),
            body=data.body,
            status=data.status,
            tags=_tags(session, data.tags),
        )
        _publish_if_needed(post)
        session.add(post)
        return post

    # Two new posts may make the same tag, or be the first of a title, at once: the
    # unique constraint refuses one, which tries again (and then waits its turn).
    return commit_with_retry(session, write, conflict="Too many posts with this title at once")


def update_post(session: Session, user: User, slug: str, data: PostUpdate) -> Post:
    """Change the given fields; the slug stays, so links keep working."""
    changes = data.model_dump(exclude_unset=True)

    def write() -> Post:
        post = _editable_post(session, user, slug)
        tags = _tags(session, changes["tags"]) if "tags" in changes else None
        for field in ("title", "body", "status"):
            if field in changes:
                setattr(post, field, changes[field])
        if tags is not None:
            post.tags = tags
        if changes:
            post.updated_at = utcnow()
        _publish_if_needed(post)
        return post

    return commit_with_retry(session, write, conflict="The post changed meanwhile; try again")


def delete_post(session: Session, user: User, slug: str) -> None:
    """Delete a post; its comments and tag links go with it."""
    session.delete(_editable_post(session, user, slug))
    session.commit()
