"""Limit/offset pages with a total: {"items", "total", "limit", "offset"}."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.serializers import Serializer

from .rows import serialize_rows


def paginate(
    queryset: QuerySet[Any],
    query: dict[str, Any],
    serializer_class: type[Serializer[Any]],
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of an ordered ``queryset`` (``query`` has limit and offset) and the total.

    The page is what ``serializer_class(many=True)`` would give, read as rows where the
    serializer allows it (see ``rows``).
    """
    limit, offset = query["limit"], query["offset"]
    items = queryset[offset : offset + limit]
    return {
        "items": serialize_rows(items, serializer_class, context),
        "total": queryset.count(),
        "limit": limit,
        "offset": offset,
    }
