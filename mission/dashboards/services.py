"""Writes of the dashboard framework: marking the parts of summaries that records' services changed,
bringing those parts up to date, and rebuilding the departments' summary tables whole.

Every service that changes what a summary counts calls `summaries_mark` inside its own transaction,
with the months (and groups) the change touches, before and after it: the marks commit or roll back
with the change. `summary_apply_changes` (Celery beat every DASHBOARD_REFRESH_MINUTES) claims the marks
and rebuilds only those parts; `summary_refresh` rebuilds everything (nightly, `manage.py
refresh_dashboards`), which also repairs what changed without a service (an administrator's edit of
reference data, a hand-made fix in the database).
"""

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from mission.dashboards import registry
from mission.dashboards.counters import live_counts_compact, live_counts_recount
from mission.dashboards.models import RefreshKind, SummaryMark, SummaryRefresh
from mission.dashboards.summaries import EVERY_TABLE, Changes, Marked, Part, month_of
from mission.kept_pages import kept_query
from mission.replicas import primary_reads, replica_caught_up

logger = logging.getLogger(__name__)


def summaries_mark(name: str, parts: Iterable[Part], topic: str = EVERY_TABLE) -> None:
    """Mark these parts of the summary `name` (a day in the month, and a group or None for the whole
    month) as changed; with a `topic`, only for the tables that read it (`SummaryTable.reads`). Call
    inside the transaction of the change: a change rolled back leaves no mark."""
    unique = {(month_of(day), group) for day, group in parts}
    SummaryMark.objects.bulk_create(
        SummaryMark(summary=name, month=month, group=group, topic=topic) for month, group in sorted(unique, key=str)
    )


def _claim(name: str) -> Marked:
    """Remove the summary's marks and return what they marked. Runs in the refresh's transaction, after
    its lock: a mark committed later is not removed and waits for the next refresh; on PostgreSQL a
    mark held by another transaction is skipped, not waited for."""
    table = connection.ops.quote_name(SummaryMark._meta.db_table)
    group = connection.ops.quote_name("group")
    if connection.vendor == "postgresql":
        sql = (
            f"DELETE FROM {table} WHERE id IN "  # noqa: S608  # quoted names, the value is a parameter
            f"(SELECT id FROM {table} WHERE summary = %s FOR UPDATE SKIP LOCKED) RETURNING month, {group}, topic"
        )
    else:
        sql = f"DELETE FROM {table} WHERE summary = %s RETURNING month, {group}, topic"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [name])
        rows = cursor.fetchall()
    parts: dict[str, list[Part]] = {}
    for month, group, topic in rows:
        day = month if isinstance(month, datetime.date) else datetime.date.fromisoformat(month)
        parts.setdefault(topic, []).append((day, group))
    return Marked({topic: Changes.of(topic_parts) for topic, topic_parts in sorted(parts.items())})


def _locked(name: str, *, wait: bool) -> tuple[SummaryRefresh | None, bool]:
    """The summary's refresh row, locked for this transaction (None if another refresh holds it and
    `wait` is false), and whether it was made now (the summary was never built)."""
    record, created = SummaryRefresh.objects.get_or_create(
        name=name, defaults={"refreshed_at": timezone.now(), "duration_ms": 0, "rows": 0}
    )
    locked = SummaryRefresh.objects.select_for_update(skip_locked=not wait).filter(pk=record.pk).first()
    return locked, created


def _rebuild(record: SummaryRefresh, started: float) -> SummaryRefresh:
    summary = registry.summaries()[record.name]
    as_of = timezone.now()
    _claim(record.name)  # what they marked is rebuilt now; marks made from here on wait
    record.rows = summary.refresh(None)
    record.refreshed_at = record.rebuilt_at = record.changed_at = as_of
    record.kind, record.parts = RefreshKind.FULL, 0
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.save(update_fields=["refreshed_at", "rebuilt_at", "changed_at", "kind", "parts", "duration_ms", "rows"])
    return record


def _recount(name: str) -> None:
    """Count the summary's live counts again from the records, in a short transaction of its own (it
    keeps their writers out while it runs)."""
    counts = registry.summaries()[name].live_counts
    if counts is not None:
        live_counts_recount(counts)


def _compact(name: str) -> None:
    counts = registry.summaries()[name].live_counts
    if counts is not None:
        live_counts_compact(counts.names)


def summary_refresh(*, name: str) -> SummaryRefresh:
    """Rebuild one summary whole in a transaction: readers see the old figures until the new ones are
    complete. The refresh row is locked first, so two refreshes of the same summary run one after the
    other instead of both inserting."""
    started = time.monotonic()
    with transaction.atomic():
        record, _created = _locked(name, wait=True)
        assert record is not None  # waited for the lock
        record = _rebuild(record, started)
    _recount(name)
    logger.info("summary %s rebuilt: %s rows in %s ms", name, record.rows, record.duration_ms)
    return record


def summaries_refresh(*, names: list[str] | None = None) -> list[SummaryRefresh]:
    return [summary_refresh(name=name) for name in (names or sorted(registry.summaries()))]


