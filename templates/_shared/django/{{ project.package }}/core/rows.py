"""Lists read as rows: what a read serializer gives, without DRF's work per field and row.

A page of 50 through ``Serializer(many=True)`` builds 50 model instances and, for each
of their fields, goes through ``Field.get_attribute`` and the serializer's loop: most of
a list request's time. A read serializer whose fields are plain columns says the same
from ``values()``: one dict per row, each value through the field's own
``to_representation`` (so a subclass's output is kept), and the bare ``int`` / ``str``
of the two fields that only convert; a ``RelatedNamesField`` (a post's tag names) by one
query for the whole page. Anything else (nested serializers, related or
method fields, dotted sources, a serializer with its own ``to_representation``) goes
through DRF as before. Input is not touched: request bodies and queries are still
validated by their serializers.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.settings import api_settings

#: Fields whose output is their value made an int or a str (exactly these classes).
_PLAIN: dict[type, Callable[[Any], Any]] = {
    drf_fields.IntegerField: int,
    drf_fields.CharField: str,
}
#: Fields that read more than their own column.
_NOT_A_COLUMN = (
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.HiddenField,
    relations.RelatedField,
    relations.ManyRelatedField,
)

_Plan = list[tuple[str, str, Callable[[Any], Any]]]
_plans: dict[tuple[type, type], _Plan | None] = {}


def serialize_rows(
    queryset: QuerySet[Any] | list[Any],
    serializer_class: type[serializers.Serializer[Any]],
    context: dict[str, Any] | None = None,
) -> list[Any]:
    """What ``serializer_class(queryset, many=True, context=context).data`` holds.

    Objects already read (a list) and serializers given a context go through DRF.
    """
    plan = None
    if not context and isinstance(queryset, QuerySet):
        plan = _plan(serializer_class, queryset)
    if plan is None or not isinstance(queryset, QuerySet):
        return list(serializer_class(queryset, many=True, context=context or {}).data)
    return _written(plan, queryset.values(*_columns(plan)), queryset.model)


def columns_of(
    serializer_class: type[serializers.Serializer[Any]], model: type[Model]
) -> list[str] | None:
    """The columns ``serialize_values`` needs of ``model`` for ``serializer_class``, or
    None when DRF must read the objects."""
    plan = _model_plan(serializer_class, model)
    return None if plan is None else _columns(plan)


def serialize_values(
    rows: list[dict[str, Any]],
    serializer_class: type[serializers.Serializer[Any]],
    model: type[Model],
) -> list[Any]:
    """What the serializer writes of the ``values()`` rows of ``columns_of``'s columns."""
    plan = _model_plan(serializer_class, model)
    if plan is None:
        raise TypeError(f"{serializer_class.__name__} reads objects: columns_of said so")
    return _written(plan, rows, model)


def _columns(plan: _Plan) -> list[str]:
    """The columns a plan reads with ``values()``: its own, and the primary key when it
    reads a relation's names (by a query of its own, ``_related_names``)."""
    columns = [column for _, column, convert in plan if not isinstance(convert, _Names)]
    if len(columns) < len(plan):
        columns.append("pk")
    return columns


def _written(plan: _Plan, rows: Iterable[dict[str, Any]], model: type[Model]) -> list[Any]:
    rows = list(rows)
    for _, lookup, convert in plan:
        if isinstance(convert, _Names):
            _related_names(model, lookup, rows)
    zone = timezone.get_current_timezone()  # once a page, not once a value
    plan = [(n, c, _in_zone(zone, f) if isinstance(f, _Timestamp) else f) for n, c, f in plan]
    return [
        {
            name: None if (value := row[column]) is None else convert(value)
            for name, column, convert in plan
        }
        for row in rows
    ]


def _model_plan(
    serializer_class: type[serializers.Serializer[Any]], model: type[Model]
) -> _Plan | None:
    key = (serializer_class, model)
    if key not in _plans:
        _plans[key] = _make_plan(serializer_class, model)
    return _plans[key]


