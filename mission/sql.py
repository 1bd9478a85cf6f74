"""Writing rows from table to table in the database: `INSERT INTO … SELECT`, with the SELECT built by the
ORM (so what it computes is right on SQLite and PostgreSQL alike) and no row passing through Python."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import QuerySet


def insert_select(
    model: type[models.Model],
    queryset: QuerySet[Any, Any],
    columns: Mapping[str, str],
    *,
    where: str = "",
    where_params: Sequence[Any] = (),
    group: bool = False,
) -> int:
    """INSERT INTO `model`'s table the `columns` (the model's field → the alias of a value of
    `queryset`, a `.values(alias=…)` query) and return how many rows were written.

    `where` filters the SELECT's rows (SQL over `sub.<alias>`, with `where_params` for its %s). With
    `group`, the aliases that are not aggregates are grouped on, and the aggregates are given as SQL in
    `columns` values prefixed with "=" (for window queries, which cannot be grouped in the same SELECT).
    A queryset that can hold nothing writes nothing.
    """
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    try:
        inner, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return 0
    targets = ", ".join(quote(column_of(model, name)) for name in columns)
    sources, keys = _select_list(columns, quote)
    if where and connection.vendor == "postgresql":
        # An optimisation fence: PostgreSQL would otherwise pull the inner SELECT up into this one and
        # copy each of its values into every place `where` and the grouping use it, so a value computed
        # by a subquery (the month of a case's hearing before) was computed three times per row.
        inner = f"SELECT * FROM ({inner}) fenced OFFSET 0"  # noqa: S608 (the ORM's SQL)
    # Identifiers are quoted, the inner SELECT is the ORM's, and its values stay parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT {', '.join(sources)} FROM ({inner}) sub"  # noqa: S608
    if where:
        sql += f" WHERE {where}"
    if group:
        sql += f" GROUP BY {', '.join(keys)}"
    return _written(connection, sql, (*params, *where_params))


def insert_select_grouped(
    model: type[models.Model], queryset: QuerySet[Any, Any], groupings: Sequence[Mapping[str, str]]
) -> int:
    """As `insert_select` with `group`, for several groupings of the same rows: `queryset` is read
    once (a common table expression, which PostgreSQL materializes when it is read more than once)
    and each of `groupings` (the model's field → an alias of `queryset`, a constant written as SQL
    after "=", or an aggregate after "=") adds its groups. Returns how many rows were written."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    try:
        inner, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return 0
    fields = list(groupings[0])
    if any(list(grouping) != fields for grouping in groupings):
        raise ValueError("every grouping writes the same fields, in the same order")
    selects = []
    for grouping in groupings:
        sources, keys = _select_list(grouping, quote)
        group_by = f" GROUP BY {', '.join(keys)}" if keys else ""
        selects.append(f"SELECT {', '.join(sources)} FROM sub{group_by}")  # noqa: S608
    targets = ", ".join(quote(column_of(model, name)) for name in fields)
    # Identifiers are quoted, the inner SELECT is the ORM's, and its values stay parameters.
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({targets}) WITH sub AS ({inner}) {' UNION ALL '.join(selects)}"
    return _written(connection, sql, params)


def _select_list(columns: Mapping[str, str], quote: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """The outer SELECT's values for `columns` (an alias of the inner query, or SQL after "="), and
    those of them that are aliases: what a grouped SELECT groups on."""
    sources, keys = [], []
    for source in columns.values():
        if source.startswith("="):
            sources.append(source[1:])
        else:
            sources.append(f"sub.{quote(source)}")
            keys.append(f"sub.{quote(source)}")
    return sources, keys


def _written(connection: Any, sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written: int = cursor.rowcount
        return max(written, 0)


def column_of(model: type[models.Model], name: str) -> str:
    """The column of `model`'s field `name`."""
    field = model._meta.get_field(name)
    column = field.column if isinstance(field, models.Field) else None
    if column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return column
