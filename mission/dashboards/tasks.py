from celery import shared_task

from mission.dashboards.services import summaries_refresh


@shared_task(soft_time_limit=30 * 60, time_limit=35 * 60, acks_late=True)
def refresh_summaries(names: list[str] | None = None) -> int:
    """Rebuild the dashboards' summary tables (Celery beat runs this every DASHBOARD_REFRESH_MINUTES).
    Rebuilding is idempotent, so a run repeated after a lost worker does no harm."""
    return sum(record.rows for record in summaries_refresh(names=names))
