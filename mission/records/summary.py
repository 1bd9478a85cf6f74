"""The summary of a department's declared records: what its dashboard, the mission overview, the
municipality page and the results report count, kept in one table (`RecordCount`) instead of counted
from the records on every page, so that those pages cost the same at a million records as at ten
thousand.

Each record type is counted per month (of its date) and municipality, by a `dimension`:

- `status`: every record, by its review status (the overview counts what the reader's scope holds);
- `""`: the approved records;
- each field of `aggregate_by`: the approved records by its value;
- `<part>` and `<part>.<field>` for each field of a part's `counted_by`: the part's rows of the
  approved records, and by that field's value (people counted, never named);
- `<part>.<field>.n` and `<part>.<field>.sum` for each field of a part's `averaged`, and the same with
  `@<field>` by each field of `aggregate_by`: how many of the part's rows have a value, and their sum
  (a count that holds a sum: the field is a whole number), so that a mean is read, not computed
  from the rows (`averages`);
- `<part>.<field>.total` for each field of a part's `summed`, and the same with `@<field>` by each
  field of the part's `counted_by`: the field's sum over the part's rows (the people attending);
- `response.<step>` for each step of `response_measured`: the approved records the response applies
  to (an incident reported to the police), by the days from the record's date to its first such step
  (no value: not reached).
- `deadline.<step>` for each of `deadlines`: the approved records by the days from their first such
  step to the first step that ends it, or the date the clock started (`mission.records.deadlines`).

The statuses, the approved records and a part's summed fields over all its rows are kept per
municipality (the maps, the municipality page); the rest per region.

The summaries framework (`mission.dashboards`) rebuilds the months that changed: every save or delete
of a record of a declared type marks its month (`_mark`), and a correction that moves its date marks
the month it left. Readers sum rows: a handful of queries whatever the number of records.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import CharField, F, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, TruncMonth
from django.db.models.signals import post_delete, post_save

from mission.dashboards.models import RecordCount
from mission.dashboards.registry import Summary, register_summary, summaries
from mission.dashboards.services import summaries_mark
from mission.dashboards.summaries import Changes, SummaryTable, month_of
from mission.records.counters import waiting_counts, waiting_counts_keep
from mission.records.deadlines import deadline_dimension, deadline_values
from mission.records.shapes import IncidentRecord, ResponseStepRow
from mission.review.models import ReviewStatus
from mission.sql import insert_select_grouped

if TYPE_CHECKING:
    from mission.dashboards.periods import Period
    from mission.departments import DepartmentConfig
    from mission.records.declaration import RecordPart, RecordType

ITEMS = "items"  # the topic of a tracker's change: no table reads it, but the dashboard's figures change
STATUS = "status"
APPROVED = ""  # the dimension of the approved records' total
RESPONSE = "response."
TOTAL = ".total"


def summary_name(config: DepartmentConfig) -> str:
    return f"records.{config.label}"


def type_key(record_type: RecordType) -> str:
    return record_type.model.lower()


def response_part(record_type: RecordType) -> RecordPart | None:
    """The part of the record type that holds its response's steps (`ResponseStepRow` rows)."""
    return next((p for p in record_type.parts if issubclass(p.get_model(), ResponseStepRow)), None)


def _day(record_type: RecordType) -> str:
    return record_type.date_field or "created_at"


# --- Filling ---------------------------------------------------------------------------------------
class DaysBetween(Func):
    """Whole days from `earlier` to `later` (dates); NULL when either is."""

    output_field = models.IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _text(expression: Any) -> Cast:
    return Cast(expression, output_field=CharField())


def _mapped(dimension: str) -> bool:
    """Whether a dimension is kept per municipality: the totals (statuses, approved records, a summed
    field over all the rows: the persons who returned), for the maps and the municipality page."""
    return dimension in (STATUS, APPROVED) or (dimension.endswith(TOTAL) and "@" not in dimension)


