"""The first page of a staff list, its statement written once per request shape and run again.

Opening a list (the hearings, the review queue) is what staff do all day, and its first page is the
same query every time for the same reader and the same filters. Building that query through the ORM
(scope, filters, annotations, the order and its keys) and compiling it cost a list page several
milliseconds, and PostgreSQL planned its joins again on every view (2–3 ms for the review queue's
six tables, more than running it). Here the statement is kept per request shape, with what turns its
rows into model instances (the compiler's columns, the related objects' populators, the annotations),
and on PostgreSQL it runs as a prepared statement with its values written in (`mission.prepared`):
planned once per connection.

A list opts in (`mission.pages.page_of(..., keep=True)`) only when its queryset is a function of what
the shape holds: the page's address and query string (its filters, search and sort), the reader's
row (identity, role, department, region, team: their scope), the day, the language, the reference
data's version (`mission.choices.kept_while_reference_unchanged`, which also bounds how long and how
many are kept), the database it reads and the page size. A selector that reads other rows to build
its query, or the time of day, does not opt in. Cursor pages are read as before: each cursor is a new
statement, and a page deep in a list is rare.
"""

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from mission import prepared
from mission.choices import kept_while_reference_unchanged


@dataclass(frozen=True)
class KeptPage:
    """A page's statement and how its rows become instances (`ModelIterable`'s recipe, written once).
    `sql` None: the reader's scope sees nothing. `params` None: the values are written into `sql`
    (PostgreSQL, as psycopg2 itself would send them)."""

    db: str
    sql: str | None
    params: tuple[Any, ...] | None
    compiler: SQLCompiler
    init_list: tuple[str, ...]
    model_fields: tuple[int, int]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    prefetch: tuple[Any, ...]

    def rows(self) -> list[Model]:
        if self.sql is None:
            return []
        wrapper = connections[self.db]
        with wrapper.cursor() as cursor:
            if self.params is None:
                prepared.execute_literal(cursor, self.sql, using=self.db)
            else:
                cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        compiler = copy.copy(self.compiler)
        compiler.connection = wrapper
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        model = self.compiler.klass_info["model"]
        start, end = self.model_fields
        objects: list[Model] = []
        for row in compiler.results_iter([fetched]):
            obj = model.from_db(self.db, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        if objects and self.prefetch:
            prefetch_related_objects(objects, *self.prefetch)
        return objects


def _written(queryset: QuerySet[Any, Any], db: str) -> KeptPage | None:
    """The kept form of `queryset` (ordered and sliced to a page), or None for one that cannot be kept:
    not model instances, or with rows attached by the caller."""
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._known_related_objects  # type: ignore[attr-defined]
        or query.combinator
        or query.select_for_update
    ):
        return None
    compiler = query.get_compiler(using=db)
    prefetch = tuple(queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a scope that sees nothing
        return KeptPage(db, None, None, compiler, (), (0, 0), (), (), prefetch)
    klass_info = compiler.klass_info
    if klass_info is None:
        return None
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = tuple(column[0].target.attname for column in compiler.select[start:end])
    # The stubs are a later Django's (a `fetch_mode` argument 5.2 does not have).
    populators = tuple(get_related_populators(klass_info, compiler.select, db))  # type: ignore[call-arg]
    annotations = tuple((compiler.annotation_col_map or {}).items())
    wrapper = connections[db]
    kept_params: tuple[Any, ...] | None = tuple(params)
    if wrapper.vendor == "postgresql":
        with wrapper.cursor() as cursor:  # the values as the driver sends them
            sql = cursor.cursor.mogrify(sql, params).decode(wrapper.connection.encoding)
        kept_params = None
    return KeptPage(db, sql, kept_params, compiler, init_list, (start, end), populators, annotations, prefetch)


def first_page_rows(shape: Hashable, db: str, write: Callable[[], QuerySet[Any, Any]]) -> list[Model] | None:
    """The rows of the page `write()` builds (ordered, sliced), its statement kept for `shape` (see the
    module's note); None when it cannot be kept, and the caller reads it as usual."""
    kept = kept_while_reference_unchanged(("first-page", db, shape), lambda: _written(write(), db))
    return None if kept is None else kept.rows()
