"""Link rules: a user manages their own links, an admin every link; anyone follows one.

Codes are unique among all links (``Conflict``); a made-up code is drawn again on the
rare clash. A visit is counted by the database in one statement, so that visits at
the same moment are all counted.
"""

import secrets
from typing import Any

from sqlalchemy import ColumnElement, Select, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Conflict, NotFound
from ..models.links import Link
from ..models.users import User
from ..schemas.common import Page
from ..schemas.links import LinkCreate, LinkPublic, LinkQuery, is_valid_code
from .pagination import paginate

CODE_TAKEN = "This code is already taken"
MADE_UP_LENGTH = 7
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Link.owner_id == user.id


def made_up_code() -> str:
    """A random code of letters and digits that are hard to mistake for one another."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(MADE_UP_LENGTH))


def list_links(session: Session, user: User, query: LinkQuery) -> Page[LinkPublic]:
    """Return one page of the links ``user`` may see, newest first."""
    statement: Select[Any] = select(Link).where(_visible_to(user))
    return paginate(session, statement, query, LinkPublic, [Link.created_at.desc(), Link.id.desc()])


def create_link(session: Session, user: User, data: LinkCreate) -> Link:
    """Make a link owned by ``user``; its code is the one asked for, or a free made-up one."""
    for _attempt in range(5):
        code = data.code or made_up_code()
        if session.scalar(select(Link.id).where(Link.code == code)) is not None:
            if data.code:
                raise Conflict(CODE_TAKEN)
            continue
        link = Link(code=code, target_url=data.url, owner_id=user.id)
        session.add(link)
        try:
            session.commit()
        except IntegrityError:
            # Another request took the code between the check and the write.
            session.rollback()
            if data.code:
                raise Conflict(CODE_TAKEN) from None
            continue
        return link
    raise Conflict("Could not find a free code; try again")


def get_link(session: Session, user: User, code: str) -> Link:
    """Return a link ``user`` may see (owner or admin), or ``NotFound``."""
    if not is_valid_code(code):
        raise NotFound("Link not found")
    link = session.scalar(select(Link).where(Link.code == code, _visible_to(user)))
    if link is None:
        raise NotFound("Link not found")
    return link


def delete_link(session: Session, user: User, code: str) -> None:
    """Delete a link of ``user`` (any link for an admin)."""
    session.delete(get_link(session, user, code))
    session.commit()


def follow_link(session: Session, code: str) -> str:
    """Count a visit of the link ``code`` and return its target URL, or ``NotFound``."""
    if not is_valid_code(code):
        raise NotFound("Link not found")
    target: str | None = session.scalar(
        update(Link)
        .where(Link.code == code)
        .values(visits=Link.visits + 1)
        .returning(Link.target_url)
    )
    if target is None:
        raise NotFound("Link not found")
    session.commit()
    return target
