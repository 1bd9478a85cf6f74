"""Summary tables: counts per month and dimension that dashboards read instead of the records. A
department lists its tables with how each is filled (`SummaryTable`) and declares them as a `Summary`
on its `DepartmentConfig`; the framework rebuilds them whole (`summary_tables_rebuild` without changes:
the nightly repair, `manage.py refresh_dashboards`) or only the parts its services marked as changed
(`Changes`: months, each whole or only some groups within it, such as one court's rows).

A mark may name a topic (`summaries_mark(..., topic=…)`): what kind of change it was, such as the ratings
of an observation. A table that declares the topics it `reads` is rebuilt for the marks of those topics
and for the marks without one; a table that declares none is rebuilt for every mark. So an approval
that changes only ratings rebuilds the rating tables, not every table of its month.

A fill writes with one INSERT … SELECT (`mission.sql.insert_select`) and narrows its SELECT with
`changes.q(...)` (the records of the changed parts) or, for a query with a window over months,
`changes.where(...)` (its output rows of the changed parts). The framework deletes the table's rows
of those parts first, inside the same transaction as the refill.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Q

# A part of a summary to rebuild: the first day of a month, and a group within it (None: the whole month).
Part = tuple[datetime.date, int | None]


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Changes:
    """The parts of a summary to rebuild: month → the groups changed in it, or None for all of it."""

    parts: Mapping[datetime.date, frozenset[int] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, parts: Iterable[Part]) -> "Changes":
        merged: dict[datetime.date, set[int] | None] = {}
        for day, group in parts:
            month = month_of(day)
            groups = merged.setdefault(month, set())
            if group is None or groups is None:
                merged[month] = None
            else:
                groups.add(group)
        return cls({m: (None if g is None else frozenset(g)) for m, g in sorted(merged.items())})

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __len__(self) -> int:
        """How many parts: a whole month counts once, and each group of a month once."""
        return sum(1 if groups is None else len(groups) for groups in self.parts.values())

    def __or__(self, other: "Changes") -> "Changes":
        """The parts of both: a month whole in either is whole."""
        merged: dict[datetime.date, frozenset[int] | None] = dict(self.parts)
        for month, groups in other.parts.items():
            if month not in merged:
                merged[month] = groups
            else:
                mine = merged[month]
                merged[month] = None if mine is None or groups is None else mine | groups
        return Changes(dict(sorted(merged.items())))

    def whole_months(self) -> "Changes":
        """The same months, whole: for a table whose rows are not kept by group."""
        return Changes(dict.fromkeys(self.parts))

    def q(self, day: str, group: str | None = None) -> Q:
        """The rows whose `day` (a date field or alias) lies in a changed part, and whose `group`
        (a lookup) is one of that month's changed groups."""
        condition = Q(pk__in=[])
        for month, groups in self.parts.items():
            part = Q(**{f"{day}__gte": month, f"{day}__lt": next_month(month)})
            if groups is not None and group is not None:
                part &= Q(**{f"{group}__in": sorted(groups)})
            condition |= part
        return condition

    def in_groups(self, group: str) -> Q:
        """The rows whose `group` (a lookup) is one of the changed groups of any month (all rows when a
        month changed whole): a condition `q` implies, which lets the database narrow a joined table by
        its own index (the cases of the changed courts) instead of reading it all."""
        every: set[int] = set()
        for groups in self.parts.values():
            if groups is None:
                return Q()
            every |= groups
        return Q(**{f"{group}__in": sorted(every)}) if every else Q()

    def where(self, month_sql: str, group_sql: str | None = None) -> tuple[str, list[Any]]:
        """The same as `q`, as SQL over output columns (`month_sql` holds a month's first day), for
        `insert_select(where=…)`: a window over a case's months must see them all before the rows of
        the changed parts are kept."""
        clauses: list[str] = []
        params: list[Any] = []
        for month, groups in self.parts.items():
            clause = f"({month_sql} >= %s AND {month_sql} < %s"
            params += [month, next_month(month)]
            if groups is not None and group_sql is not None:
                clause += f" AND {group_sql} IN ({', '.join(['%s'] * len(groups))})"
                params += sorted(groups)
            clauses.append(clause + ")")
        return "(" + (" OR ".join(clauses) or "1 = 0") + ")", params


