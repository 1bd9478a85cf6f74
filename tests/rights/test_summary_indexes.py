"""The indexes behind an incremental refresh (docs/dashboards.md, "Incremental refresh"): rebuilding one
court's month reads that month's hearings, their cases, the accused and the approved observations from
covering indexes alone, not a heap page per row. On PostgreSQL, with sequential and bitmap scans
priced out, a fill that uses one of these indexes must be able to use it index-only: a column a fill
reads that an index does not hold makes the scan an "Index Scan", and this test fails."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection, transaction

from mission.dashboards.summaries import Changes
from rights.services import summaries
from tests.conftest import require_service

pytestmark = pytest.mark.django_db

COVERING = ("hearing_court_date_idx", "case_court_idx", "party_accused_idx", "observation_approved_idx")
# The fills that read a court's month from the records (the others read summary tables or flags).
FROM_RECORDS = (
    "_hearing_months",
    "_adjournment_months",
    "_municipality_months",
    "_case_months",
    "_accused_person_months",
    "_hearings_by_accused",
    "_rating_months",
)


def _plans(fill_name: str, changes: Changes) -> list[str]:
    """The plans of the INSERT … SELECT statements of one fill, without running them."""
    statements: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    fill = next(t.fill for t in summaries.TABLES if t.fill.__name__ == fill_name)
    with transaction.atomic():
        with connection.execute_wrapper(capture):
            fill(changes)
        transaction.set_rollback(True)
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for sql, params in statements:
            if sql.lstrip().upper().startswith("INSERT"):
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.parametrize("fill_name", FROM_RECORDS)
def test_a_courts_month_is_read_from_covering_indexes(trial_data, fill_name):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    court = trial_data["prizren"].court_id
    changes = Changes.of([(datetime.date(2026, 1, 1), court), (datetime.date(2026, 2, 1), court)])
    plans = _plans(fill_name, changes)
    assert plans, "the fill wrote with INSERT … SELECT"
    scans = [line for plan in plans for line in plan.splitlines() if re.search(r"Scan.* using (\w+)", line)]
    used = {re.search(r" using (\w+)", line).group(1): line for line in scans}
    assert "hearing_court_date_idx" in used, "\n".join(plans)
    for name in COVERING:
        for line in scans:
            if f" using {name} " in line:
                assert "Index Only Scan" in line, f"{fill_name} reads the table behind {name}:\n" + "\n".join(plans)
