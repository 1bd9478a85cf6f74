"""A tracker on its department's dashboard (`mission.records.dashboard`): how many items had reached
each `TrackerType.done` status by the end of the period (against the period before), how many were
overdue then (past their `deadline`, neither done nor closed), the status now
by each field of `grouped_by` (the addressee: who must act), and the status at the end of each month
of the period. Items concern no region: the region filter leaves them as they are."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from mission.dashboards.charts import COUNT, RATE, Chart, Column, Figure
from mission.dashboards.filters import Filters
from mission.dashboards.periods import add_months
from mission.trackers.declaration import TrackerType

NONE = ""  # no status yet


def _month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def _statuses_at(
    entries: list[tuple[int, datetime.date, str]], items: dict[int, datetime.date], day: datetime.date
) -> dict[int, str]:
    """The status on `day` of each item that existed then (`items`: item → the day it arose): its
    latest entry on or before it (entries sorted by date); an item with an entry by then existed."""
    status = {item: NONE for item, arose in items.items() if arose <= day}
    for item, date, value in entries:
        if date > day:
            break
        status[item] = value
    return status


def _values_of(field: Any, present: set[Any]) -> list[tuple[Any, Any]]:
    """A grouping field's values with their labels: its choices, or the rows of a reference list it
    points to (those the items name, in the list's order)."""
    if not field.is_relation:
        return list(field.choices)
    return [(row.pk, str(row)) for row in field.related_model._default_manager.filter(pk__in=present)]


def tracker_dashboard(tracker_type: TrackerType, user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    model: Any = tracker_type.get_model()
    meta: Any = model._meta
    plural = capfirst(meta.verbose_name_plural)
    choices: list[tuple[str, Any]] = list(meta.get_field("current_status").choices)
    labels = {NONE: _("No status yet"), **dict(choices)}
    items = model._default_manager.visible_to(user)
    since = tracker_type.since
    grouped = list(items.values_list("pk", "created_at", *([since] if since else []), *tracker_type.grouped_by))
    first = 3 if since else 2  # where the grouped fields start in a row
    arose = {
        row[0]: datetime.date(row[2], 1, 1) if since and row[2] else timezone.localtime(row[1]).date()
        for row in grouped
    }
    pks = list(arose)
    history: Any = tracker_type.entry_model()._default_manager  # a subclass's rows: their `item` and `status`
    entries = list(history.filter(item__in=pks).order_by("date", "pk").values_list("item_id", "date", "status"))
    period, before = filters.period, filters.period.previous()
    now = _statuses_at(entries, arose, _month_end(period.last))
    then = _statuses_at(entries, arose, _month_end(before.last))
    figures = [Figure(plural, len(now), len(then), COUNT)]
    for done in tracker_type.done:
        share = Counter(now.values())[done] / len(now) if now else None
        share_then = Counter(then.values())[done] / len(then) if then else None
        label = format_lazy(_("{items}: {status}"), items=plural, status=labels.get(done, done))
        figures.append(Figure(label, share, share_then, RATE))
    if tracker_type.deadline:
        due = dict(items.values_list("pk", tracker_type.deadline))
        ended = {*tracker_type.done, *tracker_type.closed}
        today = timezone.localdate()  # a period that ends later counts what is overdue today
        ends = (min(_month_end(period.last), today), min(_month_end(before.last), today))

        def overdue(statuses: dict[int, str], day: datetime.date) -> int:
            return sum(1 for pk, status in statuses.items() if due.get(pk) and due[pk] < day and status not in ended)

        label = format_lazy(_("{items}: overdue"), items=plural)
        figures.append(Figure(label, overdue(now, ends[0]), overdue(then, ends[1]), COUNT))
    series = tuple(range(1, len(labels) + 1))
    status_columns = [Column(label) for label in labels.values()]
    charts = []
    for field_name in tracker_type.grouped_by:
        field: Any = meta.get_field(field_name)
        index = tracker_type.grouped_by.index(field_name) + first
        counted = Counter((row[index], now[row[0]]) for row in grouped if row[0] in now)
        rows = [
            [str(label), *[counted.get((value, status), 0) for status in labels]]
            for value, label in _values_of(field, {value for value, _status in counted})
            if any(counted.get((value, status)) for status in labels)
        ]
        title = format_lazy(
            _("{items} by {field}: the status at the end of the period"), items=plural, field=field.verbose_name
        )
        charts.append(
            Chart(
                f"{tracker_type.name}-by-{field_name}",
                title,
                [Column(capfirst(field.verbose_name)), *status_columns],
                rows,
                series=series,  # stacked bars: a grouping's long names (a source, an area) read across
            )
        )
    rows = []
    for month in period.months():
        at = Counter(_statuses_at(entries, arose, _month_end(month)).values())
        rows.append([date_format(month, "YEAR_MONTH_FORMAT"), *[at.get(status, 0) for status in labels]])
    title = format_lazy(_("{items}: the status at the end of each month"), items=plural)
    charts.append(
        Chart(
            f"{tracker_type.name}-over-time",
            title,
            [Column(_("Month")), *status_columns],
            rows,
            series=series,
            style="columns",
        )
    )
    return figures, charts
