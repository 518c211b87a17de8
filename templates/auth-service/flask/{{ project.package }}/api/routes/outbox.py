"""The outbox, for admins: what the service would mail (a development aid).

With no mail server, password reset tokens wait in the outbox table. Replace this
route with a worker that mails the messages before going live.
"""

from flask import Blueprint

from ...models.users import User
from ...schemas.common import Page
from ...schemas.outbox import OutboxMessagePublic, OutboxQuery
from ...services import outbox
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("")
@endpoint(
    summary="List outbox messages (admin)",
    query=OutboxQuery,
    response=Page[OutboxMessagePublic],
    auth="admin",
    errors={403: "Admin role required"},
)
def list_outbox(user: User, query: OutboxQuery) -> Page[OutboxMessagePublic]:
    """List the messages waiting to be mailed, newest first, for one recipient if given."""
    return outbox.list_messages(db_session(), query)
