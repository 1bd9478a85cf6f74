"""Writes of the dashboard framework: rebuilding the departments' summary tables."""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mission.dashboards import registry
from mission.dashboards.models import SummaryRefresh

logger = logging.getLogger(__name__)


def summary_refresh(*, name: str) -> SummaryRefresh:
    """Rebuild one summary in a transaction: readers see the old figures until the new ones are
    complete. The refresh row is locked first, so two refreshes of the same summary run one after the
    other instead of both inserting."""
    summary = registry.summaries()[name]
    started = time.monotonic()
    with transaction.atomic():
        record, _created = SummaryRefresh.objects.get_or_create(
            name=name, defaults={"refreshed_at": timezone.now(), "duration_ms": 0, "rows": 0}
        )
        record = SummaryRefresh.objects.select_for_update().get(pk=record.pk)
        as_of = timezone.now()
        rows = summary.refresh()
        record.refreshed_at = as_of
        record.duration_ms = int((time.monotonic() - started) * 1000)
        record.rows = rows
        record.save(update_fields=["refreshed_at", "duration_ms", "rows"])
    logger.info("summary %s refreshed: %s rows in %s ms", name, rows, record.duration_ms)
    return record


def summaries_refresh(*, names: list[str] | None = None) -> list[SummaryRefresh]:
    return [summary_refresh(name=name) for name in (names or sorted(registry.summaries()))]


# Figures are late once a whole scheduled refresh has been missed: one interval for the schedule, one
# for a refresh that runs long, then the page says so (beat or the workers have stopped).
LATE_AFTER_INTERVALS = 2


@dataclass(frozen=True)
class Freshness:
    """How old the figures of a page are: the oldest refresh of the summaries it reads."""

    as_of: datetime.datetime | None  # None when a summary was never built
    every_minutes: int

    @property
    def never(self) -> bool:
        return self.as_of is None

    @property
    def late(self) -> bool:
        """Older than the schedule promises: the page must not go on saying they are refreshed."""
        if self.as_of is None:
            return False
        return timezone.now() - self.as_of > datetime.timedelta(minutes=self.every_minutes * LATE_AFTER_INTERVALS)


def _is_stale(records: dict[str, SummaryRefresh], names: tuple[str, ...], max_age_minutes: int) -> bool:
    limit = timezone.now() - datetime.timedelta(minutes=max_age_minutes)
    return any(name not in records or records[name].refreshed_at < limit for name in names)


def summaries_ensure_fresh(names: tuple[str, ...]) -> Freshness:
    """For reports on a worker: rebuild these summaries now if they are stale or were never built
    (a report must not print the figures of an empty summary), then say how fresh they are."""
    records = {r.name: r for r in SummaryRefresh.objects.filter(name__in=names)}
    if _is_stale(records, names, settings.DASHBOARD_REFRESH_MINUTES):
        summaries_refresh(names=[n for n in names if n in registry.summaries()])
    return freshness_for(names)


def freshness_for(names: tuple[str, ...]) -> Freshness:
    """The freshness of these summaries, in one query.

    With tasks in-process (the embedded default has no worker and no beat), stale summaries are
    rebuilt here, before the page reads them; with a broker, Celery beat keeps them fresh.
    """
    every = settings.DASHBOARD_REFRESH_MINUTES
    in_process = settings.CELERY_TASK_ALWAYS_EAGER
    records = {r.name: r for r in SummaryRefresh.objects.filter(name__in=names)} if names else {}
    if in_process and names and _is_stale(records, names, every):
        summaries_refresh(names=[n for n in names if n in registry.summaries()])
        records = {r.name: r for r in SummaryRefresh.objects.filter(name__in=names)}
    as_of = min((records[n].refreshed_at for n in names if n in records), default=None)
    if any(n not in records for n in names):
        as_of = None
    return Freshness(as_of=as_of, every_minutes=every)