EVERY_TABLE = ""  # the topic of a mark that every table of its summary is rebuilt for


@dataclass(frozen=True)
class Marked:
    """What the marks of a summary say changed: its parts per topic (EVERY_TABLE for marks without one)."""

    topics: Mapping[str, Changes] = field(default_factory=dict)

    def for_tables(self, tables: Iterable["SummaryTable"]) -> Changes:
        """The parts these tables (of one model) are rebuilt for: marks without a topic, and those of a
        topic one of them reads (any topic, for a table that declares none)."""
        tables = list(tables)
        changes = Changes()
        for topic, parts in self.topics.items():
            if topic == EVERY_TABLE or any(t.reads is None or topic in t.reads for t in tables):
                changes = changes | parts
        return changes

    def everything(self) -> Changes:
        changes = Changes()
        for parts in self.topics.values():
            changes = changes | parts
        return changes

    def __bool__(self) -> bool:
        return any(self.topics.values())

    def __len__(self) -> int:
        return len(self.everything())


@dataclass(frozen=True)
class SummaryTable:
    """A summary table and one way it is filled: `fill(changes)` writes rows (one INSERT … SELECT, see
    `mission.sql.insert_select`), all of them when `changes` is None, else only those of the changed
    parts, and returns how many. A table filled from several sources is listed once per source (with
    the same fields); a table filled from another comes after it.

    `month` names the table's month field; `group`, if the table keeps its rows by the summary's
    group (trial monitoring: the court), that field, so a change in one group rebuilds that group's
    rows of the month; without it a changed month is rebuilt whole (`Changes.whole_months`).

    `owned` narrows what a rebuild deletes to this summary's rows of a table that several summaries
    share.

    `reads` names the topics of marks that change this table's rows, besides marks without a topic;
    None (the default) rebuilds it for every mark. A table filled from another reads its topics too."""

    model: type[models.Model]
    fill: Callable[["Changes | None"], int]
    month: str = "month"
    group: str | None = None
    reads: frozenset[str] | None = None
    # The rows of the table this summary owns, when summaries share a table (the declared records'
    # `RecordCount`, one summary per department): a rebuild deletes only those.
    owned: Q | None = None


def summary_tables_rebuild(tables: Sequence[SummaryTable], changes: "Changes | Marked | None" = None) -> int:
    """Replace the rows of the tables (with `changes`, only those of the changed parts, each table for
    the topics it reads); returns the number of rows written."""
    models_in_order = list(dict.fromkeys(table.model for table in tables))
    if changes is not None and not changes:
        return 0
    marked = Marked({EVERY_TABLE: changes}) if isinstance(changes, Changes) else changes
    # A model filled from several tables is rebuilt for what any of them reads, by all of them.
    scope: dict[type[models.Model], Changes | None] = {
        model: None if marked is None else marked.for_tables(t for t in tables if t.model is model)
        for model in models_in_order
    }
    firsts = {table.model: table for table in reversed(tables)}
    for model in models_in_order:
        model_changes = scope[model]
        if model_changes is not None and not model_changes:
            continue
        rows = model._default_manager.all()
        table = firsts[model]
        if table.owned is not None:
            rows = rows.filter(table.owned)
        if model_changes is not None:
            rows = rows.filter(_scoped(model_changes, table).q(table.month, table.group))
        rows._raw_delete(rows.db)  # summary rows: nothing cascades, no signals
    written = 0
    for table in tables:
        model_changes = scope[table.model]
        if model_changes is None:
            written += table.fill(None)
        elif model_changes:
            written += table.fill(_scoped(model_changes, table))
    if connection.vendor == "postgresql" and changes is None:
        # Fresh statistics, or the planner takes the rebuilt tables for empty and picks nested loops.
        with connection.cursor() as cursor:
            for model in models_in_order:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written


def _scoped(changes: Changes, table: SummaryTable) -> Changes:
    return changes if table.group else changes.whole_months()
