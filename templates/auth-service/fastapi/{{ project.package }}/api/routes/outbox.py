"""The outbox, for admins: what the service would mail (a development aid).

With no mail server, password reset tokens wait in the outbox table. Replace this
route with a worker that mails the messages before going live.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from ...schemas.common import ErrorBody, Page
from ...schemas.outbox import OutboxMessagePublic, OutboxQuery
from ...services import outbox
from ..deps import CurrentAdmin, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/admin/outbox",
    tags=["admin"],
    responses={
        401: {"model": ErrorBody, "description": "Not authenticated"},
        403: {"model": ErrorBody, "description": "Admin role required"},
    },
)


@router.get("", summary="List outbox messages (admin)")
@serialized
def list_outbox(
    session: SessionDep, _admin: CurrentAdmin, query: Annotated[OutboxQuery, Query()]
) -> Page[OutboxMessagePublic]:
    """List the messages waiting to be mailed, newest first, for one recipient if given."""
    return outbox.list_messages(session, query)
