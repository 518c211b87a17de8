"""Limit/offset pages with a total: {"items", "total", "limit", "offset"}."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.serializers import Serializer


def paginate(
    queryset: QuerySet[Any],
    query: dict[str, Any],
    serializer_class: type[Serializer],
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of an ordered ``queryset`` (``query`` has limit and offset) and the total."""
    limit, offset = query["limit"], query["offset"]
    items = queryset[offset : offset + limit]
    return {
        "items": serializer_class(items, many=True, context=context or {}).data,
        "total": queryset.count(),
        "limit": limit,
        "offset": offset,
    }
