"""Summary tables: counts per month and dimension that dashboards read instead of the records. A
department lists its tables with how each is filled; `summary_tables_rebuild` empties and refills them
(the dashboard framework runs it inside a transaction with the refresh row locked)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, models


@dataclass(frozen=True)
class SummaryTable:
    """A summary table and one way it is filled: `fill()` writes rows (one INSERT … SELECT, see
    `mission.sql.insert_select`) and returns how many. A table filled from several sources is listed
    once per source; a table filled from another comes after it."""

    model: type[models.Model]
    fill: Callable[[], int]


def summary_tables_rebuild(tables: Sequence[SummaryTable]) -> int:
    """Replace every row of the tables; returns the number of rows written."""
    models_in_order = list(dict.fromkeys(table.model for table in tables))
    for model in models_in_order:
        model._default_manager.all().delete()
    written = sum(table.fill() for table in tables)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes the rebuilt tables for empty and picks nested loops.
        with connection.cursor() as cursor:
            for model in models_in_order:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written