def summary_apply_changes(*, name: str, wait: bool = True) -> SummaryRefresh | None:
    """Bring one summary up to date with the parts marked since its last refresh, in a transaction
    (readers see the old rows of those parts until the new ones are in). A summary never built is
    rebuilt whole. Without `wait`, returns None when another refresh of it is running (that one, or the
    next, takes the marks)."""
    started = time.monotonic()
    with transaction.atomic():
        record, created = _locked(name, wait=wait)
        if record is None:
            return None
        if created:
            record = _rebuild(record, started)
            changes = Marked()
        else:
            as_of = timezone.now()  # every change committed before the claim is in the figures
            changes = _claim(name)
            record.rows = registry.summaries()[name].refresh(changes) if changes else 0
            record.refreshed_at = as_of
            if changes:
                record.changed_at = as_of
            record.kind, record.parts = RefreshKind.INCREMENTAL, len(changes)
            record.duration_ms = int((time.monotonic() - started) * 1000)
            record.save(update_fields=["refreshed_at", "changed_at", "kind", "parts", "duration_ms", "rows"])
    # The live counts, each in a short transaction of its own: counted whole with a summary never
    # built, else their rows merged.
    if created:
        _recount(name)
    else:
        _compact(name)
    if changes:
        logger.info(
            "summary %s: %s changed parts, %s rows in %s ms", name, record.parts, record.rows, record.duration_ms
        )
    return record


def summaries_apply_changes(*, names: list[str] | None = None, wait: bool = True) -> list[SummaryRefresh]:
    applied = (summary_apply_changes(name=name, wait=wait) for name in (names or sorted(registry.summaries())))
    return [record for record in applied if record is not None]


# Figures are late once a whole scheduled refresh has been missed: one interval for the schedule, one
# for a refresh that runs long, then the page says so (beat or the workers have stopped). A worker busy
# with a report for a few minutes is not yet a stopped schedule.
LATE_AFTER_INTERVALS = 2
LATE_AFTER_MINUTES_AT_LEAST = 10
# With tasks in-process nothing rebuilds at night: a page rebuilds summaries older than this itself.
REBUILD_IN_PROCESS_AFTER = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Freshness:
    """How old the figures of a page are: the oldest refresh of the summaries it reads."""

    as_of: datetime.datetime | None  # None when a summary was never built
    every_minutes: int
    # When the figures last changed (None: never built): rendered fragments are kept under it, so a
    # refresh every minute that found nothing to do does not throw them away.
    version: datetime.datetime | None = None

    @property
    def never(self) -> bool:
        return self.as_of is None

    @property
    def late(self) -> bool:
        """Older than the schedule promises: the page must not go on saying they are refreshed."""
        if self.as_of is None:
            return False
        minutes = max(self.every_minutes * LATE_AFTER_INTERVALS, LATE_AFTER_MINUTES_AT_LEAST)
        return timezone.now() - self.as_of > datetime.timedelta(minutes=minutes)


def _records(names: tuple[str, ...]) -> dict[str, SummaryRefresh]:
    """Each summary's bookkeeping, with whether changes are marked for it: a statement kept per names
    (`mission.kept_pages.kept_query`), which every dashboard and the overview read on each view."""

    def build() -> QuerySet[SummaryRefresh]:
        pending = Exists(SummaryMark.objects.filter(summary=OuterRef("name")))
        return SummaryRefresh.objects.filter(name__in=names).annotate(pending=pending)

    return {r.name: r for r in kept_query(SummaryRefresh, ("dashboards.summary_records", names), build)}


def _bring_up_to_date(records: dict[str, SummaryRefresh], names: tuple[str, ...]) -> bool:
    """Rebuild what was never built (or, in process, not rebuilt for a day) and apply pending marks;
    returns whether anything ran."""
    known = [n for n in names if n in registry.summaries()]
    old = timezone.now() - REBUILD_IN_PROCESS_AFTER
    rebuild = [n for n in known if n not in records or (records[n].rebuilt_at or old) <= old]
    pending = [n for n in known if n in records and n not in rebuild and getattr(records[n], "pending", False)]
    if rebuild:
        summaries_refresh(names=rebuild)
    if pending:
        summaries_apply_changes(names=pending)
    return bool(rebuild or pending)


def summaries_ensure_fresh(names: tuple[str, ...]) -> Freshness:
    """For reports on a worker: build these summaries if they never were, and apply what changed since
    their last refresh (a report must not print the figures of an empty summary), then say how fresh
    they are."""
    records = _records(names)
    known = [n for n in names if n in registry.summaries()]
    if any(n not in records for n in known):
        summaries_refresh(names=[n for n in known if n not in records])
    summaries_apply_changes(names=known)
    replica_caught_up()  # a report on a replica reads what was just applied on the primary
    return freshness_for(names)


def freshness_for(names: tuple[str, ...]) -> Freshness:
    """The freshness of these summaries, in one query.

    With tasks in-process (the embedded default has no worker and no beat), the changes marked since
    the last refresh are applied here, before the page reads them (a summary never built, or not for a
    day, is rebuilt), and the figures are as of now; with a broker, Celery beat applies them every
    DASHBOARD_REFRESH_MINUTES.
    """
    every = settings.DASHBOARD_REFRESH_MINUTES
    in_process = settings.CELERY_TASK_ALWAYS_EAGER
    if in_process and names:
        # Brought up to date on the primary, from its own bookkeeping; a page reading a replica
        # then waits until the replica has what was written.
        with primary_reads():
            records = _records(names)
            brought = _bring_up_to_date(records, names)
            if brought:
                records = _records(names)
        if brought:
            replica_caught_up()
    else:
        records = _records(names) if names else {}  # where the page's figures come from
    if not names or any(n not in records for n in names):
        return Freshness(as_of=None, every_minutes=every)
    version = max(records[n].changed_at or records[n].refreshed_at for n in names)
    if in_process:
        return Freshness(as_of=timezone.now(), every_minutes=every, version=version)
    as_of = min(records[n].refreshed_at for n in names)
    return Freshness(as_of=as_of, every_minutes=every, version=version)