def _plan(
    serializer_class: type[serializers.Serializer[Any]], queryset: QuerySet[Any]
) -> _Plan | None:
    """(output name, column, converter) per field, or None when DRF must do it."""
    plan = _model_plan(serializer_class, queryset.model)
    # A values() query could not keep what these add to the rows.
    query = queryset.query
    prefetched = getattr(queryset, "_prefetch_related_lookups", ())
    if plan is None or prefetched or query.distinct or query.annotations or query.combinator:
        return None
    return plan


def _make_plan(
    serializer_class: type[serializers.Serializer[Any]], model: type[Model]
) -> _Plan | None:
    if serializer_class.to_representation is not serializers.Serializer.to_representation:
        return None
    plan: _Plan = []
    for name, field in serializer_class().fields.items():
        if field.write_only:
            continue
        source = field.source  # set once the serializer's fields are bound
        if isinstance(field, RelatedNamesField):
            relation = None if source is None else _field_or_none(model, source)
            if relation is None or not relation.many_to_many:
                return None
            plan.append((name, f"{source}__{field.column}", _Names()))
            continue
        if isinstance(field, _NOT_A_COLUMN) or source is None or "." in source or source == "*":
            return None
        column = _field_or_none(model, source) or _by_attname(model, source)
        if column is None or not column.concrete or column.many_to_many:
            return None
        # values() names a foreign key's column by its attname (owner_id), as the
        # serializers do; a source naming the relation (owner) would read the object.
        if column.is_relation and field.source != column.attname:
            return None
        convert = _PLAIN.get(type(field), field.to_representation)
        if _is_iso_timestamp(field):
            convert = _Timestamp(field.to_representation)
        plan.append((name, column.attname, convert))
    return plan


class RelatedNamesField(serializers.ListField):
    """The sorted values of one ``column`` of a many-to-many relation's rows (a post's
    tag names). Read as rows (``serialize_rows``), a page's take one query together."""

    child = serializers.CharField()
    column = "name"

    def to_representation(self, data: Any) -> list[Any]:
        """``data`` is the relation's manager (its rows prefetched for a page)."""
        return sorted(getattr(item, self.column) for item in data.all())


class _Names:
    """A plan's converter for a ``RelatedNamesField``: the list is made already."""

    def __call__(self, value: Any) -> Any:
        return value


def _related_names(model: type[Model], lookup: str, rows: list[dict[str, Any]]) -> None:
    """Put in each row, under ``lookup``, its sorted names: one query for the rows."""
    names: dict[Any, list[Any]] = {row["pk"]: [] for row in rows}
    if names:
        found = model._default_manager.filter(pk__in=list(names)).values_list("pk", lookup)
        for pk, value in found:
            if value is not None:  # a row without any: the outer join's null
                names[pk].append(value)
    for row in rows:
        row[lookup] = sorted(names[row["pk"]])


def _field_or_none(model: type[Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class _Timestamp:
    """A DateTimeField's converter, to be given the page's time zone (``_in_zone``)."""

    def __init__(self, fallback: Callable[[Any], Any]):
        self.fallback = fallback

    def __call__(self, value: Any) -> Any:
        return self.fallback(value)


def _is_iso_timestamp(field: Any) -> bool:
    """A plain DateTimeField that writes ISO 8601 in the current time zone."""
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        type(field) is drf_fields.DateTimeField
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and isinstance(output, str)
        and output.lower() == ISO_8601
    )


def _in_zone(zone: tzinfo, timestamp: _Timestamp) -> Callable[[Any], Any]:
    """DRF's DateTimeField output for an aware datetime, without a time zone lookup each.

    The field's own ``to_representation`` (which asks for the current time zone at every
    value) takes anything else.
    """

    # In UTC (the projects' TIME_ZONE), a value already in UTC, as the database's
    # loader gives it (core/database.py), is written as it is: astimezone to the
    # ZoneInfo cost a list page a twentieth of its time.
    utc = getattr(zone, "key", None) in {"UTC", "Etc/UTC"} or zone is UTC

    def convert(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            if utc and value.tzinfo is UTC:
                text = value.isoformat()
            else:
                text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return timestamp.fallback(value)

    return convert


def _by_attname(model: type[Model], attname: str) -> Any:
    for column in model._meta.concrete_fields:
        if column.attname == attname:
            return column
    return None
