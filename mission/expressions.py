"""Query expressions the ORM lacks on both databases we run on.

`ValuesOf(queryset, field)`: one field of a subquery's rows, in its order, as one tuple per row (a row's
flags' rules beside the row). A list page that shows a few related values per row reads them in its
own statement instead of a second one and its model instances: `ARRAY(subquery)` on PostgreSQL,
`json_group_array` over the ordered subquery on SQLite (which keeps the rows' order in the aggregate).
"""

import json
from collections.abc import Callable
from typing import Any

from django.db.models import F, JSONField, QuerySet, Subquery
from django.db.models.sql.compiler import SQLCompiler


class ValuesOf(Subquery):
    """The values of `field` (a name or path, as `F()` takes it) of `queryset`'s rows (with `OuterRef`s to
    the row), in the queryset's order: a tuple, () where the subquery has no row. Values come as each
    database gives them: an array's Python values on PostgreSQL, JSON's on SQLite (a boolean as 0 or 1,
    a date as text), so text and numbers read alike on both. On SQLite the order holds because an
    ordered subquery is not flattened into the aggregate over it."""

    template = "ARRAY(%(subquery)s)"

    def __init__(self, queryset: QuerySet[Any, Any], field: str) -> None:
        super().__init__(queryset.values(**{_VALUE: F(field)}), output_field=JSONField())

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, Any]:
        # SQLite does not flatten an ordered subquery into an aggregate: the array keeps its order.
        template = f"(SELECT json_group_array({_VALUE}) FROM (%(subquery)s))"  # noqa: S608 - our alias
        return super().as_sql(compiler, connection, template=template, **extra)

    def get_db_converters(self, connection: Any) -> list[Callable[..., Any]]:
        return [_as_tuple]


_VALUE = "values_of_value"


def _as_tuple(value: Any, expression: Any, connection: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if connection.vendor == "sqlite":  # its JSON text
        return tuple(json.loads(value))
    return tuple(value)
