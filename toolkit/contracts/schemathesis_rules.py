"""What the contract suite's schemathesis run excuses, and how it keeps webhooks at home.

Pure rules, without schemathesis: ``schemathesis_hooks.py`` applies them, and the
toolkit's own tests check them.
"""

from __future__ import annotations

import re
from typing import Any

#: Webhook URLs the payments worker would post to: a generated URL that any URL parser
#: may read as http(s) is replaced by one of the same length whose host never resolves
#: (RFC 2606 reserves .invalid), so that no request leaves this machine. Browsers' and
#: Node's parsers drop tabs and newlines anywhere and C0 controls in front, so those go
#: before the scheme is looked at.
SAFE_URL = "http://x.invalid"
_HTTP_LIKE = re.compile(r"^[\x00-\x20]*https?:", re.IGNORECASE)


def safe_url(value: str) -> str:
    if not _HTTP_LIKE.match(re.sub(r"[\t\n\r]", "", value)):
        return value
    if len(value) <= len(SAFE_URL):
        return SAFE_URL
    # As long as generated, so that a URL one past the maximum length stays one past it.
    return f"{SAFE_URL}/" + "a" * (len(value) - len(SAFE_URL) - 1)


#: Fields of an operation whose validity the schema cannot state: what a 422 on them means.
SEMANTIC_FIELDS = {
    # payments: a card number must pass the Luhn check, and an expiry must be given whole
    # and not be past: schemas have no checksums and no clock.
    ("/payments", "card.number"): "a card number that fails the Luhn check",
    ("/payments", "card"): "a card whose expiry is half given, or past",
    # inventory: which fields a movement takes depends on its type (receive, ship and
    # adjust one warehouse_id; a transfer two different warehouses; only an adjustment
    # may be negative, none zero). The flat body schema says each field's range; JSON
    # Schema cannot say that two warehouses differ.
    ("/movements", "quantity"): "a quantity its movement type does not take",
    ("/movements", "warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "from_warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "to_warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "reason"): "a reason its movement type needs (an adjustment)",
    # payments: a webhook URL is a URI the service will call: http or https, with a host,
    # without credentials or spaces. JSON Schema has no URL grammar the URL parsers of
    # Python and Node share.
    ("/webhooks", "url"): "a URI the service will not call",
    # auth-service: only a token the service mailed (and that is unused) resets a password.
    ("/auth/password-reset/confirm", "token"): "a reset token never issued, or spent",
    # task-api, inventory, blog-api, payments: a page cursor is opaque; only one the
    # service made (the next_cursor of a page of the same sort), and without an offset,
    # starts a page (docs/pagination.md).
    ("/tasks", "cursor"): "a cursor the service did not make, or one sent with an offset",
    ("/products", "cursor"): "a cursor the service did not make, or one sent with an offset",
    ("/posts", "cursor"): "a cursor the service did not make, or one sent with an offset",
    ("/payments", "cursor"): "a cursor the service did not make, or one sent with an offset",
}
_ID_FIELD = re.compile(r"(^|\.)\w+_id$")


def value_at(body: Any, field: str) -> Any:
    node = body
    for part in field.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


#: What the services trim from text before they check it: Python's str.strip() on
#: FastAPI, Flask and Django, ECMAScript's trim() on Express; here both.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def trimmed(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip(WHITESPACE)
    if isinstance(value, list):
        return [trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: trimmed(item) for key, item in value.items()}
    return value


def known_refusal(path: str, body: Any, error: dict[str, Any]) -> bool:
    field = str(error.get("field", ""))
    value = value_at(body, field)
    # An integer written as a float (2.0): JSON Schema calls it an integer, the services
    # refuse it on purpose (ids, counts and amounts never pass through floats).
    if isinstance(value, float) and value.is_integer():
        return True
    # An id that names nothing (or nothing of the caller's): the schema says which ids
    # may be sent, not which exist.
    if _ID_FIELD.search(field) and isinstance(value, int) and not isinstance(value, bool):
        return True
    return (path, field) in SEMANTIC_FIELDS