def _grouping(summary: str, record_type: RecordType, dimension: str, value: str | None) -> dict[str, str]:
    """One grouping of `insert_select_grouped`: constants are code names, never user input. The
    totals are kept per municipality (`_mapped`); the other dimensions per region, which is all a
    dashboard filters by: several times fewer rows to sum."""
    return {
        "summary": f"='{summary}'",
        "record_type": f"='{type_key(record_type)}'",
        "month": "month",
        "region_id": "region",
        "municipality_id": "place" if _mapped(dimension) else "=CAST(NULL AS BIGINT)",
        "dimension": f"='{dimension}'",
        "value": value or "=NULL",
        "count": "=COUNT(*)",
    }


def _records(record_type: RecordType, changes: Changes | None) -> models.QuerySet[Any]:
    model: Any = record_type.get_model()
    day = _day(record_type)
    records: models.QuerySet[Any] = model._default_manager.order_by()
    if changes is not None:
        records = records.filter(changes.q(day))
    return records


def _fill(summary: str, record_type: RecordType, changes: Changes | None) -> int:
    model: Any = record_type.get_model()
    day = _day(record_type)
    month = TruncMonth(day, output_field=models.DateField())
    records = _records(record_type, changes)
    written = insert_select_grouped(
        RecordCount,
        records.values(month=month, place=F("municipality_id"), region=F("municipality__region_id"), state=F("status")),
        [_grouping(summary, record_type, STATUS, "state")],
    )
    approved = records.filter(status=ReviewStatus.APPROVED)
    coded = {f"v_{name}": _text(F(name)) for name in record_type.aggregate_by}
    groupings = [_grouping(summary, record_type, APPROVED, None)]
    groupings += [_grouping(summary, record_type, name, f"v_{name}") for name in record_type.aggregate_by]
    written += insert_select_grouped(
        RecordCount,
        approved.values(month=month, place=F("municipality_id"), region=F("municipality__region_id"), **coded),
        groupings,
    )
    for part in record_type.parts:
        if not part.counted_by or part.tally:  # a tally's rows are added up (`_fill_sums`), not counted
            continue
        row_model: Any = part.get_model()
        values = {f"v_{name}": _text(F(row_model._meta.get_field(name).attname)) for name in part.counted_by}
        related = part.related_name()
        groupings = [_grouping(summary, record_type, related, None)]
        groupings += [_grouping(summary, record_type, f"{related}.{name}", f"v_{name}") for name in part.counted_by]
        written += insert_select_grouped(RecordCount, _part_rows(part, approved, day, values), groupings)
    for part in record_type.parts:
        written += _fill_averages(summary, record_type, part, approved, day)
        written += _fill_sums(summary, record_type, part, approved, day)
    steps_part = response_part(record_type)
    if steps_part is not None and record_type.response_measured and record_type.date_field:
        applies = approved.filter(reported_to_police=True) if issubclass(model, IncidentRecord) else approved
        steps: Any = steps_part.get_model()._default_manager
        firsts = {
            f"v_{step}": _text(
                DaysBetween(
                    Subquery(
                        steps.filter(**{steps_part.link(): OuterRef("pk"), "step": step})
                        .order_by("date")
                        .values("date")[:1]
                    ),
                    F(day),
                )
            )
            for step in record_type.response_measured
        }
        groupings = [
            _grouping(summary, record_type, f"{RESPONSE}{step}", f"v_{step}") for step in record_type.response_measured
        ]
        written += insert_select_grouped(
            RecordCount,
            applies.values(month=month, place=F("municipality_id"), region=F("municipality__region_id"), **firsts),
            groupings,
        )
    if steps_part is not None and record_type.deadlines:
        values = deadline_values(steps_part, record_type.deadlines)
        groupings = [
            _grouping(summary, record_type, deadline_dimension(d), f"v_{d.started}") for d in record_type.deadlines
        ]
        written += insert_select_grouped(
            RecordCount,
            approved.values(month=month, place=F("municipality_id"), region=F("municipality__region_id"), **values),
            groupings,
        )
    return written


