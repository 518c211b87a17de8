"""Links: a short code that stands for a long URL."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow

MAX_CODE_LENGTH = 32
MAX_URL_LENGTH = 2000


class Link(Base):
    """A short link of one user; its code is unique among all links."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(MAX_CODE_LENGTH), unique=True)
    target_url: Mapped[str] = mapped_column(String(MAX_URL_LENGTH))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    visits: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
