"""How a list endpoint reads a page: the rows of a `values_list()` query as dicts, and for partners the
page's statement written once and run again for every page after it.

A partner syncs a list page by page: the same request with a new cursor each time. Building that
page's query through the ORM (scope, filters, order, fields) and compiling it to SQL cost about a tenth
of a partner's request, always with the same result but for the cursor. `PageStatements` keeps the
statement per request shape (view, fields, filters with their values, page size, cursor or not) and
puts the new cursor in its place (per partner: a filter may hold a partner's own identifier of a
record, decoded into the statement; and per version of the reference data when a filter names a
code, which the statement holds as the row's key). Before it keeps one, it compiles the query twice, with two cursors
no table holds, and keeps the statement only if the SQL is the same and the cursor is the one
parameter that differs: a scope or filter that depends on anything else (the time, say) is never
kept. Staff requests are not kept: a staff member's scope follows their roles, which can change.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from mission.choices import reference_split, reference_values
from mission.encryption import decrypted_rows, encrypted_positions
from mission.kept_pages import PROBE_KEYS

_KEPT_STATEMENTS = 256
_MAX_KEY_LENGTH = 2000  # filters longer than this (in characters) are not worth keeping


class PlainRows:
    """The rows of `queryset.values_list(*lookups)` as dicts (output names: `keys`). On PostgreSQL
    straight from the database cursor: the ORM writes the SQL, psycopg returns typed values (aware
    datetimes included), and no per-row converter runs but the decryption of encrypted columns.
    Elsewhere (SQLite stores datetimes as text) through the ORM's converters. A value of a reference
    table (a court's code) is read as the key on the row and looked up in the kept reference values
    (`mission.choices.reference_values`): each join left out is planning time saved on every page."""

    def __init__(self, queryset: QuerySet[Any, Any], lookups: list[str], keys: list[str]) -> None:
        splits = [reference_split(queryset.model, lookup) for lookup in lookups]
        read = [split[0] if split else lookup for split, lookup in zip(splits, lookups, strict=True)]
        self.queryset, self.lookups, self.keys = queryset.values_list(*read), lookups, keys
        self.references = [(i, split[1], split[2]) for i, split in enumerate(splits) if split is not None]
        self.encrypted = encrypted_positions(queryset.model, lookups)

    @property
    def raw(self) -> bool:
        """Whether the rows are read straight from the database cursor (PostgreSQL)."""
        return connections[self.queryset.db].vendor == "postgresql"

    def statement(self, limit: int) -> tuple[str, tuple[Any, ...]]:
        """The SQL of the first `limit` rows and its parameters; EmptyResultSet for a scope that sees
        nothing."""
        sql, params = self.queryset[:limit].query.sql_with_params()
        return sql, tuple(params)

    def run(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return self._dicts(list(decrypted_rows(cursor.fetchall(), self.encrypted)))

    def page(self, limit: int) -> list[dict[str, Any]]:
        """The first `limit` rows."""
        if not self.raw:
            return self._dicts(list(self.queryset[:limit]))
        try:
            sql, params = self.statement(limit)
        except EmptyResultSet:  # a scope that sees nothing
            return []
        return self.run(sql, params)

    def _dicts(self, rows: list[Any]) -> list[dict[str, Any]]:
        if rows and self.references:
            rows = [list(row) for row in rows]
            for index, model, rest in self.references:
                values = reference_values(model, rest)
                if any(row[index] is not None and row[index] not in values for row in rows):
                    values = reference_values(model, rest, rebuild=True)  # a row added since: read again
                for row in rows:
                    if row[index] is not None:
                        row[index] = values.get(row[index])
        return [dict(zip(self.keys, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class PageStatement:
    """A page's statement with the cursor's place among its parameters (None: a first page)."""

    rows: PlainRows
    sql: str
    params: tuple[Any, ...]
    cursor_at: int | None

    def run(self, after: int | None) -> list[dict[str, Any]]:
        params = list(self.params)
        if self.cursor_at is not None:
            params[self.cursor_at] = after
        return self.rows.run(self.sql, tuple(params))


def _written(rows_after: Callable[[int | None], PlainRows], limit: int, cursor: bool) -> PageStatement | None:
    """The statement of a page, if it can be kept (see the module's note); None if not."""
    probes = PROBE_KEYS if cursor else (None, None)
    try:
        written = [(rows, *rows.statement(limit)) for rows in (rows_after(probe) for probe in probes)]
    except EmptyResultSet:
        return None
    (rows, sql, params), (_other, other_sql, other_params) = written
    if not rows.raw or sql != other_sql or len(params) != len(other_params):
        return None
    differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
    if not cursor:
        return PageStatement(rows, sql, params, None) if not differ else None
    if differ != [i for i, value in enumerate(params) if value == PROBE_KEYS[0]] or len(differ) != 1:
        return None
    if other_params[differ[0]] != PROBE_KEYS[1]:
        return None
    return PageStatement(rows, sql, params, differ[0])


class PageStatements:
    """The kept statements of one process, by request shape (at most `_KEPT_STATEMENTS`; when full,
    they are dropped and written again as they are asked for)."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, PageStatement | None] = {}

    def rows(
        self,
        shape: Hashable,
        rows_after: Callable[[int | None], PlainRows],
        after: int | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """The page after `after` (None: the first), `limit` rows, of the query `rows_after(after)`."""
        key = (shape, after is not None, limit)
        if len(repr(shape)) > _MAX_KEY_LENGTH:
            return rows_after(after).page(limit)
        if key not in self._kept:
            if len(self._kept) >= _KEPT_STATEMENTS:
                self._kept.clear()
            self._kept[key] = _written(rows_after, limit, after is not None)
        statement = self._kept[key]
        if statement is None:
            return rows_after(after).page(limit)
        return statement.run(after)

    def clear(self) -> None:
        self._kept.clear()

    def kept(self) -> int:
        """How many statements are kept (request shapes whose statement could not be kept are not
        counted)."""
        return sum(statement is not None for statement in self._kept.values())


page_statements = PageStatements()