def averaged_dimension(part: RecordPart, name: str, by: str, what: str) -> str:
    """The dimension that keeps, of a part's averaged field `name`, how many rows have a value ("n") or
    their sum ("sum"), by the record's field `by` ("" for all): a mean is the sum over the count."""
    return f"{part.related_name()}.{name}.{what}" + (f"@{by}" if by else "")


def _fill_averages(
    summary: str, record_type: RecordType, part: RecordPart, approved: models.QuerySet[Any], day: str
) -> int:
    if not part.averaged:
        return 0
    link = part.link()
    values: dict[str, Any] = {f"v_{name}": _text(F(f"{link}__{name}")) for name in record_type.aggregate_by}
    values |= {f"m_{name}": F(name) for name in part.averaged}
    groupings = []
    for name in part.averaged:
        for field_name in ("", *record_type.aggregate_by):
            value = f"v_{field_name}" if field_name else None
            for what, total in (("n", f"=COUNT(m_{name})"), ("sum", f"=COALESCE(SUM(m_{name}), 0)")):
                dimension = averaged_dimension(part, name, field_name, what)
                groupings.append(_grouping(summary, record_type, dimension, value) | {"count": total})
    return insert_select_grouped(RecordCount, _part_rows(part, approved, day, values), groupings)


def summed_dimension(part: RecordPart, name: str, by: str) -> str:
    """The dimension that keeps the sum of a part's summed field `name`, by the part's field `by` ("" for
    all)."""
    return f"{part.related_name()}.{name}{TOTAL}" + (f"@{by}" if by else "")


def _fill_sums(
    summary: str, record_type: RecordType, part: RecordPart, approved: models.QuerySet[Any], day: str
) -> int:
    if not part.summed:
        return 0
    row_model: Any = part.get_model()
    values: dict[str, Any] = {
        f"v_{name}": _text(F(row_model._meta.get_field(name).attname)) for name in part.counted_by
    }
    values |= {f"m_{name}": F(name) for name in part.summed}
    groupings = [
        _grouping(summary, record_type, summed_dimension(part, name, by), f"v_{by}" if by else None)
        | {"count": f"=COALESCE(SUM(m_{name}), 0)"}
        for name in part.summed
        for by in ("", *part.counted_by)
    ]
    return insert_select_grouped(RecordCount, _part_rows(part, approved, day, values), groupings)


def _part_rows(part: RecordPart, approved: models.QuerySet[Any], day: str, values: dict[str, Any]) -> Any:
    """The rows of `part` of the approved records, with the month, place and region of their record and
    `values` (alias → expression), for `insert_select_grouped`."""
    link = part.link()
    rows: Any = part.get_model()._default_manager.order_by()
    return rows.filter(**{f"{link}__in": approved.values("pk")}).values(
        month=TruncMonth(f"{link}__{day}", output_field=models.DateField()),
        place=F(f"{link}__municipality_id"),
        region=F(f"{link}__municipality__region_id"),
        **values,
    )


def averages(
    counts: Counts, record_type: RecordType, part: RecordPart, name: str, by: str
) -> dict[str | None, tuple[int, float]]:
    """Of a part's averaged field, per value of the record's field `by` ("": the one key None): how
    many rows have a value and their mean, from the summary's counts."""
    sums = counts.of(record_type, averaged_dimension(part, name, by, "sum"))
    found: dict[str | None, tuple[int, float]] = {}
    for value, n in counts.of(record_type, averaged_dimension(part, name, by, "n")).items():
        if n:
            found[value] = (n, sums.get(value, 0) / n)
    return found


def record_summary_tables(config: DepartmentConfig) -> list[SummaryTable]:
    name = summary_name(config)
    return [
        SummaryTable(RecordCount, _filler(name, record_type), owned=Q(summary=name), reads=frozenset())
        for record_type in config.records
    ]


