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

A record's page reads the same statements for every record, but for its key: `kept_rows` keeps a
statement per shape with the place of that one value among its parameters (found by compiling it with
two keys no table holds, as `mission.api.rows` does for a partner's cursor; a statement where anything
else differs is not kept), and `attach` puts child rows where `parent.children.all()` reads them, as
`prefetch_related` does. A record page's five or six reads then cost what running them costs.
"""

import copy
import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from mission import kept_fragments, prepared
from mission.choices import kept_while_reference_unchanged
from mission.instances import Maker, Populator, maker


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
    # Where the values go among `params` (`kept_rows`, `kept_rows_in`): (parameter, value) positions.
    value_at: tuple[tuple[int, int], ...] | None = None
    names: tuple[str, ...] | None = None  # a `values()` query's: its rows are dicts of these

    def makers(self) -> tuple[Maker, tuple[Populator, ...]]:
        """How a row becomes its instance and its related ones (`mission.instances`), worked out once
        (a receiver of the init signals connected later is seen when the statement is kept again)."""
        made = self.__dict__.get("_makers")
        if made is None:
            model = self.compiler.klass_info["model"]
            made = (maker(model, self.init_list, self.db), tuple(Populator(p, self.db) for p in self.populators))
            object.__setattr__(self, "_makers", made)
        return made

    def _compiler_for(self, wrapper: Any) -> tuple[SQLCompiler, Any]:
        """The statement's compiler on this connection (a copy: a connection is one thread's) and its
        converters, worked out once per connection."""
        kept = self.__dict__.get("_on_connection")
        if kept is None or kept[0] is not wrapper:
            compiler = copy.copy(self.compiler)
            compiler.connection = wrapper
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
            kept = (wrapper, compiler, converters)
            object.__setattr__(self, "_on_connection", kept)
        return kept[1], kept[2]

    def _converted(self, wrapper: Any, fetched: list[Any]) -> Sequence[Sequence[Any]]:
        """The rows as `compiler.results_iter` gives them (each value through its field's converters)."""
        compiler, converters = self._compiler_for(wrapper)
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        if converters is None:
            return list(compiler.results_iter([fetched]))
        return list(compiler.apply_converters(fetched, converters)) if converters else fetched

    def rows(self, values: Sequence[Any] = ()) -> list[Any]:
        if self.sql is None:
            return []
        wrapper = connections[self.db]
        with wrapper.cursor() as cursor:
            if self.params is None:
                prepared.execute_literal(cursor, self.sql, using=self.db)
            elif self.value_at is not None:
                params = list(self.params)
                for at, index in self.value_at:
                    params[at] = values[index]
                prepared.execute(cursor, self.sql, params, using=self.db)
            else:
                cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        converted = self._converted(wrapper, fetched)
        if self.names is not None:
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in converted]
        start, end = self.model_fields
        make, populators = self.makers()
        objects: list[Model] = []
        for row in converted:
            obj = make(row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        if objects and self.prefetch:
            prefetch_related_objects(objects, *self.prefetch)
        else:  # each instance is what its row holds: a fragment may be kept by it
            for obj, row in zip(objects, converted, strict=True):
                kept_fragments.mark(obj, row)
        return objects


def _written(queryset: QuerySet[Any, Any], db: str, *, inline: bool = True) -> KeptPage | None:
    """The kept form of `queryset` (ordered and sliced to a page), or None for one that cannot be kept:
    not model instances, or with rows attached by the caller."""
    query = queryset.query
    if queryset._iterable_class is ValuesIterable and not query.combinator and not query.extra_select:
        return _written_values(queryset, db)
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
    sql, kept_params = _literal(sql, params, db) if inline else (sql, tuple(params))
    return KeptPage(db, sql, kept_params, compiler, init_list, (start, end), populators, annotations, prefetch)


def _literal(sql: str, params: Sequence[Any], db: str) -> tuple[str, tuple[Any, ...] | None]:
    """On PostgreSQL the statement with its values written in, as the driver sends them (and None for
    its parameters); elsewhere as it is."""
    wrapper = connections[db]
    if wrapper.vendor != "postgresql":
        return sql, tuple(params)
    with wrapper.cursor() as cursor:
        return cursor.cursor.mogrify(sql, params).decode(wrapper.connection.encoding), None


def _written_values(queryset: QuerySet[Any, Any], db: str) -> KeptPage:
    """The kept form of a `values()` query: rows as dicts of its names, as `ValuesIterable` makes them."""
    query = queryset.query
    compiler = query.get_compiler(using=db)
    names = (*query.values_select, *query.annotation_select)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return KeptPage(db, None, None, compiler, (), (0, 0), (), (), (), names=names)
    sql, kept_params = _literal(sql, params, db)
    return KeptPage(db, sql, kept_params, compiler, (), (0, 0), (), (), (), names=names)


def kept_query(model: type[Model], shape: Hashable, build: Callable[[], QuerySet[Any, Any]]) -> list[Any]:
    """The rows of `build()` (model instances, or dicts for a `values()` query), its statement kept for
    `shape`, which says everything the query is built from (see the module's note)."""
    db = model._default_manager.db
    kept = kept_while_reference_unchanged(("query", db, shape), lambda: _written(build(), db))
    if kept is None:
        return list(build())
    _check(kept, build, ())
    return kept.rows()


def first_page_rows(shape: Hashable, db: str, write: Callable[[], QuerySet[Any, Any]]) -> list[Model] | None:
    """The rows of the page `write()` builds (ordered, sliced), its statement kept for `shape` (see the
    module's note); None when it cannot be kept, and the caller reads it as usual."""
    kept = kept_while_reference_unchanged(("first-page", db, shape), lambda: _written(write(), db))
    if kept is None:
        return None
    _check(kept, write, ())
    return kept.rows()


def _check(kept: KeptPage, build: Callable[[], QuerySet[Any, Any]], values: Sequence[Any]) -> None:
    """With the setting `MISSION_CHECK_KEPT_STATEMENTS` (the test suite's), the kept statement must be
    the one the query built now compiles to: a shape that leaves out something the query is built from
    is found by the test that reads it."""
    if not getattr(settings, "MISSION_CHECK_KEPT_STATEMENTS", False):
        return
    try:
        sql, params = build().query.get_compiler(using=kept.db).as_sql()
    except EmptyResultSet:
        if kept.sql is not None:
            raise AssertionError("a kept statement reads rows where the query built now reads none") from None
        return
    if kept.params is None:
        same = kept.sql == _literal(sql, params, kept.db)[0]
    else:
        expected = list(kept.params)
        for at, index in kept.value_at or ():
            expected[at] = values[index]
        same = kept.sql == sql and expected == list(params)
    if not same:
        raise AssertionError(f"a kept statement differs from the query built now:\n{kept.sql}\n{sql} {params}")


_M = TypeVar("_M", bound=Model)

# Two keys no table holds, to find a value among a statement's parameters (here and in
# `mission.api.rows`): positive, so that a column that takes no negative number (a generic relation's
# `object_id`) compiles them as it compiles a key, and beyond 32 bits, past any key of ours.
PROBE_KEYS = (7_461_820_935_113, 7_461_820_935_127)
_INT32 = (-(2**31), 2**31 - 1)


def _probes(count: int, second: bool) -> list[int]:
    """`count` keys no table holds, all different, and different between the two sets: to find the values
    among a statement's parameters."""
    base = PROBE_KEYS[1] if second else PROBE_KEYS[0]
    return [base - 100 * i for i in range(count)]


def _written_for_values(build: Callable[[list[int]], QuerySet[Any, Any]], count: int, db: str) -> KeptPage | None:
    """The kept form of `build(values)` (`count` values) with each value's place among its parameters;
    None when the two probes' statements differ in anything but those parameters, each once."""
    first, second = _probes(count, False), _probes(count, True)
    kept = _written(build(first), db, inline=False)
    if kept is None or kept.sql is None or kept.params is None:
        return None
    try:
        other_sql, other_params = build(second).query.get_compiler(using=db).as_sql()
    except EmptyResultSet:
        return None
    if other_sql != kept.sql or len(other_params) != len(kept.params):
        return None
    differ = [i for i, (a, b) in enumerate(zip(kept.params, other_params, strict=True)) if a != b]
    places = []
    for at in differ:
        index = first.index(kept.params[at]) if kept.params[at] in first else None
        if index is None or other_params[at] != second[index]:
            return None
        places.append((at, index))
    if sorted(index for _at, index in places) != list(range(count)):
        return None
    return dataclasses.replace(kept, value_at=tuple(places))


def _is_key(value: int) -> bool:
    # Beyond 32 bits no key of ours; a prepared statement would refuse it.
    return isinstance(value, int) and _INT32[0] <= value <= _INT32[1]


def kept_rows(model: type[_M], shape: Hashable, build: Callable[[int], QuerySet[_M, _M]], value: int) -> list[_M]:
    """The rows of `build(value)` (a queryset of `model` that depends on `value`, a key, and on nothing
    but what `shape` says), its statement kept for `shape`; read as usual when it cannot be kept."""
    if not _is_key(value):
        return list(build(value))
    db = model._default_manager.db
    kept = kept_while_reference_unchanged(
        ("rows", db, shape), lambda: _written_for_values(lambda v: build(v[0]), 1, db)
    )
    if kept is None:
        return list(build(value))
    _check(kept, lambda: build(value), [value])
    return kept.rows([value])


def kept_rows_in(
    model: type[_M], shape: Hashable, build: Callable[[list[int]], QuerySet[_M, _M]], values: Sequence[int]
) -> list[_M]:
    """`kept_rows` for a list of keys (`build(keys)` reads the rows of any of them): one statement kept
    per number of keys."""
    keys = sorted(set(values))
    if not keys:
        return []
    if not all(_is_key(key) for key in keys):
        return list(build(keys))
    db = model._default_manager.db
    kept = kept_while_reference_unchanged(
        ("rows-in", db, shape, len(keys)), lambda: _written_for_values(build, len(keys), db)
    )
    if kept is None:
        return list(build(keys))
    _check(kept, lambda: build(keys), keys)
    return kept.rows(keys)


def attach(parent: Model, relation: str, children: Sequence[Model]) -> None:
    """`children` as `parent.<relation>.all()` (a reverse foreign key) reads them, prefetched, each with
    its foreign key to `parent` already read (no query for either)."""
    manager = getattr(parent, relation)
    field = manager.field
    queryset = manager.get_queryset()
    queryset._result_cache = list(children)
    queryset._prefetch_done = True
    for child in children:
        field.set_cached_value(child, parent)
    parent.__dict__.setdefault("_prefetched_objects_cache", {})[field.remote_field.cache_name] = queryset
    kept_fragments.adopt(parent, field.remote_field.cache_name, children)  # a kept fragment's key holds them


def grouped(children: Sequence[_M], parents: Sequence[Model], key: str) -> list[list[_M]]:
    """`children` per parent, in the parents' order, each list in the children's order; `key` names the
    children's foreign key to the parents ("hearing_id")."""
    lists: dict[Any, list[_M]] = {parent.pk: [] for parent in parents}
    for child in children:
        lists[getattr(child, key)].append(child)
    return [lists[parent.pk] for parent in parents]


def reader_key(user: Any) -> tuple[Any, ...]:
    """What a reader's scope is made of (`mission.accounts.permissions.scope_for`) and who they are."""
    return (
        user.pk,
        getattr(user, "role", None),
        getattr(user, "department", None),
        getattr(user, "region_id", None),
        getattr(user, "field_team_id", None),
        user.is_active,
        user.is_superuser,
    )
