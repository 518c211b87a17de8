"""URL converters: ``<int:task_id>`` in a route takes ids as every framework reads them."""

from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from ..schemas.common import parse_id


class IdConverter(BaseConverter):
    """ASCII digits naming a row (1 to 2**31 - 1); anything else is a 404.

    Werkzeug's own ``int`` also reads other scripts' digits (a fullwidth seven as 7)
    and ids past the databases' range. An id out of range raises the 404 itself: a
    ValidationError would let Werkzeug answer 405 where another method's route has
    the same path.
    """

    regex = r"[0-9]+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise NotFound()
        return number

    def to_url(self, value: Any) -> str:
        return str(value)
