from celery import shared_task

from mission.dashboards.services import summaries_apply_changes, summaries_refresh


@shared_task(soft_time_limit=30 * 60, time_limit=35 * 60, acks_late=True)
def refresh_summaries(names: list[str] | None = None) -> int:
    """Rebuild the dashboards' summary tables whole (Celery beat runs this every night; it repairs
    what changed without a service). Rebuilding is idempotent, so a run repeated after a lost worker
    does no harm."""
    return sum(record.rows for record in summaries_refresh(names=names))


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60, acks_late=True)
def refresh_changed_summaries(names: list[str] | None = None) -> int:
    """Rebuild the parts of the summaries that services marked as changed (Celery beat runs this every
    DASHBOARD_REFRESH_MINUTES). A summary another refresh holds is skipped: that one or the next run
    takes its marks. Returns the number of parts rebuilt."""
    return sum(record.parts for record in summaries_apply_changes(names=names, wait=False))