def _filler(summary: str, record_type: RecordType) -> Any:
    def fill(changes: Changes | None) -> int:
        return _fill(summary, record_type, changes)

    return fill


# --- Marking ---------------------------------------------------------------------------------------
def _mark(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Mark the month of the record (of a declared type) saved or deleted."""
    summary = getattr(sender, "_record_summary", None)
    day = getattr(instance, sender._record_day, None)
    if summary is None or day is None:
        return
    if isinstance(day, datetime.datetime):
        day = day.date()
    summaries_mark(summary, [(day, None)])


def record_summary_mark_items(model: type[models.Model]) -> None:
    """A tracker's item changed: the department's dashboard shows it, so the summary's version must
    change (no table of it is rebuilt: none reads the topic)."""
    name = f"records.{model._meta.app_label}"
    if name in summaries():
        summaries_mark(name, [(datetime.date.today(), None)], topic=ITEMS)


def _mark_items(sender: Any, **kwargs: Any) -> None:
    record_summary_mark_items(sender)


def record_summary_watch(model: type[models.Model]) -> None:
    """Mark the department's record summary on every save and delete of `model`, which its dashboard
    reads beside the records (a forum of the registry, a year's figures): its kept pages are then
    made again."""
    uid = f"record-summary-watch:{model._meta.label}"
    post_save.connect(_mark_items, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_mark_items, sender=model, weak=False, dispatch_uid=uid)


def record_summary_mark_moved(record: models.Model) -> None:
    """Before a correction: the record may leave the month it is in (its date moved), so mark that
    month too; the save marks the month it is in after."""
    _mark(type(record), record)


def record_summary_register(config: DepartmentConfig) -> None:
    """Register the department's summary and mark it on every save and delete of its records."""
    name = summary_name(config)
    summary = Summary(name, lambda: record_summary_tables(config), live_counts=waiting_counts(config))
    if all(s.name != name for s in config.summaries):  # the department's summaries: its own and this one
        config.summaries = (*config.summaries, summary)
    register_summary(summary)
    for record_type in config.records:
        model: Any = record_type.get_model()
        model._record_summary = name
        model._record_day = _day(record_type)
        uid = f"record-summary:{model._meta.label}"
        post_save.connect(_mark, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_mark, sender=model, weak=False, dispatch_uid=uid)
    waiting_counts_keep(config)


# --- Reading ---------------------------------------------------------------------------------------
def _in_scope(summary: str, region_ids: Iterable[int] | None) -> models.QuerySet[RecordCount]:
    rows = RecordCount.objects.filter(summary=summary)
    if region_ids is not None:
        rows = rows.filter(region_id__in=sorted(region_ids))
    return rows.order_by()


def _months(period: Period) -> Q:
    return Q(month__gte=month_of(period.first), month__lte=month_of(period.end))


@dataclass
class Counts:
    """What a dashboard reads of one summary for a period and the one before: per record type and
    dimension, value → count (`now`, `before`); the approved records by month and by municipality."""

    now: dict[tuple[str, str], Counter[str | None]] = field(default_factory=dict)
    before: dict[tuple[str, str], Counter[str | None]] = field(default_factory=dict)
    by_month: dict[str, Counter[datetime.date]] = field(default_factory=dict)
    by_municipality: dict[str, Counter[int]] = field(default_factory=dict)
    by_region: dict[str, Counter[int]] = field(default_factory=dict)

    def of(self, record_type: RecordType, dimension: str, *, previous: bool = False) -> Counter[str | None]:
        found = (self.before if previous else self.now).get((type_key(record_type), dimension))
        return found if found is not None else Counter()

    def total(self, record_type: RecordType, dimension: str = APPROVED, *, previous: bool = False) -> int:
        return sum(self.of(record_type, dimension, previous=previous).values())


def record_counts(
    summary: str, region_ids: Iterable[int] | None, period: Period, *, dimensions: Sequence[str] | None = None
) -> Counts:
    """The summary's counts in the regions (None: all) for `period` and the one before it, in two
    queries; `dimensions` limits what is read (the overview needs the statuses alone)."""
    before = period.previous()
    rows = _in_scope(summary, region_ids)
    if dimensions is not None:
        rows = rows.filter(dimension__in=dimensions)
    counts = Counts()
    grouped = (
        rows.filter(_months(period) | _months(before))
        .values("record_type", "dimension", "value")
        .annotate(now=Sum("count", filter=_months(period)), before=Sum("count", filter=_months(before)))
    )
    for row in grouped:
        key = (row["record_type"], row["dimension"])
        if row["now"]:
            counts.now.setdefault(key, Counter())[row["value"]] += row["now"]
        if row["before"]:
            counts.before.setdefault(key, Counter())[row["value"]] += row["before"]
    main = APPROVED if dimensions is None or APPROVED in dimensions else dimensions[0]
    places = rows.filter(_months(period), dimension=main)
    grouped_places = places.values("record_type", "month", "region_id", "municipality_id").annotate(n=Sum("count"))
    for type_of, month, region, municipality, n in grouped_places.values_list(
        "record_type", "month", "region_id", "municipality_id", "n"
    ):
        day = datetime.date.fromisoformat(month) if isinstance(month, str) else month
        counts.by_month.setdefault(type_of, Counter())[day] += n
        counts.by_region.setdefault(type_of, Counter())[region] += n
        if municipality is not None:  # the totals' rows all name one
            counts.by_municipality.setdefault(type_of, Counter())[municipality] += n
    return counts


def municipality_counts(
    summary: str, region_ids: Iterable[int] | None, period: Period, wanted: Sequence[tuple[RecordType, str]]
) -> dict[tuple[str, str], Counter[int]]:
    """Of dimensions kept per municipality (the approved records, a summed field over all the rows),
    each (record type, dimension)'s sums for `period` by municipality id, in one query: the maps."""
    for _record_type, dimension in wanted:
        if not _mapped(dimension):
            raise ValueError(f"{dimension!r} is not kept per municipality")
    keys = {(type_key(record_type), dimension) for record_type, dimension in wanted}
    found: dict[tuple[str, str], Counter[int]] = {key: Counter() for key in keys}
    if not keys:
        return found
    which = Q()
    for key, dimension in sorted(keys):
        which |= Q(record_type=key, dimension=dimension)
    rows = _in_scope(summary, region_ids).filter(_months(period), which, municipality_id__isnull=False)
    grouped = rows.values("record_type", "dimension", "municipality_id").annotate(n=Sum("count"))
    for key, dimension, municipality, n in grouped.values_list("record_type", "dimension", "municipality_id", "n"):
        if municipality is not None:  # never: filtered out above
            found[(key, dimension)][municipality] += n
    return found


def record_status_counts(summary: str, municipality_id: int) -> dict[str, Counter[str | None]]:
    """Per record type, the records of one municipality by status, whatever their date."""
    rows = RecordCount.objects.filter(summary=summary, dimension=STATUS, municipality_id=municipality_id)
    found: dict[str, Counter[str | None]] = {}
    for key, value, n in rows.order_by().values_list("record_type", "value").annotate(n=Sum("count")):
        found.setdefault(key, Counter())[value] += n
    return found


def median_days(histogram: Counter[str | None]) -> float | None:
    """The median of the days a histogram counts (value → how many), read from its sorted values
    without listing each record: a histogram of a million records has a few hundred values."""
    days = sorted((int(value), n) for value, n in histogram.items() if value is not None and n > 0)
    total = sum(n for _day, n in days)
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the 0-based positions whose mean is the median
    found: list[int] = []
    seen = 0
    for day, n in days:
        while middle and middle[0] < seen + n:
            found.append(day)
            middle.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def reached_share(histogram: Counter[str | None]) -> float | None:
    total = sum(histogram.values())
    reached = sum(n for value, n in histogram.items() if value is not None)
    return reached / total if total else None
