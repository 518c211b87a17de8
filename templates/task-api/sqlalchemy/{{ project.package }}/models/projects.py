"""Projects: named groups of one user's tasks."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, column_property, mapped_column

from ..db import Base, UTCDateTime, utcnow
from .tasks import Task

MAX_NAME_LENGTH = 100
# Names are compared exactly, on every database: MySQL's default collation would
# also call "Home" and "home" (or "Cafe" and "Café") the same name.
NAME = String(MAX_NAME_LENGTH).with_variant(
    mysql.VARCHAR(MAX_NAME_LENGTH, collation="utf8mb4_bin"), "mysql"
)


class Project(Base):
    """A project of one user; its name is unique among that user's projects."""

    __tablename__ = "projects"
    # The unique constraint leads with owner_id, so it also indexes the foreign key.
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Counted by the database whenever a project is loaded (tasks.project_id is indexed).
    task_count: Mapped[int] = column_property(
        select(func.count(Task.id))
        .where(Task.project_id == id)
        .correlate_except(Task)
        .scalar_subquery()
    )
