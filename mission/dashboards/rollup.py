"""Several groupings of several querysets, summed in the database in one statement.

A dashboard needs the same rows grouped several ways (by month, by region, by court…) plus a total.
`rollup_many` sends one SQL statement: on PostgreSQL each queryset is read once and grouped with
GROUPING SETS; elsewhere (SQLite, the embedded default) each grouping is its own SELECT, joined by
UNION ALL. Every result row has `dim` (the grouping's name, or the total's), `key` (the group, as
text), `label` (a name grouped along, where asked), and the rollup's sums under their own names.
"""

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.expressions import Combinable

WIDTH = 8  # sums per row
NAME = re.compile(r"[a-z_]+")
TOTAL = "total"  # never returned: a rollup without `total` has no () set


@dataclass
class Rollup:
    """`queryset` holds the rows (scoped and filtered); `groups` maps a grouping's name to the
    expression it groups on; `sums` maps a measure's name to what is summed per group (at most WIDTH
    measures). A grouping named in `labels` also groups on that label expression (a name in the
    user's language, say)."""

    queryset: QuerySet[Any, Any]
    groups: Mapping[str, Combinable]
    sums: Mapping[str, Combinable]
    labels: dict[str, Combinable] = field(default_factory=dict)
    total: str = ""  # when given, a row of that name sums every row


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _inner(rollup: Rollup) -> tuple[str, list[Any]]:
    # Keys and labels are grouped as they are and cast to text only in the (few) result rows.
    columns = {f"k_{name}": expression for name, expression in rollup.groups.items()}
    columns |= {f"l_{name}": expression for name, expression in rollup.labels.items()}
    columns |= {f"s{i}": expression for i, expression in enumerate(rollup.sums.values())}
    sql, params = rollup.queryset.order_by().values(**columns).query.sql_with_params()
    return sql, list(params)


def _sums(rollup: Rollup) -> str:
    parts = [f"COALESCE(SUM(sub.{_qn(f's{i}')}), 0)" for i in range(len(rollup.sums))]
    parts += ["0"] * (WIDTH - len(rollup.sums))
    return ", ".join(f"{part} AS {_qn(f's{i}')}" for i, part in enumerate(parts))


def _grouping_sets(rollup: Rollup) -> tuple[str, list[Any]]:
    inner, params = _inner(rollup)
    names = list(rollup.groups)

    def key(name: str) -> str:
        return f"sub.{_qn(f'k_{name}')}"

    def label(name: str) -> str | None:
        return f"sub.{_qn(f'l_{name}')}" if name in rollup.labels else None

    def text(column: str | None) -> str:
        return f"CAST({column} AS text)"

    total = f"'{rollup.total or TOTAL}'"
    if not names:
        dim_sql, key_sql, label_sql = total, "''", "''"
    else:
        dim_sql = "CASE " + " ".join(f"WHEN GROUPING({key(n)}) = 0 THEN '{n}'" for n in names) + f" ELSE {total} END"
        key_sql = "CASE " + " ".join(f"WHEN GROUPING({key(n)}) = 0 THEN {text(key(n))}" for n in names) + " ELSE '' END"
        labelled = [n for n in names if label(n)]
        label_sql = (
            "CASE " + " ".join(f"WHEN GROUPING({key(n)}) = 0 THEN {text(label(n))}" for n in labelled) + " ELSE '' END"
            if labelled
            else "''"
        )
    sets = [f"({key(n)}{', ' + column if (column := label(n)) else ''})" for n in names]
    if rollup.total:
        sets.append("()")
    sql = (
        f"SELECT {dim_sql} AS {_qn('dim')}, {key_sql} AS {_qn('key')}, {label_sql} AS {_qn('label')}, "  # noqa: S608
        f"{_sums(rollup)} FROM ({inner}) sub GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    return sql, params


def _unions(rollup: Rollup) -> tuple[str, list[Any]]:
    inner, params = _inner(rollup)
    selects, all_params = [], []
    for name in rollup.groups:
        key = f"sub.{_qn(f'k_{name}')}"
        label = f"sub.{_qn(f'l_{name}')}" if name in rollup.labels else None
        selects.append(
            f"SELECT '{name}' AS {_qn('dim')}, CAST({key} AS text) AS {_qn('key')}, "  # noqa: S608 (see rollup_many)
            f"{f'CAST({label} AS text)' if label else chr(39) * 2} AS {_qn('label')}, "
            f"{_sums(rollup)} FROM ({inner}) sub GROUP BY {key}{', ' + label if label else ''}"
        )
        all_params += params
    if rollup.total:
        selects.append(
            f"SELECT '{rollup.total}' AS {_qn('dim')}, '' AS {_qn('key')}, '' AS {_qn('label')}, {_sums(rollup)} "  # noqa: S608
            f"FROM ({inner}) sub"
        )
        all_params += params
    return " UNION ALL ".join(selects), all_params


def rollup_many(rollups: list[Rollup]) -> dict[str, list[dict[str, Any]]]:
    """Run the rollups in one statement; rows by grouping name (names must differ across rollups),
    each with its rollup's sums by name."""
    build = _grouping_sets if connection.vendor == "postgresql" else _unions
    statements, params = [], []
    measures: dict[str, list[str]] = {}  # grouping name -> the names of its rollup's sums
    for rollup in rollups:
        for name in [*rollup.groups, *([rollup.total] if rollup.total else [])]:
            measures[name] = list(rollup.sums)
        try:
            rollup.queryset.query.sql_with_params()
        except EmptyResultSet:  # a scope that sees nothing: no rows, not an error
            continue
        if len(rollup.sums) > WIDTH:
            raise ValueError(f"at most {WIDTH} sums")
        # Grouping names go into the SQL as literals, so they must be plain identifiers.
        if not all(NAME.fullmatch(n) for n in [*rollup.groups, *([rollup.total] if rollup.total else [])]):
            raise ValueError("grouping names are lower-case identifiers")
        sql, rollup_params = build(rollup)
        statements.append(sql)
        params += rollup_params
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not statements:
        return grouped
    # Where the querysets read (a replica in read-only work, mission/replicas.py); the same for all.
    using = rollups[0].queryset.db
    with connections[using].cursor() as cursor:
        # Identifiers are quoted, grouping names are ours (not user input), and values stay parameters.
        cursor.execute(" UNION ALL ".join(statements), params)
        for dim, key, label, *sums in cursor.fetchall():
            record = {"dim": dim, "key": key, "label": label}
            record |= zip(measures[dim], sums, strict=False)
            grouped[dim].append(record)
    return grouped
