"""Tasks, each owned by one user, in one of their projects or none, maybe assigned."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnClause, Date, Enum, ForeignKey, Index, String, Text, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, only_on, utcnow


class TaskStatus(StrEnum):
    """Where a task stands."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TaskPriority(StrEnum):
    """How urgent a task is; sorts low < medium < high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _enum(enum: type[StrEnum]) -> Enum:
    # Stored as short strings, not native ENUM types, so every database migrates alike.
    return Enum(enum, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


# The list sorts priorities low < medium < high by two portable keys, (priority = 'high')
# then (priority = 'medium'): false before true puts low, then medium, then high. Written
# with literals, not bound parameters, so that they are the very expressions of the
# PostgreSQL index that serves the sort (a generic plan of a prepared statement would
# not match an index with parameters in its place).
PRIORITY_KEYS = tuple(
    literal_column("tasks.priority") == literal_column(f"'{value}'") for value in ("high", "medium")
)
_DUE_DATE: ColumnClause[date] = literal_column("due_date")
_ID: ColumnClause[int] = literal_column("id")


class Task(Base):
    """A task of one user; its project is one of the owner's, its assignee any active user."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TaskStatus] = mapped_column(
        _enum(TaskStatus), default=TaskStatus.TODO, index=True
    )
    priority: Mapped[TaskPriority] = mapped_column(
        _enum(TaskPriority), default=TaskPriority.MEDIUM, index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # Deleting a project detaches its tasks; deleting a user unassigns theirs.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )

    # The sorts by priority and by due date (tasks without one last, either way) order
    # by expressions: PostgreSQL indexes them (docs/list-indexes.md), other databases
    # sort those pages as before.
    # The capped totals (docs/pagination.md): a user's tasks by status and priority,
    # owned or assigned (the assignee's with the owner, to leave out their own tasks),
    # and every task by status and priority in the list's order, read from the index
    # alone up to the cap. Plain indexes, on every database.
    __table_args__ = (
        Index("ix_tasks_owner_status", "owner_id", "status", "priority"),
        Index("ix_tasks_assignee_status", "assignee_id", "status", "priority", "owner_id"),
        Index("ix_tasks_status_priority_time", "status", "priority", "created_at", "id"),
        Index(
            "ix_tasks_priority_rank",
            *(literal_column("priority") == literal_column(f"'{v}'") for v in ("high", "medium")),
            _ID,
            info=only_on("postgresql"),
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_tasks_due_date_nulls_last",
            _DUE_DATE.is_(None),
            _DUE_DATE,
            _ID,
            info=only_on("postgresql"),
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_tasks_due_date_desc_nulls_last",
            _DUE_DATE.is_(None),
            _DUE_DATE.desc(),
            _ID.desc(),
            info=only_on("postgresql"),
        ).ddl_if(dialect="postgresql"),
    )
