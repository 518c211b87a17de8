"""Refresh tokens, stored as digests, in families that make up one session each."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class RefreshToken(Base):
    """One refresh token; rotating it adds the next token of the same family.

    A token is good while it is neither used, revoked nor expired. Presenting a used
    one again means it was copied: the whole family is revoked.
    """

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The session: every token rotated from one login shares it (the "sid" claim).
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    # HMAC-SHA256 of the token (core/crypto.py), never the token itself.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
