"""Posts: a title, a unique slug, a body, draft or published, tags, one author."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, Text, literal_column
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, only_on, trigram_indexes, utcnow
from .tags import post_tags

if TYPE_CHECKING:
    from .tags import Tag

MAX_SLUG_LENGTH = 220
# MySQL's TEXT holds 64 KiB; a body of 100000 characters needs MEDIUMTEXT there.
LONG_TEXT = Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
# The list's keys (published_at IS NOT NULL, published_at, id) after these columns.
KEYSET_INDEXES = {
    "ix_posts_status_keyset": ("status",),
    "ix_posts_author_keyset": ("author_id", "status"),
}


class PostStatus(StrEnum):
    """Whether a post is public."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Post(Base):
    """A blog post of one author."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    body: Mapped[str] = mapped_column(LONG_TEXT)
    # Stored as a short string, not a native ENUM type, so every database migrates alike.
    status: Mapped[PostStatus] = mapped_column(
        Enum(
            PostStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=PostStatus.DRAFT,
        index=True,
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list["Tag"]] = relationship(secondary=post_tags, lazy="selectin")

    # PostgreSQL only (docs/list-indexes.md): the list's order within a status, and within
    # an author's posts of a status, as services.posts spells its keys (migration 0004),
    # trigram indexes for q (lower(...) LIKE '%...%'), and the slugs by bytes for the
    # next free slug of a title (slug LIKE 'base-%'). The other databases filter and sort
    # those pages, and find slugs, as before.
    __table_args__ = (
        *(
            Index(
                name,
                *(literal_column(column) for column in prefix),
                literal_column("published_at").is_not(None),
                literal_column("published_at"),
                literal_column("id"),
                info=only_on("postgresql"),
            ).ddl_if(dialect="postgresql")
            for name, prefix in KEYSET_INDEXES.items()
        ),
        *trigram_indexes("posts", "title", "body"),
        Index(
            "ix_posts_slug_prefix",
            "slug",
            postgresql_ops={"slug": "varchar_pattern_ops"},
            info=only_on("postgresql"),
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def is_published(self) -> bool:
        """Published posts are public."""
        return self.status == PostStatus.PUBLISHED
