"""The token of a request and its user, in one statement written once per process.

Every API request looks its token up. Through the ORM (`select_related("user").filter(prefix=…)`)
the statement was compiled again on every request, which cost more than running it: about a fifth of
a partner's list request. Here the same join is written once from the models' fields, and the rows
become model instances the way the ORM makes them (`Model.from_db`, after each field's converters),
so the token and its user are the same objects the ORM would give.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router

from mission import prepared
from mission.accounts.models import User
from mission.api.models import ApiToken
from mission.connections import first_statement

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Part:
    """One model's columns in the statement: its fields, their names and each one's converters."""

    model: type[models.Model]
    names: list[str]
    converters: list[list[tuple[Converter, Any]]]

    def instance(self, db: str, values: Sequence[Any]) -> Any:
        connection = connections[db]
        converted = []
        for value, field_converters in zip(values, self.converters, strict=True):
            for converter, column in field_converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(db, self.names, converted)


def _part(db: str, model: type[models.Model], alias: str) -> tuple[_Part, list[str]]:
    connection = connections[db]
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    converters = []
    for field in fields:
        column = field.get_col(alias)
        converters.append(
            [(c, column) for c in connection.ops.get_db_converters(column) + field.get_db_converters(connection)]
        )
    selected = [f"{quote(alias)}.{quote(str(field.column))}" for field in fields]
    return _Part(model, [field.attname for field in fields], converters), selected


@functools.cache
def _statement(db: str) -> tuple[str, _Part, _Part]:
    quote = connections[db].ops.quote_name
    token, token_columns = _part(db, ApiToken, "t")
    user, user_columns = _part(db, User, "u")
    user_key = str(ApiToken._meta.get_field("user").column)
    user_pk = str(User._meta.pk.column) if User._meta.pk is not None else "id"
    sql = (
        f"SELECT {', '.join(token_columns + user_columns)} "  # noqa: S608 - names from the models, quoted
        f"FROM {quote(ApiToken._meta.db_table)} {quote('t')} "
        f"JOIN {quote(User._meta.db_table)} {quote('u')} "
        f"ON {quote('u')}.{quote(user_pk)} = {quote('t')}.{quote(user_key)} "
        f"WHERE {quote('t')}.{quote('prefix')} = %s"
    )
    return sql, token, user


def token_with_user(prefix: str) -> ApiToken | None:
    """The token with this prefix (unique), its `user` filled in; None when there is none."""
    db = router.db_for_read(ApiToken)
    sql, token_part, user_part = _statement(db)

    def fetch() -> Any:
        with connections[db].cursor() as cursor:
            prepared.execute(cursor, sql, [prefix], using=db)
            return cursor.fetchone()

    # An API request's first statement: it also checks the kept connection (mission/connections.py).
    row = first_statement(fetch, using=db)
    if row is None:
        return None
    split = len(token_part.names)
    token: ApiToken = token_part.instance(db, row[:split])
    token.user = user_part.instance(db, row[split:])
    return token
