"""Post rules: who sees and writes what, unique slugs, tags, filters.

Published posts are public; a draft is seen only by its author and admins (anyone
else gets ``NotFound``). Only authors and admins write posts; only a post's author
or an admin changes or deletes it.
"""

import re
import unicodedata
from operator import itemgetter
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from ..accounts.models import Role, User
from ..core.errors import Forbidden, NotFound
from ..core.keyset import Listing, Values
from ..cursors import Key, parse_bool, parse_id, parse_optional_datetime
from ..tags.models import Tag
from .models import MAX_SLUG_LENGTH, MAX_TITLE_LENGTH, Post, PostStatus
from .retry import atomic_with_retry

WRITERS = frozenset({Role.AUTHOR, Role.ADMIN})
_SLUG = re.compile(rf"[a-z0-9-]{{1,{MAX_SLUG_LENGTH}}}")
_NOT_SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")

# The list's one order, newest first: posts with a published_at (newest first), then
# drafts never published (by id). Three descending keys, one row value, which the
# PostgreSQL indexes ix_posts_status_keyset / ix_posts_author_keyset hold (migration
# 0003); the same keys make the ORDER BY and the cursor (read from the page's items).
SORT = "-published_at"
SORT_KEYS = (
    Key(
        ExpressionWrapper(Q(published_at__isnull=False), output_field=BooleanField()),
        lambda item: item["published_at"] is not None,
        parse_bool,
    ),
    Key(F("published_at"), itemgetter("published_at"), parse_optional_datetime),
    Key(F("pk"), itemgetter("id"), parse_id),
)


def slugify(title: str) -> str:
    """``"Héllo, World!"`` -> ``"hello-world"``; a title with no letters gives ``"post"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG_CHARACTERS.sub("-", ascii_title.lower()).strip("-")
    return slug[:MAX_TITLE_LENGTH].rstrip("-") or "post"


def _free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free first."""
    taken = set(
        Post.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list(
            "slug", flat=True
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _claim_slug_base(base: str) -> None:
    """Queue behind every other creator of a post whose slug starts from ``base``.

    An update of the post that holds the bare slug (changing nothing) takes its row
    lock (PostgreSQL, MySQL) or the database's write lock (SQLite) until the commit,
    so posts of one title get their numbers one after the other, each seeing the
    last. Only the first posts of a new title race, on the unique constraint, and the
    losers come back here. ``update()`` leaves ``updated_at`` alone.
    """
    Post.objects.filter(slug=base).update(slug=F("slug"))


def _tags(names: list[str]) -> list[Tag]:
    """The tags with these names, making the missing ones (in a stable order)."""
    names = sorted(set(names))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    # A name another request makes at the same moment fails the unique constraint:
    # the whole write is then retried and finds it.
    return [existing.get(name) or Tag.objects.create(name=name) for name in names]


def _visible_to(viewer: User | None) -> Q:
    """Published posts are public; drafts are their author's and the admins'."""
    published = Q(status=PostStatus.PUBLISHED)
    if viewer is None:
        return published
    if viewer.is_admin:
        return Q()
    return published | Q(author_id=viewer.pk)


def _publish_if_needed(post: Post) -> None:
    # published_at records the first publication; unpublishing keeps it.
    if post.status == PostStatus.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()


def _listed(viewer_id: int | None, admin: bool, status: str) -> Q:
    """The posts of ``status`` that a viewer (None: anonymous) may see, without an OR:
    published ones for everyone; drafts their author's (every draft for an admin), so
    that the list and its total are one range of an index."""
    if status == PostStatus.PUBLISHED or admin:
        return Q(status=status)
    if viewer_id is None:
        # No drafts: both statuses match none (``pk__in=[]`` would not compile to SQL).
        return Q(status=status) & Q(status=PostStatus.PUBLISHED)
    return Q(status=status, author_id=viewer_id)


def list_posts(viewer: User | None, query: dict[str, Any]) -> Listing:
    """The posts ``viewer`` may see with the query's status and filters, newest first:
    a ``Listing``, compiled once per shape (the viewer's role, the status, which
    filters are given)."""
    admin, status = viewer is not None and viewer.is_admin, query["status"]
    values: dict[str, Any] = {} if viewer is None else {"viewer_id": viewer.pk}
    if query.get("tag"):
        values["tag"] = query["tag"].lower()
    if query.get("author") is not None:
        values["author"] = query["author"]
    if query.get("q"):
        values["q"] = query["q"]

    def rows(values: Values) -> QuerySet[Post]:
        posts = Post.objects.filter(_listed(values.get("viewer_id"), admin, status))
        if "tag" in values:
            posts = posts.filter(tags__name=values["tag"])
        if "author" in values:
            posts = posts.filter(author_id=values["author"])
        if "q" in values:
            # A case-insensitive substring (% and _ in it are literal) in the title or body.
            posts = posts.filter(Q(title__icontains=values["q"]) | Q(body__icontains=values["q"]))
        # Drafts never published have no published_at: they come last, by id.
        return posts.order_by(*(key.expression.desc() for key in SORT_KEYS))

    return Listing(("posts", admin, status), values, Post, rows, prefetch=("tags",))


def get_post(viewer: User | None, slug: str) -> Post:
    """Return the post ``viewer`` may see; a draft of someone else is ``NotFound``."""
    post = None
    if _SLUG.fullmatch(slug):
        post = Post.objects.filter(_visible_to(viewer), slug=slug).first()
    if post is None:
        raise NotFound("Post not found")
    return post


def _editable_post(user: User, slug: str) -> Post:
    post = get_post(user, slug)
    if not (user.is_admin or post.author_id == user.pk):
        raise Forbidden("Only the post's author or an admin may change it")
    return post


def create_post(user: User, data: dict[str, Any]) -> Post:
    """Create a post by ``user`` (an author or an admin) with a slug no other post has."""
    if user.role not in WRITERS:
        raise Forbidden("Author role required")
    base = slugify(data["title"])

    def write() -> Post:
        _claim_slug_base(base)
        post = Post(
            author=user,
            title=data["title"],
            slug=_free_slug(base),
            body=data.get("body", ""),
            status=data.get("status", PostStatus.DRAFT),
        )
        _publish_if_needed(post)
        post.save()
        post.tags.set(_tags(data.get("tags", [])))
        return post

    # Two new posts may make the same tag, or be the first of a title, at once: the
    # unique constraint refuses one, which tries again (and then waits its turn).
    return atomic_with_retry(write, conflict="Too many posts with this title at once")


def update_post(user: User, slug: str, changes: dict[str, Any]) -> Post:
    """Change the given fields; the slug stays, so links keep working."""

    def write() -> Post:
        post = _editable_post(user, slug)
        if not changes:
            return post
        for field in ("title", "body", "status"):
            if field in changes:
                setattr(post, field, changes[field])
        _publish_if_needed(post)
        post.save()  # moves updated_at, also when only the tags change
        if "tags" in changes:
            post.tags.set(_tags(changes["tags"]))
        return post

    return atomic_with_retry(write, conflict="The post changed meanwhile; try again")


def delete_post(user: User, slug: str) -> None:
    """Delete a post; its comments and tag links go with it."""

    def write() -> None:
        _editable_post(user, slug).delete()

    # A comment written while the post is being deleted fails the foreign key: retry.
    atomic_with_retry(write, conflict="The post changed meanwhile; try again")
